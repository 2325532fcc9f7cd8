"""The history: events, the rules every event obeys, and the state as their replay. Pure.

Every change the learner makes is an Event. An event has an identity that never changes
(`machine`, the store that made it, and `seq`, that store's own counter) and an ordering key
(`clock`, then machine, then seq). The clock is a hybrid logical clock in milliseconds: the
wall time, but never less than one more than the highest clock the store has seen, so a
store's own events always order as it committed them, even when the wall clock goes back or
two commands race. `at` is the wall time as it was, for people; only `clock` orders.

The state is the replay of the events in key order (`replay`), and every change is made by
applying its event (`apply`), so a live change and a replay cannot disagree.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from mlpath.core.progress import (
    MAX_MINUTES,
    CheckIn,
    Note,
    PathProgress,
    Progress,
    Status,
    StepProgress,
)

MACHINE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
STATUSES = frozenset(str(status) for status in Status)
# The action recorded for each status a step or resource is set to.
STATUS_ACTIONS = {"reset": "todo", "start": "in_progress", "done": "done", "skip": "skipped"}
# An undo reverts a change; a redo reverts an undo (see reverting.py).
REVERSALS = frozenset(["undo", "redo"])
ACTIONS = frozenset([*STATUS_ACTIONS, "skill", "rate", "note", "checkin", *REVERSALS])
# Changes to a note already written, which names it by when it was noted and its text.
NOTE_CHANGES = frozenset(["note_edit", "note_delete"])
ACTIONS |= NOTE_CHANGES
# Numbers an event may carry: what the snapshot's [history] mark and TOML can hold.
LIMIT = (1 << 62) - 1
# What an event from elsewhere (an import) may carry: far below LIMIT, so that this store's
# own counters, which only ever add one, can never be pushed past it. MAX_CLOCK is the end
# of the year 9999 in milliseconds, the last time a datetime can hold.
MAX_CLOCK = 253_402_300_800_000
MAX_SEQ = (1 << 53) - 1
FIELDS = ("machine", "seq", "batch", "clock", "at", "catalogue", "action", "step", "details")


class Event:
    """One change, as the history keeps it: plain data (a history of 100,000 events is held,
    sorted and replayed, so an event costs a few attributes, not a model). Made here by
    `Tracker._change`, or from outside by `parse`, which checks every rule."""

    __slots__ = FIELDS

    def __init__(
        self,
        machine: str,
        seq: int,
        batch: int,
        clock: int,
        at: datetime,
        catalogue: str,
        action: str,
        step: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.machine = machine
        self.seq = seq
        self.batch = batch  # seq of its command's first
        self.clock = clock
        self.at = at
        self.catalogue = catalogue
        self.action = action
        self.step = step
        self.details: dict[str, Any] = {} if details is None else details

    @property
    def id(self) -> str:
        return f"{self.machine}:{self.seq}"

    def key(self) -> tuple[int, str, int]:
        """The one order of the history: clock, then machine, then seq."""
        return (self.clock, self.machine, self.seq)

    def replace(self, **changes: Any) -> Event:
        fields = {name: getattr(self, name) for name in FIELDS}
        return Event(**(fields | changes))

    def json(self) -> dict[str, Any]:
        """The event as the history writes it (history.jsonl, a sync log)."""
        return {
            "machine": self.machine,
            "seq": self.seq,
            "batch": self.batch,
            "clock": self.clock,
            "at": self.at.isoformat(),
            "catalogue": self.catalogue,
            "action": self.action,
            "step": self.step,
            "details": self.details,
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Event):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the model it replaced

    def __repr__(self) -> str:
        return f"Event({', '.join(f'{name}={getattr(self, name)!r}' for name in FIELDS)})"


def ordered(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=Event.key)


# -- reading an event from outside ---------------------------------------------------------


class Invalid(ValueError):
    """What is wrong with an event from outside, as 'field: reason'."""


_KEYS = frozenset(FIELDS)
_names: dict[str, str] = {}  # one string object for each machine, catalogue, action, step
_machines: set[str] = set()  # machine ids already found to match MACHINE


def _name(text: str) -> str:
    found = _names.get(text)
    if found is None:
        if len(_names) > 4096:
            _names.clear()
        found = _names[text] = text
    return found


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
    at = _time(at)
    if at is None:
        raise Invalid("at: should be a time with its offset, like 2026-11-24T09:30:00+00:00")
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
        _name(machine), seq, batch, clock, at, _name(catalogue), _name(action), step, details
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
    if type(value) is not str:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.tzinfo is not None else None  # fromisoformat's offsets are fixed


def finite(text: str) -> float:
    """JSON's parse_float: a number too large for a float (1e400) would become infinity."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is not a number JSON allows")
    return value


# -- the rules every event obeys ---------------------------------------------------------


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


# -- the state as a replay ---------------------------------------------------------------


