"""The learner's progress and the operations on it.

Pure: no files, no clock. Every change appends an Event to the tracker's `events`, which the
store writes to the history; a request that changes nothing appends none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from mlpath import migrate
from mlpath.catalogue import Catalogue, Rating, Step
from mlpath.errors import UsageError


class Status(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"


# The verb a person types for each status, and the action recorded in the history.
ACTION_FOR: dict[Status, str] = {
    Status.TODO: "reset",
    Status.IN_PROGRESS: "start",
    Status.DONE: "done",
    Status.SKIPPED: "skip",
}
STATUS_FOR: dict[str, Status] = {action: status for status, action in ACTION_FOR.items()}


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: AwareDatetime
    text: Annotated[str, Field(min_length=1)]


class StepProgress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status = Status.TODO
    changed: AwareDatetime | None = None
    challenge: Rating | None = None  # how hard the step feels to this learner
    notes: list[Note] = []
    # Per resource, keyed by its URL: resources have no ids, and a URL survives reordering.
    resources: dict[str, Status] = {}


class PathProgress(BaseModel):
    """Progress on one catalogue, keyed by its id, so that two paths never mix."""

    model_config = ConfigDict(extra="forbid")

    skill: Rating | None = None
    last_activity: AwareDatetime | None = None
    steps: dict[str, StepProgress] = {}


class HistoryMark(BaseModel):
    """How much of history.jsonl is committed: the store's commit point (see store.py)."""

    model_config = ConfigDict(extra="forbid")

    events: Annotated[int, Field(ge=0)] = 0
    bytes: Annotated[int, Field(ge=0)] = 0


class Progress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: int = migrate.CURRENT
    history: HistoryMark = HistoryMark()
    paths: dict[str, PathProgress] = {}


def fresh() -> Progress:
    return Progress()


class Event(BaseModel):
    """One change, as the history keeps it. `batch` groups the events of one command."""

    # Built on first use: showing the state never needs an event, so start-up skips it.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    seq: Annotated[int, Field(ge=1)]
    batch: Annotated[int, Field(ge=1)]
    at: AwareDatetime
    catalogue: str
    action: str
    step: str | None = None
    details: dict[str, Any] = {}

    def line(self) -> bytes:
        """The event as one line of history.jsonl, its time with the offset spelled out
        (2026-11-24T19:30:00+00:00). Plain json rather than a pydantic serializer, whose
        machinery costs every start about 1 ms to import."""
        import json

        data = self.model_dump()
        data["at"] = self.at.isoformat()
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


class Outcome(NamedTuple):
    """What one request did, for the screen: `changed` is False for a no-op."""

    what: Literal["status", "skill", "rating", "resource", "note"]
    rank: int | None
    title: str | None  # the step's, or for a resource "3.2 AI For Everyone"
    before: Any
    after: Any
    changed: bool


