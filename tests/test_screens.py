"""Screens in a real terminal (tmux) at 40, 80 and 200 columns: nothing broken across lines,
no word cut inside, a URL whole, and long output in a pager."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import forked
from tests.conftest import in_process

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
END = "[exit"


class Screen:
    def __init__(self, socket: str, home: Path) -> None:
        self.socket, self.home, self.runs = socket, home, 0
        self.running: forked.Running | None = None
        self.tty = ""

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", f"{self.socket}-{self.runs}", "-f", os.devnull, *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def run(
        self,
        size: tuple[int, int],
        *args: str,
        env: dict[str, str] | None = None,
        real: bool = False,
    ) -> None:
        """`mlpath ARGS` in a new window of `size`, then `[exit CODE ]`, as a shell would show.

        The process is forked onto the window's terminal (tests/forked.py: its streams are
        the terminal, without an interpreter's start-up); `real` starts `python -m mlpath`
        in the window instead, for what needs the terminal as its controlling terminal
        (a pager reading keys from /dev/tty, Ctrl-C)."""
        self.close()
        self.runs += 1
        settings = {"MLPATH_HOME": str(self.home), "TERM": "xterm-256color", **(env or {})}
        width, height = size
        if real:
            command = " ".join(
                [
                    "env -u NO_COLOR -u COLUMNS -u LINES -u PAGER -u MLPATH_PAGER",
                    *[f"{k}={shlex.quote(v)}" for k, v in settings.items()],
                    shlex.quote(sys.executable),
                    "-m mlpath",
                    *map(shlex.quote, args),
                    f"; echo '{END}' $? ']'; sleep 30",
                ]
            )
        else:
            command = "sleep 60"
        self.tmux("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), command)
        if not real:
            self.tty = self.tmux("display-message", "-p", "-t", "t", "#{pane_tty}").strip()
            self.running = on_terminal(self.tty, *args, env=settings)

    def capture(self, joined: bool = False) -> list[str]:
        if self.running is not None and self.running.poll() is not None:
            # Ended: what a shell prints after it, behind all it wrote on the terminal.
            code = self.running.wait()
            self.running = None
            with open(self.tty, "w") as terminal:  # noqa: PTH123 (a terminal, not a file)
                terminal.write(f"{END} {code} ]\n")
        rows = self.tmux("capture-pane", "-t", "t", "-p", "-S", "-", *(["-J"] if joined else []))
        return [row.rstrip() for row in rows.rstrip("\n").splitlines()]

    def wait_for(self, text: str, timeout: float = 15) -> list[str]:
        deadline, pause = time.monotonic() + timeout, 0.01
        while time.monotonic() < deadline:
            rows = self.capture()
            if any(text in row for row in rows):
                return rows
            time.sleep(pause)
            pause = min(pause * 1.5, 0.1)  # each look is a tmux process: fewer as it waits
        raise AssertionError(f"{text!r} never appeared:\n" + "\n".join(self.capture()))

    def close(self) -> None:
        if self.running is not None:  # still running: a test that failed while it waited
            stop(self.running)
            self.running = None
        if self.runs:
            subprocess.run(["tmux", "-L", f"{self.socket}-{self.runs}", "kill-server"])


def stop(running: forked.Running) -> None:
    """Kill a forked command's process group and reap it."""
    assert running.pid is not None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(running.pid, signal.SIGKILL)
    running.wait()


def on_terminal(tty: str, *args: str, env: dict[str, str]) -> forked.Running:
    """`mlpath ARGS` forked with the terminal `tty` as its stdin, stdout and stderr, in the
    environment a terminal's shell would give it: the test's, without what the test sets
    for a pipe (NO_COLOR, COLUMNS, LINES, a pager), with `env` over it."""
    unset = ("NO_COLOR", "COLUMNS", "LINES", "PAGER", "MLPATH_PAGER")
    shell = {k: v for k, v in os.environ.items() if k not in unset} | env
    return forked.Running(*args, env=shell, stdin=tty, stdout=tty, stderr=tty)


@pytest.fixture
def screen(home: Path, tmp_path: Path) -> Iterator[Screen]:
    term = Screen(f"mlpath-screens-{os.getpid()}-{tmp_path.name}", home)
    yield term
    term.close()


def mlpath(home: Path, *args: str) -> None:
    """A change to set the store up: in this process, where no terminal is needed."""
    in_process(*args, env={"MLPATH_HOME": str(home)})


def a_learner(home: Path) -> None:
    for args in (
        ["skill", "3"],
        ["start", "3"],
        ["done", "3.2"],
        ["done", "1", "2"],
        ["skip", "4"],
        ["note", "3", "Backprop finally clicked, after the third video on the chain rule"],
    ):
        mlpath(home, *args)


SIZES = [(40, 20), (80, 24), (200, 50)]
# Each command, with what must stand whole on one line however narrow the terminal.
COMMANDS = {
    ("list",): ["#  Step", "in progress"],
    ("show", "3"): [
        "https://www.elementsofai.com/",
        "https://www.coursera.org/learn/ai-for-everyone",
        "https://www.coursera.org/specializations/deep-learning",
        "https://developers.google.com/machine-learning/crash-course",
    ],
    ("status",): ["(`mlpath next` says why)", "2 of 7 done, 1 skipped (42.9%)"],
    ("next",): ["`mlpath show 3`"],
    ("map",): ["! anxiety (too hard)", "o open", "- skipped", "^ yours now"],
    ("log",): ["todo -> in progress"],
}


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_fits(screen: Screen, home: Path, size: tuple[int, int]) -> None:
    a_learner(home)
    width = size[0]
    for args, whole in COMMANDS.items():
        screen.run(size, *args, env={"MLPATH_PAGER": "cat"})
        screen.wait_for(END)
        lines = screen.capture(joined=True)
        # A line the terminal had to wrap is one longer than the screen: only a URL may be,
        # kept whole so that it can be copied.
        for line in lines:
            if len(line) > width:
                assert line.strip().startswith("http") and " " not in line.strip(), (args, line)
        # (mlpath folds its own lines, between words, and rich wraps none: a word broken by
        # the terminal would have made a line longer than the screen, caught above.)
        assert not any("Traceback" in line for line in lines)
        for phrase in whole:
            assert any(phrase in line for line in lines), (args, phrase, lines)


