"""Checking the store (and bringing it back to health when it is damaged: restoring.py).

The check replays the history and compares the result with the snapshot: the invariant
that the state shown is the replay of the committed history. It reads the history once, and
writes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mlpath import catalogue
from mlpath.core.progress import Progress
from mlpath.errors import MlpathError, StoreBusy, StoreError, reason
from mlpath.store import backups, layout, migrate, progressfile, record
from mlpath.store.restoring import restore

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple

__all__ = ["Finding", "check", "restore"]


@dataclass(frozen=True)
class Finding:
    what: str  # the thing checked: "data folder", "history", "progress", ...
    ok: bool
    text: str


def check(catalogue_file: Path | None) -> list[Finding]:
    """Every check, each independent of the others, in the order a person would look."""
    where = layout.paths()
    walked = _walk(where)
    return [
        _folder(where),
        _history(where, walked),
        _progress(where, walked),
        _lock(where),
        _catalogue(catalogue_file),
        _backups(where),
    ]


def _folder(where: layout.Paths) -> Finding:
    folder = where.home
    try:
        if not folder.exists():
            return Finding("data folder", True, f"{folder} (not created yet: nothing recorded)")
        if not folder.is_dir():
            return Finding("data folder", False, f"{folder} is a file, not a folder")
        stale = len(list(folder.glob(record.TEMP_PATTERN)))
    except OSError as exc:
        return Finding("data folder", False, f"cannot reach {folder}: {reason(exc)}")
    if not os.access(folder, os.W_OK | os.X_OK):
        return Finding("data folder", False, f"{folder} is not writable: changes will fail")
    files = f"{stale} temp file{'s' * (stale != 1)}"
    note = f"; {files} from an interrupted run, removed by the next change" * bool(stale)
    return Finding("data folder", True, f"{folder}{note}")


class Walked(NamedTuple):
    """The committed history, replayed once for every check that needs it."""

    progress: Progress
    mark: progressfile.Mark
    tail: int  # bytes after the last seal: a torn tail


def _walk(where: layout.Paths) -> Walked | StoreError:
    if migrate.legacy_history(where.history):
        return StoreError("written by an older mlpath")  # checked on its own below
    try:
        progress, mark = record.replay_history(where)
        size = where.history.stat().st_size if mark.events or where.history.exists() else 0
    except StoreError as exc:
        return exc
    except OSError as exc:
        return StoreError(f"cannot read {where.history}: {reason(exc)}")
    return Walked(progress, mark, size - mark.bytes)


def _history(where: layout.Paths, walked: Walked | StoreError) -> Finding:
    if migrate.legacy_history(where.history):
        try:
            events = migrate.legacy_events(where)
        except StoreError as exc:
            return Finding("history", False, str(exc))
        return Finding(
            "history",
            True,
            f"{where.history}: {len(events)} events, written by an older mlpath: upgraded "
            "on the next change",
        )
    if isinstance(walked, StoreError):
        return Finding(
            "history",
            False,
            f"{walked}. `mlpath doctor --restore` keeps every valid event, sets the bad lines "
            "aside in a copy of the file, and rebuilds the state",
        )
    tail = walked.tail
    note = f"; {tail} bytes from an interrupted change, dropped by the next one" * bool(tail)
    return Finding("history", True, f"{where.history}: {walked.mark.events} events{note}")


def _progress(where: layout.Paths, walked: Walked | StoreError) -> Finding:
    """The snapshot, and the invariant: it is the replay of the committed history."""
    try:
        snapshot = progressfile.read_snapshot(where.progress)
    except StoreError as exc:
        return Finding("progress", False, str(exc))
    if snapshot is None:
        return Finding("progress", True, f"{where.progress} (not written yet)")
    if snapshot.version < migrate.CURRENT or migrate.legacy_history(where.history):
        return Finding(
            "progress",
            True,
            f"{where.progress}: schema {snapshot.version}, upgraded on the next change",
        )
    if isinstance(walked, StoreError):
        return Finding("progress", False, f"not compared with the history: {walked}")
    events = walked.mark.events
    if walked.mark.bytes < snapshot.mark.bytes:
        return Finding(
            "progress",
            False,
            f"{where.progress} has seen {snapshot.mark.events} events but {where.history.name} "
            f"holds {events}: the history was cut short or replaced; "
            "`mlpath doctor --restore` keeps what both hold",
        )
    replayed = walked.progress
    behind = events - snapshot.mark.events
    if behind == 0 and replayed != snapshot.progress:
        return Finding(
            "progress",
            False,
            f"{where.progress} differs from the replay of the history "
            f"({_difference(replayed, snapshot.progress)}); `mlpath doctor --restore` rewrites it",
        )
    if behind:
        return Finding(
            "progress",
            True,
            f"{where.progress} is {behind} event{'s' * (behind != 1)} behind the history; "
            "readers replay them "
            "and the next change rewrites it",
        )
    return Finding("progress", True, f"{where.progress} is the replay of all {events} events")


def _difference(a: Progress, b: Progress) -> str:
    for name in sorted(set(a.paths) | set(b.paths)):
        pa, pb = a.paths.get(name), b.paths.get(name)
        if pa is None or pb is None:
            return f"path {name} is in only one"
        if pa.skill != pb.skill:
            return f"{name}: skill {pb.skill}, the history says {pa.skill}"
        for step in sorted(set(pa.steps) | set(pb.steps)):
            if pa.steps.get(step) != pb.steps.get(step):
                return f"{name}: step {step}"
        return f"{name}: last activity"
    return "paths"


def _lock(where: layout.Paths) -> Finding:
    try:
        if not where.home.is_dir():
            return Finding("lock", True, "free")
        with record.locked(where, timeout=0.05):
            pass
    except StoreBusy:
        return Finding(
            "lock", True, "held by another mlpath right now (it is released when that command ends)"
        )
    except (StoreError, OSError) as exc:
        return Finding("lock", False, str(exc))
    return Finding("lock", True, f"{where.lock} is free")


def _catalogue(option: Path | None) -> Finding:
    try:
        path, bundled = catalogue.selected_path(option)
        loaded = catalogue.load(path, bundled=bundled)
    except MlpathError as exc:
        return Finding("catalogue", False, str(exc))
    return Finding("catalogue", True, f"{path}: {loaded.title}, {len(loaded.steps)} steps")


def _backups(where: layout.Paths) -> Finding:
    try:
        found = backups.listing(where.home)
    except OSError as exc:
        return Finding("backups", False, f"cannot list them: {reason(exc)}")
    if not found:
        return Finding("backups", True, "none yet (one is kept from the second change on)")
    bad = []
    for path in found:
        try:
            progressfile.parse_snapshot(path, path.read_bytes())
        except (StoreError, OSError):
            bad.append(path.name)
    if bad:
        return Finding("backups", False, f"{len(bad)} of {len(found)} unreadable: {', '.join(bad)}")
    return Finding("backups", True, f"{len(found)} good, newest {found[0].name}")
