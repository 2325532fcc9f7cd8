"""The rules every event obeys, wherever it comes from: the one validator of events.

`parse` checks a decoded JSON object (a line of the history, a sync log); `make` checks an
event's fields already taken apart (an exported event, whose fields have other names). Both
check the same rules in the same order: the fields' types, then `problem` (the rules that
guard the commands: a known action, ratings 1-10, statuses among the four, bounded clocks
and seqs).
"""

from __future__ import annotations

import math
import sys
from datetime import UTC, datetime
from typing import Any

from mlpath.core.events import (
    ACTIONS,
    FIELDS,
    LIMIT,
    MACHINE,
    NOTE_CHANGES,
    REVERSALS,
    STATUS_ACTIONS,
    STATUSES,
    Event,
)
from mlpath.core.progress import MAX_MINUTES


class Invalid(ValueError):
    """What is wrong with an event from outside, as 'field: reason'."""


_KEYS = frozenset(FIELDS)
# One string object for each machine, catalogue, action and step held (interned strings
# are let go when nothing holds them).
_name = sys.intern
_machines: set[str] = set()  # machine ids already found to match MACHINE


def parse(raw: Any) -> Event:
    """The event a decoded JSON object describes, checked by every rule of the history
    (the types, then `problem`); else Invalid. The one validator of events, wherever they
    come from: the history, an import, a sync log."""
    if type(raw) is not dict:
        raise Invalid("not an event")
    try:
        if len(raw) != len(FIELDS):
            raise KeyError
        # Nine keys, and each of the nine there: exactly the fields, no other.
        machine, seq, batch, clock = raw["machine"], raw["seq"], raw["batch"], raw["clock"]
        at, catalogue, action = raw["at"], raw["catalogue"], raw["action"]
        step, details = raw["step"], raw["details"]
    except KeyError:
        raw = _completed(raw)
        machine, seq, batch, clock = raw["machine"], raw["seq"], raw["batch"], raw["clock"]
        at, catalogue, action = raw["at"], raw["catalogue"], raw["action"]
        step, details = raw["step"], raw["details"]
    return make(machine, seq, batch, clock, at, catalogue, action, step, details)


def make(
    machine: Any,
    seq: Any,
    batch: Any,
    clock: Any,
    at: Any,
    catalogue: Any,
    action: Any,
    step: Any,
    details: Any,
) -> Event:
    """The event these fields describe, checked by every rule; else Invalid. `at` is its
    text, as JSON has it."""
    if machine not in _machines:
        if type(machine) is not str or not MACHINE.match(machine):
            raise Invalid("machine: letters, digits, - and _ only, 1 to 64 of them")
        if len(_machines) < 4096:
            _machines.add(machine)
    if type(seq) is not int or not 1 <= seq <= LIMIT:
        raise Invalid(f"seq: should be a whole number from 1 to {LIMIT}")
    if type(batch) is not int or not 1 <= batch <= LIMIT:
        raise Invalid(f"batch: should be a whole number from 1 to {LIMIT}")
    if type(clock) is not int or not 0 <= clock <= LIMIT:
        raise Invalid(f"clock: should be a whole number from 0 to {LIMIT}")
    when = _time(at)
    if when is None:
        raise Invalid(
            "at: should be a time with its offset, like 2026-11-24T09:30:00+00:00, "
            "from 1970-01-02 to 9998-12-31"
        )
    if type(catalogue) is not str:
        raise Invalid("catalogue: should be a catalogue's id")
    if type(action) is not str:
        raise Invalid("action: should be an action's name")
    if step is not None:
        if type(step) is not str:
            raise Invalid("step: should be a step's id, or null")
        step = _name(step)
    if type(details) is not dict:
        raise Invalid("details: should be an object")
    event = Event(
        _name(machine), seq, batch, clock, when, _name(catalogue), _name(action), step, details
    )
    fault = problem(event)
    if fault:
        raise Invalid(fault)
    return event


def _completed(raw: dict[str, Any]) -> dict[str, Any]:
    """`raw` with the fields that have a default (a step, details) filled in."""
    extra = sorted(set(raw) - _KEYS)
    if extra:
        raise Invalid(f"{extra[0]}: not a field of an event")
    raw = {"step": None, "details": {}} | raw
    missing = [name for name in FIELDS if name not in raw]
    if missing:
        raise Invalid(f"{missing[0]}: missing")
    return raw


def _time(value: Any) -> datetime | None:
    global _last_time
    if type(value) is not str:
        return None
    if value == _last_time[0]:  # the events of one command share their time
        return _last_time[1]
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    if at.tzinfo is None:  # fromisoformat's offsets are fixed
        return None
    if not EARLIEST <= at < LATEST:
        return None
    _last_time = (value, at)
    return at


_last_time: tuple[str, datetime | None] = ("", None)
# The times an event may carry: a day inside the years a datetime holds, so that every
# local zone (an offset of less than a day) and a calendar's weeks around it still convert
# (0001-01-01T00:00+14:00 is in the year 0 in UTC; a week after 9999-12-31 is no date).
EARLIEST = datetime(1970, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)


