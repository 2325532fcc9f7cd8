"""Putting lines on the screen: rich on a terminal, plain text everywhere else.

A line is a list of segments, each some text and a rich style ("" for none; "link URL" for a
hyperlink). On a terminal rich draws them (colour unless NO_COLOR, links, wrapping at the
terminal's width). Piped or redirected, the text is written as it is: no escape codes, no
wrapping, no trailing spaces, and rich is never imported, which keeps scripted use fast.

Every screen goes through emit, which makes each segment's text safe for a terminal
(safe.terminal) and lets only http and https addresses become links: mlpath's own styles and
links are the only escape sequences it prints, and only on a terminal.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from mlpath import safe
from mlpath.errors import OutputLost

if TYPE_CHECKING:
    from rich.style import Style

Segment = tuple[str, str]
Line = list[Segment]
GLYPHS = "…─█▒░"  # every non-ASCII character mlpath itself draws


def prepare() -> None:
    """A character stdout's encoding lacks (PYTHONIOENCODING=ascii, LC_ALL=C) becomes '?'
    instead of an exception; stderr already escapes them (backslashreplace)."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")


def write(content: str) -> None:
    """Text on stdout, or OutputLost when it cannot be written."""
    stream = sys.stdout
    if stream is None:  # started with stdout closed (>&-)
        raise OutputLost("stdout is closed")
    try:
        stream.write(content)
        stream.flush()
    except BrokenPipeError:
        raise OutputLost("the reader of stdout has gone", pipe_closed=True) from None
    except OSError as exc:
        raise OutputLost(f"cannot write to stdout: {(exc.strerror or str(exc)).lower()}") from None
    except ValueError:  # closed under us
        raise OutputLost("stdout is closed") from None


def write_document(content: str) -> None:
    """A document (an export, a journal) in UTF-8 whatever the locale: the bytes -o writes."""
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:
        write(content)
        return
    write("")  # what is already buffered as text goes first
    try:
        binary.write(content.encode("utf-8", "replace"))
        binary.flush()
    except BrokenPipeError:
        raise OutputLost("the reader of stdout has gone", pipe_closed=True) from None
    except OSError as exc:
        raise OutputLost(f"cannot write to stdout: {(exc.strerror or str(exc)).lower()}") from None


def abandon() -> None:
    """After OutputLost: point stdout at the null device, so that Python's final flush of
    what is still buffered cannot fail again (and print a traceback of its own)."""
    stream = sys.stdout
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (AttributeError, OSError, ValueError):
        pass  # no real file behind it (a test's capture), or none at all


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
    return min(max(shutil.get_terminal_size().columns, 20), 10_000)


def text(line: Line | str) -> str:
    return line if isinstance(line, str) else "".join(part for part, _ in line)


def emit(lines: Iterable[Line | str], *, wrap: bool = True) -> None:
    """Print lines. `wrap=False` keeps each line on one row even on a narrow terminal."""
    safe_lines = [
        safe.terminal(line)
        if isinstance(line, str)
        else [(safe.terminal(part), style) for part, style in line]
        for line in lines
    ]
    plain = not terminal()
    if not plain and all(isinstance(line, str) for line in safe_lines):
        # Unstyled lines that fit need nothing from rich (~14 ms to import): `mlpath done`.
        room = width() or 0
        plain = all(cells(str(line)) <= room for line in safe_lines)
    if plain:
        write("".join(text(line).rstrip() + "\n" for line in safe_lines))
        return
    from rich.console import Console
    from rich.text import Text

    out = Console(highlight=False, width=width())  # rich would take COLUMNS=0 as it is
    try:
        for line in safe_lines:
            shown = Text(no_wrap=not wrap, overflow="fold" if wrap else "ellipsis")
            for part, style in [(line, "")] if isinstance(line, str) else line:
                shown.append(part, style=_style(style))
            if not wrap and not fancy() and shown.cell_len > out.width:
                shown.truncate(out.width - 3)  # rich's own ellipsis is '…'
                shown.append("...")
            out.print(shown)
    except OSError as exc:
        raise OutputLost(f"cannot write to stdout: {(exc.strerror or str(exc)).lower()}") from None


def _style(style: str) -> Style | str | None:
    """A rich style. A link is built, never parsed from text, and only for a safe address:
    rich's own parser would read a space or a bracket in the address as more style."""
    if not style.startswith("link "):
        return style or None
    from rich.style import Style

    url = safe.link_target(style.removeprefix("link "))
    return Style(link=url) if url else None


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
    """`content` on one line, made safe for a terminal, cut to `room` columns, an ellipsis
    marking the cut. Made safe first, so that the cut counts what the screen will show."""
    content = safe.terminal(content, newlines=False)
    if cells(content) <= room:
        return content
    mark = ellipsis()
    while content and cells(content) > room - len(mark):
        content = content[:-1]
    return content + mark


def table(
    header: Sequence[str], rows: Sequence[Sequence[Segment]], *, right: set[int], flex: int
) -> list[Line]:
    """Columns two spaces apart, a bold header (underlined on a terminal), numbers right.

    On a terminal narrower than the table, column `flex` gives way, its cells shortened
    with an ellipsis. A few lines of arithmetic instead of rich's Table, which measures
    every cell and took 150 ms for a 500-step catalogue.
    """
    rows = [[(safe.terminal(part, newlines=False), style) for part, style in row] for row in rows]
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
        lines.append([(("─" if fancy() else "-") * total, "dim")])
    lines += [joined(row) for row in rows]
    return lines
