"""Reading an export to import it: the whole file checked before anything is written, its
events read one at a time (jsonstream.py), each checked by the history's own rules
(eventrules.make, the one validator) and kept on disk (spool.py), with what the import needs
to know of them gathered as they pass: whether their identities are unique and in the
history's one order, and the state they replay to. A million of them cost a file and a few
bytes each, not a million objects.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from mlpath.core.eventrules import make
from mlpath.core.history import MAX_CLOCK, MAX_SEQ, VERSION1, Event, Invalid, apply
from mlpath.core.progress import Progress
from mlpath.errors import BadImport, reason
from mlpath.store import eventcodec, exchange, fileio, jsonstream, migrate
from mlpath.store.historyfile import LINE_LIMIT
from mlpath.store.spool import Spooled

LIMIT = 1024 * fileio.MiB  # a million changes take about 400 MiB
_FIELDS = frozenset(
    ["at", "action", "step", "details", "catalogue", "step_id", "machine", "seq", "batch", "clock"]
)


class Imported:
    """A validated export: its events (kept on disk: close it, or use it in `with`), the
    state it says they lead to, and what was learned of the events as they were read."""

    def __init__(self, events: Events, progress: Progress) -> None:
        self.events: Spooled = events.spool
        self.progress = progress
        self.in_order = events.in_order  # in the history's one order, as exports are
        self.before_identities = events.before_identities  # events from a version-1 export
        self.replayed = events.replayed  # their replay, while they came in order

    def __enter__(self) -> Imported:
        return self

    def __exit__(self, *_: object) -> None:
        self.events.close()


def read(path: Path, seen: Callable[[int], None] | None = None) -> Imported:
    """The export at `path` (`-` for stdin), every part of it checked: one BadImport naming
    the file, the event and the field for the first problem, and nothing else happens.
    `seen` is told how many events have been read, every 10,000."""
    name = "stdin" if str(path) == "-" else str(path)
    handle = fileio.open_input(path, "export", BadImport)
    try:
        return _read(name, handle, seen)
    except OSError as exc:
        raise BadImport(f"{name}: cannot read the export ({reason(exc)})") from None
    finally:
        if name != "stdin":
            handle.close()


def _read(name: str, handle: IO[bytes], seen: Callable[[int], None] | None) -> Imported:
    source = jsonstream.Source(handle, LIMIT, lambda text: BadImport(f"{name}: {text}"))
    if source.peek() != "{":  # not an object: what it is, in mlpath's words
        whole = source.value()
        source.end()
        exchange.check_shape(name, whole)
    events = Events(name)
    try:
        return _events(name, source, events, seen)
    except BaseException:
        events.spool.close()
        raise


def _events(
    name: str, source: jsonstream.Source, events: Events, seen: Callable[[int], None] | None
) -> Imported:
    head: dict[str, Any] = {}
    waiting: list[tuple[Any, int]] = []  # events met before the document said its version
    for key, value in jsonstream.members(source, "events"):
        if key == "events[]":
            if events.version is None and not {"format", "version"} <= head.keys():
                waiting.append((value, source.size))
                continue
            if events.version is None:
                exchange.check_shape(name, head)
                events.version = head["version"]
            events.add(value, seen, source.size)
        else:
            head[key] = [] if value is jsonstream.END else value
    exchange.check_shape(name, head)
    progress, version = _head(name, head)
    events.version = version
    for value, size in waiting:
        events.add(value, seen, size)
    return Imported(events, progress)


def _head(name: str, head: dict[str, Any]) -> tuple[Progress, int]:
    """The document's own fields checked (the events are checked one by one), and the
    state it carries."""
    from pydantic import ValidationError

    from mlpath.store import progressschema

    try:
        document = exchange.Export.model_validate(head)  # its events are checked one by one
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in error["loc"])
        raise BadImport(f"{name}: not an mlpath export: {where}: {error['msg']}") from None
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
        progress = progressschema.validate({"paths": upgraded["paths"]})
    except (ValidationError, KeyError, TypeError, ValueError) as exc:
        raise BadImport(f"{name}: paths: not a valid mlpath state ({exc})") from None
    return progress, document.version


class Events:
    """The events of an export, each checked as it is read and added to the spool."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.version: int | None = None
        self.spool = Spooled()
        self.in_order = True
        self.before_identities = False
        self.replayed: Progress | None = Progress()
        self._last: tuple[int, str, int] | None = None
        self._identities = Identities()
        self._origin = ""  # version 1: the machine its events are given
        self._clock = 0  # version 1: the clock its events are given

    def add(self, raw: Any, seen: Callable[[int], None] | None, size: int = 0) -> None:
        """Check the event `raw`, whose text in the export was `size` characters long, and
        keep it."""
        count = len(self.spool)
        where = f"{self.name}: events[{count}]"
        event = self._version1(raw, where) if self.version == 1 else _version2(raw, where)
        # Its line in the history must be one a reader reads (historyfile.LINE_LIMIT). A
        # character of the export's JSON is at most 4 bytes of that line (UTF-8; what the
        # line escapes, JSON escapes too), so only an event of a quarter of a million
        # characters or more is encoded to know.
        if size * 4 + 1024 > LINE_LIMIT and len(eventcodec.line(event)) > LINE_LIMIT:
            raise BadImport(
                f"{where}: longer than {LINE_LIMIT // fileio.MiB} MiB, the limit for one "
                "event; nothing imported"
            )
        if not self._identities.new(event.machine, event.seq):
            raise BadImport(f"{where}: a second event {event.id}; nothing imported")
        self.before_identities = self.before_identities or event.machine.startswith(VERSION1)
        key = event.key()
        if self._last is not None and key < self._last:
            self.in_order, self.replayed = False, None
        self._last = key
        if self.replayed is not None:
            apply(self.replayed, event)
        self.spool.add(event)
        if seen is not None and (count + 1) % 10_000 == 0:
            seen(count + 1)

    def _version1(self, raw: Any, where: str) -> Event:
        """An event of an export made before events had identities: the old model checks
        it, and its machine is named from the first one, so that the same file imported
        twice gives the same identities."""
        from pydantic import ValidationError

        try:
            e = exchange.ExportedEvent.model_validate(raw)
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            field = ".".join(str(part) for part in error["loc"])
            raise BadImport(f"{where}.{field}: {error['msg']}; nothing imported") from None
        if not len(self.spool):
            first = e.model_dump_json().encode()
            self._origin = VERSION1 + hashlib.sha256(first).hexdigest()[:10]
        self._clock = max(int(e.at.timestamp() * 1000), self._clock + 1)
        details = dict(e.details)
        if e.action == "undo" and type(details.get("undoes")) is int:
            details["undoes"] = f"{self._origin}:{details['undoes']}"
        fields = (e.machine or self._origin, e.seq, e.batch, e.clock or self._clock)
        return _checked(
            [*fields, e.at.isoformat(), e.catalogue, e.action, e.step_id, details], where
        )


