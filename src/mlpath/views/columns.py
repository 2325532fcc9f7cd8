"""Lines fitted to a terminal's columns: folding at spaces, cutting with an ellipsis, and
tables, by counting cells (wide characters take two)."""

from __future__ import annotations

from _operator import itemgetter
from itertools import chain, repeat

from mlpath import safe
from mlpath.views.screen import Rows, ellipsis, fancy, width

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from collections.abc import Hashable, Sequence
    from typing import Any, TypeAlias

    from mlpath.views.screen import Line, Segment

    Column: TypeAlias = "tuple[Sequence[str], Sequence[str]] | Coded"


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


_TEXT, _STYLE = itemgetter(0), itemgetter(1)  # a segment's text and style
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
    return _prefix(content, room - len(mark)) + mark


def _prefix(content: str, room: int) -> str:
    """The longest start of `content` that takes at most `room` columns (a walk forward:
    cutting one character at a time from the end took minutes for a note of a megabyte)."""
    if content.isascii():
        return content[: max(room, 0)]
    taken = 0
    for end, ch in enumerate(content):
        taken += cells(ch)
        if taken > room:
            return content[:end]
    return content


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[Segment]],
    *,
    right: set[int],
    flex: int,
    drop: Sequence[int] = (),
    fold: bool = False,
) -> list[Line | Rows | str]:
    """Columns two spaces apart, a bold header (underlined on a terminal), numbers right.

    On a terminal narrower than the table, column `flex` gives way, its cells shortened with
    an ellipsis (with `fold`, when it is the last column, folded between words onto rows of
    their own instead); before it would fall below MIN_FLEX, the columns in `drop` go, in
    that order. Every line fits the terminal. A few lines of arithmetic instead of rich's
    Table, which measures every cell and took 150 ms for a 500-step catalogue.
    """
    found = list(zip(*rows, strict=True)) or [() for _ in header]
    columns = [(list(map(_TEXT, cells)), list(map(_STYLE, cells))) for cells in found]
    return grid(header, columns, right=right, flex=flex, drop=drop, fold=fold)


class Coded:
    """A column of few distinct cells (5,000 steps have a handful of statuses): each row's
    key, and each key's text and style. `texts` (and `styles`, when given) hold the keys in
    `keys` and no other: a text is measured and padded once, not once a row."""

    __slots__ = ("keys", "styles", "texts")

    def __init__(
        self, keys: Sequence[Hashable], texts: dict[Any, str], styles: dict[Any, str] | None = None
    ) -> None:
        self.keys, self.texts, self.styles = keys, texts, styles

    def cells(self) -> tuple[list[str], list[str]]:
        """The column's texts and styles, a cell a row."""
        styles = self.styles
        shown = list(map(styles.__getitem__, self.keys)) if styles else [""] * len(self.keys)
        return list(map(self.texts.__getitem__, self.keys)), shown


def grid(
    header: Sequence[str],
    columns: Sequence[Column],
    *,
    right: set[int],
    flex: int,
    drop: Sequence[int] = (),
    fold: bool = False,
) -> list[Line | Rows | str]:
    """table(), from its columns, each its cells' texts and their styles, or Coded: what a
    table of 5,000 rows is made from without a segment a cell. Piped, a table of ASCII
    cells with nothing hidden is its header and one Rows (_piped)."""
    if width() is None:
        piped = _piped(header, columns, right)
        if piped is not None:
            return piped
    return _grid(header, [_cells(column) for column in columns], right, flex, drop, fold)


def _cells(column: Column) -> tuple[Sequence[str], Sequence[str]]:
    return column.cells() if isinstance(column, Coded) else column


def _piped(
    header: Sequence[str], columns: Sequence[Column], right: set[int]
) -> list[Line | Rows | str] | None:
    """A table for no terminal (no styles, nothing cut) whose cells are ASCII with nothing
    hidden (decided once in C, a Coded column by its few texts): its header, and its rows
    as one Rows, each padded column by column and row by row in C, as _grid pads them. None
    for any other table: _grid makes it cell by cell."""
    distinct = [
        list(column.texts.values()) if isinstance(column, Coded) else column[0]
        for column in columns
    ]
    if not safe.terminal_as_is(chain(header, *distinct)):
        return None
    widths = [
        max(len(name), max(map(len, texts), default=0))
        for name, texts in zip(header, distinct, strict=True)
    ]
    padded = []
    for i, column in enumerate(columns):
        pad = str.rjust if i in right else str.ljust
        if isinstance(column, Coded):
            done = {key: pad(text, widths[i]) for key, text in column.texts.items()}
            padded.append(list(map(done.__getitem__, column.keys)))
        else:
            padded.append(list(map(pad, column[0], repeat(widths[i]))))
    head: Line = []
    for i, name in enumerate(header):
        if head:
            head.append(("  ", ""))
        head.append((name.rjust(widths[i]) if i in right else name.ljust(widths[i]), "bold"))
    rows = list(map("  ".join, zip(*padded, strict=True)))
    if not rows:
        return [head]
    block = "\n".join(rows)
    if block.endswith(" ") or " \n" in block:  # what emit would strip from each line
        block = "\n".join(map(str.rstrip, rows))
    return [head, Rows(block)]


def _grid(
    header: Sequence[str],
    columns: Sequence[tuple[Sequence[str], Sequence[str]]],
    right: set[int],
    flex: int,
    drop: Sequence[int],
    fold: bool,
) -> list[Line | Rows | str]:
    texts = [column[0] for column in columns]
    # ASCII cells with nothing hidden (the usual case, decided once in C): each is as it is,
    # as many columns as characters, and needs neither safe.terminal nor cells() of its own.
    plain = safe.terminal_as_is(chain(header, *texts))
    if not plain:
        texts = [[safe.terminal(part, newlines=False) for part in column] for column in texts]
    shown = list(range(len(header)))
    measure = len if plain else cells
    widths = [max(cells(header[i]), max(map(measure, texts[i]), default=0)) for i in shown]
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
        if plain and len(content) <= widths[i]:  # as it is: clip would leave it so
            return (content.rjust(widths[i]) if i in right else content.ljust(widths[i]), style)
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

    lines: list[Line | Rows | str] = [joined([(name, "bold") for name in header])]
    every = [zip(texts[i], columns[i][1], strict=True) for i in range(len(header))]
    rows = list(zip(*every, strict=True))
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
