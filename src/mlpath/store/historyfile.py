"""history.jsonl, the one record: one event a line, appended a commit at a time.

A commit is the events of one change (a command, an import), written in one append and
sealed: its last line carries `"end":true`. The committed history is everything up to the
last sealed line; what follows it can only be the torn tail of a change that was killed
before it finished, which readers ignore and the next writer trims. So the history alone
says what is committed: no count kept in another file can make it trim more.

Every line is checked by the rules of eventrules.py (the one validator) as it is read
(eventcodec.decode); a line that breaks them is damage, reported with the file, the line and
the field, and never applied. A line is at most LINE_LIMIT bytes. The file is read a line or
a chunk at a time, never whole: historyindex.py orders it and streams it in the history's one
order.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, NamedTuple

from mlpath.core.eventrules import Invalid
from mlpath.core.eventrules import parse as check
from mlpath.core.events import Event
from mlpath.errors import StoreError, reason
from mlpath.store.eventcodec import (
    HOW,
    LINE,
    SEAL,
    damaged,
    encode,
    fingerprint,
    lenient,
    line,
    scan,
    seal,
    taken_apart,
)
from mlpath.store.fileio import MiB

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
    fields = LINE.fullmatch(body)
    if fields is not None:
        found = taken_apart(fields)
        if found is not None:
            return found
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
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""
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
    try:
        return path.open("rb")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {reason(exc)}") from None


def committed_end(path: Path, data: bytes) -> int:
    """How many bytes of `data` are committed: up to the last sealed line. What follows may
    only be a torn tail (a partial line, or whole event lines with no seal after them);
    anything else there is damage, never silently dropped."""
    for start, text in _backwards_in(data):
        if not text.endswith(b"\n"):
            continue  # a partial last line
        if text.endswith(SEAL + b"\n"):
            return start + len(text)
        if not _torn(text):
            raise damaged(path, data.count(b"\n", 0, start) + 1, "not an event")
    return 0


def committed_size(path: Path, handle: IO[bytes], size: int) -> int:
    """committed_end() of the file's first `size` bytes, read from the end: only the torn
    tail and the last committed line are read."""
    for start, text in lines_from_end(handle, size):
        if not text.endswith(b"\n"):
            continue
        if text.endswith(SEAL + b"\n"):
            return start + len(text)
        if not _torn(text):
            raise damaged(path, _line_number(handle, start), "not an event")
    return 0


def _torn(text: bytes) -> bool:
    """Whether a whole line after the last seal may be one of an unsealed commit's."""
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        parsed = None
    return isinstance(parsed, dict) and "machine" in parsed


def _line_number(handle: IO[bytes], offset: int) -> int:
    handle.seek(0)
    count, done = 1, 0
    while done < offset:
        block = handle.read(min(CHUNK * 16, offset - done))
        if not block:
            break
        count += block.count(b"\n")
        done += len(block)
    return count


def _backwards_in(data: bytes) -> Iterator[tuple[int, bytes]]:
    end = len(data)
    while end > 0:
        start = data.rfind(b"\n", 0, end - 1) + 1 if end > 1 else 0
        yield start, data[start:end]
        end = start


def lines_from_end(handle: IO[bytes], size: int) -> Iterator[tuple[int, bytes]]:
    """(offset, line) for the lines of the file's first `size` bytes, last first, each with
    its newline (the last may lack one), reading backwards a chunk at a time."""
    position, carry = size, b""
    while position > 0:
        start = max(0, position - CHUNK)
        handle.seek(start)
        block = handle.read(position - start) + carry
        position = start
        cut = block.rfind(b"\n", 0, len(block) - 1)
        while cut >= 0:
            yield position + cut + 1, block[cut + 1 :]
            block = block[: cut + 1]
            cut = block.rfind(b"\n", 0, len(block) - 1)
        if len(block) > LINE_LIMIT + 1:
            raise StoreError(
                f"a line of the history is longer than {LINE_LIMIT // MiB} MiB: it is damaged{HOW}"
            )
        carry = block
    if carry:
        yield 0, carry


def read(path: Path) -> Committed:
    """The whole committed history, validated, in memory: for what needs every event at
    once (a sync, the tests). The commands that walk a long history use historyindex."""
    handle = opened(path)
    if handle is None:
        return Committed([], [], 0, "")
    with handle:
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


def tail_fingerprint(path: Path, size: int) -> str | None:
    """The fingerprint of the line that ends at byte `size`, or None if the file is shorter
    or no line ends there: a cheap check that a snapshot still matches its history."""
    if size == 0:
        return ""
    try:
        with path.open("rb") as handle:
            start = max(0, size - CHUNK)
            handle.seek(start)
            data = handle.read(size - start)
    except OSError:
        return None
    if len(data) != size - start or not data.endswith(b"\n"):
        return None
    cut = data.rfind(b"\n", 0, len(data) - 1)
    if cut < 0 and start > 0:
        return None  # a line longer than a chunk: let the caller replay
    return fingerprint(data[cut + 1 :])


def commits_from_end(path: Path, size: int) -> Iterator[list[Event]]:
    """The committed commits, newest first, reading the file backwards a chunk at a time:
    `undo` looks only as far back as it must."""
    with path.open("rb") as handle:
        pending: list[bytes] = []  # lines of the commit being gathered, newest first
        for _, text in lines_from_end(handle, size):
            text = text.rstrip(b"\n")
            if not text:
                continue
            if text.endswith(SEAL) and pending:
                yield _commit(path, pending)
                pending = []
            pending.append(text)
        if pending:
            yield _commit(path, pending)


def _commit(path: Path, newest_first: list[bytes]) -> list[Event]:
    data = b"\n".join(reversed(newest_first)) + b"\n"
    try:
        return parse(path, data, first_line=0).events
    except StoreError:
        # Read from the end, the line's number is unknown: only now, with the store
        # damaged anyway, read the whole file to name the first damaged line.
        read(path)
        raise


def append(path: Path, data: bytes) -> None:
    """Append one commit and make it durable: the moment it is on disk, it is committed."""
    from mlpath.store import fileio

    refuse_link(path)
    fileio.append(path, data)


def trim(path: Path, size: int) -> None:
    """Drop a torn tail: never a committed byte (callers pass committed_end())."""
    from mlpath.store import fileio

    if path.stat().st_size > size:
        fileio.truncate(path, size)
