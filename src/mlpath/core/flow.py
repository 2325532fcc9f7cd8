"""The flow rule: which step keeps this learner stretched but not overwhelmed.

After Csikszentmihalyi's flow channel, as the seed puts it: the right balance between the
perceived challenge of a task and one's perceived skill. Within the channel the best step is
a little above the skill, a stretch of TARGET: enjoyment and learning peak where the
challenge slightly exceeds the skill (Abuhamdeh & Csikszentmihalyi 2012; Wilson et al. 2019).
Pure functions, no I/O.
"""

from __future__ import annotations

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Literal, NamedTuple

    Zone = Literal["flow", "anxiety", "boredom"]
else:
    from mlpath.plain import NamedTuple

STRETCH = 2  # how far above the learner's skill a step may be and still be flow
TARGET = 1  # the stretch aimed at within the channel
TOP = 10  # the scale's top: no challenge is above it


def channel(skill: float) -> tuple[float, float]:
    """The challenges that are flow for this skill: from the skill to STRETCH above it."""
    return skill, min(skill + STRETCH, TOP)


def gap_of(skill: float, challenge: float) -> float:
    """challenge - skill, to the tenth the figures have (4.6 - 3.6 is 1.0, not 0.99...)."""
    return round(challenge - skill, 1)


def zone(skill: float, challenge: float) -> Zone:
    return zone_of(gap_of(skill, challenge))


def zone_of(gap: float) -> Zone:
    """The zone of a step `gap` (gap_of) above the skill. No challenge is above TOP, so
    above skill + STRETCH is above the channel's top."""
    if gap < 0:
        return "boredom"
    if gap > STRETCH:
        return "anxiety"
    return "flow"


def figure(value: float) -> str:
    """A skill or challenge as shown: whole numbers plain, others to one decimal."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def channel_text(skill: float) -> str:
    """'challenge 3-5'; at the top of the scale 'challenge 10', never '10-10'."""
    low, high = channel(skill)
    if figure(low) == figure(high):
        return f"challenge {figure(low)}"
    return f"challenge {figure(low)}-{figure(high)}"


def estimate_skill(done_challenges: Iterable[float]) -> float:
    """With no rating: the hardest step the learner has finished, or 1 when none is done."""
    return max(done_challenges, default=1)


class Candidate(NamedTuple):
    rank: int
    title: str
    challenge: float
    in_progress: bool


class Placed(NamedTuple):
    """An open step in the ranking, with the terms that decided its place."""

    step: Candidate
    zone: Zone
    gap: float  # challenge - skill
    distance: float  # from a stretch of TARGET inside the channel, from the skill outside it
    decided: str  # the term that put it below the step above it ("" for the first)


class Suggestion(NamedTuple):
    step: Candidate | None
    skill: float
    zone: Zone | None
    reason: str
    ranking: list[Placed]  # every open step, best first
    alternatives: list[Placed]  # up to two next-best steps not begun and not too easy
    in_progress: list[tuple[Placed, str]]  # begun steps not picked, with a one-line reason
    passed_over: list[Candidate]  # steps not begun that are below the skill


def key(
    rank: int, challenge: float, in_progress: bool, skill: float, start: bool
) -> tuple[bool, float, bool, int]:
    """A step's place in the ranking (rank_all), lowest first: outside the channel after
    inside it; inside, the distance from a stretch of TARGET, outside, from the skill; a step
    not begun after one begun; then the path's order. With `start`, the path's order alone.
    Its fields one by one, so that 5,000 steps need no Candidate each to find the best."""
    if start:  # nothing known about the learner: the path's own order
        return (False, 0, False, rank)
    gap = gap_of(skill, challenge)
    if zone_of(gap) == "flow":
        return (False, round(abs(gap - TARGET), 1), not in_progress, rank)
    return (True, abs(gap), not in_progress, rank)


def _key(candidate: Candidate, skill: float, start: bool) -> tuple[bool, float, bool, int]:
    return key(candidate.rank, candidate.challenge, candidate.in_progress, skill, start)


def _decided(above: tuple[bool, float, bool, int], key: tuple[bool, float, bool, int]) -> str:
    """The first term of the key where this step loses to the one above it."""
    if key[0] != above[0]:
        return "outside your flow channel"
    if key[1] != above[1]:
        target = "your skill" if key[0] else f"a stretch of +{TARGET}"
        return f"further from {target} ({figure(key[1])} vs {figure(above[1])})"
    if key[2] != above[2]:
        return "not begun"
    return "later on the path"


def rank_all(candidates: Sequence[Candidate], skill: float, *, start: bool = False) -> list[Placed]:
    """Every open step, best first: in the channel before outside it; inside, the nearest to a
    stretch of TARGET, outside, the nearest to the skill; then a step begun; then the lower
    rank. With `start` (no skill to go on), the path's own order."""
    keyed = sorted((_key(c, skill, start), c) for c in candidates)
    placed = []
    for i, (key, candidate) in enumerate(keyed):
        if start:
            decided = "later on the path" if i else ""
        else:
            decided = _decided(keyed[i - 1][0], key) if i else ""
        placed.append(
            Placed(
                candidate,
                zone(skill, candidate.challenge),
                gap_of(skill, candidate.challenge),
                key[1],
                decided,
            )
        )
    return placed


