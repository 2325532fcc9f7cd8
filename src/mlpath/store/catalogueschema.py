"""The rules a catalogue file obeys: pydantic models of catalogue.py's records, the
constraints on each field, and the first broken rule in a person's words.

A catalogue is shown on terminals and published in journals and pictures: its text is
checked here for anything hidden before any of it is used (see safe.py).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from mlpath import catalogue as plain
from mlpath import safe
from mlpath.errors import in_words


def _one_line(value: str) -> str:
    """A catalogue is shown on terminals and published in journals: a control character in it
    (an escape sequence, a carriage return, a right-to-left override) can only be an attack."""
    bad = safe.first_hidden(value)
    if bad:
        raise ValueError(f"holds a control character, {bad}")
    return value


def _paragraphs(value: str) -> str:
    """A summary may run over lines (a multi-line TOML string); nothing else hidden."""
    _one_line(value.replace("\n", " "))
    return value


def _address(value: str) -> str:
    """An http or https address with nothing hidden and no whitespace, which would end a
    terminal's link or a Markdown link early."""
    _one_line(value)
    space = next((ch for ch in value if ch.isspace()), None)
    if space is not None:
        raise ValueError(f"holds whitespace, {safe.shown(space)}")
    if not safe.web_address(value):
        raise ValueError("should be an http:// or https:// address")
    return value


# Constraints are patterns and validators checked as the model is built; describe_error()
# turns a failure into words. Step ids being unique is checked in load(), which can name both.
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
Rating = Annotated[int, Field(ge=1, le=10, strict=True)]
Url = Annotated[str, AfterValidator(_address)]
Line = Annotated[str, Field(min_length=1), AfterValidator(_one_line)]
Paragraphs = Annotated[str, Field(min_length=1), AfterValidator(_paragraphs)]


class Resource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Line
    url: Url
    kind: Line


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    title: Line
    summary: Paragraphs
    challenge: Rating
    # The finish line: how a learner knows the step is done. A team's catalogue may leave it out.
    done_when: Line | None = None
    resources: list[Resource] = []


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    title: Line
    steps: Annotated[list[Step], Field(min_length=1)]


def validate(raw: Any) -> plain.Catalogue:
    """The catalogue in `raw` (a dict as TOML gives it), checked by the models above:
    pydantic's ValidationError for the first rule it breaks."""
    model = Catalogue.model_validate(raw)
    steps = [
        plain.Step(
            id=step.id,
            title=step.title,
            summary=step.summary,
            challenge=step.challenge,
            done_when=step.done_when,
            resources=[
                plain.Resource(title=r.title, url=r.url, kind=r.kind) for r in step.resources
            ],
        )
        for step in model.steps
    ]
    return plain.Catalogue(id=model.id, title=model.title, steps=steps)


def describe_error(exc: ValidationError, raw: Any) -> str:
    """The first validation error in a person's terms: `step 3 (take-ml-courses): challenge: …`."""
    error = exc.errors(include_url=False)[0]
    loc = list(error["loc"])
    where: list[str] = []
    if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
        index = loc[1]
        step_id = _get(raw, "steps", index, "id")
        shown = f" ({safe.visible(step_id)})" if isinstance(step_id, str) else ""
        where.append(f"step {index + 1}{shown}")
        loc = loc[2:]
        if len(loc) >= 2 and loc[0] == "resources" and isinstance(loc[1], int):
            where.append(f"resource {loc[1] + 1}")
            loc = loc[2:]
    field = ".".join(str(part) for part in loc)
    if field:
        where.append(field)
    return ": ".join([*where, in_words(error)])


def _get(raw: Any, *keys: str | int) -> Any:
    for key in keys:
        try:
            raw = raw[key]
        except (KeyError, IndexError, TypeError):
            return None
    return raw
