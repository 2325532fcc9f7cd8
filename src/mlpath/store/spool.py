"""Checked events kept on disk while an import runs, and the events a change makes until
they are committed (an undo of a million-event import makes a million), so that a million
of them cost a file, not a million objects: an anonymous temporary file (gone when it is
closed, or when the process ends however it ends), the events marshalled as tuples of plain
values, a batch at a time. Read back in the order they were added, by one reader at a time.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from mlpath.core.events import Event
from mlpath.errors import StoreError, reason

BATCH = 1000  # events marshalled together: one load a batch, not one a field


IMPORTING = "the events being imported", "nothing imported"
CHANGING = "the changes being made", "nothing was changed"


class Spooled:
    """Events added one at a time, kept in a temporary file; len() and iteration, plus
    what a commit needs to know of them without reading them again (reach), and the first
    and the last ([0] and [-1], what a Tracker reads of the events it records: it
    appends to one as to a list). `kept` names them in an error: what they are, and what
    was not done."""

    def __init__(self, kept: tuple[str, str] = IMPORTING) -> None:
        self.kept = kept
        self._file: IO[bytes] | None = None
        self._empty()

    def _empty(self) -> None:
        self.closed = False
        self._batch: list[tuple[Any, ...]] = []
        self._count = 0
        self._reading = False
        self.first: Event | None = None
        self.last: Event | None = None
        self._top = 0
        self._seqs: dict[str, int] = {}  # each machine's highest seq among them

    def __enter__(self) -> Spooled:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Gone: the file closed (and so removed), nothing held; closing again is allowed."""
        self.closed = True
        self._batch = []
        if self._file is not None:
            self._file.close()
            self._file = None

    def clear(self) -> None:
        """Empty again, as a new one."""
        self.close()
        self._empty()

    def __len__(self) -> int:
        return self._count

    def __contains__(self, item: object) -> bool:  # a Collection: an event of its identity
        return isinstance(item, Event) and any(event.id == item.id for event in self)

    def __getitem__(self, index: int) -> Event:
        """The first event ([0]) or the last ([-1]); no other is kept to be read by index."""
        found = self.first if index in (0, -self._count) else None
        found = self.last if index in (-1, self._count - 1) else found
        if found is None:
            raise IndexError(f"a spool gives only its first and last event, not [{index}]")
        return found

    def add(self, event: Event) -> None:
        if self._reading:
            raise RuntimeError("events added to a spool while it is read")
        if self.closed:
            raise RuntimeError("events added to a closed spool")
        if self.first is None:
            self.first = event
        self.last = event
        self._top = max(self._top, event.clock)
        if event.seq > self._seqs.get(event.machine, 0):
            self._seqs[event.machine] = event.seq
        e, at = event, event.at.isoformat()
        fields = (e.machine, e.seq, e.batch, e.clock, at, e.catalogue, e.action, e.step)
        self._batch.append((*fields, e.details))
        self._count += 1
        if len(self._batch) >= BATCH:
            self._flush()

    append = add  # what a Tracker calls (events.Recorded)

    def reach(self, machine: str) -> tuple[int, int]:
        """The highest clock of the events, and the highest seq among `machine`'s."""
        return self._top, self._seqs.get(machine, 0)

    def __iter__(self) -> Iterator[Event]:
        if self._reading:
            raise RuntimeError("a spool read by two readers at once")
        if self.closed:
            raise RuntimeError("a closed spool read")
        self._flush()
        self._reading = True
        try:
            if self._file is None:
                yield from self._events(self._batch)
                return
            self._file.seek(0)
            left = self._count
            while left:  # marshal.load on a file reads a byte at a time: loads() a block
                size = int.from_bytes(self._file.read(8), "little")
                batch = marshal.loads(self._file.read(size))
                left -= len(batch)
                yield from self._events(batch)
        finally:
            self._reading = False

    @staticmethod
    def _events(batch: list[tuple[Any, ...]]) -> Iterator[Event]:
        when = datetime.fromisoformat
        for m, seq, b, clock, at, cat, action, step, details in batch:
            yield Event(m, seq, b, clock, when(at), cat, action, step, details)

    def _flush(self) -> None:
        if not self._batch or (self._file is None and self._count <= BATCH):
            return  # a short spool stays in memory
        try:
            if self._file is None:
                import tempfile  # only once the events outgrow memory

                self._file = tempfile.TemporaryFile(prefix="mlpath-")  # noqa: SIM115 (closed by close())
            self._file.seek(0, 2)
            block = marshal.dumps(self._batch)
            self._file.write(len(block).to_bytes(8, "little") + block)
        except OSError as exc:
            what, undone = self.kept
            raise StoreError(
                f"cannot keep {what} in the temporary folder "
                f"({reason(exc)}): set TMPDIR to a folder with room; {undone}"
            ) from None
        self._batch = []
