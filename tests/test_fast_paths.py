"""The short cuts that make a 5,000-step catalogue cheap to show, each against the general
code it stands in for: safe.terminal_as_is against safe.terminal, a table's plain ASCII path
against its cell-by-cell path, emit's one check against a check a line, and flow.suggest
(groups, and no ranking without `whole`) against sorting every open step by its key."""

from __future__ import annotations

import io
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mlpath import safe
from mlpath.core import flow
from mlpath.core.flow import Candidate, Placed, Suggestion
from mlpath.views import columns, screen
from tests.conftest import examples

# Text as a catalogue may hold it: ASCII, wide characters, combining marks, escapes.
CELL = st.one_of(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30),
    st.text(st.sampled_from("ab 漢字é\u0301\x1b[31m\u202e\n\t…"), max_size=12),
)


@given(st.lists(CELL, max_size=6))
def test_terminal_as_is_is_what_terminal_leaves_as_it_is(texts: list[str]) -> None:
    expected = all(t.isascii() and safe.terminal(t, newlines=False) == t for t in texts)
    assert safe.terminal_as_is(texts) == expected


def test_terminal_as_is_every_ascii_character() -> None:
    for code in range(128):
        ch = chr(code)
        assert safe.terminal_as_is(["ab", ch]) == (safe.terminal(ch, newlines=False) == ch)
    assert not safe.terminal_as_is(["é"])  # printable, but not one column a character


