"""The rules a state read from a file obeys (progress.toml, an export's paths): pydantic
models of core/progress.py's records, and the records made from what they accept.

The core works on the plain records; these models are the door they come in through, so
that every rule about a stored state is written here once.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from mlpath.core import progress as plain
from mlpath.core.progress import MAX_MINUTES, Status
from mlpath.store.catalogueschema import Rating


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: AwareDatetime
    text: Annotated[str, Field(min_length=1)]


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: AwareDatetime
    challenge: Rating
    skill: Rating
    minutes: Annotated[int, Field(ge=0, le=MAX_MINUTES, strict=True)] | None = None


class StepProgress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status = Status.TODO
    changed: AwareDatetime | None = None
    challenge: Rating | None = None
    rated_at: AwareDatetime | None = None
    notes: list[Note] = []
    checkins: list[CheckIn] = []
    resources: dict[str, Status] = {}


class PathProgress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    skill: Rating | None = None
    skill_at: AwareDatetime | None = None
    last_activity: AwareDatetime | None = None
    steps: dict[str, StepProgress] = {}


class Progress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    paths: dict[str, PathProgress] = {}


def validate(raw: Any) -> plain.Progress:
    """The state in `raw` (a dict as TOML or JSON gives it), checked by the models above:
    pydantic's ValidationError for the first rule it breaks."""
    return records(Progress.model_validate(raw))


def records(model: Progress) -> plain.Progress:
    """The plain records of a validated state."""
    return plain.Progress(paths={name: _path(path) for name, path in model.paths.items()})


def _path(path: PathProgress) -> plain.PathProgress:
    return plain.PathProgress(
        skill=path.skill,
        skill_at=path.skill_at,
        last_activity=path.last_activity,
        steps={step_id: _step(step) for step_id, step in path.steps.items()},
    )


def _step(step: StepProgress) -> plain.StepProgress:
    return plain.StepProgress(
        status=step.status,
        changed=step.changed,
        challenge=step.challenge,
        rated_at=step.rated_at,
        notes=[plain.Note(at=note.at, text=note.text) for note in step.notes],
        checkins=[
            plain.CheckIn(at=c.at, challenge=c.challenge, skill=c.skill, minutes=c.minutes)
            for c in step.checkins
        ],
        resources=dict(step.resources),
    )
