"""The catalogue: the ranked steps a learner walks, loaded from TOML and validated.

The steps are plain records (mlpath.plain); the rules a catalogue file obeys are
store/catalogueschema.py's, checked by pydantic as it is loaded."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from mlpath.errors import CatalogueError, UsageError
from mlpath.plain import Record
from mlpath.store import fileio

LIMIT = 16 * fileio.MiB  # 500 steps take 200 KiB


class Resource(Record, frozen=True):
    title: str
    url: str
    kind: str


class Step(Record, frozen=True):
    id: str
    title: str
    summary: str
    challenge: int  # 1-10
    # The finish line: how a learner knows the step is done. A team's catalogue may leave it out.
    done_when: str | None = None
    resources: list[Resource] = []


class Catalogue(Record, frozen=True):
    id: str
    title: str
    steps: list[Step]  # one at least

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
    from mlpath.store import doorcache

    known = doorcache.catalogue(text, bundled)
    if known is not None:
        return known
    import tomllib

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise CatalogueError(f"{path}: {fileio.TOO_DEEP}") from None
    from pydantic import ValidationError

    from mlpath.store import catalogueschema

    try:
        catalogue = catalogueschema.validate(raw)
    except ValidationError as exc:
        raise CatalogueError(f"{path}: {catalogueschema.describe_error(exc, raw)}") from None
    _check_unique(path, catalogue)
    if bundled:
        _check_rising(path, catalogue)
    doorcache.keep_catalogue(text, bundled, catalogue)
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
