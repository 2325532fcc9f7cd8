"""The committed history in its one order, streamed: what log, export, doctor and a replay
walk, in memory that stays small however long the history grows.

An Index says, for each committed event, where its line starts and how it orders (clock,
machine, seq), with its catalogue and step: about 40 bytes an event, in arrays. It is read
from the lines' first fields, which encode() always writes first and in this order, without
decoding the rest (a line written any other way is decoded whole to find them). Then
`events()` decodes and checks each line the caller walks, once, in key order: sequentially
when the file is already in that order (it is, unless a merge brought earlier events), else
line by line where each one lies. A line whose fields do not say what its index said is
damage.
"""

from __future__ import annotations

import operator
import os
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, islice
from pathlib import Path
from typing import IO

from mlpath.core.history import Event, Invalid
from mlpath.errors import StoreError, reason
from mlpath.store import historyfile, historytail
from mlpath.store.historyfile import LINE_LIMIT, damaged, decode

BLOCK = 1 << 18  # bytes read at a time: what a block of lines costs in memory, bounded
# The first fields of a line as encode() writes them; the names in them hold no escapes.
_CANONICAL = re.compile(
    rb'^\{"machine":("[A-Za-z0-9_-]{1,64}"),"seq":([0-9]{1,19}),"batch":[0-9]{1,19},'
    rb'"clock":([0-9]{1,19}),"at":"[^"\\\n]*","catalogue":("[^"\\\n]*"),'
    rb'"action":("[a-z_]{1,20}"),"step":(null|"[^"\\\n]*"),[^\n]*\n',
    re.M,
)


class Index:
    """Where every committed event of one history file is, and how it orders."""

    def __init__(self, path: Path, handle: IO[bytes], size: int) -> None:
        self.path = path
        self.handle = handle
        self.size = size  # the committed bytes
        self.offsets = array("Q")
        self.clocks = array("Q")
        self.seqs = array("Q")
        self.machines = array("I")  # each an index into names
        self.catalogues = array("I")
        self.actions = array("I")
        self.steps = array("I")
        self.names: list[str | None] = []
        self._ids: dict[bytes, int] = {}
        self.in_order = True
        self._keys: list[int] | None = None  # the keys to sort by, when not in order
        self._byid = array("I")  # positions by identity

    def __len__(self) -> int:
        return len(self.offsets)

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *_: object) -> None:
        self.handle.close()

    def catalogue(self, position: int) -> str | None:
        return self.names[self.catalogues[position]]

    def step(self, position: int) -> str | None:
        return self.names[self.steps[position]]

    def action(self, position: int) -> str | None:
        return self.names[self.actions[position]]

    def name(self, raw: bytes) -> int:
        found = self._ids.get(raw)
        if found is None:
            found = self._ids[raw] = len(self.names)
            text = raw.decode("utf-8", "replace")
            self.names.append(None if text == "null" else text[1:-1])
        return found

    def machine_id(self, machine: str) -> int | None:
        return self._ids.get(b'"' + machine.encode() + b'"')

    def last_seq(self, machine: int | None) -> int:
        """The highest seq of `machine`'s events (0 for none)."""
        if machine is None:
            return 0
        pairs = zip(self.machines, self.seqs, strict=True)
        return max((seq for ident, seq in pairs if ident == machine), default=0)

    def key(self, position: int) -> tuple[int, str, int]:
        machine = str(self.names[self.machines[position]])
        return (self.clocks[position], machine, self.seqs[position])

    def order(self) -> Sequence[int]:
        """The positions in the history's one order: clock, then machine, then seq."""
        if self._keys is None:
            return range(len(self))
        return sorted(range(len(self._keys)), key=self._keys.__getitem__)

    def length(self, position: int) -> int:
        end = self.offsets[position + 1] if position + 1 < len(self) else self.size
        return end - self.offsets[position]

    # -- building --------------------------------------------------------------------------

    def _block(self, block: bytes, base: int) -> None:
        """Index the lines of `block` (whole lines) starting at byte `base` of the file."""
        rows = _CANONICAL.findall(block)
        parts = block.split(b"\n")
        parts.pop()
        if len(rows) != len(parts):
            rows = self._slowly(parts)
        self.offsets.extend(accumulate((len(part) + 1 for part in parts[:-1]), initial=base))
        ids, name = self._ids, self.name
        self.machines.extend([ids[r[0]] if r[0] in ids else name(r[0]) for r in rows])
        self.seqs.extend([int(r[1]) for r in rows])
        self.clocks.extend([int(r[2]) for r in rows])
        self.catalogues.extend([ids[r[3]] if r[3] in ids else name(r[3]) for r in rows])
        self.actions.extend([ids[r[4]] if r[4] in ids else name(r[4]) for r in rows])
        self.steps.extend([ids[r[5]] if r[5] in ids else name(r[5]) for r in rows])

    def _slowly(self, parts: list[bytes]) -> list[tuple[bytes, ...]]:
        """The first fields of each line, decoding whole the lines not as encode() writes."""
        rows: list[tuple[bytes, ...]] = []
        for part in parts:
            text = part + b"\n"
            found = _CANONICAL.match(text)
            if found:
                rows.append(found.groups())
                continue
            try:
                event, _ = decode(text)
            except Invalid as exc:
                raise damaged(self.path, len(self) + len(rows) + 1, exc) from None
            numbers = (str(event.seq).encode(), str(event.clock).encode())
            rows.append(
                (
                    _token(event.machine),
                    *numbers,
                    *map(_token, (event.catalogue, event.action, event.step)),
                )
            )
        return rows

    def _finish(self) -> None:
        """Check that every identity is there once, and whether the file is in key order."""
        ids = [(machine << 64) | seq for machine, seq in zip(self.machines, self.seqs, strict=True)]
        byid = sorted(range(len(ids)), key=ids.__getitem__)
        if any(map(operator.eq, (ids[p] for p in byid), (ids[p] for p in islice(byid, 1, None)))):
            self._second()
        self._byid = array("I", byid)
        del ids, byid
        machines = sorted(set(self.machines), key=lambda machine: str(self.names[machine]))
        rank = {machine: number for number, machine in enumerate(machines)}
        keys = [
            (clock << 96) | (rank[machine] << 64) | seq
            for clock, machine, seq in zip(self.clocks, self.machines, self.seqs, strict=True)
        ]
        self.in_order = all(map(operator.lt, keys, islice(keys, 1, None)))
        self._keys = None if self.in_order else keys

    def position_of(self, ident: str) -> int | None:
        """Where the event with this identity (machine:seq) is, or None."""
        machine_name, _, number = ident.rpartition(":")
        machine = self.machine_id(machine_name)
        if machine is None or not number.isdigit():
            return None
        target = (machine << 64) | int(number)
        machines, seqs = self.machines, self.seqs
        found = bisect_left(self._byid, target, key=lambda p: (machines[p] << 64) | seqs[p])
        if found < len(self._byid) and self.key_id(self._byid[found]) == target:
            return self._byid[found]
        return None

    def event_of(self, ident: str) -> Event | None:
        """The event with this identity (machine:seq), read and checked; or None."""
        position = self.position_of(ident)
        return None if position is None else next(self.events([position]))

    def key_id(self, position: int) -> int:
        return (self.machines[position] << 64) | self.seqs[position]

    def _second(self) -> None:
        seen: set[tuple[int, int]] = set()
        for number, pair in enumerate(zip(self.machines, self.seqs, strict=True), start=1):
            if pair in seen:
                event = f"{self.names[pair[0]]}:{pair[1]}"
                raise damaged(self.path, number, f"a second event {event}")
            seen.add(pair)

    def events(self, positions: Iterable[int]) -> Iterator[Event]:
        """The events at `positions`, each decoded and checked, in that order."""
        positions = _as_range(positions)
        if isinstance(positions, range) and positions.step == 1:
            yield from self._sequential(positions)
            return
        fd = self.handle.fileno()
        for position in positions:
            try:
                text = os.pread(fd, self.length(position), self.offsets[position])
            except OSError as exc:
                raise StoreError(f"cannot read {self.path}: {reason(exc)}") from None
            yield self._checked(position, text)

    def _sequential(self, positions: range) -> Iterator[Event]:
        if not positions:
            return
        start = self.offsets[positions[0]]
        end = self.offsets[positions[-1]] + self.length(positions[-1])
        texts = historyfile.lines(self.handle, start, end)
        for position, (_, text) in zip(positions, texts, strict=False):
            yield self._checked(position, text)

    def _checked(self, position: int, text: bytes) -> Event:
        try:
            event, _ = decode(text)
        except Invalid as exc:
            raise damaged(self.path, position + 1, exc) from None
        names = self.names
        if (
            event.clock != self.clocks[position]
            or event.seq != self.seqs[position]
            or event.machine != names[self.machines[position]]
            or event.catalogue != names[self.catalogues[position]]
            or event.step != names[self.steps[position]]
            or event.action != names[self.actions[position]]
        ):
            raise damaged(self.path, position + 1, "a field given twice, or out of its place")
        return event

    def last_line(self) -> bytes:
        if not len(self):
            return b""
        position = len(self) - 1
        return os.pread(self.handle.fileno(), self.length(position), self.offsets[position])


