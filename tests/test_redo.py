"""`mlpath redo`: what an undo took back comes back, exactly as it was, as an event of its own
that a replay reproduces, an export carries and a later undo reverts."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from mlpath.core.progress import StepProgress
from mlpath.plain import Record, fields
from mlpath.store import historyfile, progressfile, record
from tests.conftest import files
from tests.test_record import FakeClock, assert_invariant

Run = Callable[..., Result]


def state(*, times: bool = True) -> dict[str, Any]:
    """The learner's state as mlpath keeps it, but for the time of the last change (which a
    redo, being a change, moves) and for what says nothing (a step a change touched and an
    undo took back keeps an entry with nothing in it). `times=False` leaves out when each
    value was set too: an undo sets an earlier value back as of the undo, so only a redo can
    be held to the times."""
    dropped = {"last_activity"} | (set() if times else {"skill_at", "changed", "rated_at"})
    empty = {k: v for k, v in every_field(StepProgress()).items() if k not in dropped}
    shown: dict[str, Any] = {}
    for name, path in every_field(record.read())["paths"].items():
        steps = {}
        for step, entry in path.pop("steps").items():
            kept = {k: v for k, v in entry.items() if k not in dropped}
            kept["resources"] = {k: v for k, v in kept["resources"].items() if v != "todo"}
            if kept != empty:
                steps[step] = kept
        rest = {k: v for k, v in path.items() if k not in dropped and v is not None}
        if steps or rest:
            shown[name] = {**rest, "steps": steps}
    return shown


def every_field(value: Any) -> Any:
    """A record with every field, as JSON has them (times as text, statuses as words)."""
    if isinstance(value, Record):
        return {name: every_field(item) for name, item in fields(value).items()}
    if isinstance(value, dict):
        return {name: every_field(item) for name, item in value.items()}
    if isinstance(value, list):
        return [every_field(item) for item in value]
    if isinstance(value, datetime):
        return progressfile.json_time(value)
    return str(value) if isinstance(value, str) else value


def commits(home: Path) -> list[set[str]]:
    """The actions of each commit, oldest first."""
    return [{e.action for e in c} for c in historyfile.read(home / "history.jsonl").commits]


@pytest.fixture
def later(run: Run, monkeypatch: pytest.MonkeyPatch) -> Run:
    """`run`, with the clock a minute on before each command: every change has its own time,
    so a redo that put a value back as of the wrong time would show."""
    clock = FakeClock()
    monkeypatch.setattr(record, "clock", clock)

    def invoke(*args: str, input: str | None = None) -> Result:
        clock.now += timedelta(minutes=1)
        result = run(*args, input=input)
        assert result.exit_code == 0, (args, result.output)
        return result

    return invoke


CHANGES = {
    "done": ([], ["done", "3"]),
    "a resource started, which starts its step": ([], ["start", "3.2"]),
    "a resource skipped": ([], ["skip", "3.2"]),
    "reset with its resources": ([["done", "3.1"], ["skip", "3.2"]], ["reset", "3"]),
    "a rating": ([["rate", "3", "2"]], ["rate", "3", "6"]),
    "the skill": ([["skill", "2"]], ["skill", "4"]),
    "a note": ([["note", "3", "first"]], ["note", "3", "second"]),
    "a note edited": ([["note", "3", "first"]], ["note", "3", "--edit", "1", "changed"]),
    "a note deleted": ([["note", "3", "a"], ["note", "3", "b"]], ["note", "3", "--delete", "1"]),
    "a check-in": ([], ["checkin", "3", "--challenge", "6", "--skill", "4", "--minutes", "30"]),
    "several steps": ([], ["done", "1", "2"]),
}


@pytest.mark.parametrize("kind", list(CHANGES))
def test_redo_puts_back_every_kind_of_change_and_undo_takes_it_again(
    later: Run, home: Path, kind: str
) -> None:
    setup, change = CHANGES[kind]
    for command in setup:
        later(*command)
    before = state(times=False)
    later(*change)
    after = state()
    assert state(times=False) != before
    later("undo")
    assert state(times=False) == before
    redone = later("redo")
    assert redone.stdout.startswith("Redone: ")
    assert state() == after
    assert_invariant()
    later("undo")  # undo after redo takes the change back again
    assert state(times=False) == before
    later("redo")
    assert state() == after
    assert commits(home)[-4:] == [{"undo"}, {"redo"}, {"undo"}, {"redo"}]
    nothing = later("redo")
    assert nothing.stdout.count("\n") == 1 and nothing.stdout.startswith("Nothing to redo")
    assert_invariant()


def test_undos_in_a_row_are_redone_in_turn_each_as_a_whole(later: Run) -> None:
    states = [state()]
    for change in (["done", "1", "2"], ["rate", "3", "6"], ["note", "4", "to write"]):
        later(*change)
        states.append(state())
    for _ in range(3):
        later("undo")
    assert state(times=False) == states[0] == {}
    # The last undo took back the first change (both steps): the first redo puts it back.
    assert later("redo").stdout.splitlines() == [
        "Redone: step 1 (Watch ML related videos): todo -> done.",
        "        step 2 (Read about trends and happenings in ML): todo -> done.",
    ]
    assert state() == states[1]
    later("redo")
    assert state() == states[2]
    assert later("redo").stdout == "Redone: noted on step 4 (Write about your ML journey).\n"
    assert state() == states[3]
    assert later("redo").stdout.startswith("Nothing to redo")
    assert state() == states[3]


def test_a_new_change_ends_what_can_be_redone(later: Run, home: Path) -> None:
    later("done", "1")
    later("done", "2")
    later("undo")
    later("undo")
    later("redo")  # step 1 back; step 2's undo could still be redone
    later("start", "5")  # a new change: it can not any more
    history = (home / "history.jsonl").read_bytes()
    result = later("redo")
    assert result.stdout == (
        "Nothing to redo: redo puts back what `mlpath undo` took, until the next change.\n"
    )
    assert (home / "history.jsonl").read_bytes() == history  # nothing written
    later("undo")  # the new change ...
    assert (
        later("redo").stdout == "Redone: step 5 (Start on ML pet projects): todo -> in progress.\n"
    )
    assert later("redo").stdout.startswith("Nothing to redo")  # ... and never step 2's undo
    steps = json.loads(later("list", "--json").stdout)
    assert [s["status"] for s in steps][:5] == ["done", "todo", "todo", "todo", "in_progress"]


def test_a_change_that_did_nothing_does_not_end_it(later: Run) -> None:
    later("done", "1")
    later("undo")
    later("reset", "2")  # already todo: nothing changes, nothing is recorded
    assert later("redo").stdout.startswith("Redone: ")


def test_nothing_to_redo_in_a_new_store_writes_nothing(run: Run, home: Path) -> None:
    result = run("redo")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith("Nothing to redo") and result.stdout.count("\n") == 1
    assert files(home) == {}


def test_an_undo_on_another_path_does_not_count(later: Run, home: Path) -> None:
    example = str(Path(__file__).resolve().parents[1] / "examples" / "team-onboarding.toml")
    later("done", "1")
    later("undo")
    later("--catalogue", example, "done", "1")  # a change, but on another path
    assert later("redo").stdout.startswith("Redone: step 1 ")
    assert later("--catalogue", example, "redo").stdout.startswith("Nothing to redo")


def test_a_redone_rating_counts_as_given_when_it_was_given(later: Run) -> None:
    """A check-in after a rating says more than the rating: a redo must not make the rating
    the newer of the two."""
    later("rate", "3", "8")
    later("checkin", "3", "--challenge", "2", "--skill", "3")
    step = json.loads(later("show", "3", "--json").stdout)
    assert (step["challenge"], step["challenge_source"]) == (2, "checkin")
    later("undo")
    later("undo")
    later("redo")
    later("redo")
    again = json.loads(later("show", "3", "--json").stdout)
    assert (again["challenge"], again["challenge_source"]) == (2, "checkin")


def _from_another_machine(later: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Another machine's export: a rating of step 3 and a note on step 2, made before ours."""
    home = os.environ["MLPATH_HOME"]
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "laptop"))
    later("rate", "3", "4")
    later("note", "2", "from the laptop")
    export = tmp_path / "laptop.json"
    later("export", "-o", str(export))
    monkeypatch.setenv("MLPATH_HOME", home)
    return export


