"""Bringing a damaged store back to health: `mlpath doctor --restore`.

Restore never deletes and never leaves a moment without the files: a damaged file is first
hard-linked aside, then replaced whole by its repaired version, so a kill at any point leaves
a store that reads, and a failed write (a full disk) leaves the old file in place, which is
what it says. A healthy store is read once, as doctor reads it, and nothing is written.
"""

from __future__ import annotations

from datetime import datetime

from mlpath import catalogue
from mlpath.core.history import Event
from mlpath.core.progress import Progress
from mlpath.errors import StoreError, StoreTooNew, reason
from mlpath.plain import replace
from mlpath.store import fileio, historyfile, layout, migrate, progressfile, record


def restore(now: datetime) -> list[str]:
    """Repair what is damaged; return what was done, each line true when it is printed."""
    where = layout.paths()
    try:
        if not where.home.is_dir():
            return ["Nothing to restore: no data folder yet."]
    except OSError as exc:
        raise StoreError(f"cannot reach {where.home}: {reason(exc)}") from None
    with record.locked(where):
        fileio.remove_stale_temps(where.home, record.TEMP_PATTERN)
        done: list[str] = []
        walked = _salvage_history(where, now, done)
        _rebuild_snapshot(where, now, done, walked)
        return done or ["The store is healthy: nothing to restore."]


Replayed = tuple[Progress, progressfile.Mark]


def _salvage_history(where: layout.Paths, now: datetime, done: list[str]) -> Replayed:
    """Keep every valid committed event, in its commit; set the bad lines aside. The
    state they replay to, and its mark. A healthy history is read once, as doctor reads it."""
    try:
        return record.replay_history(where)
    except StoreError:
        pass
    data = historyfile.read_bytes(where.history)
    if migrate.legacy_history(where.history):
        raise StoreError(
            f"{where.history}: damaged, and written by an older mlpath: move it aside by hand "
            "to start a new history (progress.toml keeps your state)"
        )
    kept: list[list[Event]] = []
    current: list[Event] = []
    dropped: list[int] = []
    ids: set[str] = set()
    lines = data.splitlines(keepends=True)
    last_seal = max(
        (n for n, line in enumerate(lines) if line.endswith(b',"end":true}\n')), default=-1
    )
    for number, line in enumerate(lines[: last_seal + 1], start=1):
        try:
            event = historyfile.parse(where.history, line, number).events[0]
            if event.id in ids:
                raise StoreError(f"a second event {event.id}")
            ids.add(event.id)
            current.append(event)
        except StoreError:
            dropped.append(number)
        if line.endswith(b',"end":true}\n') and current:
            kept.append(current)
            current = []
    aside = fileio.link_aside(where.history, now)
    fileio.atomic_write(where.history, b"".join(historyfile.encode(c) for c in kept))
    record.committed.append(sum(map(len, kept)))  # written: no interruption may deny it
    shown = ", ".join(str(n) for n in dropped[:5]) + (" ..." if len(dropped) > 5 else "")
    done.append(
        f"Kept {sum(map(len, kept))} valid events of {where.history.name}; set aside the "
        f"damaged file as {aside.name} (lines {shown} could not be read)."
    )
    return record.replay_history(where)


def _rebuild_snapshot(
    where: layout.Paths, now: datetime, done: list[str], walked: Replayed
) -> None:
    from mlpath.core.progress import Origin
    from mlpath.core.tracker import Tracker

    replayed, mark = walked
    try:
        snapshot = progressfile.read_snapshot(where.progress)
        damaged = False
    except StoreTooNew:
        raise  # not damage: a newer mlpath's file must never be replaced
    except StoreError:
        snapshot, damaged = None, True
    if snapshot is not None and snapshot.version == migrate.CURRENT:
        if snapshot.mark == mark and snapshot.progress == replayed:
            return
        if mark.bytes < snapshot.mark.bytes:
            # The history lost changes the snapshot still shows: record them again.
            ident = layout.ensure_machine(where)
            cat = catalogue.Catalogue(id="", title="", steps=[])
            tracker = Tracker(cat, replayed, Origin(ident, mark.seq, mark.clock))
            for name in snapshot.progress.paths:
                tracker.catalogue = replace(cat, id=name)
                tracker.reconcile(snapshot.progress, now)
            if tracker.events:
                batch = tracker.events[0].seq
                events = [e.replace(batch=batch) for e in tracker.events]
                historyfile.trim(where.history, mark.bytes)  # a torn tail goes first
                historyfile.append(where.history, historyfile.encode(events))
                record.committed.append(len(events))
                done.append(
                    f"Recorded {len(events)} change{'s' * (len(events) != 1)} that "
                    "progress.toml showed but the "
                    "history had lost."
                )
                replayed, mark = record.replay_history(where)
    if damaged:
        aside = fileio.link_aside(where.progress, now)
        done.append(f"Set the damaged {where.progress.name} aside as {aside.name}.")
    fileio.atomic_write(where.progress, progressfile.dump(replayed, mark))
    record.committed.append(0)
    done.append(f"Rebuilt {where.progress.name} from the {mark.events} events of the history.")