def test_list_at_40_columns_drops_a_column_not_its_rows(screen: Screen, home: Path) -> None:
    a_learner(home)
    screen.run((40, 20), "list", env={"NO_COLOR": "1"})
    rows = screen.wait_for(END)
    assert rows[2:12] == [
        "#  Step           Challenge  Status",
        "─" * 40,
        "1  Watch ML rel…          1  done",
        "2  Read about t…          2  done",
        "3  Take ML cour…          4  in progress",
        "4  Write about …          5  skipped",
        "5  Start on ML …          7  todo",
        "6  Compete in K…          8  todo",
        "7  Work for ML …         10  todo",
        "[exit 0 ]",
    ]


def test_show_keeps_urls_and_titles_whole(screen: Screen, home: Path) -> None:
    a_learner(home)
    screen.run((40, 40), "show", "2")
    screen.wait_for(END)
    lines = screen.capture(joined=True)
    assert "  [ ] 2.4  Nature Research: machine" in lines
    assert "           learning (article)" in lines
    assert "https://www.nature.com/subjects/machine-learning" in lines  # whole, to copy
    assert "  [ ] 2.6  LinkedIn (community)" in lines
    assert "           https://www.linkedin.com/" in lines  # fits: under its title
    screen.run((80, 40), "show", "1")
    screen.wait_for(END)
    assert "  [ ] 1.1  Seven YouTube channels on AI (article)" in screen.capture()


def test_status_bar_fits_the_width(screen: Screen, home: Path) -> None:
    a_learner(home)
    screen.run((40, 20), "status", env={"NO_COLOR": "1"})
    rows = screen.wait_for(END)
    assert rows[2:4] == ["█" * 8 + "▒" * 4 + "░" * 16, "2 of 7 done, 1 skipped (42.9%)"]
    assert rows[-2:] == ["Next: step 3, Take ML courses", "      (`mlpath next` says why)"] or (
        rows[-3:-1] == ["Next: step 3, Take ML courses", "      (`mlpath next` says why)"]
    )
    screen.run((80, 20), "status", env={"NO_COLOR": "1"})
    rows = screen.wait_for(END)
    assert rows[1] == "█" * 8 + "▒" * 4 + "░" * 16 + "  2 of 7 done, 1 skipped (42.9%)"


def test_a_long_log_opens_in_a_pager(screen: Screen, home: Path) -> None:
    for _ in range(8):
        mlpath(home, "done", "1")
        mlpath(home, "reset", "1")
    screen.run((80, 10), "log", env={"PAGER": "less"}, real=True)
    rows = screen.wait_for(" #  When")
    time.sleep(0.5)
    rows = screen.capture()
    assert END not in "\n".join(rows)  # waiting in the pager, not finished
    assert rows[0].startswith(" #  When") and rows[2].startswith(" 1  ")
    assert rows[-1] == ":"  # less's prompt
    screen.tmux("send-keys", "-t", "t", "G")  # to the end, as a reader would
    assert any(row.startswith("16  ") for row in screen.wait_for("16  "))
    screen.tmux("send-keys", "-t", "t", "q")
    screen.wait_for(END)


def test_next_keeps_its_lists_indented_when_they_fold(screen: Screen, home: Path) -> None:
    a_learner(home)
    mlpath(home, "rate", "3", "9")  # step 3, in progress, now far too hard: a long item below
    screen.run((40, 30), "next", env={"NO_COLOR": "1"})
    rows = screen.wait_for(END)
    for heading in ("Alternatives:", "Also in progress:"):
        at = rows.index(heading)
        block = rows[at + 1 : rows.index("", at) if "" in rows[at:] else -1]
        block = [row for row in block if not row.startswith(END)]
        assert len(block) > 2, (heading, rows)  # folded at 40 columns
        for row in block:  # each item starts "  step N", its folded rows further in
            assert row.startswith("  step ") or row.startswith("    "), (heading, row)


def test_log_folds_a_long_change_between_words_rather_than_cut_it(
    screen: Screen, home: Path
) -> None:
    a_learner(home)
    mlpath(home, "undo")
    mlpath(home, "redo")
    piped = in_process("log", env={"MLPATH_HOME": str(home)}).stdout.splitlines()
    said = piped[-1][piped[-1].index("redid") :]  # the whole change, as a pipe gets it
    screen.run((40, 30), "log", env={"NO_COLOR": "1", "MLPATH_PAGER": "cat"})
    rows = screen.wait_for(END)
    at = next(i for i, row in enumerate(rows) if "redid" in row)
    column = rows[at].index("redid")
    folded = [rows[at][column:]]
    for row in rows[at + 1 :]:
        if row.startswith(END) or row[:column].strip():
            break
        folded.append(row[column:])
    assert len(folded) > 1 and " ".join(folded) == said
