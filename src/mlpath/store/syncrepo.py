"""The sync repository: its layout, and reading it as untrusted input. Pure but for git.

    README.md                      what the repository is; not to be edited by hand
    mlpath-sync.json               {"format": "mlpath-sync", "version": 1}
    learners/LEARNER/MACHINE.jsonl one machine's events, one a line, only ever appended to
    learners/LEARNER/MACHINE.json  {"name": the machine's name}

Each machine writes only its own two files, in its own learner's folder, so git never
merges text. Everything else in a repository is refused, and every file is read from git's
objects (never checked out), checked for its kind, its size and every line before any of it
reaches the store.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from mlpath.core.history import MACHINE, MAX_CLOCK, MAX_SEQ, Event, Invalid
from mlpath.errors import SyncError
from mlpath.store import gitcli

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple

MARKER = "mlpath-sync.json"
FORMAT = {"format": "mlpath-sync", "version": 1}
LEARNER = re.compile(r"^[a-z0-9][a-z0-9._@+-]{0,63}$")
FILE_LIMIT = 256 * 1024 * 1024  # a machine's log of a million changes is ~300 MiB
README = """# mlpath progress: do not edit by hand

This repository holds learning progress recorded by mlpath (https://pypi.org/project/mlpath/)
and is written by `mlpath sync`. Each learner has a folder under learners/, and each of their
machines appends to its own log there; mlpath refuses a repository whose files it did not
write, so edit nothing here by hand. Notes are kept as plain text: keep this repository private.
"""


class Entry(NamedTuple):
    sha: str
    size: int


class Log(NamedTuple):
    """One machine's file: where it is, the name it gives itself, its events, its bytes."""

    path: str
    learner: str
    machine: str
    name: str
    events: list[Event]
    data: bytes


def learner_problem(name: str) -> str | None:
    if not LEARNER.match(name) or ".." in name:
        return (
            f"learner name {name[:64]!r}: lower-case letters, digits and . _ @ + - only, "
            "64 at most, starting with a letter or digit"
        )
    return None


def slug(text: str) -> str:
    """A learner name made from an email or a login name."""
    cleaned = re.sub(r"[^a-z0-9._@+-]+", "-", text.strip().lower()).replace("..", ".")
    return cleaned.lstrip("._@+-")[:64] or "learner"


def log_path(learner: str, machine: str) -> str:
    return f"learners/{learner}/{machine}.jsonl"


def name_path(learner: str, machine: str) -> str:
    return f"learners/{learner}/{machine}.json"


def line(event: Event) -> bytes:
    data = event.json()
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def encode(events: Iterable[Event]) -> bytes:
    return b"".join(line(event) + b"\n" for event in events)


# -- reading a commit ----------------------------------------------------------------------


def tree(clone: Path, commit: str, url: str) -> dict[str, Entry]:
    """Every file of the commit, each checked to be one mlpath writes: a plain file at a
    path of the layout, of a sane size. SyncError naming the first that is not."""
    raw = gitcli.run(clone, "ls-tree", "-r", "-z", "--long", "--full-tree", commit)
    listed = []
    for item in raw.split(b"\0"):
        if item:
            meta, _, name = item.partition(b"\t")
            listed.append(
                (meta.decode("ascii", "replace").split(), name.decode("utf-8", "replace"))
            )
    if MARKER not in {path for _, path in listed}:
        raise SyncError(
            f"{url} is not an mlpath repository (it has no {MARKER}); use an empty "
            "repository, or one that `mlpath sync` made; nothing was changed"
        )
    entries: dict[str, Entry] = {}
    for (mode, kind, sha, size), path in listed:
        if mode != "100644" or kind != "blob":
            what = {"120000": "a symbolic link", "160000": "a submodule"}.get(mode, "not a file")
            raise SyncError(f"{url}: {path!r} is {what}: {_FOREIGN}")
        if not _known(path):
            raise SyncError(f"{url}: {path!r} is not a file mlpath writes: {_FOREIGN}")
        if int(size) > FILE_LIMIT:
            raise SyncError(f"{url}: {path!r} is larger than {FILE_LIMIT >> 20} MiB: {_FOREIGN}")
        entries[path] = Entry(sha, int(size))
    return entries


_FOREIGN = "not an mlpath repository as mlpath wrote it; nothing was changed"


def _known(path: str) -> bool:
    if path in ("README.md", MARKER):
        return True
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != "learners" or learner_problem(parts[1]):
        return False
    stem, dot, ext = parts[2].rpartition(".")
    return bool(dot) and ext in ("jsonl", "json") and bool(MACHINE.match(stem))


def blob(clone: Path, entry: Entry) -> bytes:
    return gitcli.run(clone, "cat-file", "blob", entry.sha)


def check_marker(clone: Path, entries: dict[str, Entry], url: str) -> None:
    try:
        found = json.loads(blob(clone, entries[MARKER]))
    except (ValueError, RecursionError):
        found = None
    if found != FORMAT:
        raise SyncError(
            f"{url}: {MARKER} is not one this mlpath reads (format mlpath-sync, version 1); "
            "a newer mlpath may have written it; nothing was changed"
        )


def logs(clone: Path, entries: dict[str, Entry], learner: str | None = None) -> list[Log]:
    """Every machine's log (of one learner, or all), every line checked like an import's."""
    found: list[Log] = []
    for path, entry in sorted(entries.items()):
        parts = path.split("/")
        if parts[0] != "learners" or not path.endswith(".jsonl"):
            continue
        if learner is not None and parts[1] != learner:
            continue
        data = blob(clone, entry)
        machine = parts[2].removesuffix(".jsonl")
        name = _name(clone, entries.get(name_path(parts[1], machine)), machine)
        found.append(Log(path, parts[1], machine, name, parse(path, data), data))
    _no_clashes(found)
    return found


def parse(path: str, data: bytes) -> list[Event]:
    from mlpath.store.historyfile import decode

    if data and not data.endswith(b"\n"):
        raise SyncError(f"{path}: the last line is cut short: {_FOREIGN}")
    events: list[Event] = []
    for number, text in enumerate(data.splitlines(), start=1):
        try:
            event, sealed = decode(text)
        except Invalid as exc:
            where = f"{path}: damaged at line {number}"
            raise SyncError(f"{where}: {exc}; nothing was changed") from None
        fault = "end: not a field of a sync log's event" if sealed else _bounds(event)
        if fault:
            raise SyncError(f"{path}: damaged at line {number}: {fault}; nothing was changed")
        events.append(event)
    return events


def _bounds(event: Event) -> str | None:
    """The bounds an import holds events from elsewhere to, so that this store's own
    counters, which only ever add one, can never be pushed past what the history holds."""
    if event.clock > MAX_CLOCK:
        return f"clock: should be at most {MAX_CLOCK} (the end of the year 9999)"
    if max(event.seq, event.batch) > MAX_SEQ:
        return f"seq: should be at most {MAX_SEQ}"
    return None


def _name(clone: Path, entry: Entry | None, machine: str) -> str:
    if entry is None:
        return machine
    try:
        raw = json.loads(blob(clone, entry))
    except (ValueError, RecursionError):
        raw = None
    name = raw.get("name") if isinstance(raw, dict) else None
    return name[:64] if isinstance(name, str) and name.strip() else machine


def _no_clashes(found: list[Log]) -> None:
    from mlpath.core.history import content

    seen: dict[tuple[str, str], str] = {}
    for log in found:
        for event in log.events:
            text = content(event)
            if seen.setdefault((log.learner, event.id), text) != text:
                raise SyncError(
                    f"{log.path}: event {event.id} differs from another log's event of the "
                    "same identity: the repository is damaged; nothing was changed"
                )
