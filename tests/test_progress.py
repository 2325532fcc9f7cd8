"""Operations on progress: pure, so tested with no files and a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mlpath import catalogue
from mlpath.core.history import Event
from mlpath.core.progress import Origin, Progress, Status
from mlpath.core.reverting import undoable
from mlpath.core.tracker import Tracker
from mlpath.errors import UsageError

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def tracker() -> Tracker:
    return Tracker(catalogue.load(catalogue.bundled_path()), Progress(), Origin("here", 0, 0))


def commit(tracker: Tracker, commits: list[list[Event]] | None = None) -> list[Event]:
    """What the store does: move the pending events into history, as one commit."""
    events = list(tracker.events)
    if events:
        last = events[-1]
        tracker.origin = Origin(last.machine, last.seq, last.clock)
        if commits is not None:
            commits.append(events)
    tracker.events.clear()
    return events


def newest_first(commits: list[list[Event]]) -> list[list[Event]]:
    return list(reversed(commits))


def test_fresh_progress_is_all_todo(tracker: Tracker) -> None:
    assert tracker.ranks(Status.TODO) == list(range(1, 8))
    assert tracker.path.skill is None and list(tracker.events) == []
    assert tracker.progress.paths == {}  # reading does not create entries


def test_mark_records_one_event_with_from_and_to(tracker: Tracker) -> None:
    outcome = tracker.mark(3, Status.DONE, T0)
    assert outcome.changed and (outcome.before, outcome.after) == (Status.TODO, Status.DONE)
    [event] = tracker.events
    assert (event.seq, event.batch, event.action, event.step) == (1, 1, "done", "take-ml-courses")
    assert event.details == {"from": "todo", "to": "done"} and event.at == T0
    entry = tracker.path.steps["take-ml-courses"]
    assert entry.status is Status.DONE and entry.changed == T0
    assert tracker.path.last_activity == T0


def test_no_op_records_nothing(tracker: Tracker) -> None:
    tracker.mark(3, Status.DONE, T0)
    commit(tracker)
    outcome = tracker.mark(3, Status.DONE, T0 + timedelta(hours=1))
    assert not outcome.changed and list(tracker.events) == []
    assert tracker.path.steps["take-ml-courses"].changed == T0
    assert tracker.set_skill(4, T0).changed  # the first rating is a change
    commit(tracker)
    assert not tracker.set_skill(4, T0).changed and list(tracker.events) == []


def test_one_command_is_one_batch(tracker: Tracker) -> None:
    tracker.mark(1, Status.DONE, T0)
    commit(tracker)
    tracker.mark(2, Status.DONE, T0)
    tracker.mark(3, Status.DONE, T0)
    assert [(e.seq, e.batch) for e in tracker.events] == [(2, 2), (3, 2)]


def test_out_of_range_raises_usage_error(tracker: Tracker) -> None:
    with pytest.raises(UsageError, match="no step 8: steps are 1-7"):
        tracker.mark(8, Status.DONE, T0)
    with pytest.raises(UsageError):
        tracker.rate(0, 5, T0)


def test_rating_overrides_catalogue_challenge(tracker: Tracker) -> None:
    step = tracker.catalogue.steps[4]
    assert tracker.challenge(step) == 7
    tracker.rate(5, 3, T0)
    assert tracker.challenge(step) == 3 and tracker.rating(step) == 3


def test_undo_walks_back_through_batches(tracker: Tracker) -> None:
    commits: list[list[Event]] = []

    def everything() -> list[Event]:
        return [event for commit in commits for event in commit]

    tracker.mark(1, Status.DONE, T0)
    commit(tracker, commits)
    tracker.mark(2, Status.DONE, T0)
    tracker.mark(3, Status.IN_PROGRESS, T0)
    commit(tracker, commits)

    outcomes = tracker.undo(newest_first(commits), T0, everything)
    assert [(o.rank, o.after) for o in outcomes] == [(3, "todo"), (2, "todo")]
    commit(tracker, commits)
    assert tracker.ranks(Status.DONE) == [1]

    tracker.undo(newest_first(commits), T0, everything)
    commit(tracker, commits)
    assert tracker.ranks(Status.DONE) == []
    assert tracker.undo(newest_first(commits), T0, everything) == [] and list(tracker.events) == []


def test_undo_ignores_other_paths(tracker: Tracker) -> None:
    tracker.mark(1, Status.DONE, T0)
    history = commit(tracker)
    other = history[0].replace(catalogue="someone-elses", seq=2, batch=2)
    left, exact = undoable([[other], history], "get-started-in-ml", "here")
    assert (list(left), exact) == (history, True)
    left, exact = undoable([[other]], "get-started-in-ml", "here")
    assert (list(left), exact) == ([], True)


def test_a_clock_that_goes_back_still_orders_after_the_last_event(tracker: Tracker) -> None:
    tracker.mark(1, Status.DONE, T0)
    commit(tracker)
    tracker.mark(2, Status.DONE, T0 - timedelta(days=3))
    [event] = tracker.events
    assert event.at == T0 - timedelta(days=3)  # shown as it was
    assert event.clock == int(T0.timestamp() * 1000) + 1  # ordered after the first