def build(path: Path, handle: IO[bytes], size: int) -> Index:
    """The index of the file's first `size` bytes (all committed), read a block at a time."""
    index = Index(path, handle, size)
    handle.seek(0)
    done, carry = 0, b""
    while done < size:
        data = carry + handle.read(min(BLOCK, size - done))
        if len(data) == len(carry):
            break  # the file is shorter than it said: a reader sees what there is
        start = done - len(carry)
        done += len(data) - len(carry)
        cut = data.rfind(b"\n") + 1
        if cut == 0 and len(data) > LINE_LIMIT:
            raise damaged(path, len(index) + 1, f"longer than {LINE_LIMIT >> 20} MiB")
        if cut:  # a block inside a line longer than BLOCK holds no line to index
            index._block(data[:cut], start)
        carry = data[cut:]
    index._finish()
    return index


def _as_range(positions: Iterable[int]) -> Iterable[int]:
    """Positions that follow one another in the file as a range: read in one sweep."""
    if isinstance(positions, range) or not isinstance(positions, Sequence | array):
        return positions
    if not positions or positions[-1] - positions[0] != len(positions) - 1:
        return positions
    if all(map(operator.lt, positions, islice(positions, 1, None))):
        return range(positions[0], positions[-1] + 1)
    return positions


def _token(name: str | None) -> bytes:
    """A name as the index keeps it: as its JSON."""
    return b"null" if name is None else b'"' + name.encode() + b'"'


def opened(path: Path) -> Index | None:
    """The history open, with its committed part indexed (close it, or use it in `with`);
    None when there is none."""
    handle = historyfile.opened(path)
    if handle is None:
        return None
    try:
        size = historytail.committed_size(path, handle, historyfile.size_of(path, handle))
        return build(path, handle, size)
    except BaseException:
        handle.close()
        raise