def _version2(raw: Any, where: str) -> Event:
    if type(raw) is not dict:
        raise BadImport(f"{where}: not an event; nothing imported")
    if raw.keys() != _FIELDS:
        extra = sorted(set(raw) - _FIELDS)
        if extra:
            raise BadImport(
                f"{where}.{extra[0]}: not a field of an exported event; nothing imported"
            )
        if "machine" not in raw or "clock" not in raw:
            raise BadImport(f"{where}: needs its machine and clock (export version 2)")
        missing = sorted(_FIELDS - set(raw))
        raise BadImport(f"{where}.{missing[0]}: missing; nothing imported")
    for field, low, high in (("seq", 1, MAX_SEQ), ("batch", 1, MAX_SEQ), ("clock", 0, MAX_CLOCK)):
        value = raw[field]
        if type(value) is not int or not low <= value <= high:
            raise BadImport(
                f"{where}.{field}: should be a whole number from {low} to {high}; nothing imported"
            )
    if raw["step"] is not None and type(raw["step"]) is not int:
        raise BadImport(f"{where}.step: should be the step's number, or null; nothing imported")
    fields = (raw["machine"], raw["seq"], raw["batch"], raw["clock"], raw["at"])
    return _checked(
        [*fields, raw["catalogue"], raw["action"], raw["step_id"], raw["details"]], where
    )


def _checked(values: list[Any], where: str) -> Event:
    """The event of these fields (machine, seq, batch, clock, at, catalogue, action, step,
    details), checked by the one validator as parse() checks an object of them."""
    try:
        return make(*values)
    except Invalid as exc:
        raise BadImport(f"{where}.{exc}; nothing imported") from None


class Identities:
    """Whether each (machine, seq) is new, in a few bytes an event: a machine's seqs come
    rising in an export, so its highest is kept, and its seqs (8 bytes each) only until one
    comes out of turn, when they become a set."""

    def __init__(self) -> None:
        self._highest: dict[str, int] = {}
        self._rising: dict[str, array[int]] = {}
        self._sets: dict[str, set[int]] = {}

    def new(self, machine: str, seq: int) -> bool:
        known = self._sets.get(machine)
        if known is None:
            if seq > self._highest.get(machine, 0):
                self._highest[machine] = seq
                self._rising.setdefault(machine, array("q")).append(seq)
                return True
            known = self._sets[machine] = set(self._rising.pop(machine))
        if seq in known:
            return False
        known.add(seq)
        return True
