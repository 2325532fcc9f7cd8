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
from typing import TYPE_CHECKING, Any, NamedTuple

from mlpath import safe
from mlpath.errors import OutputLost, reason

if TYPE_CHECKING:
    from rich.style import Style

Segment = tuple[str, str]
Line = list[Segment]
GLYPHS = "…─█▓▒░·"  # every non-ASCII character mlpath itself draws


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
        raise OutputLost(f"cannot write to stdout: {reason(exc)}") from None
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
        raise OutputLost(f"cannot write to stdout: {reason(exc)}") from None


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


class Hang(NamedTuple):
    """A line whose continuation rows, on a terminal too narrow for it, start `indent`
    columns in: `  [ ] 3.1  A long title` keeps its title's column."""

    indent: int
    line: Line


Shown = Line | str | Hang


def emit(lines: Iterable[Shown]) -> None:
    """Print lines. On a terminal, a line too long for it is folded at spaces, never inside
    a word: a URL or a long word stays whole (and copyable) even where it must overflow."""
    lines = [_safe(line) for line in lines]
    plain = not terminal()
    if not plain and all(isinstance(line, str) for line in lines):
        # Unstyled lines that fit need nothing from rich (~14 ms to import): `mlpath done`.
        room = width() or 0
        plain = all(cells(str(line)) <= room for line in lines)
    if plain:
        write("".join(text(_line(line)).rstrip() + "\n" for line in lines))
        return
    from rich.console import Console

    _print(lines, Console(highlight=False, width=width()))  # rich would take COLUMNS=0 as it is


def _print(lines: Sequence[Shown], out: Any) -> None:
    from rich.text import Text

    try:
        for line in lines:
            indent = line.indent if isinstance(line, Hang) else 0
            for row in fold(_line(line), out.width, indent):
                shown = Text()
                for part, style in row:
                    shown.append(part, style=_style(style))
                out.print(shown, soft_wrap=True)  # rich neither wraps nor crops: fold has
    except OSError as exc:
        raise OutputLost(f"cannot write to stdout: {reason(exc)}") from None


def _safe(line: Shown) -> Shown:
    if isinstance(line, str):
        return safe.terminal(line)
    if isinstance(line, Hang):
        return Hang(line.indent, [(safe.terminal(part), style) for part, style in line.line])
    return [(safe.terminal(part), style) for part, style in line]


def _style(style: str) -> Style | str | None:
    """A rich style. A link is built, never parsed from text, and only for a safe address:
    rich's own parser would read a space or a bracket in the address as more style."""
    if not style.startswith("link "):
        return style or None
    from rich.style import Style

    url = safe.link_target(style.removeprefix("link "))
    return Style(link=url) if url else None


def page(lines: Sequence[Shown]) -> None:
    """Lines taller than the terminal go through a pager: $MLPATH_PAGER, else $PAGER, else
    `less`. Anywhere else (a pipe, a file, a short listing) they are simply printed."""
    import subprocess

    rows = shutil.get_terminal_size().lines
    command = os.environ.get("MLPATH_PAGER") or os.environ.get("PAGER") or "less"
    if not terminal() or not sys.stdout.isatty() or len(lines) < rows or command == "cat":
        emit(lines)
        return
    import io
    import shlex

    from rich.console import Console

    buffer = io.StringIO()
    _print(lines, Console(file=buffer, force_terminal=True, width=width(), highlight=False))
    # less: keep colours (R), leave the text on the screen (X), quit at the end if short (F)
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    try:
        subprocess.run(shlex.split(command), input=buffer.getvalue(), text=True, env=env)
    except OSError:  # no such pager: print instead
        write(buffer.getvalue())


def _line(line: Shown) -> Line:
    if isinstance(line, Hang):
        return line.line
    return [(line, "")] if isinstance(line, str) else line


