"""A line that names a command gets a typer group of that one command (cli/first.py's
full()): the same parse, help, errors and files as the whole app, at a tenth of a change's
cost less (issue 16)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer.main

from mlpath.cli import app, first
from tests.conftest import Clock, Ran, commands, files

Main = Callable[..., Ran]

LINES = [
    ["done", "1"],
    ["done", "1", "2", "--json"],
    ["done"],
    ["done", "9"],
    ["done", "--bogus"],
    ["done", "--jsn", "1"],
    ["done", "-h"],
    ["done", "1", "extra", "words"],
    ["start", "2"],
    ["skip", "3"],
    ["reset", "1"],
    ["note", "1", "a note"],
    ["note", "1", "--edit", "x"],
    ["note", "-h"],
    ["rate", "1", "11"],
    ["checkin", "-h"],
    ["skill", "4"],
    ["skill", "ten"],
    ["undo"],
    ["status", "--json"],
    ["where"],
    ["log", "-n", "x"],
    ["help", "done"],
    ["help", "dne"],
    ["--catalogue", "missing.toml", "done", "1"],
    ["--catalogue=missing.toml", "done", "1"],
    ["--catalogue", "done"],
    ["--json", "done"],
    ["-h"],
    ["dne", "1"],
]


def built(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The commands registered each time the app is turned into click's."""
    seen: list[list[str]] = []
    build = typer.main.get_command

    def spy(instance: typer.Typer) -> Any:
        seen.append([first._name(info) for info in instance.registered_commands])
        return build(instance)

    monkeypatch.setattr(typer.main, "get_command", spy)
    return seen


def test_a_change_builds_only_its_command(main: Main, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = built(monkeypatch)
    everything = list(app.registered_commands)
    full = {"MLPATH_FULL_ROAD": "1"}  # without it, `done 1` builds none (cli/marking.py)
    assert main("done", "1", env=full).returncode == 0
    assert main("--catalogue", "missing.toml", "note", "1", "x", env=full).returncode == 1
    assert seen == [["done"], ["note"]]
    assert app.registered_commands == everything  # put back for whatever runs next


@pytest.mark.parametrize(
    "line", [["help", "done"], ["-h"], [], ["--version"], ["dne"], ["--json", "done"]]
)
def test_help_and_lines_that_name_no_command_build_them_all(
    main: Main, monkeypatch: pytest.MonkeyPatch, line: list[str]
) -> None:
    seen = built(monkeypatch)
    main(*line, env={"MLPATH_FULL_ROAD": "1"})
    assert seen == [[first._name(info) for info in app.registered_commands]]
    assert len(seen[0]) == len(commands())


@pytest.mark.parametrize("line", LINES, ids=" ".join)
def test_one_command_says_and_writes_what_the_whole_app_does(
    main: Main,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    clock: Clock,
    line: list[str],
) -> None:
    def ran(home: Path) -> tuple[Ran, dict[str, bytes]]:
        clock.now = clock.now.replace(minute=0)
        result = main(*line, env={"MLPATH_HOME": str(home), "MLPATH_FULL_ROAD": "1"})
        said = (result.stdout.replace(str(home), "HOME"), result.stderr.replace(str(home), "HOME"))
        text = Ran(result.returncode, *said)
        return text, files(home)

    narrowed = ran(tmp_path / "one")
    with monkeypatch.context() as whole:
        whole.setattr(first, "named", lambda argv: None)
        everything = ran(tmp_path / "all")
    assert narrowed == everything
    assert narrowed[0].stdout or narrowed[0].stderr
