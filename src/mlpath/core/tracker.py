"""The operations a command runs on the learner's progress. Pure: no files, no clock.

Every change appends an Event to the tracker's `events`, which the store commits to the
history; a request that changes nothing appends none.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import datetime
from typing import Any

from mlpath.catalogue import Catalogue
from mlpath.core.events import Commit, Recorded
from mlpath.core.history import Event, apply
from mlpath.core.members import replay_without
from mlpath.core.outcome import Outcome, Outcomes, reverted
from mlpath.core.progress import CheckIn, Origin, PathProgress, Progress, Status
from mlpath.core.reader import Reader
from mlpath.core.reverting import (
    redo_details,
    redoable,
    undo_details,
    undoable,
)
from mlpath.errors import UsageError

__all__ = ["ACTION_FOR", "Outcome", "Tracker"]  # Outcome: where the views have long found it

# The verb a person types for each status, and the action recorded in the history.
ACTION_FOR: dict[Status, str] = {
    Status.TODO: "reset",
    Status.IN_PROGRESS: "start",
    Status.DONE: "done",
    Status.SKIPPED: "skip",
}


class Tracker(Reader):
    """A catalogue together with the learner's progress on it (reader.py); the operations
    a command runs. `events` collects the changes made, for the store to commit."""

    def __init__(
        self,
        catalogue: Catalogue,
        progress: Progress,
        origin: Origin | None = None,
        events: Recorded | None = None,
    ) -> None:
        super().__init__(catalogue, progress)
        self.origin = origin or Origin()
        # Made by this tracker, for the store to commit: a list, or the store's spool.
        self.events: Recorded = [] if events is None else events
        self.merged: Collection[Event] = []  # another store's events to commit (import, sync)
        self.notices: list[str] = []  # what the store has to tell after committing

    def absorb(
        self, events: Collection[Event], progress: Progress, reach: tuple[int, int] | None = None
    ) -> None:
        """Take another store's events (validated, none we have) and the state that is the
        replay of ours and theirs together: committed as one change, undone as one.
        `reach` is reach(events, our machine) when the caller knows it, so that a million
        events kept on disk are not read again to find it."""
        self.merged = [*self.merged, *events] if self.merged else events
        self.progress.paths = progress.paths
        self._felt_cache = None
        top, own = reach if reach is not None else _reach(events, self.origin.machine)
        self.origin = self.origin._replace(
            clock=max(self.origin.clock, top), seq=max(self.origin.seq, own)
        )

    def reconcile(self, target: Progress, now: datetime) -> None:
        """Record the changes that turn this path's state into `target`'s, as ordinary
        events: how a state that no history explains (an export's, an old store's) becomes
        the replay of one. Notes only ever get added: none is removed."""
        want = target.paths.get(self.catalogue.id) or PathProgress()
        if want.skill is not None and want.skill != self.path.skill:
            self._change("skill", None, {"from": self.path.skill, "to": want.skill}, now)
        for step_id, entry in want.steps.items():
            have = self.path.steps.get(step_id)
            if entry.challenge is not None and (have is None or have.challenge != entry.challenge):
                before = have.challenge if have else None
                self._change("rate", step_id, {"from": before, "to": entry.challenge}, now)
            for url, status in entry.resources.items():
                was = have.resources.get(url, Status.TODO) if have else Status.TODO
                if was is not status:
                    details = {"resource": url, "from": was, "to": status}
                    self._change(ACTION_FOR[status], step_id, details, now)
            before_status = have.status if have else Status.TODO
            if before_status is not entry.status:
                details = {"from": before_status, "to": entry.status}
                self._change(ACTION_FOR[entry.status], step_id, details, now)
            known = {(n.at, n.text) for n in have.notes} if have else set()
            for note in entry.notes:
                if (note.at, note.text) not in known:
                    self._change("note", step_id, {"text": note.text}, note.at)
            felt = {(c.at, c.challenge, c.skill) for c in have.checkins} if have else set()
            for check in entry.checkins:
                if (check.at, check.challenge, check.skill) not in felt:
                    self._change("checkin", step_id, _checkin_details(check), check.at)

    # -- changing ------------------------------------------------------------------------

    def mark(self, rank: int, status: Status, now: datetime) -> Outcome:
        step = self.catalogue.step(rank)
        before = self.status(step)
        if before is not status:
            self._change(ACTION_FOR[status], step.id, {"from": before, "to": status}, now)
        return Outcome("status", rank, step.title, before, status, before is not status)

    def reset(self, rank: int, now: datetime) -> list[Outcome]:
        """Put step `rank` back to todo with all its resources, as one change (one undo
        brings all back): a todo step shows nothing done."""
        step = self.catalogue.step(rank)
        outcomes = [
            self.mark_resource(rank, number, Status.TODO, now)[0]
            for number, resource in enumerate(step.resources, start=1)
            if self.resource_status(step, resource.url) is not Status.TODO
        ]
        return [*outcomes, self.mark(rank, Status.TODO, now)]

    def mark_resource(self, rank: int, number: int, status: Status, now: datetime) -> list[Outcome]:
        """Mark resource `number` of step `rank`. Working on a resource (starting or finishing
        it) of a step still todo starts the step, as part of the same change; skipping one
        only sets it aside: it counts as finished for the step, which stays as it is."""
        step = self.catalogue.step(rank)
        resource = self.catalogue.resource(rank, number)
        before = self.resource_status(step, resource.url)
        label = f"{rank}.{number} {resource.title}"
        outcomes = [Outcome("resource", rank, label, before, status, before is not status)]
        if before is status:
            return outcomes
        details = {"resource": resource.url, "from": before, "to": status}
        self._change(ACTION_FOR[status], step.id, details, now)
        if status in (Status.IN_PROGRESS, Status.DONE) and self.status(step) is Status.TODO:
            outcomes.append(self.mark(rank, Status.IN_PROGRESS, now))
        return outcomes

    def set_skill(self, skill: int, now: datetime) -> Outcome:
        before = self.path.skill
        if before != skill:
            self._change("skill", None, {"from": before, "to": skill}, now)
        return Outcome("skill", None, None, before, skill, before != skill)

    def rate(self, rank: int, challenge: int, now: datetime) -> Outcome:
        step = self.catalogue.step(rank)
        before = self.rating(step)
        if before != challenge:
            self._change("rate", step.id, {"from": before, "to": challenge}, now)
        return Outcome("rating", rank, step.title, before, challenge, before != challenge)

    def note(self, rank: int, text: str, now: datetime) -> Outcome:
        step = self.catalogue.step(rank)
        cleaned = text.strip()
        if not cleaned:
            raise UsageError(f'a note needs some text: `mlpath note {rank} "what I learned"`')
        self._change("note", step.id, {"text": cleaned}, now)
        return Outcome("note", rank, step.title, None, cleaned, True)

    def checkin(
        self, rank: int, challenge: int, skill: int, minutes: int | None, now: datetime
    ) -> Outcome:
        """How step `rank` feels now (both 1-10): always a change, like a note."""
        step = self.catalogue.step(rank)
        details = {"challenge": challenge, "skill": skill}
        if minutes is not None:
            details["minutes"] = minutes
        self._change("checkin", step.id, details, now)
        return Outcome("checkin", rank, step.title, None, details, True)

    def edit_note(self, rank: int, number: int, text: str, now: datetime) -> Outcome:
        step = self.catalogue.step(rank)
        old = self.note_at(rank, number)
        cleaned = text.strip()
        if not cleaned:
            raise UsageError(
                f"a note needs some text; `mlpath note {rank} --delete {number}` removes it"
            )
        if cleaned != old.text:
            details = {"noted_at": old.at.isoformat(), "was": old.text, "text": cleaned}
            self._change("note_edit", step.id, details, now)
        return Outcome("note", rank, step.title, old.text, cleaned, cleaned != old.text)

    def delete_note(self, rank: int, number: int, now: datetime) -> Outcome:
        step = self.catalogue.step(rank)
        old = self.note_at(rank, number)
        self._change(
            "note_delete", step.id, {"noted_at": old.at.isoformat(), "text": old.text}, now
        )
        return Outcome("note", rank, step.title, old.text, None, True)

    def undo(
        self,
        commits_newest_first: Iterable[Commit],
        now: datetime,
        everything: Callable[[], Iterable[Event]],
        reversals: Callable[[], Iterable[Event]] | None = None,
    ) -> Outcomes:
        """Revert the newest change that still stands (a command, or an import, as a whole),
        one event per change it made, each setting back the value its field would have had
        without the change. `everything` (the whole history, in its one order, which may be
        streamed) is read only when the change's own `from` values may not be that: for
        another store's events, or when another store's events were merged after it (twice
        then, unless `reversals` gives its undos and redos: see members.replay_without).

        Undo works as a stack: each call reverts the change before the last one reverted,
        and `redo` puts them back in turn. An undo is recorded as an event itself.
        """
        cat = self.catalogue.id
        events, exact = undoable(commits_newest_first, cat, self.origin.machine)
        without: Progress | None = None
        if events and not exact:
            without = replay_without(everything, events, cat, reversals)
        outcomes = Outcomes()
        for event in reversed(events):
            details = undo_details(event, without)
            self._change("undo", event.step, details, now)
            outcomes.append(reverted(self.catalogue, event.action, event.step, details, "undo"))
        return outcomes

    def redo(
        self,
        commits_newest_first: Iterable[Commit],
        now: datetime,
        everything: Callable[[], Iterable[Event]] | None = None,
    ) -> Outcomes:
        """Revert the newest undo not yet redone, as long as no new change came after it:
        what it took back comes back as it was just before it, as one change. `everything`
        (the whole history in its one order, streamed) is replayed, without the undo and
        what followed it, when the values before it need a replay; without it, the commits
        before the undo are (held)."""
        cat, machine = self.catalogue.id, self.origin.machine
        redo = redoable(commits_newest_first, cat, machine, everything)
        outcomes = Outcomes()
        if redo is None:
            return outcomes
        for undo in reversed(redo.undos):
            details = redo_details(undo, redo, self.progress)
            self._change("redo", undo.step, details, now)
            outcomes.append(
                reverted(self.catalogue, str(details["of"]), undo.step, details, "redo")
            )
        return outcomes

    def _change(
        self, action: str, step: str | None, details: dict[str, Any], now: datetime
    ) -> None:
        """Record the event, then apply it: the state changes exactly as a replay would."""
        seq = self.origin.seq + len(self.events) + 1
        batch = self.events[0].seq if self.events else seq
        last = self.events[-1].clock if self.events else self.origin.clock
        clock = max(int(now.timestamp() * 1000), last + 1)  # never back: see history.py
        clean = {
            key: (str(value) if isinstance(value, Status) else value)
            for key, value in details.items()
        }
        event = Event(
            machine=self.origin.machine,
            seq=seq,
            batch=batch,
            clock=clock,
            at=now,
            catalogue=self.catalogue.id,
            action=action,
            step=step,
            details=clean,
        )
        self.events.append(event)
        apply(self.progress, event)
        self._felt_cache = None


def _checkin_details(check: CheckIn) -> dict[str, Any]:
    details: dict[str, Any] = {"challenge": check.challenge, "skill": check.skill}
    if check.minutes is not None:
        details["minutes"] = check.minutes
    return details


def _reach(events: Iterable[Event], machine: str) -> tuple[int, int]:
    """The highest clock of `events`, and the highest seq among those of `machine` (events
    of this store's own, an export of it imported back, take their seqs too)."""
    top = own = 0
    for event in events:
        top = max(top, event.clock)
        if event.machine == machine:
            own = max(own, event.seq)
    return top, own
