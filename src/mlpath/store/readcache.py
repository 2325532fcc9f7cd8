"""The read cache: what the read commands show (views/readmodel.py), kept as plain data
beside the store, so that `status`, `list`, `show N` and `next` need neither pydantic nor
the history's replay while nothing has changed.

Derived and disposable, like progress.toml is to the history: deleting it is always safe.
It is trusted only while every file it was made from is as it was then: each of
layout.SOURCES in the data folder and the catalogue in use, by inode, device, size, mode,
modification and change times in nanoseconds, and its content (a CRC-32 of the whole file;
for the history, which only grows, its last TAIL bytes, where every commit writes an event
of its own). The keys are taken before the state is read, so a change made meanwhile makes
the cache miss, never lie. Anything wrong with the cache file (missing, a link, too big,
damaged, another version's, another store's, another catalogue's) is a miss: the full road
runs, validates through the models, and writes the cache again (a temporary file renamed
over it, so a reader sees a whole file or none).
"""

from __future__ import annotations

import marshal
import os
import sys

from mlpath import __version__
from mlpath.store import layout

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    Keys = tuple[Any, ...]

MAGIC = b"mlpath read cache 6\n"
# What a step shows only when it is shown whole, kept packed (views/readmodel.step): each
# step's "rest" (its id, summary, resources...) and apart its notes (thousands, some learners).
PACKED = ("rest", "notes")
LIMIT = 256 * 1024 * 1024  # a 5,000-step catalogue with 4,000 notes takes a few MB
TAIL = 1024
WHOLE = 64 * 1024 * 1024  # files read whole for their CRC; a bigger one is never cached
# O_NONBLOCK: a FIFO put where a file should be would wait for a writer for ever (a regular
# file's reads never block on it); what is opened is then checked to be a regular file.
_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NONBLOCK", 0)
)


# This user, where files have owners and modes (POSIX; the fast road runs on Linux alone).
_USER = os.geteuid() if hasattr(os, "geteuid") else None


class Miss(Exception):
    """A file that cannot be keyed: the full road decides what it means."""


def _read(path: str, start: int, size: int) -> bytes:
    fd = os.open(path, _FLAGS)
    try:
        if (os.fstat(fd).st_mode & 0o170000) != 0o100000:  # swapped since its stat
            raise Miss(path)
        chunks = []
        while size > 0:
            chunk = os.pread(fd, size, start)
            if not chunk:
                break
            chunks.append(chunk)
            start += len(chunk)
            size -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def key(path: str, *, tail: bool = False) -> tuple[Any, ...] | None:
    """What a source file is now, or None when there is none."""
    import zlib

    try:
        info = os.stat(path, follow_symlinks=False)
        if (info.st_mode & 0o170000) != 0o100000:  # not a regular file: a link, a folder
            raise Miss(path)
        if tail:
            start = max(info.st_size - TAIL, 0)
            content: object = _read(path, start, info.st_size - start)
        elif info.st_size > WHOLE:
            raise Miss(path)
        else:
            content = zlib.crc32(_read(path, 0, info.st_size))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:
        raise Miss(path) from None
    return (
        info.st_ino,
        info.st_dev,
        info.st_size,
        info.st_mode,
        info.st_mtime_ns,
        info.st_ctime_ns,
        content,
    )


def keys(home: str, catalogue: str) -> tuple[Any, ...]:
    """Every source's key, the catalogue's last; Miss when one cannot be keyed."""
    found = [key(os.path.join(home, name), tail=name == "history.jsonl") for name in layout.SOURCES]
    return (*found, key(catalogue))


_HERE = os.path.dirname(os.path.abspath(__file__))
# The modules that give the model its shape: an edited checkout (an editable install keeps
# its version number) changes their size or time, and a cache made by the old code misses.
SHAPED_BY = (os.path.join(os.path.dirname(_HERE), "views", "readmodel.py"), __file__)


