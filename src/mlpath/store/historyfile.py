"""history.jsonl, the one record: one event a line, appended a commit at a time.

A commit is the events of one change (a command, an import), written in one append and
sealed: its last line carries `"end":true`. The committed history is everything up to the
last sealed line; what follows it can only be the torn tail of a change that was killed
before it finished, which readers ignore and the next writer trims. So the history alone
says what is committed: no count kept in another file can make it trim more.

Every line is checked by the rules of history.py as it is read; a line that breaks them is
damage, reported with the file, the line and the field, and never applied.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from mlpath.core.history import Event, problem
from mlpath.errors import StoreError, first_error, reason

CHUNK = 1 << 16


def encode(events: Sequence[Event]) -> bytes:
    """The lines of one commit, the last one sealed."""
    lines = []
    for number, event in enumerate(events, start=1):
        data: dict[str, Any] = {
            "machine": event.machine,
            "seq": event.seq,
            "batch": event.batch,
            "clock": event.clock,
            "at": event.at.isoformat(),
            "catalogue": event.catalogue,
            "action": event.action,
            "step": event.step,
            "details": event.details,
        }
        if number == len(events):
            data["end"] = True
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        lines.append(text.encode() + b"\n")
    return b"".join(lines)


def fingerprint(line: bytes) -> str:
    """Names the last committed line, so a snapshot can tell its history from another."""
    return hashlib.sha256(line).hexdigest()[:16]


# -- validating ----------------------------------------------------------------------------

_adapter: Any = None


def _validator() -> Any:
    """One validator for a whole list of events, built once (pydantic's core does the work)."""
    global _adapter
    if _adapter is None:
        from pydantic import TypeAdapter

        _adapter = TypeAdapter(list[Event])
    return _adapter


class Parsed(NamedTuple):
    events: list[Event]
    ends: list[bool]  # for each event, whether it seals its commit


def parse(path: Path, data: bytes, first_line: int = 1) -> Parsed:
    """Every line of `data` an event that obeys the rules; else StoreError naming the line."""
    lines = data.splitlines()
    ends: list[bool] = []
    raw: list[bytes] = []
    for line in lines:
        # The seal is the last key, written by encode(): strip it before validation.
        if line.endswith(b',"end":true}'):
            ends.append(True)
            raw.append(line[: -len(b',"end":true}')] + b"}")
        else:
            ends.append(False)
            raw.append(line)
    events: list[Event] = []
    try:
        from pydantic import ValidationError

        events = _validator().validate_json(b"[" + b",".join(raw) + b"]")
    except (ValidationError, ValueError, RecursionError):
        events = []
    if len(events) != len(lines):  # find and name the first bad line
        _name_the_bad_line(path, raw, first_line)
    for number, event in enumerate(events, start=first_line):
        fault = problem(event)
        if fault:
            raise StoreError(f"{path}: damaged at line {number}: {fault}{_HOW}")
    return Parsed(events, ends)


_HOW = "; `mlpath doctor` explains how to get past it"


def _name_the_bad_line(path: Path, raw: list[bytes], first_line: int) -> None:
    from pydantic import ValidationError

    for number, line in enumerate(raw, start=first_line):
        try:
            parsed = json.loads(line)
        except (ValueError, RecursionError):
            raise StoreError(f"{path}: damaged at line {number}: not JSON{_HOW}") from None
        if not isinstance(parsed, dict):
            raise StoreError(f"{path}: damaged at line {number}: not an event{_HOW}")
        try:
            Event.model_validate_json(line)
        except ValidationError as exc:
            parts, words = first_error(exc)
            raise StoreError(
                f"{path}: damaged at line {number}: {'.'.join(parts)}: {words}{_HOW}"
            ) from None
    raise StoreError(f"{path}: damaged: a line holds more than one event{_HOW}")


# -- reading -------------------------------------------------------------------------------


class Committed(NamedTuple):
    """The committed history: its events in file order, and the commits they form."""

    events: list[Event]
    commits: list[list[Event]]
    size: int  # bytes up to and including the last seal
    last: str  # fingerprint of the last committed line ("" when there is none)


def group(parsed: Parsed) -> list[list[Event]]:
    commits: list[list[Event]] = []
    current: list[Event] = []
    for event, end in zip(parsed.events, parsed.ends, strict=True):
        current.append(event)
        if end:
            commits.append(current)
            current = []
    return commits


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


def committed_end(path: Path, data: bytes) -> int:
    """How many bytes of `data` are committed: up to the last sealed line. What follows may
    only be a torn tail (a partial line, or whole event lines with no seal after them);
    anything else there is damage, never silently dropped."""
    end = len(data)
    while end > 0:
        start = data.rfind(b"\n", 0, end - 1) + 1 if end > 1 else 0
        line = data[start:end]
        if not line.endswith(b"\n"):
            end = start  # a partial last line
            continue
        if line.endswith(b',"end":true}\n'):
            return end
        try:
            parsed = json.loads(line)
        except (ValueError, RecursionError):
            parsed = None
        if not isinstance(parsed, dict) or "machine" not in parsed:
            number = data.count(b"\n", 0, start) + 1
            raise StoreError(f"{path}: damaged at line {number}: not an event{_HOW}")
        end = start
    return 0


def read(path: Path) -> Committed:
    """The whole committed history, validated."""
    data = read_bytes(path)
    size = committed_end(path, data)
    parsed = parse(path, data[:size])
    _check_unique(path, parsed.events)
    last = data[data.rfind(b"\n", 0, size - 1) + 1 : size] if size else b""
    return Committed(parsed.events, group(parsed), size, fingerprint(last) if last else "")


def _check_unique(path: Path, events: list[Event]) -> None:
    """An identity names one event: a second event with it is damage (it would be undone, or
    merged, as the first)."""
    seen: set[tuple[str, int]] = set()
    for number, event in enumerate(events, start=1):
        key = (event.machine, event.seq)
        if key in seen:
            raise StoreError(f"{path}: damaged at line {number}: a second event {event.id}{_HOW}")
        seen.add(key)


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
        position = size
        carry = b""
        pending: list[bytes] = []  # lines of the commit being gathered, newest first
        while position > 0:
            start = max(0, position - CHUNK)
            handle.seek(start)
            block = handle.read(position - start) + carry
            position = start
            lines = block.split(b"\n")
            carry = lines.pop(0) if position > 0 else b""
            for line in reversed([item for item in lines if item]):
                if line.endswith(b',"end":true}') and pending:
                    yield _commit(path, pending)
                    pending = []
                pending.append(line)
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
