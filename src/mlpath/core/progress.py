"""The learner's state: the status, rating and notes of each step on each path. Pure data.

The state is never edited on its own: it is the replay of the history (history.py), and the
store keeps a snapshot of it in progress.toml only to read it fast. These are plain records
(mlpath.plain): what enters from a file is validated first, by store/progressschema.py.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from mlpath.plain import Record

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple


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


class Note(Record):
    at: datetime
    text: str


MAX_MINUTES = 10_080  # a week: time spent since the last check-in, as a whole number


class CheckIn(Record):
    """How the step felt at one moment: the two questions of experience sampling, 1-10."""

    at: datetime
    challenge: int
    skill: int
    minutes: int | None = None


class StepProgress(Record):
    status: Status = Status.TODO
    changed: datetime | None = None
    challenge: int | None = None  # how hard the step feels to this learner, 1-10
    # When the rating was given: a check-in after it says more (see learning.py).
    rated_at: datetime | None = None
    notes: list[Note] = []
    checkins: list[CheckIn] = []
    # Per resource, keyed by its URL: resources have no ids, and a URL survives reordering.
    resources: dict[str, Status] = {}


class PathProgress(Record):
    """Progress on one catalogue, keyed by its id, so that two paths never mix."""

    skill: int | None = None  # 1-10
    skill_at: datetime | None = None  # when it was rated: recent check-ins weigh with it
    last_activity: datetime | None = None
    steps: dict[str, StepProgress] = {}


class Progress(Record):
    """The learner's state on every path: the replay of the history (see history.py)."""

    paths: dict[str, PathProgress] = {}


class Origin(NamedTuple):
    """Where new events come from: this store's machine id, the last seq it gave one of its
    own events, and the highest clock in the history (the store reads these; see history.py)."""

    machine: str = "local"
    seq: int = 0
    clock: int = 0