def _code(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def identity(home: str, catalogue: str, bundled: bool) -> tuple[Any, ...]:
    """What else the model depends on: this mlpath (its version, where it runs from, the code
    that shapes the model), this Python (marshal's format), the environment that chooses the
    data folder, and the catalogue's path."""
    code = tuple(_code(path) for path in SHAPED_BY)
    inputs = tuple(os.environ.get(name) for name in layout.HOME_INPUTS)
    where = os.path.abspath(catalogue)
    return (__version__, _HERE, code, sys.version, home, inputs, where, bundled)


def load(home: str, catalogue: str, bundled: bool) -> dict[str, Any] | None:
    """The cached model, if it is the model of the files as they are now; else None. The
    model's steps come as columns (views/readmodel.py); each step's PACKED values (its
    "rest": id, summary, resources...; its notes) marshalled on their own, for
    views/readmodel.step to unpack when a view shows them: `status` with 5,000 steps or
    4,000 notes unmarshals the details of none of them."""
    try:
        cache = layout.read_cache_text(home)
        if cache is None:
            return None
        data = _whole(cache)
        found = parts(data)
        if found is None:
            return None
        if found[0] != identity(home, catalogue, bundled) or found[1] != keys(home, catalogue):
            return None
        model: dict[str, Any] = found[2]
        return model
    except (OSError, Miss, ValueError, EOFError, TypeError, KeyError):
        return None


def whole(found: tuple[Any, ...], before: tuple[Any, ...], model: dict[str, Any]) -> bytes:
    """The cache file of a model whose PACKED columns hold marshalled bytes: MAGIC, the
    body's CRC-32 and size, the body (marshal of the identity, the keys and the model, each
    PACKED column in it as where its bytes are, their size, CRC-32 and ends), then the bytes
    of the PACKED columns, one after another."""
    import zlib
    from itertools import accumulate

    steps = dict(model["steps"])
    tail: list[bytes] = []
    at = 0
    for name in PACKED:
        column = b"".join(steps[name])
        steps[name] = (at, len(column), zlib.crc32(column), list(accumulate(map(len, steps[name]))))
        tail.append(column)
        at += len(column)
    body = marshal.dumps((found, before, {**model, "steps": steps}))
    return (
        MAGIC
        + zlib.crc32(body).to_bytes(4, "big")
        + len(body).to_bytes(8, "big")
        + body
        + b"".join(tail)
    )


def parts(data: bytes) -> tuple[Any, Any, dict[str, Any]] | None:
    """The identity, keys and model of a cache file (whole's), each PACKED column a Packed;
    None when it is not one, or its body is damaged."""
    import zlib

    if not data.startswith(MAGIC):
        return None
    head = len(MAGIC) + 12
    size = int.from_bytes(data[head - 8 : head], "big")
    body = data[head : head + size]
    if int.from_bytes(data[head - 12 : head - 8], "big") != zlib.crc32(body):  # or cut short
        return None
    found = marshal.loads(body)
    if not (isinstance(found, tuple) and len(found) == 3 and isinstance(found[2], dict)):
        return None
    steps = found[2]["steps"]
    for name in PACKED:
        at, length, crc, ends = steps[name]
        steps[name] = Packed(data, head + size + at, length, crc, ends)
    return found[0], found[1], found[2]


class Packed:
    """A PACKED column, its values marshalled one after another after the cache's body: the
    bytes of value N, or what was put in its place (views/readmodel.step keeps what it
    unpacks). Checked by their CRC-32 (which the body, and so its CRC-32, holds) the first
    time one is read: `status` with 5,000 steps or 4,000 notes reads none, nor checks them."""

    __slots__ = ("checked", "crc", "data", "ends", "length", "put", "start")

    def __init__(self, data: bytes, start: int, length: int, crc: int, ends: list[int]) -> None:
        self.data, self.start, self.length, self.crc, self.ends = data, start, length, crc, ends
        self.checked = False
        self.put: dict[int, Any] = {}

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, at: int) -> Any:
        if at in self.put:
            return self.put[at]
        if not self.checked:
            import zlib

            column = memoryview(self.data)[self.start : self.start + self.length]
            if zlib.crc32(column) != self.crc:  # a column cut short too
                raise ValueError("the read cache is damaged")
            self.checked = True
        return self.data[self.start + (self.ends[at - 1] if at else 0) : self.start + self.ends[at]]

    def __setitem__(self, at: int, value: Any) -> None:
        self.put[at] = value