def _general(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every short cut off: each cell and line checked and measured on its own."""
    monkeypatch.setattr(safe, "terminal_as_is", lambda texts: False)


def _texts(lines: list[screen.Line | screen.Rows | str]) -> list[str]:
    """The lines as emit prints them piped: Rows as they are (no space at their ends to
    strip), the rest without their spaces at the end."""
    found = []
    for line in lines:
        if isinstance(line, screen.Rows):
            found += line.text.split("\n")
        else:
            found.append(screen.text(line).rstrip())
    return found


ROWS = st.lists(st.lists(CELL, min_size=4, max_size=4), max_size=8)


@settings(deadline=None, max_examples=examples(150))
@given(rows=ROWS, room=st.sampled_from([None, 20, 33, 60, 200]), fold=st.booleans())
def test_a_plain_table_is_the_table_cell_by_cell(
    rows: list[list[str]], room: int | None, fold: bool
) -> None:
    """Rows that fit and rows that do not, at several widths, ASCII or not (one cell with a
    wide character or an escape sends the whole table the general way): the same lines,
    styles and all on a terminal, the same text on a pipe, and nothing hidden gets out."""
    segments = [[(text, "yellow" if i == 2 else "") for i, text in enumerate(row)] for row in rows]

    def made() -> list[screen.Line | screen.Rows | str]:
        return columns.table(
            ["#", "Step", "Status", "Notes"],
            segments,
            right={0},
            flex=3 if fold else 1,
            drop=[2],
            fold=fold,
        )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(columns, "width", lambda: room)
        fast = made()
        _general(patch)
        slow = made()
    if room is None:
        assert _texts(fast) == _texts(slow)
    else:
        assert fast == slow
    for line in _texts(fast):
        assert safe.first_hidden(line) is None


def test_a_plain_table_pads_and_aligns_as_the_general_one(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [[("7", ""), ("A step", ""), ("done", "green")], [("10", ""), ("B", ""), ("todo", "")]]
    monkeypatch.setattr(columns, "width", lambda: None)
    piped = columns.table(["#", "Step", "Status"], rows, right={0}, flex=1)
    assert piped[0] == [
        (" #", "bold"),
        ("  ", ""),
        ("Step  ", "bold"),
        ("  ", ""),
        ("Status", "bold"),
    ]
    assert isinstance(piped[1], screen.Rows)
    assert piped[1].text == " 7  A step  done\n10  B       todo"  # the ends stripped, as emit would
    assert len(piped) == 2


KEYS = st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=8)
TEXTS = st.fixed_dictionaries(dict.fromkeys("abcd", CELL))
STYLES = st.fixed_dictionaries({key: st.sampled_from(["", "dim", "green"]) for key in "abcd"})


@settings(deadline=None, max_examples=150)
@given(
    keys=KEYS,
    texts=TEXTS,
    styles=st.one_of(st.none(), STYLES),
    first=st.lists(CELL, min_size=8, max_size=8),
    room=st.sampled_from([None, 20, 33, 200]),
    right=st.sets(st.sampled_from([0, 1])),
)
def test_a_coded_column_is_its_cells(
    keys: list[str],
    texts: dict[str, str],
    styles: dict[str, str] | None,
    first: list[str],
    room: int | None,
    right: set[int],
) -> None:
    """A Coded column (each row's key, each key's text and style, measured and padded once
    a key) makes the table its cells, a cell a row, make: piped, on a terminal, plain ASCII
    or not, the column on the right or the left, at the end or not."""
    present = set(keys)
    coded = columns.Coded(
        keys,
        {key: text for key, text in texts.items() if key in present},
        None if styles is None else {key: style for key, style in styles.items() if key in present},
    )
    named = first[: len(keys)]
    spelled = ([texts[key] for key in keys], [styles[key] if styles else "" for key in keys])
    plain = (named, [""] * len(keys))
    header = ["Name", "Coded", "Last"]
    orders: list[list[columns.Column]] = [[plain, coded, plain], [plain, plain, coded]]
    for order in orders:
        as_cells: list[columns.Column] = [
            spelled if column is coded else column for column in order
        ]
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(columns, "width", lambda: room)
            fast = columns.grid(header, order, right=right, flex=0)
            slow = columns.grid(header, as_cells, right=right, flex=0)
            _general(patch)
            general = columns.grid(header, as_cells, right=right, flex=0)
        assert fast == slow
        assert _texts(fast) == _texts(general)
        if room is not None:
            assert fast == general


def _emitted(lines: list[screen.Shown]) -> str:
    out = io.StringIO()
    saved = sys.stdout
    sys.stdout = out
    try:
        screen.emit(lines)
    finally:
        sys.stdout = saved
    return out.getvalue()


@pytest.mark.parametrize("on_a_terminal", [False, True])
def test_emit_prints_rows_as_the_lines_they_hold(
    monkeypatch: pytest.MonkeyPatch, on_a_terminal: bool
) -> None:
    """Rows (a piped table's) print as their lines would, piped or, should they reach one,
    on a terminal."""
    monkeypatch.setattr(screen, "terminal", lambda: on_a_terminal)
    monkeypatch.setattr(screen, "width", lambda: 80)
    lines: list[screen.Shown] = ["Title", screen.Rows(" 1  a\n 2  b"), [("end", "dim")]]
    assert _emitted(lines) == _emitted(["Title", " 1  a", " 2  b", [("end", "dim")]])
    if not on_a_terminal:
        assert _emitted(lines) == "Title\n 1  a\n 2  b\nend\n"


SEGMENTS = st.lists(st.tuples(CELL, st.sampled_from(["", "bold", "dim"])), max_size=3)
HANGS = st.builds(screen.Hang, st.integers(0, 6), SEGMENTS)


PRINTABLE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=10)
# A piped table's rows, as columns.grid makes them: ASCII, nothing hidden, no space at the end.
ROWS_OF = st.builds(
    lambda texts: screen.Rows("\n".join(text.rstrip() for text in texts)),
    st.lists(PRINTABLE, min_size=1, max_size=3),
)


@given(st.lists(st.one_of(CELL, SEGMENTS, HANGS, ROWS_OF)))
@example(["a ", "b"])  # a space at a line's end, which goes
@example([[("x", ""), (" ", "dim")], screen.Hang(2, [("y  ", "")])])
@example(["a\nb ", "c"])  # a newline inside a line: the lines cannot be told by newlines
@example([screen.Rows(" 1  a\n 2  b"), "end "])
@example([])
def test_emit_checks_plain_lines_once_as_it_checks_them_one_by_one(
    lines: list[screen.Shown],
) -> None:
    fast = _emitted(lines)
    with pytest.MonkeyPatch.context() as general:
        _general(general)
        slow = _emitted(lines)
    assert fast == slow
    assert safe.first_hidden(fast.replace("\n", "")) is None


# -- flow.suggest against the plain sort it stands in for ----------------------------------


def _reference(candidates: list[Candidate], skill: float, start: bool) -> Suggestion:
    """flow.suggest as it was: every open step sorted by its key."""
    if not candidates:
        return flow.suggest([], skill)
    keyed = sorted(
        (flow.key(c.rank, c.challenge, c.in_progress, skill, start), c) for c in candidates
    )
    ranking = [
        Placed(
            c,
            flow.zone(skill, c.challenge),
            flow.gap_of(skill, c.challenge),
            k[1],
            flow._decided(keyed[i - 1][0][:3], k[:3]) if i else "",
        )
        for i, (k, c) in enumerate(keyed)
    ]
    best, rest = ranking[0], ranking[1:]
    alternatives = [p for p in rest if not p.step.in_progress and p.zone != "boredom"][:2]
    begun = [(p, flow.in_progress_reason(p, skill)) for p in rest if p.step.in_progress]
    passed = sorted(p.step.rank for p in rest if not p.step.in_progress and p.zone == "boredom")
    why = flow.start_reason(best.step) if start else flow.reason(best.step, skill)
    return Suggestion(best.step, skill, best.zone, why, ranking, alternatives, begun, passed)


# Whole challenges as ints and as floats (4 and 4.0 are one dict key, not one figure type).
CHALLENGE = st.one_of(
    st.integers(1, 10), st.integers(1, 10).map(float), st.integers(10, 100).map(lambda t: t / 10)
)
OPEN_STEPS = st.lists(
    st.builds(Candidate, st.integers(1, 60), st.just("s"), CHALLENGE, st.booleans()),
    max_size=30,
    unique_by=lambda c: c.rank,
)
SKILL = st.one_of(st.integers(1, 10), st.integers(10, 100).map(lambda t: t / 10))


@settings(deadline=None, max_examples=examples(300))
@given(OPEN_STEPS, SKILL, st.booleans(), st.booleans())
def test_the_picture_is_the_sorted_ranking_s(
    candidates: list[Candidate], skill: float, start: bool, in_order: bool
) -> None:
    """Exactly, ties and types included (repr tells 1 from 1.0), in the path's order or not,
    from Candidates or plain tuples; without `whole`, the same picture and no ranking."""
    if in_order:
        candidates = sorted(candidates)
    expected = _reference(candidates, skill, start)
    whole = flow.suggest(candidates, skill, start=start)
    assert repr(whole) == repr(expected)
    rows = [tuple(c) for c in candidates]
    part = flow.suggest(rows, skill, start=start, whole=False)  # type: ignore[arg-type]
    assert repr(part) == repr(expected._replace(ranking=[]))
    steps = [(c.rank, c.challenge, c.in_progress) for c in candidates]
    assert flow.best(steps, skill, start=start) == (expected.step.rank if expected.step else None)


def test_many_steps_in_few_groups() -> None:
    """5,000 steps of ten challenges, a few begun: the short cut passes over whole groups."""
    candidates = [Candidate(n, f"s{n}", n % 10 + 1, n % 997 == 0) for n in range(1, 5001)]
    expected = _reference(candidates, 6, False)
    assert repr(flow.suggest(candidates, 6)) == repr(expected)
    assert repr(flow.suggest(candidates, 6, whole=False)) == repr(expected._replace(ranking=[]))
