"""The store's protocol: the state as the replay of the history, the lock, the commit.

- history.jsonl is the one record. Every change is a sealed commit of events appended to it
  (historyfile.py); nothing else says what is committed.
- progress.toml is a snapshot of the state (progressfile.py). Readers trust it only while it
  matches its history; when it is missing, damaged, behind or from another history, they
  replay the history instead (only the events it lacks, when they come after it), and the
  next writer replaces it.
- progress.toml.lock: every change holds it from reading the state to writing the snapshot.
  Events are stamped while it is held. Where the files are: layout.py.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import sys
from collections.abc import Callable, Container, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import NamedTuple

from mlpath.catalogue import Catalogue
from mlpath.core.history import Event, apply, ordered
from mlpath.core.progress import Origin, Progress
from mlpath.core.tracker import Tracker
from mlpath.errors import StoreBusy, StoreError, StoreTooNew, UsageError, reason
from mlpath.store import backups, fileio, historyfile, historyindex, layout, migrate, progressfile
from mlpath.store.layout import Paths
from mlpath.store.progressfile import Mark, Snapshot

LOCK_TIMEOUT = 10.0  # seconds a writer waits for another mlpath before giving up
TEMP_PATTERN = ".*.tmp"


def clock() -> datetime:
    """The wall time, read only while the lock is held (tests replace it)."""
    return datetime.now(UTC)


# -- reading: the state as the replay of the history -------------------------------------


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
    if size < mark.bytes or historyfile.tail_fingerprint(where.history, mark.bytes) != mark.last:
        return None
    if size == mark.bytes:
        return State(snapshot.progress, mark, True, snapshot)
    with where.history.open("rb") as handle:  # changes committed after the snapshot
        handle.seek(mark.bytes)
        extra = handle.read(size - mark.bytes)
    end = historyfile.committed_end(where.history, extra)
    if end == 0:
        return State(snapshot.progress, mark, True, snapshot)  # only a torn tail
    first_line = mark.events + 1
    later = historyfile.parse(where.history, extra[:end], first_line).events
    if any(event.clock <= mark.clock for event in later):
        return None  # merged events that order before the snapshot's: replay them all
    progress = snapshot.progress.model_copy(deep=True)
    for event in later:
        apply(progress, event)
    return State(
        progress, _extend(mark, later, extra[:end], layout.machine_id(where)), False, snapshot
    )


def _extend(mark: Mark, events: list[Event], data: bytes, machine: str) -> Mark:
    last = data[data.rfind(b"\n", 0, len(data) - 1) + 1 :]
    own = [event.seq for event in events if event.machine == machine]
    return Mark(
        mark.events + len(events),
        mark.bytes + len(data),
        historyfile.fingerprint(last),
        max(mark.clock, *(event.clock for event in events)),
        max(mark.seq, *own) if own else mark.seq,
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
    the state and the history's index are ever in memory."""
    index = historyindex.opened(where.history)
    if index is None:
        return Progress(), Mark()
    with index:
        progress = Progress()
        for event in index.events(index.order()):
            if not without or event.id not in without:
                apply(progress, event)
        return progress, mark_of_index(where, index)


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
    progress: Progress, history: historyindex.Index | historyindex.Listed, added: list[Event]
) -> Progress:
    """The replay of the committed history and `added` (none of which it holds) together,
    in the one order. `progress` is the history's replay: when all of `added` orders after
    the history, it is carried on with them (and changed); else everything is replayed,
    the history streamed and merged with them."""
    added = ordered(added)
    order = history.order()
    if not added or not order or added[0].key() > history.key(order[-1]):
        for event in added:
            apply(progress, event)
        return progress
    replayed = Progress()
    for event in heapq.merge(history.events(order), added, key=Event.key):
        apply(replayed, event)
    return replayed


def history_events() -> Iterator[Event]:
    """The committed events in the one order, streamed (for an undo that must replay)."""
    with history() as walked:
        yield from walked.events(walked.order())


def history() -> historyindex.Index | historyindex.Listed:
    """The committed history to walk, in its one order (use it in `with`)."""
    where = layout.paths()
    if migrate.legacy_history(where.history):
        return historyindex.Listed(ordered(migrate.legacy_events(where)))
    return historyindex.opened(where.history) or historyindex.Listed([])


# -- writing -------------------------------------------------------------------------------


@contextmanager
def transaction(catalogue: Catalogue) -> Iterator[Tracker]:
    """Lock, load, hand out a Tracker; commit its events if the block ends without error.

    An exception inside the block (bad input found half-way, Ctrl-C) writes nothing.
    """
    where = layout.paths()
    layout.make_home(where.home)
    if not os.access(where.home, os.W_OK | os.X_OK):  # the snapshot could never be written
        raise StoreError(f"cannot write in {where.home}: permission denied; nothing was changed")
    with locked(where):
        fileio.remove_stale_temps(where.home, TEMP_PATTERN)
        known = layout.machine(where)
        ident = known[0] if known else layout.new_machine_id()  # written with the first change
        found = migrate.upgrade_store(where, ident, state(where))
        historyfile.trim(where.history, found.mark.bytes) if where.history.exists() else None
        origin = Origin(ident, found.mark.seq, found.mark.clock)
        tracker = Tracker(catalogue, found.progress, origin)
        yield tracker
        commit(where, tracker, found)


