"""`export` and `log --json` escape a chunk of events at once and quote a command's time
once: for any events the validator lets through (hidden characters in their text, events
sharing a time, one the output's encoding cannot hold), in chunks of any size, the same text
to the byte as the general writer, an event at a time."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlpath import jsonpieces, safe
from mlpath.core.history import Event
from mlpath.core.progress import Progress
from mlpath.core.tracker import Tracker
from mlpath.store import exchange, migrate
from mlpath.views import logjson
from tests.test_json_templates import CATALOGUE, events

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
TIMES = [datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, 0, 1, tzinfo=UTC)]


def _shared_times(walk: list[Event], choices: list[int]) -> list[Event]:
    """The events, some given one time object as a command's events share it, and some an
    equal time that is another object."""
    for event, choice in zip(walk, choices, strict=False):
        if choice < len(TIMES):
            event.at = TIMES[choice]
        elif choice == len(TIMES):
            event.at = datetime.fromisoformat(TIMES[0].isoformat())
    return walk


class Walk:
    def __init__(self, walk: list[Event]) -> None:
        self.walk = walk

    def order(self) -> Sequence[int]:
        return range(len(self.walk))

    def events(self, positions: Iterable[int]) -> Iterator[Event]:
        return (self.walk[p] for p in positions)


histories = st.tuples(
    st.lists(events(), max_size=7), st.lists(st.integers(0, 3), max_size=7), st.integers(1, 4)
)


@given(histories)
def test_an_export_in_chunks_is_what_the_general_writer_writes(
    drawn: tuple[list[Event], list[int], int],
) -> None:
    walk, choices, chunk = drawn
    walk = _shared_times(walk, choices)
    progress = Progress()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(exchange, "CHUNK", chunk)
        written = "".join(exchange.export(progress, Walk(walk), CATALOGUE, NOW))
    document = {
        "format": exchange.FORMAT,
        "version": exchange.VERSION,
        "exported_at": NOW.isoformat(),
        "schema_version": migrate.CURRENT,
        "paths": {},
        "events": [
            {
                **exchange.event_json(event, CATALOGUE),
                "catalogue": event.catalogue,
                "step_id": event.step,
                "machine": event.machine,
                "seq": event.seq,
                "batch": event.batch,
                "clock": event.clock,
            }
            for event in walk
        ],
    }
    assert written == safe.json_text(document) + "\n"


def _log_json(walk: list[Event], tracker: Tracker, encoding: str) -> str:
    """log --json as it was written before chunks: an element at a time."""
    elements = []
    for number, event in enumerate(walk, start=1):
        element = safe.json_nested(logjson.event_json(event, tracker, number), 1)
        try:
            element.encode(encoding)
        except UnicodeEncodeError:
            element = safe.json_nested(logjson.event_json(event, tracker, number), 1, ascii=True)
        elements.append(element)
    return "[\n  " + ",\n  ".join(elements) + "\n]\n" if elements else "[]\n"


@given(histories, st.sampled_from(["utf-8", "ascii", "latin-1"]))
def test_log_json_in_chunks_is_what_the_general_writer_writes(
    drawn: tuple[list[Event], list[int], int], encoding: str
) -> None:
    walk, choices, chunk = drawn
    walk = _shared_times(walk, choices)
    tracker = Tracker(CATALOGUE, Progress())
    out = io.TextIOWrapper(io.BytesIO(), encoding=encoding, newline="")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(logjson, "CHUNK", chunk)
        patch.setattr(sys, "stdout", out)
        logjson.print_json(enumerate(walk, start=1), tracker)
    out.flush()
    assert out.buffer.getvalue().decode(encoding) == _log_json(walk, tracker, encoding)


@given(st.lists(st.text(max_size=6), max_size=5))
def test_pieces_escaped_at_once_are_each_escaped(pieces: list[str]) -> None:
    assert jsonpieces.escaped_all(pieces) == "".join(map(safe.json_escaped, pieces))


def test_a_time_is_quoted_again_for_another_object() -> None:
    times = jsonpieces.Times()
    first, later = TIMES
    assert times.quoted(first) == '"2026-01-01T00:00:00+00:00"'
    assert times.quoted(later) == '"2026-01-01T00:01:00+00:00"'
    assert times.quoted(first) == '"2026-01-01T00:00:00+00:00"'
