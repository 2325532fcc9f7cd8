"""`mlpath cohort`: every learner in the sync repository side by side. Read-only: it fetches
into mlpath's own clone and reads git's objects; it writes to no learner's folder."""

from __future__ import annotations

from typing import Any

from mlpath.catalogue import Catalogue
from mlpath.core.history import replay
from mlpath.core.progress import Status
from mlpath.errors import SyncError, UsageError
from mlpath.store import gitcli, layout, syncconfig, syncremote, syncrepo
from mlpath.views import screens


def rows(cat: Catalogue) -> list[dict[str, Any]]:
    home = layout.paths().home
    config = syncconfig.load(home)
    if config is None:
        raise UsageError("no remote yet: `mlpath sync --remote URL` sets one up")
    gitcli.available()
    clone = syncremote.clone_of(home)
    with syncremote.locked(home):
        gitcli.init(clone)
        try:
            parent = syncremote.fetch(clone, config.remote)
        except syncremote.Unreachable as exc:
            parent = _last_fetched(clone)
            if parent is None:
                raise
            screens.notice(f"mlpath: {exc}: showing the repository as last fetched")
    if parent is None:
        return []
    entries = syncrepo.tree(clone, parent, config.remote)
    syncrepo.check_marker(clone, entries, config.remote)
    by_learner: dict[str, list[syncrepo.Log]] = {}
    for log in syncrepo.logs(clone, entries):
        by_learner.setdefault(log.learner, []).append(log)
    return [_row(cat, name, logs) for name, logs in sorted(by_learner.items())]


def _last_fetched(clone: Any) -> str | None:
    try:
        return gitcli.run(clone, "rev-parse", "--verify", syncremote.TRACKING).decode().strip()
    except SyncError:
        return None


def _row(cat: Catalogue, learner: str, logs: list[syncrepo.Log]) -> dict[str, Any]:
    seen: set[str] = set()
    events = []
    for log in logs:
        for event in log.events:
            if event.id not in seen:
                seen.add(event.id)
                events.append(event)
    path = replay(events).paths.get(cat.id)
    steps = path.steps if path else {}
    done = sum(1 for step in cat.steps if step.id in steps and steps[step.id].status is Status.DONE)
    going = [
        rank
        for rank, step in enumerate(cat.steps, start=1)
        if step.id in steps and steps[step.id].status is Status.IN_PROGRESS
    ]
    last = path.last_activity if path else None
    return {
        "learner": learner,
        "machines": len(logs),
        "done": done,
        "total": len(cat.steps),
        "in_progress": going,
        "skill": path.skill if path else None,
        "last_activity": last.isoformat() if last else None,
    }
