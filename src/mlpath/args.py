"""What a person types for a step, a resource or a rating, parsed and completed."""

from __future__ import annotations

import re
from pathlib import Path

from mlpath.catalogue import Catalogue
from mlpath.errors import UsageError

# Only ASCII digits are numbers: str.isdigit() also takes '²' and '①' (which int() then
# refuses) and '٣' (which int() reads as 3). Up to 18 digits, so that int() never meets a
# number long enough to hit Python's limit on converting digits (4,300).
_NUMBER = re.compile(r"0*([0-9]{1,18})")


def number(text: str) -> int | None:
    """A whole number written in ASCII digits, or None."""
    found = _NUMBER.fullmatch(text.strip())
    return int(found.group(1)) if found else None


def shown(text: str, room: int = 40) -> str:
    """`text` as an error quotes it: repr (so odd characters show as escapes), cut to `room`."""
    quoted = repr(text)
    return quoted if len(quoted) <= room else quoted[: room - 4] + "...'"


def rank(text: str, cat: Catalogue) -> int:
    """A step number as `mlpath list` shows it: '3'."""
    value = number(text)
    if value is None:
        raise UsageError(f"{shown(text)} is not a step number: {cat.range_text()}")
    cat.step(value)  # raises with the valid range
    return value


def ref(text: str, cat: Catalogue) -> tuple[int, int | None]:
    """A step ('3') or one of its resources ('3.2', as `mlpath show 3` numbers them)."""
    step, dot, resource = text.strip().partition(".")
    if not dot:
        return rank(text, cat), None
    rank_, number_ = number(step), number(resource)
    if rank_ is None or number_ is None:
        raise UsageError(
            f"{shown(text)} is not a step or resource number: {cat.range_text()}, and "
            "resources are numbered like 3.2"
        )
    cat.resource(rank_, number_)  # raises with the valid range
    return rank_, number_


def rating(text: str, what: str) -> int:
    value = number(text)
    if value is None or not 1 <= value <= 10:
        raise UsageError(f"{what} should be a whole number from 1 to 10, not {shown(text)}")
    return value


def minutes(text: str) -> int:
    from mlpath.core.progress import MAX_MINUTES

    value = number(text)
    if value is None or value > MAX_MINUTES:
        raise UsageError(
            f"--minutes should be a whole number from 0 to {MAX_MINUTES} (a week), "
            f"not {shown(text)}"
        )
    return value


def words(text: str, what: str) -> str:
    """Text to keep (a note, a title). Bytes that are not UTF-8 reach Python as lone
    surrogates (surrogateescape); they cannot be stored or printed, so they are refused."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        bad = f"byte 0x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"U+{code:04X}"
        raise UsageError(
            f"{what} is not UTF-8 text ({bad} at character {exc.start + 1}); "
            "check your terminal's character encoding"
        ) from None
    return text


def note_number(text: str, option: str) -> int:
    """A note's number, as `mlpath show N` lists them: 1 or more."""
    value = number(text)
    if value is None or value < 1:
        raise UsageError(f"{option} should be a note's number, 1 or more, not {shown(text)}")
    return value


def count(text: str, what: str) -> int:
    cleaned = text.strip()
    if not cleaned.isdigit():
        raise UsageError(f"{what} should be a whole number of changes, not {text!r}")
    return int(cleaned)


# -- shell completion ----------------------------------------------------------------------


def _catalogue(option: Path | None) -> Catalogue | None:
    from mlpath import catalogue
    from mlpath.errors import MlpathError

    try:
        path, bundled = catalogue.selected_path(option)
        return catalogue.load(path, bundled=bundled)
    except MlpathError:
        return None  # a broken catalogue completes nothing; the command itself will say why


def complete_steps(option: Path | None, incomplete: str) -> list[tuple[str, str]]:
    """The step numbers that begin with `incomplete`, with their titles, in the catalogue
    the command line chose (`--catalogue FILE`, as `option`), else the one in use."""
    cat = _catalogue(option)
    if cat is None:
        return []
    numbered = [(str(n), step.title) for n, step in enumerate(cat.steps, start=1)]
    return [(value, title) for value, title in numbered if value.startswith(incomplete)]


def complete_refs(option: Path | None, incomplete: str) -> list[tuple[str, str]]:
    """Steps, and once a dot is typed, that step's resources."""
    if "." not in incomplete:
        return complete_steps(option, incomplete)
    cat = _catalogue(option)
    if cat is None:
        return []
    found = []
    for n, step in enumerate(cat.steps, start=1):
        for k, resource in enumerate(step.resources, start=1):
            if f"{n}.{k}".startswith(incomplete):
                found.append((f"{n}.{k}", resource.title))
    return found


def theme(value: str) -> str:
    """A picture's theme, light or dark."""
    if value not in ("light", "dark"):
        shown = value[:20]
        raise UsageError(f"--theme takes light or dark, not {shown!r}")
    return value
