"""The learner's rhythm: on which days they changed something, over the last 53 weeks. Pure.

A day is active only with a real change that still stands: an undo and what it undid count
for nothing, so a streak cannot be kept by changing and undoing. Streaks are shown only when
asked (the Anki maintainers' warning that streaks can turn "pretty toxic" is heeded), and
they forgive GRACE days off in a row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from mlpath.core.history import Event
from mlpath.core.members import standing
from mlpath.localtime import local
from mlpath.views import svg

WEEKS = 53
GRACE = 1  # days off in a row a streak survives: a rest day is not a failure
CELL, GAP = 10, 3
LEFT, HEAD = 30, 40
SHADES = ".-+*#"  # none, then 1, 2-3, 4-5, 6+ changes in a day (plain characters)
RULES = {
    "bg": "fill:{bg}",
    "t": "fill:{fg};font-size:13px;font-weight:600",
    "d": "fill:{dim};font-size:10px",
    "l0": "fill:{cell0}",
    "l1": "fill:{cell1}",
    "l2": "fill:{cell2}",
    "l3": "fill:{cell3}",
    "l4": "fill:{done}",
}


def active_days(events: Sequence[Event], catalogue_id: str) -> Counter[date]:
    """How many standing changes each day had, by the learner's local date."""
    return Counter(local(e.at).date() for e in standing(events, catalogue_id))


def level(count: int) -> int:
    return 0 if count == 0 else 1 if count == 1 else 2 if count <= 3 else 3 if count <= 5 else 4


def weeks(end: date, span: int = WEEKS) -> list[list[date]]:
    """`span` weeks of days, Monday first, the last week the one holding `end`."""
    monday = end - timedelta(days=end.weekday()) - timedelta(weeks=span - 1)
    return [[monday + timedelta(days=7 * w + d) for d in range(7)] for w in range(span)]


def facts(days: Counter[date], end: date) -> list[str]:
    """Days active in `end`'s month, and per week over the weeks since the first active one."""
    month = sum(1 for d in days if (d.year, d.month) == (end.year, end.month) and d <= end)
    lines = [f"Active {month} day{'s' * (month != 1)} in {end:%B %Y}."]
    first = min((d for d in days if d <= end), default=None)
    if first is not None:
        span = min((end - first).days // 7 + 1, WEEKS)
        start = end - timedelta(weeks=span) + timedelta(days=1)
        active = sum(1 for d in days if start <= d <= end)
        weeks = f"{span} weeks" if span != 1 else "week"
        lines.append(f"{active / span:.1f} active days a week over the last {weeks}.")
    return lines


def streak(days: Counter[date], today: date) -> tuple[int, int]:
    """The current streak in active days, and the days it spans, allowing GRACE days off in a
    row; (0, 0) when the last active day is more than GRACE days before today."""
    active = sorted((d for d in days if d <= today), reverse=True)
    if not active or (today - active[0]).days > GRACE:
        return 0, 0
    count, earliest = 1, active[0]
    for day in active[1:]:
        if (earliest - day).days - 1 > GRACE:
            break
        count, earliest = count + 1, day
    return count, (active[0] - earliest).days + 1


def terminal(days: Counter[date], end: date, marks: str = SHADES) -> list[str]:
    """The calendar as text: a row per weekday, a column per week, oldest on the left."""
    grid = weeks(end)
    lines = []
    for weekday, name in enumerate(["Mon", "", "Wed", "", "Fri", "", "Sun"]):
        row = "".join(
            marks[level(days.get(week[weekday], 0))] if week[weekday] <= end else " "
            for week in grid
        )
        lines.append(f"{name:<4}{row.rstrip()}")
    return lines


def picture(days: Counter[date], theme: str = "light", span: int = WEEKS) -> str:
    """The calendar of the last `span` weeks as SVG, ending at the last active day: the
    same history, the same picture, whenever it is drawn. Its <title> and <desc> ids carry
    the span, so a page may hold two calendars (a year, and half a year for a phone)."""
    ident = "a" if span == WEEKS else f"a{span}"
    if not days:
        body = [svg.style("a", theme, RULES), svg.rect(0, 0, 300, 40, "abg")]
        body.append(svg.text(12, 25, "No activity yet.", "at"))
        return svg.document(
            "a", 300, 40, "Activity calendar", "No activity yet.", body, ident=ident
        )
    end = max(days)
    grid = weeks(end, span)
    told = facts(days, end)
    width = LEFT + span * (CELL + GAP) - GAP + 8
    height = HEAD + 7 * (CELL + GAP) + 8 + 14 * len(told)
    body = [
        svg.style("a", theme, RULES),
        svg.rect(0, 0, width, height, "abg"),
        svg.text(LEFT, 22, f"Activity, {span} weeks to {end:%Y-%m-%d}", "at"),
        *_cells(days, grid, end),
    ]
    for d, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        body.append(svg.text(2, HEAD + d * (CELL + GAP) + 9, name, "ad"))
    for i, line in enumerate(told):
        body.append(svg.text(LEFT, HEAD + 7 * (CELL + GAP) + 12 + 14 * i, line, "ad"))
    total = sum(1 for d in days if grid[0][0] <= d <= end)
    alt = f"{total} active days in the {span} weeks to {end:%Y-%m-%d}. " + " ".join(told)
    return svg.document("a", width, height, "Activity calendar", alt, body, ident=ident)


def _cells(days: Counter[date], grid: list[list[date]], end: date) -> list[str]:
    """A square a day, shaded by its changes, and the months named above their weeks."""
    out = []
    labelled = -3
    for w, week in enumerate(grid):
        x = LEFT + w * (CELL + GAP)
        # A month is named over its first full week, where the name has room.
        if week[0].day <= 7 and w - labelled >= 3 and w < len(grid) - 2:
            labelled = w
            out.append(svg.text(x, HEAD - 4, f"{week[0]:%b}", "ad"))
        for d, day in enumerate(week):
            if day <= end:
                cls = f"al{level(days.get(day, 0))}"
                out.append(svg.rect(x, HEAD + d * (CELL + GAP), CELL, CELL, cls, 2))
    return out
