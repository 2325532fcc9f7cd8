"""The learner's skill over time: the figure mlpath had learned after each report. Pure.

A report is a skill rating (`mlpath skill`), a check-in, or the undo of either. The history
is replayed one event at a time (history.apply, as the state is made), and after each
report on the path the learned skill of the state so far is read (Tracker.learned_skill),
so every point is what `next` and `map` used at that moment, and the last point is the
skill they use now.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from mlpath.catalogue import Catalogue
from mlpath.core.history import Event, apply, ordered
from mlpath.core.progress import Progress
from mlpath.core.tracker import Tracker

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple

Kind = Literal["rating", "checkin", "undo"]
REPORTS = frozenset({"skill", "checkin"})


class Point(NamedTuple):
    at: datetime
    skill: float | None  # None: neither a rating nor a check-in stands (an undo took it)
    kind: Kind


def _kind(event: Event) -> Kind | None:
    if event.action in REPORTS:
        return "rating" if event.action == "skill" else "checkin"
    if event.action == "undo" and event.details.get("of") in REPORTS:
        return "undo"
    return None


def skill_over_time(
    events: Sequence[Event], catalogue: Catalogue, newest: int
) -> tuple[list[Point], int]:
    """The learned skill after each of the `newest` last reports on `catalogue`'s path,
    oldest first (every event is still applied, so they are exact), and how many reports
    there are in all."""
    history = [event for event in ordered(events) if event.catalogue == catalogue.id]
    reports = [(i, kind) for i, event in enumerate(history) if (kind := _kind(event)) is not None]
    wanted = dict(reports[-newest:]) if newest > 0 else {}
    progress = Progress()
    points = []
    for i, event in enumerate(history):
        apply(progress, event)
        if i in wanted:
            learned = Tracker(catalogue, progress).learned_skill()
            points.append(Point(event.at, learned.value if learned else None, wanted[i]))
    return points, len(reports)
