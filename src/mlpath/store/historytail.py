"""The end of history.jsonl: what is committed, and the commits read newest first.

The committed history is everything up to the last sealed line; what follows it can only be
the torn tail of a change that was killed before it finished (a partial line, or whole lines
of an unsealed commit). These read the file from its end a chunk at a time, so that finding
the committed size, checking that a snapshot still names its history's last line, and
`undo`'s walk back to the commit it reverts cost what is near the end, not the whole file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from mlpath.core.eventrules import Invalid
from mlpath.core.events import Event
from mlpath.errors import StoreError
from mlpath.store import historyfile
from mlpath.store.eventcodec import HOW, SEAL, damaged, fingerprint
from mlpath.store.fileio import MiB

CHUNK = historyfile.CHUNK


def committed_end(path: Path, data: bytes, first_line: int = 1) -> int:
    """How many bytes of `data` are committed: up to the last sealed line. What follows may
    only be a torn tail (a partial line, or whole event lines with no seal after them);
    anything else there is damage, never silently dropped, told at its line in the file
    (`data` starting at line `first_line`)."""
    for start, text in _backwards_in(data):
        if not text.endswith(b"\n"):
            continue  # a partial last line
        if text.endswith(SEAL + b"\n"):
            return start + len(text)
        if not _torn(text):
            raise damaged(path, data.count(b"\n", 0, start) + first_line, "not an event")
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
        limit = historyfile.LINE_LIMIT
        if len(block) > limit + 1:
            raise StoreError(
                f"a line of the history is longer than {limit // MiB} MiB: it is damaged{HOW}"
            )
        carry = block
    if carry:
        yield 0, carry


def tail_fingerprint(path: Path, size: int) -> str | None:
    """The fingerprint of the line that ends at byte `size`, or None if the file is shorter
    or no line ends there: a cheap check that a snapshot still matches its history."""
    if size == 0:
        return ""
    try:
        with historyfile.reading(path) as handle:
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


LONG = 10_000  # lines of a commit held while it is read from the end; a longer one: Stored
DECODED = 2000  # lines of a Stored commit decoded together when it is read newest first


def commits_from_end(path: Path, size: int) -> Iterator[list[Event] | Stored]:
    """The committed commits, newest first, reading the file backwards a chunk at a time:
    `undo` looks only as far back as it must. A commit of more than LONG lines (an import)
    comes as a Stored one, read again from the file each time it is walked."""
    with historyfile.reading(path) as handle:
        pending: list[bytes] = []  # lines of the commit being gathered, newest first
        end = start = count = 0  # the bytes of a long one, and its lines
        for offset, text in lines_from_end(handle, size):
            line = text.rstrip(b"\n")
            if not line:
                continue
            if line.endswith(SEAL) and (pending or count):
                yield _commit(path, pending) if not count else Stored(path, start, end, count)
                pending, count = [], 0
            if not pending and not count:
                end = offset + len(text)
            if count:
                count += 1
            else:
                pending.append(line)
                if len(pending) > LONG:
                    count, pending = len(pending), []
            start = offset
        if pending or count:
            yield _commit(path, pending) if not count else Stored(path, start, end, count)


def _commit(path: Path, newest_first: list[bytes]) -> list[Event]:
    data = b"\n".join(reversed(newest_first)) + b"\n"
    try:
        return historyfile.parse(path, data, first_line=0).events
    except StoreError:
        _name_the_damage(path)
        raise


def _name_the_damage(path: Path) -> None:
    # Read from the end, the line's number is unknown: only now, with the store damaged
    # anyway, read the whole file to name the first damaged line.
    historyfile.read(path)


class Stored:
    """A long commit (events.Commit): where its lines lie in the file (bytes `start` to
    `end`, `count` lines), read again and decoded each time it is walked, forwards or
    newest first, a chunk at a time: it never holds its events."""

    def __init__(self, path: Path, start: int, end: int, count: int) -> None:
        self.path, self.start, self.end, self.count = path, start, end, count

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Event]:
        with historyfile.reading(self.path) as handle:
            handle.seek(self.start)
            left, carry = self.end - self.start, b""
            while left > 0:
                block = carry + handle.read(min(CHUNK * 16, left))
                if len(block) == len(carry):
                    raise self._changed()
                left -= len(block) - len(carry)
                cut = block.rfind(b"\n") + 1 if left else len(block)
                carry = block[cut:]
                yield from self._decoded(block[:cut].split(b"\n"))

    def __reversed__(self) -> Iterator[Event]:
        with historyfile.reading(self.path) as handle:
            lines: list[bytes] = []
            for offset, text in lines_from_end(handle, self.end):
                if offset < self.start:
                    break
                lines.append(text)
                if len(lines) >= DECODED:
                    yield from reversed(self._decoded(reversed(lines)))
                    lines = []
            yield from reversed(self._decoded(reversed(lines)))

    def _decoded(self, lines: Iterable[bytes]) -> list[Event]:
        """The events on `lines` (blank ones skipped), in their order."""
        events: list[Event] = []
        try:
            for text in lines:
                if text.strip(b"\n"):
                    events.append(historyfile.decode(text)[0])
        except Invalid as exc:
            _name_the_damage(self.path)  # raises, naming the line, unless it changed since
            raise StoreError(
                f"{self.path}: a line of its last commits is damaged: {exc}{HOW}"
            ) from None
        return events

    def _changed(self) -> StoreError:
        return StoreError(f"{self.path} changed while it was read{HOW}")
