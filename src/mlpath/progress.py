"""The learner's progress and the operations on it.

Pure: no files, no clock. Every change appends an Event to the tracker's `events`, which the
store writes to the history; a request that changes nothing appends none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_serializer

from mlpath import migrate
from mlpath.catalogue import Catalogue, Rating, Step


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


class StepProgress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status = Status.TODO
    changed: AwareDatetime | None = None
    challenge: Rating | None = None  # how hard the step feels to this learner


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

    model_config = ConfigDict(extra="forbid")

    seq: Annotated[int, Field(ge=1)]
    batch: Annotated[int, Field(ge=1)]
    at: AwareDatetime
    catalogue: str
    action: str
    step: str | None = None
    details: dict[str, Any] = {}

    @field_serializer("at")
    def _iso(self, at: datetime) -> str:
        return at.isoformat()  # 2026-11-24T19:30:00+00:00, the offset spelled out


@dataclass(frozen=True)
class Outcome:
    """What one request did, for the screen: `changed` is False for a no-op."""

    what: Literal["status", "skill", "rating"]
    rank: int | None
    title: str | None
    before: Any
    after: Any
    changed: bool


@dataclass
class Tracker:
    """A catalogue together with the learner's progress on it; the operations a command runs."""

    catalogue: Catalogue
    progress: Progress
    events: list[Event] = field(default_factory=list)

    @property
    def path(self) -> PathProgress:
        return self.progress.paths.get(self.catalogue.id) or PathProgress()

    def _writable_path(self) -> PathProgress:
        return self.progress.paths.setdefault(self.catalogue.id, PathProgress())

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
            self._set_status(step, status, now)
            self._record(now, ACTION_FOR[status], step.id, {"from": before, "to": status})
        return Outcome("status", rank, step.title, before, status, before is not status)

    def set_skill(self, skill: int, now: datetime) -> Outcome:
        before = self.path.skill
        if before != skill:
            path = self._writable_path()
            path.skill = skill
            path.last_activity = now
            self._record(now, "skill", None, {"from": before, "to": skill})
        return Outcome("skill", None, None, before, skill, before != skill)

    def rate(self, rank: int, challenge: int, now: datetime) -> Outcome:
        step = self.catalogue.step(rank)
        before = self.rating(step)
        if before != challenge:
            self._set_rating(step, challenge, now)
            self._record(now, "rate", step.id, {"from": before, "to": challenge})
        return Outcome("rating", rank, step.title, before, challenge, before != challenge)

    def undo(self, history: Iterable[Event], now: datetime) -> list[Outcome]:
        """Revert the newest command not yet undone, one event per step it changed.

        Undo works as a stack: each call reverts the change before the last one reverted.
        An undo is recorded as an event itself but is never undone.
        """
        batch = last_undoable_batch(history, self.catalogue.id)
        outcomes: list[Outcome] = []
        for event in reversed(batch):
            outcomes.append(self._revert(event, now))
        return outcomes

    def _revert(self, event: Event, now: datetime) -> Outcome:
        restore = event.details.get("from")
        details = {"undoes": event.seq, "of": event.action, "from": event.details.get("to")}
        details["to"] = restore
        rank = self.catalogue.rank_of(event.step) if event.step else None
        title = self.catalogue.steps[rank - 1].title if rank else None
        if event.action == "skill":
            path = self._writable_path()
            path.skill = restore
            path.last_activity = now
            what: Literal["status", "skill", "rating"] = "skill"
        elif rank is None:
            # The step has left the catalogue since; record the undo so the stack moves on.
            what = "status"
        elif event.action == "rate":
            self._set_rating(self.catalogue.steps[rank - 1], restore, now)
            what = "rating"
        else:
            self._set_status(self.catalogue.steps[rank - 1], Status(str(restore)), now)
            what = "status"
        self._record(now, "undo", event.step, details)
        return Outcome(what, rank, title, details["from"], restore, True)

    def _entry(self, step: Step, now: datetime) -> StepProgress:
        path = self._writable_path()
        path.last_activity = now
        return path.steps.setdefault(step.id, StepProgress())

    def _set_status(self, step: Step, status: Status, now: datetime) -> None:
        entry = self._entry(step, now)
        entry.status = status
        entry.changed = now

    def _set_rating(self, step: Step, challenge: int | None, now: datetime) -> None:
        self._entry(step, now).challenge = challenge

    def _record(
        self, now: datetime, action: str, step: str | None, details: dict[str, Any]
    ) -> None:
        seq = self.progress.history.events + len(self.events) + 1
        batch = self.events[0].seq if self.events else seq
        clean = {
            key: (str(value) if isinstance(value, Status) else value)
            for key, value in details.items()
        }
        self.events.append(
            Event(
                seq=seq,
                batch=batch,
                at=now,
                catalogue=self.catalogue.id,
                action=action,
                step=step,
                details=clean,
            )
        )


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
    """Replay one event from the history onto `progress` (to rebuild after a restore).

    Every event carries the value it set (`to`), so replaying a suffix of the history onto an
    older state reproduces the newer one.
    """
    path = progress.paths.setdefault(event.catalogue, PathProgress())
    path.last_activity = event.at
    kind = event.details.get("of", event.action) if event.action == "undo" else event.action
    value = event.details.get("to")
    if kind == "skill":
        path.skill = value
        return
    if event.step is None:
        return
    entry = path.steps.setdefault(event.step, StepProgress())
    if kind == "rate":
        entry.challenge = value
    else:
        entry.status = Status(str(value))
        entry.changed = event.at
