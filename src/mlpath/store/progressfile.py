"""progress.toml, the snapshot of the state: how it is read, validated and written.

It names the history it was made from (`[history]`, a Mark: how many events and bytes, a
fingerprint of the last committed line, the highest clock, this store's last seq), so that a
reader can tell whether it is still the replay of the history (record.state).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlpath.core.progress import Progress
from mlpath.errors import StoreError, StoreTooNew, first_error, reason
from mlpath.plain import Record, fields
from mlpath.store import doorcache, historyfile, migrate

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple

RESTORE = "`mlpath doctor --restore` rebuilds it from the history"


class Mark(NamedTuple):
    """The history a state is the replay of: `[history]` in progress.toml."""

    events: int = 0
    bytes: int = 0
    last: str = ""  # fingerprint of the last committed line
    clock: int = 0  # the highest clock in it
    seq: int = 0  # the last seq this store gave one of its own events


class Snapshot(NamedTuple):
    progress: Progress
    mark: Mark
    version: int
    data: bytes


def read_snapshot(path: Path) -> Snapshot | None:
    """progress.toml, or None when there is none. StoreError when it is damaged (the caller
    decides: readers replay the history instead), StoreTooNew when a newer mlpath wrote it."""
    historyfile.refuse_link(path)
    handle = historyfile.open_plain(path)
    if handle is None:
        return None
    try:
        with handle:
            data = handle.read()
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {reason(exc)}") from None
    known = doorcache.snapshot(data)
    progress, raw_mark, version = known or parse_snapshot(path, data)
    if known is None:
        doorcache.keep_snapshot(data, progress, raw_mark, version)
    return Snapshot(progress, raw_mark, version, data)


def parse_snapshot(path: Path, data: bytes) -> tuple[Progress, Mark, int]:
    """Validate the bytes of a snapshot. Anything unexpected is damage, never 'empty'."""
    import tomllib

    from pydantic import ValidationError

    from mlpath.store import progressschema

    if not data.strip():
        raise StoreError(f"{path}: the file is empty, so it is damaged; {RESTORE}")
    try:
        text = data.decode("utf-8")
        raw = tomllib.loads(text)
    except UnicodeDecodeError:
        raise StoreError(f"{path}: damaged: not UTF-8 text; {RESTORE}") from None
    except tomllib.TOMLDecodeError as exc:
        raise StoreError(f"{path}: damaged: {exc}; {RESTORE}") from None
    except RecursionError:
        raise StoreError(f"{path}: damaged: nested too deeply; {RESTORE}") from None
    version = raw.get("schema_version")
    if type(version) is not int or version < migrate.OLDEST:
        raise StoreError(
            f"{path}: damaged: schema_version: should be a whole number from "
            f"{migrate.OLDEST}; {RESTORE}"
        )
    if version > migrate.CURRENT:
        raise StoreTooNew(
            f"{path}: written by a newer mlpath (schema version {version}); this mlpath reads "
            f"up to version {migrate.CURRENT}: upgrade mlpath to use this file"
        )
    try:
        raw = migrate.upgrade(raw, version)
        raw.pop("schema_version", None)
        mark = _mark(raw.pop("history", {}))
        return progressschema.validate(raw), mark, version
    except ValidationError as exc:
        parts, message = first_error(exc)
        where = _line_of(text, parts) if version >= 2 else ""
        raise StoreError(
            f"{path}: damaged: {'.'.join(parts)}: {message}{where}; {RESTORE}"
        ) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StoreError(f"{path}: damaged: {exc}; {RESTORE}") from None


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


def _mark(raw: Any) -> Mark:
    if not isinstance(raw, dict) or set(raw) - set(Mark._fields):
        raise ValueError("history: not a history mark")
    mark = Mark(**raw)
    for name, value in mark._asdict().items():
        if name == "last":
            if type(value) is not str or len(value) > 64:
                raise ValueError("history.last: not a fingerprint")
        elif type(value) is not int or not 0 <= value < 1 << 62:
            raise ValueError(f"history.{name}: out of range")
    return mark


def dump(progress: Progress, mark: Mark) -> bytes:
    import tomli_w

    # Defaults (todo, no notes, no rating) are left out to keep the file small and readable;
    # the version is always written, and first.
    document: dict[str, Any] = {"schema_version": migrate.CURRENT, "history": mark._asdict()}
    document.update(shown(progress))
    data = tomli_w.dumps(document).encode()
    doorcache.keep_snapshot(data, progress, mark, migrate.CURRENT)
    return data


_UNSET = object()


def shown(value: Any, *, as_json: bool = False) -> Any:
    """A record as a snapshot holds it: a table of its fields, each left out while it holds
    its default, its records, lists and tables the same way, all the way down. `as_json`
    (an export's state): each time as text, and each status its word, as JSON has them."""
    if isinstance(value, Record):
        defaults = value._defaults
        return {
            name: shown(item, as_json=as_json)
            for name, item in fields(value).items()
            if defaults.get(name, _UNSET) != item
        }
    if type(value) is dict:
        return {name: shown(item, as_json=as_json) for name, item in value.items()}
    if type(value) is list:
        return [shown(item, as_json=as_json) for item in value]
    if as_json and isinstance(value, datetime):
        return json_time(value)
    if as_json and isinstance(value, str):
        return str(value)
    return value


def json_time(moment: datetime) -> str:
    """A time as exports have always written it (pydantic's JSON form): ISO 8601, UTC as
    "Z", an offset in whole minutes."""
    offset = moment.utcoffset()
    text = moment.replace(tzinfo=None).isoformat()
    if offset is None:
        return text
    total = int(offset.total_seconds())
    if total == 0:
        return text + "Z"
    minutes = abs(total) // 60
    return f"{text}{'-' if total < 0 else '+'}{minutes // 60:02d}:{minutes % 60:02d}"
