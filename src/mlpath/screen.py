"""Putting lines on the screen: rich on a terminal, plain text everywhere else.

A line is a list of segments, each some text and a rich style ("" for none). On a terminal
rich draws them (colour unless NO_COLOR, links, wrapping at the terminal's width). Piped or
redirected, the text is written as it is: no escape codes, no wrapping, no trailing spaces,
and rich is never imported, which keeps scripted use fast.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable, Sequence

Segment = tuple[str, str]
Line = list[Segment]


def terminal() -> bool:
    """Whether stdout is a terminal, as rich decides it (FORCE_COLOR and TTY_COMPATIBLE too)."""
    if os.environ.get("TTY_COMPATIBLE") == "0":
        return False
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return True
    return sys.stdout.isatty()


def width() -> int | None:
    """The terminal's width, or None when there is no terminal to fit."""
    return shutil.get_terminal_size().columns if terminal() else None


def text(line: Line | str) -> str:
    return line if isinstance(line, str) else "".join(part for part, _ in line)


def emit(lines: Iterable[Line | str], *, wrap: bool = True) -> None:
    """Print lines. `wrap=False` keeps each line on one row even on a narrow terminal."""
    lines = list(lines)
    plain = not terminal()
    if not plain and all(isinstance(line, str) for line in lines):
        # Unstyled lines that fit need nothing from rich (~14 ms to import): `mlpath done`.
        room = width() or 0
        plain = all(len(str(line)) <= room for line in lines)
    if plain:
        sys.stdout.write("".join(text(line).rstrip() + "\n" for line in lines))
        sys.stdout.flush()
        return
    from rich.console import Console
    from rich.text import Text

    out = Console(highlight=False)
    for line in lines:
        shown = Text(no_wrap=not wrap, overflow="fold" if wrap else "ellipsis")
        for part, style in [(line, "")] if isinstance(line, str) else line:
            shown.append(part, style=style or None)
        out.print(shown)


def cells(content: str) -> int:
    """Columns `content` takes on a terminal: wide East Asian characters and most emoji take
    two, combining marks none. ASCII, the usual case, is just its length."""
    if content.isascii():
        return len(content)
    import unicodedata

    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in content
    )


def clip(content: str, room: int) -> str:
    """`content` cut to `room` columns, an ellipsis marking the cut."""
    if cells(content) <= room:
        return content
    while content and cells(content) > room - 1:
        content = content[:-1]
    return content + "…"


def table(
    header: Sequence[str], rows: Sequence[Sequence[Segment]], *, right: set[int], flex: int
) -> list[Line]:
    """Columns two spaces apart, a bold header (underlined on a terminal), numbers right.

    On a terminal narrower than the table, column `flex` gives way, its cells shortened
    with an ellipsis. A few lines of arithmetic instead of rich's Table, which measures
    every cell and took 150 ms for a 500-step catalogue.
    """
    columns = range(len(header))
    widths = [max([cells(header[i]), *(cells(row[i][0]) for row in rows)]) for i in columns]
    room = width()
    total = sum(widths) + 2 * (len(widths) - 1)
    if room is not None and total > room:
        widths[flex] = max(8, widths[flex] - (total - room))
        total = sum(widths) + 2 * (len(widths) - 1)

    def cell(segment: Segment, i: int) -> Segment:
        content, style = segment
        content = clip(content, widths[i])
        pad = " " * (widths[i] - cells(content))
        return (pad + content if i in right else content + pad, style)

    def joined(cells: Sequence[Segment]) -> Line:
        line: Line = []
        for i, segment in enumerate(cells):
            if i:
                line.append(("  ", ""))
            line.append(cell(segment, i))
        return line

    lines = [joined([(name, "bold") for name in header])]
    if room is not None:
        lines.append([("─" * total, "dim")])
    lines += [joined(row) for row in rows]
    return lines
