"""The skill when nobody gives it, and what the figure rests on, in words: one rule for the
full road (core.advice, from a Tracker) and the fast one (views.readmodel, from plain data).

`learned` is a learned skill as (value, check-ins among its reports, whether the learner's
rating is among them): learning.Skill, or the read model's tuple. Plain values only: the fast
road imports this before typing is.
"""

from __future__ import annotations

from mlpath.core.flow import estimate_skill

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from collections.abc import Iterable

    Learned = tuple[float, int, bool]

# What a figure rests on, by its source, for every source but check-ins (see `words`).
WORDS = {"option": "from --skill", "rated": "your rating"}


def unasked(learned: Learned | None, done_challenges: Iterable[float]) -> tuple[float, str]:
    """The skill without asking, and its source: learned from the learner's rating and
    check-ins (learning.py), else estimated from the challenges of the steps done."""
    if learned is not None:
        value = learned[0]
        return (int(value) if value.is_integer() else value), (
            "checkins" if learned[1] else "rated"
        )
    return estimate_skill(done_challenges), "estimated"


def at_the_start(source: str, any_done: bool) -> bool:
    """No skill given or rated and no step done: mlpath knows nothing of this learner yet."""
    return source == "estimated" and not any_done


def learned_words(learned: Learned | None) -> str:
    """What a learned skill rests on: 'from your rating and your last 3 check-ins'."""
    count = learned[1] if learned else 0
    said = f"your last {count} check-ins" if count > 1 else "your last check-in"
    return f"from your rating and {said}" if learned and learned[2] else f"from {said}"


def words(source: str, learned: Learned | None) -> str:
    """What the skill figure rests on, in words: 'your rating', 'from your last 3 check-ins'."""
    if source != "checkins":
        return WORDS.get(source, source)
    return learned_words(learned)