def test_an_undone_import_is_redone_as_a_whole(
    later: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = _from_another_machine(later, tmp_path, monkeypatch)
    later("rate", "3", "3")  # ours, later than the laptop's: it wins in the replay
    later("import", "--merge", str(export))
    merged = state()
    later("undo")
    assert state(times=False)["get-started-in-ml"]["steps"] == {
        "take-ml-courses": {
            "status": "todo",
            "challenge": 3,
            "notes": [],
            "checkins": [],
            "resources": {},
        }
    }
    assert later("redo").stdout.splitlines() == [
        "Redone: rated step 3 (Take ML courses): feels like 3 of 10 to you.",
        "        noted on step 2 (Read about trends and happenings in ML).",
    ]
    assert state() == merged
    assert_invariant()


def test_a_redo_travels_in_an_export_and_replays_the_same(
    later: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    later("done", "3")
    later("note", "3", "worth it")
    later("undo")
    later("undo")
    later("redo")
    shown = state()
    export = tmp_path / "export.json"
    later("export", "-o", str(export))
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "elsewhere"))
    later("import", str(export))
    assert state() == shown
    assert [e["action"] for e in json.loads(later("log", "--json").stdout)][-1] == "redo"
    assert_invariant()
    monkeypatch.setenv("MLPATH_HOME", str(home))
    assert "0 new changes" in later("import", "--merge", str(export)).stdout
    later("redo")  # the note's undo can still be redone here: the merge added nothing
    assert (
        state()["get-started-in-ml"]["steps"]["take-ml-courses"]["notes"][0]["text"] == "worth it"
    )
    assert_invariant()


