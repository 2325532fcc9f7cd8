"""Edges of the Tracker (core/tracker.py) that mutation testing found no test for
(docs/mutation.md): what each change reports, what a reconciled state records as it was,
and what taking in another store's events leaves behind. Pure: no files, a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mlpath import catalogue
from mlpath.core.history import Event
from mlpath.core.outcome import Outcome
from mlpath.core.progress import (
    CheckIn,
    Origin,
    PathProgress,
    Progress,
    Status,
    StepProgress,
)
from mlpath.core.tracker import Tracker

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CAT = catalogue.load(catalogue.bundled_path())
STEP = CAT.step(3)


def tracker() -> Tracker:
    return Tracker(CAT, Progress(), Origin("here", 0, 0))


def test_a_note_a_check_in_and_a_changed_rating_each_report_a_change() -> None:
    now = tracker()
    assert now.rate(3, 4, AT) == Outcome("rating", 3, STEP.title, None, 4, True)
    assert now.rate(3, 6, AT) == Outcome("rating", 3, STEP.title, 4, 6, True)
    assert now.rate(3, 6, AT) == Outcome("rating", 3, STEP.title, 6, 6, False)
    assert now.note(3, " learned ", AT) == Outcome("note", 3, STEP.title, None, "learned", True)
    said = {"challenge": 5, "skill": 4}
    assert now.checkin(3, 5, 4, None, AT) == Outcome("checkin", 3, STEP.title, None, said, True)


def state(entry: StepProgress) -> Progress:
    return Progress(paths={CAT.id: PathProgress(steps={STEP.id: entry})})


def test_a_reconciled_state_records_what_each_value_was_before() -> None:
    # The step is begun and rated 4 here; the state to reach rates it 6 and has its first
    # resource done. The events say "from 4" and "from todo": an undo puts those back.
    now = Tracker(CAT, state(StepProgress(status=Status.IN_PROGRESS, challenge=4)), Origin())
    url = STEP.resources[0].url
    target = StepProgress(status=Status.IN_PROGRESS, challenge=6, resources={url: Status.DONE})
    now.reconcile(state(target), AT)
    said = [(e.action, e.details) for e in now.events]
    assert said == [
        ("rate", {"from": 4, "to": 6}),
        ("done", {"resource": url, "from": "todo", "to": "done"}),
    ]


def skill_event(seq: int) -> Event:
    return Event("there", seq, seq, seq * 10, AT, CAT.id, "skill", None, {"to": 3})


def test_events_taken_in_twice_are_all_kept_for_the_commit() -> None:
    now = tracker()
    first, second = [skill_event(1)], [skill_event(2), skill_event(3)]
    now.absorb(first, Progress())
    now.absorb(second, Progress())
    assert [e.seq for e in now.merged] == [1, 2, 3]


def test_the_felt_challenge_is_read_again_from_the_state_taken_in() -> None:
    # A check-in in the merged state says step 3 felt like 9: read before the merge, the
    # challenge was the catalogue's; read after it, it is what the check-in taught.
    now = tracker()
    before = now.challenge(STEP)
    checks = [CheckIn(at=AT + timedelta(minutes=n), challenge=9, skill=4) for n in range(3)]
    now.absorb([skill_event(1)], state(StepProgress(checkins=checks)))
    assert now.challenge_source(STEP) == "checkin"
    assert now.challenge(STEP) != before


def test_an_undo_on_another_path_leaves_this_paths_changes_standing() -> None:
    # An undo recorded on another catalogue that names a change on this one (a hostile or
    # confused history) reverts nothing here: a path's undos are its own, as in standing().
    from mlpath.core.history import replay
    from mlpath.core.members import Members, replay_without, standing

    ours = Event("m", 1, 1, 10, AT, CAT.id, "skill", None, {"to": 3})
    undo = {"undoes": "m:1", "of": "skill", "from": 3, "to": None}
    theirs = Event("m", 2, 2, 20, AT, "another-path", "undo", None, undo)
    events = [ours, theirs]
    kept = replay_without(lambda: events, Members(), CAT.id)
    assert kept == replay(standing(events, CAT.id))
    assert kept.paths[CAT.id].skill == 3
