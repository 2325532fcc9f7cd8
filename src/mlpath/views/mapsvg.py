"""The flow map as a picture: challenge against skill, the channel as a band, the steps as
points coloured by their zone (filled while open, a ring once finished), and the learner's
skill ratings over time beneath. Pure; the same store gives the same bytes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from mlpath.core.advice import basis
from mlpath.core.flow import STRETCH, TOP, channel_text, figure, zone
from mlpath.core.tracker import Tracker
from mlpath.views import svg

CELL = 30
LEFT, HEAD = 52, 66
PLOT = CELL * TOP
KEY_X = LEFT + PLOT + 28
WIDTH = KEY_X + 250
TRAIL = 12  # the newest ratings drawn
RULES = {
    "bg": "fill:{bg}",
    "h": "fill:{fg};font-size:15px;font-weight:600",
    "t": "fill:{fg};font-size:12px",
    "d": "fill:{dim};font-size:11px",
    "z": "fill:{dim};font-size:11px;font-style:italic",
    "n": "fill:{ink};font-size:10px;font-weight:600",
    "anxiety": "fill:{anxiety}",
    "boredom": "fill:{boredom}",
    "flow": "fill:{flow}",
    "frame": "fill:none;stroke:{line}",
    "you": "stroke:{you};stroke-width:2;stroke-dasharray:4 3;fill:none",
    "trail": "stroke:{you};stroke-width:1.5;fill:none",
    "dot": "fill:{you}",
    "pflow": "fill:{pflow};stroke:{pflow};stroke-width:2",
    "panxiety": "fill:{panxiety};stroke:{panxiety};stroke-width:2",
    "pboredom": "fill:{pboredom};stroke:{pboredom};stroke-width:2",
    "shut": "fill:{bg}",
    "nflow": "fill:{pflow};font-size:10px;font-weight:600",
    "nanxiety": "fill:{panxiety};font-size:10px;font-weight:600",
    "nboredom": "fill:{pboredom};font-size:10px;font-weight:600",
}


def _x(skill: float) -> float:
    return LEFT + (skill - 0.5) * CELL


def _y(challenge: float) -> float:
    return HEAD + (TOP + 0.5 - challenge) * CELL


def _zones(skill: float) -> list[str]:
    """Anxiety above the channel, boredom below it, the channel between (flow.channel); the
    zones named away from the learner's column, where the steps are."""
    lo, hi = 0.5, TOP + 0.5
    band = [(lo, lo), (hi, hi), (hi - STRETCH, hi), (lo, lo + STRETCH)]
    below = [(lo, lo), (hi, lo), (hi, hi)]
    return [
        svg.rect(LEFT, HEAD, PLOT, PLOT, "manxiety"),
        svg.element(
            "polygon", {"points": svg.points((_x(s), _y(c)) for s, c in below), "class": "mboredom"}
        ),
        svg.element(
            "polygon", {"points": svg.points((_x(s), _y(c)) for s, c in band), "class": "mflow"}
        ),
        svg.text(_x(1.8 if skill >= 4 else 5), _y(9.6), "anxiety", "mz", "middle"),
        svg.text(_x(8.5 if skill <= 6 else 5), _y(1.6), "boredom", "mz", "middle"),
        svg.rect(LEFT, HEAD, PLOT, PLOT, "mframe"),
    ]


def _axes() -> list[str]:
    out = []
    for n in range(1, TOP + 1):
        out.append(svg.text(LEFT - 8, _y(n) + 4, str(n), "md", "end"))
        out.append(svg.text(_x(n), HEAD + PLOT + 16, str(n), "md", "middle"))
    out.append(svg.text(LEFT - 8, HEAD - 10, "challenge", "md"))
    out.append(svg.text(LEFT + PLOT, HEAD + PLOT + 32, "skill", "md", "end"))
    return out


