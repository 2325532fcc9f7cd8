"""The store's protocol: the lock and the commit (the state as the replay: replaying.py).

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
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from mlpath.catalogue import Catalogue
from mlpath.core.history import Event
from mlpath.core.progress import Origin, Progress
from mlpath.core.tracker import Tracker
from mlpath.errors import StoreBusy, StoreError, UsageError, reason
from mlpath.store import (
    backups,
    eventcodec,
    fileio,
    historyfile,
    historytail,
    layout,
    migrate,
    progressfile,
)
from mlpath.store.layout import Paths
from mlpath.store.progressfile import Mark
from mlpath.store.replaying import (
    State,
    extend_by,
    history,
    history_events,
    history_reversals,
    mark_of,
    mark_of_index,
    read,
    read_history,
    replay_history,
    state,
    with_merged,
)
from mlpath.store.spool import CHANGING, Spooled

__all__ = [
    "State",
    "commit",
    "history",
    "history_events",
    "history_reversals",
    "locked",
    "mark_of",
    "mark_of_index",
    "read",
    "read_history",
    "replay_history",
    "state",
    "transaction",
    "with_merged",
]

LOCK_TIMEOUT = 10.0  # seconds a writer waits for another mlpath before giving up
TEMP_PATTERN = ".*.tmp"


def clock() -> datetime:
    """The wall time, read only while the lock is held (tests replace it)."""
    return datetime.now(UTC)


# -- writing -------------------------------------------------------------------------------


@contextmanager
def transaction(catalogue: Catalogue) -> Iterator[Tracker]:
    """Lock, load, hand out a Tracker; commit its events if the block ends without error.

    An exception inside the block (bad input found half-way, Ctrl-C) writes nothing.
    """
    where = layout.paths()
    layout.make_home(where.home)
    if not os.access(where.home, os.W_OK | os.X_OK):  # the snapshot could never be written
        raise StoreError(
            f"cannot write in {where.home}: {_why_not(where.home)}; nothing was changed"
        )
    with locked(where), Spooled(CHANGING) as made:  # an undo of an import makes a million
        fileio.remove_stale_temps(where.home, TEMP_PATTERN)
        known = layout.machine(where)
        ident = known[0] if known else layout.new_machine_id()  # written with the first change
        found = migrate.upgrade_store(where, ident, state(where))
        historyfile.trim(where.history, found.mark.bytes) if where.history.exists() else None
        origin = Origin(ident, found.mark.seq, found.mark.clock)
        tracker = Tracker(catalogue, found.progress, origin, made)
        yield tracker
        commit(where, tracker, found)


def _why_not(folder: Path) -> str:
    """Why os.access says a folder cannot be written: a read-only mount, or its modes."""
    try:
        read_only = bool(os.statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 0))
    except (AttributeError, OSError):  # no statvfs on Windows
        read_only = False
    return "read-only file system" if read_only else "permission denied"


# The commits this process has made (doctor --restore's repairs too): whatever happens after
# one (an interruption, a lost report), the command line must not say that nothing was written.
committed: list[int] = []


def commit(where: Paths, tracker: Tracker, found: State) -> None:
    """Append the tracker's events as one sealed commit, then write the snapshot.

    The commit point is the history's fsync: from then on the change stands, whatever
    happens to the snapshot (which the next reader rebuilds if it must)."""
    if not tracker.merged and not tracker.events:
        if not found.current and found.mark.events:
            _save_snapshot(where, found.progress, found.mark, found, tracker)
        return
    layout.ensure_machine(where, tracker.origin.machine)
    size = found.mark.bytes
    written = Written(tracker.origin.machine)
    events = written.events(itertools.chain(tracker.merged, tracker.events))
    try:  # a piece at a time: a long commit (an import) never holds all its lines
        historyfile.append(where.history, written.count(eventcodec.encoded(events)))
    except BaseException:
        with contextlib.suppress(OSError, StoreError):  # undo a partial append
            historyfile.trim(where.history, size)
        raise
    committed.append(written.events_written)
    mark = extend_by(
        found.mark, written.events_written, written.top, written.own, written.last, written.size
    )
    _save_snapshot(where, tracker.progress, mark, found, tracker)


class Written:
    """What a commit came to as it is written: its events (how many, the highest clock, the
    highest seq of this machine's own), its bytes and its last piece."""

    def __init__(self, machine: str) -> None:
        self.machine = machine
        self.size = 0
        self.last = b""
        self.events_written = self.top = self.own = 0

    def events(self, events: Iterable[Event]) -> Iterator[Event]:
        for event in events:
            self.events_written += 1
            self.top = max(self.top, event.clock)
            if event.machine == self.machine:
                self.own = max(self.own, event.seq)
            yield event

    def count(self, pieces: Iterable[bytes]) -> Iterator[bytes]:
        for piece in pieces:
            self.size += len(piece)
            self.last = piece
            yield piece


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
    from mlpath.store import lockfile

    wait = lock_timeout() if timeout is None else timeout

    def notice() -> None:
        waiting(f"another mlpath is changing {where.home}; waiting up to {wait:g} s")

    try:
        # Never through a link (older mlpaths' filelock truncated a link's target). A lock
        # that cannot even be looked at is an OSError here, said with the next step.
        if where.lock.is_symlink():
            historyfile.refuse_link(where.lock)
        held = lockfile.acquire(where.lock, wait, notice)
    except OSError as exc:
        raise StoreError(
            f"cannot lock {where.lock}: {reason(exc)}; check that file and its folder "
            "(`mlpath doctor` looks at both)"
        ) from None
    if held is None:
        raise StoreBusy(
            f"another mlpath is changing {where.home} (waited {wait:g} s for {where.lock}); "
            "try again when it has finished"
        )
    try:
        yield
    finally:
        lockfile.release(held)


def lock_timeout() -> float:
    """MLPATH_LOCK_TIMEOUT, 0 to 3600 seconds. Anything else is refused: nan would never
    time out, and inf or a negative number would wait forever."""
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


def commits_newest_first() -> Iterator[list[Event] | historytail.Stored]:
    """The committed commits, newest first, read from the end of the history. Call inside a
    transaction, which has trimmed any torn tail, so the whole file is committed."""
    path = layout.paths().history
    if not path.exists():
        return iter(())
    return historytail.commits_from_end(path, path.stat().st_size)
