"""The catalogue: the ranked steps a learner walks, loaded from TOML and validated."""

from __future__ import annotations

import tomllib
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from mlpath import safe
from mlpath.errors import CatalogueError, UsageError, in_words
from mlpath.store import fileio

LIMIT = 16 * fileio.MiB  # 500 steps take 200 KiB


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

    def step(self, rank: int) -> Step:
        """The step at `rank` (1-based), or a UsageError naming the valid range."""
        if not 1 <= rank <= len(self.steps):
            raise UsageError(f"no step {rank}: {self.range_text()}")
        return self.steps[rank - 1]

    def resource(self, rank: int, number: int) -> Resource:
        """Resource `number` (1-based) of step `rank`, or a UsageError naming the valid range."""
        step = self.step(rank)
        if not 1 <= number <= len(step.resources):
            if not step.resources:
                raise UsageError(f"no resource {rank}.{number}: step {rank} has no resources")
            last = len(step.resources)
            span = f"{rank}.1" if last == 1 else f"{rank}.1-{rank}.{last}"
            raise UsageError(f"no resource {rank}.{number}: step {rank}'s resources are {span}")
        return step.resources[number - 1]

    def resource_number(self, rank: int | None, url: str) -> int | None:
        """K of resource N.K, by its URL (None once it has left the catalogue)."""
        if rank is None or not 1 <= rank <= len(self.steps):
            return None
        urls = [resource.url for resource in self.steps[rank - 1].resources]
        return urls.index(url) + 1 if url in urls else None

    @cached_property
    def _ranks(self) -> dict[str, int]:
        return {step.id: rank for rank, step in enumerate(self.steps, start=1)}

    def rank_of(self, step_id: str | None) -> int | None:
        """The rank of a step id (None for no step, or one that left the catalogue): a
        lookup, since the log, export and undo ask once per event."""
        return self._ranks.get(step_id) if step_id else None

    def range_text(self) -> str:
        n = len(self.steps)
        return "the only step is 1" if n == 1 else f"steps are 1-{n}"


def bundled_path() -> Path:
    """The catalogue that ships with mlpath (store/layout.py says where it is)."""
    from mlpath.store import layout

    return Path(layout.bundled_catalogue_text())


def selected_path(option: Path | None = None) -> tuple[Path, bool]:
    """The catalogue in use and whether it is ours: --catalogue, MLPATH_CATALOGUE, or bundled."""
    from mlpath.store import layout

    chosen, bundled = layout.catalogue_text(None if option is None else str(option))
    return (option if option is not None else Path(chosen)), bundled


def load(path: Path, *, bundled: bool = False) -> Catalogue:
    """Read and validate a catalogue. Every problem becomes a CatalogueError naming the file."""
    text = fileio.read_input(path, "catalogue", LIMIT, CatalogueError)
    # A byte-order mark (as Notepad saves UTF-8) is no part of the TOML: TOML refused it as
    # "Invalid statement (at line 1, column 1)", which no one could act on.
    text = text.removeprefix("\ufeff")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise CatalogueError(f"{path}: {fileio.TOO_DEEP}") from None
    try:
        catalogue = Catalogue.model_validate(raw)
    except ValidationError as exc:
        raise CatalogueError(f"{path}: {describe_error(exc, raw)}") from None
    _check_unique(path, catalogue)
    if bundled:
        _check_rising(path, catalogue)
    return catalogue


def _check_unique(path: Path, catalogue: Catalogue) -> None:
    # Progress is keyed by step id: two steps with one id would share it.
    first: dict[str, int] = {}
    for rank, step in enumerate(catalogue.steps, start=1):
        if step.id in first:
            raise CatalogueError(
                f"{path}: step {rank} ({step.id}): id: already used by step {first[step.id]}"
            )
        first[step.id] = rank
        # A step's resources are kept by URL: two with one URL would be done together.
        urls: dict[str, int] = {}
        for number, resource in enumerate(step.resources, start=1):
            if resource.url in urls:
                raise CatalogueError(
                    f"{path}: step {rank} ({step.id}): resource {number}: url: "
                    f"{resource.url} is already resource {urls[resource.url]}'s"
                )
            urls[resource.url] = number


def _check_rising(path: Path, catalogue: Catalogue) -> None:
    # Only the bundled catalogue promises challenges rising with rank; a team's own path may
    # order its steps as it likes.
    pairs = zip(catalogue.steps, catalogue.steps[1:], strict=False)
    for rank, (lower, higher) in enumerate(pairs, start=2):
        if higher.challenge <= lower.challenge:
            raise CatalogueError(
                f"{path}: step {rank} ({higher.id}): challenge: should be higher than step "
                f"{rank - 1}'s ({lower.challenge}), since steps are ranked easiest first"
            )


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
