"""history.jsonl, the one record: one event a line, appended a commit at a time.

A commit is the events of one change (a command, an import), written in one append and
sealed: its last line carries `"end":true`. The committed history is everything up to the
last sealed line; what follows it can only be the torn tail of a change that was killed
before it finished, which readers ignore and the next writer trims. So the history alone
says what is committed: no count kept in another file can make it trim more (historytail.py
finds it, reading from the end).

Every line is checked by the rules of eventrules.py (the one validator) as it is read
(`decode`, over eventcodec's line format); a line that breaks them is damage, reported with
the file, the line and the field, and never applied. A line is at most LINE_LIMIT bytes. The
file is read a line or a chunk at a time, never whole: historyindex.py orders it and streams
it in the history's one order.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from mlpath.core.eventrules import Invalid
from mlpath.core.eventrules import parse as check
from mlpath.core.events import Event
from mlpath.errors import StoreError, reason
from mlpath.store.eventcodec import (
    HOW,
    SEAL,
    damaged,
    encode,
    fingerprint,
    lenient,
    line,
    scan,
    seal,
)
from mlpath.store.fileio import MiB

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple

# A line of the history: one event. A note is at most 64 KiB and an argument a few hundred;
# a longer line can only be damage, and is never read whole.
LINE_LIMIT = MiB

__all__ = [
    "LINE_LIMIT",
    "SEAL",
    "Committed",
    "Parsed",
    "damaged",
    "decode",
    "encode",
    "fingerprint",
    "line",
    "parse",
    "seal",
]

CHUNK = 1 << 16


def decode(line: bytes) -> tuple[Event, bool]:
    """The event on one line (its newline optional) and whether it seals its commit; else
    Invalid saying what is wrong."""
    body = line[:-1] if line.endswith(b"\n") else line
    if len(body) > LINE_LIMIT:
        raise Invalid(f"longer than {LINE_LIMIT // MiB} MiB, the limit for one event")
    try:
        text = body.decode("utf-8")
        raw, end = scan(text, 0)
        if end != len(text):
            raise ValueError("more after the event")
    except (ValueError, StopIteration, RecursionError):
        raw = lenient(body)
    sealed = body.endswith(SEAL)
    if sealed and type(raw) is dict:
        raw.pop("end", None)  # the seal is the last key, written by encode()
    return check(raw), sealed


class Parsed(NamedTuple):
    events: list[Event]
    ends: list[bool]  # for each event, whether it seals its commit


def parse(path: Path, data: bytes, first_line: int = 1) -> Parsed:
    """Every line of `data` an event that obeys the rules; else StoreError naming the line."""
    events: list[Event] = []
    ends: list[bool] = []
    for number, text in enumerate(data.splitlines(), start=first_line):
        try:
            event, end = decode(text)
        except Invalid as exc:
            raise damaged(path, number, exc) from None
        events.append(event)
        ends.append(end)
    return Parsed(events, ends)


# -- reading ---------------------------------------------------------------------------------


class Committed(NamedTuple):
    """The committed history: its events in file order, and the commits they form."""

    events: list[Event]
    commits: list[list[Event]]
    size: int  # bytes up to and including the last seal
    last: str  # fingerprint of the last committed line ("" when there is none)


def read_bytes(path: Path) -> bytes:
    refuse_link(path)
    handle = open_plain(path)
    if handle is None:
        return b""
    try:
        with handle:
            return handle.read()
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {reason(exc)}") from None


def refuse_link(path: Path) -> None:
    """The learner's files are plain files: writing through a link would change a file
    somewhere else, so mlpath refuses one rather than follow it."""
    try:
        linked = path.is_symlink()
    except OSError as exc:  # a folder the user cannot enter: is_symlink only hides ENOENT
        raise StoreError(f"cannot read {path}: {reason(exc)}") from None
    if linked:
        raise StoreError(
            f"{path} is a symbolic link: mlpath keeps its files as plain files; put the file "
            "it points to in its place"
        )


def has_events(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def opened(path: Path) -> IO[bytes] | None:
    """The history open for reading, or None when there is none. Whatever replaces the file
    meanwhile (a restore), a reader keeps reading the one it opened."""
    refuse_link(path)
    return open_plain(path)


# O_NONBLOCK: a FIFO put where a file of the store should be would wait for a writer for
# ever (a regular file's reads never block on it); what is opened is then checked.
_READING = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def open_plain(path: Path) -> IO[bytes] | None:
    """A file of the store open for reading, or None when there is none; StoreError, never
    a wait, for a FIFO, a device or a folder in its place, and for a file it cannot open."""
    try:
        return reading(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {reason(exc)}") from None


def reading(path: Path) -> IO[bytes]:
    """path.open("rb") that never waits on a FIFO in the file's place: the OSError open()
    raises for a file it cannot open, and StoreError for one that is not a regular file."""
    import stat

    fd = os.open(path, _READING | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "is a directory" if stat.S_ISDIR(mode) else "not a regular file"
        raise StoreError(
            f"cannot read {path}: {what}; mlpath keeps its files as plain files: move it aside"
        )
    return open(fd, "rb")  # noqa: PTH123 (a descriptor, not a path)


def read(path: Path) -> Committed:
    """The whole committed history, validated, in memory: for what needs every event at
    once (a sync, the tests). The commands that walk a long history use historyindex."""
    handle = opened(path)
    if handle is None:
        return Committed([], [], 0, "")
    with handle:
        from mlpath.store.historytail import committed_size

        size = committed_size(path, handle, size_of(path, handle))
        events: list[Event] = []
        commits: list[list[Event]] = []
        current: list[Event] = []
        seen: set[tuple[str, int]] = set()
        last = b""
        for number, (_, text) in enumerate(lines(handle, 0, size), start=1):
            try:
                event, end = decode(text)
            except Invalid as exc:
                raise damaged(path, number, exc) from None
            if (event.machine, event.seq) in seen:
                raise damaged(path, number, f"a second event {event.id}")
            seen.add((event.machine, event.seq))
            events.append(event)
            current.append(event)
            if end:
                commits.append(current)
                current = []
            last = text
    return Committed(events, commits, size, fingerprint(last) if last else "")


def size_of(path: Path, handle: IO[bytes]) -> int:
    try:
        return os.fstat(handle.fileno()).st_size
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {reason(exc)}") from None


def lines(handle: IO[bytes], start: int, end: int) -> Iterator[tuple[int, bytes]]:
    """(offset, line) for every line from byte `start` to `end` (a line's end), in order.

    Read with pread, never from the handle's own position: two walks of one file at once
    (the log's rows, and the undo that a redo among them names) must not move each other."""
    fd = handle.fileno()
    position, offset, carry = start, start, b""
    while position < end:
        try:
            block = os.pread(fd, min(CHUNK, end - position), position)
        except OSError as exc:
            raise StoreError(f"cannot read {handle.name}: {reason(exc)}") from None
        if not block:
            break
        position += len(block)
        carry += block
        begin, cut = 0, carry.find(b"\n")
        while cut >= 0:
            yield offset, carry[begin : cut + 1]
            offset += cut + 1 - begin
            begin, cut = cut + 1, carry.find(b"\n", cut + 1)
        carry = carry[begin:]
        if len(carry) > LINE_LIMIT + 1:
            raise StoreError(
                f"a line of the history is longer than {LINE_LIMIT // MiB} MiB: it is damaged{HOW}"
            )
    if carry:
        yield offset, carry


def append(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Append one commit and make it durable: the moment it is on disk, it is committed."""
    from mlpath.store import fileio

    refuse_link(path)
    fileio.append(path, data)


def trim(path: Path, size: int) -> None:
    """Drop a torn tail: never a committed byte (callers pass committed_end())."""
    from mlpath.store import fileio

    if path.stat().st_size > size:
        fileio.truncate(path, size)
