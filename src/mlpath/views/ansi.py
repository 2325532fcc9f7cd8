"""The few escape sequences mlpath's own screens use on a terminal, written as rich writes
them, without importing rich (which costs a read command several times Python's start-up).

Only where rich would draw them this way: a POSIX terminal it detects as one (no
FORCE_COLOR, no TTY_COMPATIBLE, TERM neither dumb nor unknown), styles among STYLES, and no
styled text running over lines; anywhere else `lines` returns None and screen.emit uses
rich. tests/test_ansi.py proves the bytes are rich's for random lines, with and without
NO_COLOR (only a hyperlink's id, which rich draws at random, differs).
"""

from __future__ import annotations

import os
import sys

from mlpath import safe

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from collections.abc import Sequence

    from mlpath.views.screen import Line

# rich's SGR codes for the styles mlpath uses: attributes first, then the colour.
STYLES = {
    "bold": ("1", ""),
    "dim": ("2", ""),
    "red": ("", "31"),
    "green": ("", "32"),
    "yellow": ("", "33"),
    "blue": ("", "34"),
    "cyan": ("", "36"),
    "bold yellow": ("1", "33"),
}


def usable() -> bool:
    """Whether rich, asked to draw on this stdout, would draw exactly what `lines` writes."""
    if os.name != "posix" or "FORCE_COLOR" in os.environ or "TTY_COMPATIBLE" in os.environ:
        return False
    if os.environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return False
    if any(name in sys.modules for name in ("IPython", "idlelib")):
        return False
    try:
        return bool(sys.stdout.isatty())
    except (AttributeError, ValueError):
        return False


def lines(rows: Sequence[Line]) -> str | None:
    """`rows` (each already folded to the terminal) as rich's Console.print(soft_wrap=True)
    writes them, or None where only rich can say."""
    no_color = os.environ.get("NO_COLOR")
    if no_color == "":  # set but empty: rich 13.7 says no colour, later releases colour
        return None
    out: list[str] = []
    for row in rows:
        for part, style in row:
            if not part:
                continue
            if not style:
                out.append(part)
                continue
            if "\n" in part:
                return None
            if style.startswith("link "):
                url = safe.link_target(style.removeprefix("link "))
                if url:  # rich: a random id, then the hash of the style's (empty) meta
                    link_id = f"{int.from_bytes(os.urandom(3), 'big') % 1_000_000}{hash(None)}"
                    out.append(f"\x1b]8;id={link_id};{url}\x1b\\{part}\x1b]8;;\x1b\\")
                else:
                    out.append(part)
                continue
            if style not in STYLES:
                return None
            attributes, colour = STYLES[style]
            codes = ";".join(c for c in (attributes, "" if no_color else colour) if c)
            out.append(f"\x1b[{codes}m{part}\x1b[0m" if codes else part)
        out.append("\n")
    return "".join(out)
