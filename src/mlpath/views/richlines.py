"""Lines drawn by rich: on a terminal that views/ansi.py cannot draw for, and through a pager.

Split from views/screen.py, whose emit comes here only when rich must draw (it is imported
by nothing on a piped read).
"""

from __future__ import annotations

from mlpath import safe
from mlpath.errors import OutputLost, reason
from mlpath.views.screen import Hang, _line

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from rich.style import Style

    from mlpath.views.screen import Shown


def print_lines(lines: Sequence[Shown], out: Any) -> None:
    from rich.text import Text

    from mlpath.views.columns import fold

    try:
        for line in lines:
            indent = line.indent if isinstance(line, Hang) else 0
            for row in fold(_line(line), out.width, indent):
                shown = Text()
                for part, style in row:
                    shown.append(part, style=style_of(style))
                out.print(shown, soft_wrap=True)  # rich neither wraps nor crops: fold has
    except OSError as exc:
        raise OutputLost(f"cannot write to stdout: {reason(exc)}") from None


def style_of(style: str) -> Style | str | None:
    """A rich style. A link is built, never parsed from text, and only for a safe address:
    rich's own parser would read a space or a bracket in the address as more style."""
    if not style.startswith("link "):
        return style or None
    from rich.style import Style

    url = safe.link_target(style.removeprefix("link "))
    return Style(link=url) if url else None
