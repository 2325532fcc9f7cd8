"""The flow rule, checked against hand-worked answers and against its stated properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlpath.core.flow import Candidate, best, channel, estimate_skill, suggest, zone

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
# Inside the channel (challenge - skill in 0..2) the nearest to a stretch of +1 wins, then a
# step begun, then the lower rank; outside it, the nearest to the skill.
NOTHING_DONE = [
    (2, "flow"),  # 1: challenge 2 is +1
    (2, "flow"),  # 2: challenges 2 (+0) and 4 (+2) are equally near +1; the lower rank
    (3, "flow"),
    (4, "flow"),
    (4, "flow"),  # 5: 5 (+0) and 7 (+2) tie; the lower rank
    (5, "flow"),
    (6, "flow"),
    (6, "flow"),  # 8: 8 (+0) and 10 (+2) tie
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
    (6, "flow"),
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
# Step 4 rated 4 by the learner (as hard as step 3) and begun: where the two tie, the step
# already begun wins.
RATED_AND_BEGUN = [
    (2, "flow"),
    (4, "flow"),
    (4, "flow"),
    (4, "flow"),
    (5, "flow"),
    (5, "flow"),
    (6, "flow"),
    (6, "flow"),
    (7, "flow"),
    (7, "flow"),
]
# Steps 1 and 2 done; step 3 begun and then rated 6 (it feels harder than the catalogue says).
BEGUN_THEN_HARDER = [
    (4, "anxiety"),
    (4, "anxiety"),
    (4, "flow"),
    (4, "flow"),
    (3, "flow"),  # 5: step 3 at 6 is the +1
    (5, "flow"),  # 6: step 5 at 7 is +1; step 3 at 6 (+0) is begun but further
    (6, "flow"),
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
        (open_steps(1, 2, in_progress=(3,), rated={3: 6}), BEGUN_THEN_HARDER),
    ],
    ids=["nothing-done", "first-three-done", "only-ends-open", "rated-and-begun", "harder"],
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


def test_a_stretch_of_one_beats_a_balanced_step() -> None:
    # skill 4: challenge 4 balances, 5 stretches by one: the stretch wins, even over a step begun
    suggestion = suggest([Candidate(1, "a", 4, True), Candidate(2, "b", 5, False)], 4)
    assert suggestion.step is not None and suggestion.step.rank == 2
    assert "stretches you by 1" in suggestion.reason


def test_reasons_explain_the_zone() -> None:
    aimed = suggest([Candidate(3, "c", 5, False)], 4).reason
    balanced = suggest([Candidate(3, "c", 4, False)], 4).reason
    stretch = suggest([Candidate(3, "c", 6, False)], 4).reason
    anxious = suggest([Candidate(6, "k", 9, False)], 2).reason
    bored = suggest([Candidate(2, "r", 2, False)], 8).reason
    assert "stretches you by 1" in aimed and "just above your skill" in aimed
    assert "matches your skill" in balanced and "stretch of +1" in balanced
    assert "stretches you by 2" in stretch
    assert "Build up first" in anxious and "above" in anxious and "challenge 2-4" in anxious
    assert "mlpath skip 2" in bored and "below" in bored and "challenge 8-10" in bored


@pytest.mark.parametrize("skill", range(1, 11))
def test_with_nothing_known_the_path_starts_at_its_beginning(skill: int) -> None:
    suggestion = suggest(open_steps(), skill, start=True)
    assert suggestion.step is not None and suggestion.step.rank == 1
    assert "beginning of the path" in suggestion.reason
    later = suggest(open_steps(1), skill, start=True)  # step 1 skipped: the first open one
    assert later.step is not None and later.step.rank == 2


@pytest.mark.parametrize(("skill", "low", "high"), [(s, s, min(s + 2, 10)) for s in range(1, 11)])
def test_the_channel_for_every_skill(skill: int, low: int, high: int) -> None:
    assert channel(skill) == (low, high)
    for challenge in range(1, 11):
        inside = low <= challenge <= high
        assert (zone(skill, challenge) == "flow") == inside


def test_the_whole_picture_when_a_begun_step_feels_harder() -> None:
    # The learner: halfway through step 3, rates it 6, at skill 3.
    suggestion = suggest(open_steps(1, 2, in_progress=(3,), rated={3: 6}), 3)
    assert suggestion.step is not None and suggestion.step.rank == 4
    assert [p.step.rank for p in suggestion.alternatives] == [5, 6]
    [(placed, why)] = suggestion.in_progress
    assert (placed.step.rank, placed.zone) == (3, "anxiety")
    assert "harder" in why and "next resource" in why and "break it down" in why
    also = suggest(open_steps(1, 2, in_progress=(3,), rated={3: 6}), 4)  # 4 is +1: the pick
    assert also.step is not None and also.step.rank == 4
    [(placed, why)] = also.in_progress
    assert placed.zone == "flow" and "keep going" in why


def test_steps_passed_over_as_too_easy() -> None:
    suggestion = suggest(open_steps(in_progress=(1,)), 5)
    assert suggestion.passed_over == [2, 3]  # todo and below skill 5
    [(placed, why)] = suggestion.in_progress  # a begun step below the skill is not "passed"
    assert placed.step.rank == 1 and "mlpath done 1" in why


def test_the_ranking_says_what_decided_each_place() -> None:
    ranking = suggest(open_steps(in_progress=(2,)), 3).ranking
    assert [(p.step.rank, p.decided) for p in ranking] == [
        (3, ""),
        (4, "further from a stretch of +1 (1 vs 0)"),
        (2, "outside your flow channel"),
        (1, "further from your skill (2 vs 1)"),
        (5, "further from your skill (4 vs 2)"),
        (6, "further from your skill (5 vs 4)"),
        (7, "further from your skill (7 vs 5)"),
    ]
    tie = suggest([Candidate(1, "a", 4, False), Candidate(2, "b", 4, True)], 3).ranking
    assert [(p.step.rank, p.decided) for p in tie] == [(2, ""), (1, "not begun")]
    same = suggest([Candidate(1, "a", 4, False), Candidate(2, "b", 4, False)], 3).ranking
    assert [p.decided for p in same] == ["", "later on the path"]


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


def distance(candidate: Candidate, skill: int) -> int:
    gap = int(candidate.challenge) - skill
    return abs(gap - 1) if zone(skill, candidate.challenge) == "flow" else abs(gap)


@settings(deadline=None)  # behaviour, not speed
@given(candidate_lists, st.integers(1, 10))
def test_properties_of_the_choice(candidates: list[Candidate], skill: int) -> None:
    chosen = suggest(candidates, skill).step
    assert chosen in candidates
    in_flow = [c for c in candidates if zone(skill, c.challenge) == "flow"]
    pool = in_flow or candidates
    # In flow whenever any step is; inside, none nearer a stretch of +1; outside, none nearer
    # the skill.
    assert chosen in pool
    assert distance(chosen, skill) == min(distance(c, skill) for c in pool)
    # Among equally near steps, one begun wins; then the lowest rank.
    ties = [c for c in pool if distance(c, skill) == distance(chosen, skill)]
    if any(c.in_progress for c in ties):
        assert chosen.in_progress
        ties = [c for c in ties if c.in_progress]
    assert chosen.rank == min(c.rank for c in ties)


@settings(deadline=None)
@given(candidate_lists, st.integers(1, 10), st.booleans())
def test_properties_of_the_picture(candidates: list[Candidate], skill: int, start: bool) -> None:
    suggestion = suggest(candidates, skill, start=start)
    ranking = [p.step for p in suggestion.ranking]
    assert sorted(ranking) == sorted(candidates) and ranking[0] == suggestion.step
    if start:
        assert ranking == sorted(candidates, key=lambda c: c.rank)
    rest = ranking[1:]
    # Every other begun step is listed with a reason; every other easy step not begun is
    # passed over; the alternatives are the best two of what remains.
    assert [p.step for p, _ in suggestion.in_progress] == [c for c in rest if c.in_progress]
    assert all(why for _, why in suggestion.in_progress)
    easy = [c for c in rest if not c.in_progress and zone(skill, c.challenge) == "boredom"]
    assert suggestion.passed_over == sorted(c.rank for c in easy)
    others = [c for c in rest if not c.in_progress and c not in easy]
    assert [p.step for p in suggestion.alternatives] == others[:2]
    assert all(p.zone == zone(skill, p.step.challenge) for p in suggestion.ranking)


@settings(deadline=None)
@given(
    st.lists(
        st.builds(
            Candidate,
            rank=st.integers(1, 50),
            title=st.just("s"),
            challenge=st.integers(10, 100).map(lambda tenths: tenths / 10),
            in_progress=st.booleans(),
        ),
        max_size=12,
        unique_by=lambda c: c.rank,
    ),
    st.integers(10, 100).map(lambda tenths: tenths / 10),
    st.booleans(),
)
def test_best_is_the_suggested_step(candidates: list[Candidate], skill: float, start: bool) -> None:
    # `status` asks only for the step (flow.best), `next` for the whole picture: the same step.
    steps = [(c.rank, c.challenge, c.in_progress) for c in candidates]
    suggested = suggest(candidates, skill, start=start).step
    assert best(steps, skill, start=start) == (suggested.rank if suggested else None)
