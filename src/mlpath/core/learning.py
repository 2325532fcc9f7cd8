"""What mlpath learns from check-ins: the learner's skill, and how each step feels. Pure.

No I/O and no clock: the figures depend only on the state (the replay of the history), so
every session, and every replay, gets the same ones.

- Skill: a weighted mean of the skill reports (the skill given in check-ins, and the
  learner's own `mlpath skill` rating as one more report at the time it was given), each
  report weighing DECAY times as much as the next newer one. With no cut-off, a new report
  always moves the figure toward itself; the last RECENT reports carry nine tenths of the
  weight, so the figure is said to rest on them.
- A step checked in on feels as its check-ins say (the same weighted mean of their
  challenges), unless the learner rated it (`mlpath rate`) after the last of them.
- A step not checked in on is predicted: its catalogue challenge moved by how much harder
  (or easier) the steps checked in on felt than the catalogue says, on average, shrunk
  toward the catalogue's value while there are few check-ins (weight n / (n + PRIOR)).

Figures are kept to one decimal, as they are shown, so that what is shown is what decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple

Source = Literal["catalogue", "rated", "checkin", "predicted"]

RECENT = 5  # the reports that carry most of the weight (1 - DECAY**5 is over nine tenths)
DECAY = 0.6  # the weight of a report relative to the next newer one
PRIOR = 3  # check-ins it takes for the predicted shift to count half


class Felt(NamedTuple):
    """What the learner said of a step: its catalogue challenge, their rating (and when),
    and their check-ins as (time, challenge) oldest first."""

    catalogue: int
    rated: int | None
    rated_at: datetime | None
    checkins: Sequence[tuple[datetime, int]]


class Skill(NamedTuple):
    value: float
    checkins: int  # how many of the last reports (the ones that weigh most) are check-ins
    rated: bool = False  # whether the learner's own rating is among its reports


def _tenth(value: float) -> float:
    return min(10.0, max(1.0, round(value, 1)))


def recent_mean(values: Sequence[int]) -> float:
    """The weighted mean of `values` (oldest first), the newest weighing most."""
    weights = [DECAY**age for age in range(len(values) - 1, -1, -1)]
    return _tenth(sum(w * v for w, v in zip(weights, values, strict=True)) / sum(weights))


def skill(
    rated: int | None, rated_at: datetime | None, checkins: Sequence[tuple[datetime, int]]
) -> Skill | None:
    """The skill from check-ins (time, skill) and the rating; None when there is neither.

    A rating with no time (from before check-ins existed) counts as the oldest report."""
    reports: list[tuple[datetime | None, int, int]] = [(at, 1, v) for at, v in checkins]
    if rated is not None:
        reports.append((rated_at, 0, rated))
    if not reports:
        return None
    reports.sort(key=lambda r: (r[0] is not None, r[0] or datetime.min, r[1]))
    value = recent_mean([value for _, _, value in reports])
    return Skill(value, sum(kind for _, kind, _ in reports[-RECENT:]), rated is not None)


def _own(step: Felt) -> tuple[float, Source] | None:
    """What the learner said of this step themselves: the newer of a rating and check-ins."""
    if step.checkins:
        last = step.checkins[-1][0]
        if step.rated is not None and step.rated_at is not None and step.rated_at > last:
            return float(step.rated), "rated"
        return recent_mean([value for _, value in step.checkins]), "checkin"
    if step.rated is not None:
        return float(step.rated), "rated"
    return None


def challenges(steps: Sequence[Felt]) -> list[tuple[float, Source]]:
    """How each step feels to this learner, and what that rests on."""
    shifts = [
        recent_mean([v for _, v in step.checkins]) - step.catalogue
        for step in steps
        if step.checkins
    ]
    count = sum(len(step.checkins) for step in steps)
    shift = sum(shifts) / len(shifts) * count / (count + PRIOR) if shifts else 0.0
    felt: list[tuple[float, Source]] = []
    for step in steps:
        own = _own(step)
        if own is not None:
            felt.append(own)
        elif shifts:
            felt.append((_tenth(step.catalogue + shift), "predicted"))
        else:
            felt.append((float(step.catalogue), "catalogue"))
    return felt