def test_log_says_what_a_redo_put_back_and_which_undo_it_reverted(later: Run) -> None:
    later("note", "3", "Backprop finally clicked")
    later("undo")
    later("redo")
    rows = later("log").stdout.splitlines()
    assert rows[3].endswith('redid note #1 (undone in #2): "Backprop finally clicked"')
    assert " redo " in rows[3]
    events = json.loads(later("log", "--json").stdout)
    assert events[2]["action"] == "redo" and events[2]["number"] == 3
    assert events[2]["details"]["of"] == "note"
    assert events[2]["details"]["undoes"].endswith(":2")  # the undo's identity


@pytest.mark.parametrize(
    ("details", "words"),
    [
        ({"of": "undo"}, "details.of: should be the action of the change it reverts"),
        ({"of": "redo"}, "details.of: should be the action of the change it reverts"),
        ({"set_at": "yesterday"}, "details.set_at: should be a time with its offset"),
        ({"to": "finished"}, "details.to: should be one of todo, in_progress, done, skipped"),
        ({"undoes": "nothing"}, "details.undoes: should name the event it reverts"),
        ({"colour": "red"}, "details.colour: not a field of a 'done' event"),
    ],
)
def test_an_import_with_a_bad_redo_is_refused_whole(
    later: Run, run: Run, home: Path, tmp_path: Path, details: dict[str, Any], words: str
) -> None:
    later("done", "3")
    later("undo")
    later("redo")
    export = tmp_path / "export.json"
    later("export", "-o", str(export))
    document = json.loads(export.read_text())
    redo = document["events"][2]
    assert redo["action"] == "redo"
    redo["details"] = {**redo["details"], **details}
    export.write_text(json.dumps(document))
    before = files(home)
    result = run("import", "--merge", str(export))
    assert result.exit_code == 1 and words in result.stderr
    assert result.stderr.count("\n") == 1
    assert files(home) == before


