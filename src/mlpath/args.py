"""What a person types for a step, a resource or a rating, parsed and completed."""

from __future__ import annotations

from mlpath.catalogue import Catalogue
from mlpath.errors import UsageError


def rank(text: str, cat: Catalogue) -> int:
    """A step number as `mlpath list` shows it: '3'."""
    cleaned = text.strip()
    if not cleaned.isdigit():
        raise UsageError(f"{text!r} is not a step number: {cat.range_text()}")
    value = int(cleaned)
    cat.step(value)  # raises with the valid range
    return value


def ref(text: str, cat: Catalogue) -> tuple[int, int | None]:
    """A step ('3') or one of its resources ('3.2', as `mlpath show 3` numbers them)."""
    step, dot, resource = text.strip().partition(".")
    if not dot:
        return rank(text, cat), None
    if not (step.isdigit() and resource.isdigit()):
        raise UsageError(
            f"{text!r} is not a step or resource number: {cat.range_text()}, and resources "
            "are numbered like 3.2"
        )
    cat.resource(int(step), int(resource))  # raises with the valid range
    return int(step), int(resource)


def rating(text: str, what: str) -> int:
    cleaned = text.strip()
    if not cleaned.isdigit() or not 1 <= int(cleaned) <= 10:
        raise UsageError(f"{what} should be a whole number from 1 to 10, not {text!r}")
    return int(cleaned)


# -- shell completion ----------------------------------------------------------------------


def _catalogue() -> Catalogue | None:
    from mlpath import catalogue
    from mlpath.errors import MlpathError

    try:
        path, bundled = catalogue.selected_path()
        return catalogue.load(path, bundled=bundled)
    except MlpathError:
        return None  # a broken catalogue completes nothing; the command itself will say why


def complete_steps(incomplete: str) -> list[tuple[str, str]]:
    cat = _catalogue()
    if cat is None:
        return []
    numbered = [(str(n), step.title) for n, step in enumerate(cat.steps, start=1)]
    return [(value, title) for value, title in numbered if value.startswith(incomplete)]


def complete_refs(incomplete: str) -> list[tuple[str, str]]:
    """Steps, and once a dot is typed, that step's resources."""
    cat = _catalogue()
    if cat is None:
        return []
    if "." not in incomplete:
        return complete_steps(incomplete)
    found = []
    for n, step in enumerate(cat.steps, start=1):
        for k, resource in enumerate(step.resources, start=1):
            if f"{n}.{k}".startswith(incomplete):
                found.append((f"{n}.{k}", resource.title))
    return found