class Tracker:
    """A catalogue together with the learner's progress on it; the operations a command runs.

    `events` collects the changes made, for the store to commit. A plain class rather than a
    dataclass: defining one costs start-up time on every run.
    """

    def __init__(self, catalogue: Catalogue, progress: Progress) -> None:
        self.catalogue = catalogue
        self.progress = progress
        self.events: list[Event] = []
        self.replaced = False  # the state was set whole (an import), with or without events

    def absorb(self, paths: dict[str, PathProgress], events: Sequence[Event]) -> None:
        """Take a whole state and the events behind it, numbered to follow the history."""
        expected = self.progress.history.events + 1
        if events and events[0].seq != expected:
            raise ValueError(f"events must continue the history at {expected}")
        self.progress.paths = paths
        self.events.extend(events)
        self.replaced = True

    @property
    def path(self) -> PathProgress:
        return self.progress.paths.get(self.catalogue.id) or PathProgress()

    # -- reading -------------------------------------------------------------------------

    def status(self, step: Step) -> Status:
        entry = self.path.steps.get(step.id)
        return entry.status if entry else Status.TODO

    def rating(self, step: Step) -> int | None:
        entry = self.path.steps.get(step.id)
        return entry.challenge if entry else None

    def challenge(self, step: Step) -> int:
        """The challenge as the learner sees it: their rating where there is one."""
        rated = self.rating(step)
        return step.challenge if rated is None else rated

    def ranks(self, *statuses: Status) -> list[int]:
        return [
            rank
            for rank, step in enumerate(self.catalogue.steps, start=1)
            if self.status(step) in statuses
        ]

    # -- changing ------------------------------------------------------------------------

    def mark(self, rank: int, status: Status, now: datetime) -> Outcome:
        step = self.catalogue.step(rank)
        before = self.status(step)
        if before is not status:
            self._change(ACTION_FOR[status], step.id, {"from": before, "to": status}, now)
        return Outcome("status", rank, step.title, before, status, before is not status)

    def mark_resource(self, rank: int, number: int, status: Status, now: datetime) -> list[Outcome]:
        """Mark resource `number` of step `rank`. Working on a resource of a step still todo
        starts the step, as part of the same change."""
        step = self.catalogue.step(rank)
        resource = self.catalogue.resource(rank, number)
        before = self.resource_status(step, resource.url)
        label = f"{rank}.{number} {resource.title}"
        outcomes = [Outcome("resource", rank, label, before, status, before is not status)]
        if before is status:
            return outcomes
        details = {"resource": resource.url, "from": before, "to": status}
        self._change(ACTION_FOR[status], step.id, details, now)
        if status is not Status.TODO and self.status(step) is Status.TODO:
            outcomes.append(self.mark(rank, Status.IN_PROGRESS, now))
        return outcomes

    def set_skill(self, skill: int, now: datetime) -> Outcome:
        before = self.path.skill
        if before != skill:
            self._change("skill", None, {"from": before, "to": skill}, now)
        return Outcome("skill", None, None, before, skill, before != skill)

    def rate(self, rank: int, challenge: int, now: datetime) -> Outcome:
        step = self.catalogue.step(rank)
        before = self.rating(step)
        if before != challenge:
            self._change("rate", step.id, {"from": before, "to": challenge}, now)
        return Outcome("rating", rank, step.title, before, challenge, before != challenge)

    def note(self, rank: int, text: str, now: datetime) -> Outcome:
        step = self.catalogue.step(rank)
        cleaned = text.strip()
        if not cleaned:
            raise UsageError('a note needs some text: mlpath note 3 "what I learned"')
        self._change("note", step.id, {"text": cleaned}, now)
        return Outcome("note", rank, step.title, None, cleaned, True)

    def undo(self, history: Iterable[Event], now: datetime) -> list[Outcome]:
        """Revert the newest command not yet undone, one event per change it made.

        Undo works as a stack: each call reverts the change before the last one reverted.
        An undo is recorded as an event itself but is never undone.
        """
        batch = last_undoable_batch(history, self.catalogue.id)
        return [self._revert(event, now) for event in reversed(batch)]

    def _revert(self, event: Event, now: datetime) -> Outcome:
        details: dict[str, Any] = {"undoes": event.seq, "of": event.action}
        if event.action == "note":
            details |= {"text": event.details["text"], "noted_at": event.at.isoformat()}
        else:
            details |= {key: event.details[key] for key in ("resource",) if key in event.details}
            details |= {"from": event.details.get("to"), "to": event.details.get("from")}
        self._change("undo", event.step, details, now)
        rank = self.catalogue.rank_of(event.step) if event.step else None
        title = self.catalogue.steps[rank - 1].title if rank else None
        what = _WHAT.get(event.action, "status")
        if "resource" in details:
            what, title = "resource", self._resource_label(rank, details["resource"])
        return Outcome(what, rank, title, details.get("from"), details.get("to"), True)

    def _resource_label(self, rank: int | None, url: str) -> str:
        number = self.catalogue.resource_number(rank, url)
        if rank is None or number is None:
            return url
        return f"{rank}.{number} {self.catalogue.steps[rank - 1].resources[number - 1].title}"

    def resource_status(self, step: Step, url: str) -> Status:
        entry = self.path.steps.get(step.id)
        return entry.resources.get(url, Status.TODO) if entry else Status.TODO

    def notes(self, step: Step) -> list[Note]:
        entry = self.path.steps.get(step.id)
        return list(entry.notes) if entry else []

    def _change(
        self, action: str, step: str | None, details: dict[str, Any], now: datetime
    ) -> None:
        """Record the event, then apply it: the state changes exactly as a replay would."""
        seq = self.progress.history.events + len(self.events) + 1
        batch = self.events[0].seq if self.events else seq
        clean = {
            key: (str(value) if isinstance(value, Status) else value)
            for key, value in details.items()
        }
        event = Event(
            seq=seq,
            batch=batch,
            at=now,
            catalogue=self.catalogue.id,
            action=action,
            step=step,
            details=clean,
        )
        self.events.append(event)
        apply(self.progress, event)


_WHAT: dict[str, Literal["status", "skill", "rating", "resource", "note"]] = {
    "skill": "skill",
    "rate": "rating",
    "note": "note",
}


def standing(events: Iterable[Event], catalogue_id: str) -> list[Event]:
    """The changes on this path that still stand: no undos, and none an undo reverted."""
    events = [e for e in events if e.catalogue == catalogue_id]
    undone = {int(e.details["undoes"]) for e in events if e.action == "undo"}
    return [e for e in events if e.action != "undo" and e.seq not in undone]


def last_undoable_batch(history: Iterable[Event], catalogue_id: str) -> list[Event]:
    """The events of the newest command on this path that is not an undo and not yet undone."""
    undone: set[int] = set()
    batches: dict[int, list[Event]] = {}
    for event in history:
        if event.catalogue != catalogue_id:
            continue
        if event.action == "undo":
            undone.add(int(event.details["undoes"]))
        else:
            batches.setdefault(event.batch, []).append(event)
    for batch in sorted(batches, reverse=True):
        events = [event for event in batches[batch] if event.seq not in undone]
        if events:
            return events
    return []


def apply(progress: Progress, event: Event) -> None:
    """Apply one event to `progress`: how every change is made, live or replayed.

    Every event carries the value it set (`to`; an undo, the value it restored), so replaying
    a suffix of the history onto an older state reproduces the newer one.
    """
    path = progress.paths.setdefault(event.catalogue, PathProgress())
    path.last_activity = event.at
    undo = event.action == "undo"
    kind = str(event.details.get("of")) if undo else event.action
    value = event.details.get("to")
    if kind == "skill":
        path.skill = value
        return
    if event.step is None:
        return
    entry = path.steps.setdefault(event.step, StepProgress())
    if kind == "rate":
        entry.challenge = value
    elif kind == "note":
        text = event.details["text"]
        if undo:
            noted = datetime.fromisoformat(str(event.details["noted_at"]))
            entry.notes = [n for n in entry.notes if (n.at, n.text) != (noted, text)]
        else:
            entry.notes.append(Note(at=event.at, text=text))
    elif "resource" in event.details:
        entry.resources[str(event.details["resource"])] = Status(str(value))
    else:
        entry.status = Status(str(value))
        entry.changed = event.at
