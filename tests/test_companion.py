"""Notes, resource progress, journal, export and import: the learner's record."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import files

Run = Callable[..., Result]


def step(run: Run, rank: int) -> dict:  # type: ignore[type-arg]
    result = run("show", str(rank), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def actions(run: Run) -> list[tuple[str, object]]:
    return [(e["action"], e["step"]) for e in json.loads(run("log", "--json").stdout)]


# -- notes ---------------------------------------------------------------------------------


def test_notes_are_dated_shown_and_logged(run: Run) -> None:
    assert run("note", "3", "Gradient descent clicked").exit_code == 0
    assert run("note", "3", "  Week 2: backprop  ").exit_code == 0
    notes = step(run, 3)["notes"]
    assert [n["text"] for n in notes] == ["Gradient descent clicked", "Week 2: backprop"]
    assert all(n["at"].endswith("+00:00") for n in notes)
    assert "Week 2: backprop" in run("show", "3").stdout
    assert actions(run) == [("note", 3), ("note", 3)]
    assert step(run, 2)["notes"] == []


def test_undo_removes_the_newest_note_only(run: Run) -> None:
    run("note", "3", "first")
    run("note", "3", "second")
    result = run("undo")
    assert "Removed the note on step 3" in result.stdout
    assert [n["text"] for n in step(run, 3)["notes"]] == ["first"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("note", "3", "   "), "a note needs some text"),
        (("note", "9", "hello"), "no step 9: steps are 1-7"),
    ],
)
def test_bad_notes_write_nothing(run: Run, home: Path, args: tuple[str, ...], message: str) -> None:
    run("done", "1")
    before = files(home)
    result = run(*args)
    assert result.exit_code == 2 and message in result.stderr
    assert files(home) == before


# -- resources -----------------------------------------------------------------------------


def test_a_done_resource_shows_everywhere(run: Run) -> None:
    result = run("done", "3.2")
    assert result.exit_code == 0
    assert "Resource 3.2 AI For Everyone: todo -> done." in result.stdout
    assert "Step 3 (Take ML courses): todo -> in progress." in result.stdout
    assert [r["done"] for r in step(run, 3)["resources"]] == [False, True, False, False, False]
    assert step(run, 3)["status"] == "in_progress"
    row = next(line for line in run("list").stdout.splitlines() if "Take ML courses" in line)
    assert row.split()[-1] == "1/5"
    assert "[x] 3.2  AI For Everyone" in run("show", "3").stdout
    assert "[ ] 3.1  Elements of AI" in run("show", "3").stdout


def test_resource_of_a_started_step_leaves_the_step_alone(run: Run) -> None:
    run("done", "3")
    run("start", "3.1")
    assert step(run, 3)["status"] == "done"
    assert "[~] 3.1" in run("show", "3").stdout
    run("reset", "3.1")
    assert "[ ] 3.1" in run("show", "3").stdout


def test_undo_of_a_resource_reverts_the_step_it_started(run: Run) -> None:
    run("done", "4.1")
    run("undo")
    assert step(run, 4)["status"] == "todo"
    assert not any(r["done"] for r in step(run, 4)["resources"])


def test_resources_and_steps_in_one_command(run: Run) -> None:
    assert run("done", "1", "2.3", "2.4").exit_code == 0
    assert step(run, 1)["status"] == "done" and step(run, 2)["status"] == "in_progress"
    assert [r["done"] for r in step(run, 2)["resources"]] == [
        False,
        False,
        True,
        True,
        False,
        False,
    ]
    run("undo")  # one command, undone as a whole
    assert step(run, 1)["status"] == "todo" and step(run, 2)["status"] == "todo"


def test_a_resource_already_done_is_a_no_op(run: Run, home: Path) -> None:
    run("done", "3.2")
    before = files(home)
    result = run("done", "3.2")
    assert result.exit_code == 0 and "already done" in result.stdout
    assert files(home) == before


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("3.6", "no resource 3.6: step 3's resources are 3.1-3.5"),
        ("7.1", "no resource 7.1: step 7 has no resources"),
        ("3.0", "no resource 3.0"),
        ("3.", "'3.' is not a step or resource number"),
    ],
)
def test_a_missing_resource_exits_2(run: Run, home: Path, ref: str, message: str) -> None:
    result = run("done", "1", ref)
    assert result.exit_code == 2 and message in result.stderr
    assert not home.exists()
