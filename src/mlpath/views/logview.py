"""The log: every change, numbered as `undo` cites it, oldest first, written as it is read.

A history of 100,000 changes is never held in memory: the command walks the store's history
in its one order and hands the rows over one at a time. The table's columns are as wide as
the widest cell, as screen.table makes them; the widths of the number, the action and the
step are known before the first row (from the history's index), the change's only on a
terminal, where it may have to give way: there the rows are walked twice.
"""

from __future__ import annotations

import os
import shutil
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from mlpath import localtime, safe
from mlpath.core.history import Event
from mlpath.core.progress import Status
from mlpath.core.tracker import Tracker
from mlpath.views import screen
from mlpath.views.columns import MIN_FLEX, cells, clip, folded
from mlpath.views.screen import Line, width
from mlpath.views.screens import local

HEADER = ("#", "When", "Action", "Step", "Change")
WHEN = 16  # "2026-11-24 09:30"
CHUNK = 2000  # rows written at a time

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


def show_log(chosen: Selection, tracker: Tracker, *, filtered: bool) -> None:
    """Events with their numbers in the whole log; `numbers` finds the one an undo cites,
    `reverted` the change a redo put back."""
    rows, shape = chosen.rows, chosen.shape
    if not shape.rows:
        if filtered:
            screen.emit(["No changes match."])
        else:
            screen.emit(
                ["No history yet: it starts with your first `mlpath start`, `done` or `skill`."]
            )
        return
    widths = [len(str(shape.last)), WHEN, shape.action, shape.step, 0]
    widths = [max(cells(name), found) for name, found in zip(HEADER, widths, strict=True)]
    room = width()
    if room is not None:
        changes = (
            cells(safe.terminal(_change(event, tracker, chosen), newlines=False))
            for _, event in rows()
        )
        widths[4] = max([cells(HEADER[4]), *changes])
    shown = _fit(widths, room)
    lines = _lines(rows, shown, widths, tracker, chosen)  # walked once, below
    head = [_head(shown, widths, room)]
    if room is not None:
        total = sum(widths[i] for i in shown) + 2 * (len(shown) - 1)
        head.append([(("─" if screen.fancy() else "-") * min(total, room), "dim")])
    if room is None or shape.rows + len(head) < shutil.get_terminal_size().lines or _no_pager():
        screen.emit(head)
        for chunk in _chunks(lines):
            screen.emit(chunk)
        return
    _page(head, lines)


def _fit(widths: list[int], room: int | None) -> list[int]:
    """The columns shown, as screen.table chooses them; the change column given way."""
    shown = list(range(len(HEADER)))
    if room is None:
        return shown

    def total() -> int:
        return sum(widths[i] for i in shown) + 2 * (len(shown) - 1)

    for column in (1, 3):
        if total() - widths[4] + MIN_FLEX <= room:
            break
        shown.remove(column)
    if total() > room:
        widths[4] = max(MIN_FLEX // 2, widths[4] - (total() - room))
    return shown


def _head(shown: list[int], widths: list[int], room: int | None) -> Line:
    line: Line = []
    for i in shown:
        if line:
            line.append(("  ", ""))
        pad = " " * (widths[i] - cells(HEADER[i]))
        line.append((pad + HEADER[i] if i == 0 else HEADER[i] + pad, "bold"))
    return line


def _lines(
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
        change = safe.terminal(_change(event, tracker, chosen), newlines=False)
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


def _chunks(lines: Iterator[str]) -> Iterator[list[str]]:
    chunk: list[str] = []
    for text in lines:
        chunk.append(text)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _no_pager() -> bool:
    command = os.environ.get("MLPATH_PAGER") or os.environ.get("PAGER") or "less"
    return command == "cat" or not sys.stdout.isatty()


def _page(head: list[Line], lines: Iterator[str]) -> None:
    """Through the pager ($MLPATH_PAGER, $PAGER or less), fed as the rows are read."""
    import io
    import shlex
    import subprocess

    from rich.console import Console

    from mlpath.views.richlines import print_lines

    buffer = io.StringIO()
    print_lines(head, Console(file=buffer, force_terminal=True, width=width()))
    command = os.environ.get("MLPATH_PAGER") or os.environ.get("PAGER") or "less"
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    try:
        pager = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE, text=True, env=env)
    except OSError:  # no such pager: print instead
        screen.write(buffer.getvalue())
        for chunk in _chunks(lines):
            screen.write("".join(f"{text}\n" for text in chunk))
        return
    assert pager.stdin is not None
    try:
        pager.stdin.write(buffer.getvalue())
        for chunk in _chunks(lines):
            pager.stdin.write("".join(f"{text}\n" for text in chunk))
        pager.stdin.close()
    except BrokenPipeError:  # the reader quit the pager early
        pass
    pager.wait()


def _change(event: Event, tracker: Tracker, chosen: Selection) -> str:
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
