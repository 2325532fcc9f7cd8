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

from tests import forked
from tests.conftest import in_process
from tests.test_screens import on_terminal, stop

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-7]|9[0-7]|38;[0-9;]+)m")  # a foreground colour


class Terminal:
    """One tmux server of our own, with one 100x30 window running one command."""

    def __init__(self, name: str, home: Path, config: str = os.devnull) -> None:
        self.name = name
        self.starts = 0
        self.home = home
        self.config = config
        self.running: forked.Running | None = None
        self.tty = ""

    @property
    def socket(self) -> str:
        # A new server for every start: kill-server returns before the old one has gone,
        # and a new session on its socket can meet it dying ("server exited unexpectedly").
        return f"{self.name}-{self.starts}"

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", self.config, *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def start(self, *mlpath_args: str, env: dict[str, str] | None = None, rows: int = 30) -> None:
        """Run mlpath in a new window, after a line `[before]` that it must leave on screen."""
        self.close()
        self.starts += 1
        settings = {"MLPATH_HOME": str(self.home), "TERM": "xterm-256color", **(env or {})}
        command = " ".join(
            [
                "echo '[before]';",
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
        self.tmux("new-session", "-d", "-s", "t", "-x", "100", "-y", str(rows), command)

    def fork(self, *mlpath_args: str, env: dict[str, str] | None = None, rows: int = 30) -> None:
        """As `start`, but mlpath forked onto the window's terminal (test_screens.on_terminal):
        a real process reading and writing it, without an interpreter's start-up, for a test
        that needs no controlling terminal (no Ctrl-C). `[exit CODE ]` follows as it ends."""
        self.close()
        self.starts += 1
        settings = {"MLPATH_HOME": str(self.home), "TERM": "xterm-256color", **(env or {})}
        window = ("-s", "t", "-x", "100", "-y", str(rows), "echo '[before]'; sleep 120")
        self.tmux("new-session", "-d", *window)
        self.wait_for("[before]")
        self.tty = self.tmux("display-message", "-p", "-t", "t", "#{pane_tty}").strip()
        self.running = on_terminal(self.tty, *mlpath_args, env=settings)

    def screen(self, escapes: bool = False) -> str:
        if self.running is not None and self.running.poll() is not None:
            # Ended: what a shell prints after it, behind all it wrote on the terminal.
            code = self.running.wait()
            self.running = None
            with open(self.tty, "w") as terminal:  # noqa: PTH123 (a terminal, not a file)
                terminal.write(f"[exit {code} ]\n")
        # -J: a line the terminal wrapped reads as one
        return self.tmux("capture-pane", "-t", "t", "-p", "-J", *(["-e"] if escapes else []))

    def wait_for(self, text: str, timeout: float = 15) -> str:
        deadline, pause = time.monotonic() + timeout, 0.01
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(pause)
            pause = min(pause * 1.5, 0.1)  # each look is a tmux process: fewer as it waits
        raise AssertionError(f"{text!r} never appeared on the screen:\n{self.screen()}")

    def type(self, keys: str) -> None:
        self.tmux("send-keys", "-t", "t", keys, "Enter")

    def close(self) -> None:
        if self.running is not None:  # still running: a test that failed while it waited
            stop(self.running)
            self.running = None
        if self.starts:
            subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(home: Path, tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(f"mlpath-test-{os.getpid()}-{tmp_path.name}", home)
    yield term
    term.close()


def run_quietly(home: Path, *args: str) -> None:
    """A change to set the store up: in this process, where no terminal is needed."""
    in_process(*args, env={"MLPATH_HOME": str(home)})


def test_colour_and_box_drawing_on_a_terminal(terminal: Terminal, home: Path) -> None:
    run_quietly(home, "done", "1")
    terminal.fork("list")
    terminal.wait_for("[exit 0 ]")
    assert COLOUR.search(terminal.screen(escapes=True)), "no colour on a terminal"
    assert "─" in terminal.screen()


def test_no_color_is_respected(terminal: Terminal, home: Path) -> None:
    run_quietly(home, "done", "1")
    terminal.fork("list", env={"NO_COLOR": "1"})
    screen = terminal.wait_for("[exit 0 ]")
    assert "done" in screen
    assert not COLOUR.search(terminal.screen(escapes=True)), "colour despite NO_COLOR"


def test_next_asks_for_skill_once_and_keeps_it(terminal: Terminal, home: Path) -> None:
    terminal.fork("next")
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
    terminal.fork("next")
    screen = terminal.wait_for("[exit 0 ]")
    assert "How would you rate" not in screen and "For your own rating of your skill." in screen


def test_done_offers_a_checkin_and_enter_skips(terminal: Terminal, home: Path) -> None:
    run_quietly(home, "skill", "3")
    terminal.fork("done", "3")
    terminal.wait_for("How challenging is it:")
    terminal.type("")
    terminal.wait_for("[exit 0 ]")
    assert actions(home) == ["skill", "done"]


def actions(home: Path) -> list[str]:
    log = in_process("log", "--json", env={"MLPATH_HOME": str(home)}).stdout
    return [event["action"] for event in json.loads(log)]


def test_ctrl_c_at_the_checkin_offer_skips_it_and_keeps_the_change(
    terminal: Terminal, home: Path
) -> None:
    run_quietly(home, "skill", "3")
    terminal.start("done", "3")
    terminal.type("6")  # the challenge answered, then Ctrl-C at the skill: nothing half-kept
    terminal.wait_for("How skilled do you feel at it:")
    terminal.tmux("send-keys", "-t", "t", "C-c")
    screen = terminal.wait_for("[exit 0 ]")
    assert "nothing was written" not in screen
    assert "Skipped; the changes above are saved." in screen
    assert actions(home) == ["skill", "done"]


def test_checkin_with_no_step_asks_for_the_figures_of_the_step_in_progress(
    terminal: Terminal, home: Path
) -> None:
    run_quietly(home, "start", "3")
    terminal.fork("checkin")
    terminal.wait_for("How does step 3 (Take ML courses) feel right now?")
    terminal.type("7")
    terminal.wait_for("How skilled do you feel at it:")
    terminal.type("4")
    screen = terminal.wait_for("[exit 0 ]")
    assert "Checked in on step 3 (Take ML courses): challenge 7, skill 4." in screen
    assert actions(home) == ["start", "checkin"]


def test_the_last_resource_asks_to_finish_the_step(terminal: Terminal, home: Path) -> None:
    run_quietly(home, "skill", "3")
    run_quietly(home, "done", "4.1")
    terminal.start("done", "4.2")
    terminal.wait_for("Mark step 4 done? [Y/n]")
    assert "Done when: You have published" in terminal.screen()
    terminal.type("")  # Enter: yes
    terminal.wait_for("How challenging is it:")
    terminal.tmux("send-keys", "-t", "t", "C-c")
    screen = terminal.wait_for("[exit 0 ]")
    assert "Step 4 (Write about your ML journey): in progress -> done." in screen
    assert "nothing was written" not in screen
    assert actions(home) == ["skill", "done", "start", "done", "done"]


# -- text mlpath did not write ---------------------------------------------------------------

# A window title (OSC 0 and 2), the clipboard (OSC 52), a cleared screen, a carriage return
# that hides what came before it, a link whose text is another link (OSC 8), an 8-bit CSI.
HOSTILE = (
    "probe \x1b]0;PWNED\x07\x1b]2;PWNED\x07 \x1b]52;c;cm0gLXJmIH4=\x07 \x1b[2J"
    "rm -rf ~\rharmless \x1b]8;;https://evil.test\x1b\\spoof\x1b]8;;\x1b\\ \x9b2J end"
)
ALL_SCREENS = ["list", "show 3", "next --skill 3", "status", "log", "map --skill 3", "journal"]


@pytest.fixture
def clipboard_terminal(home: Path, tmp_path: Path) -> Iterator[Terminal]:
    """A terminal that, like many, lets programs set the clipboard (OSC 52)."""
    config = tmp_path / "tmux.conf"
    config.write_text("set -g set-clipboard on\n")
    term = Terminal(f"mlpath-test-{os.getpid()}-{tmp_path.name}", home, str(config))
    yield term
    term.close()


def assert_untouched(terminal: Terminal, command: str) -> str:
    screen = terminal.wait_for("[exit ")
    title = terminal.tmux("display-message", "-p", "-t", "t", "#{pane_title}")
    assert "PWNED" not in title, f"{command} set the window title"
    assert terminal.tmux("list-buffers") == "", f"{command} wrote to the clipboard"
    assert screen.startswith("[before]"), f"{command} cleared the screen:\n{screen}"
    return screen


@pytest.mark.parametrize("command", ALL_SCREENS)
def test_a_hostile_note_leaves_the_terminal_alone(
    clipboard_terminal: Terminal, home: Path, command: str
) -> None:
    run_quietly(home, "note", "3", HOSTILE)
    clipboard_terminal.fork(*command.split(), rows=80)
    screen = assert_untouched(clipboard_terminal, command)
    assert "[exit 0 ]" in screen
    # The screens that show notes show them readably, hiding nothing (log shortens them).
    if command in ("show 3", "log"):
        assert "probe \\x1b]0;PWNED\\x07\\x1b]2;PWNED\\x07" in screen
    if command == "show 3":
        for part in ("\\x1b]52;c;cm0gLXJmIH4=\\x07", "~\\rharmless", "\\x1b]8;;https://evil.test"):
            assert part in screen


@pytest.mark.parametrize("command", ALL_SCREENS)
def test_a_hostile_catalogue_leaves_the_terminal_alone(
    clipboard_terminal: Terminal, tmp_path: Path, command: str
) -> None:
    path = tmp_path / "team.toml"
    path.write_text(
        'id = "team"\ntitle = "Team"\n[[steps]]\nid = "one"\n'
        f'title = {json.dumps("First " + HOSTILE)}\nsummary = "Do it."\nchallenge = 3\n'
    )
    clipboard_terminal.fork("--catalogue", str(path), *command.split())
    screen = assert_untouched(clipboard_terminal, command)
    assert "[exit 1 ]" in screen
    assert "step 1 (one): title: holds a control character, \\x1b" in screen


def test_a_long_import_says_what_it_is_doing_on_a_terminal_only(
    terminal: Terminal, home: Path, tmp_path: Path
) -> None:
    """A wait of a second or more is never silent on a terminal; a script gets nothing."""
    events = [
        {
            "at": "2026-01-01T00:00:00+00:00",
            "action": "skill",
            "step": None,
            "details": {"from": None if n == 1 else (n - 1) % 10 + 1, "to": n % 10 + 1},
            "catalogue": "get-started-in-ml",
            "step_id": None,
            "machine": "aaaaaaaaaaaa",
            "seq": n,
            "batch": n,
            "clock": 1767225600000 + n,
        }
        for n in range(1, 25_001)
    ]
    export = tmp_path / "big.json"
    document = {
        "format": "mlpath-export",
        "version": 2,
        "exported_at": "2026-01-01T00:00:00+00:00",
        "schema_version": 3,
        "paths": {},
        "events": events,
    }
    export.write_text(json.dumps(document))
    piped = in_process("import", str(export), env={"MLPATH_HOME": str(tmp_path / "piped")})
    assert piped.stderr == ""  # (and it succeeded) a script is told nothing
    terminal.fork("import", str(export))
    screen = terminal.wait_for("[exit 0 ]", timeout=60)
    assert "mlpath: merging 25,000 changes into your history" in screen


def test_walking_a_long_history_says_what_it_is_doing_on_a_terminal_only(
    terminal: Terminal, home: Path, tmp_path: Path
) -> None:
    """doctor and export of a history of 25,000 changes each take a second or more."""
    from tests.test_history_scale import build

    build(home, 25_000, notes=False)
    for args, said in [
        (("doctor",), "mlpath: replaying the whole history to check it"),
        (("export", "-o", str(tmp_path / "e.json")), "mlpath: exporting 25,000 changes"),
        (("log", "-n", "1"), "mlpath: reading 25,000 changes"),
    ]:
        piped = in_process(*args)  # (and it succeeded) what a script is told
        assert said not in piped.stderr, piped.stderr
        (tmp_path / "e.json").unlink(missing_ok=True)
        terminal.fork(*args, env={"MLPATH_PAGER": "cat"})
        screen = terminal.wait_for("[exit 0 ]", timeout=60)
        assert said in screen
