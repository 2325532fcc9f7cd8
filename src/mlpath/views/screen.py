"""Putting lines on the screen: rich on a terminal, plain text everywhere else.

A line is a list of segments, each some text and a rich style ("" for none; "link URL" for a
hyperlink). On a terminal rich draws them (colour unless NO_COLOR, links, wrapping at the
terminal's width). Piped or redirected, the text is written as it is: no escape codes, no
wrapping, no trailing spaces, and rich is never imported, which keeps scripted use fast.

Every screen goes through emit, which makes each segment's text safe for a terminal
(safe.terminal) and lets only http and https addresses become links: mlpath's own styles and
links are the only escape sequences it prints, and only on a terminal. What it draws is
written by views/streams.py, which also holds the rest of stdout and stderr (JSON, notices,
errors).
"""

from __future__ import annotations

import os
import sys

from mlpath import safe
from mlpath.views.streams import prepare as prepare  # cli/first.py, cli/marking.py call it here
from mlpath.views.streams import write

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from collections.abc import Iterable

Segment = tuple[str, str]
Line = list[Segment]
_END = (("\n", ""),)  # a line's end, as a segment
GLYPHS = "…─█▓▒░·"  # every non-ASCII character mlpath itself draws


def interactive() -> bool:
    """Whether mlpath may ask the learner anything: stdin and stdout are both a terminal. A
    stream closed at start (<&-, >&-) is None. (views/prompts.py asks; the first dispatch
    asks this before it takes a change's road without typer.)"""
    return bool(sys.stdin and sys.stdin.isatty() and sys.stdout and sys.stdout.isatty())


def terminal() -> bool:
    """Whether stdout is a terminal, as rich decides it (FORCE_COLOR and TTY_COMPATIBLE too)."""
    if sys.stdout is None or os.environ.get("TTY_COMPATIBLE") == "0":
        return False
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return True
    return sys.stdout.isatty()


def fancy() -> bool:
    """Whether to draw mlpath's non-ASCII glyphs: not for TERM=dumb, and not on a stream whose
    encoding lacks them. Otherwise plain ASCII stands in: '...', '-', '#'."""
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        GLYPHS.encode(getattr(sys.stdout, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def ellipsis() -> str:
    return "…" if fancy() else "..."


def width() -> int | None:
    """The terminal's width, or None when there is no terminal to fit. Kept within 20 and
    10,000 columns: COLUMNS=0 or 1 would leave no room for a word."""
    if not terminal():
        return None
    return min(max(_size()[0], 20), 10_000)


def _size() -> tuple[int, int]:
    """shutil.get_terminal_size(), without importing shutil: COLUMNS and LINES when they
    are whole numbers above 0, else the terminal's, else 80 by 24."""
    found = []
    for name in ("COLUMNS", "LINES"):
        try:
            found.append(int(os.environ[name]))
        except (KeyError, ValueError):
            found.append(0)
    columns, lines = found
    if columns <= 0 or lines <= 0:
        try:
            size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            size = os.terminal_size((80, 24))
        columns = columns if columns > 0 else size.columns or 80
        lines = lines if lines > 0 else size.lines or 24
    return columns, lines


def text(line: Line | str) -> str:
    return line if isinstance(line, str) else "".join(part for part, _ in line)


class Hang:
    """A line whose continuation rows, on a terminal too narrow for it, start `indent`
    columns in: `  [ ] 3.1  A long title` keeps its title's column."""

    __slots__ = ("indent", "line")

    def __init__(self, indent: int, line: Line) -> None:
        self.indent = indent
        self.line = line


class Rows:
    """Lines for no terminal that are ASCII with nothing hidden and no space at their end,
    joined by newlines: a piped table's rows (columns.grid), printed as they are."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rows) and other.text == self.text

    def __repr__(self) -> str:
        return f"Rows({self.text!r})"


Shown = Line | str | Hang | Rows


def emit(lines: Iterable[Shown]) -> None:
    """Print lines. On a terminal, a line too long for it is folded at spaces, never inside
    a word: a URL or a long word stays whole (and copyable) even where it must overflow."""
    lines = list(lines)
    if not terminal():
        _write_plain(lines)
        return
    if any(type(line) is Rows for line in lines):  # made for no terminal: on one, they are
        lines = [row for line in lines for row in _unrolled(line)]  # lines like any other
    # Lines of plain text that are ASCII with nothing hidden (checked once, in C) are as they
    # are; the rest are made safe one by one.
    if safe.terminal_as_is([line for line in lines if type(line) is str]):
        lines = [line if isinstance(line, str) else _safe(line) for line in lines]
    else:
        lines = [_safe(line) for line in lines]
    if all(isinstance(line, str) for line in lines):
        # Unstyled lines that fit need nothing from rich (~14 ms to import): `mlpath done`.
        from mlpath.views.columns import cells  # not imported piped: a module is work

        room = width() or 0
        if all(cells(str(line)) <= room for line in lines):
            write("\n".join(str(line).rstrip() for line in lines) + "\n" if lines else "")
            return
    from mlpath.views import ansi

    if ansi.usable():  # the few sequences mlpath uses, as rich writes them, without rich
        from mlpath.views.columns import fold

        room = width() or 80
        rows = [
            row
            for line in lines
            for row in fold(_line(line), room, line.indent if isinstance(line, Hang) else 0)
        ]
        drawn = ansi.lines(rows)
        if drawn is not None:
            write(drawn)
            return
    from rich.console import Console

    from mlpath.views.richlines import print_lines

    print_lines(lines, Console(highlight=False, width=width()))  # rich takes COLUMNS=0 as it is


def _write_plain(lines: list[Shown]) -> None:
    """The lines' text, without styles or the spaces at their ends. When every segment's
    text is ASCII with nothing hidden (one check of them all, in C: 1,300 notes are 1,300
    lines), the lines are their segments' texts joined at once; else each is made safe on
    its own. Rows are as they are."""
    segments = [
        ((line, ""),)
        if type(line) is str
        else line.line
        if type(line) is Hang
        else ()
        if type(line) is Rows
        else line
        for line in lines
    ]
    # One comprehension, no call a line: each line's texts, then a newline.
    body = "".join([part for line in segments for each in (line, _END) for part, _ in each])  # type: ignore[union-attr, str-unpack]
    rows = any(type(line) is Rows for line in lines)
    # As many newlines as lines: none inside a segment, whose text is then as it is too.
    if body.count("\n") == len(lines) and safe.terminal_as_is([body.replace("\n", "")]):
        if not rows and " \n" not in body:  # nothing to strip or put in
            write(body)
            return
        texts = body.split("\n")
    else:
        texts = ["" if type(line) is Rows else text(_line(_safe(line))) for line in lines]
    found = [
        line.text if type(line) is Rows else shown.rstrip()
        for line, shown in zip(lines, texts, strict=False)  # split leaves one more, ""
    ]
    write("\n".join(found) + "\n" if found else "")


def _unrolled(line: Shown) -> list[Shown]:
    return [*line.text.split("\n")] if isinstance(line, Rows) else [line]


def _safe(line: Shown) -> Shown:
    if isinstance(line, Rows):  # made safe already (columns.grid)
        return line
    if isinstance(line, str):
        return safe.terminal(line)
    if isinstance(line, Hang):
        return Hang(line.indent, [(safe.terminal(part), style) for part, style in line.line])
    return [(safe.terminal(part), style) for part, style in line]


def _line(line: Shown) -> Line:
    if isinstance(line, Hang):
        return line.line
    if isinstance(line, Rows):
        return [(line.text, "")]
    return [(line, "")] if isinstance(line, str) else line
