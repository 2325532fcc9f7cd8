"""The flow map as a picture: challenge against skill, the channel as a band, the steps as
points coloured by their zone (filled while open, a ring once finished) with a key naming
them; below, the learner's skill over time (growthsvg) and their check-ins in the eight
channels (channelsvg). Pure; the same store gives the same bytes.

Each part is drawn in its own box (svg.box), laid out side by side (`wide`, for a README)
or one under the other (narrow, for a phone's page).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mlpath.core.advice import basis
from mlpath.core.flow import STRETCH, TOP, channel_text, figure, zone
from mlpath.core.growth import skill_over_time
from mlpath.core.history import Event
from mlpath.core.tracker import Tracker
from mlpath.views import channelsvg, growthsvg, svg

CELL = 30
LEFT, HEAD = 52, 14  # the plot's corner in its box
PLOT = CELL * TOP
PLOT_BOX = (LEFT + PLOT + 20, HEAD + PLOT + 56)  # the plot, its axes and its legend
KEY_ROW = 34
GAP = 16
SIDE = PLOT_BOX[0] + GAP  # where the right-hand column starts, when wide
WIDE = SIDE + 280  # the key's titles need the room more than the compass
RADIUS = 9  # a step's point
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
    "pflow": "fill:{pflow};stroke:{pflow};stroke-width:2",
    "panxiety": "fill:{panxiety};stroke:{panxiety};stroke-width:2",
    "pboredom": "fill:{pboredom};stroke:{pboredom};stroke-width:2",
    "pplain": "fill:{dim};stroke:{dim};stroke-width:2",
    "shut": "fill:{bg}",
    "nflow": "fill:{pflow};font-size:10px;font-weight:600",
    "nanxiety": "fill:{panxiety};font-size:10px;font-weight:600",
    "nboredom": "fill:{pboredom};font-size:10px;font-weight:600",
    "nplain": "fill:{dim};font-size:10px;font-weight:600",
    **growthsvg.RULES,
    **channelsvg.RULES,
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
    flow_at = (2, 3.2) if skill >= 5 else (8.5, 9.6)
    return [
        svg.rect(LEFT, HEAD, PLOT, PLOT, "manxiety"),
        svg.element(
            "polygon", {"points": svg.points((_x(s), _y(c)) for s, c in below), "class": "mboredom"}
        ),
        svg.element(
            "polygon", {"points": svg.points((_x(s), _y(c)) for s, c in band), "class": "mflow"}
        ),
        svg.text(_x(1.8 if skill >= 4 else 5.2), _y(9.6), "anxiety", "mz", "middle"),
        svg.text(_x(flow_at[0]), _y(flow_at[1]), "flow", "mz", "middle"),
        svg.text(_x(8.5 if skill <= 6 else 5), _y(1.6), "boredom", "mz", "middle"),
        svg.rect(LEFT, HEAD, PLOT, PLOT, "mframe"),
    ]


def _axes() -> list[str]:
    out = []
    for n in range(1, TOP + 1):
        out.append(svg.text(LEFT - 8, _y(n) + 4, str(n), "md", "end"))
        out.append(svg.text(_x(n), HEAD + PLOT + 16, str(n), "md", "middle"))
    out.append(svg.text(4, HEAD - 4, "challenge", "md"))
    out.append(svg.text(LEFT + PLOT, HEAD + PLOT + 32, "skill", "md", "end"))
    return out


def _clusters(challenges: Sequence[tuple[float, int]]) -> list[list[tuple[float, int]]]:
    """Steps whose points would touch (challenges closer than a point's width) in one
    cluster, to be set side by side: nearly equal figures (5.9 and 6) never hide each other."""
    groups: list[list[tuple[float, int]]] = []
    for challenge, rank in sorted(challenges):
        if groups and (challenge - groups[-1][-1][0]) * CELL < 2 * RADIUS + 2:
            groups[-1].append((challenge, rank))
        else:
            groups.append([(challenge, rank)])
    return groups


def _spread(count: int, skill: float) -> list[float]:
    """Where `count` points side by side go: centred on the learner's column, closer together
    where there are many, and kept inside the plot."""
    room = PLOT - 2 * RADIUS - 4
    gap = min(2 * RADIUS + 3, room / (count - 1)) if count > 1 else 0
    half = gap * (count - 1) / 2
    centre = min(max(_x(skill), LEFT + RADIUS + 2 + half), LEFT + PLOT - RADIUS - 2 - half)
    return [centre - half + i * gap for i in range(count)]


def _points(tracker: Tracker, skill: float) -> list[str]:
    steps = tracker.catalogue.steps
    felt = [(float(tracker.challenge(step)), rank) for rank, step in enumerate(steps, start=1)]
    marks = []
    for group in _clusters(felt):
        for (challenge, rank), x in zip(group, _spread(len(group), skill), strict=True):
            where = zone(skill, challenge)
            y = _y(challenge)
            marks.append(svg.circle(x, y, RADIUS, "mp" + where))
            if tracker.status(steps[rank - 1]).is_open:
                marks.append(svg.text(x, y + 3.5, str(rank), "mn", "middle"))
            else:  # finished: a ring, the number in the zone's colour
                marks.append(svg.circle(x, y, RADIUS - 2, "mshut"))
                marks.append(svg.text(x, y + 3.5, str(rank), "mn" + where, "middle"))
    return marks


def _legend() -> list[str]:
    y = HEAD + PLOT + 50
    return [
        svg.circle(LEFT + 4, y - 4, 5, "mpplain"),
        svg.text(LEFT + 14, y, "open step", "md"),
        svg.circle(LEFT + 84, y - 4, 5, "mpplain"),
        svg.circle(LEFT + 84, y - 4, 3.5, "mshut"),
        svg.text(LEFT + 94, y, "done or skipped", "md"),
        svg.element(
            "line", {"x1": LEFT + 190, "y1": y - 9, "x2": LEFT + 190, "y2": y + 2, "class": "myou"}
        ),
        svg.text(LEFT + 198, y, "your skill", "md"),
    ]


def _key(tracker: Tracker, skill: float, room: float) -> tuple[list[str], float]:
    """Each step by number: its title, challenge, zone and status."""
    key = []
    for rank, step in enumerate(tracker.catalogue.steps, start=1):
        state = tracker.status(step).label
        y = rank * KEY_ROW - 6
        key.append(svg.text(0, y, svg.fit(f"{rank}. {step.title}", room, 12), "mt"))
        where = zone(skill, tracker.challenge(step))
        detail = f"challenge {figure(tracker.challenge(step))}, {where}, {state}"
        key.append(svg.text(0, y + 15, detail, "md"))
    return key, len(tracker.catalogue.steps) * KEY_ROW + 14


def _said(tracker: Tracker, skill: float, summary: str) -> list[str]:
    alt = [summary + "."]
    for rank, step in enumerate(tracker.catalogue.steps, start=1):
        where = zone(skill, tracker.challenge(step))
        status = tracker.status(step).label
        challenge = figure(tracker.challenge(step))
        alt.append(f"Step {rank}, {step.title}: challenge {challenge}, {where}, {status}.")
    return alt


Box = tuple[float, float, float, float, list[str]]  # x, y, width, height, the drawing


def _heading(title: str, about: Sequence[str], width: float) -> tuple[list[str], float]:
    """The title, on two lines where one is too short, and the lines about the learner."""
    lines = svg.wrap(title, width - 24, 15 * 1.1) or [""]
    if len(lines) > 2:
        lines = [lines[0], svg.fit(" ".join(lines[1:]), width - 24, 15 * 1.1)]
    out = [svg.text(12, 24 + 20 * i, line, "mh") for i, line in enumerate(lines)]
    y = 24 + 20 * (len(lines) - 1) + 4
    for line in about:
        y += 14
        out.append(svg.text(12, y, svg.fit(line, width - 24, 11), "md"))
    return out, y + 8


def _layout(
    parts: Mapping[str, tuple[float, float, list[str]]], wide: bool, top: float
) -> list[Box]:
    """Where each part (its width, height and drawing) goes: the plot and its key side by
    side, the skill over time and the check-ins under them; or, narrow, one under another."""
    boxes: list[Box] = []
    if wide:
        for name, left, at in (("plot", 0, top), ("key", SIDE, top + 6)):
            boxes.append((left, at, *parts[name]))
        second = top + max(parts["plot"][1], parts["key"][1] + 6) + GAP
        for name, left in (("growth", 0), ("compass", SIDE)):
            boxes.append((left, second, *parts[name]))
        return boxes
    y = top
    for name in ("plot", "key", "growth", "compass"):
        w, h, body = parts[name]
        x = 12 if name == "key" else (PLOT_BOX[0] - w) / 2 if name == "compass" else 0
        boxes.append((x, y, w, h, body))
        y += h + GAP
    return boxes


def render(
    tracker: Tracker,
    skill: float,
    source: str,
    events: Sequence[Event],
    theme: str,
    *,
    wide: bool = True,
    ident: str = "m",
) -> str:
    """The map, `wide` or narrow; `ident` names its <title> and <desc> (two maps on one
    page need two names)."""
    width = WIDE if wide else PLOT_BOX[0]
    you = f"You: skill {figure(skill)} ({basis(tracker, source)})"
    channel = f"Your flow channel: {channel_text(skill)}"
    points, total = skill_over_time(events, tracker.catalogue, growthsvg.NEWEST)
    found = [(c.challenge, c.skill) for _, c in tracker.checkins()]
    key_room = width - SIDE - 8 if wide else width - 24
    key, key_tall = _key(tracker, skill, key_room)
    growth, growth_tall = growthsvg.draw(points, total, LEFT, PLOT)
    compass, compass_tall = channelsvg.draw(found)
    plot = [*_zones(skill), _you(skill), *_axes(), *_points(tracker, skill), *_legend()]
    parts = {
        "plot": (PLOT_BOX[0], PLOT_BOX[1], plot),
        "key": (key_room, key_tall, key),
        "growth": (PLOT_BOX[0], growth_tall, growth),
        "compass": (channelsvg.WIDE, compass_tall, compass),
    }
    title = f"Flow map: {tracker.catalogue.title}"
    heading, top = _heading(title, [you, channel], width)
    boxes = _layout(parts, wide, top)
    height = max(y + h for _, y, _, h, _ in boxes) + 12
    body = [
        svg.style("m", theme, RULES),
        svg.rect(0, 0, width, height, "mbg"),
        svg.box(0, 0, width, top, heading),
        *(svg.box(*box) for box in boxes),
    ]
    alt = [*_said(tracker, skill, f"{you}; {channel.lower()}"), growthsvg.said(points, total)]
    alt.append(channelsvg.said(found))
    return svg.document("m", width, height, title, " ".join(alt), body, ident=ident)


def _you(skill: float) -> str:
    return svg.element(
        "line", {"x1": _x(skill), "y1": HEAD, "x2": _x(skill), "y2": HEAD + PLOT, "class": "myou"}
    )
