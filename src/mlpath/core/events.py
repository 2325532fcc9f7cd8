"""An event: one change the learner made, as the history keeps it. Pure data.

An event has an identity that never changes (`machine`, the store that made it, and `seq`,
that store's own counter) and an ordering key (`clock`, then machine, then seq). The clock is
a hybrid logical clock in milliseconds: the wall time, but never less than one more than the
highest clock the store has seen, so a store's own events always order as it committed them,
even when the wall clock goes back or two commands race. `at` is the wall time as it was,
for people; only `clock` orders. The rules every event obeys are in eventrules.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Protocol

from mlpath.core.progress import Status

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


class Commit(Protocol):
    """One commit's events in the order of the file, walked forwards or newest first: a list,
    or a long commit the store reads again from its file each time it is walked (it never
    holds them all). The undo and redo walks (reverting.py) take either."""

    def __iter__(self) -> Iterator[Event]: ...

    def __reversed__(self) -> Iterator[Event]: ...

    def __len__(self) -> int: ...


class Recorded(Protocol):
    """Where a Tracker records the events it makes: a list, or the store's spool (an undo
    of a million-event import makes a million events, kept on disk until they are
    committed). Only the first and the last are read back by index (0 and -1)."""

    def append(self, event: Event, /) -> None: ...

    def clear(self) -> None: ...

    def __getitem__(self, index: int, /) -> Event: ...

    def __iter__(self) -> Iterator[Event]: ...

    def __len__(self) -> int: ...
