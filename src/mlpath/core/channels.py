"""The eight channels of Massimini & Carli (1988), for the learner's own check-ins. Pure.

Each check-in's challenge and skill are standardised against the learner's own means and
spreads (z-scores: the same 6 means something else to someone who always says 8), and the
angle of the point (z_skill, z_challenge) names its 45-degree sector, counterclockwise from
the skill axis: control from -22.5 to 22.5 degrees, flow, arousal, anxiety, worry, apathy,
boredom, relaxation. A sector holds its lower boundary (22.5 degrees is flow), and the point
at both means, which has no angle, counts as control (the angle atan2 gives it, 0).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

CHANNELS = ("control", "flow", "arousal", "anxiety", "worry", "apathy", "boredom", "relaxation")
MIN_CHECKINS = 8  # fewer say little about a learner's own means and spreads
SECTOR = 45.0


def channel(z_skill: float, z_challenge: float) -> str:
    """The sector of the point (z_skill, z_challenge)."""
    # Rounded so that a point on a boundary lands in the same sector on every platform.
    angle = round(math.degrees(math.atan2(z_challenge, z_skill)), 9)
    return CHANNELS[int(((angle + SECTOR / 2) % 360) // SECTOR)]


def _standard(values: Sequence[int]) -> list[float] | None:
    """z-scores against the values' own mean and (population) spread; None with no spread."""
    mean = sum(values) / len(values)
    spread = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    if spread == 0:
        return None
    return [(v - mean) / spread for v in values]


def standardised(checkins: Sequence[tuple[int, int]]) -> list[tuple[float, float]] | None:
    """Each check-in given as (challenge, skill) as (z_skill, z_challenge) against the
    learner's own means and spreads; None when there are fewer than MIN_CHECKINS, or when
    challenge or skill never varies (no z-scores then)."""
    if len(checkins) < MIN_CHECKINS:
        return None
    z_challenge = _standard([challenge for challenge, _ in checkins])
    z_skill = _standard([skill for _, skill in checkins])
    if z_challenge is None or z_skill is None:
        return None
    return list(zip(z_skill, z_challenge, strict=True))


def classify(checkins: Sequence[tuple[int, int]]) -> list[str] | None:
    """The channel of each check-in given as (challenge, skill); None as standardised()."""
    placed = standardised(checkins)
    return None if placed is None else [channel(s, c) for s, c in placed]


def counts(channels: Sequence[str]) -> dict[str, int]:
    """How many check-ins fall in each channel, every channel named, in the circle's order."""
    return {name: channels.count(name) for name in CHANNELS}


# The channels where they lie on the plane: challenge up, skill to the right.
COMPASS = (
    ("anxiety", "arousal", "flow"),
    ("worry", "", "control"),
    ("apathy", "boredom", "relaxation"),
)


def compass(counted: dict[str, int], width: int = 16) -> list[str]:
    """The eight channels with their counts, laid out as they lie on the plane."""
    rows = []
    for row in COMPASS:
        cells = [f"{name} {counted[name]}" if name else "(your means)" for name in row]
        rows.append("  " + "".join(cell.center(width) for cell in cells).rstrip())
    return rows
