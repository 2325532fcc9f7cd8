"""The flow diagram as text: challenge against skill, the channel, the steps, the trail. Pure.

Rows are challenge 10 (top) to 1, columns skill 1 to 10. A cell shows its zone for a learner
of that skill facing that challenge: anxiety above the channel, flow inside it (challenge
from skill to skill + 2), boredom below. The learner's own column carries the steps; each
row lists its steps on the right.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from mlpath.core.advice import basis
from mlpath.core.flow import TARGET, channel_text, figure, zone
from mlpath.core.history import Event
from mlpath.core.members import standing
from mlpath.core.progress import Status
from mlpath.core.tracker import Tracker
from mlpath.localtime import local
from mlpath.views.columns import clip
from mlpath.views.screen import Line, ellipsis

CELL = 3
# One glyph, one meaning, here and in `mlpath status` (where `-` is skipped too).
ZONE_MARK = {"anxiety": "!", "flow": "~", "boredom": " "}
STEP_MARK = {Status.TODO: "o", Status.IN_PROGRESS: "o", Status.DONE: "x", Status.SKIPPED: "-"}
WIDTH = 80  # in a pipe, every line fits a classic terminal
LEFT = 6 + CELL * 10 + 1  # "  10 |" + the grid + "|"


def skill_trail(events: Sequence[Event], catalogue_id: str) -> list[tuple[datetime, int]]:
    """The skill ratings that still stand, in the order they were given."""
    return [
        (e.at, int(e.details["to"]))
        for e in standing(events, catalogue_id)
        if e.action == "skill" and e.details.get("to") is not None
    ]


MIN_TITLE = 16  # the first step's title keeps at least this much room


def _mark(here: list[tuple[int, str, Status]]) -> str:
    """The step glyph for a cell: open if any step there is open, else done, else skipped."""
    for status in (Status.TODO, Status.DONE, Status.SKIPPED):
        if any(STEP_MARK[s] == STEP_MARK[status] for _, _, s in here):
            return STEP_MARK[status]
    return "o"


def _row_label(here: list[tuple[int, str, Status]], where: str, room: int) -> Line:
    """The first step at this challenge, titled, with its status and zone in words; the
    others by number, as many as fit in `room` columns."""
    rank, title, status = here[0]
    state = f" ({status.value.replace('_', ' ')}, {where})"
    ranks = [str(r) for r, _, _ in here[1:]]

    def others(shown: int) -> str:
        if not ranks:
            return ""
        more = f"+{len(ranks) - shown} more" if shown < len(ranks) else ""
        listed = f"also {', '.join(ranks[:shown])}" if shown else ""
        return ", " + " ".join(part for part in (listed, more) if part)

    fixed = LEFT + 2 + len(f"{rank} ") + len(state)
    fitting = [n for n in range(len(ranks), -1, -1) if room - fixed - len(others(n)) >= MIN_TITLE]
    # none fits: the shortest ("+1 more" is no shorter than "also 5")
    shown = fitting[0] if fitting else min(range(len(ranks) + 1), key=lambda n: len(others(n)))
    left = room - fixed - len(others(shown))
    style = "open" if status.is_open else "finished"
    return [(f"  {rank} {clip(title, left)}", style), (state + others(shown), "dim")]


def _trail_text(trail: list[tuple[datetime, int]], room: int) -> str:
    """'Skill over time: 2 (2026-11-02) -> 3 (...)', the newest ratings that fit in room."""
    prefix = "Skill over time: "
    shown: list[str] = []
    mark = f"{ellipsis()} -> "
    for at, value in reversed(trail):
        entry = f"{value} ({local(at):%Y-%m-%d})"
        elided = mark if len(shown) + 1 < len(trail) else ""
        if len(prefix + elided + " -> ".join([entry, *shown])) > room:
            return prefix + mark + " -> ".join(shown)
        shown.insert(0, entry)
    return prefix + " -> ".join(shown)


def _cell(value: float) -> int:
    """The row or column a figure falls in: the grid has whole numbers (4.5 is in 5)."""
    return min(10, max(1, int(value + 0.5)))


def render(
    tracker: Tracker, skill: float, source: str, events: Sequence[Event], room: int | None
) -> list[Line]:
    """The map for a terminal `room` columns wide (None: a pipe, held to WIDTH). Where the
    labels cannot sit beside the grid, they follow it, one step a line."""
    room = room or WIDTH
    beside = room >= LEFT + 2 + MIN_TITLE + 24
    steps_at: dict[int, list[tuple[int, str, Status]]] = {}
    # Each step's zone from its own figure: a row holds every challenge that rounds to it.
    zones = {
        rank: zone(skill, tracker.challenge(step))
        for rank, step in enumerate(tracker.catalogue.steps, start=1)
    }
    for rank, step in enumerate(tracker.catalogue.steps, start=1):
        steps_at.setdefault(_cell(tracker.challenge(step)), []).append(
            (rank, step.title, tracker.status(step))
        )
    lines: list[Line] = [
        [("Flow map: ", "bold"), (tracker.catalogue.title, "bold")],
        [("challenge", "dim")],
    ]
    below: list[Line] = []
    for challenge in range(10, 0, -1):
        line: Line = [(f"{challenge:>4} |", "dim")]
        here = steps_at.get(challenge, [])
        for column in range(1, 11):
            where = zone(column, challenge)
            if column == _cell(skill) and here:  # the step glyph, its zone still on either side
                mark = _mark(here)
                line += [
                    (ZONE_MARK[where], where),
                    (mark, "open" if mark == "o" else "finished"),
                    (ZONE_MARK[where], where),
                ]
            else:
                line.append((ZONE_MARK[where].center(CELL), where))
        line.append(("|", "dim"))
        if here:
            label = _row_label(here, zones[here[0][0]], room if beside else LEFT + 2 + 200)
            if beside:
                line += label
            else:
                below += [
                    [
                        (f"  {r} {t}", "open" if STEP_MARK[st] == "o" else "finished"),
                        (f" ({st.value.replace('_', ' ')}, {zones[r]})", "dim"),
                    ]
                    for r, t, st in here
                ]
        lines.append(line)
    lines.append([("     +" + "-" * (CELL * 10) + "+", "dim")])
    lines.append([("      " + "".join(f"{n:^{CELL}}" for n in range(1, 11)) + "  skill", "dim")])
    trail = skill_trail(events, tracker.catalogue.id)
    marks = [" "] * (CELL * 10)
    for _, past in trail:
        marks[(past - 1) * CELL + CELL // 2] = "'"
    marks[(_cell(skill) - 1) * CELL + CELL // 2] = "^"
    lines.append([("      " + "".join(marks).rstrip(), "you")])
    known = basis(tracker, source)
    if below:
        lines += sorted(below, key=lambda label: int(label[0][0].split()[0]))
    lines.append(
        [
            (
                f"You: skill {figure(skill)} ({known}); "
                f"your flow channel is {channel_text(skill)}, "
                f"best at {figure(min(skill + TARGET, 10))}.",
                "you",
            )
        ]
    )
    if trail:
        lines.append([(_trail_text(trail, room), "")])
    lines += [
        [
            ("Zones: ", "dim"),
            ("! anxiety (too hard)", "anxiety"),
            ("  ~ flow", "flow"),
            ("  blank: boredom (too easy)", "dim"),
        ],
        [
            ("Steps: ", "dim"),
            ("o open", "open"),
            ("  x done", "finished"),
            ("  - skipped", "finished"),
        ],
        [("Skill: ", "dim"), ("^ yours now  ' your earlier ratings", "you")],
    ]
    return lines + [[(text, "")] for text in checkin_lines(tracker)]


def checkin_lines(tracker: Tracker) -> list[str]:
    """Below the map: the learner's check-ins in the eight channels, once there are enough."""
    from mlpath.core import channels

    found = [(c.challenge, c.skill) for _, c in tracker.checkins()]
    if not found:
        return []
    named = channels.classify(found)
    if len(found) < channels.MIN_CHECKINS:
        return [
            "",
            f"Check-ins: {len(found)} so far; from {channels.MIN_CHECKINS} on, the map "
            "places them in the eight channels of flow.",
        ]
    if named is None:
        return [
            "",
            f"Check-ins: {len(found)}, but not enough variation yet to place them in "
            "channels (your challenge or your skill has always been the same).",
        ]
    return [
        "",
        f"Your {len(found)} check-ins in the eight channels (Massimini & Carli), "
        "against your own averages:",
        *channels.compass(channels.counts(named)),
    ]
