"""mlpath in a real terminal, driven through tmux: colour, NO_COLOR, and the prompts."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-7]|9[0-7]|38;[0-9;]+)m")  # a foreground colour


class Terminal:
    """One tmux server of our own, with one 100x30 window running one command."""

    def __init__(self, name: str, home: Path) -> None:
        self.name = name
        self.starts = 0
        self.home = home

    @property
    def socket(self) -> str:
        # A new server for every start: kill-server returns before the old one has gone,
        # and a new session on its socket can meet it dying ("server exited unexpectedly").
        return f"{self.name}-{self.starts}"

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", os.devnull, *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def start(self, *mlpath_args: str, env: dict[str, str] | None = None) -> None:
        self.close()
        self.starts += 1
        settings = {"MLPATH_HOME": str(self.home), "TERM": "xterm-256color", **(env or {})}
        command = " ".join(
            [
                "env",
                "-u",
                "NO_COLOR",
                "-u",
                "COLUMNS",
                *[f"{k}={shlex.quote(v)}" for k, v in settings.items()],
                shlex.quote(sys.executable),
                "-m",
                "mlpath",
                *map(shlex.quote, mlpath_args),
                "; echo '[exit' $? ']'; sleep 30",
            ]
        )
        self.tmux("new-session", "-d", "-s", "t", "-x", "100", "-y", "30", command)

    def screen(self, escapes: bool = False) -> str:
        return self.tmux("capture-pane", "-t", "t", "-p", *(["-e"] if escapes else []))

    def wait_for(self, text: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared on the screen:\n{self.screen()}")

    def type(self, keys: str) -> None:
        self.tmux("send-keys", "-t", "t", keys, "Enter")

    def close(self) -> None:
        if self.starts:
            subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(home: Path, tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(f"mlpath-test-{os.getpid()}-{tmp_path.name}", home)
    yield term
    term.close()


def run_quietly(home: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "mlpath", *args],
        check=True,
        capture_output=True,
        env={**os.environ, "MLPATH_HOME": str(home)},
    )


def test_colour_and_box_drawing_on_a_terminal(terminal: Terminal, home: Path) -> None:
    run_quietly(home, "done", "1")
    terminal.start("list")
    terminal.wait_for("[exit 0 ]")
    assert COLOUR.search(terminal.screen(escapes=True)), "no colour on a terminal"
    assert "─" in terminal.screen()


def test_no_color_is_respected(terminal: Terminal, home: Path) -> None:
    run_quietly(home, "done", "1")
    terminal.start("list", env={"NO_COLOR": "1"})
    screen = terminal.wait_for("[exit 0 ]")
    assert "done" in screen
    assert not COLOUR.search(terminal.screen(escapes=True)), "colour despite NO_COLOR"


def test_next_asks_for_skill_once_and_keeps_it(terminal: Terminal, home: Path) -> None:
    terminal.start("next")
    terminal.wait_for("How would you rate your ML skill, 1-10?")
    assert "1 = new to ML, ready to watch and read about it" in terminal.screen()
    terminal.type("12")
    terminal.wait_for("not '12'")
    terminal.type("4")
    screen = terminal.wait_for("[exit 0 ]")
    assert "Next: step 4, Write about your ML journey" in screen
    progress = (home / "progress.toml").read_text()
    assert "skill = 4" in progress
    terminal.close()
    terminal.start("next")
    screen = terminal.wait_for("[exit 0 ]")
    assert "How would you rate" not in screen and "Skill 4 (your rating)" in screen


def test_done_offers_to_rerate_and_enter_skips(terminal: Terminal, home: Path) -> None:
    run_quietly(home, "skill", "3")
    terminal.start("done", "3")
    terminal.wait_for("Your skill is 3 of 10. Has it grown?")
    terminal.type("")
    terminal.wait_for("[exit 0 ]")
    log = subprocess.run(
        [sys.executable, "-m", "mlpath", "log", "--json"],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "MLPATH_HOME": str(home)},
    ).stdout
    assert [event["action"] for event in json.loads(log)] == ["skill", "done"]


def actions(home: Path) -> list[str]:
    log = subprocess.run(
        [sys.executable, "-m", "mlpath", "log", "--json"],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "MLPATH_HOME": str(home)},
    ).stdout
    return [event["action"] for event in json.loads(log)]


def test_ctrl_c_at_the_rerate_offer_skips_it_and_keeps_the_change(
    terminal: Terminal, home: Path
) -> None:
    run_quietly(home, "skill", "3")
    terminal.start("done", "3")
    terminal.wait_for("Has it grown?")
    terminal.tmux("send-keys", "-t", "t", "C-c")
    screen = terminal.wait_for("[exit 0 ]")
    assert "nothing was written" not in screen
    assert "Skipped; the changes above are saved." in screen
    assert actions(home) == ["skill", "done"]


def test_the_last_resource_asks_to_finish_the_step(terminal: Terminal, home: Path) -> None:
    run_quietly(home, "skill", "3")
    run_quietly(home, "done", "4.1")
    terminal.start("done", "4.2")
    terminal.wait_for("Mark step 4 done? [Y/n]")
    assert "Done when: You have published" in terminal.screen()
    terminal.type("")  # Enter: yes
    terminal.wait_for("Has it grown?")
    terminal.tmux("send-keys", "-t", "t", "C-c")
    screen = terminal.wait_for("[exit 0 ]")
    assert "Step 4 (Write about your ML journey): in progress -> done." in screen
    assert "nothing was written" not in screen
    assert actions(home) == ["skill", "done", "start", "done", "done"]
