"""The flow rule: which step keeps this learner stretched but not overwhelmed.

After Csikszentmihalyi's flow channel, as the seed puts it: the right balance between the
perceived challenge of a task and one's perceived skill. Within the channel the best step is
a little above the skill, a stretch of TARGET: enjoyment and learning peak where the
challenge slightly exceeds the skill (Abuhamdeh & Csikszentmihalyi 2012; Wilson et al. 2019).
Pure functions, no I/O.
"""

from __future__ import annotations

from _operator import itemgetter
from itertools import compress

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
# Of a step's (rank, challenge, in_progress), and of a Candidate.
_RANK, _TERMS, _CHALLENGE, _BEGUN = itemgetter(0), itemgetter(1, 2), itemgetter(2), itemgetter(3)


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


Terms = tuple[bool, float, bool]  # a key's first three fields: all of it but the rank
Row = tuple[int, str, float, bool]  # a Candidate's fields, as a Candidate or a plain tuple
Seen = tuple[Terms, "Zone", float]  # what a challenge and begun-or-not give: terms, zone, gap


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
    passed_over: list[int]  # the ranks of the steps not begun that are below the skill


def key(
    rank: int, challenge: float, in_progress: bool, skill: float, start: bool
) -> tuple[bool, float, bool, int]:
    """A step's place in the ranking (rank_all), lowest first: outside the channel after
    inside it; inside, the distance from a stretch of TARGET, outside, from the skill; a step
    not begun after one begun; then the path's order. With `start`, the path's order alone.
    Its fields one by one, so that 5,000 steps need no Candidate each to find the best; the
    rank is the last field and changes no other, so the first three are worked out once for
    each challenge (_ordered)."""
    if start:  # nothing known about the learner: the path's own order
        return (False, 0, False, rank)
    gap = gap_of(skill, challenge)
    if zone_of(gap) == "flow":
        return (False, round(abs(gap - TARGET), 1), not in_progress, rank)
    return (True, abs(gap), not in_progress, rank)


def _decided(above: Terms, key: Terms) -> str:
    """The first term of the key where this step loses to the one above it (the rank, the
    last, when the first three are the same)."""
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
    return suggest(candidates, skill, start=start, whole=True).ranking


def best(
    steps: Iterable[tuple[int, float, bool]], skill: float, *, start: bool = False
) -> int | None:
    """The rank of suggest(...).step, from each open step's (rank, challenge, in_progress),
    without ranking the rest: None when there is none. The lowest rank of each challenge
    and begun-or-not is the only one of them that can be the best, so key() is asked of
    those alone."""
    # Highest rank first, so that the lowest of each is the last written (loops in C).
    rows = sorted(steps, reverse=True)
    lowest = dict(zip(map(_TERMS, rows), map(_RANK, rows), strict=True))
    keys = (
        key(rank, challenge, begun, skill, start) for (challenge, begun), rank in lowest.items()
    )
    found = min(keys, default=None)
    return None if found is None else found[3]


def suggest(
    candidates: Sequence[Row], skill: float, *, start: bool = False, whole: bool = True
) -> Suggestion:
    """The best open step and the whole picture around it, from each open step's (rank,
    title, challenge, in_progress): a Candidate or a plain tuple, in the path's order, no
    rank twice. `start`: the learner has given no skill and done nothing, so they begin at
    the beginning of the path. Without `whole`, the ranking (what `next --all` shows) is
    left empty, and only the steps the picture names become a Candidate and a Placed.

    key() is asked once for each challenge and begun-or-not, not once a step: steps whose
    keys share their first three fields (their terms) form a group, the groups are taken
    best first, and a group's steps by rank. Every pass over all the steps is a loop in C,
    and a group nothing is shown of is passed over whole."""
    if not candidates:
        done = "Every step is done or skipped: the path is complete."
        return Suggestion(None, skill, None, done, [], [], [], [])
    pairs = list(zip(map(_CHALLENGE, candidates), map(_BEGUN, candidates), strict=True))
    terms_of = {pair: _terms(key(0, *pair, skill, start)) for pair in set(pairs)}
    zones = {pair: zone(skill, pair[0]) for pair in terms_of}
    groups: dict[Terms, set[tuple[float, bool]]] = {}
    for pair, terms in terms_of.items():
        groups.setdefault(terms, set()).add(pair)
    easy = {pair for pair, where in zones.items() if where == "boredom" and not pair[1]}
    passed = list(compress(map(_RANK, candidates), map(easy.__contains__, pairs)))
    begun_steps = list(compress(candidates, map(_BEGUN, candidates)))
    made: dict[tuple[type, float, bool], Seen] = {}

    def place(row: Row, above: Terms | None) -> tuple[Placed, Terms]:
        step = row if type(row) is Candidate else Candidate(*row)
        kind = (type(step.challenge), step.challenge, step.in_progress)
        if kind not in made:  # 4 and 4.0 have one dict key but not one key(): 4 - 3 is 1,
            # 4.0 - 3 is 1.0, and `next --all --json` shows the distance as it is
            terms = _terms(key(0, step.challenge, step.in_progress, skill, start))
            made[kind] = (terms, zone(skill, step.challenge), gap_of(skill, step.challenge))
        own, where, gap = made[kind]
        return Placed(step, where, gap, own[1], "" if above is None else _decided(above, own)), own

    ranking: list[Placed] = []
    alternatives: list[Placed] = []
    begun: list[tuple[Placed, str]] = []
    top: Placed | None = None
    above: Terms | None = None
    for terms in sorted(groups):
        members = groups[terms]
        if all(b for _, b in members):  # steps begun: few, and every one is shown
            rows = sorted(row for row in begun_steps if (row[2], row[3]) in members)
        elif whole or top is None or len(alternatives) < 2 or any(b for _, b in members):
            rows = sorted(compress(candidates, map(members.__contains__, pairs)))
        else:  # nothing here is shown
            above = terms
            continue
        for row in rows:
            shown = zones[row[2], row[3]] != "boredom" and len(alternatives) < 2
            if whole or top is None or row[3] or shown:
                placed, above = place(row, above)
                if whole:
                    ranking.append(placed)
                if top is None:
                    top = placed
                elif row[3]:
                    begun.append((placed, in_progress_reason(placed, skill)))
                elif shown:
                    alternatives.append(placed)
            else:
                above = terms
    if top is None:  # not reached: there is a candidate, so a group with a step
        raise ValueError("no step to suggest")
    if (top.step.challenge, top.step.in_progress) in easy:
        passed.remove(top.step.rank)
    passed.sort()
    why = start_reason(top.step) if start else reason(top.step, skill)
    return Suggestion(top.step, skill, top.zone, why, ranking, alternatives, begun, passed)


def _terms(key: tuple[bool, float, bool, int]) -> Terms:
    return key[0], key[1], key[2]


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
