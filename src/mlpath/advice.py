"""The flow rule applied to a learner's progress: what `next`, `status` and `open` advise.

Reads the tracker, never changes it; the rule itself is in flow.py.
"""

from __future__ import annotations

from mlpath.catalogue import Resource
from mlpath.flow import Candidate, Suggestion, estimate_skill, suggest
from mlpath.progress import Status
from mlpath.tracker import Tracker

OPEN = (Status.TODO, Status.IN_PROGRESS)
CLOSED_RESOURCE = (Status.DONE, Status.SKIPPED)  # a skipped resource is no longer to do


def candidates(tracker: Tracker) -> list[Candidate]:
    return [
        Candidate(
            rank,
            step.title,
            tracker.challenge(step),
            tracker.status(step) is Status.IN_PROGRESS,
        )
        for rank, step in enumerate(tracker.catalogue.steps, start=1)
        if tracker.status(step) in OPEN
    ]


def skill_of(tracker: Tracker) -> tuple[int, str]:
    """The skill without asking: the learner's rating, else estimated from the steps done."""
    if tracker.path.skill is not None:
        return tracker.path.skill, "rated"
    done = [tracker.challenge(tracker.catalogue.steps[r - 1]) for r in tracker.ranks(Status.DONE)]
    return estimate_skill(done), "estimated"


def at_the_start(tracker: Tracker, source: str) -> bool:
    """No skill given or rated and no step done: mlpath knows nothing of this learner yet."""
    return source == "estimated" and not tracker.ranks(Status.DONE)


def advise(tracker: Tracker, skill: int, source: str) -> Suggestion:
    return suggest(candidates(tracker), skill, start=at_the_start(tracker, source))


def next_resource(tracker: Tracker, rank: int) -> tuple[int, Resource] | None:
    """The first resource of step `rank` not yet done or skipped, with its number K."""
    step = tracker.catalogue.steps[rank - 1]
    for number, resource in enumerate(step.resources, start=1):
        if tracker.resource_status(step, resource.url) not in CLOSED_RESOURCE:
            return number, resource
    return None


def resources_finished(tracker: Tracker, rank: int) -> bool:
    """The step has resources and none is left to do."""
    step = tracker.catalogue.steps[rank - 1]
    return bool(step.resources) and next_resource(tracker, rank) is None
