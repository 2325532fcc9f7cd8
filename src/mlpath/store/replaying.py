"""The state as the replay of the history, and the history walked in its one order.

progress.toml is a snapshot of the state (progressfile.py). `state` trusts it only while it
matches its history; when it is missing, damaged, behind or from another history, the
history is replayed instead (only the events it lacks, when they all come after it). The
commands that walk the history get it from `history()`: the index of history.jsonl
(historyindex.py), or an old store's converted events in memory.
"""

from __future__ import annotations

import copy
import heapq
from collections.abc import Collection, Container, Iterator

from mlpath.core.history import REVERSALS, Event, Invalid, apply, ordered
from mlpath.core.progress import Progress
from mlpath.errors import StoreError, StoreTooNew, reason
from mlpath.store import historyfile, historyindex, historytail, layout, migrate, progressfile
from mlpath.store.layout import Paths
from mlpath.store.listedhistory import Listed
from mlpath.store.progressfile import Mark, Snapshot
from mlpath.store.spool import Spooled

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple


class State(NamedTuple):
    progress: Progress
    mark: Mark  # the committed history: `bytes` is where its last seal ends
    current: bool  # whether progress.toml is this state's snapshot, as it is on disk
    snapshot: Snapshot | None  # what progress.toml held, when it could be read


def read() -> Progress:
    """The committed state, without a lock: files are replaced whole, and the history is
    only ever appended to, so a reader sees a state that was committed."""
    return state(layout.paths()).progress


def state(where: Paths) -> State:
    historyfile.refuse_link(where.history)
    try:
        snapshot = progressfile.read_snapshot(where.progress)
    except StoreTooNew:
        raise
    except StoreError:
        if not historyfile.has_events(where.history):
            raise  # nothing to rebuild it from: the damaged file may hold all there is
        snapshot = None  # damaged: the history says what the state is
    if snapshot is not None and snapshot.version < migrate.CURRENT:
        return migrate.legacy_state(where, snapshot)
    if snapshot is not None:
        found = _from_snapshot(where, snapshot)
        if found is not None:
            return found
    if snapshot is None and migrate.legacy_history(where.history):
        return migrate.legacy_state(where, None)
    return _replayed(where, snapshot)


def _from_snapshot(where: Paths, snapshot: Snapshot) -> State | None:
    mark = snapshot.mark
    try:
        size = where.history.stat().st_size
    except FileNotFoundError:
        size = 0
    except OSError as exc:
        raise StoreError(f"cannot read {where.history}: {reason(exc)}") from None
    if size < mark.bytes or historytail.tail_fingerprint(where.history, mark.bytes) != mark.last:
        return None
    if size == mark.bytes:
        return State(snapshot.progress, mark, True, snapshot)
    with historyfile.reading(where.history) as handle:  # changes committed after the snapshot
        handle.seek(mark.bytes)
        extra = handle.read(size - mark.bytes)
    first_line = mark.events + 1
    end = historytail.committed_end(where.history, extra, first_line)
    if end == 0:
        return State(snapshot.progress, mark, True, snapshot)  # only a torn tail
    later = historyfile.parse(where.history, extra[:end], first_line).events
    if any(event.clock <= mark.clock for event in later):
        return None  # merged events that order before the snapshot's: replay them all
    progress = copy.deepcopy(snapshot.progress)
    for event in later:
        apply(progress, event)
    return State(
        progress, extend(mark, later, extra[:end], layout.machine_id(where)), False, snapshot
    )


def extend(
    mark: Mark, events: list[Event], data: bytes, machine: str, size: int | None = None
) -> Mark:
    """`mark` carried on over `events`, committed as `data` (or `size` bytes that end with
    `data`)."""
    own = max((event.seq for event in events if event.machine == machine), default=0)
    top = max((event.clock for event in events), default=0)
    return extend_by(mark, len(events), top, own, data, len(data) if size is None else size)


def extend_by(mark: Mark, count: int, top: int, own: int, data: bytes, size: int) -> Mark:
    """`mark` carried on over `count` events (their highest clock `top`, the highest seq of
    this machine's own among them `own`), committed as `size` bytes that end with `data`."""
    last = data[data.rfind(b"\n", 0, len(data) - 1) + 1 :]
    return Mark(
        mark.events + count,
        mark.bytes + size,
        historyfile.fingerprint(last),
        max(mark.clock, top),
        max(mark.seq, own),
    )


def _replayed(where: Paths, snapshot: Snapshot | None) -> State:
    progress, mark = replay_history(where)
    if snapshot is not None and mark.bytes < snapshot.mark.bytes:
        raise StoreError(
            f"{where.history}: holds less than progress.toml has seen ({mark.bytes} of "
            f"{snapshot.mark.bytes} bytes): it was cut short or replaced; "
            "`mlpath doctor --restore` keeps both and rebuilds what it can"
        )
    return State(progress, mark, False, snapshot)


