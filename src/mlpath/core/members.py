"""Which changes still stand (Reversals), and which events of one commit an undo or a redo
reverts, kept small. Pure.

An import is one commit, and a million events of it may still stand: an undo reverts them
all. What the walk keeps of them is their identities (`Members`: per machine a sorted array
of seqs, 8 bytes an event), and `Left` gives back the events themselves by walking the
commit again (a long commit is read again from the store's file: see events.Commit).
`replay_without` replays the history without them, streamed.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Container, Iterable, Iterator

from mlpath.core.events import REVERSALS, Commit, Event, ordered
from mlpath.core.history import apply
from mlpath.core.progress import Progress


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


Key = tuple[int, str, int]  # Event.key(): the one order


class Reversals:
    """The undos and redos seen so far, and what they say about the changes they name.

    A change stands unless the newest of the undos of it, and of the redos of those undos,
    is an undo: as in the replay, where each removes or puts back in turn, the last one
    decides, whichever machine made it. Every undo or redo of a change comes after it in
    the history's file, so a walk from the end has seen them all when it reaches it. Only
    their identities and keys are kept, not the events (an undone import: a million)."""

    def __init__(self) -> None:
        self.undos: dict[str, list[tuple[Key, str]]] = {}  # change id -> its undos' keys, ids
        self.redos: dict[str, list[Key]] = {}  # undo id -> the keys of the redos of it

    def see(self, event: Event) -> None:
        if event.action == "undo":
            target = str(event.details.get("undoes"))
            self.undos.setdefault(target, []).append((event.key(), event.id))
        elif event.action == "redo":
            self.redos.setdefault(str(event.details.get("undoes")), []).append(event.key())

    def redone(self, undo: Event) -> bool:
        return undo.id in self.redos

    def stands(self, event: Event) -> bool:
        return event.action not in REVERSALS and self.stands_id(event.id)

    def stands_id(self, change: str) -> bool:
        """Whether the change of this identity (not an undo or a redo) stands."""
        undos = self.undos.get(change)
        if not undos:
            return True
        last, undone = max(undos)[0], True
        for _, undo in undos:
            top = max(self.redos.get(undo, ()), default=None)
            if top is not None and top > last:
                last, undone = top, False
        return not undone


def standing(events: Iterable[Event], catalogue_id: str) -> list[Event]:
    """The changes on this path that still stand, in key order: no undos or redos, and none
    that an undo still in force reverted."""
    ours = ordered(e for e in events if e.catalogue == catalogue_id)
    seen = Reversals()
    for event in ours:
        seen.see(event)
    return [event for event in ours if seen.stands(event)]


def replay_without(
    everything: Callable[[], Iterable[Event]],
    left: Container[Event],
    catalogue_id: str,
    reversals: Callable[[], Iterable[Event]] | None = None,
) -> Progress:
    """The replay of the changes on this path that stand, without those of `left`:
    replay(e for e in standing(everything(), catalogue_id) if e not in left), holding
    neither: `everything` gives the history in its one order, streamed, and is walked for
    the undos and redos in it (or `reversals` is, when it gives just those), then again."""
    seen = Reversals()
    for event in (reversals or everything)():
        if event.action in REVERSALS and event.catalogue == catalogue_id:
            seen.see(event)
    progress = Progress()
    for event in everything():
        if event.catalogue == catalogue_id and seen.stands(event) and event not in left:
            apply(progress, event)
    return progress
