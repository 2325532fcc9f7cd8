"""An exported event and an event of `log --json` are written by a template, not by the
general writer: for any event the validator lets through, the same text to the byte."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mlpath import catalogue as catalogues
from mlpath import safe
from mlpath.core.history import Event
from mlpath.core.progress import Progress
from mlpath.core.tracker import Tracker
from mlpath.store import eventcodec, exchange
from mlpath.views import logjson

path, bundled = catalogues.selected_path(None)
CATALOGUE = catalogues.load(path, bundled=bundled)
texts = st.text(max_size=12)  # hidden characters too: json_escaped must see them
values = st.one_of(st.none(), st.booleans(), st.integers(-3, 1 << 40), texts)
details = st.dictionaries(texts, st.one_of(values, st.dictionaries(texts, values, max_size=2)))
steps = st.one_of(st.none(), st.sampled_from([s.id for s in CATALOGUE.steps]), texts)


@st.composite
def events(draw: Any) -> Event:
    return Event(
        machine=draw(st.sampled_from(["ab12", "v1-zz"])),
        seq=draw(st.integers(1, 1 << 53)),
        batch=draw(st.integers(1, 9)),
        clock=draw(st.integers(0, 1 << 50)),
        at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=draw(st.integers(0, 10**8))),
        catalogue=draw(st.sampled_from([CATALOGUE.id, "another"])),
        action=draw(st.sampled_from(["done", "note", "undo", "x\u202ey"])),
        step=draw(steps),
        details=draw(st.one_of(details, st.just({"list": [1, 2]}))),
    )


@given(events())
def test_an_exported_event_is_what_the_general_writer_writes(event: Event) -> None:
    assert exchange._event(event, CATALOGUE) == exchange._generic(event, CATALOGUE)


@given(events(), st.integers(1, 10**6))
def test_an_event_of_log_json_is_what_the_general_writer_writes(event: Event, n: int) -> None:
    tracker = Tracker(CATALOGUE, Progress())
    general = safe.json_nested(logjson.event_json(event, tracker, n), 1)
    assert logjson._element(event, tracker, n) == general


@given(events())
def test_a_history_line_is_what_json_dumps_writes(event: Event) -> None:
    written = json.dumps(event.json(), ensure_ascii=False, separators=(",", ":"))
    assert eventcodec.line(event) == written.encode() + b"\n"
