"""Export and import: the whole store as one JSON document. Pure.

An export carries every event with its identity (machine, seq) and clock, so importing it
elsewhere, or merging it back, keeps each event the same event: a merge adds only the
events a store lacks and never renumbers anything, and the state is the replay of all of
them in the history's one order (history.py), the same order sync uses.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from mlpath import safe
from mlpath.catalogue import Catalogue
from mlpath.core.history import MAX_CLOCK, MAX_SEQ, VERSION1, Event, problem
from mlpath.core.progress import Progress
from mlpath.errors import BadImport, in_words, located
from mlpath.store import migrate
from mlpath.store.fileio import TOO_DEEP, MiB

FORMAT = "mlpath-export"
VERSION = 2
LIMIT = 1024 * MiB  # a million changes take about 400 MiB


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


def export(progress: Progress, events: Sequence[Event], cat: Catalogue, now: datetime) -> str:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.isoformat(),
        "schema_version": migrate.CURRENT,
        "paths": {
            name: path.model_dump(mode="json", exclude_defaults=True)
            for name, path in progress.paths.items()
        },
        "events": [
            {
                **event_json(e, cat),
                "catalogue": e.catalogue,
                "step_id": e.step,
                "machine": e.machine,
                "seq": e.seq,
                "batch": e.batch,
                "clock": e.clock,
            }
            for e in events
        ],
    }
    return safe.json_text(document) + "\n"


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


class Imported:
    """A validated export: its events, and the state it says they lead to."""

    def __init__(self, events: list[Event], progress: Progress) -> None:
        self.events = events
        self.progress = progress


def parse(name: str, text: str) -> Imported:
    """Validate a whole export file: one BadImport naming the file, the event and the field
    for the first problem, and nothing else happens."""
    try:
        raw = json.loads(text, parse_constant=_no_constants)
    except RecursionError:
        raise BadImport(f"{name}: {TOO_DEEP}") from None
    except ValueError as exc:
        raise BadImport(f"{name}: not JSON: {exc}") from None
    _check_shape(name, raw)
    try:
        document = Export.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        raise BadImport(
            f"{name}: not an mlpath export: {located(error['loc'])}: {in_words(error)}"
        ) from None
    if document.schema_version > migrate.CURRENT:
        raise BadImport(
            f"{name}: exported by a newer mlpath (schema version {document.schema_version}); "
            "upgrade mlpath to import it"
        )
    try:
        upgraded = migrate.upgrade(
            {"schema_version": document.schema_version, "paths": document.paths},
            document.schema_version,
        )
        progress = Progress.model_validate({"paths": upgraded["paths"]})
    except (ValidationError, KeyError, TypeError, ValueError) as exc:
        raise BadImport(f"{name}: paths: not a valid mlpath state ({exc})") from None
    return Imported(_events(name, document), progress)


def _check_shape(name: str, raw: Any) -> None:
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


def _events(name: str, document: Export) -> list[Event]:
    origin = _version1_machine(document) if document.version == 1 else ""
    events: list[Event] = []
    seen: set[str] = set()
    clock = 0
    for index, e in enumerate(document.events):
        where = f"{name}: events[{index}]"
        details = dict(e.details)
        if document.version == 1:
            clock = max(int(e.at.timestamp() * 1000), clock + 1)
            if e.action == "undo" and type(details.get("undoes")) is int:
                details["undoes"] = f"{origin}:{details['undoes']}"
        elif e.machine is None or e.clock is None:
            raise BadImport(f"{where}: needs its machine and clock (export version 2)")
        try:
            event = Event(
                machine=e.machine or origin,
                seq=e.seq,
                batch=e.batch,
                clock=e.clock if e.clock is not None else clock,
                at=e.at,
                catalogue=e.catalogue,
                action=e.action,
                step=e.step_id,
                details=details,
            )
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            field = located(error["loc"])
            raise BadImport(f"{where}.{field}: {in_words(error)}; nothing imported") from None
        fault = problem(event)
        if fault:
            raise BadImport(f"{where}.{fault}; nothing imported")
        if event.id in seen:
            raise BadImport(f"{where}: a second event {event.id}; nothing imported")
        seen.add(event.id)
        events.append(event)
    return events


def _version1_machine(document: Export) -> str:
    """An export of version 1 has no machine: name one from its first event, so that the
    same file imported twice gives the same identities (and the second adds nothing)."""
    first = document.events[0].model_dump_json() if document.events else ""
    return VERSION1 + hashlib.sha256(first.encode()).hexdigest()[:10]
