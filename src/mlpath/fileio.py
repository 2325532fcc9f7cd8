"""Writing files so that a crash, a full disk or a kill never leaves half of one."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

from mlpath.errors import MlpathError, StoreError


def reason(exc: OSError) -> str:
    """The cause in a person's words: 'no space left on device', 'permission denied'."""
    return (exc.strerror or str(exc)).lower()


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace `path` with `data`: a reader sees the old file or the new, never half.

    Temp file in the same folder, write, flush, fsync, os.replace, fsync the folder. On any
    failure the temp file is removed and the old file is left as it was.
    """
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
            if mode is not None and hasattr(os, "fchmod"):  # POSIX; Windows has no modes
                os.fchmod(handle.fileno(), mode)
        temp.replace(path)  # os.replace: atomic on POSIX and Windows
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StoreError(f"cannot write {path}: {reason(exc)}; the old file is intact") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def write_output(path: Path, data: bytes, *, replace: bool) -> None:
    """Write a file the learner asked for (a journal, an export): never over one by surprise."""
    if path.exists() and not replace:
        raise MlpathError(f"{path} exists already: add --force to replace it")
    if path.is_dir():
        raise MlpathError(f"{path} is a folder: name a file")
    if not path.parent.is_dir():
        raise MlpathError(f"cannot write {path}: no folder {path.parent}")
    umask = os.umask(0o022)
    os.umask(umask)
    atomic_write(path, data, mode=0o666 & ~umask)  # a file to share, not a private one


def append(path: Path, data: bytes) -> None:
    """Append and fsync; a new file's folder entry is made durable too."""
    created = not path.exists()
    try:
        # Private like progress.toml (mkstemp makes that 0600): it is the learner's record.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "ab") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {reason(exc)}") from None
    if created:
        fsync_folder(path.parent)


def truncate(path: Path, size: int) -> None:
    try:
        with path.open("r+b") as handle:
            handle.truncate(size)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise StoreError(f"cannot repair {path}: {reason(exc)}") from None


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new entry in `folder` durable. Windows cannot open a folder: skip."""
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


def remove_stale_temps(folder: Path, pattern: str) -> int:
    """Remove temp files a killed writer left. Call only while holding the store's lock."""
    removed = 0
    for stale in folder.glob(pattern):
        try:
            stale.unlink()
            removed += 1
        except OSError:
            pass
    return removed


def link_aside(path: Path, now: datetime) -> Path:
    """A second name for a damaged file (path.damaged-<time>), made before it is replaced:
    the file is never absent and never lost."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    try:
        os.link(path, target)
    except OSError as exc:
        raise StoreError(
            f"cannot keep a copy of {path} before repairing it: {reason(exc)}; nothing was changed"
        ) from None
    return target