def finite(text: str) -> float:
    """JSON's parse_float: a number too large for a float (1e400) would become infinity."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is not a number JSON allows")
    return value


def problem(event: Event) -> str | None:
    """What is wrong with an event, as 'field: reason', or None: the rules that guard the
    commands, applied to events from anywhere (the store, an import, a merge)."""
    if event.batch > event.seq:
        return "batch: later than the event itself"
    if event.action not in ACTIONS:
        return f"action: unknown action {event.action!r}"
    return _details_problem(event.action, event.step, event.details, reversal=None)


def _rating(value: Any, *, optional: bool) -> bool:
    if value is None:
        return optional
    return type(value) is int and 1 <= value <= 10


def _status(value: Any) -> bool:
    return isinstance(value, str) and value in STATUSES


# What an undo carries besides its action's own fields: the change it reverts, and for a
# note or a check-in (which add to a list) the time of the one it removes. A redo names the
# undo it reverts the same way, and may say when the value it puts back was set.
_REVERSAL_FIELDS = {
    "undo": {"undoes", "of", "noted_at", "checked_at"},
    "redo": {"undoes", "of", "noted_at", "checked_at", "set_at"},
}

_ALLOWED = {
    "skill": {"from", "to"},
    "rate": {"from", "to"},
    "note": {"text"},
    "checkin": {"challenge", "skill", "minutes"},
    "note_edit": {"noted_at", "was", "text"},
    "note_delete": {"noted_at", "text"},
    **{action: {"from", "to", "resource"} for action in STATUS_ACTIONS},
}


def _details_problem(
    action: str, step: str | None, details: dict[str, Any], *, reversal: str | None
) -> str | None:
    """`reversal` is "undo" or "redo" when the details are those of one, reverting `action`."""
    if action in REVERSALS:
        return _reversal_problem(action, step, details)
    extra = set(details) - _ALLOWED[action] - _REVERSAL_FIELDS.get(reversal or "", set())
    undo = reversal is not None
    if extra:
        return f"details.{sorted(extra)[0]}: not a field of a {action!r} event"
    if action != "skill" and not isinstance(step, str):
        return "step: missing"
    if action == "skill" and step is not None:
        return "step: a skill change names no step"
    if action in ("skill", "rate"):
        if not _rating(details.get("from"), optional=True):
            return "details.from: should be a whole number from 1 to 10"
        if not _rating(details.get("to"), optional=undo):
            return "details.to: should be a whole number from 1 to 10"
        return None
    if action == "note":
        text = details.get("text")
        if not isinstance(text, str) or not text.strip():
            return "details.text: should be some text"
        if undo and not _aware_time(details.get("noted_at")):
            return "details.noted_at: should be a time with its offset"
        return None
    if action == "checkin":
        return _checkin_problem(details, undo=undo)
    if action in NOTE_CHANGES:
        return _note_change_problem(action, details)
    return _status_problem(action, details, undo=undo)


def _checkin_problem(details: dict[str, Any], *, undo: bool) -> str | None:
    for field in ("challenge", "skill"):
        if not _rating(details.get(field), optional=False):
            return f"details.{field}: should be a whole number from 1 to 10"
    minutes = details.get("minutes")
    if minutes is not None and not (type(minutes) is int and 0 <= minutes <= MAX_MINUTES):
        return f"details.minutes: should be a whole number from 0 to {MAX_MINUTES}"
    if undo and not _aware_time(details.get("checked_at")):
        return "details.checked_at: should be a time with its offset"
    return None


def _note_change_problem(action: str, details: dict[str, Any]) -> str | None:
    if not _aware_time(details.get("noted_at")):
        return "details.noted_at: should be a time with its offset"
    for field in ("was", "text") if action == "note_edit" else ("text",):
        value = details.get(field)
        if not isinstance(value, str) or not value.strip():
            return f"details.{field}: should be some text"
    return None


def _status_problem(action: str, details: dict[str, Any], *, undo: bool) -> str | None:
    if not _status(details.get("from")):
        return "details.from: should be one of todo, in_progress, done, skipped"
    to = details.get("to")
    if not _status(to) or (not undo and to != STATUS_ACTIONS[action]):
        expected = "one of todo, in_progress, done, skipped" if undo else STATUS_ACTIONS[action]
        return f"details.to: should be {expected}"
    if "resource" in details and not isinstance(details["resource"], str):
        return "details.resource: should be the resource's address"
    return None


def _reversal_problem(action: str, step: str | None, details: dict[str, Any]) -> str | None:
    target = details.get("undoes")
    if not isinstance(target, str) or not _is_id(target):
        return "details.undoes: should name the event it reverts, like ab12cd34ef56:7"
    of = details.get("of")
    if of not in ACTIONS or of in REVERSALS:
        return "details.of: should be the action of the change it reverts"
    if "set_at" in details and not _aware_time(details["set_at"]):
        return "details.set_at: should be a time with its offset"
    return _details_problem(str(of), step, details, reversal=action)


def _is_id(text: str) -> bool:
    machine, _, seq = text.rpartition(":")
    return bool(MACHINE.match(machine)) and seq.isascii() and seq.isdigit() and len(seq) < 19


def _aware_time(value: Any) -> bool:
    return _time(value) is not None
