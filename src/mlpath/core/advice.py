"""The flow rule applied to a learner's progress: what `next`, `status` and `open` advise.

Reads the tracker, never changes it; the rule itself is in flow.py.
"""

from __future__ import annotations

from enum import StrEnum

from mlpath.catalogue import Resource
from mlpath.core import basis as basis_
from mlpath.core.flow import Candidate, Suggestion, suggest
from mlpath.core.progress import Status
from mlpath.core.tracker import Tracker


class SkillSource(StrEnum):
    """Where the skill figure comes from; its value is the word `--json` prints."""

    OPTION = "option"  # --skill
    RATED = "rated"  # the learner's own rating, no check-ins yet
    CHECKINS = "checkins"  # learned from check-ins (and the rating, if any)
    ESTIMATED = "estimated"  # from the hardest step done, or the start of the path

    @property
    def words(self) -> str:
        """What the figure rests on, for every source but check-ins (see `basis`)."""
        return basis_.WORDS.get(self.value, self.value)


def candidates(tracker: Tracker) -> list[Candidate]:
    return [
        Candidate(
            rank,
            step.title,
            tracker.challenge(step),
            tracker.status(step) is Status.IN_PROGRESS,
        )
        for rank, step in enumerate(tracker.catalogue.steps, start=1)
        if tracker.status(step).is_open
    ]


def skill_of(tracker: Tracker) -> tuple[float, SkillSource]:
    """The skill without asking: learned from the learner's rating and check-ins
    (learning.py), else estimated from the steps done (basis.py, the one rule)."""
    steps = tracker.catalogue.steps
    done = (tracker.challenge(steps[r - 1]) for r in tracker.ranks(Status.DONE))
    value, source = basis_.unasked(tracker.learned_skill(), done)
    return value, SkillSource(source)


def at_the_start(tracker: Tracker, source: str) -> bool:
    """No skill given or rated and no step done: mlpath knows nothing of this learner yet."""
    return basis_.at_the_start(source, bool(tracker.ranks(Status.DONE)))


def basis(tracker: Tracker, source: str) -> str:
    """What the skill figure rests on, in words: 'from your last 3 check-ins'."""
    learned = tracker.learned_skill() if source == SkillSource.CHECKINS else None
    return basis_.words(source, learned)


def advise(tracker: Tracker, skill: float, source: str) -> Suggestion:
    return suggest(candidates(tracker), skill, start=at_the_start(tracker, source))


def next_resource(tracker: Tracker, rank: int) -> tuple[int, Resource] | None:
    """The first resource of step `rank` not yet done or skipped, with its number K."""
    step = tracker.catalogue.steps[rank - 1]
    for number, resource in enumerate(step.resources, start=1):
        if tracker.resource_status(step, resource.url).is_open:
            return number, resource
    return None


def resources_finished(tracker: Tracker, rank: int) -> bool:
    """The step has resources and none is left to do."""
    step = tracker.catalogue.steps[rank - 1]
    return bool(step.resources) and next_resource(tracker, rank) is None
