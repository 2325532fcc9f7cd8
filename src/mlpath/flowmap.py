"""The flow diagram as text: challenge against skill, the channel, the steps, the trail. Pure.

Rows are challenge 10 (top) to 1, columns skill 1 to 10. A cell shows its zone for a learner
of that skill facing that challenge: anxiety above the channel, flow inside it (challenge
from skill to skill + 2), boredom below. The learner's own column carries the steps; each
row lists its steps on the right.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from mlpath.flow import TARGET, channel_text, figure, zone
from mlpath.history import Event, standing
from mlpath.localtime import local
from mlpath.progress import Status
from mlpath.screen import clip, ellipsis
from mlpath.tracker import Tracker

Segment = tuple[str, str]  # text and a style name: "", "anxiety", "flow", "open", ...
Line = list[Segment]

CELL = 3
ZONE_MARK = {"anxiety": ".", "flow": "~", "boredom": " "}
WIDTH = 80  # every line fits a classic terminal
LEFT = 6 + CELL * 10 + 1  # "  10 |" + the grid + "|"


def skill_trail(events: Sequence[Event], catalogue_id: str) -> list[tuple[datetime, int]]:
    """The skill ratings that still stand, in the order they were given."""
    return [
        (e.at, int(e.details["to"]))
        for e in standing(events, catalogue_id)
        if e.action == "skill" and e.details.get("to") is not None
    ]


MIN_TITLE = 16  # the first step's title keeps at least this much room


def _row_label(here: list[tuple[int, str, Status]]) -> Line:
    """The first step at this challenge, titled; the others by number, as many as fit."""
    rank, title, status = here[0]
    state = f" ({status.value.replace('_', ' ')})"
    ranks = [str(r) for r, _, _ in here[1:]]

    def others(shown: int) -> str:
        if not ranks:
            return ""
        more = f"+{len(ranks) - shown} more" if shown < len(ranks) else ""
        listed = f"also {', '.join(ranks[:shown])}" if shown else ""
        return ", " + " ".join(part for part in (listed, more) if part)

    fixed = LEFT + 2 + len(f"{rank} ") + len(state)
    shown = len(ranks)
    while shown and WIDTH - fixed - len(others(shown)) < MIN_TITLE:
        shown -= 1
    room = WIDTH - fixed - len(others(shown))
    style = "open" if status in (Status.TODO, Status.IN_PROGRESS) else "finished"
    return [(f"  {rank} {clip(title, room)}", style), (state + others(shown), "dim")]


def _trail_text(trail: list[tuple[datetime, int]]) -> str:
    """'Skill over time: 2 (2026-11-02) -> 3 (...)', the newest ratings that fit in WIDTH."""
    prefix = "Skill over time: "
    shown: list[str] = []
    mark = f"{ellipsis()} -> "
    for at, value in reversed(trail):
        entry = f"{value} ({local(at):%Y-%m-%d})"
        elided = mark if len(shown) + 1 < len(trail) else ""
        if len(prefix + elided + " -> ".join([entry, *shown])) > WIDTH:
            return prefix + mark + " -> ".join(shown)
        shown.insert(0, entry)
    return prefix + " -> ".join(shown)


def render(tracker: Tracker, skill: int, source: str, events: Sequence[Event]) -> list[Line]:
    steps_at: dict[int, list[tuple[int, str, Status]]] = {}
    for rank, step in enumerate(tracker.catalogue.steps, start=1):
        steps_at.setdefault(tracker.challenge(step), []).append(
            (rank, step.title, tracker.status(step))
        )
    lines: list[Line] = [
        [("Flow map: ", "bold"), (tracker.catalogue.title, "bold")],
        [("challenge", "dim")],
    ]
    for challenge in range(10, 0, -1):
        line: Line = [(f"{challenge:>4} |", "dim")]
        here = steps_at.get(challenge, [])
        for column in range(1, 11):
            where = zone(column, challenge)
            if column == skill and here:
                open_here = any(s in (Status.TODO, Status.IN_PROGRESS) for _, _, s in here)
                mark = "o" if open_here else "x"
                line.append((mark.center(CELL), "open" if open_here else "finished"))
            else:
                line.append((ZONE_MARK[where].center(CELL), where))
        line.append(("|", "dim"))
        if here:
            line += _row_label(here)
        lines.append(line)
    lines.append([("     +" + "-" * (CELL * 10) + "+", "dim")])
    lines.append([("      " + "".join(f"{n:^{CELL}}" for n in range(1, 11)) + "  skill", "dim")])
    trail = skill_trail(events, tracker.catalogue.id)
    marks = [" "] * (CELL * 10)
    for _, past in trail:
        marks[(past - 1) * CELL + CELL // 2] = "'"
    marks[(skill - 1) * CELL + CELL // 2] = "^"
    lines.append([("      " + "".join(marks).rstrip(), "you")])
    known = {"option": "from --skill", "rated": "your rating", "estimated": "estimated"}[source]
    lines.append(
        [
            (
                f"You: skill {skill} ({known}); your flow channel is {channel_text(skill)}, "
                f"best at {figure(min(skill + TARGET, 10))}.",
                "you",
            )
        ]
    )
    if trail:
        lines.append([(_trail_text(trail), "")])
    lines.append(
        [
            (". anxiety (too hard)  ", "anxiety"),
            ("~ flow  ", "flow"),
            ("blank: boredom  ", "dim"),
            ("o open step  ", "open"),
            ("x finished", "finished"),
        ]
    )
    return lines
