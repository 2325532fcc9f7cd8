"""The flow rule, checked against hand-worked answers and against its stated properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlpath.flow import Candidate, estimate_skill, suggest, zone

# The bundled catalogue's challenges, by rank.
CHALLENGES = {1: 1, 2: 2, 3: 4, 4: 5, 5: 7, 6: 8, 7: 10}


def open_steps(
    *closed: int, in_progress: tuple[int, ...] = (), rated: dict[int, int] | None = None
) -> list[Candidate]:
    challenges = {**CHALLENGES, **(rated or {})}
    return [
        Candidate(rank, f"step {rank}", challenge, rank in in_progress)
        for rank, challenge in challenges.items()
        if rank not in closed
    ]


@pytest.mark.parametrize(
    ("skill", "challenge", "expected"),
    [
        (s, c, "boredom" if c < s else "flow" if c - s <= 2 else "anxiety")
        for s in range(1, 11)
        for c in range(1, 11)
    ],
)
def test_zone_every_pair(skill: int, challenge: int, expected: str) -> None:
    assert zone(skill, challenge) == expected


def test_zone_edges_by_hand() -> None:
    assert zone(4, 4) == "flow"  # balanced
    assert zone(4, 6) == "flow"  # a stretch of two is still flow
    assert zone(4, 7) == "anxiety"  # three is too far
    assert zone(4, 3) == "boredom"


# Worked by hand for skill 1..10 (the index is skill - 1): the rank suggested and its zone.
NOTHING_DONE = [
    (1, "flow"),
    (2, "flow"),
    (3, "flow"),
    (3, "flow"),
    (4, "flow"),
    (5, "flow"),
    (5, "flow"),
    (6, "flow"),
    (7, "flow"),
    (7, "flow"),
]
FIRST_THREE_DONE = [
    (4, "anxiety"),
    (4, "anxiety"),
    (4, "flow"),
    (4, "flow"),
    (4, "flow"),
    (5, "flow"),
    (5, "flow"),
    (6, "flow"),
    (7, "flow"),
    (7, "flow"),
]
ONLY_ENDS_OPEN = [  # ranks 1 (challenge 1) and 7 (challenge 10) open
    (1, "flow"),
    (1, "boredom"),
    (1, "boredom"),
    (1, "boredom"),
    (1, "boredom"),
    (7, "anxiety"),
    (7, "anxiety"),
    (7, "flow"),
    (7, "flow"),
    (7, "flow"),
]
# Step 4 rated 4 by the learner (as hard as step 3) and begun: at skill 3 and 4 the two tie
# on balance, and the step already begun wins.
RATED_AND_BEGUN = [
    (1, "flow"),
    (2, "flow"),
    (4, "flow"),
    (4, "flow"),
    (5, "flow"),
    (5, "flow"),
    (5, "flow"),
    (6, "flow"),
    (7, "flow"),
    (7, "flow"),
]


@pytest.mark.parametrize("skill", range(1, 11))
@pytest.mark.parametrize(
    ("candidates", "answers"),
    [
        (open_steps(), NOTHING_DONE),
        (open_steps(1, 2, 3), FIRST_THREE_DONE),
        (open_steps(2, 3, 4, 5, 6), ONLY_ENDS_OPEN),
        (open_steps(in_progress=(4,), rated={4: 4}), RATED_AND_BEGUN),
    ],
    ids=["nothing-done", "first-three-done", "only-ends-open", "rated-and-begun"],
)
def test_suggestion_for_every_skill(
    candidates: list[Candidate], answers: list[tuple[int, str]], skill: int
) -> None:
    suggestion = suggest(candidates, skill)
    assert suggestion.step is not None
    assert (suggestion.step.rank, suggestion.zone) == answers[skill - 1]
    assert suggestion.skill == skill


def test_in_progress_breaks_a_tie() -> None:
    candidates = [Candidate(1, "a", 5, False), Candidate(2, "b", 5, True)]
    suggestion = suggest(candidates, 5)
    assert suggestion.step is not None and suggestion.step.rank == 2
    assert "already begun" in suggestion.reason


def test_rank_breaks_the_last_tie() -> None:
    candidates = [Candidate(4, "a", 6, False), Candidate(2, "b", 6, False)]
    suggestion = suggest(candidates, 5)
    assert suggestion.step is not None and suggestion.step.rank == 2


def test_flow_beats_a_closer_step_outside_it() -> None:
    # skill 5: challenge 4 is one below (boredom), 7 is a stretch of two (flow)
    suggestion = suggest([Candidate(1, "a", 4, False), Candidate(2, "b", 7, False)], 5)
    assert suggestion.step is not None and suggestion.step.rank == 2
    assert suggestion.zone == "flow"


def test_reasons_explain_the_zone() -> None:
    balanced = suggest([Candidate(3, "c", 4, False)], 4).reason
    stretch = suggest([Candidate(3, "c", 6, False)], 4).reason
    anxious = suggest([Candidate(6, "k", 9, False)], 2).reason
    bored = suggest([Candidate(2, "r", 2, False)], 8).reason
    assert "matches your skill" in balanced
    assert "stretches you by 2" in stretch
    assert "Build up first" in anxious and "above" in anxious
    assert "mlpath skip 2" in bored and "below" in bored


def test_nothing_left() -> None:
    suggestion = suggest([], 5)
    assert suggestion.step is None and suggestion.zone is None
    assert "complete" in suggestion.reason


def test_estimate_skill() -> None:
    assert estimate_skill([]) == 1
    assert estimate_skill([2, 5, 4]) == 5


candidate_lists = st.lists(
    st.builds(
        Candidate,
        rank=st.integers(1, 50),
        title=st.just("s"),
        challenge=st.integers(1, 10),
        in_progress=st.booleans(),
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda c: c.rank,
)


@settings(deadline=None)  # behaviour, not speed
@given(candidate_lists, st.integers(1, 10))
def test_properties_of_the_choice(candidates: list[Candidate], skill: int) -> None:
    chosen = suggest(candidates, skill).step
    assert chosen in candidates
    in_flow = [c for c in candidates if zone(skill, c.challenge) == "flow"]
    pool = in_flow or candidates
    # In flow whenever any step is; and no step in the same pool is better balanced.
    assert chosen in pool
    assert abs(chosen.challenge - skill) == min(abs(c.challenge - skill) for c in pool)
    # Among equally balanced steps, one begun wins; then the lowest rank.
    ties = [c for c in pool if abs(c.challenge - skill) == abs(chosen.challenge - skill)]
    if any(c.in_progress for c in ties):
        assert chosen.in_progress
        ties = [c for c in ties if c.in_progress]
    assert chosen.rank == min(c.rank for c in ties)
