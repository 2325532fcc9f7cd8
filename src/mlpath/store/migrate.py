"""Upgrading stores written by older versions of mlpath.

`UPGRADES[n]` turns a schema-n progress.toml document into a schema-(n+1) one, on the raw
TOML data, before validation. A schema bump is: raise CURRENT, add the upgrade, add the old
version's fixture files to tests/fixtures/ (the tests load every one of them).

Schema 3 made the history the one record. Before it, progress.toml was authoritative and
counted the committed bytes of a history whose events had a store-wide number (seq) and no
identity or clock. `upgrade_store` rewrites such a history once, under the lock: each old
event becomes this store's own (its machine id, the same seq), its clock the wall time made
monotonic in the order the store committed it, each old command a sealed commit. If the
replay of the result differs from what the old progress.toml showed (a state an old import
set whole), the difference is recorded as one more commit, so the learner sees after the
upgrade exactly what they saw before. The old files are kept as *.vN.bak.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlpath.errors import StoreError

if TYPE_CHECKING:
    from mlpath.core.history import Event
    from mlpath.store.layout import Paths
    from mlpath.store.progressfile import Snapshot
    from mlpath.store.record import State

Document = dict[str, Any]

CURRENT = 4  # the schema version this mlpath writes
OLDEST = 1  # the oldest schema version it can upgrade from


def _v1_to_v2(raw: Document) -> Document:
    # Schema 2 adds per-step `notes` and per-resource `resources`. Both default to empty, so
    # a v1 document is already a valid v2 one; the bump exists so that an mlpath which
    # knows only v1 refuses a file with notes as newer, rather than reading it as damaged.
    return raw


def _v2_to_v3(raw: Document) -> Document:
    # The [history] mark kept `events` and `bytes`; schema 3 adds the fingerprint, the clock
    # and the own seq, which upgrade_store() fills in when it rewrites the history.
    return raw


def _v3_to_v4(raw: Document) -> Document:
    # Schema 4's new fields (check-ins, skill_at, rated_at) all default to empty; the bump
    # makes an mlpath that knows only v3 refuse a file with check-ins as newer. The times a
    # v3 snapshot lacks come back when upgrade_store() rebuilds it from the history.
    return raw


UPGRADES: dict[int, Callable[[Document], Document]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
}


def upgrade(raw: Document, version: int) -> Document:
    """`raw` at schema `version`, upgraded step by step to CURRENT."""
    for step in range(version, CURRENT):
        raw = UPGRADES[step](raw)
        raw["schema_version"] = step + 1
    return raw


# -- the history before schema 3 -----------------------------------------------------------


def legacy_history(path: Path) -> bool:
    """Whether history.jsonl was written before schema 3 (its events have no machine)."""
    from mlpath.store import historyfile

    try:
        with historyfile.reading(path) as handle:
            first = handle.readline(1 << 16)
    except OSError:
        return False
    return bool(first.strip()) and b'"machine"' not in first


def _old_lines(where: Paths, size: int | None) -> list[bytes]:
    from mlpath.store import historyfile

    with historyfile.reading(where.history) as handle:
        data = handle.read() if size is None else handle.read(size)
    lines = data.splitlines(keepends=True)
    if size is None and lines and not lines[-1].endswith(b"\n"):
        lines.pop()  # without progress.toml to count them, a partial last line is torn
    return lines


def convert(where: Paths, machine: str, size: int | None) -> list[list[Event]]:
    """The old history as commits of new events (see the module's docstring)."""
    from mlpath.core.history import Invalid, parse

    commits: list[list[Event]] = []
    clock = 0
    last_batch = None
    for number, line in enumerate(_old_lines(where, size), start=1):
        try:
            raw = json.loads(line)
            raw["machine"] = machine
            at = datetime.fromisoformat(raw["at"])
            clock = max(int(at.timestamp() * 1000), clock + 1)
            raw["clock"] = clock
            details = raw.get("details", {})
            if raw.get("action") == "undo" and type(details.get("undoes")) is int:
                details["undoes"] = f"{machine}:{details['undoes']}"
            event = parse(raw)
        except Invalid as exc:
            raise StoreError(f"{where.history}: damaged at line {number}: {exc}") from None
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            raise StoreError(
                f"{where.history}: damaged at line {number}, written by an older mlpath "
                f"({type(exc).__name__}); `mlpath doctor` explains how to get past it"
            ) from None
        if event.batch != last_batch:
            commits.append([])
            last_batch = event.batch
        commits[-1].append(event)
    return commits


def legacy_events(where: Paths) -> list[Event]:
    """The old history's events, for a reader (which writes nothing)."""
    from mlpath.store.layout import machine
    from mlpath.store.progressfile import read_snapshot

    snapshot = read_snapshot(where.progress)
    size = snapshot.mark.bytes if snapshot else None
    found = machine(where)
    return [e for commit in convert(where, found[0] if found else "local", size) for e in commit]


def legacy_state(where: Paths, snapshot: Snapshot | None) -> State:
    """An old store as a reader sees it: the old progress.toml, or the replay of the old
    history when there is none. The writer upgrades it (upgrade_store)."""
    from mlpath.core.history import replay
    from mlpath.store.progressfile import Mark
    from mlpath.store.record import State

    if snapshot is not None:
        return State(snapshot.progress, snapshot.mark, False, snapshot)
    events = legacy_events(where)
    return State(replay(events), Mark(), False, None)


def upgrade_store(where: Paths, machine: str, found: State) -> State:
    """Rewrite an old store in the current format, under the lock; a current one as it is."""
    snapshot = found.snapshot
    old = snapshot is not None and snapshot.version < CURRENT
    if not old and not (snapshot is None and legacy_history(where.history)):
        return found
    from mlpath.core.history import replay
    from mlpath.store import fileio, historyfile
    from mlpath.store.layout import ensure_machine

    ensure_machine(where, machine)
    if snapshot is not None and snapshot.version >= 3 and not legacy_history(where.history):
        return _rebuild_snapshot(where, snapshot)

    size = snapshot.mark.bytes if snapshot else None
    commits = convert(where, machine, size) if where.history.exists() else []
    events = [event for commit in commits for event in commit]
    if snapshot is not None:
        replayed = replay(events)
        if _differs(replayed, snapshot):
            commits.append(_reconciled(replayed, snapshot, machine, events))
    data = b"".join(historyfile.encode(commit) for commit in commits if commit)
    _keep(where.history, f"v{snapshot.version if snapshot else 2}.bak")
    fileio.atomic_write(where.history, data)
    return _rebuild_snapshot(where, snapshot)


def _rebuild_snapshot(where: Paths, snapshot: Snapshot | None) -> State:
    """The snapshot rebuilt from a history in the current format; the old one (if any) kept
    first as progress.toml.vN.bak."""
    from mlpath.core.history import replay
    from mlpath.store import fileio, historyfile
    from mlpath.store.progressfile import dump
    from mlpath.store.record import mark_of, state

    if snapshot is not None:
        backup = where.progress.with_name(f"progress.toml.v{snapshot.version}.bak")
        if not backup.exists():
            fileio.atomic_write(backup, snapshot.data)
    committed = historyfile.read(where.history)
    fileio.atomic_write(where.progress, dump(replay(committed.events), mark_of(where, committed)))
    return state(where)


def _keep(path: Any, suffix: str) -> None:
    target = path.with_name(f"{path.name}.{suffix}")
    if path.exists() and not target.exists():
        os.link(path, target)


def _differs(replayed: Any, snapshot: Snapshot) -> bool:
    def shape(progress: Any) -> Any:
        # Times an old snapshot never held are not differences (nor check-ins, which no
        # store before schema 3 could hold).
        return {name: _without_times(path) for name, path in progress.paths.items()}

    return bool(shape(replayed) != shape(snapshot.progress))


def _without_times(path: Any) -> Any:
    """A path's state less its last activity, its skill's time and each rating's time."""
    from mlpath.plain import fields

    shape = {name: value for name, value in fields(path).items() if name not in _TIMES}
    shape["steps"] = {
        step_id: {name: value for name, value in fields(step).items() if name != "rated_at"}
        for step_id, step in path.steps.items()
    }
    return shape


_TIMES = ("last_activity", "skill_at")


def _reconciled(
    replayed: Any, snapshot: Snapshot, machine: str, events: list[Event]
) -> list[Event]:
    from mlpath.catalogue import Catalogue, Step
    from mlpath.core.progress import Origin
    from mlpath.core.tracker import Tracker

    made: list[Event] = []
    seq = max((e.seq for e in events), default=0)
    clock = max((e.clock for e in events), default=0)
    now = datetime.now(UTC)
    for name in snapshot.progress.paths:
        stub = Catalogue(
            id=name, title=name, steps=[Step(id="x", title="x", summary="x", challenge=1)]
        )
        tracker = Tracker(stub, replayed, Origin(machine, seq, clock))
        tracker.reconcile(snapshot.progress, now)
        made += tracker.events
        if tracker.events:
            seq, clock = tracker.events[-1].seq, tracker.events[-1].clock
    batch = made[0].seq if made else 0
    return [event.replace(batch=batch) for event in made]
