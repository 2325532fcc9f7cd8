"""The log: every change, numbered as `undo` cites it, oldest first, written as it is read.

A history of 100,000 changes is never held in memory: the command walks the store's history
in its one order and hands the rows over one at a time (views/logrows.py chooses them and
writes each). The table's columns are as wide as the widest cell, as screen.table makes
them; the widths of the number, the action and the step are known before the first row (from
the history's index), the change's only on a terminal, where it may have to give way: there
the rows are walked twice. A table taller than the terminal goes through the pager
(views/logpager.py).
"""

from __future__ import annotations

import shutil

from mlpath import safe
from mlpath.core.tracker import Tracker
from mlpath.views import logpager, logrows, screen
from mlpath.views.columns import MIN_FLEX, cells
from mlpath.views.logrows import HEADER, WHEN, Selection
from mlpath.views.screen import Line, width


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
            cells(safe.terminal(logrows.change_text(event, tracker, chosen), newlines=False))
            for _, event in rows()
        )
        widths[4] = max([cells(HEADER[4]), *changes])
    shown = _fit(widths, room)
    lines = logrows.lines(rows, shown, widths, tracker, chosen)  # walked once, below
    head = [_head(shown, widths, room)]
    if room is not None:
        total = sum(widths[i] for i in shown) + 2 * (len(shown) - 1)
        head.append([(("─" if screen.fancy() else "-") * min(total, room), "dim")])
    if (
        room is None
        or shape.rows + len(head) < shutil.get_terminal_size().lines
        or logpager.no_pager()
    ):
        screen.emit(head)
        for chunk in logpager.chunks(lines):
            screen.emit(chunk)
        return
    logpager.page(head, lines)


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
