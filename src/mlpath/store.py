"""Where the learner's files live and how they are read and changed safely.

In the data folder (platformdirs' user data path, or $MLPATH_HOME):

- progress.toml: the state, replaced atomically (fileio.atomic_write), never edited in place.
- history.jsonl: one JSON event a line, appended. progress.toml records how many of its
  bytes are committed (`[history] bytes`): progress.toml is authoritative. A run killed after
  the append but before the replace leaves a tail that readers ignore and the next writer
  trims, so a change is in both files or in neither. Showing the state never reads history.
- progress.toml.lock: every change holds it for its whole read-modify-write.
- backups/: the last few good states (backups.py); progress.toml.vN.bak: the file as it was
  before mlpath first upgraded it from schema N.
"""

from __future__ import annotations

import contextlib
import os
import re
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from mlpath import backups, fileio, migrate
from mlpath.catalogue import Catalogue
from mlpath.errors import StoreBusy, StoreError, StoreTooNew, UsageError
from mlpath.fileio import reason
from mlpath.progress import Event, Progress, Tracker, fresh

LOCK_TIMEOUT = 10.0  # seconds a writer waits for another mlpath before giving up
TEMP_PATTERN = ".progress.toml.*.tmp"


class Paths(NamedTuple):
    home: Path
    progress: Path
    history: Path
    lock: Path


def home() -> Path:
    """The data folder: $MLPATH_HOME if set, else the platform's user data folder."""
    override = os.environ.get("MLPATH_HOME")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_data_path("mlpath")


def paths() -> Paths:
    folder = home()
    return Paths(
        folder, folder / "progress.toml", folder / "history.jsonl", folder / "progress.toml.lock"
    )


# -- reading -----------------------------------------------------------------------------


class Loaded(NamedTuple):
    """The state, and what was on disk: its bytes (None for a fresh start) and schema."""

    progress: Progress
    data: bytes | None
    version: int


def read() -> Progress:
    """The committed state, without a lock: os.replace means a reader sees a whole file."""
    return load(paths().progress).progress


def load(path: Path) -> Loaded:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Loaded(fresh(), None, migrate.CURRENT)
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {reason(exc)}") from None
    progress, version = parse_versioned(path, data)
    return Loaded(progress, data, version)


def parse(path: Path, data: bytes) -> Progress:
    return parse_versioned(path, data)[0]


