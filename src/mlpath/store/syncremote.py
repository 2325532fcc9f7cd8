"""The sync repository's remote, as `mlpath sync` and `mlpath cohort` reach it: mlpath's own
clone of it (sync.git), sync's lock, a fetch of its main branch, and a push of one commit on
top of what was fetched, never forced. What is fetched is read by syncrepo.py.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

from mlpath.errors import SyncError, reason
from mlpath.store import gitcli, historyfile, layout

BRANCH = "refs/heads/main"
TRACKING = "refs/remotes/origin/main"


class Unreachable(SyncError):
    """The remote could not be fetched from: no network, no such repository, no access."""


def clone_of(home: Path) -> Path:
    return home / "sync.git"


@contextlib.contextmanager
def locked(home: Path) -> Iterator[None]:
    """sync.lock, held at once or not at all: two syncs (or a sync and a cohort) of one store
    never fetch into its clone together."""
    from mlpath.store import lockfile

    layout.make_home(home)
    lock = home / "sync.lock"
    historyfile.refuse_link(lock)  # never through a link
    try:
        held = lockfile.try_lock(lock)
    except OSError as exc:  # a folder in its place, a file that may not be opened
        raise SyncError(
            f"cannot lock {lock}: {reason(exc)}; check that file; nothing was changed"
        ) from None
    if held is None:
        raise SyncError("another `mlpath sync` is running on this store; try again")
    try:
        yield
    finally:
        lockfile.release(held)


def fetch(clone: Path, url: str) -> str | None:
    """The remote's main commit, fetched; None for an empty repository."""
    try:
        gitcli.run(
            clone, "fetch", "--quiet", "--no-tags", "--", url, f"+{BRANCH}:{TRACKING}",
            network=True,
        )  # fmt: skip
    except gitcli.Failed as exc:
        if "couldn't find remote ref" not in exc.said:
            message = f"cannot fetch from {url}: {exc.detail}; nothing was changed"
            raise Unreachable(message) from None
        refs = gitcli.run(clone, "ls-remote", "--", url, network=True)
        if refs.strip():
            raise SyncError(
                f"{url} is not an mlpath repository (it has no main branch); use an empty "
                "repository, or one that `mlpath sync` made; nothing was changed"
            ) from None
        return None
    return gitcli.run(clone, "rev-parse", "--verify", TRACKING).decode().strip()


def push(
    clone: Path,
    url: str,
    parent: str | None,
    files: dict[str, bytes],
    name: str,
    refused: list[str],
) -> bool:
    """One commit on top of `parent` changing only `files`, pushed: False when another push
    got there first (never forced: pushed history is never rewritten)."""
    index = clone / "mlpath-index"
    index.unlink(missing_ok=True)
    if parent:
        gitcli.run(clone, "read-tree", parent, index=index)
    for path, data in files.items():
        sha = gitcli.run(clone, "hash-object", "-w", "--stdin", data=data).decode().strip()
        info = f"100644,{sha},{path}"
        gitcli.run(clone, "update-index", "--add", "--cacheinfo", info, index=index)
    tree = gitcli.run(clone, "write-tree", index=index).decode().strip()
    parents = ["-p", parent] if parent else []
    message = f"mlpath sync from {name}"
    commit = gitcli.run(clone, "commit-tree", tree, *parents, "-m", message).decode().strip()
    try:
        gitcli.run(clone, "push", "--quiet", "--", url, f"{commit}:{BRANCH}", network=True)
    except gitcli.Failed as exc:
        if any(sign in exc.said for sign in RACED):
            refused.append(exc.said)
            return False
        raise SyncError(
            f"{url} refused the push: {exc.detail}; what arrived is merged, what this machine "
            "recorded waits for the next sync"
        ) from None
    return True


# How git says another push got there first: behind the remote (`[rejected]`), or moved
# while this push waited on the server (`cannot lock ref`, `failed to update ref`).
RACED = (
    "[rejected]",
    "fetch first",
    "non-fast-forward",
    "cannot lock ref",
    "failed to update ref",
)


# git's words for a lock file it found in the way: "Unable to create '/r.git/refs/heads/main.lock':
# File exists."
LOCKED = re.compile(r"Unable to create '([^']+\.lock)': File exists")
