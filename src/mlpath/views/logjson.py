"""`log --json`: the log's rows as the array screens.print_json would print, written a chunk
at a time as the history is walked (logview.select chooses the rows)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from mlpath import safe
from mlpath.core.history import Event
from mlpath.core.tracker import Tracker
from mlpath.views import screen

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
    first = True
    for number, event in rows:
        element = _element(event, tracker, number)
        try:
            element.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            element = safe.json_nested(event_json(event, tracker, number), 1, ascii=True)
        pieces.append(("[\n  " if first else ",\n  ") + element)
        first = False
        if len(pieces) >= CHUNK:
            screen.write("".join(pieces))
            pieces = []
    pieces.append("[]\n" if first else "\n]\n")
    screen.write("".join(pieces))


def _element(event: Event, tracker: Tracker, number: int) -> str:
    """safe.json_nested(event_json(...), 1), written by one template: the fields and their
    types are the validator's, so only the details and the strings need encoding."""
    details = safe.json_flat(event.details, 2)
    if details is None:
        return safe.json_nested(event_json(event, tracker, number), 1)
    q = safe.json_quote
    rank = tracker.catalogue.rank_of(event.step)
    return safe.json_escaped(
        f'{{\n    "number": {int.__repr__(number)},\n    "at": {q(event.at.isoformat())},'
        f'\n    "action": {q(event.action)},'
        f'\n    "step": {"null" if rank is None else int.__repr__(rank)},'
        f'\n    "details": {details}\n  }}'
    )
