"""The flow map's compass of the learner's check-ins in the eight channels of Massimini &
Carli (channels.py): each check-in at its (skill, challenge) against the learner's own
averages (the centre), the eight 45-degree sectors named with their counts, flow, anxiety
and boredom shaded as on the map. Pure; drawn with its origin at the top left of its box,
in the flow map's classes."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from mlpath.core import channels
from mlpath.views import svg

WIDE = 260  # the box's width
R = 62  # the compass's radius
CX, CY = WIDE / 2, 58 + R
REACH = 2.5  # a z-score this far from the average reaches the rim
SHADED = {"flow": "mflow", "anxiety": "manxiety", "boredom": "mboredom"}
RULES = {
    "spoke": "stroke:{line};stroke-width:1",
    "newest": "fill:none;stroke:{you};stroke-width:1.5",
}


def _at(angle: float, radius: float) -> tuple[float, float]:
    """The point at `angle` degrees counterclockwise from the skill axis (challenge up)."""
    rad = math.radians(angle)
    return CX + radius * math.cos(rad), CY - radius * math.sin(rad)


def _wedge(index: int) -> str:
    start, end = _at(index * 45 - 22.5, R), _at(index * 45 + 22.5, R)
    d = f"M{svg.num(CX)} {svg.num(CY)}L{svg.points([start])}A{R} {R} 0 0 0 {svg.points([end])}Z"
    return svg.element("path", {"d": d, "class": SHADED[channels.CHANNELS[index]]})


def _label(index: int, name: str, count: int) -> str:
    angle = index * 45
    x, y = _at(angle, R + 8)
    cos = math.cos(math.radians(angle))
    anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
    y += {90: -2, 270: 10}.get(angle, 4)
    return svg.text(x, y, f"{name} {count}", "md", anchor)


def _dots(placed: Sequence[tuple[float, float]]) -> list[str]:
    """A dot per place, bigger where several check-ins share it; a ring round the newest."""

    def spot(z_skill: float, z_challenge: float) -> tuple[float, float]:
        length = math.hypot(z_skill, z_challenge)
        scale = R / REACH * (min(length, REACH * 0.94) / length if length else 0)
        return CX + z_skill * scale, CY - z_challenge * scale

    out = []
    for (z_skill, z_challenge), count in sorted(Counter(placed).items()):
        x, y = spot(z_skill, z_challenge)
        out.append(svg.circle(x, y, min(2.5 + 1.2 * (count - 1), 7), "mdot"))
    x, y = spot(*placed[-1])
    out.append(
        svg.circle(x, y, min(2.5 + 1.2 * (Counter(placed)[placed[-1]] - 1), 7) + 2.5, "mnewest")
    )
    return out


def _words(found: Sequence[tuple[int, int]]) -> str:
    """Why there is no compass yet."""
    if not found:
        return (
            "No check-in yet. `mlpath checkin` says how a step feels; from "
            f"{channels.MIN_CHECKINS} on, your check-ins are placed here."
        )
    if len(found) < channels.MIN_CHECKINS:
        return (
            f"{len(found)} check-in{'s' * (len(found) != 1)} so far; from "
            f"{channels.MIN_CHECKINS} on, they are placed here against your own averages."
        )
    return (
        f"{len(found)} check-ins, but your challenge or your skill has always been the "
        "same: not enough variation yet to place them."
    )


def draw(found: Sequence[tuple[int, int]]) -> tuple[list[str], float]:
    """The compass of the check-ins `found` as (challenge, skill), oldest first; or, while
    there are too few, why not. The drawing and its height."""
    placed = channels.standardised(found)
    named = channels.classify(found)
    if placed is None or named is None:
        lines = svg.wrap(_words(found), WIDE - 4, 11)
        out = [svg.text(0, 14, "Check-ins in the eight channels", "mt")]
        out += [svg.text(0, 32 + 14 * i, line, "md") for i, line in enumerate(lines)]
        return out, 36 + 14 * len(lines)
    counted = channels.counts(named)
    out = [
        svg.text(
            0, 14, svg.fit(f"Your {len(found)} check-ins in the eight channels", WIDE, 12), "mt"
        ),
        svg.text(0, 28, "of Massimini & Carli; the centre: your averages", "md"),
        *(_wedge(i) for i, name in enumerate(channels.CHANNELS) if name in SHADED),
        svg.circle(CX, CY, R, "mframe"),
    ]
    for i in range(4):
        (x1, y1), (x2, y2) = _at(22.5 + 45 * i, R), _at(202.5 + 45 * i, R)
        out.append(svg.element("line", {"x1": x1, "y1": y1, "x2": x2, "y2": y2, "class": "mspoke"}))
    out += [_label(i, name, counted[name]) for i, name in enumerate(channels.CHANNELS)]
    out += _dots(placed)
    return out, CY + R + 20


def said(found: Sequence[tuple[int, int]]) -> str:
    """The compass in words, for the text alternative."""
    named = channels.classify(found)
    if named is None:
        return _words(found)
    counted = ", ".join(f"{name} {n}" for name, n in channels.counts(named).items())
    return (
        f"Your {len(found)} check-ins in the eight channels of Massimini & Carli, against "
        f"your own averages: {counted}."
    )