# The commits this process has made (doctor --restore's repairs too): whatever happens after
# one (an interruption, a lost report), the command line must not say that nothing was written.
committed: list[int] = []


def commit(where: Paths, tracker: Tracker, found: State) -> None:
    """Append the tracker's events as one sealed commit, then write the snapshot.

    The commit point is the history's fsync: from then on the change stands, whatever
    happens to the snapshot (which the next reader rebuilds if it must)."""
    events = [*tracker.merged, *tracker.events]
    if not events:
        if not found.current and found.mark.events:
            _save_snapshot(where, found.progress, found.mark, found, tracker)
        return
    layout.ensure_machine(where, tracker.origin.machine)
    data = historyfile.encode(events)
    size = found.mark.bytes
    try:
        historyfile.append(where.history, data)
    except BaseException:
        with contextlib.suppress(OSError, StoreError):  # undo a partial append
            historyfile.trim(where.history, size)
        raise
    committed.append(len(events))
    mark = _extend(found.mark, events, data, tracker.origin.machine)
    _save_snapshot(where, tracker.progress, mark, found, tracker)


def _keep_damaged(where: Paths, found: State, tracker: Tracker) -> bool:
    """A damaged progress.toml is never replaced without a second name kept for it: whether
    it may be replaced. Called after the commit, so a failure here fails nothing."""
    if found.snapshot is None and where.progress.exists():
        try:
            aside = fileio.link_aside(where.progress, clock())
        except StoreError:
            tracker.notices.append(
                f"{where.progress} is damaged and could not be set aside, so it was left as it "
                "is (readers rebuild the state from the history): the change is saved in the "
                "history all the same"
            )
            return False
        tracker.notices.append(
            f"{where.progress} was damaged: rebuilt it from the history, and kept the damaged "
            f"file as {aside.name}"
        )
    return True


def _save_snapshot(
    where: Paths, progress: Progress, mark: Mark, found: State, tracker: Tracker
) -> None:
    if not _keep_damaged(where, found, tracker):
        return
    try:
        if found.snapshot is not None and found.current:
            backups.keep(where.home, where.progress, found.snapshot.mark.events)
        fileio.atomic_write(where.progress, progressfile.dump(progress, mark))
        backups.prune(where.home)
    except (StoreError, OSError) as exc:
        # The change is committed in the history; only the snapshot is behind, and the
        # next command rebuilds it. Say so rather than fail.
        tracker.notices.append(f"{exc}: the change is saved in the history all the same")


waiting: Callable[[str], None] = lambda text: print(f"mlpath: {text}", file=sys.stderr)  # noqa: E731


@contextmanager
def locked(where: Paths, timeout: float | None = None) -> Iterator[None]:
    """Hold progress.toml.lock (never deleted: removing a lock file others wait on races)."""
    from filelock import FileLock, Timeout

    wait = lock_timeout() if timeout is None else timeout
    lock = FileLock(where.lock, timeout=wait)
    try:
        # Older filelocks follow a link and truncate its target. A lock that cannot even be
        # looked at is an OSError here, said with the next step like any other.
        if where.lock.is_symlink():
            historyfile.refuse_link(where.lock)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if wait > 0:
                waiting(f"another mlpath is changing {where.home}; waiting up to {wait:g} s")
            lock.acquire()
    except Timeout:
        raise StoreBusy(
            f"another mlpath is changing {where.home} (waited {wait:g} s for {where.lock}); "
            "try again when it has finished"
        ) from None
    except OSError as exc:
        raise StoreError(
            f"cannot lock {where.lock}: {reason(exc)}; check that file and its folder "
            "(`mlpath doctor` looks at both)"
        ) from None
    try:
        yield
    finally:
        lock.release()


def lock_timeout() -> float:
    """MLPATH_LOCK_TIMEOUT, 0 to 3600 seconds. Anything else is refused: nan crashes
    filelock, and inf or a negative number would wait forever."""
    text = os.environ.get("MLPATH_LOCK_TIMEOUT", "").strip()
    if not text:
        return LOCK_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 <= value <= 3600:  # False for nan too
        raise UsageError(
            f"MLPATH_LOCK_TIMEOUT should be a number of seconds from 0 to 3600, not {text[:40]!r}"
        )
    return value


def commits_newest_first() -> Iterator[list[Event]]:
    """The committed commits, newest first, read from the end of the history. Call inside a
    transaction, which has trimmed any torn tail, so the whole file is committed."""
    path = layout.paths().history
    if not path.exists():
        return iter(())
    return historyfile.commits_from_end(path, path.stat().st_size)