def best(
    steps: Iterable[tuple[int, float, bool]], skill: float, *, start: bool = False
) -> int | None:
    """The rank of suggest(...).step, from each open step's (rank, challenge, in_progress),
    without ranking the rest: None when there is none."""
    found = min((key(*step, skill, start) for step in steps), default=None)
    return None if found is None else found[3]


def suggest(candidates: Sequence[Candidate], skill: float, *, start: bool = False) -> Suggestion:
    """The best open step and the whole picture around it. `start`: the learner has given no
    skill and done nothing, so they begin at the beginning of the path."""
    if not candidates:
        done = "Every step is done or skipped: the path is complete."
        return Suggestion(None, skill, None, done, [], [], [], [])
    ranking = rank_all(candidates, skill, start=start)
    best = ranking[0]
    rest = ranking[1:]
    alternatives = [p for p in rest if not p.step.in_progress and p.zone != "boredom"][:2]
    begun = [(p, in_progress_reason(p, skill)) for p in rest if p.step.in_progress]
    passed = sorted(
        (p.step for p in rest if not p.step.in_progress and p.zone == "boredom"),
        key=lambda c: c.rank,
    )
    why = start_reason(best.step) if start else reason(best.step, skill)
    return Suggestion(best.step, skill, best.zone, why, ranking, alternatives, begun, passed)


def _figures(step: Candidate, skill: float) -> str:
    return f"challenge {figure(step.challenge)}, your skill {figure(skill)}"


def start_reason(step: Candidate) -> str:
    return (
        f"You have not rated your skill and have finished no step yet, so start at the "
        f"beginning of the path (challenge {figure(step.challenge)}). Rate your skill "
        "(`mlpath skill N`) and mlpath fits the steps to you."
    )


def reason(step: Candidate, skill: float) -> str:
    gap = gap_of(skill, step.challenge)
    figures = _figures(step, skill)
    where = zone(skill, step.challenge)
    if where == "flow":
        begun = "You have already begun it, and it" if step.in_progress else "It"
        if gap == TARGET:
            return (
                f"{begun} stretches you by {TARGET} ({figures}): just above your skill, "
                "where learning is quickest and most enjoyable."
            )
        if gap == 0:
            return (
                f"{begun} matches your skill ({figures}): no open step is a stretch of "
                f"+{TARGET}, and this one is as near to it as any."
            )
        return (
            f"{begun} stretches you by {figure(gap)} ({figures}): no open step is nearer a "
            f"stretch of +{TARGET}; hard enough to grow, not so hard that it overwhelms."
        )
    within = f"your flow channel ({channel_text(skill)})"
    if where == "anxiety":
        return (
            f"No open step sits in {within}; the nearest is above it "
            f"({figures}). Build up first: take it in small pieces and lean on its resources."
        )
    return (
        f"No open step sits in {within}; the nearest is below it "
        f"({figures}), so it may bore you. If you know it already, "
        f"`mlpath skip {step.rank}` moves you on."
    )


def in_progress_reason(placed: Placed, skill: float) -> str:
    """Why a step already begun was not picked, and what to do about it."""
    figures = _figures(placed.step, skill)
    if placed.zone == "anxiety":
        return (
            f"it now feels harder than your flow channel ({figures}): take its next "
            "resource, or break it down into smaller pieces"
        )
    if placed.zone == "boredom":
        return (
            f"it is now below your skill ({figures}): finish it quickly, or "
            f"`mlpath done {placed.step.rank}` if you are through with it"
        )
    return f"in your flow channel too ({figures}): keep going with it when you like"