def apply(progress: Progress, event: Event) -> None:
    """Apply one event to `progress`: how every change is made, live or replayed.

    Every event carries the value it set (`to`; an undo, the value it restored; a redo, the
    value it put back), so applying events in key order onto a state reproduces the state
    after them.
    """
    path = progress.paths.get(event.catalogue)
    if path is None:  # not setdefault: a model built for nothing costs more than the rest
        path = progress.paths[event.catalogue] = PathProgress()
    if path.last_activity is None or event.at > path.last_activity:
        path.last_activity = event.at
    reversal = event.action if event.action in REVERSALS else None
    kind = str(event.details.get("of")) if reversal else event.action
    value = event.details.get("to")
    # An undo sets the earlier value as of now (its time is not in the event); a redo, as of
    # when the value it puts back was set.
    when = _set_at(event) if value is not None else None
    if kind == "skill":
        path.skill, path.skill_at = value, when
        return
    if event.step is None:
        return
    entry = path.steps.get(event.step)
    if entry is None:
        entry = path.steps[event.step] = StepProgress()
    if kind == "rate":
        entry.challenge, entry.rated_at = value, when
    elif kind == "checkin":
        _apply_checkin(entry, event, reversal)
    elif kind == "note" or kind in NOTE_CHANGES:
        _apply_note(entry, kind, reversal, event)
    elif "resource" in event.details:
        entry.resources[str(event.details["resource"])] = Status(str(value))
    else:
        entry.status = Status(str(value))
        entry.changed = when


def _set_at(event: Event) -> datetime:
    when = event.details.get("set_at") if event.action == "redo" else None
    return datetime.fromisoformat(str(when)) if when else event.at


def _apply_checkin(entry: StepProgress, event: Event, reversal: str | None) -> None:
    """A check-in adds one; its undo removes it (known by its time and figures), and its redo
    puts it back in its place by date."""
    details = event.details
    when = event.at if reversal is None else datetime.fromisoformat(str(details["checked_at"]))
    check = CheckIn(
        at=when,
        challenge=details["challenge"],
        skill=details["skill"],
        minutes=details.get("minutes"),
    )
    if reversal is None:
        entry.checkins.append(check)
        return
    said = (when, check.challenge, check.skill)
    entry.checkins = [c for c in entry.checkins if (c.at, c.challenge, c.skill) != said]
    if reversal == "redo":
        place = next((i for i, c in enumerate(entry.checkins) if c.at > when), len(entry.checkins))
        entry.checkins.insert(place, check)


def _apply_note(entry: StepProgress, kind: str, reversal: str | None, event: Event) -> None:
    """A note adds one. An edit (or its undo, or its redo) changes the text of the note noted
    at `noted_at` with the text `was`. A delete, an undone note and a redone delete remove
    the note; an undone delete and a redone note put it back in its place by date. A note
    that is not there (changed on another machine) is left alone."""
    details = event.details
    text = str(details["text"])
    if kind == "note" and reversal is None:
        entry.notes.append(Note(at=event.at, text=text))
        return
    noted = datetime.fromisoformat(str(details["noted_at"]))
    if kind == "note_edit":
        was = (noted, details["was"])
        entry.notes = [
            Note(at=n.at, text=text) if (n.at, n.text) == was else n for n in entry.notes
        ]
        return
    back = (kind, reversal) in (("note", "redo"), ("note_delete", "undo"))
    if not back or reversal == "redo":  # a redo never adds a second copy
        entry.notes = [n for n in entry.notes if (n.at, n.text) != (noted, text)]
    if back:
        place = next((i for i, n in enumerate(entry.notes) if n.at > noted), len(entry.notes))
        entry.notes.insert(place, Note(at=noted, text=text))


def replay(events: Iterable[Event]) -> Progress:
    """The state a history describes: every event applied, in the history's one order."""
    progress = Progress()
    for event in ordered(events):
        apply(progress, event)
    return progress


# -- merging another store's events ------------------------------------------------------


def content(event: Event) -> str:
    """What an event says, apart from its identity (and the identity an undo names)."""
    details = {key: value for key, value in event.details.items() if key != "undoes"}
    return json.dumps(
        [event.at.isoformat(), event.catalogue, event.action, event.step, details],
        sort_keys=True,
    )


VERSION1 = "v1-"  # the machine exchange gives the events of a version-1 export


def new_events(ours: Iterable[Event], theirs: Iterable[Event]) -> tuple[list[Event], list[str]]:
    """Their events that we lack, and the identities that clash (the same identity saying
    something else: never merged, always reported); see merged()."""
    mine = {event.id: event for event in ours}
    return merged(mine.get, theirs, mine.values)


def merged(
    ours: Callable[[str], Event | None],
    theirs: Iterable[Event],
    all_ours: Callable[[], Iterable[Event]],
) -> tuple[list[Event], list[str]]:
    """Their events that we lack, and the identities that clash. `ours` finds our event of
    an identity; `all_ours` walks them all, only for an export made before identities.

    Identities survive every merge, so a merge never renumbers anything and merging the
    same events twice adds nothing. An event with another identity that says exactly what
    one of ours says (to the microsecond) and that comes from an export made before
    identities existed is the same change reached by another road, and is left out too."""
    said: set[str] | None = None  # what ours say, built only for identities from version 1
    added: dict[str, Event] = {}
    clashes: list[str] = []
    for event in theirs:
        same = added.get(event.id) or ours(event.id)
        if same is not None:
            if content(same) != content(event):
                clashes.append(event.id)
            continue
        if event.machine.startswith(VERSION1):
            if said is None:
                said = {content(e) for e in all_ours()} | {content(e) for e in added.values()}
            text = content(event)
            if text in said:
                continue
            said.add(text)
        added[event.id] = event
    return list(added.values()), clashes
