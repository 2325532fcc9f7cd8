"""`mlpath sync`: pull the other machines' events from a git repository, merge them the way
`import --merge` does (record.transaction and Tracker.absorb, every event checked first),
push this machine's, and say what moved.

The store's lock is held only while the store changes; fetching and pushing happen outside
it, under sync's own lock (syncremote.py), which keeps two syncs of one store apart. Nothing is
kept between the steps that a kill could leave half-done: every sync starts from what the
remote holds and what the history holds, and identities make merging again add nothing.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from mlpath.catalogue import Catalogue
from mlpath.core.history import Event, new_events, ordered, replay
from mlpath.errors import SyncError, UsageError
from mlpath.store import gitcli, layout, record, syncconfig, syncremote, syncrepo
from mlpath.store.syncconfig import Config

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple

ATTEMPTS = 5  # pushes rejected by other machines' pushes before sync gives up


class Report(NamedTuple):
    remote: str
    learner: str
    machine: str
    arrived: list[tuple[str, list[Event]]]  # (the machine's name, its new events)
    sent: int
    at: datetime


def configure(remote: str | None, learner: str | None) -> Config:
    """The configuration this sync uses: the stored one, or a new remote (and learner)."""
    home = layout.paths().home
    found = syncconfig.load(home)
    if remote is None:
        if found is None:
            raise UsageError("no remote yet: `mlpath sync --remote URL` sets one up")
        if learner is not None and learner != found.learner:
            raise UsageError("--learner goes with --remote: the learner is named when joining")
        return found
    name = learner if learner is not None else _default_learner()
    name = name.strip().lower()
    fault = syncrepo.learner_problem(name)
    if fault:
        raise UsageError(f"--learner: {fault}")
    return Config(syncconfig.check_url(remote), name)


def _default_learner() -> str:
    """git's user.email, else the login name."""
    import getpass
    import subprocess

    try:
        email = subprocess.run(
            ["git", "config", "--get", "user.email"], capture_output=True, timeout=30
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        email = ""
    try:
        login = getpass.getuser()
    except (OSError, KeyError):
        login = ""
    return syncrepo.slug(email or login)


def _name_machine(name: str | None) -> tuple[str, str]:
    """This store's (id, name), made if it has none yet; `name` renames it."""
    where = layout.paths()
    with record.locked(where):
        ident = layout.ensure_machine(where)
        found = layout.machine(where)
        current = found[1] if found else ident
        if name is not None:
            import tomli_w

            from mlpath.store import fileio

            cleaned = name.strip()
            if not cleaned or len(cleaned) > 64 or any(ord(ch) < 32 for ch in cleaned):
                raise UsageError("--name: a machine name of 1 to 64 printable characters")
            document = {"id": ident, "name": cleaned}
            fileio.atomic_write(where.machine, tomli_w.dumps(document).encode())
            current = cleaned
    return ident, current


def run(cat: Catalogue, config: Config, name: str | None) -> Report:
    home = layout.paths().home
    gitcli.available()
    with syncremote.locked(home):
        clone = syncremote.clone_of(home)
        gitcli.init(clone)
        arrived: Arrived = []  # over every attempt: a rejected push's merge stays merged
        refused: list[str] = []  # what git said of each rejected push
        for attempt in range(ATTEMPTS):
            if attempt:
                time.sleep(0.2 * attempt)  # let the push that got there first finish
            parent = syncremote.fetch(clone, config.remote)
            entries = syncrepo.tree(clone, parent, config.remote) if parent else {}
            if parent:
                syncrepo.check_marker(clone, entries, config.remote)
            logs = syncrepo.logs(clone, entries, config.learner)
            # Only a repository found good may change anything here, the name included.
            ident, machine_name = _name_machine(name)
            merged, outgoing, total = _merge(cat, logs)
            arrived += merged
            files = _our_files(logs, config.learner, ident, machine_name, outgoing, parent)
            if files and not syncremote.push(
                clone, config.remote, parent, files, machine_name, refused
            ):
                continue  # another machine pushed first: fetch, merge, try again
            now = datetime.now(UTC)
            syncconfig.save(home, config._replace(last_sync=now, synced=total))
            return Report(config.remote, config.learner, machine_name, arrived, len(outgoing), now)
    stale = syncremote.LOCKED.search(refused[-1]) if refused else None
    if stale:  # the same lock every time: a push cut off there (a kill, a power cut)
        raise SyncError(
            f"{config.remote}: stays locked by {os.path.normpath(stale.group(1))}; if no other "
            "machine is syncing now, a sync was cut off there: remove that file and run "
            "`mlpath sync` again; what arrived is merged"
        )
    raise SyncError(
        f"{config.remote}: the push was rejected {ATTEMPTS} times because other machines kept "
        "pushing first; what arrived is merged; run `mlpath sync` again"
    )


Arrived = list[tuple[str, list[Event]]]  # (a machine's name, its new events)


def _merge(cat: Catalogue, logs: list[syncrepo.Log]) -> tuple[Arrived, list[Event], int]:
    """Merge the learner's logs into the store, as `import --merge` does: what arrived (by
    machine), what the repository lacks, and how many events the history then holds."""
    theirs = [event for log in logs for event in log.events]
    with record.transaction(cat) as tracker:
        ours = record.read_history()
        added, clashes = new_events(ours, theirs)
        if clashes:
            raise SyncError(
                f"event {clashes[0]} in the repository differs from this store's event of the "
                "same identity: not the same learner's history; nothing was changed"
            )
        if added:
            tracker.absorb(added, replay([*ours, *added]))
    known = {event.id for event in theirs}
    outgoing = [event for event in ordered(ours) if event.id not in known]
    fresh = {event.id for event in added}
    arrived: list[tuple[str, list[Event]]] = []
    for log in logs:
        mine = [event for event in log.events if event.id in fresh]
        fresh -= {event.id for event in mine}
        if mine:
            arrived.append((log.name, mine))
    return arrived, outgoing, len(ours) + len(added)


def _our_files(
    logs: list[syncrepo.Log],
    learner: str,
    ident: str,
    name: str,
    outgoing: list[Event],
    parent: str | None,
) -> dict[str, bytes]:
    """The files this push changes: only this machine's own, in its own learner's folder."""
    import json

    files: dict[str, bytes] = {}
    if parent is None:
        files["README.md"] = syncrepo.README.encode()
        files[syncrepo.MARKER] = (json.dumps(syncrepo.FORMAT) + "\n").encode()
    log_path = syncrepo.log_path(learner, ident)
    if outgoing:
        before = next((log.data for log in logs if log.path == log_path), b"")
        files[log_path] = before + syncrepo.encode(outgoing)
    known_name = next((log.name for log in logs if log.path == log_path), None)
    if known_name != name and (outgoing or known_name is not None):
        files[syncrepo.name_path(learner, ident)] = (json.dumps({"name": name}) + "\n").encode()
    return files


# -- without the network -------------------------------------------------------------------


def status() -> dict[str, Any]:
    where = layout.paths()
    config = syncconfig.load(where.home)
    found = layout.machine(where)
    events = record.state(where).mark.events
    return {
        "remote": config.remote if config else None,
        "learner": config.learner if config else None,
        "machine": found[1] if found else None,
        "machine_id": found[0] if found else None,
        "last_sync": config.last_sync.isoformat() if config and config.last_sync else None,
        "waiting": max(events - config.synced, 0) if config else events,
    }
