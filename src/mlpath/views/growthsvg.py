"""The flow map's chart of the learner's skill over time: the figure mlpath learned after
each rating and check-in (growth.py), time to the right, skill 1-10 up. Pure; drawn with
its origin at the top left of its box, in the flow map's classes."""

from __future__ import annotations

from collections.abc import Sequence

from mlpath.core.flow import figure
from mlpath.core.growth import Point
from mlpath.localtime import local
from mlpath.views import svg

NEWEST = 60  # the reports drawn (and said): the line stays readable, the file small
TOP = 26  # the chart's top edge, under the heading
TALL = 90  # skill 1 to 10, ten pixels a point
RULES = {
    "line": "stroke:{you};stroke-width:2;fill:none",
    "dot": "fill:{you}",
    "rating": "fill:{bg};stroke:{you};stroke-width:1.5",
    "grid": "stroke:{line};stroke-width:1;stroke-dasharray:2 3",
}


def _y(skill: float) -> float:
    return TOP + (10 - skill) * TALL / 9


def _xs(points: Sequence[Point], left: float, span: float) -> list[float]:
    """Each report's place in time; evenly spread when they all share one moment."""
    first, last = points[0].at, points[-1].at
    if last == first:
        step = span / max(len(points) - 1, 1)
        return [left + i * step for i in range(len(points))] if len(points) > 1 else [left]
    whole = (last - first).total_seconds()
    return [left + span * (p.at - first).total_seconds() / whole for p in points]


def _runs(points: Sequence[Point], xs: Sequence[float]) -> list[list[tuple[float, float]]]:
    """The line as steps (a skill holds until the next report), broken where an undo left
    no skill at all."""
    runs: list[list[tuple[float, float]]] = []
    held: float | None = None
    for point, x in zip(points, xs, strict=True):
        if point.skill is None:
            held = None
            continue
        if held is None:
            runs.append([])
        else:
            runs[-1].append((x, _y(held)))
        runs[-1].append((x, _y(point.skill)))
        held = point.skill
    return runs


def _legend(y: float, left: float) -> list[str]:
    return [
        svg.rect(left - 3, y - 7, 6, 6, "mrating"),
        svg.text(left + 7, y, "your rating", "md"),
        svg.circle(left + 82, y - 4, 2.5, "mdot"),
        svg.text(left + 89, y, "a check-in", "md"),
        svg.element(
            "line", {"x1": left + 158, "y1": y - 4, "x2": left + 176, "y2": y - 4, "class": "mline"}
        ),
        svg.text(left + 181, y, "your skill after it", "md"),
    ]


def draw(points: Sequence[Point], total: int, left: float, span: float) -> tuple[list[str], float]:
    """The chart of `points` (the newest of `total` reports), and its height."""
    heading = "Your skill over time"
    if total > len(points):
        heading += f" (the last {len(points)} of {total} changes)"
    out = [svg.text(12, 14, svg.fit(heading, left + span - 12, 12), "mt")]
    if not points:
        words = "No rating or check-in yet: `mlpath skill` and `mlpath checkin` start it."
        lines = svg.wrap(words, left + span - 12, 11)
        out += [svg.text(12, 32 + 14 * i, line, "md") for i, line in enumerate(lines)]
        return out, 36 + 14 * len(lines)
    for skill in (1, 5, 10):
        out.append(svg.text(left - 8, _y(skill) + 4, str(skill), "md", "end"))
        out.append(
            svg.element(
                "line",
                {"x1": left, "y1": _y(skill), "x2": left + span, "y2": _y(skill), "class": "mgrid"},
            )
        )
    xs = _xs(points, left, span)
    for run in _runs(points, xs):
        if len(run) > 1:
            out.append(svg.element("polyline", {"points": svg.points(run), "class": "mline"}))
    for point, x in zip(points, xs, strict=True):
        if point.skill is None or point.kind == "undo":
            continue
        y = _y(point.skill)
        if point.kind == "rating":
            out.append(svg.rect(x - 3, y - 3, 6, 6, "mrating"))
        else:
            out.append(svg.circle(x, y, 2.5, "mdot"))
    bottom = TOP + TALL + 14
    first, last = (f"{local(p.at):%Y-%m-%d}" for p in (points[0], points[-1]))
    out.append(svg.text(left, bottom, first, "md"))
    if last != first:
        out.append(svg.text(left + span, bottom, last, "md", "end"))
    out += _legend(bottom + 18, left)
    return out, bottom + 26


def said(points: Sequence[Point], total: int) -> str:
    """The chart in words, for the text alternative."""
    if not points:
        return "Skill over time: no rating or check-in yet."
    shown = ", ".join("none" if p.skill is None else figure(p.skill) for p in points)
    which = f"the last {len(points)} of {total}" if total > len(points) else f"{total} in all"
    return f"Skill over time (after each rating, check-in or undo of one; {which}): {shown}."
