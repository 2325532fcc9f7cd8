"""The operations a command runs on the learner's progress. Pure: no files, no clock.

Every change appends an Event to the tracker's `events`, which the store commits to the
history; a request that changes nothing appends none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Literal, NamedTuple

from mlpath.catalogue import Catalogue, Step
from mlpath.core import learning
from mlpath.core.history import STATUS_ACTIONS, Event, apply, replay
from mlpath.core.learning import Felt, Skill, Source
from mlpath.core.progress import CheckIn, Note, Origin, PathProgress, Progress, Status
from mlpath.core.reverting import redo_details, redoable, standing, undo_details, undoable
from mlpath.errors import UsageError

# The verb a person types for each status, and the action recorded in the history.
ACTION_FOR: dict[Status, str] = {
    Status.TODO: "reset",
    Status.IN_PROGRESS: "start",
    Status.DONE: "done",
    Status.SKIPPED: "skip",
}


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


class Tracker:
    """A catalogue together with the learner's progress on it; the operations a command runs.

    `events` collects the changes made, for the store to commit. A plain class rather than a
    dataclass: defining one costs start-up time on every run.
    """

    def __init__(
        self, catalogue: Catalogue, progress: Progress, origin: Origin | None = None
    ) -> None:
        self.catalogue = catalogue
        self.progress = progress
        self.origin = origin or Origin()
        self.events: list[Event] = []  # made by this tracker, for the store to commit
        self.merged: list[Event] = []  # another store's events to commit (import, sync)
        self.notices: list[str] = []  # what the store has to tell after committing
        self._felt_cache: dict[str, tuple[float, Source]] | None = None

    def absorb(self, events: Sequence[Event], progress: Progress) -> None:
        """Take another store's events (validated, none we have) and the state that is the
        replay of ours and theirs together: committed as one change, undone as one."""
        self.merged.extend(events)
        self.progress.paths = progress.paths
        self._felt_cache = None
        top = max((event.clock for event in events), default=0)
        # Events of this store's own (an export of it, imported back) take their seqs too.
        own = max((e.seq for e in events if e.machine == self.origin.machine), default=0)
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

    @property
    def path(self) -> PathProgress:
        return self.progress.paths.get(self.catalogue.id) or PathProgress()

    # -- reading -------------------------------------------------------------------------

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
        commits_newest_first: Iterable[Sequence[Event]],
        now: datetime,
        everything: Callable[[], Iterable[Event]],
    ) -> list[Outcome]:
        """Revert the newest change that still stands (a command, or an import, as a whole),
        one event per change it made, each setting back the value its field would have had
        without the change. `everything` (the whole history, in its one order, which may be
        streamed) is read only when the change's own `from` values may not be that: for
        another store's events, or when another store's events were merged after it.

        Undo works as a stack: each call reverts the change before the last one reverted,
        and `redo` puts them back in turn. An undo is recorded as an event itself.
        """
        cat = self.catalogue.id
        events, exact = undoable(commits_newest_first, cat, self.origin.machine)
        without: Progress | None = None
        if events and not exact:
            targets = {event.id for event in events}
            without = replay(e for e in standing(everything(), cat) if e.id not in targets)
        outcomes = []
        for event in reversed(events):
            details = undo_details(event, without)
            self._change("undo", event.step, details, now)
            outcomes.append(self._reverted(event.action, event.step, details, "undo"))
        return outcomes

    def redo(self, commits_newest_first: Iterable[Sequence[Event]], now: datetime) -> list[Outcome]:
        """Revert the newest undo not yet redone, as long as no new change came after it:
        what it took back comes back as it was just before it, as one change."""
        redo = redoable(commits_newest_first, self.catalogue.id, self.origin.machine)
        outcomes = []
        for undo in reversed(redo.undos if redo else []):
            assert redo is not None
            details = redo_details(undo, redo, self.progress)
            self._change("redo", undo.step, details, now)
            outcomes.append(self._reverted(str(details["of"]), undo.step, details, "redo"))
        return outcomes

    def _reverted(
        self, kind: str, step: str | None, details: dict[str, Any], reversal: str
    ) -> Outcome:
        """What an undo or a redo of a `kind` change did, as the screen says it."""
        rank = self.catalogue.rank_of(step)
        title = self.catalogue.steps[rank - 1].title if rank else None
        what = _WHAT[kind]
        if "resource" in details:
            what, title = "resource", self._resource_label(rank, details["resource"])
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

    def _resource_label(self, rank: int | None, url: str) -> str:
        number = self.catalogue.resource_number(rank, url)
        if rank is None or number is None:
            return url
        return f"{rank}.{number} {self.catalogue.steps[rank - 1].resources[number - 1].title}"

    def resource_status(self, step: Step, url: str) -> Status:
        entry = self.path.steps.get(step.id)
        return entry.resources.get(url, Status.TODO) if entry else Status.TODO

    def notes(self, step: Step) -> list[Note]:
        entry = self.path.steps.get(step.id)
        return list(entry.notes) if entry else []

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


_WHAT: dict[str, What] = {
    "skill": "skill",
    "rate": "rating",
    "note": "note",
    "checkin": "checkin",
    "note_edit": "note",
    "note_delete": "note",
    **dict.fromkeys(STATUS_ACTIONS, "status"),
}


def _checkin_details(check: CheckIn) -> dict[str, Any]:
    details: dict[str, Any] = {"challenge": check.challenge, "skill": check.skill}
    if check.minutes is not None:
        details["minutes"] = check.minutes
    return details
