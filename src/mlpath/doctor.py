"""Checking the store, and bringing back a good state when it is damaged."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mlpath import backups, catalogue, fileio, store
from mlpath.errors import MlpathError, StoreBusy, StoreError, StoreTooNew
from mlpath.progress import Event, Progress, apply, fresh


@dataclass(frozen=True)
class Finding:
    what: str  # the thing checked: "data folder", "progress", "history", ...
    ok: bool
    text: str


def check(catalogue_file: Path | None) -> list[Finding]:
    """Every check, each independent of the others, in the order a person would look."""
    where = store.paths()
    return [
        _folder(where),
        _progress(where),
        _history(where),
        _lock(where),
        _catalogue(catalogue_file),
        _backups(where),
    ]


def _folder(where: store.Paths) -> Finding:
    folder = where.home
    if not folder.exists():
        return Finding("data folder", True, f"{folder} (not created yet: nothing recorded)")
    if not folder.is_dir():
        return Finding("data folder", False, f"{folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        return Finding("data folder", False, f"{folder} is not writable: changes will fail")
    stale = len(list(folder.glob(store.TEMP_PATTERN)))
    note = f"; {stale} temp file(s) from an interrupted run, removed by the next change" * bool(
        stale
    )
    return Finding("data folder", True, f"{folder}{note}")


def _progress(where: store.Paths) -> Finding:
    try:
        loaded = store.load(where.progress)
    except StoreError as exc:
        return Finding("progress", False, str(exc))
    if loaded.data is None:
        return Finding("progress", True, f"{where.progress} (not created yet)")
    upgraded = (
        f"; schema {loaded.version}, upgraded on the next change"
        if loaded.version != loaded.progress.schema_version
        else ""
    )
    return Finding("progress", True, f"{where.progress} is whole and valid{upgraded}")


def _history(where: store.Paths) -> Finding:
    try:
        progress = store.read()
    except StoreError:
        return Finding("history", False, f"{where.history}: not checked: progress.toml is damaged")
    try:
        events = store.read_history(progress)
    except StoreError as exc:
        return Finding("history", False, str(exc))
    if [e.seq for e in events] != list(range(1, len(events) + 1)):
        return Finding("history", False, f"{where.history}: events out of order or missing")
    if len(events) != progress.history.events:
        return Finding(
            "history",
            False,
            f"{where.history}: {len(events)} events, progress.toml expects "
            f"{progress.history.events}",
        )
    size = where.history.stat().st_size if where.history.exists() else 0
    tail = size - progress.history.bytes
    note = f"; {tail} bytes from an interrupted change, dropped by the next one" * bool(tail)
    return Finding("history", True, f"{where.history}: {len(events)} events{note}")


def _lock(where: store.Paths) -> Finding:
    if not where.home.is_dir():
        return Finding("lock", True, "free")
    try:
        with store.locked(where, timeout=0.05):
            pass
    except StoreBusy:
        return Finding(
            "lock", True, "held by another mlpath right now (it is released when that command ends)"
        )
    except StoreError as exc:
        return Finding("lock", False, str(exc))
    return Finding("lock", True, f"{where.lock} is free")


def _catalogue(option: Path | None) -> Finding:
    path, bundled = catalogue.selected_path(option)
    try:
        loaded = catalogue.load(path, bundled=bundled)
    except MlpathError as exc:
        return Finding("catalogue", False, str(exc))
    return Finding("catalogue", True, f"{path}: {loaded.title}, {len(loaded.steps)} steps")


def _backups(where: store.Paths) -> Finding:
    found = backups.listing(where.home)
    if not found:
        return Finding("backups", True, "none yet (one is kept from the second change on)")
    bad = [path.name for path in found if _backup_state(path) is None]
    if bad:
        return Finding("backups", False, f"{len(bad)} of {len(found)} unreadable: {', '.join(bad)}")
    return Finding("backups", True, f"{len(found)} good, newest {found[0].name}")


def _backup_state(path: Path) -> Progress | None:
    try:
        return store.parse(path, path.read_bytes())
    except (StoreError, OSError):
        return None


# -- restoring -----------------------------------------------------------------------------


def restore(now: datetime) -> list[str]:
    """Repair what is damaged, moving every damaged file aside. Returns what was done.

    progress.toml: the newest good backup, then every later change the history still holds
    replayed onto it. history.jsonl: cut back to its last whole, valid event.
    """
    where = store.paths()
    if not where.home.is_dir():
        return ["Nothing to restore: no data folder yet."]
    with store.locked(where):
        fileio.remove_stale_temps(where.home, store.TEMP_PATTERN)
        events, good_bytes, history_whole = _salvage_history(where.history)
        try:
            current: Progress | None = store.read()
        except StoreTooNew:
            raise  # not damage: a newer mlpath's file must never be swapped for a backup
        except StoreError:
            current = None
        done: list[str] = []
        if current is not None:
            if history_whole and current.history.bytes <= good_bytes:
                return ["The store is healthy: nothing to restore."]
            base = current
        else:
            aside = _move_aside(where.progress, now)
            done.append(f"Moved the damaged {where.progress.name} aside to {aside.name}.")
            base = _newest_good_backup(where, done)
        if not history_whole:
            aside = _move_aside(where.history, now)
            fileio.atomic_write(where.history, _prefix(aside, good_bytes))
            done.append(
                f"Moved the damaged {where.history.name} aside to {aside.name} and kept its "
                f"first {len(events)} whole events."
            )
        later = [event for event in events if event.seq > base.history.events]
        for event in later:
            apply(base, event)
        if later:
            done.append(f"Replayed {len(later)} later change(s) from the history.")
        base.history.events = events[-1].seq if events else 0
        base.history.bytes = good_bytes
        store.save(where.progress, base)
        done.append(f"Wrote {where.progress}.")
        return done


def _salvage_history(path: Path) -> tuple[list[Event], int, bool]:
    """The whole, valid events at the start of the history, their size, and whether that is
    all of the file (an unfinished last line left by a killed run does not count as damage)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], 0, True
    events: list[Event] = []
    size = 0
    for line in data.splitlines(keepends=True):
        if not line.endswith(b"\n"):
            return events, size, True  # an uncommitted tail
        try:
            event = store.parse_history(path, line)[0]
        except StoreError:
            return events, size, False
        if event.seq != len(events) + 1:
            return events, size, False
        events.append(event)
        size += len(line)
    return events, size, True


def _prefix(path: Path, size: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def _newest_good_backup(where: store.Paths, done: list[str]) -> Progress:
    for path in backups.listing(where.home):
        state = _backup_state(path)
        if state is not None:
            done.append(f"Restored the backup {path.name}.")
            return state
    done.append("Found no good backup: rebuilding from the history alone.")
    return fresh()


def _move_aside(path: Path, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    try:
        path.replace(target)
    except OSError as exc:
        raise StoreError(f"cannot move {path} aside: {fileio.reason(exc)}") from None
    return target
