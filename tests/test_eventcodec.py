"""The two roads by which a line of the history is read: a line as encode() writes it is
taken apart by one expression, any other is decoded whole as JSON. For every line, both
roads must give the same event or refuse it with the same words."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlpath.core.eventrules import Invalid, finite, parse
from mlpath.store import eventcodec, historyfile

LINE = (
    b'{"machine":"ab12","seq":7,"batch":7,"clock":1767228900000,'
    b'"at":"2026-01-01T00:55:00+00:00","catalogue":"get-started-in-ml","action":"done",'
    b'"step":"read-about-ml","details":{"from":"todo","to":"done"},"end":true}'
)


def refused(name: str) -> None:
    raise ValueError(name)


def whole(line: bytes) -> tuple[Any, bool] | str:
    """What Python's JSON reader and the validator make of a line: the other road."""
    body = line.rstrip(b"\n")
    try:
        raw = json.loads(body.decode("utf-8"), parse_float=finite, parse_constant=refused)
    except (ValueError, RecursionError):
        return "not JSON"
    sealed = body.endswith(eventcodec.SEAL)
    if sealed and isinstance(raw, dict):
        raw.pop("end", None)
    try:
        return parse(raw), sealed
    except Invalid as exc:
        return str(exc)


def read(line: bytes) -> tuple[Any, bool] | str:
    try:
        return historyfile.decode(line)
    except Invalid as exc:
        return str(exc)


def test_a_line_as_encode_writes_it_takes_the_short_road() -> None:
    assert eventcodec.LINE.fullmatch(LINE)
    assert read(LINE) == whole(LINE)
    event, sealed = historyfile.decode(LINE)
    assert sealed and event.details == {"from": "todo", "to": "done"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b'"seq":7', b'"seq":0'),  # out of range, on the short road
        (b'"seq":7', b'"seq":07'),  # not JSON: the short road refuses it
        (b'"batch":7', b'"batch":8'),  # a batch after its event
        (b'"action":"done"', b'"action":"dance"'),
        (b'"to":"done"', b'"to":"skipped"'),
        (b'"to":"done"', b'"to":"done","to":"todo"'),  # JSON keeps the last
        (b'"machine":"ab12"', b'"machine":"ab 12"'),
        (b'"step":"read-about-ml"', b'"step":null'),
        (b'"step":"read-about-ml"', b'"step":"read-\\u0061bout-ml"'),  # an escape
        (b'"step":"read-about-ml"', b'"step":"r\xc3\xa9sum\xc3\xa9"'),  # UTF-8
        (b'"step":"read-about-ml"', b'"step":"r\xe9sum\xe9"'),  # not UTF-8
        (b"+00:00", b"Z"),
        (b"+00:00", b""),  # no offset
        (b'{"from":"todo","to":"done"}', b'{"from":"todo","to":"done"} '),
        (b'{"from":"todo","to":"done"}', b'{"from":"todo"},"to":"done"}'),
        (b'{"from":"todo","to":"done"}', b'{"from":"todo","to":"done","x":1.5}'),
        (b'{"from":"todo","to":"done"}', b'{"from":"todo","to":"done","x":NaN}'),
        (b'{"from":"todo","to":"done"}', b'{"from":"todo","to":"done","x":[1]}'),
        (b'{"from":"todo","to":"done"}', b'{"from":"todo","to":"done"},"details":{}'),
        (b',"end":true}', b"}"),
        (b',"end":true}', b',"end":false}'),
        (b',"end":true}', b',"end":true,"end":true}'),
    ],
)
def test_both_roads_say_the_same_of_every_line(old: bytes, new: bytes) -> None:
    line = LINE.replace(old, new, 1)
    assert line != LINE
    assert read(line) == whole(line)
    assert read(line) == read(line)  # a details text seen before is read the same again


names = st.text(st.characters(codec="utf-8", exclude_characters="\n"), max_size=8)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 20), names)


@given(
    action=st.sampled_from(["done", "skill", "rate", "note", "undo", "checkin", "x"]),
    step=st.one_of(st.none(), names),
    details=st.dictionaries(
        st.sampled_from(["from", "to", "text", "of", "undoes", "challenge", "skill"]),
        st.one_of(scalars, st.sampled_from(["todo", "done", "skill", "ab12:3"])),
        max_size=4,
    ),
    seq=st.integers(0, 12),
    sealed=st.booleans(),
)
def test_both_roads_agree_on_any_event_encode_could_write(
    action: str, step: str | None, details: dict[str, Any], seq: int, sealed: bool
) -> None:
    raw = {
        "machine": "ab12",
        "seq": seq,
        "batch": 3,
        "clock": 1,
        "at": "2026-01-01T00:55:00+00:00",
        "catalogue": "get-started-in-ml",
        "action": action,
        "step": step,
        "details": details,
    }
    line = json.dumps(raw, ensure_ascii=False, separators=(",", ":")).encode()
    if sealed:
        line = line[:-1] + eventcodec.SEAL
    assert read(line + b"\n") == whole(line)


def test_an_event_read_twice_shares_nothing_with_the_first() -> None:
    first, _ = historyfile.decode(LINE)
    first.details["to"] = "skipped"  # importing renames an undo's target in place
    again, _ = historyfile.decode(LINE)
    assert again.details == {"from": "todo", "to": "done"}
