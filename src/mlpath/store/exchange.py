"""Export and import: the whole store as one JSON document. Pure.

An export carries every event with its identity (machine, seq) and clock, so importing it
elsewhere, or merging it back, keeps each event the same event: a merge adds only the
events a store lacks and never renumbers anything, and the state is the replay of all of
them in the history's one order (history.py), the same order sync uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Annotated, Any, Literal, Protocol

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from mlpath import jsonpieces, safe
from mlpath.catalogue import Catalogue
from mlpath.core.history import MAX_CLOCK, MAX_SEQ, Event
from mlpath.core.progress import Progress
from mlpath.errors import BadImport
from mlpath.store import migrate, progressfile

FORMAT = "mlpath-export"
VERSION = 2


class ExportedEvent(BaseModel):
    """An event as `log --json` shows it, plus what an import needs to restore it exactly.
    Exports of version 1 had no machine or clock: an import gives them both."""

    model_config = ConfigDict(extra="forbid")

    at: AwareDatetime
    action: str
    step: int | None
    details: dict[str, Any]
    catalogue: str
    step_id: str | None
    machine: str | None = None
    seq: Annotated[int, Field(ge=1, le=MAX_SEQ, strict=True)]
    batch: Annotated[int, Field(ge=1, le=MAX_SEQ, strict=True)]
    clock: Annotated[int, Field(ge=0, le=MAX_CLOCK, strict=True)] | None = None


class Export(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["mlpath-export"]
    version: Literal[1, 2]
    exported_at: AwareDatetime
    schema_version: Annotated[int, Field(strict=True)]
    paths: dict[str, Any]
    events: list[ExportedEvent]


def event_json(event: Event, cat: Catalogue) -> dict[str, Any]:
    """An event for a script: `log --json` shows these keys, and an export adds the rest."""
    return {
        "at": event.at.isoformat(),
        "action": event.action,
        "step": cat.rank_of(event.step) if event.catalogue == cat.id else None,
        "details": event.details,
    }


class Walked(Protocol):
    """The store's committed history, walked in its one order (historyindex.Index)."""

    def order(self) -> Sequence[int]: ...
    def events(self, positions: Iterable[int]) -> Iterator[Event]: ...


CHUNK = 500  # events written at a time


def export(progress: Progress, history: Walked, cat: Catalogue, now: datetime) -> Iterator[str]:
    """The export document, a chunk of text at a time: the state, then every event in the
    history's one order, each read and checked as it is written. The same text as
    safe.json_text of the whole document, which a history of 100,000 events would need a
    gigabyte to build."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.isoformat(),
        "schema_version": migrate.CURRENT,
        "paths": {
            name: progressfile.shown(path, as_json=True) for name, path in progress.paths.items()
        },
        "events": [],
    }
    yield safe.json_text(document)[: -len("[]\n}")]  # up to "events": and its list
    pieces: list[str] = []
    first = True
    times = jsonpieces.Times()
    for event in history.events(history.order()):
        pieces.append(("[\n    " if first else ",\n    ") + _unescaped(event, cat, times))
        first = False
        if len(pieces) >= CHUNK:
            yield jsonpieces.escaped_all(pieces)
            pieces = []
    yield jsonpieces.escaped_all(pieces) + ("[]\n}\n" if first else "\n  ]\n}\n")


def _event(event: Event, cat: Catalogue) -> str:
    """safe.json_nested(the exported event, 2), written by one template: the fields and their
    types are the validator's, so only the details and the strings need encoding."""
    return safe.json_escaped(_unescaped(event, cat, jsonpieces.Times()))


def _unescaped(event: Event, cat: Catalogue, times: jsonpieces.Times) -> str:
    """_event before json_escaped (export escapes a chunk of them at once)."""
    details = safe.json_flat(event.details, 3, jsonpieces.quote)
    if details is None:
        return _generic(event, cat)
    q = jsonpieces.quote
    rank = cat.rank_of(event.step) if event.catalogue == cat.id else None
    step = "null" if rank is None else int.__repr__(rank)
    step_id = "null" if event.step is None else q(event.step)
    return (
        f'{{\n      "at": {times.quoted(event.at)},\n      "action": {q(event.action)},'
        f'\n      "step": {step},\n      "details": {details},'
        f'\n      "catalogue": {q(event.catalogue)},\n      "step_id": {step_id},'
        f'\n      "machine": {q(event.machine)},\n      "seq": {int.__repr__(event.seq)},'
        f'\n      "batch": {int.__repr__(event.batch)},'
        f'\n      "clock": {int.__repr__(event.clock)}\n    }}'
    )


def _generic(event: Event, cat: Catalogue) -> str:
    exported = {
        **event_json(event, cat),
        "catalogue": event.catalogue,
        "step_id": event.step,
        "machine": event.machine,
        "seq": event.seq,
        "batch": event.batch,
        "clock": event.clock,
    }
    return safe.json_nested(exported, 2)


def check_shape(name: str, raw: Any) -> None:
    """The document as a whole is an export this mlpath reads, said in mlpath's words."""
    if not isinstance(raw, dict):
        raise BadImport(f"{name}: not an mlpath export (a JSON {_json_kind(raw)}, not an object)")
    if raw.get("format") != FORMAT:
        found = f"its format is {raw['format']!r}" if "format" in raw else "it has no format"
        raise BadImport(
            f"{name}: not an mlpath export ({found}; `mlpath export` writes {FORMAT!r})"
        )
    if raw.get("version") not in (1, VERSION):
        raise BadImport(
            f"{name}: export version {raw.get('version')!r} is not one this mlpath reads "
            f"(1 or {VERSION}); an export from a newer mlpath needs a newer mlpath"
        )


def _json_kind(raw: Any) -> str:
    return {list: "array", str: "string", bool: "true or false", type(None): "null"}.get(
        type(raw), "number"
    )
