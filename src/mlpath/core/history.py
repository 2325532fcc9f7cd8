"""The history: the state as the replay of its events, and the merge of another store's. Pure.

The state is the replay of the events in their one order (`replay`), and every change is
made by applying its event (`apply`), so a live change and a replay cannot disagree. What an
event is lives in events.py, the rules every event obeys in eventrules.py; both are named
here too, as the history's vocabulary.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from mlpath.core.eventrules import Invalid, finite, make, parse, problem
from mlpath.core.events import (
    ACTIONS,
    FIELDS,
    LIMIT,
    MACHINE,
    MAX_CLOCK,
    MAX_SEQ,
    NOTE_CHANGES,
    REVERSALS,
    STATUS_ACTIONS,
    STATUSES,
    Event,
    ordered,
)
from mlpath.core.progress import CheckIn, Note, PathProgress, Progress, Status, StepProgress

__all__ = [
    "ACTIONS",
    "FIELDS",
    "LIMIT",
    "MACHINE",
    "MAX_CLOCK",
    "MAX_SEQ",
    "NOTE_CHANGES",
    "REVERSALS",
    "STATUSES",
    "STATUS_ACTIONS",
    "VERSION1",
    "Event",
    "Invalid",
    "apply",
    "content",
    "finite",
    "make",
    "merged",
    "new_events",
    "ordered",
    "parse",
    "problem",
    "replay",
]

# -- the state as a replay ---------------------------------------------------------------


def apply(progress: Progress, event: Event) -> None:
    """Apply one event to `progress`: how every change is made, live or replayed.

    Every event carries the value it set (`to`; an undo, the value it restored; a redo, the
    value it put back), so applying events in key order onto a state reproduces the state
    after them. The state's fields are set with `_set`: the event obeys the rules already,
    and pydantic's own assignment costs more than the rest of a replay.
    """
    path = progress.paths.get(event.catalogue)
    if path is None:  # not setdefault: a model built for nothing costs more than the rest
        path = progress.paths[event.catalogue] = PathProgress()
    at = event.at
    if path.last_activity is None or at > path.last_activity:
        _set(path, "last_activity", at)
    details = event.details
    reversal = event.action if event.action in REVERSALS else None
    kind = str(details.get("of")) if reversal else event.action
    value = details.get("to")
    # An undo sets the earlier value as of now (its time is not in the event); a redo, as of
    # when the value it puts back was set.
    when = (_set_at(event) if reversal == "redo" else at) if value is not None else None
    if kind == "skill":
        _set(path, "skill", value)
        _set(path, "skill_at", when)
        return
    if event.step is None:
        return
    entry = path.steps.get(event.step)
    if entry is None:
        entry = path.steps[event.step] = StepProgress()
    if kind == "rate":
        _set(entry, "challenge", value)
        _set(entry, "rated_at", when)
    elif kind == "checkin":
        _apply_checkin(entry, event, reversal)
    elif kind == "note" or kind in NOTE_CHANGES:
        _apply_note(entry, kind, reversal, event)
    elif "resource" in details:
        entry.resources[str(details["resource"])] = _STATUS[str(value)]
    else:
        _set(entry, "status", _STATUS[str(value)])
        _set(entry, "changed", when)


# A field of the state's models set without pydantic's bookkeeping (nothing reads which
# fields were set: the snapshot leaves out the defaults).
_set = object.__setattr__
_STATUS = {str(status): status for status in Status}


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
    _set(entry, "checkins", [c for c in entry.checkins if (c.at, c.challenge, c.skill) != said])
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
        notes = [Note(at=n.at, text=text) if (n.at, n.text) == was else n for n in entry.notes]
        _set(entry, "notes", notes)
        return
    back = (kind, reversal) in (("note", "redo"), ("note_delete", "undo"))
    if not back or reversal == "redo":  # a redo never adds a second copy
        _set(entry, "notes", [n for n in entry.notes if (n.at, n.text) != (noted, text)])
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
    clashes: list[str] = []
    added = list(merging(ours, theirs, all_ours, clashes))
    return added, clashes


def merging(
    ours: Callable[[str], Event | None],
    theirs: Iterable[Event],
    all_ours: Callable[[], Iterable[Event]],
    clashes: list[str],
    unique: bool = False,
) -> Iterator[Event]:
    """merged(), an event at a time, in their order: the identities that clash are added to
    `clashes` as they are met. With `unique` (their identities known to be unique, as an
    import checks them, and none from an export made before identities), nothing of theirs
    is held, so a merge of a million events holds none of them."""
    said: set[str] | None = None  # what ours say, built only for identities from version 1
    added: dict[str, Event] = {}
    for event in theirs:
        same = (None if unique else added.get(event.id)) or ours(event.id)
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
        if not unique:
            added[event.id] = event
        yield event
