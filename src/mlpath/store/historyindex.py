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

import os
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from pathlib import Path
from typing import IO

from mlpath.core.history import Event, Invalid
from mlpath.store import historyfile
from mlpath.store.historyfile import LINE_LIMIT, damaged, decode

BLOCK = 1 << 20
# The first fields of a line as encode() writes them; the names in them hold no escapes.
_CANONICAL = re.compile(
    rb'^\{"machine":"([A-Za-z0-9_-]{1,64})","seq":([0-9]{1,19}),"batch":[0-9]{1,19},'
    rb'"clock":([0-9]{1,19}),"at":"[^"\\\n]*","catalogue":("[^"\\\n]*"),'
    rb'"action":"[a-z_]{1,20}","step":(null|"[^"\\\n]*"),[^\n]*\n',
    re.M,
)
_BITMAP = 1 << 24  # seqs below this are counted in a bitmap per machine, others in a set


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
        self.steps = array("I")
        self.names: list[str | None] = []
        self._ids: dict[bytes, int] = {}
        self.in_order = True
        self._last: tuple[int, bytes, int] = (-1, b"", -1)
        self._seen: dict[int, bytearray] = {}  # a bitmap of the seqs seen, per machine
        self._big: set[tuple[int, int]] = set()

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

    def name(self, raw: bytes) -> int:
        found = self._ids.get(raw)
        if found is None:
            found = self._ids[raw] = len(self.names)
            text = raw.decode("utf-8", "replace")
            self.names.append(None if text == "null" else text.strip('"'))
        return found

    def ident(self, text: str | None) -> int:
        """The index of a name as it is (for events decoded whole)."""
        raw = b"null" if text is None else b'"' + text.encode() + b'"'
        return self.name(raw)

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
        if self.in_order:
            return range(len(self))
        machines = sorted(set(self.machines), key=lambda machine: str(self.names[machine]))
        rank = {machine: number for number, machine in enumerate(machines)}
        keys = [
            (clock << 96) | (rank[machine] << 64) | seq
            for clock, machine, seq in zip(self.clocks, self.machines, self.seqs, strict=True)
        ]
        return sorted(range(len(keys)), key=keys.__getitem__)

    def length(self, position: int) -> int:
        end = self.offsets[position + 1] if position + 1 < len(self) else self.size
        return end - self.offsets[position]

    # -- building --------------------------------------------------------------------------

    def _add(self, offset: int, key: tuple[int, bytes, int], catalogue: int, step: int) -> None:
        clock, machine, seq = key
        number = len(self.offsets) + 1
        ident = self.name(b'"' + machine + b'"')
        if not self._first(ident, seq):
            raise damaged(self.path, number, f"a second event {machine.decode()}:{seq}")
        if key <= self._last:
            self.in_order = False
        self._last = key
        self.offsets.append(offset)
        self.clocks.append(clock)
        self.seqs.append(seq)
        self.machines.append(ident)
        self.catalogues.append(catalogue)
        self.steps.append(step)

    def _first(self, machine: int, seq: int) -> bool:
        """Whether this is the first event seen with this identity (marking it seen)."""
        if seq >= _BITMAP:
            if (machine, seq) in self._big:
                return False
            self._big.add((machine, seq))
            return True
        seen = self._seen.setdefault(machine, bytearray())
        byte, bit = seq >> 3, 1 << (seq & 7)
        if byte >= len(seen):
            seen.extend(bytes(max(byte + 1 - len(seen), len(seen))))
        if seen[byte] & bit:
            return False
        seen[byte] |= bit
        return True

    def _block(self, block: bytes, base: int) -> None:
        """Index the lines of `block` (whole lines) starting at byte `base` of the file."""
        rows = _CANONICAL.findall(block)
        parts = block.split(b"\n")
        parts.pop()
        if len(rows) != len(parts):
            self._slowly(parts, base)
            return
        starts = accumulate((len(part) + 1 for part in parts[:-1]), initial=base)
        for start, (machine, seq, clock, catalogue, step) in zip(starts, rows, strict=True):
            self._add(start, (int(clock), machine, int(seq)), self.name(catalogue), self.name(step))

    def _slowly(self, parts: list[bytes], base: int) -> None:
        for part in parts:
            text = part + b"\n"
            found = _CANONICAL.match(text)
            if found:
                machine, seq, clock, catalogue, step = found.groups()
                key = (int(clock), machine, int(seq))
                self._add(base, key, self.name(catalogue), self.name(step))
            else:
                try:
                    event, _ = decode(text)
                except Invalid as exc:
                    raise damaged(self.path, len(self) + 1, exc) from None
                key = (event.clock, event.machine.encode(), event.seq)
                self._add(base, key, self.ident(event.catalogue), self.ident(event.step))
            base += len(text)

    def events(self, positions: Iterable[int]) -> Iterator[Event]:
        """The events at `positions`, each decoded and checked, in that order."""
        if isinstance(positions, range) and positions.step == 1:
            yield from self._sequential(positions)
            return
        fd = self.handle.fileno()
        for position in positions:
            text = os.pread(fd, self.length(position), self.offsets[position])
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
        said = (self.key(position), self.catalogue(position), self.step(position))
        if (event.key(), event.catalogue, event.step) != said:
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
        index._block(data[:cut], start)
        carry = data[cut:]
    return index


def opened(path: Path) -> Index | None:
    """The history open, with its committed part indexed (close it, or use it in `with`);
    None when there is none."""
    handle = historyfile.opened(path)
    if handle is None:
        return None
    try:
        size = historyfile.committed_size(path, handle, historyfile.size_of(path, handle))
        return build(path, handle, size)
    except BaseException:
        handle.close()
        raise


class Listed:
    """Events already in memory (an old store's converted history) walked as an Index is."""

    def __init__(self, events: list[Event]) -> None:
        self.list = events  # in the one order

    def __len__(self) -> int:
        return len(self.list)

    def __enter__(self) -> Listed:
        return self

    def __exit__(self, *_: object) -> None:
        pass

    def order(self) -> Sequence[int]:
        return range(len(self.list))

    def catalogue(self, position: int) -> str | None:
        return self.list[position].catalogue

    def step(self, position: int) -> str | None:
        return self.list[position].step

    def key(self, position: int) -> tuple[int, str, int]:
        return self.list[position].key()

    def events(self, positions: Iterable[int]) -> Iterator[Event]:
        return (self.list[position] for position in positions)
