"""Undo and redo: which change each one reverts, and what it puts back. Pure.

An undo reverts a change (a command, or an import, as a whole); a redo reverts an undo. Both
are events of their own, appended like any other, so a replay reproduces them, an export
carries them and a sync merges them. Neither is ever undone itself: an undo after a redo
reverts the change that the redo put back, again.

The walks here read the store's commits newest first, so that undo and redo look only as
far back as they must. A change stands unless the last word on it, among its undos and
their redos, is an undo (see Reversals).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mlpath.core.events import Commit
from mlpath.core.history import REVERSALS, STATUS_ACTIONS, Event, apply, replay
from mlpath.core.members import NOTHING, Left, Members, Reversals
from mlpath.core.progress import PathProgress, Progress, Status

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple

# A value an event sets, named: ("skill",), ("rate", step), ("status", step) or
# ("resource", step, url). Notes and check-ins are kept by their time and text instead.
Field = tuple[str, ...]


def undoable(
    commits_newest_first: Iterable[Commit], catalogue_id: str, machine: str
) -> tuple[Left, bool]:
    """The events of the newest commit on this path with changes that still stand, and
    whether their own `from` values are exact (see Tracker.undo).

    A command is one commit, and so is an import: each is undone as a whole. Each commit is
    walked once, newest event first (a long one is read from the file, not held); what
    stands of it is kept as identities and walked again (Left).
    """
    seen = Reversals()
    exact = True
    for commit in commits_newest_first:
        ours: list[Event] | Members = []  # the changes that may stand, newest first
        own = True
        for event in reversed(commit):
            own = own and event.machine == machine
            if event.catalogue != catalogue_id:
                continue
            seen.see(event)
            if event.action in REVERSALS:
                continue
            if isinstance(ours, Members):
                ours.add(event)
            elif len(ours) < HELD:
                ours.append(event)
            else:
                ours = _members([*ours, event])
        left = _standing(commit, ours, seen)
        # A change this store made after every merge it had seen orders after all of them,
        # so the value it replaced is its own `from`. Another store's change, or one that a
        # later merge may have put events after, needs the replay without it.
        exact = exact and own
        if left:
            return left, exact
    return NOTHING, exact


HELD = 10_000  # the changes of one commit held as events while it is walked; past it, ids


def _members(events: list[Event]) -> Members:
    kept = Members()
    for event in events:
        kept.add(event)
    return kept


def _standing(commit: Commit, ours: list[Event] | Members, seen: Reversals) -> Left:
    """The events of `ours` (of `commit`) that still stand. A long commit's are its
    identities without those of the changes an undo seen still reverts: it is not walked
    again to find them."""
    if isinstance(ours, list):
        left = Members()
        for event in ours:
            if seen.stands(event):
                left.add(event)
        return Left(commit, left)
    gone = Members()
    for target in seen.undos:
        named = _named(target)
        if named is not None and named in ours and not seen.stands_id(target):
            gone.add_id(*named)
    return Left(commit, ours, gone)


def _named(identity: str) -> tuple[str, int] | None:
    """An identity ("machine:seq") as (machine, seq); None if it names none."""
    machine, _, seq = identity.rpartition(":")
    return (machine, int(seq)) if seq.isdigit() else None


class Redo(NamedTuple):
    """What a redo reverts: the events of one undo, and each value they set as it was just
    before that undo: (value, when it was set)."""

    undos: Left
    before: dict[Field, tuple[Any, datetime | None]]


def redoable(
    commits_newest_first: Iterable[Commit],
    catalogue_id: str,
    machine: str,
    everything: Callable[[], Iterable[Event]] | None = None,
) -> Redo | None:
    """The newest undo on this path that no redo has reverted, when nothing but this store's
    undos and redos came after it; None when there is none (a new change ends the chance).
    `everything` (the history in its one order, streamed) is what is replayed when the
    values before the undo need a replay (see _before); without it, the commits before it.

    An undo is one commit (of an import, too): it is redone as a whole."""
    commits = iter(commits_newest_first)
    seen = Reversals()
    walked = Members()  # every event of the commits walked: the undo's and those after it
    for commit in commits:
        actions: set[str] = set()
        own, ours = True, False
        left, wanted = Members(), set[Field]()  # the undos to redo, and the values they set
        for event in reversed(commit):
            actions.add(event.action)
            own = own and event.machine == machine
            if everything is not None:
                walked.add(event)
            if event.catalogue == catalogue_id:
                ours = True
                if event.action == "undo" and not seen.redone(event):
                    left.add(event)
                    key = field(event)
                    if key is not None:
                        wanted.add(key)
        if own and actions == {"redo"}:
            for event in commit:
                seen.see(event)
        elif own and actions == {"undo"}:
            if left:
                undos = Left(commit, left)
                before = Before(commits, everything, walked)
                return Redo(undos, _before(wanted, before, catalogue_id, machine))
        elif ours:
            return None
    return None


class Before(NamedTuple):
    """The history before an undo: the commits before it, newest first, and (when given) the
    whole history streamed, of which `after` names what is not before it."""

    older: Iterator[Commit]
    everything: Callable[[], Iterable[Event]] | None
    after: Members

    def replay(self, read: list[Commit]) -> Progress:
        """The replay of the history before the undo; `read` are the commits of `older`
        read already."""
        if self.everything is None:
            read.extend(self.older)
            return replay(event for commit in read for event in commit)
        progress, after = Progress(), self.after
        for event in self.everything():
            if event not in after:
                apply(progress, event)
        return progress


def field(event: Event) -> Field | None:
    """The value `event` sets, named; None for a note or a check-in."""
    kind = str(event.details.get("of")) if event.action in REVERSALS else event.action
    step = str(event.step)
    if kind == "skill":
        return ("skill",)
    if kind == "rate":
        return ("rate", step)
    if kind in STATUS_ACTIONS:
        if "resource" in event.details:
            return ("resource", step, str(event.details["resource"]))
        return ("status", step)
    return None


def _before(
    wanted: set[Field], before: Before, catalogue_id: str, machine: str
) -> dict[Field, tuple[Any, datetime | None]]:
    """Each value in `wanted` (what an undo's events set), as it was just before them. While
    the commits before the undo are this store's own, they order as they were made, so the
    last one to set a value set the value the replay had; past a commit from elsewhere only
    the replay of everything before the undo can tell."""
    found: dict[Field, tuple[Any, datetime | None]] = {}
    read: list[Commit] = []
    for commit in before.older:
        read.append(commit)
        here: dict[Field, tuple[Any, datetime | None]] = {}
        for event in reversed(commit):
            if event.machine != machine:
                break
            key = field(event) if event.catalogue == catalogue_id else None
            if key in wanted and key not in found and key not in here:
                here[key] = _set(event)
        else:
            found |= here
            if len(found) == len(wanted):
                return found
            continue
        break
    progress = before.replay(read)
    return {key: value_in(progress, catalogue_id, key) for key in wanted}


def _set(event: Event) -> tuple[Any, datetime | None]:
    """The value an event set and the time it counts as set: a redo's is the time of what it
    put back."""
    value = event.details.get("to")
    if value is None:
        return None, None
    when = event.details.get("set_at") if event.action == "redo" else None
    return value, datetime.fromisoformat(str(when)) if when else event.at


def value_in(progress: Progress, catalogue_id: str, key: Field) -> tuple[Any, datetime | None]:
    """The value `key` names in `progress`, and when it was set (None for a resource)."""
    path = progress.paths.get(catalogue_id) or PathProgress()
    if key[0] == "skill":
        return path.skill, path.skill_at
    entry = path.steps.get(key[1])
    if key[0] == "rate":
        return (entry.challenge, entry.rated_at) if entry else (None, None)
    if key[0] == "resource":
        return str(entry.resources.get(key[2], Status.TODO)) if entry else "todo", None
    return (str(entry.status), entry.changed) if entry else ("todo", None)


# -- the events that revert --------------------------------------------------------------


def undo_details(event: Event, without: Progress | None) -> dict[str, Any]:
    """The details of the undo of `event`: for a value, the one its field would have had
    without the change (its own `from` when `without`, the replay without it, is None)."""
    details: dict[str, Any] = {"undoes": event.id, "of": event.action}
    if event.action == "note":
        return details | {"text": event.details["text"], "noted_at": event.at.isoformat()}
    if event.action == "checkin":
        return details | {**event.details, "checked_at": event.at.isoformat()}
    if event.action == "note_edit":  # back from the new text to the old
        was, text = event.details["text"], event.details["was"]
        return details | {"noted_at": event.details["noted_at"], "was": was, "text": text}
    if event.action == "note_delete":
        return details | {key: event.details[key] for key in ("noted_at", "text")}
    details |= {key: event.details[key] for key in ("resource",) if key in event.details}
    before = event.details.get("from")
    key = field(event)
    if without is not None and key is not None:
        before = value_in(without, event.catalogue, key)[0]
    return details | {"from": event.details.get("to"), "to": before}


def redo_details(undo: Event, redo: Redo, now: Progress) -> dict[str, Any]:
    """The details of the redo of `undo`, one event of `redo.undos`: what it removed comes
    back (a note or a check-in as it was; an edit or a delete made again), and a value is
    set back to what it was just before the undo, as of when it was set then."""
    of = str(undo.details["of"])
    details: dict[str, Any] = {"undoes": undo.id, "of": of}
    said = undo.details
    if of == "note_edit":  # forward again, from the old text to the new
        return details | {"noted_at": said["noted_at"], "was": said["text"], "text": said["was"]}
    key = field(undo)
    if key is None:  # a note, a check-in, a delete: the undo's own fields say which
        return details | {k: v for k, v in said.items() if k not in ("undoes", "of")}
    details |= {k: said[k] for k in ("resource",) if k in said}
    value, when = redo.before[key]
    details |= {"from": value_in(now, undo.catalogue, key)[0], "to": value}
    if when is not None and key[0] != "resource":
        details["set_at"] = when.isoformat()
    return details
