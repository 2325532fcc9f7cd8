"""views/ansi.py writes what rich writes, byte for byte, for the lines mlpath draws (only a
hyperlink's id, which rich draws at random, is set aside)."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlpath.views import ansi

STYLES = st.sampled_from(["", *ansi.STYLES, "link https://example.com/a b", "link javascript:x"])
PARTS = st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=12)
ROWS = st.lists(st.lists(st.tuples(PARTS, STYLES), max_size=5), min_size=1, max_size=4)
LINK_ID = re.compile(r"\x1b\]8;id=[^;]*;")


def by_rich(rows: list[list[tuple[str, str]]]) -> str:
    from rich.console import Console
    from rich.text import Text

    from mlpath.views.richlines import style_of as _style

    buffer = io.StringIO()
    out = Console(file=buffer, force_terminal=True, highlight=False, width=80)
    for row in rows:
        shown = Text()
        for part, style in row:
            shown.append(part, style=_style(style))
        out.print(shown, soft_wrap=True)
    return buffer.getvalue()


@pytest.mark.parametrize("no_color", [None, "1"])
@given(rows=ROWS)
def test_the_same_bytes_as_rich(rows: list[list[tuple[str, str]]], no_color: str | None) -> None:
    with pytest.MonkeyPatch.context() as scoped:
        if no_color is None:
            scoped.delenv("NO_COLOR", raising=False)
        else:
            scoped.setenv("NO_COLOR", no_color)
        scoped.setenv("TERM", "xterm-256color")
        mine = ansi.lines(rows)
        assert mine is not None
        assert LINK_ID.sub("", mine) == LINK_ID.sub("", by_rich(rows))


def test_an_empty_no_color_is_left_to_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    """rich 13.7 (the oldest mlpath allows) takes NO_COLOR="" as set, later releases as
    unset: only the rich that is installed can say which."""
    monkeypatch.setenv("NO_COLOR", "")
    assert ansi.lines([[("x", "red")]]) is None


def test_what_it_does_not_know_is_left_to_rich() -> None:
    assert ansi.lines([[("x", "italic")]]) is None
    assert ansi.lines([[("a\nb", "bold")]]) is None
