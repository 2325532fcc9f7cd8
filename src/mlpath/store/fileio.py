"""Writing files so that a crash, a full disk or a kill never leaves half of one."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import IO

from mlpath.errors import MlpathError, StoreError, reason

MiB = 1 << 20
# Python's parsers give up (RecursionError) a few hundred levels down, TOML sooner than JSON;
# mlpath's own files nest five levels at most.
TOO_DEEP = "nested too deeply to read (more than a few hundred levels)"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_input(path: Path, noun: str, limit: int, error: type[MlpathError]) -> str:
    """The text of a file mlpath was given to read (a catalogue, an export), or `error`
    with one line naming the file. Only a regular file of at most `limit` bytes of UTF-8:
    a FIFO would block for ever and /dev/zero would fill the memory. `-` is stdin, read up
    to the same limit: `mlpath export | ssh laptop mlpath import -`.
    """
    name = "stdin" if str(path) == "-" else str(path)
    handle = open_input(path, noun, error)
    try:
        data = handle.read(limit + 1)  # one byte more tells a file over the limit
    except OSError as exc:
        raise error(f"{name}: cannot read the {noun} ({reason(exc)})") from None
    finally:
        if name != "stdin":
            handle.close()
    if len(data) > limit:
        raise error(f"{name}: larger than {_size(limit)}, the limit for {noun}s")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{name}: not UTF-8 text (byte {exc.start + 1} cannot be read)") from None


def open_input(path: Path, noun: str, error: type[MlpathError]) -> IO[bytes]:
    """A file mlpath was given to read, open: a regular file only (see read_input), or
    stdin for `-`, when something is piped in. The caller reads it within its limit."""
    if str(path) == "-":
        import sys

        stream = sys.stdin
        if stream is None or stream.isatty():
            raise error(
                f"`-` reads the {noun} from stdin: pipe it in, e.g. `cat FILE | mlpath ...`"
            )
        return stream.buffer
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise error(f"{path}: is a folder; name the {noun} file")
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{path}: {_kind(info.st_mode)}; mlpath reads {noun}s only from files")
        # Non-blocking, so that a file swapped for a FIFO after the check still cannot hang.
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
        handle = os.fdopen(fd, "rb")
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            handle.close()
            raise error(f"{path}: not a regular file; mlpath reads {noun}s only from files")
    except FileNotFoundError:
        raise error(f"{path}: {noun} file not found") from None
    except OSError as exc:
        raise error(f"{path}: cannot read the {noun} ({reason(exc)})") from None
    return handle


def read_stdin(noun: str, limit: int, error: type[MlpathError]) -> str:
    """What is piped in, as text: at most `limit` bytes of UTF-8. On a terminal, where a
    person would be left typing into a command that seems to hang, it says how to pipe."""
    return read_input(Path("-"), noun, limit, error)


def _size(limit: int) -> str:
    return f"{limit // MiB} MiB" if limit >= MiB else f"{limit // 1024} KiB"


_NEW = (
    os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
)


def _new_temp(path: Path) -> tuple[int, Path]:
    """A new file `.NAME.RANDOM.tmp` beside `path`, open, readable by this user alone, as
    tempfile.mkstemp makes it (whose import, with random's and shutil's, cost a change a
    third of Python's start-up)."""
    for _ in range(100):
        temp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(temp, _NEW | getattr(os, "O_BINARY", 0), 0o600), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))


def atomic_write(path: Path, data: bytes | Iterable[bytes], mode: int | None = None) -> None:
    """Replace `path` with `data` (bytes, or chunks of them written as they come, for a
    document too long to hold): a reader sees the old file or the new, never half.

    Temp file in the same folder, write, flush, fsync, os.replace, fsync the folder. On any
    failure the temp file is removed and the old file is left as it was.
    """
    try:
        fd, temp = _new_temp(path)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in [data] if isinstance(data, bytes) else data:
                handle.write(chunk)
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


def write_output(path: Path, data: bytes | Iterable[bytes], *, replace: bool) -> None:
    """Write a file the learner asked for (a journal, an export): never over one by surprise.

    A symbolic link is refused, --force or not: replacing it would break the link, and
    writing through it would change a file elsewhere that the learner did not name.
    """
    if path.is_symlink():
        raise MlpathError(f"{path} is a symbolic link: name the file itself")
    if path.exists() and not replace:
        raise MlpathError(f"{path} exists already: add --force to replace it")
    if path.is_dir():
        raise MlpathError(f"{path} is a folder: name a file")
    if not path.parent.is_dir():
        raise MlpathError(f"cannot write {path}: no folder {path.parent}")
    umask = os.umask(0o022)
    os.umask(umask)
    atomic_write(path, data, mode=0o666 & ~umask)  # a file to share, not a private one


def append(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Append (the bytes, or each piece in turn) and fsync; a new file's folder entry is
    made durable too."""
    created = not path.exists()
    try:
        # Private like progress.toml (mkstemp makes that 0600): it is the learner's record.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "ab") as handle:
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
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


def remove_stale_temps(folder: Path, pattern: str) -> None:
    """Remove temp files a killed writer left. Call only while holding the store's lock."""
    for stale in folder.glob(pattern):
        with contextlib.suppress(OSError):
            stale.unlink()


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
