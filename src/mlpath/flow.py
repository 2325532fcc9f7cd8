"""The flow rule: which step keeps this learner stretched but not overwhelmed.

After Csikszentmihalyi's flow channel, as the seed puts it: the right balance between the
perceived challenge of a task and one's perceived skill. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

Zone = Literal["flow", "anxiety", "boredom"]

STRETCH = 2  # how far above the learner's skill a step may be and still be flow


def zone(skill: int, challenge: int) -> Zone:
    gap = challenge - skill
    if gap < 0:
        return "boredom"
    if gap > STRETCH:
        return "anxiety"
    return "flow"


def estimate_skill(done_challenges: Iterable[int]) -> int:
    """With no rating: the hardest step the learner has finished, or 1 when none is done."""
    return max(done_challenges, default=1)


class Candidate(NamedTuple):
    rank: int
    title: str
    challenge: int
    in_progress: bool


class Suggestion(NamedTuple):
    step: Candidate | None
    skill: int
    zone: Zone | None
    reason: str


def _key(candidate: Candidate, skill: int) -> tuple[bool, int, bool, int]:
    gap = candidate.challenge - skill
    return (
        zone(skill, candidate.challenge) != "flow",
        abs(gap),
        not candidate.in_progress,
        candidate.rank,
    )


def suggest(candidates: Sequence[Candidate], skill: int) -> Suggestion:
    """The best-balanced open step: in flow first, then the nearest, then one already begun,
    then the lower rank."""
    if not candidates:
        return Suggestion(None, skill, None, "Every step is done or skipped: the path is complete.")
    best = min(candidates, key=lambda candidate: _key(candidate, skill))
    where = zone(skill, best.challenge)
    return Suggestion(best, skill, where, reason(best, skill))


def reason(step: Candidate, skill: int) -> str:
    gap = step.challenge - skill
    figures = f"challenge {step.challenge}, your skill {skill}"
    where = zone(skill, step.challenge)
    if where == "flow":
        begun = "You have already begun it, and it" if step.in_progress else "It"
        if gap == 0:
            return (
                f"{begun} matches your skill ({figures}): a balanced challenge keeps you in flow."
            )
        return (
            f"{begun} stretches you by {gap} ({figures}): hard enough to grow, "
            "not so hard that it overwhelms."
        )
    channel = f"challenge {skill}-{min(skill + STRETCH, 10)}"
    if where == "anxiety":
        return (
            f"No open step sits in your flow channel ({channel}); the nearest is above it "
            f"({figures}). Build up first: take it in small pieces and lean on its resources."
        )
    return (
        f"No open step sits in your flow channel ({channel}); the nearest is below it "
        f"({figures}), so it may bore you. If you know it already, "
        f"`mlpath skip {step.rank}` moves you on."
    )
