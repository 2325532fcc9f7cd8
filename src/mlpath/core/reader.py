"""The learner's progress on one catalogue, as read: each step's status, rating, felt
challenge, resources, notes and check-ins. Pure: no files, no clock.

`Tracker` (tracker.py) is a Reader that also makes changes.
"""

from __future__ import annotations

from mlpath.catalogue import Catalogue, Step
from mlpath.core import learning
from mlpath.core.learning import Felt, Skill, Source
from mlpath.core.progress import CheckIn, Note, PathProgress, Progress, Status
from mlpath.errors import UsageError


class Reader:
    """A catalogue together with the learner's progress on it, read. A plain class rather
    than a dataclass: defining one costs start-up time on every run."""

    def __init__(self, catalogue: Catalogue, progress: Progress) -> None:
        self.catalogue = catalogue
        self.progress = progress
        self._felt_cache: dict[str, tuple[float, Source]] | None = None

    @property
    def path(self) -> PathProgress:
        return self.progress.paths.get(self.catalogue.id) or PathProgress()

    def status(self, step: Step) -> Status:
        entry = self.path.steps.get(step.id)
        return entry.status if entry else Status.TODO

    def rating(self, step: Step) -> int | None:
        entry = self.path.steps.get(step.id)
        return entry.challenge if entry else None

    def challenge(self, step: Step) -> float:
        """The challenge as it feels to the learner (learning.py): a whole number as an int."""
        value = self._felt()[step.id][0]
        return int(value) if value.is_integer() else value

    def challenge_source(self, step: Step) -> Source:
        """What the challenge rests on: catalogue, rated, checkin or predicted."""
        return self._felt()[step.id][1]

    def _felt(self) -> dict[str, tuple[float, Source]]:
        # Worked out once per state: every change made through this tracker clears it.
        if self._felt_cache is None:
            steps = self.catalogue.steps
            felt = learning.challenges([self._said(step) for step in steps])
            self._felt_cache = {step.id: value for step, value in zip(steps, felt, strict=True)}
        return self._felt_cache

    def _said(self, step: Step) -> Felt:
        entry = self.path.steps.get(step.id)
        if entry is None:
            return Felt(step.challenge, None, None, ())
        checkins = sorted((c.at, c.challenge) for c in entry.checkins)
        return Felt(step.challenge, entry.challenge, entry.rated_at, checkins)

    def learned_skill(self) -> Skill | None:
        """The skill from the learner's rating and recent check-ins (learning.py)."""
        path = self.path
        reports = sorted(
            (c.at, c.skill)
            for step in self.catalogue.steps
            for c in (path.steps[step.id].checkins if step.id in path.steps else ())
        )
        return learning.skill(path.skill, path.skill_at, reports)

    def checkins(self) -> list[tuple[int, CheckIn]]:
        """Every check-in on this path's steps, as (rank, check-in), oldest first."""
        found = [
            (rank, check)
            for rank, step in enumerate(self.catalogue.steps, start=1)
            for check in (self.path.steps[step.id].checkins if step.id in self.path.steps else ())
        ]
        return sorted(found, key=lambda item: (item[1].at, item[0]))

    def ranks(self, *statuses: Status) -> list[int]:
        return [
            rank
            for rank, step in enumerate(self.catalogue.steps, start=1)
            if self.status(step) in statuses
        ]

    def resource_status(self, step: Step, url: str) -> Status:
        entry = self.path.steps.get(step.id)
        return entry.resources.get(url, Status.TODO) if entry else Status.TODO

    def notes(self, step: Step) -> list[Note]:
        entry = self.path.steps.get(step.id)
        return list(entry.notes) if entry else []

    def note_at(self, rank: int, number: int) -> Note:
        """Note `number` of step `rank`, counted as `mlpath show N` lists them."""
        step = self.catalogue.step(rank)
        notes = self.notes(step)
        if not notes:
            raise UsageError(f"step {rank} has no notes; `mlpath note {rank} TEXT` adds one")
        if not 1 <= number <= len(notes):
            raise UsageError(
                f"step {rank} has notes 1 to {len(notes)}, not {number}; "
                f"`mlpath show {rank}` lists them"
            )
        return notes[number - 1]