def parse_versioned(path: Path, data: bytes) -> tuple[Progress, int]:
    """Validate the bytes of a progress file. Anything unexpected is damage, never 'empty'."""
    if not data.strip():
        raise StoreError(
            f"{path}: the file is empty, so it is damaged; `mlpath doctor --restore` brings "
            "back the newest backup"
        )
    try:
        text = data.decode("utf-8")
        raw = tomllib.loads(text)
    except UnicodeDecodeError:
        raise StoreError(f"{path}: damaged: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise StoreError(f"{path}: damaged: {exc}") from None
    version = raw.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < migrate.OLDEST:
        raise StoreError(
            f"{path}: damaged: schema_version: should be a whole number from {migrate.OLDEST}"
            f"{_line_of(text, ['schema_version'])}"
        )
    try:
        raw = migrate.upgrade(raw, version)
    except migrate.TooNew:
        raise StoreTooNew(
            f"{path}: written by a newer mlpath (schema version {version}); this mlpath reads "
            f"up to version {migrate.CURRENT}: upgrade mlpath to use this file"
        ) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StoreError(
            f"{path}: damaged: cannot upgrade it from schema version {version} ({exc!r})"
        ) from None
    try:
        return Progress.model_validate(raw), version
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        loc = [str(part) for part in error["loc"]]
        where = _line_of(text, loc) if version == migrate.CURRENT else ""
        raise StoreError(f"{path}: damaged: {'.'.join(loc)}: {error['msg']}{where}") from None


def _line_of(text: str, loc: list[str]) -> str:
    """Best effort: ' (line N)' for the key at `loc` in a TOML file written by mlpath."""
    if not loc:
        return ""
    *tables, key = loc
    start = 0
    if tables:
        parts = [rf"(?:{re.escape(t)}|\"{re.escape(t)}\")" for t in tables]
        header = re.compile(r"^\[\s*" + r"\s*\.\s*".join(parts) + r"\s*\]", re.M)
        found = header.search(text)
        if not found:
            return ""
        start = found.end()
    match = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=", re.M).search(text, start)
    if not match:
        return ""
    return f" (line {text.count(chr(10), 0, match.start() + 1) + 1})"


def read_history(progress: Progress) -> list[Event]:
    """The committed events, oldest first. Only `log`, `undo` and the doctor pay for this."""
    path = paths().history
    size = progress.history.bytes
    if size == 0:
        return []
    try:
        with path.open("rb") as handle:
            data = handle.read(size)
    except FileNotFoundError:
        raise StoreError(
            f"{path}: missing, but progress.toml records {progress.history.events} events in "
            "it; `mlpath doctor` can help"
        ) from None
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {reason(exc)}") from None
    if len(data) < size:
        raise StoreError(f"{path}: cut short ({len(data)} of {size} bytes): damaged")
    return parse_history(path, data)


def parse_history(path: Path, data: bytes) -> list[Event]:
    """Every line an event. Validated in one call to pydantic's core (10,000 events: 41 ms
    against 57 ms a line at a time); only when that fails, line by line to name the line."""
    from pydantic import TypeAdapter

    lines = data.splitlines()
    try:
        events = TypeAdapter(list[Event]).validate_json(b"[" + b",".join(lines) + b"]")
        if len(events) == len(lines):  # else a line held more than one event: damage
            return events
    except ValidationError:
        pass
    import json

    events = []
    for number, line in enumerate(data.splitlines(), start=1):
        try:
            events.append(Event.model_validate(json.loads(line)))
        except (ValueError, ValidationError) as exc:
            detail = (
                exc.errors(include_url=False)[0]["msg"]
                if isinstance(exc, ValidationError)
                else "not JSON"
            )
            raise StoreError(f"{path}: damaged at line {number}: {detail}") from None
    return events


# -- writing -----------------------------------------------------------------------------


@contextmanager
def transaction(catalogue: Catalogue) -> Iterator[Tracker]:
    """Lock, load, hand out a Tracker; commit its events if the block ends without error.

    An exception inside the block (bad input found half-way, Ctrl-C) writes nothing.
    """
    where = paths()
    make_home(where.home)
    with locked(where):
        fileio.remove_stale_temps(where.home, TEMP_PATTERN)
        loaded = load(where.progress)
        _trim_history(where, loaded.progress)
        tracker = Tracker(catalogue, loaded.progress)
        yield tracker
        if tracker.events or tracker.replaced:
            _commit(where, tracker, loaded)


def make_home(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StoreError(f"cannot use {folder} as the data folder: it is a file") from None
    except OSError as exc:
        raise StoreError(f"cannot create the data folder {folder}: {reason(exc)}") from None


@contextmanager
def locked(where: Paths, timeout: float | None = None) -> Iterator[None]:
    """Hold progress.toml.lock (never deleted: removing a lock file others wait on races)."""
    from filelock import FileLock, Timeout

    wait = lock_timeout() if timeout is None else timeout
    lock = FileLock(where.lock, timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        raise StoreBusy(
            f"another mlpath is changing {where.home} (waited {wait:g} s for {where.lock}); "
            "try again when it has finished"
        ) from None
    except OSError as exc:
        raise StoreError(f"cannot lock {where.lock}: {reason(exc)}") from None
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


def _trim_history(where: Paths, progress: Progress) -> None:
    """Drop an uncommitted tail left by a run that died between the append and the commit."""
    committed = progress.history.bytes
    try:
        size = where.history.stat().st_size
    except FileNotFoundError:
        size = 0
    except OSError as exc:
        raise StoreError(f"cannot read {where.history}: {reason(exc)}") from None
    if size < committed:
        raise StoreError(
            f"{where.history}: cut short ({size} of {committed} bytes): damaged; "
            "`mlpath doctor --restore` can repair it"
        )
    if size > committed:
        fileio.truncate(where.history, committed)


def _commit(where: Paths, tracker: Tracker, loaded: Loaded) -> None:
    progress = tracker.progress
    lines = b"".join(event.line() for event in tracker.events)
    committed = progress.history.bytes
    had_history = where.history.exists()
    made: list[Path] = []  # files this commit adds besides the two, to remove if it fails
    try:
        fileio.append(where.history, lines)
        before = progress.history.events
        if tracker.events:
            progress.history.events = tracker.events[-1].seq
        progress.history.bytes += len(lines)
        if loaded.data is not None:
            if loaded.version < migrate.CURRENT:
                original = where.home / f"progress.toml.v{loaded.version}.bak"
                if not original.exists():
                    fileio.atomic_write(original, loaded.data)
                    made.append(original)
            elif backup := backups.keep(where.home, where.progress, before):
                made.append(backup)
        save(where.progress, progress)
    except BaseException:
        # Not committed. Readers would ignore the appended tail and the next writer would
        # trim it; undoing it now leaves the files exactly as they were.
        with contextlib.suppress(OSError, StoreError):
            if had_history:
                fileio.truncate(where.history, committed)
            else:
                where.history.unlink(missing_ok=True)
            for path in made:
                path.unlink(missing_ok=True)
        raise
    backups.prune(where.home)


def save(path: Path, progress: Progress) -> None:
    fileio.atomic_write(path, dump(progress))


def dump(progress: Progress) -> bytes:
    import tomli_w

    # Defaults (todo, no notes, no rating) are left out to keep the file small and readable;
    # the version is always written, and first.
    progress.schema_version = migrate.CURRENT
    document: dict[str, Any] = {"schema_version": migrate.CURRENT}
    document.update(progress.model_dump(mode="python", exclude_defaults=True))
    return tomli_w.dumps(document).encode()