def _points(tracker: Tracker, skill: float) -> tuple[list[str], list[str]]:
    """The steps at the learner's skill, side by side where they share a challenge; and the
    key that names them."""
    at: dict[float, list[int]] = {}
    steps = tracker.catalogue.steps
    for rank, step in enumerate(steps, start=1):
        at.setdefault(tracker.challenge(step), []).append(rank)
    marks, key = [], []
    for challenge, ranks in sorted(at.items()):
        for i, rank in enumerate(ranks):
            x = _x(skill) + (i - (len(ranks) - 1) / 2) * 21
            where = zone(skill, challenge)
            status = tracker.status(steps[rank - 1])
            marks.append(svg.circle(x, _y(challenge), 9, "mp" + where))
            if status.is_open:
                marks.append(svg.text(x, _y(challenge) + 3.5, str(rank), "mn", "middle"))
            else:  # finished: a ring, the number in the zone's colour
                marks.append(svg.circle(x, _y(challenge), 7, "mshut"))
                marks.append(svg.text(x, _y(challenge) + 3.5, str(rank), "mn" + where, "middle"))
    for rank, step in enumerate(steps, start=1):
        state = tracker.status(step).value.replace("_", " ")
        y = HEAD + rank * 34 - 14
        words = svg.shorten(f"{rank}. {step.title}", 36)
        key.append(svg.text(KEY_X, y, words, "mt"))
        where = zone(skill, tracker.challenge(step))
        detail = f"challenge {figure(tracker.challenge(step))}, {where}, {state}"
        key.append(svg.text(KEY_X, y + 15, detail, "md"))
    return marks, key


def _trail(trail: Sequence[tuple[datetime, int]], top: float) -> list[str]:
    """Skill over time: the newest ratings, oldest at the top, each a dot at its skill."""
    shown = list(trail)[-TRAIL:]
    if not shown:
        return [svg.text(LEFT, top + 12, "Skill over time: no rating yet.", "md")]
    out = [svg.text(LEFT, top + 12, "Skill over time (oldest at the top):", "md")]
    spots = [(_x(value), top + 26 + i * 10) for i, (_, value) in enumerate(shown)]
    if len(spots) > 1:
        out.append(svg.element("polyline", {"points": svg.points(spots), "class": "mtrail"}))
    out += [svg.circle(x, y, 3, "mdot") for x, y in spots]
    return out


def render(
    tracker: Tracker, skill: float, source: str, trail: Sequence[tuple[datetime, int]], theme: str
) -> str:
    known = basis(tracker, source)
    trail_top = HEAD + PLOT + 40
    height = max(trail_top + 34 + 10 * min(len(trail), TRAIL), HEAD + 34 * 8)
    marks, key = _points(tracker, skill)
    you = svg.element(
        "line", {"x1": _x(skill), "y1": HEAD, "x2": _x(skill), "y2": HEAD + PLOT, "class": "myou"}
    )
    summary = f"You: skill {figure(skill)} ({known}); flow channel {channel_text(skill)}"
    body = [
        svg.style("m", theme, RULES),
        svg.rect(0, 0, WIDTH, height, "mbg"),
        svg.text(12, 24, svg.shorten(f"Flow map: {tracker.catalogue.title}", 80), "mh"),
        svg.text(12, 42, summary, "md"),
        *_zones(skill),
        you,
        *_axes(),
        *marks,
        *key,
        *_trail(trail, trail_top),
    ]
    alt = [summary + "."]
    for rank, step in enumerate(tracker.catalogue.steps, start=1):
        where = zone(skill, tracker.challenge(step))
        status = tracker.status(step).value.replace("_", " ")
        alt.append(
            f"Step {rank}, {step.title}: challenge {tracker.challenge(step)}, {where}, {status}."
        )
    if trail:
        alt.append("Skill over time: " + ", ".join(str(v) for _, v in trail) + ".")
    title = f"Flow map: {tracker.catalogue.title}"
    return svg.document("m", WIDTH, height, title, " ".join(alt), body)
