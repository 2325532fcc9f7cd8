"""Where the learner's files live and how they are read and written safely.

Two files in the data folder (platformdirs' user data path, or $MLPATH_HOME):

- progress.toml: the state, replaced atomically (temp file, fsync, os.replace, fsync folder).
- history.jsonl: one JSON event a line, appended. progress.toml records how many of its
  bytes are committed (`[history] bytes`), so progress.toml is authoritative: a crash after
  the append but before the replace leaves a tail that readers ignore and the next writer
  trims. Showing the state never reads the history.

Every change runs inside `transaction()`, under a cross-process lock (progress.toml.lock).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mlpath.catalogue import Catalogue
from mlpath.errors import StoreBusy, StoreError
from mlpath.progress import SCHEMA_VERSION, Event, Progress, Tracker, fresh

LOCK_TIMEOUT = 10.0  # seconds a writer waits for another mlpath before giving up


@dataclass(frozen=True)
class Paths:
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


def read() -> Progress:
    """The committed state, without a lock: os.replace means a reader sees a whole file."""
    path = paths().progress
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return fresh()
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {reason(exc)}") from None
    return parse(path, data)


def parse(path: Path, data: bytes) -> Progress:
    """Validate the bytes of a progress file. Anything unexpected is damage, never 'empty'."""
    if not data.strip():
        raise StoreError(
            f"{path}: the file is empty, so it is damaged; `mlpath doctor` can restore a backup"
        )
    try:
        text = data.decode("utf-8")
        raw = tomllib.loads(text)
    except UnicodeDecodeError:
        raise StoreError(f"{path}: damaged: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise StoreError(f"{path}: damaged: {exc}") from None
    version = raw.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StoreError(
            f"{path}: damaged: schema_version: should be a whole number from 1"
            f"{_line_of(text, ['schema_version'])}"
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: written by a newer mlpath (schema version {version}); this "
            f"mlpath reads up to version {SCHEMA_VERSION}: upgrade mlpath"
        )
    try:
        return Progress.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        loc = [str(part) for part in error["loc"]]
        raise StoreError(
            f"{path}: damaged: {'.'.join(loc)}: {error['msg']}{_line_of(text, loc)}"
        ) from None


def _line_of(text: str, loc: list[str]) -> str:
    """Best effort: ' (line N)' for the key at `loc` in a TOML file written by mlpath."""
    if not loc:
        return ""
    *tables, key = loc
    start = 0
    if tables:
        header = re.compile(
            r"^\[\s*"
            + r"\s*\.\s*".join(rf"(?:{re.escape(t)}|\"{re.escape(t)}\")" for t in tables)
            + r"\s*\]",
            re.M,
        )
        found = header.search(text)
        if not found:
            return ""
        start = found.end()
    match = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=", re.M).search(text, start)
    if not match:
        return ""
    return f" (line {text.count(chr(10), 0, match.start() + 1) + 1})"


def read_history(progress: Progress) -> list[Event]:
    """The committed events, oldest first. Only `log`, `undo` and friends pay for this."""
    path = paths().history
    size = progress.history.bytes
    if size == 0:
        return []
    try:
        with path.open("rb") as handle:
            data = handle.read(size)
    except FileNotFoundError:
        raise StoreError(
            f"{path}: missing, but progress.toml records {progress.history.events} "
            "events in it; `mlpath doctor` can help"
        ) from None
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {reason(exc)}") from None
    if len(data) < size:
        raise StoreError(f"{path}: cut short ({len(data)} of {size} bytes): damaged")
    events: list[Event] = []
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
    _make_home(where.home)
    with _locked(where):
        progress = _read_locked(where)
        _trim_history(where, progress)
        tracker = Tracker(catalogue, progress)
        yield tracker
        if tracker.events:
            _commit(where, tracker)


def _make_home(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StoreError(f"cannot use {folder} as the data folder: it is a file") from None
    except OSError as exc:
        raise StoreError(f"cannot create the data folder {folder}: {reason(exc)}") from None


@contextmanager
def _locked(where: Paths) -> Iterator[None]:
    from filelock import FileLock, Timeout

    lock = FileLock(where.lock, timeout=_lock_timeout())
    try:
        lock.acquire()
    except Timeout:
        raise StoreBusy(
            f"another mlpath is changing {where.home} (waited {_lock_timeout():g} s "
            f"for {where.lock}); try again when it has finished"
        ) from None
    except OSError as exc:
        raise StoreError(f"cannot lock {where.lock}: {reason(exc)}") from None
    try:
        yield
    finally:
        lock.release()


def _lock_timeout() -> float:
    try:
        return float(os.environ.get("MLPATH_LOCK_TIMEOUT", LOCK_TIMEOUT))
    except ValueError:
        return LOCK_TIMEOUT


def _read_locked(where: Paths) -> Progress:
    _remove_stale_temps(where.home)
    return read()


def _remove_stale_temps(folder: Path) -> None:
    # We hold the lock, so no other writer can own a temp file here: any left is from a
    # killed run.
    for stale in folder.glob(".progress.toml.*.tmp"):
        with suppress(OSError):
            stale.unlink()


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
            "`mlpath doctor` can help"
        )
    if size > committed:
        try:
            with where.history.open("r+b") as handle:
                handle.truncate(committed)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise StoreError(f"cannot repair {where.history}: {reason(exc)}") from None


def _commit(where: Paths, tracker: Tracker) -> None:
    progress = tracker.progress
    lines = b"".join(event.model_dump_json().encode() + b"\n" for event in tracker.events)
    created = not where.history.exists()
    try:
        with where.history.open("ab") as handle:
            handle.write(lines)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise StoreError(f"cannot write {where.history}: {reason(exc)}") from None
    if created:
        _fsync_folder(where.home)
    progress.history.events = tracker.events[-1].seq
    progress.history.bytes += len(lines)
    atomic_write(where.progress, dump(progress))


def dump(progress: Progress) -> bytes:
    import tomli_w

    data: dict[str, Any] = progress.model_dump(mode="python", exclude_none=True)
    return tomli_w.dumps(data).encode()


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a reader sees the old file or the new, never half."""
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {reason(exc)}") from None
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(path)  # os.replace: atomic on POSIX and Windows
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StoreError(f"cannot write {path}: {reason(exc)}; the old file is intact") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable. Not every platform can open a folder (Windows).
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
