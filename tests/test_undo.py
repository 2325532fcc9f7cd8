"""`mlpath undo` puts back the value a change replaced, whichever road the change came by."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.conftest import REPO, Clock

Run = Callable[..., Result]
TEAM = str(REPO / "examples" / "team-onboarding.toml")


def shown(run: Run, *args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_undo_of_a_changed_rating_puts_the_earlier_rating_back(run: Run, clock: Clock) -> None:
    run("rate", "3", "5")
    clock.tick()
    run("rate", "3", "8")
    clock.tick()
    result = run("undo")
    assert result.stdout.splitlines() == [
        "Undone: rated step 3 (Take ML courses): feels like 5 of 10 to you."
    ]
    step = shown(run, "show", "3")
    assert (step["challenge"], step["challenge_source"]) == (5, "rated")  # not the catalogue's 4
    assert shown(run, "log")[-1]["details"] == {
        "undoes": "a1b2c3d4e5f6:2",
        "of": "rate",
        "from": 8,
        "to": 5,
    }
    clock.tick()
    assert run("undo").stdout.splitlines() == [
        "Undone: removed your rating of step 3 (Take ML courses); it uses the catalogue's "
        "challenge again."
    ]
    step = shown(run, "show", "3")
    assert (step["challenge"], step["challenge_source"]) == (4, "catalogue")


def test_undo_of_another_machines_changed_rating_puts_ours_back(
    run: Run, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A merged change is undone from the replay without it: its own `from` is what the
    other machine had (5), not what it replaced here (6)."""
    run("rate", "3", "5")
    ours = tmp_path / "ours.json"
    run("export", "-o", str(ours))
    desk = tmp_path / "desk"
    monkeypatch.setenv("MLPATH_HOME", str(desk))
    monkeypatch.setattr("mlpath.store.layout.new_machine_id", lambda: "deskdeskdesk")
    assert run("import", str(ours)).exit_code == 0
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "home"))
    clock.tick()
    run("rate", "3", "6")
    monkeypatch.setenv("MLPATH_HOME", str(desk))
    clock.tick()
    run("rate", "3", "8")  # from 5, as the desk had it
    theirs = tmp_path / "theirs.json"
    run("export", "-o", str(theirs))
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "home"))
    clock.tick()
    assert run("import", "--merge", str(theirs)).stdout.splitlines() == [
        "Merged: 1 new change; 1 you had already."
    ]
    assert shown(run, "show", "3")["challenge"] == 8
    clock.tick()
    assert run("undo").stdout.splitlines() == [
        "Undone: rated step 3 (Take ML courses): feels like 6 of 10 to you."
    ]
    step = shown(run, "show", "3")
    assert (step["challenge"], step["challenge_source"]) == (6, "rated")
    assert run("doctor").exit_code == 0


def test_undo_never_reaches_past_its_catalogue_to_an_earlier_change_on_another(
    run: Run, clock: Clock
) -> None:
    run("--catalogue", TEAM, "done", "1")  # the earlier change, on the team's path
    clock.tick()
    run("done", "2")  # the bundled path's
    clock.tick()
    assert run("undo").stdout.splitlines() == [
        "Undone: step 2 (Read about trends and happenings in ML): done -> todo."
    ]
    clock.tick()
    assert run("undo").stdout.splitlines() == ["Nothing to undo."]
    team = shown(run, "--catalogue", TEAM, "status")
    assert team["done"] == 1  # the team's change stands: it is not this path's to undo
    clock.tick()
    assert run("--catalogue", TEAM, "undo").exit_code == 0
    assert shown(run, "--catalogue", TEAM, "status")["done"] == 0
    assert shown(run, "status")["done"] == 0


def test_undo_on_one_catalogue_after_a_newer_change_on_another(run: Run, clock: Clock) -> None:
    run("done", "2")
    clock.tick()
    run("--catalogue", TEAM, "done", "1")  # newer, on another path: not this path's to undo
    clock.tick()
    assert run("undo").stdout.splitlines() == [
        "Undone: step 2 (Read about trends and happenings in ML): done -> todo."
    ]
    assert shown(run, "--catalogue", TEAM, "status")["done"] == 1


def _merged_from_the_desk(
    run: Run,
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    ours: list[str],
    theirs: list[str],
    first: list[str],
) -> None:
    """`first` here, exported to a desk; then `ours` here and, later, `theirs` on the desk,
    which this store merges: its newest commit is the desk's change."""
    home, desk = tmp_path / "home", tmp_path / "desk"
    run(*first)
    shared = tmp_path / "shared.json"
    run("export", "-o", str(shared))
    monkeypatch.setenv("MLPATH_HOME", str(desk))
    monkeypatch.setattr("mlpath.store.layout.new_machine_id", lambda: "deskdeskdesk")
    assert run("import", str(shared)).exit_code == 0
    monkeypatch.setenv("MLPATH_HOME", str(home))
    clock.tick()
    run(*ours)
    monkeypatch.setenv("MLPATH_HOME", str(desk))
    clock.tick()
    run(*theirs)
    back = tmp_path / "back.json"
    run("export", "-o", str(back))
    monkeypatch.setenv("MLPATH_HOME", str(home))
    clock.tick()
    assert run("import", "--merge", str(back)).exit_code == 0
    clock.tick()


def test_undo_of_another_machines_resource_change_puts_ours_back(
    run: Run, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desk skipped 3.2 from in progress; here it was done meanwhile: undoing the desk's
    skip gives back done, what it replaced here, not its own `from`."""
    first, ours, theirs = ["start", "3.2"], ["done", "3.2"], ["skip", "3.2"]
    _merged_from_the_desk(run, clock, tmp_path, monkeypatch, ours, theirs, first)
    assert shown(run, "show", "3")["resources"][1]["status"] == "skipped"
    assert run("undo").stdout.splitlines() == [
        "Undone: resource 3.2 AI For Everyone: skipped -> done."
    ]
    step = shown(run, "show", "3")
    assert (step["resources"][1]["status"], step["status"]) == ("done", "in_progress")


def test_undo_of_another_machines_step_change_puts_ours_back(
    run: Run, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, ours, theirs = ["start", "4"], ["done", "4"], ["skip", "4"]
    _merged_from_the_desk(run, clock, tmp_path, monkeypatch, ours, theirs, first)
    assert run("undo").stdout.splitlines() == [
        "Undone: step 4 (Write about your ML journey): skipped -> done."
    ]
    assert shown(run, "show", "4")["status"] == "done"
