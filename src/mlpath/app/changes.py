"""What a Session changes: the transaction every change runs in (`changing`: once it
commits, this run has saved a change, and the read cache is refreshed), and the changes a
command makes with it: marking steps and resources, check-ins, ratings and notes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from mlpath import args
from mlpath.app.reads import Reads
from mlpath.app.waits import Say
from mlpath.core import advice
from mlpath.core.learning import Skill
from mlpath.core.progress import Status
from mlpath.core.tracker import Outcome, Tracker
from mlpath.errors import MlpathError
from mlpath.store import record

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple


class Marked(NamedTuple):
    outcomes: list[Outcome]
    through: list[int]  # steps whose last open resource this change closed, not done yet
    worked: int | None  # the step whose work this change finished: worth a check-in


class Changes(Reads):
    def __init__(self, catalogue_file: Path | None = None, notice: Say | None = None) -> None:
        super().__init__(catalogue_file)
        self.notice: Say = notice or (lambda text: None)
        self._saved = False
        record.committed.clear()  # a new run: what an earlier one in this process committed

    @property
    def saved(self) -> bool:
        """Whether a change of this run is committed: then no failure after it may say that
        nothing was written. The store counts its own commits (a sync commits several)."""
        return self._saved or bool(record.committed)

    def now(self) -> datetime:
        """The wall time; for a change, read inside `changing`, while the lock is held."""
        return record.clock()

    @contextmanager
    def changing(self) -> Iterator[Tracker]:
        """A transaction on the store; once it commits, this run has saved a change, and
        what the store has to say about it is passed on."""
        with record.transaction(self.catalogue) as tracker:
            yield tracker
        # A change that found nothing to do ("already done") committed nothing: a report
        # it then loses must not say that a change is saved.
        self._saved = self._saved or bool(tracker.events or tracker.merged)
        self.__dict__.pop("tracker", None)  # what was read before the change is stale
        self.__dict__.pop("read_model", None)
        self.__dict__.pop("history", None)
        for text in tracker.notices:
            self.notice(f"mlpath: {text}")
        # The next read takes the fast road; the change stands whatever happens here.
        if tracker.events or tracker.merged or record.committed:
            with contextlib.suppress(MlpathError, OSError):
                self._model(create=True)
        self.__dict__.pop("tracker", None)  # as the next use reads it, not as of the change
        self.__dict__.pop("read_model", None)

    def mark(self, refs: list[str], status: Status) -> Marked:
        cat = self.catalogue
        parsed = [args.ref(text, cat) for text in refs]  # all checked before anything changes
        with self.changing() as tracker:
            moment = self.now()
            outcomes: list[Outcome] = []
            for rank, number in parsed:
                if number is None and status is Status.TODO:
                    outcomes += tracker.reset(rank, moment)
                elif number is None:
                    outcomes.append(tracker.mark(rank, status, moment))
                else:
                    outcomes += tracker.mark_resource(rank, number, status, moment)
            through = sorted(
                {
                    o.rank
                    for o in outcomes
                    if o.what == "resource" and o.changed and o.rank is not None
                    if advice.resources_finished(tracker, o.rank)
                    and tracker.status(cat.steps[o.rank - 1]) is not Status.DONE
                }
            )
        worked = [o.rank for o in outcomes if o.changed and o.after is Status.DONE and o.rank]
        return Marked(outcomes, through, worked[-1] if worked else None)

    def mark_done(self, rank: int) -> Outcome:
        with self.changing() as tracker:
            return tracker.mark(rank, Status.DONE, self.now())

    def check_in(
        self, rank: int, challenge: int, skill: int, minutes: int | None
    ) -> tuple[Outcome, Skill | None]:
        with self.changing() as tracker:
            outcome = tracker.checkin(rank, challenge, skill, minutes, self.now())
            return outcome, tracker.learned_skill()

    def rate(self, rank: int, value: int) -> Outcome:
        with self.changing() as tracker:
            return tracker.rate(rank, value, self.now())

    def note(self, rank: int, words: str, edit: int | None, delete: int | None) -> Outcome:
        with self.changing() as tracker:
            if delete is not None:
                return tracker.delete_note(rank, delete, self.now())
            if edit is not None:
                return tracker.edit_note(rank, edit, words, self.now())
            return tracker.note(rank, words, self.now())
