"""What the Reader draws from a state: the learned skill and the check-ins in their order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mlpath import catalogue
from mlpath.core.learning import recent_mean
from mlpath.core.progress import Progress
from mlpath.core.tracker import Tracker

CAT = catalogue.load(catalogue.bundled_path())
T = datetime(2026, 5, 1, tzinfo=UTC)


def test_a_rating_newer_than_the_checkins_counts_as_the_newest_report() -> None:
    tracker = Tracker(CAT, Progress())
    tracker.checkin(2, 5, 9, None, T)
    tracker.checkin(3, 5, 9, None, T + timedelta(days=1))
    tracker.set_skill(2, T + timedelta(days=2))
    learned = tracker.learned_skill()
    assert learned is not None
    assert learned.value == recent_mean([9, 9, 2]) != recent_mean([2, 9, 9])


def test_checkins_at_one_moment_come_in_the_order_of_their_steps() -> None:
    tracker = Tracker(CAT, Progress())
    for rank in (5, 1, 3):
        tracker.checkin(rank, 4, 4, None, T)
    tracker.checkin(2, 4, 4, None, T - timedelta(hours=1))
    assert [rank for rank, _ in tracker.checkins()] == [2, 1, 3, 5]
