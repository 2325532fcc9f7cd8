"""The README's promises that a test can hold it to."""

from __future__ import annotations

import re
from collections.abc import Callable

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


def test_the_session_in_the_readme_is_what_mlpath_prints(run: Run) -> None:
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
    for args, expected in steps:
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        shown = [
            line for line in result.stdout.splitlines() if not line.startswith("Last activity")
        ]  # the one line that is a time
        assert shown == [line for line in expected if not line.startswith("Last activity")], args


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
