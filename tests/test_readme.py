"""The README's promises that a test can hold it to."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import REPO

Run = Callable[..., Result]


def quick_start() -> list[str]:
    text = (REPO / "README.md").read_text()
    block = re.search(r"## Quick start\n\n```sh\n(.*?)```", text, re.S)
    assert block, "README has no quick start block"
    return block.group(1).strip().splitlines()


def test_quick_start_is_two_commands() -> None:
    assert quick_start() == [
        "python -m pip install . && mlpath next",
        "python -m pip install -e '.[test]' && python -m pytest -n auto",
    ]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert quick_start()[1] in ci


def session() -> list[tuple[list[str], list[str]]]:
    """The README's session: each command, with what the terminal shows after it."""
    import shlex

    text = (REPO / "README.md").read_text()
    block = re.search(r"## A session\n\n```text\n(.*?)```", text, re.S)
    assert block, "README has no session transcript"
    steps: list[tuple[list[str], list[str]]] = []
    for line in block.group(1).splitlines():
        if line.startswith("$ mlpath"):
            steps.append((shlex.split(line)[2:], []))
        else:
            steps[-1][1].append(line)
    assert len(steps) >= 5
    return steps


def untimed(lines: list[str]) -> list[str]:
    return [line for line in lines if not line.startswith("Last activity")]  # a time


# What a pipe does not get of what a terminal shows: the rule under a table's header, and
# the questions asked only on a terminal (with Enter for an answer, as in the session).
TERMINAL_ONLY = re.compile(
    r"─+|How does step .* feel right now\? \(1-10, Enter to skip\)|How challenging is it:"
    r"|No check-in recorded\."
)
GLYPHS = str.maketrans("█▒░", "#-.")  # the progress bar, as a pipe gets it


def test_the_session_in_the_readme_is_what_mlpath_prints(run: Run) -> None:
    for args, expected in session():
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        piped = [line.translate(GLYPHS) for line in expected if not TERMINAL_ONLY.fullmatch(line)]
        assert untimed(result.stdout.splitlines()) == untimed(piped), args


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_session_in_the_readme_is_what_a_terminal_shows(home: Path, tmp_path: Path) -> None:
    """Typed into a real terminal (tmux, 200 columns), Enter at each question."""
    from tests.test_screens import END, Screen

    screen = Screen(f"mlpath-readme-{os.getpid()}", home)
    try:
        for args, expected in session():
            screen.run((200, 60), *args)
            deadline = time.monotonic() + 20
            rows = screen.capture(joined=True)
            while not any(row.startswith(END) for row in rows):
                assert time.monotonic() < deadline, rows
                if rows and rows[-1].startswith("How challenging is it:"):
                    screen.tmux("send-keys", "-t", "t", "Enter")
                    time.sleep(0.2)  # for the Enter to be read, before looking again
                time.sleep(0.02)
                rows = screen.capture(joined=True)
            shown = rows[: next(i for i, row in enumerate(rows) if row.startswith(END))]
            assert rows[len(shown)] == f"{END} 0 ]", (args, rows)
            assert untimed(shown) == untimed(expected), args
    finally:
        screen.close()


def test_the_readmes_pictures_are_what_mlpath_draws_after_its_session(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/progress.svg and docs/map.svg, shown in the README, are the card and the map of
    the README's own session, replayed on the day of its transcript."""
    import os
    import shlex
    from datetime import UTC, datetime

    from mlpath.store import record

    monkeypatch.setattr(record, "clock", lambda: datetime(2026, 11, 25, 20, 4, tzinfo=UTC))
    text = (REPO / "README.md").read_text()
    block = re.search(r"## A session\n\n```text\n(.*?)```", text, re.S)
    assert block
    for line in block.group(1).splitlines():
        if line.startswith("$ mlpath"):
            assert run(*shlex.split(line)[2:]).exit_code == 0
    for name, command in (("progress.svg", ["card"]), ("map.svg", ["map", "--svg"])):
        drawn = run(*command).stdout
        path = REPO / "docs" / name
        if os.environ.get("MLPATH_UPDATE_SNAPSHOTS"):
            path.write_text(drawn, encoding="utf-8")
        assert drawn == path.read_text(encoding="utf-8"), f"regenerate {path}"
        assert f"](docs/{name})" in text


def test_the_readme_says_which_export_version_mlpath_writes() -> None:
    """The README documents the export's keys; the version it names is the one written."""
    from mlpath.store import exchange

    text = (REPO / "README.md").read_text()
    match = re.search(r"`version` \((\d+)", text)
    assert match, "README does not document the export's version"
    assert int(match.group(1)) == exchange.VERSION
