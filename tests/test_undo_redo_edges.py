"""Edges of undo and redo (core/reverting.py) that mutation testing found no test for
(docs/mutation.md): the value a redo puts back and when it counts as set, what it reads to
find them, and the value an undo of another store's change sets back. Pure: no files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from mlpath import catalogue
from mlpath.core.history import Event, replay
from mlpath.core.outcome import Outcome
from mlpath.core.progress import Origin, Status
from mlpath.core.tracker import Tracker
from tests.test_progress import commit, newest_first

T = [datetime(2026, 11, 2, 9, 0, tzinfo=UTC) + timedelta(minutes=n) for n in range(8)]
CAT = catalogue.load(catalogue.bundled_path())
STEP3 = CAT.step(3)


class History:
    """The commits of a store, oldest first, and the whole history streamed from them."""

    def __init__(self) -> None:
        self.commits: list[list[Event]] = []
        self.streamed = 0

    def everything(self) -> list[Event]:
        self.streamed += 1
        return [e for events in self.commits for e in events]

    def newest_first(self) -> list[list[Event]]:
        return newest_first(self.commits)

    def tracker(self, machine: str) -> Tracker:
        """A tracker of `machine` on the state the history replays to."""
        events = [e for events in self.commits for e in events]
        own = max((e.seq for e in events if e.machine == machine), default=0)
        clock = max((e.clock for e in events), default=0)
        return Tracker(CAT, replay(events), Origin(machine, own, clock))


def test_a_redo_after_this_stores_own_changes_reads_no_more_history_than_it_must() -> None:
    # Steps 1 and 2 done as one change, step 2 then skipped; both undone, newest first. The
    # redo of the second undo puts steps 1 and 2 back as they were just before it: step 1 as
    # of when it was done, step 2 as of the undo that set it back to done. This store's own
    # commits tell both, so the history is not replayed to find them.
    history = History()
    here = history.tracker("here")
    here.mark(1, Status.DONE, T[1])
    here.mark(2, Status.DONE, T[1])
    commit(here, history.commits)
    here.mark(2, Status.SKIPPED, T[2])
    commit(here, history.commits)
    for n in (3, 4):
        here.undo(history.newest_first(), T[n], history.everything)
        commit(here, history.commits)
    assert [here.status(CAT.step(n)) for n in (1, 2)] == [Status.TODO, Status.TODO]
    history.streamed = 0
    outcomes = here.redo(history.newest_first(), T[5], history.everything)
    commit(here, history.commits)
    assert history.streamed == 0
    assert [(o.rank, o.before, o.after) for o in outcomes] == [
        (1, "todo", "done"),
        (2, "todo", "done"),
    ]
    steps = here.path.steps
    assert steps[CAT.step(1).id].changed == T[1]
    assert steps[CAT.step(2).id].changed == T[3]
    assert replay(history.everything()) == here.progress


def test_a_redo_looks_past_another_paths_change_for_the_value_it_puts_back() -> None:
    history = History()
    here = history.tracker("here")
    here.set_skill(4, T[1])
    commit(here, history.commits)
    seq, clock = here.origin.seq + 1, here.origin.clock + 1
    other = Event("here", seq, seq, clock, T[2], "another-path", "skill", None, {"to": 7})
    history.commits.append([other])
    here = history.tracker("here")
    here.undo(history.newest_first(), T[3], history.everything)
    commit(here, history.commits)
    assert here.path.skill is None
    [outcome] = here.redo(history.newest_first(), T[4], history.everything)
    assert (outcome.before, outcome.after) == (None, 4)
    redone = here.path
    assert (redone.skill, redone.skill_at) == (4, T[1])


def test_a_redo_given_no_history_replays_the_commits_before_its_undo() -> None:
    # The skill was set by another store; this store rated step 3, then undid both. Redoing
    # the undo of the skill needs a replay (another store's commit is in the way), and with
    # no history streamed it replays the commits it has walked and those before them.
    history = History()
    there = history.tracker("there")
    there.set_skill(3, T[1])
    commit(there, history.commits)
    here = history.tracker("here")
    here.rate(3, 6, T[2])
    commit(here, history.commits)
    for n in (3, 4):
        here.undo(history.newest_first(), T[n], history.everything)
        commit(here, history.commits)
    assert (here.path.skill, here.rating(STEP3)) == (None, None)
    [outcome] = here.redo(history.newest_first(), T[5])
    assert (outcome.what, outcome.before, outcome.after) == ("skill", None, 3)
    assert (here.path.skill, here.path.skill_at) == (3, T[1])


def test_undoing_another_stores_resource_sets_it_back_to_todo() -> None:
    # Step 3 is begun here (its first resource done); another store starts its second
    # resource. Undoing that replays the history without it, where step 3 is known and its
    # second resource is not: it is todo.
    history = History()
    here = history.tracker("here")
    here.mark_resource(3, 1, Status.DONE, T[1])
    commit(here, history.commits)
    there = history.tracker("there")
    there.mark_resource(3, 2, Status.IN_PROGRESS, T[2])
    commit(there, history.commits)
    here = history.tracker("here")
    [outcome] = here.undo(history.newest_first(), T[3], history.everything)
    url = STEP3.resources[1].url
    assert (outcome.what, outcome.before, outcome.after) == ("resource", "in_progress", "todo")
    assert here.resource_status(STEP3, url) is Status.TODO
    assert here.status(STEP3) is Status.IN_PROGRESS


@pytest.mark.parametrize("first", [2, None])
def test_a_redone_rating_is_told_from_the_rating_the_undo_left(first: int | None) -> None:
    history = History()
    here = history.tracker("here")
    if first is not None:
        here.rate(3, first, T[1])
        commit(here, history.commits)
    here.rate(3, 6, T[2])
    commit(here, history.commits)
    here.undo(history.newest_first(), T[3], history.everything)
    commit(here, history.commits)
    [outcome] = here.redo(history.newest_first(), T[4], history.everything)
    assert outcome == Outcome("rating", 3, STEP3.title, first, 6, True)


def test_a_redone_resource_says_no_time_as_a_resource_keeps_none() -> None:
    # A status, a rating and the skill are put back as of when they were set (set_at); a
    # resource's status has no time of its own, so its redo claims none.
    history = History()
    here = history.tracker("here")
    here.mark_resource(3, 2, Status.SKIPPED, T[1])
    commit(here, history.commits)
    here.undo(history.newest_first(), T[2], history.everything)
    commit(here, history.commits)
    here.redo(history.newest_first(), T[3], history.everything)
    [redo] = commit(here, history.commits)
    assert redo.details == {
        "undoes": history.commits[1][0].id,
        "of": "skip",
        "resource": STEP3.resources[1].url,
        "from": "todo",
        "to": "skipped",
    }
    assert here.resource_status(STEP3, STEP3.resources[1].url) is Status.SKIPPED


def test_a_redo_that_needs_the_history_streams_it_rather_than_reading_every_commit() -> None:
    # Another store's commit sits before the undo: the values before it need a replay. With
    # the history streamed, the commits before that one are not read (nor held).
    history = History()
    here = history.tracker("here")
    for rank in (1, 2):
        here.mark(rank, Status.DONE, T[rank])
        commit(here, history.commits)
    there = history.tracker("there")
    there.set_skill(3, T[3])
    commit(there, history.commits)
    here = history.tracker("here")
    here.undo(history.newest_first(), T[4], history.everything)
    commit(here, history.commits)
    read: list[int] = []
    history.streamed = 0

    def newest_first() -> Iterator[list[Event]]:
        for n, events in reversed(list(enumerate(history.commits))):
            read.append(n)
            yield events

    [outcome] = here.redo(newest_first(), T[5], history.everything)
    assert (outcome.what, outcome.after, here.path.skill) == ("skill", 3, 3)
    assert read == [3, 2]  # the undo, and the other store's commit before it
    assert history.streamed == 1


def test_an_undo_given_the_reversals_streams_the_history_once() -> None:
    # Undoing another store's change replays the history without it: the undos and redos
    # in it come from `reversals` when it is given, and the whole history is streamed once
    # (twice without it: once for them, once for the replay).
    history = History()
    there = history.tracker("there")
    there.mark_resource(3, 2, Status.IN_PROGRESS, T[1])
    commit(there, history.commits)
    asked: list[int] = []

    def reversals() -> list[Event]:  # this history has none
        asked.append(1)
        return []

    history.streamed = 0
    history.tracker("here").undo(history.newest_first(), T[2], history.everything, reversals)
    assert (asked, history.streamed) == ([1], 1)
    history.streamed = 0
    history.tracker("here").undo(history.newest_first(), T[2], history.everything)
    assert history.streamed == 2
