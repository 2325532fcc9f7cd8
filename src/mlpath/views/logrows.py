"""The log's rows: which they are (`select`: this path's events in the history's one order,
numbered as `undo` cites them, chosen from the store's index without reading an event) and
each as a line of the table (`lines`, with `change_text`, what the change column says).

A history of 100,000 changes is never held in memory: the rows are read one at a time, as
they are written (views/logview.py lays out the table, views/logpager.py pages it).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from mlpath import localtime, safe
from mlpath.core.history import Event
from mlpath.core.progress import Status
from mlpath.core.tracker import Tracker
from mlpath.views.columns import cells, clip, folded
from mlpath.views.screen import width
from mlpath.views.screens import local

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple

HEADER = ("#", "When", "Action", "Step", "Change")
WHEN = 16  # "2026-11-24 09:30"

Rows = Callable[[], Iterator[tuple[int, Event]]]  # (number, event), walked anew each call
Numbers = Callable[[str], int | None]  # the number of the event of this identity
Reverted = Callable[[str], str | None]  # the identity of the change an undo of this one reverted


class Shape(NamedTuple):
    """What is known of the rows before they are read."""

    rows: int
    last: int  # the highest number shown
    action: int  # the widest action shown
    step: int  # the widest step rank shown ("-" for none)


class History(Protocol):
    """The store's committed history as the log walks it (store.historyindex)."""

    def order(self) -> Sequence[int]: ...
    def catalogue(self, position: int) -> str | None: ...
    def step(self, position: int) -> str | None: ...
    def action(self, position: int) -> str | None: ...
    def events(self, positions: Iterable[int]) -> Iterator[Event]: ...
    def position_of(self, ident: str) -> int | None: ...


class Selection(NamedTuple):
    rows: Rows
    shape: Shape
    numbers: Numbers
    reverted: Reverted  # a redo names its undo: this finds the change that came back


def select(history: History, tracker: Tracker, step: str | None, count: int | None) -> Selection:
    """The rows `log` shows: this path's events in the history's one order, numbered in the
    whole log (the numbers undo cites), then only step `step`'s, then only the last `count`."""
    catalogue = tracker.catalogue
    mine = array("I", (p for p in history.order() if history.catalogue(p) == catalogue.id))
    shown: Sequence[int] = range(len(mine))
    if step is not None:
        shown = [i for i, position in enumerate(mine) if history.step(position) == step]
    if count is not None:
        shown = shown[len(shown) - count :] if count else []
    positions = mine if len(shown) == len(mine) else [mine[i] for i in shown]
    ranks = {catalogue.rank_of(name) for name in {history.step(p) for p in positions}}
    shape = Shape(
        len(shown),
        shown[-1] + 1 if shown else 0,
        max((len(str(history.action(p))) for p in positions), default=0),
        max((len(str(rank)) if rank else 1 for rank in ranks), default=0),
    )
    where: list[array[int]] = []

    def numbers(ident: str) -> int | None:
        position = history.position_of(ident)
        if position is None:
            return None
        if not where:  # the number of each position, worked out once, when an undo needs it
            inverse = array("I", bytes(4 * (max(mine, default=0) + 1)))
            for number, each in enumerate(mine, start=1):
                inverse[each] = number
            where.append(inverse)
        found = where[0][position] if position < len(where[0]) else 0
        return found or None

    def rows() -> Iterator[tuple[int, Event]]:
        return zip((i + 1 for i in shown), history.events(positions), strict=True)

    def reverted(ident: str) -> str | None:
        position = history.position_of(ident)
        for undo in history.events([] if position is None else [position]):
            return str(undo.details.get("undoes"))
        return None

    return Selection(rows, shape, numbers, reverted)


def lines(
    rows: Rows, shown: list[int], widths: list[int], tracker: Tracker, chosen: Selection
) -> Iterator[str]:
    """The rows as text: the number, time, action and step need no cutting (each column is
    as wide as its widest, and they hold only digits, ASCII names and times), so only the
    change is made safe and cut; each written as screen.table would."""
    room = width()
    number_w, action_w, step_w = widths[0], widths[2], widths[3]
    when, step = 1 in shown, 3 in shown
    rank_of = tracker.catalogue.rank_of
    # The time shown, by the minute of the world's time it falls in: within one such minute
    # a zone whose offset is whole minutes has one offset (it changes on a whole minute).
    minutes: dict[float, str] = {}
    # The cells of an action and of a step, made once each (a catalogue has a few hundred).
    actions: dict[str, str] = {}
    steps: dict[str | None, str] = {}
    for number, event in rows():
        parts = [str(number).rjust(number_w)]
        if when:
            minute = event.at.timestamp() // 60
            time = minutes.get(minute)
            if time is None:
                local_at = localtime.local(event.at)
                time = _when(event.at, local_at).ljust(WHEN)
                offset = local_at.utcoffset()
                if offset is not None and not offset.seconds % 60 and not offset.microseconds:
                    if len(minutes) > 4096:
                        minutes.clear()
                    minutes[minute] = time
            parts.append(time)
        cell = actions.get(event.action)
        if cell is None:
            cell = actions[event.action] = event.action.ljust(action_w)
        parts.append(cell)
        if step:
            cell = steps.get(event.step)
            if cell is None:
                rank = rank_of(event.step)
                cell = steps[event.step] = (str(rank) if rank else "-").ljust(step_w)
            parts.append(cell)
        change = safe.terminal(change_text(event, tracker, chosen), newlines=False)
        # The last column is never padded (lines end trimmed). On a terminal a change too
        # long for its room is folded between words under itself, never cut mid-word.
        if not room or cells(change) <= widths[4]:
            yield "  ".join([*parts, change])
            continue
        first, *more = folded(change, widths[4])
        head = "  ".join([*parts, first])
        yield head
        indent = " " * (cells(head) - cells(first))
        for part in more:
            yield indent + part


def _when(at: datetime, shown: datetime) -> str:
    """screens.local(at), without strftime's cost for the years it writes as four digits;
    `shown` is `at` in the local zone."""
    if shown.year < 1000:
        return local(at)
    return f"{shown.year}-{shown.month:02d}-{shown.day:02d} {shown.hour:02d}:{shown.minute:02d}"


def change_text(event: Event, tracker: Tracker, chosen: Selection) -> str:
    details = event.details
    if "text" in details:
        change = f'"{clip(str(details["text"]), 60)}"'
    elif "challenge" in details:
        spent = f", {details['minutes']} minutes" if "minutes" in details else ""
        change = f"challenge {details['challenge']}, skill {details['skill']}{spent}"
    else:
        change = f"{_value(details.get('from'))} -> {_value(details.get('to'))}"
    if "resource" in details:
        rank = tracker.catalogue.rank_of(event.step)
        number = tracker.catalogue.resource_number(rank, str(details["resource"]))
        change = f"{f'{rank}.{number}' if number else details['resource']}: {change}"
    if event.action == "undo":
        target = str(details.get("undoes"))
        found = chosen.numbers(target)
        return f"undid {details.get('of')} #{target if found is None else found}: {change}"
    if event.action == "redo":  # which change came back, and the undo that had taken it
        undo = str(details.get("undoes"))
        back = chosen.reverted(undo)
        number = chosen.numbers(back) if back else None
        again = f"{details.get('of')} #{number}" if number else str(details.get("of"))
        undone = chosen.numbers(undo)
        return f"redid {again} (undone in #{undo if undone is None else undone}): {change}"
    return change


_LABELS = {str(status): status.label for status in Status}


def _value(value: Any) -> str:
    if value is None:
        return "none"
    return _LABELS.get(value) or str(value)
