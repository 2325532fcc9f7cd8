"""`log --json`: the log's rows as the array screens.print_json would print, written a chunk
at a time as the history is walked (logrows.select chooses the rows)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from mlpath import jsonpieces, safe
from mlpath.core.history import Event
from mlpath.core.tracker import Tracker
from mlpath.views import streams

CHUNK = 2000  # rows written at a time


def event_json(event: Event, tracker: Tracker, number: int) -> dict[str, Any]:
    """`number` is the event's place in the log (1 for the oldest), which undos cite."""
    return {
        "number": number,
        "at": event.at.isoformat(),
        "action": event.action,
        "step": tracker.catalogue.rank_of(event.step),
        "details": event.details,
    }


def print_json(rows: Iterable[tuple[int, Event]], tracker: Tracker) -> None:
    """`log --json`: the array screens.print_json would print, written a chunk at a time."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    pieces: list[str] = []
    chunk: list[tuple[int, Event]] = []
    first = True
    times = jsonpieces.Times()
    for number, event in rows:
        pieces.append(("[\n  " if first else ",\n  ") + _unescaped(event, tracker, number, times))
        chunk.append((number, event))
        first = False
        if len(pieces) >= CHUNK:
            streams.write(_written(pieces, chunk, tracker, encoding))
            pieces, chunk = [], []
    last = _written(pieces, chunk, tracker, encoding) if pieces else ""
    streams.write(last + ("[]\n" if first else "\n]\n"))


def _written(
    pieces: list[str], chunk: list[tuple[int, Event]], tracker: Tracker, encoding: str
) -> str:
    """The chunk's elements escaped, checked at once against the output's encoding; an
    element it cannot encode is written in ASCII escapes instead."""
    text = jsonpieces.escaped_all(pieces)
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        pass
    for i, (number, event) in enumerate(chunk):
        try:
            safe.json_escaped(pieces[i]).encode(encoding)
        except (UnicodeEncodeError, LookupError):
            element = safe.json_nested(event_json(event, tracker, number), 1, ascii=True)
            pieces[i] = pieces[i][: pieces[i].index("{")] + element
    return jsonpieces.escaped_all(pieces)


def _element(event: Event, tracker: Tracker, number: int) -> str:
    """safe.json_nested(event_json(...), 1), written by one template: the fields and their
    types are the validator's, so only the details and the strings need encoding."""
    return safe.json_escaped(_unescaped(event, tracker, number, jsonpieces.Times()))


def _unescaped(event: Event, tracker: Tracker, number: int, times: jsonpieces.Times) -> str:
    """_element before json_escaped (print_json escapes a chunk of them at once)."""
    details = safe.json_flat(event.details, 2, jsonpieces.quote)
    if details is None:
        return safe.json_nested(event_json(event, tracker, number), 1)
    q = jsonpieces.quote
    rank = tracker.catalogue.rank_of(event.step)
    return (
        f'{{\n    "number": {int.__repr__(number)},\n    "at": {times.quoted(event.at)},'
        f'\n    "action": {q(event.action)},'
        f'\n    "step": {"null" if rank is None else int.__repr__(rank)},'
        f'\n    "details": {details}\n  }}'
    )