def fold(line: Line, room: int, indent: int = 0) -> list[Line]:
    """`line` as rows of at most `room` columns, broken at spaces, later rows indented.

    A word longer than a row is never broken: it overflows its row whole.
    """
    chars = [(ch, style) for part, style in line for ch in part]
    content = "".join(ch for ch, _ in chars)
    if cells(content) <= room:
        return [line]
    # A space inside `a command` is no place to break: the command is read, and copied, whole.
    quoted, inside = [], False
    for ch in content:
        inside ^= ch == "`"
        quoted.append(inside)
    rows: list[Line] = []
    start, lead = 0, 0
    while True:
        rest = content[start:]
        avail = room - lead
        if cells(rest) <= avail:
            rows.append(_regroup(chars[start:], lead))
            return rows
        body = len(rest) - len(rest.lstrip(" "))  # leading spaces belong to the row
        cut = None
        for i in range(body + 1, len(rest)):
            if cells(rest[:i]) > avail:
                break
            if rest[i] == " " and not quoted[start + i]:
                cut = i
        if cut is None:  # one word wider than the row: keep it whole
            later = [
                i for i in range(body + 1, len(rest)) if rest[i] == " " and not quoted[start + i]
            ]
            cut = later[0] if later else -1
            if cut < 0:
                rows.append(_regroup(chars[start:], lead))
                return rows
        rows.append(_regroup(chars[start : start + cut], lead))
        start += cut
        while start < len(content) and content[start] == " ":
            start += 1
        if start >= len(content):
            return rows
        lead = min(indent, max(room // 2, 0))


def _regroup(chars: Sequence[tuple[str, str]], lead: int) -> Line:
    row: Line = [(" " * lead, "")] if lead else []
    for ch, style in chars:
        if row and row[-1][1] == style:
            row[-1] = (row[-1][0] + ch, style)
        else:
            row.append((ch, style))
    return row


MIN_FLEX = 12  # a table's shrinking column keeps this much before other columns go


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
    header: Sequence[str],
    rows: Sequence[Sequence[Segment]],
    *,
    right: set[int],
    flex: int,
    drop: Sequence[int] = (),
    fold: bool = False,
) -> list[Line]:
    """Columns two spaces apart, a bold header (underlined on a terminal), numbers right.

    On a terminal narrower than the table, column `flex` gives way, its cells shortened with
    an ellipsis (with `fold`, when it is the last column, folded between words onto rows of
    their own instead); before it would fall below MIN_FLEX, the columns in `drop` go, in
    that order. Every line fits the terminal. A few lines of arithmetic instead of rich's
    Table, which measures every cell and took 150 ms for a 500-step catalogue.
    """
    rows = [[(safe.terminal(part, newlines=False), style) for part, style in row] for row in rows]
    shown = list(range(len(header)))
    widths = [max([cells(header[i]), *(cells(row[i][0]) for row in rows)]) for i in shown]
    room = width()

    def total() -> int:
        return sum(widths[i] for i in shown) + 2 * (len(shown) - 1)

    if room is not None:
        for column in drop:
            if total() - widths[flex] + MIN_FLEX <= room:
                break
            shown.remove(column)
        if total() > room:
            widths[flex] = max(MIN_FLEX // 2, widths[flex] - (total() - room))

    def cell(segment: Segment, i: int) -> Segment:
        content, style = segment
        content = clip(content, widths[i])
        pad = " " * (widths[i] - cells(content))
        return (pad + content if i in right else content + pad, style)

    def joined(segments: Sequence[Segment]) -> Line:
        line: Line = []
        for i in shown:
            if line:
                line.append(("  ", ""))
            line.append(cell(segments[i], i))
        return line

    lines = [joined([(name, "bold") for name in header])]
    if room is not None:
        lines.append([(("─" if fancy() else "-") * min(total(), room), "dim")])
    if not (fold and room is not None and shown[-1] == flex):
        return lines + [joined(row) for row in rows]
    indent = " " * (total() - widths[flex])
    for row in rows:
        first, *more = folded(row[flex][0], widths[flex])
        lines.append(joined([*row[:flex], (first, row[flex][1]), *row[flex + 1 :]]))
        lines += [[(indent + part, row[flex][1])] for part in more]
    return lines


def folded(content: str, room: int) -> list[str]:
    """`content` in rows of `room` columns, broken between words; a longer word is cut."""
    rows: list[str] = []
    for word in content.split(" "):
        if rows and cells(f"{rows[-1]} {word}") <= room:
            rows[-1] += f" {word}"
        else:
            rows.append(word)
    return [clip(row, room) for row in rows]
