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
import sys

from mlpath import safe
from mlpath.errors import OutputLost, reason

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

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


Shown = Line | str | Hang


def emit(lines: Iterable[Shown]) -> None:
    """Print lines. On a terminal, a line too long for it is folded at spaces, never inside
    a word: a URL or a long word stays whole (and copyable) even where it must overflow."""
    lines = list(lines)
    # Lines of plain text that are ASCII with nothing hidden (a table's 5,000 rows: checked
    # once, in C) are as they are; the rest are made safe one by one.
    if safe.terminal_as_is([line for line in lines if type(line) is str]):
        lines = [line if type(line) is str else _safe(line) for line in lines]
    else:
        lines = [_safe(line) for line in lines]
    plain = not terminal()
    if not plain and all(isinstance(line, str) for line in lines):
        # Unstyled lines that fit need nothing from rich (~14 ms to import): `mlpath done`.
        from mlpath.views.columns import cells  # not imported piped: a module is work

        room = width() or 0
        plain = all(cells(str(line)) <= room for line in lines)
    if plain:
        texts = [line if type(line) is str else text(_line(line)) for line in lines]
        write("\n".join(map(str.rstrip, texts)) + "\n" if texts else "")
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

    _print(lines, Console(highlight=False, width=width()))  # rich would take COLUMNS=0 as it is


def _print(lines: Sequence[Shown], out: Any) -> None:
    from rich.text import Text

    from mlpath.views.columns import fold

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

    rows = _size()[1]
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


# -- stdout and stderr beyond the screens --------------------------------------------


def print_json(data: Any) -> None:
    """JSON on stdout: characters as they are where stdout can encode them, else as \\u
    escapes (ensure_ascii), which every JSON reader takes back; control characters always
    escaped (safe.json_text)."""
    import json

    document = safe.json_text(data)
    try:
        document.encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        document = json.dumps(data, indent=2)
    write(document + "\n")


def notice(message: str) -> None:
    """A line for the person, on stderr, so that stdout stays what was asked for."""
    _to_stderr(f"{safe.terminal(message, newlines=False)}\n")


def _to_stderr(line: str) -> None:
    try:
        sys.stderr.write(line)
        sys.stderr.flush()  # in order with stdout when both go to one place
    except (AttributeError, OSError, ValueError):
        pass  # stderr closed or full: there is nowhere left to say anything


def working(message: str) -> None:
    """Say, on a terminal only, what a long piece of work is doing, so a wait is never silent;
    scripts and pipes get nothing."""
    if sys.stderr.isatty():
        _to_stderr(f"mlpath: {safe.terminal(message, newlines=False)}\n")


def error(message: str) -> None:
    """One line on stderr, no decoration: errors are read by people and by scripts. A message
    may quote a catalogue or a file: what it quotes is shown, never acted on."""
    _to_stderr(f"mlpath: {safe.terminal(message, newlines=False)}\n")
