"""stdout and stderr as streams, beyond the screens that views/screen.py draws on them:
text written to stdout, or OutputLost when it cannot be (`write`: emit's lines, the log's
chunks, documents), JSON on stdout (`print_json`), and one line for the person on stderr
(`notice`, `working`, `error`); with `prepare` (a character stdout cannot encode becomes
'?') and `abandon` (after OutputLost, stdout pointed at the null device).

No `typing` here, as in screen.py: both are on the read commands' fast road.
"""

from __future__ import annotations

import os
import sys

from mlpath import safe
from mlpath.errors import OutputLost, reason

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from typing import Any


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
