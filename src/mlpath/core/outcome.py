"""What one request did, as the screen says it: an Outcome per change, and for an undo or a
redo, what it reverted in the words of the change it reverted (the first SHOWN of them, and
a count of the rest). Pure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from mlpath.catalogue import Catalogue
from mlpath.core.history import STATUS_ACTIONS

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple

# What an outcome is about; note_back is a deleted note put back (an undone delete).
What = Literal["status", "skill", "rating", "resource", "note", "note_back", "checkin"]


class Outcome(NamedTuple):
    """What one request did, for the screen: `changed` is False for a no-op."""

    what: What
    rank: int | None
    title: str | None  # the step's, or for a resource "3.2 AI For Everyone"
    before: Any
    after: Any
    changed: bool


SHOWN = 1000  # the outcomes of one request kept to be shown; past them, only counted


class Outcomes(list[Outcome]):
    """The outcomes of an undo or a redo: the first SHOWN of them, and how many more there
    were (`more`): an undone import of a million events is not a million Outcomes."""

    more: int = 0

    def append(self, outcome: Outcome) -> None:
        if len(self) < SHOWN:
            super().append(outcome)
        else:
            self.more += 1


def reverted(
    catalogue: Catalogue, kind: str, step: str | None, details: dict[str, Any], reversal: str
) -> Outcome:
    """What an undo or a redo of a `kind` change did, as the screen says it."""
    rank = catalogue.rank_of(step)
    title = catalogue.steps[rank - 1].title if rank else None
    what = _WHAT[kind]
    if "resource" in details:
        what, title = "resource", resource_label(catalogue, rank, details["resource"])
    before, after = details.get("from"), details.get("to")
    if kind == "note":
        before, after = (None, details["text"]) if reversal == "redo" else (None, None)
    elif kind == "note_edit":  # as the screen says a note change: old, then new
        before, after = details["was"], details["text"]
    elif kind == "note_delete":
        if reversal == "undo":
            what = "note_back"
        before, after = details["text"], (details["text"] if reversal == "undo" else None)
    elif kind == "checkin" and reversal == "redo":
        after = {k: details[k] for k in ("challenge", "skill", "minutes") if k in details}
    return Outcome(what, rank, title, before, after, True)


def resource_label(catalogue: Catalogue, rank: int | None, url: str) -> str:
    """A resource as the screen names it, "3.2 AI For Everyone"; its address if the
    catalogue no longer has it."""
    number = catalogue.resource_number(rank, url)
    if rank is None or number is None:
        return url
    return f"{rank}.{number} {catalogue.steps[rank - 1].resources[number - 1].title}"


_WHAT: dict[str, What] = {
    "skill": "skill",
    "rate": "rating",
    "note": "note",
    "checkin": "checkin",
    "note_edit": "note",
    "note_delete": "note",
    **dict.fromkeys(STATUS_ACTIONS, "status"),
}