def _whole(path: str) -> bytes:
    """The cache file's bytes, or b"" for one not to trust: not a regular file, too big, or
    one that another user wrote or may write (its owner not this user, or writable by its
    group or by others): marshal is not safe for data made to harm, and its model would be
    shown as this learner's progress."""
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        if (info.st_mode & 0o170000) != 0o100000 or info.st_size > LIMIT:
            return b""
        if _USER is not None and (info.st_mode & 0o022 or info.st_uid != _USER):
            return b""
        return os.read(fd, info.st_size + 1) if info.st_size else b""
    finally:
        os.close(fd)


def taken(home: Path, catalogue: Path, bundled: bool, *, create: bool) -> tuple[Any, ...] | None:
    """The sources' keys before the full road reads them; None when the cache is not to be
    written: the fast road would look for it elsewhere, a source cannot be keyed, the cache
    is current already, or (without `create`) there is none."""
    light, folder = layout.home_text(), layout.cache_text()
    if light is None or folder is None or _path(light) != home:
        return None
    if _path(folder) != layout.cache_folder():
        return None
    cache = str(layout.read_cache_text(light))
    if not create and not os.path.lexists(cache):
        return None
    try:
        found = keys(light, str(catalogue))
    except Miss:
        return None
    return None if load(light, str(catalogue), bundled) is not None else found


def save(
    home: Path,
    catalogue: Path,
    bundled: bool,
    before: tuple[Any, ...] | None,
    model: dict[str, Any],
) -> None:
    """Write the cache of `model`, made from the files as `before` found them. Never fails
    a command: a folder that cannot be written only means the next read is the full road."""
    if before is None or not home.is_dir():
        return
    light = str(layout.home_text())
    # One object for each value many steps share ("todo", "catalogue", (0, 1), no notes),
    # which marshal then writes once and refers back to: 5,000 steps, 20,000 fewer objects
    # for every read to make. Keyed by type too: 1 and 1.0 are one dict key.
    shared: dict[tuple[object, ...], object] = {}

    def one(value: object) -> object:
        if type(value) not in (str, bytes, tuple) or len(value) > 64:  # type: ignore[arg-type]
            return value
        kinds = tuple(map(type, value)) if type(value) is tuple else ()
        return shared.setdefault((type(value), kinds, value), value)

    steps = {
        name: [marshal.dumps(value) for value in column]
        if name in PACKED
        else list(map(one, column))
        for name, column in model["steps"].items()
    }
    data = whole(identity(light, str(catalogue), bundled), before, {**model, "steps": steps})
    target = str(layout.read_cache_text(light))
    folder = os.path.dirname(target)
    temp = os.path.join(folder, f".{os.path.basename(target)}.{os.getpid()}.tmp")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _FLAGS, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(temp, target)  # replaces a link itself, never what it points to
        _remove_stale(folder, f".{os.path.basename(target)}.")
    except OSError:
        try:  # noqa: SIM105 (contextlib is not on the read path)
            os.unlink(temp)
        except OSError:
            pass


STALE = 600  # seconds: a temp file this old was left by a writer that was killed


def _remove_stale(folder: str, prefix: str) -> None:
    """Remove the temp files of this cache that writers killed mid-write left (each holds a
    whole cache). A live writer's is seconds old; if one were removed all the same, its
    rename would fail, and that only means no cache for that run."""
    import time

    old = time.time() - STALE
    with os.scandir(folder) as entries:
        for entry in entries:
            if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
                continue
            try:
                if entry.stat(follow_symlinks=False).st_mtime < old:
                    os.unlink(entry.path)
            except OSError:
                pass


def _path(text: str) -> Path:
    from pathlib import Path

    return Path(text)
