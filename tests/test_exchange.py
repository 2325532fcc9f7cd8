"""Import of an export that carries a state but no events: the state becomes a history."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from mlpath.store import layout
from tests.conftest import Clock, files

Run = Callable[..., Result]


def seen(run: Run) -> list[Any]:
    """What the learner sees of the state, times of changes included."""
    shown = [json.loads(run(*args, "--json").stdout) for args in (("list",), ("status",))]
    return shown + [json.loads(run("show", str(rank), "--json").stdout) for rank in range(1, 8)]


def a_state_without_its_history(run: Run, clock: Clock, tmp_path: Path) -> Path:
    run("skill", "3")
    clock.tick()
    run("done", "1")
    clock.tick()
    run("done", "3.2")  # a resource, and the step it started
    clock.tick()
    run("rate", "4", "7")
    clock.tick()
    run("note", "2", "a note")
    clock.tick()
    run("checkin", "3", "--challenge", "6", "--skill", "4", "--minutes", "20")
    clock.tick()
    run("skip", "6")
    exported = tmp_path / "export.json"
    run("export", "-o", str(exported))
    document = json.loads(exported.read_text())
    document["events"] = []  # a state no history explains, as a hand-made file may be
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(document))
    return bare


def test_a_state_without_events_is_imported_as_the_changes_that_make_it(
    run: Run, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = a_state_without_its_history(run, clock, tmp_path)
    before = seen(run)
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "elsewhere"))
    clock.tick(60)
    result = run("import", str(bare))
    assert result.exit_code == 0, result.output
    # Eight changes recorded, so the message counts eight (it said 0: the file had no events).
    assert result.stdout.splitlines() == ["Imported 8 changes."]
    assert seen(run) == before
    log = json.loads(run("log", "--json").stdout)
    assert [(e["action"], e["step"]) for e in log] == [
        ("skill", None),
        ("done", 1),
        ("done", 3),
        ("start", 3),
        ("checkin", 3),
        ("rate", 4),
        ("note", 2),
        ("skip", 6),
    ]
    assert log[4]["details"] == {"challenge": 6, "skill": 4, "minutes": 20}
    assert run("doctor").exit_code == 0
    clock.tick()
    assert run("undo").exit_code == 0  # the import is one change, undone as one
    assert json.loads(run("status", "--json").stdout) == {
        "total": 7,
        "done": 0,
        "skipped": 0,
        "in_progress": [],
        "todo": [1, 2, 3, 4, 5, 6, 7],
        "percent": 0.0,
        "skill": None,
    }


def test_changes_recorded_after_an_import_order_after_it_and_count_from_one(
    run: Run, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export whose state says more than its events: the import takes the events, then
    records the rest as this store's own changes, which come after every imported event
    (even when this machine's clock is behind theirs) and are this store's first."""
    run("done", "1")
    exported = tmp_path / "export.json"
    run("export", "-o", str(exported))
    document = json.loads(exported.read_text())
    document["paths"]["get-started-in-ml"]["steps"]["read-about-ml"] = {"status": "done"}
    exported.write_text(json.dumps(document))
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "behind"))
    monkeypatch.setattr("mlpath.store.layout.new_machine_id", lambda: "behindbehind")
    clock.now -= timedelta(days=1)  # this machine's clock is a day behind the other's
    assert run("import", str(exported)).stdout.splitlines() == ["Imported 2 changes."]
    log = json.loads(run("log", "--json").stdout)
    assert [(e["action"], e["step"]) for e in log] == [("done", 1), ("done", 2)]
    mine = json.loads(run("export").stdout)["events"][1]
    assert (mine["machine"], mine["seq"], mine["batch"]) == ("behindbehind", 1, 1)
    assert mine["clock"] == document["events"][0]["clock"] + 1


def _own_export(run: Run, clock: Clock, tmp_path: Path) -> dict[str, Any]:
    run("done", "1")
    clock.tick()
    run("rate", "3", "6")
    clock.tick()
    run("undo")
    exported = tmp_path / "own.json"
    run("export", "-o", str(exported))
    document: dict[str, Any] = json.loads(exported.read_text())
    return document


def _merge(run: Run, tmp_path: Path, document: dict[str, Any]) -> Result:
    path = tmp_path / "again.json"
    path.write_text(json.dumps(document))
    return run("import", "--merge", str(path))


def test_the_same_events_with_their_details_in_another_order_are_the_same_events(
    run: Run, clock: Clock, tmp_path: Path
) -> None:
    document = _own_export(run, clock, tmp_path)
    for exported in document["events"]:
        exported["details"] = dict(reversed(exported["details"].items()))
    result = _merge(run, tmp_path, document)
    assert result.stdout.splitlines() == ["Merged: 0 new changes; 3 you had already."]


def test_an_event_of_the_same_identity_saying_another_value_is_a_clash(
    run: Run, clock: Clock, tmp_path: Path, home: Path
) -> None:
    document = _own_export(run, clock, tmp_path)
    document["events"][1]["details"]["to"] = 7  # the rating, and nothing else, differs
    before = files(home)
    result = _merge(run, tmp_path, document)
    ident = f"{document['events'][1]['machine']}:{document['events'][1]['seq']}"
    assert result.stderr == (
        f"mlpath: {tmp_path / 'again.json'}: event {ident} differs from this store's event of "
        "the same identity: not an export of the same history; nothing imported\n"
    )
    assert files(home) == before


def test_a_version_1_export_of_this_history_merges_as_nothing_new(
    run: Run, clock: Clock, tmp_path: Path
) -> None:
    """Version 1 exports had no identities: the same changes, undo included, are known by
    what they say, and an undo named the change it reverts by its number alone."""
    document = _own_export(run, clock, tmp_path)
    document["version"] = 1
    for exported in document["events"]:
        del exported["machine"], exported["clock"]
        if exported["action"] == "undo":
            exported["details"]["undoes"] = int(exported["details"]["undoes"].split(":")[1])
    result = _merge(run, tmp_path, document)
    assert result.stdout.splitlines() == ["Merged: 0 new changes; 3 you had already."]
    assert len(json.loads(run("log", "--json").stdout)) == 3


@pytest.mark.parametrize("events", ["none", "some"])
def test_a_merge_of_a_state_its_history_does_not_explain_is_refused(
    run: Run, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, events: str
) -> None:
    """A merge adds events; a state in the file that its events do not make would be dropped
    while the merge said it succeeded. It is refused, and nothing is written."""
    bare = a_state_without_its_history(run, clock, tmp_path)
    if events == "some":  # the history explains part of the state, not all of it
        document = json.loads(bare.read_text())
        document["events"] = _own_export(run, clock, tmp_path)["events"][:1]
        bare.write_text(json.dumps(document))
    home = tmp_path / "elsewhere"
    monkeypatch.setenv("MLPATH_HOME", str(home))
    monkeypatch.setattr(layout, "new_machine_id", lambda: "f0f0f0f0f0f0")  # another machine
    run("done", "5")
    before = files(home)
    result = run("import", "--merge", str(bare))
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: {bare} holds progress its own history does not explain (an export written "
        "by hand, or by an mlpath without a history): a merge would drop it; "
        f"`mlpath import {bare}` into an empty store records it as changes; nothing imported\n"
    )
    assert files(home) == before