def replay_history(where: Paths, without: Container[str] = ()) -> tuple[Progress, Mark]:
    """The state the committed history describes (less the events named in `without`),
    and its mark: every event checked and applied in the one order, streamed, so that only
    the state and the history's index are ever in memory. A history already in its one order
    (as it is unless a merge brought earlier events) is replayed in one sweep as it is read;
    any other, or one with anything wrong in it, through its index, which says what."""
    swept = _in_one_sweep(where, without)
    if swept is not None:
        return swept
    index = historyindex.opened(where.history)
    if index is None:
        return Progress(), Mark()
    with index:
        progress = Progress()
        for event in index.events(index.order()):
            if not without or event.id not in without:
                apply(progress, event)
        return progress, mark_of_index(where, index)


def _in_one_sweep(where: Paths, without: Container[str]) -> tuple[Progress, Mark] | None:
    """replay_history's answer, reading each line once: None when the history is out of
    its one order or is damaged (the index then finds which), or when a machine's seqs do
    not rise along it, as they do in every history mlpath writes (so an identity given twice
    is never missed: its second comes with a seq no higher than one before)."""
    handle = historyfile.opened(where.history)
    if handle is None:
        return None
    with handle:
        try:
            whole = historyfile.size_of(where.history, handle)
            size = historytail.committed_size(where.history, handle, whole)
        except StoreError:
            return None
        progress = Progress()
        seqs: dict[str, int] = {}  # each machine's last seq so far
        key: tuple[int, str, int] = (-1, "", 0)
        count, last = 0, b""
        try:
            for _, text in historyfile.lines(handle, 0, size):
                event, _ = historyfile.decode(text)
                after = (event.clock, event.machine, event.seq)
                if after <= key or event.seq <= seqs.get(event.machine, 0):
                    return None
                key, last = after, text
                seqs[event.machine] = event.seq
                count += 1
                if not without or event.id not in without:
                    apply(progress, event)
        except (Invalid, StoreError):
            return None
    fingerprint = historyfile.fingerprint(last) if last else ""
    own = seqs.get(layout.machine_id(where), 0)
    return progress, Mark(count, size, fingerprint, max(key[0], 0), own)


def mark_of_index(where: Paths, index: historyindex.Index) -> Mark:
    own = index.machine_id(layout.machine_id(where))
    last = index.last_line()
    return Mark(
        len(index),
        index.size,
        historyfile.fingerprint(last) if last else "",
        max(index.clocks, default=0),
        index.last_seq(own),
    )


def mark_of(where: Paths, committed: historyfile.Committed) -> Mark:
    machine = layout.machine_id(where)
    own = [event.seq for event in committed.events if event.machine == machine]
    return Mark(
        len(committed.events),
        committed.size,
        committed.last,
        max((event.clock for event in committed.events), default=0),
        max(own, default=0),
    )


def read_history() -> list[Event]:
    """The committed events in the history's one order, in memory: for the commands that
    draw from all of it at once (map, journal). log and export stream it (history())."""
    where = layout.paths()
    if migrate.legacy_history(where.history):
        return ordered(migrate.legacy_events(where))
    index = historyindex.opened(where.history)
    if index is None:
        return []
    with index:
        return list(index.events(index.order()))


def with_merged(
    progress: Progress,
    history: historyindex.Index | Listed,
    added: Collection[Event],
    in_order: bool = False,
) -> Progress:
    """The replay of the committed history and `added` (none of which it holds) together,
    in the one order. `progress` is the history's replay: when all of `added` orders after
    the history, it is carried on with them (and changed); else everything is replayed,
    the history streamed and merged with them. `in_order`: `added` is already in the one
    order (a spool of them is read, never sorted in memory)."""
    theirs: Collection[Event] = added if in_order else ordered(added)
    first = theirs.first if isinstance(theirs, Spooled) else next(iter(theirs), None)
    order = history.order()
    if first is None or not order or first.key() > history.key(order[-1]):
        for event in theirs:
            apply(progress, event)
        return progress
    replayed = Progress()
    for event in heapq.merge(history.events(order), theirs, key=Event.key):
        apply(replayed, event)
    return replayed


def history_events() -> Iterator[Event]:
    """The committed events in the one order, streamed (for an undo that must replay)."""
    with history() as walked:
        yield from walked.events(walked.order())


def history_reversals() -> Iterator[Event]:
    """The committed undos and redos in the one order, streamed: only their lines decoded."""
    with history() as walked:
        yield from walked.events(p for p in walked.order() if walked.action(p) in REVERSALS)


def history() -> historyindex.Index | Listed:
    """The committed history to walk, in its one order (use it in `with`)."""
    where = layout.paths()
    if migrate.legacy_history(where.history):
        return Listed(ordered(migrate.legacy_events(where)))
    return historyindex.opened(where.history) or Listed([])