def test_an_undo_that_arrives_in_an_import_is_a_new_change_not_one_to_redo(
    later: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop = tmp_path / "laptop"
    export = tmp_path / "laptop.json"
    monkeypatch.setenv("MLPATH_HOME", str(laptop))
    later("done", "3")
    later("export", "-o", str(export))
    monkeypatch.setenv("MLPATH_HOME", str(home))
    later("import", "--merge", str(export))
    monkeypatch.setenv("MLPATH_HOME", str(laptop))
    later("undo")
    later("export", "--force", "-o", str(export))
    monkeypatch.setenv("MLPATH_HOME", str(home))
    later("import", "--merge", str(export))  # one commit: the laptop's undo, and nothing else
    assert later("redo").stdout.startswith("Nothing to redo")
    assert [s["status"] for s in json.loads(later("list", "--json").stdout)][2] == "todo"


def test_when_two_machines_undo_the_same_change_the_last_word_on_it_decides(
    later: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The laptop's check-in arrives here and is undone here; on the laptop it is undone and
    redone later. After the next merge the replay shows it (the redo came last), and what
    stands must say so too: the check-in counts for the learned skill, the calendar and
    every view built on the changes that stand (found by test_record_properties)."""
    laptop = tmp_path / "laptop"
    export = tmp_path / "laptop.json"
    monkeypatch.setenv("MLPATH_HOME", str(laptop))
    later("checkin", "2", "--challenge", "7", "--skill", "4")
    later("export", "-o", str(export))
    monkeypatch.setenv("MLPATH_HOME", str(home))
    later("import", "--merge", str(export))
    later("undo")  # the import: the check-in is gone here
    monkeypatch.setenv("MLPATH_HOME", str(laptop))
    later("undo")
    later("redo")  # and back on the laptop, after the undo here
    later("export", "--force", "-o", str(export))
    monkeypatch.setenv("MLPATH_HOME", str(home))
    later("import", "--merge", str(export))
    checkins = state()["get-started-in-ml"]["steps"]["read-about-ml"]["checkins"]
    assert [(c["challenge"], c["skill"]) for c in checkins] == [(7, 4)]
    assert_invariant()  # which holds the check-ins shown to those that stand


def test_log_reads_on_past_a_redo(later: Run, run: Run) -> None:
    """Finding the change a redo put back reads the history a second time while the log
    walks it: the walk must go on where it was (it once read the next line from the wrong
    place, and the log ended with 'damaged at line 6: not JSON')."""
    later("done", "3")
    later("note", "3", "worth it")
    later("undo")
    later("undo")
    later("redo")
    later("redo")
    later("done", "1")
    result = run("log")
    assert result.exit_code == 0, result.stderr
    changes = [row.split("  ")[-1].strip() for row in result.stdout.splitlines()[1:]]
    assert changes[4:] == [
        "redid done #1 (undone in #4): todo -> done",
        'redid note #2 (undone in #3): "worth it"',
        "todo -> done",
    ]


def test_a_redone_check_in_says_its_figures_as_the_check_in_did(run: Run) -> None:
    """The line of a redo is the line of the change it puts back, minutes and all."""
    args = ("checkin", "3", "--challenge", "6", "--skill", "4", "--minutes", "30")
    said = run(*args).stdout.splitlines()[0]
    assert said == "Checked in on step 3 (Take ML courses): challenge 6, skill 4, 30 minutes."
    assert run("undo").stdout.splitlines() == [
        "Undone: removed the check-in on step 3 (Take ML courses)."
    ]
    assert run("redo").stdout.splitlines()[0] == f"Redone: c{said[1:]}"
