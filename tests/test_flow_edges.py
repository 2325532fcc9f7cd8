"""Edges of the flow rule that mutation testing found no test for (docs/mutation.md): the
words a learner reads with a suggestion, and the ranking's account of each place."""

from __future__ import annotations

from mlpath.core.flow import Candidate, best, suggest


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
