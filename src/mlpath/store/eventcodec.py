"""A line of history.jsonl: one event, as the store writes it, and how it is taken apart.

`encode` writes the events of one commit, each as compact JSON with its fields in one order,
the last sealed with `"end":true`. historyfile.decode reads a line back and checks it by the
rules of eventrules.py, the one validator of events. A line as `encode` writes it is taken
apart by one regular expression (`LINE`, `taken_apart`) and only its details are decoded as
JSON (a details text already seen is not decoded again); any other line is decoded whole by
Python's JSON reader (`scan`, `lenient`). Both roads give the same event, or the same
Invalid, for the same line: the expression accepts only what JSON reads the same way (names
without escapes or control characters, whole numbers without leading zeros), and the fields
go through the same checks (`eventrules.make`).
"""

from __future__ import annotations

import hashlib
import json
import json.scanner
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mlpath.core.eventrules import Invalid, finite, make
from mlpath.core.events import Event
from mlpath.errors import StoreError

SEAL = b',"end":true}'
HOW = "; `mlpath doctor` explains how to get past it"


def encode(events: Sequence[Event]) -> bytes:
    """The lines of one commit, the last one sealed."""
    lines = [line(event) for event in events]
    if lines:
        lines[-1] = seal(lines[-1])
    return b"".join(lines)


def line(event: Event) -> bytes:
    """One event as a line of the history, unsealed: json.dumps(event.json()) compact, by
    one template (only the strings and the details go through the JSON encoder)."""
    seq, batch, clock, step = event.seq, event.batch, event.clock, event.step
    if type(seq) is not int or type(batch) is not int or type(clock) is not int:
        return _general(event)
    q = _quote
    text = (
        f'{{"machine":{q(event.machine)},"seq":{int.__repr__(seq)},'
        f'"batch":{int.__repr__(batch)},"clock":{int.__repr__(clock)},'
        f'"at":{q(event.at.isoformat())},"catalogue":{q(event.catalogue)},'
        f'"action":{q(event.action)},"step":{"null" if step is None else q(step)},'
        f'"details":{_compact(event.details)}}}\n'
    )
    return text.encode()


def _general(event: Event) -> bytes:
    text = json.dumps(event.json(), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode() + b"\n"


_quote = json.encoder.encode_basestring  # what json.dumps writes of a str, ensure_ascii off
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def seal(text: bytes) -> bytes:
    """An unsealed line of encode() made the last of its commit."""
    return text[:-2] + SEAL + b"\n"


def fingerprint(line: bytes) -> str:
    """Names the last committed line, so a snapshot can tell its history from another."""
    return hashlib.sha256(line).hexdigest()[:16]


# -- one line --------------------------------------------------------------------------------


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


# One decoder, built once: NaN, Infinity and numbers too large for a float are refused.
scan = json.scanner.make_scanner(
    json.JSONDecoder(parse_constant=_constant, parse_float=finite)  # type: ignore[arg-type]
)


# A line as encode() writes it. A name holds no quote, backslash or control character (so
# its JSON is its text), a number no sign or leading zero, and the details are the rest.
_NAME = rb'"([^"\\\x00-\x1f]*)"'
_WHOLE = rb"(0|[1-9][0-9]{0,18})"
LINE = re.compile(
    rb'\{"machine":'
    + _NAME
    + rb',"seq":'
    + _WHOLE
    + rb',"batch":'
    + _WHOLE
    + rb',"clock":'
    + _WHOLE
    + rb',"at":'
    + _NAME
    + rb',"catalogue":'
    + _NAME
    + rb',"action":'
    + _NAME
    + rb',"step":(?:null|'
    + _NAME
    + rb'),"details":(\{.*\})(,"end":true)?\}'
)
_said: dict[bytes, dict[str, Any]] = {}  # details texts already decoded, each to scalars


def taken_apart(fields: re.Match[bytes]) -> tuple[Event, bool] | None:
    """The event on a line as encode() writes it, or None to decode the line whole (its
    names are not UTF-8, or its details are not an object's JSON alone)."""
    machine, seq, batch, clock, at, catalogue, action, step, said, end = fields.groups()
    details = _said.get(said)
    if details is not None:
        details = details.copy()  # its values are scalars: a copy shares nothing mutable
    else:
        try:
            text = said.decode("utf-8")
            details, stop = scan(text, 0)
        except (ValueError, StopIteration, RecursionError):
            return None
        if stop != len(text) or type(details) is not dict:
            return None
        if all(type(value) in _SCALARS for value in details.values()):
            if len(_said) > 4096:
                _said.clear()
            _said[said] = details.copy()
    try:
        names = (machine.decode(), at.decode(), catalogue.decode(), action.decode())
        place = None if step is None else step.decode()
    except UnicodeDecodeError:
        return None
    event = make(
        names[0],
        int(seq),
        int(batch),
        int(clock),
        names[1],
        names[2],
        names[3],
        place,
        details,
        said,
    )
    return event, end is not None


_SCALARS = frozenset([str, int, bool, type(None)])


def lenient(body: bytes) -> Any:
    """What json.loads makes of a line that is not as encode() writes it (spaces around it)."""
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_constant, parse_float=finite)
    except RecursionError:
        raise Invalid("nested too deeply to be an event") from None
    except ValueError:
        raise Invalid("not JSON") from None


def damaged(path: Path, number: int, fault: object) -> StoreError:
    return StoreError(f"{path}: damaged at line {number}: {fault}{HOW}")
