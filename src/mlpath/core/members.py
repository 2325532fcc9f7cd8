"""Which events of one commit an undo or a redo reverts, kept small. Pure.

An import is one commit, and a million events of it may still stand: an undo reverts them
all. What the walk keeps of them is their identities (`Members`: per machine a sorted array
of seqs, 8 bytes an event), and `Left` gives back the events themselves by walking the
commit again (a long commit is read again from the store's file: see events.Commit).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator

from mlpath.core.events import Commit, Event


class Members:
    """A set of event identities, compact: per machine a sorted array('q') of seqs. Add
    them all, then ask (asking sorts what was added out of order, once)."""

    def __init__(self) -> None:
        self._seqs: dict[str, array[int]] = {}
        self._sorted: set[str] = set()  # the machines whose arrays are known sorted
        self._count = 0

    def add(self, event: Event) -> None:
        self.add_id(event.machine, event.seq)

    def add_id(self, machine: str, seq: int) -> None:
        seqs = self._seqs.get(machine)
        if seqs is None:
            seqs = self._seqs[machine] = array("q")
            self._sorted.add(machine)
        elif seqs[-1] >= seq:
            self._sorted.discard(machine)
        seqs.append(seq)
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __contains__(self, item: object) -> bool:
        """Whether an event, or an identity as (machine, seq), is one of these."""
        if isinstance(item, Event):
            return self.has(item.machine, item.seq)
        if isinstance(item, tuple) and len(item) == 2:
            return self.has(*item)
        return False

    def has(self, machine: str, seq: int) -> bool:
        seqs = self._seqs.get(machine)
        if seqs is None:
            return False
        if machine not in self._sorted:
            seqs = self._seqs[machine] = array("q", sorted(seqs))
            self._sorted.add(machine)
        where = bisect_left(seqs, seq)
        return where < len(seqs) and seqs[where] == seq


class Left:
    """The events of `commit` among `members` but not among `gone`, walked again from the
    commit: in the file's order, or newest first (reversed). len() is how many there are;
    `in` asks whether an event is one of them."""

    def __init__(self, commit: Commit, members: Members, gone: Members | None = None) -> None:
        self.commit = commit
        self.members = members
        self.gone = gone or Members()

    def __len__(self) -> int:
        return len(self.members) - len(self.gone)

    def __contains__(self, event: object) -> bool:
        return event in self.members and not (self.gone and event in self.gone)

    def __iter__(self) -> Iterator[Event]:
        return self._among(iter(self.commit))

    def __reversed__(self) -> Iterator[Event]:
        return self._among(reversed(self.commit))

    def _among(self, events: Iterator[Event]) -> Iterator[Event]:
        if not self:
            return
        members, gone = self.members, self.gone
        for event in events:
            if event in members and not (gone and event in gone):
                yield event


NOTHING = Left([], Members())
