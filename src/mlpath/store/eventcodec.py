"""A line of history.jsonl: one event, as the store writes it and as JSON reads it back.

`encode` writes the events of one commit, each as compact JSON with its fields in one order
(by one template: json.dumps's text to the byte), the last sealed with `"end":true`.
historyfile.decode reads a line back with `scan` (Python's C scanner, built once: NaN,
Infinity and numbers too large for a float refused), or `lenient` for a line not as encode
writes it, and checks it by the rules of eventrules.py, the one validator of events.
"""

from __future__ import annotations

import json
import json.scanner
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from mlpath.core.eventrules import Invalid, finite
from mlpath.core.events import Event
from mlpath.errors import StoreError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hashlib import sha256 as _sha256
else:
    try:  # Python's own SHA-256, without hashlib's OpenSSL (a tenth of a change's start-up)
        from _sha256 import sha256 as _sha256
    except ImportError:  # an interpreter built without it
        from hashlib import sha256 as _sha256

SEAL = b',"end":true}'
HOW = "; `mlpath doctor` explains how to get past it"


def encode(events: Iterable[Event]) -> bytes:
    """The lines of one commit, the last one sealed."""
    return b"".join(encoded(events))


PIECE = 2000  # lines encoded at a time: what a long commit holds in memory as bytes


def encoded(events: Iterable[Event]) -> Iterator[bytes]:
    """encode(events), a piece of PIECE lines at a time (an import of a million events
    never holds its million lines): the last line is held back until it is known to be
    the last, and sealed."""
    lines: list[bytes] = []
    for event in events:
        if len(lines) > PIECE:
            yield b"".join(lines[:-1])
            del lines[:-1]
        lines.append(line(event))
    if lines:
        lines[-1] = seal(lines[-1])
        yield b"".join(lines)


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
_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
# The C encoder behind it, made once (JSONEncoder.encode makes one for every call); details
# are decoded JSON or a Tracker's dict, never circular, so no markers.
_c_encoder = getattr(json.encoder, "c_make_encoder", None)
_chunks = (
    _c_encoder(None, _encoder.default, _quote, None, ":", ",", False, False, False)
    if _c_encoder is not None
    else None
)


def _compact(details: dict[str, Any]) -> str:
    """json.dumps(details) compact, as the history writes it."""
    if _chunks is None or type(details) is not dict:
        return _encoder.encode(details)
    return "".join(_chunks(details, 0))


def seal(text: bytes) -> bytes:
    """An unsealed line of encode() made the last of its commit."""
    return text[:-2] + SEAL + b"\n"


def fingerprint(line: bytes) -> str:
    """Names the last committed line, so a snapshot can tell its history from another."""
    return _sha256(line).hexdigest()[:16]


# -- one line --------------------------------------------------------------------------------


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


# One decoder, built once: NaN, Infinity and numbers too large for a float are refused.
scan = json.scanner.make_scanner(
    json.JSONDecoder(parse_constant=_constant, parse_float=finite)  # type: ignore[arg-type]
)


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
