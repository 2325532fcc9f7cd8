"""The learner's state: the status, rating and notes of each step on each path. Pure data.

The state is never edited on its own: it is the replay of the history (history.py), and the
store keeps a snapshot of it in progress.toml only to read it fast.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, NamedTuple

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from mlpath.catalogue import Rating


class Status(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"

    @property
    def label(self) -> str:
        """The word on the terminal and in the log: todo, in progress, done, skipped."""
        return "in progress" if self is Status.IN_PROGRESS else self.value

    @property
    def words(self) -> str:
        """The words of a card or a page, for readers who never typed a command."""
        return "to do" if self is Status.TODO else self.label

    @property
    def is_open(self) -> bool:
        """Still to be worked on: todo or in progress. Done and skipped are finished."""
        return self in (Status.TODO, Status.IN_PROGRESS)


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: AwareDatetime
    text: Annotated[str, Field(min_length=1)]


MAX_MINUTES = 10_080  # a week: time spent since the last check-in, as a whole number


class CheckIn(BaseModel):
    """How the step felt at one moment: the two questions of experience sampling, 1-10."""

    model_config = ConfigDict(extra="forbid")

    at: AwareDatetime
    challenge: Rating
    skill: Rating
    minutes: Annotated[int, Field(ge=0, le=MAX_MINUTES, strict=True)] | None = None


class StepProgress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status = Status.TODO
    changed: AwareDatetime | None = None
    challenge: Rating | None = None  # how hard the step feels to this learner
    # When the rating was given: a check-in after it says more (see learning.py).
    rated_at: AwareDatetime | None = None
    notes: list[Note] = []
    checkins: list[CheckIn] = []
    # Per resource, keyed by its URL: resources have no ids, and a URL survives reordering.
    resources: dict[str, Status] = {}


class PathProgress(BaseModel):
    """Progress on one catalogue, keyed by its id, so that two paths never mix."""

    model_config = ConfigDict(extra="forbid")

    skill: Rating | None = None
    skill_at: AwareDatetime | None = None  # when it was rated: recent check-ins weigh with it
    last_activity: AwareDatetime | None = None
    steps: dict[str, StepProgress] = {}


class Progress(BaseModel):
    """The learner's state on every path: the replay of the history (see history.py)."""

    model_config = ConfigDict(extra="forbid")

    paths: dict[str, PathProgress] = {}


class Origin(NamedTuple):
    """Where new events come from: this store's machine id, the last seq it gave one of its
    own events, and the highest clock in the history (the store reads these; see history.py)."""

    machine: str = "local"
    seq: int = 0
    clock: int = 0
