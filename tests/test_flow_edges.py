"""Edges of the flow rule that mutation testing found no test for (docs/mutation.md): the
words a learner reads with a suggestion, and the ranking's account of each place."""

from __future__ import annotations

from mlpath.core.flow import Candidate, Suggestion, best, rank_all, suggest


def test_the_first_suggestion_tells_how_to_have_the_steps_fitted() -> None:
    suggestion = suggest([Candidate(1, "a", 1, False), Candidate(2, "b", 2, False)], 1, start=True)
    assert suggestion.reason == (
        "You have not rated your skill and have finished no step yet, so start at the "
        "beginning of the path (challenge 1). Rate your skill (`mlpath skill N`) and mlpath "
        "fits the steps to you."
    )


def test_a_step_already_begun_is_said_to_be_begun_in_a_sentence_of_its_own() -> None:
    begun = suggest([Candidate(3, "c", 5, True)], 4).reason
    assert begun.startswith("You have already begun it, and it stretches you by 1 (")
    assert suggest([Candidate(3, "c", 5, False)], 4).reason.startswith("It stretches you by 1 (")


def test_a_tie_on_everything_but_the_rank_is_decided_later_on_the_path() -> None:
    # Both begun, or both not begun, at any rank: only the path's order is left to decide.
    for begun in (False, True):
        for rank in (1, 2, 3):
            steps = [Candidate(rank, "a", 4, begun), Candidate(rank + 4, "b", 4, begun)]
            decided = [p.decided for p in suggest(steps, 3).ranking]
            assert decided == ["", "later on the path"], (begun, rank)


def test_the_best_step_with_the_defaults_is_the_suggested_one() -> None:
    # `status` (flow.best) and `next` (suggest) agree when neither is told it is the start:
    # a learner with skill 4 is offered the +1 step, not the path's first.
    candidates = [Candidate(1, "a", 1, False), Candidate(2, "b", 5, False)]
    steps = [(c.rank, c.challenge, c.in_progress) for c in candidates]
    suggested = suggest(candidates, 4).step
    assert suggested is not None and best(steps, 4) == suggested.rank == 2


def test_felt_challenges_are_ranked_by_their_tenths() -> None:
    # Skill 4: a step felt at 5.2 is 0.2 from a stretch of +1, one felt at 4.6 is 0.4 from it.
    steps = [Candidate(1, "a", 4.6, False), Candidate(2, "b", 5.2, False)]
    ranking = suggest(steps, 4).ranking
    assert [(p.step.rank, p.distance, p.decided) for p in ranking] == [
        (2, 0.2, ""),
        (1, 0.4, "further from a stretch of +1 (0.4 vs 0.2)"),
    ]
    assert best([(1, 4.6, False), (2, 5.2, False)], 4) == 2


def test_each_place_has_its_distance_inside_the_channel_and_outside_it() -> None:
    steps = [Candidate(1, "a", 2, True), Candidate(2, "b", 5, False), Candidate(3, "c", 9, False)]
    ranking = suggest(steps, 4).ranking
    assert [(p.step.rank, p.zone, p.gap, p.distance) for p in ranking] == [
        (2, "flow", 1, 0),
        (1, "boredom", -2, 2),
        (3, "anxiety", 5, 5),
    ]


def test_at_the_start_the_path_decides_every_place_and_no_step_is_any_distance() -> None:
    steps = [Candidate(3, "c", 9, False), Candidate(1, "a", 5, True), Candidate(2, "b", 1, False)]
    ranking = suggest(steps, 1, start=True).ranking
    assert [(p.step.rank, p.distance, p.decided) for p in ranking] == [
        (1, 0, ""),
        (2, 0, "later on the path"),
        (3, 0, "later on the path"),
    ]


def test_the_ranking_with_the_defaults_is_the_suggestions() -> None:
    steps = [Candidate(1, "a", 1, False), Candidate(2, "b", 5, False)]
    assert rank_all(steps, 4) == suggest(steps, 4).ranking
    assert [p.step.rank for p in rank_all(steps, 4)] == [2, 1]


def test_a_complete_path_is_told_so_with_the_skill_and_an_empty_picture() -> None:
    # `next --json` still shows the skill, and `next --all` an empty ranking.
    assert suggest([], 4.5) == Suggestion(
        None, 4.5, None, "Every step is done or skipped: the path is complete.", [], [], [], []
    )


def test_the_whole_ranking_at_the_start_is_the_paths_order() -> None:
    # `next --all` for a learner who has given no skill and done nothing: the path's order,
    # not the order a skill of 1 would give (step 2, challenge 2, is nearer a stretch of +1).
    steps = [Candidate(1, "a", 9, False), Candidate(2, "b", 2, False)]
    assert [p.step.rank for p in rank_all(steps, 1, start=True)] == [1, 2]
    assert [p.step.rank for p in rank_all(steps, 1)] == [2, 1]
