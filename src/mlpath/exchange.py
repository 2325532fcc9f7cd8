"""Export and import: the whole store as one JSON document, and merging two histories. Pure."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from mlpath import migrate, safe
from mlpath.catalogue import Catalogue
from mlpath.errors import BadImport
from mlpath.fileio import TOO_DEEP, MiB
from mlpath.progress import Event, PathProgress, Progress, apply

FORMAT = "mlpath-export"
LIMIT = 1024 * MiB  # a million changes take about 400 MiB


class ExportedEvent(BaseModel):
    """An event as `log --json` shows it, plus what an import needs to restore it exactly."""

    model_config = ConfigDict(extra="forbid")

    at: AwareDatetime
    action: str
    step: int | None
    details: dict[str, Any]
    catalogue: str
    step_id: str | None
    seq: Annotated[int, Field(ge=1)]
    batch: Annotated[int, Field(ge=1)]


class Export(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["mlpath-export"]
    version: Literal[1]
    exported_at: AwareDatetime
    schema_version: int
    paths: dict[str, Any]
    events: list[ExportedEvent]


def export(progress: Progress, events: Sequence[Event], cat: Catalogue, now: datetime) -> str:
    document = {
        "format": FORMAT,
        "version": 1,
        "exported_at": now.isoformat(),
        "schema_version": migrate.CURRENT,
        "paths": {
            name: path.model_dump(mode="json", exclude_defaults=True)
            for name, path in progress.paths.items()
        },
        "events": [
            {
                "at": e.at.isoformat(),
                "action": e.action,
                "step": cat.rank_of(e.step) if e.step and e.catalogue == cat.id else None,
                "details": e.details,
                "catalogue": e.catalogue,
                "step_id": e.step,
                "seq": e.seq,
                "batch": e.batch,
            }
            for e in events
        ],
    }
    return safe.json_text(document) + "\n"


def parse(name: str, text: str) -> tuple[dict[str, PathProgress], list[Event]]:
    """Validate a whole export file; every problem is an BadImport naming the file."""
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise BadImport(f"{name}: not JSON: {exc}") from None
    except RecursionError:
        raise BadImport(f"{name}: {TOO_DEEP}") from None
    _check_shape(name, raw)
    try:
        document = Export.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in error["loc"])
        raise BadImport(f"{name}: {where}: {error['msg']}") from None
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
        progress = Progress.model_validate(upgraded)
    except (ValidationError, KeyError, TypeError, ValueError) as exc:
        raise BadImport(f"{name}: paths: not a valid mlpath state ({exc})") from None
    events = [
        Event(
            seq=e.seq,
            batch=e.batch,
            at=e.at,
            catalogue=e.catalogue,
            action=e.action,
            step=e.step_id,
            details=e.details,
        )
        for e in document.events
    ]
    _check_history(name, events)
    return progress.paths, events


def _check_shape(name: str, raw: Any) -> None:
    """The document as a whole is an export this mlpath reads, said in mlpath's words."""
    if not isinstance(raw, dict):
        raise BadImport(f"{name}: not an mlpath export (a JSON {_json_kind(raw)}, not an object)")
    if raw.get("format") != FORMAT:
        found = f"its format is {raw['format']!r}" if "format" in raw else "it has no format"
        raise BadImport(
            f"{name}: not an mlpath export ({found}; `mlpath export` writes {FORMAT!r})"
        )
    if raw.get("version") != 1:
        raise BadImport(
            f"{name}: export version {raw.get('version')!r} is not one this mlpath reads (1); "
            "an export from a newer mlpath needs a newer mlpath"
        )


def _json_kind(raw: Any) -> str:
    return {list: "array", str: "string", bool: "true or false", type(None): "null"}.get(
        type(raw), "number"
    )


def _check_history(name: str, events: Sequence[Event]) -> None:
    seqs = [e.seq for e in events]
    if seqs != list(range(1, len(events) + 1)):
        raise BadImport(f"{name}: events: numbered {seqs[:5]}..., expected 1, 2, 3, ...")
    for e in events:
        where = f"{name}: events[{e.seq - 1}]"
        if e.batch > e.seq:
            raise BadImport(f"{where}.batch: later than the event itself")
        if e.action == "undo":
            target = e.details.get("undoes")
            if not isinstance(target, int) or not 1 <= target < e.seq:
                raise BadImport(f"{where}.details.undoes: should name an earlier event")
        try:
            apply(Progress(), e)  # every event must be one mlpath can replay
        except (KeyError, ValueError, TypeError, ValidationError) as exc:
            raise BadImport(f"{where}: cannot be replayed ({exc!r})") from None


def _key(event: Event) -> str:
    return json.dumps(
        [event.at.isoformat(), event.catalogue, event.action, event.step, event.details],
        sort_keys=True,
    )


def merge(ours: Sequence[Event], theirs: Sequence[Event]) -> list[Event]:
    """Their events that we lack, numbered to follow ours, ready to append.

    An event of theirs equal to one of ours (same time, path, action, step and details) is
    the same change and is left out. Batches, and the events undos point at, are renumbered
    with them. Appending (rather than rewriting the history) keeps the store's commit
    protocol: the state is the replay of both histories in time order (see `replay`).
    """
    known = {_key(e): e.seq for e in ours}
    next_seq = (ours[-1].seq if ours else 0) + 1
    renumber: dict[int, int] = {}  # their seq -> seq in the merged history
    leaders: dict[int, int] = {}  # their batch -> seq of its first event we add
    added: list[Event] = []
    for event in theirs:
        key = _key(event)
        if key in known:
            renumber[event.seq] = known[key]
            continue
        seq = next_seq + len(added)
        renumber[event.seq] = seq
        details = dict(event.details)
        if event.action == "undo":
            details["undoes"] = renumber[int(details["undoes"])]
        batch = leaders.setdefault(event.batch, seq)
        added.append(event.model_copy(update={"seq": seq, "batch": batch, "details": details}))
    return added


def replay(events: Sequence[Event]) -> Progress:
    """The state a history describes, from nothing, taking changes in the order they happened."""
    progress = Progress()
    for event in sorted(events, key=lambda e: (e.at, e.seq)):
        apply(progress, event)
    return progress
