"""The progress card: a small SVG for a README or a blog, and a shields.io badge. Pure.

The card is the same bytes for the same store: the last activity is the one in the store,
never the time it was drawn. It carries its own text alternative (<title> and <desc>), so a
screen reader or a search engine reads what a sighted reader sees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlpath.core.advice import advise, skill_of
from mlpath.core.flow import figure
from mlpath.core.progress import Status
from mlpath.core.tracker import Tracker
from mlpath.localtime import local
from mlpath.views import svg

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple

WIDTH = 480
ROW = 24
TOP = 92  # the heading, the summary and the bar above the steps
# The card stays under 10 KB whatever the catalogue: at most ROWS steps are drawn (and said),
# each title cut to what fits; the rest are counted.
ROWS = 15
SAID = 60  # characters of a title in the text alternative
BOLD = 1.1  # how much wider a bold face runs
RULES = {
    "bg": "fill:{bg};stroke:{line}",
    "h": "fill:{fg};font-size:16px;font-weight:600",
    "t": "fill:{fg};font-size:13px",
    "d": "fill:{dim};font-size:12px",
    "now": "fill:{you};font-size:13px;font-weight:600",
    "track": "fill:{line}",
    "bar": "fill:{done}",
    "done": "fill:{done}",
    "in_progress": "fill:{doing}",
    "skipped": "fill:{skipped}",
    "todo": "fill:none;stroke:{todo};stroke-width:1.5",
    "ring": "fill:none;stroke:{you};stroke-width:2",
}


class Current(NamedTuple):
    word: str  # "Now" (a step in progress) or "Next" (what `mlpath next` suggests)
    rank: int
    title: str


class Summary(NamedTuple):
    title: str
    steps: list[tuple[int, str, Status]]
    done: int
    total: int
    skill: float
    skill_source: str
    last_activity: str | None  # a date, YYYY-MM-DD
    current: Current | None


def summary(tracker: Tracker) -> Summary:
    cat = tracker.catalogue
    steps = [(r, s.title, tracker.status(s)) for r, s in enumerate(cat.steps, start=1)]
    skill, source = skill_of(tracker)
    doing = tracker.ranks(Status.IN_PROGRESS)
    current: Current | None = None
    if doing:
        current = Current("Now", doing[0], cat.steps[doing[0] - 1].title)
    else:
        suggested = advise(tracker, skill, source).step
        if suggested is not None:
            current = Current("Next", suggested.rank, suggested.title)
    last = tracker.path.last_activity
    return Summary(
        cat.title,
        steps,
        len(tracker.ranks(Status.DONE)),
        len(cat.steps),
        skill,
        source,
        local(last).strftime("%Y-%m-%d") if last else None,
        current,
    )


def facts(s: Summary) -> str:
    """The line under the title, also the start of the text alternative."""
    skill = f"skill {figure(s.skill)}" + (" (estimated)" if s.skill_source == "estimated" else "")
    last = f"last activity {s.last_activity}" if s.last_activity else "no activity yet"
    return f"{s.done} of {s.total} steps done · {skill} · {last}"


def alternative(s: Summary) -> str:
    """Everything on the card, as sentences."""
    parts = [facts(s) + "."]
    parts += [
        f"Step {rank}, {svg.shorten(title, SAID)}: {status.words}."
        for rank, title, status in s.steps[:ROWS]
    ]
    if len(s.steps) > ROWS:
        parts.append(f"{_more(s)}.")
    if s.current:
        parts.append(
            f"{s.current.word}: step {s.current.rank}, {svg.shorten(s.current.title, SAID)}."
        )
    return " ".join(parts)


def _mark(x: float, y: float, status: Status) -> str:
    if status is Status.IN_PROGRESS:  # half full: begun, not finished
        half = f"M{svg.num(x)} {svg.num(y - 6)}a6 6 0 0 1 0 12z"
        return svg.circle(x, y, 6, "ctodo") + svg.element(
            "path", {"d": half, "class": "cin_progress"}
        )
    return svg.circle(x, y, 6, "c" + status.value)


def _more(s: Summary) -> str:
    return f"And {len(s.steps) - ROWS} more steps"


STATUS_ROOM = 96  # the column of statuses on the right, "in progress" with room to spare


def render(tracker: Tracker, theme: str = "light") -> str:
    s = summary(tracker)
    rows = min(len(s.steps), ROWS) + (len(s.steps) > ROWS)
    height = TOP + ROW * rows + (34 if s.current else 12)
    wide = WIDTH - 40  # the text between the margins
    lines = [
        svg.text(20, 32, svg.fit(s.title, wide, 16 * BOLD), "ch"),
        svg.text(20, 54, svg.fit(facts(s), wide, 12), "cd"),
    ]
    if s.current:
        line = f"{s.current.word}: step {s.current.rank}, {s.current.title}"
        lines.append(svg.text(20, height - 16, svg.fit(line, wide, 13 * BOLD), "cnow"))
    titles, marks = [], []
    for i, (rank, title, status) in enumerate(s.steps[:ROWS]):
        y = TOP + ROW * i + 12
        if s.current and rank == s.current.rank:
            marks.append(svg.circle(28, y, 9, "cring"))
        marks.append(_mark(28, y, status))
        titles.append(
            svg.text(46, y + 4.5, svg.fit(f"{rank}. {title}", wide - 26 - STATUS_ROOM, 13), "ct")
        )
        marks.append(svg.text(WIDTH - 20, y + 4.5, status.words, "cd", anchor="end"))
    if len(s.steps) > ROWS:
        marks.append(svg.text(46, TOP + ROW * ROWS + 16.5, _more(s), "cd"))
    body = [
        svg.style("c", theme, RULES),
        svg.rect(0.5, 0.5, WIDTH - 1, height - 1, "cbg", radius=6),
        svg.rect(20, 66, wide, 6, "ctrack", radius=3),
    ]
    if s.done:
        body.append(svg.rect(20, 66, wide * s.done / max(s.total, 1), 6, "cbar", 3))
    # Text from the catalogue is clipped to its column: a glyph wider than fit() guessed
    # never reaches the statuses or the card's edge.
    body += [svg.box(0, 0, WIDTH - 20, height, lines), *marks]
    body.append(svg.box(0, 0, WIDTH - 20 - STATUS_ROOM, height, titles))
    heading = f"{svg.shorten(s.title, 100)}: {s.done} of {s.total} steps done"
    return svg.document("c", WIDTH, height, heading, alternative(s), body)


def shields(tracker: Tracker) -> dict[str, Any]:
    """What a shields.io endpoint badge reads (https://shields.io/badges/endpoint-badge); the
    keys are documented in jsonkeys.SHIELDS."""
    s = summary(tracker)
    if s.total and s.done == s.total:
        colour = "brightgreen"
    elif s.done or any(status is Status.IN_PROGRESS for _, _, status in s.steps):
        colour = "blue"
    else:
        colour = "lightgrey"
    return {
        "schemaVersion": 1,
        "label": "ML path",
        "message": f"{s.done}/{s.total} steps",
        "color": colour,
    }
