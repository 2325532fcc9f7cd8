"""The application layer: every use case a command needs, in the learner's terms.

A Session is one run of mlpath. It loads the catalogue, the state and the history lazily and
at most once, and it knows whether this run has committed a change (so that no later failure
can claim that nothing was written). Commands parse their arguments, call a Session method
and hand what it returns to a view; they never name a store file. Questions to the learner
come in as callables, so that this layer never talks to the terminal itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from mlpath import args, catalogue
from mlpath.app.waits import Say
from mlpath.core import advice
from mlpath.core.history import Event
from mlpath.core.learning import Skill
from mlpath.core.outcome import Outcomes
from mlpath.core.progress import Status
from mlpath.core.tracker import Outcome, Tracker
from mlpath.errors import MlpathError
from mlpath.store import layout, record
from mlpath.views import readmodel, results

Ask = Callable[[], int | None]  # a question to the learner: None for no answer


class Marked(NamedTuple):
    outcomes: list[Outcome]
    through: list[int]  # steps whose last open resource this change closed, not done yet
    worked: int | None  # the step whose work this change finished: worth a check-in


class Session:
    def __init__(self, catalogue_file: Path | None = None, notice: Say | None = None) -> None:
        self.catalogue_file = catalogue_file
        self.notice: Say = notice or (lambda text: None)
        self._saved = False
        record.committed.clear()  # a new run: what an earlier one in this process committed

    @property
    def saved(self) -> bool:
        """Whether a change of this run is committed: then no failure after it may say that
        nothing was written. The store counts its own commits (a sync commits several)."""
        return self._saved or bool(record.committed)

    # -- what is read -----------------------------------------------------------------

    def catalogue_source(self) -> tuple[Path, bool]:
        """The catalogue in use, and whether it is the bundled one."""
        return catalogue.selected_path(self.catalogue_file)

    @cached_property
    def catalogue(self) -> catalogue.Catalogue:
        """The catalogue, keyed for the read cache before it is read (`_model`)."""
        from mlpath.store import readcache

        path, bundled = self.catalogue_source()
        try:
            self._catalogue_key: object = readcache.key(str(path))
        except readcache.Miss:
            self._catalogue_key = readcache.Miss
        return catalogue.load(path, bundled=bundled)

    @cached_property
    def tracker(self) -> Tracker:
        """The committed state, read without the lock."""
        return Tracker(self.catalogue, record.read())

    @cached_property
    def history(self) -> list[Event]:
        return record.read_history()

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

    # -- the learner's skill ------------------------------------------------------------

    def skill(self, tracker: Tracker, option: str | None, ask: Ask | None) -> tuple[float, str]:
        """The skill and where it came from: option (--skill), rated, checkins, or
        estimated. With `ask`, a learner with neither a rating nor a check-in is asked once
        in the life of the store (Enter or Ctrl-D too counts as asked)."""
        if option is not None:
            return args.rating(option, "--skill"), advice.SkillSource.OPTION
        where = layout.paths()
        unknown = tracker.path.skill is None and not tracker.checkins()
        if ask and unknown and not layout.asked_before(where):
            answer = ask()
            layout.remember_asked(where)  # Enter or Ctrl-D too: asked once means once
            if answer is not None:  # None: the learner would rather not say; estimate
                with self.changing() as writing:
                    writing.set_skill(answer, self.now())
                return answer, advice.SkillSource.RATED
        return advice.skill_of(tracker)

    def set_skill(self, rating: int) -> Outcome:
        with self.changing() as tracker:
            return tracker.set_skill(rating, self.now())

    @cached_property
    def read_model(self) -> readmodel.Model:
        """What status, list, show and next show, as plain data (views/readmodel.py). A
        read refreshes the store's read cache only where one is already (a command that
        only reads creates no file); a change writes it (`changing`)."""
        return self._model(create=False)

    def _model(self, *, create: bool) -> readmodel.Model:
        """The read model from the store, and the read cache (store/readcache.py) of it,
        keyed to the files as they were before the state was read: a change made meanwhile
        makes the cache miss, never lie."""
        from mlpath.store import readcache, syncconfig

        where = layout.paths()
        path, bundled = self.catalogue_source()
        loaded = "catalogue" in self.__dict__  # read already (a change reads it first)
        before = readcache.taken(where.home, path, bundled, create=create)
        found = record.state(where)
        self.__dict__.setdefault("tracker", Tracker(self.catalogue, found.progress))
        if before is not None and loaded:  # the key of the catalogue as it was read
            known = self._catalogue_key
            before = None if known is readcache.Miss else (*before[:-1], known)
        unsent = syncconfig.waiting(where.home, found.mark.events)
        model = readmodel.of(Tracker(self.catalogue, found.progress), unsent)
        readcache.save(where.home, path, bundled, before, model)
        return model

    def status(self) -> results.Standing:
        model = self.read_model
        skill, source = readmodel.skill_of(model)
        return results.Standing(
            model, skill, source, readmodel.advise(model, skill, source, whole=False)
        )

    def suggest(self, option: str | None, ask: Ask | None, everything: bool) -> results.Advice:
        model = self.read_model
        value, source = self.skill(self.tracker, option, ask)
        if self._saved:  # the skill question was answered: the model before it is stale
            self.__dict__.pop("read_model", None)
            model = self.read_model
        suggestion = readmodel.advise(model, value, source, whole=everything)
        return results.Advice(model, source, suggestion, everything)

    def skill_shown(self) -> results.SkillShown:
        skill, source = self.skill(self.tracker, None, None)
        return results.SkillShown(self.tracker, skill, source)

    def flow_map(self, option: str | None) -> results.FlowMap:
        from mlpath.views import flowmap

        skill, source = self.skill(self.tracker, option, None)
        trail = flowmap.skill_trail(self.history, self.catalogue.id)
        return results.FlowMap(self.tracker, skill, source, trail, self.history)

    def listing(self) -> results.Listing:
        return results.Listing(self.read_model)

    def step(self, text: str) -> results.StepPage:
        model = self.read_model
        return results.StepPage(model, args.rank(text, self.catalogue))

    # -- changes ------------------------------------------------------------------------

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

    def undo(self, working: Say) -> Outcomes:
        from mlpath.app import walks

        return walks.undo(self, working)

    def redo(self, working: Say) -> Outcomes:
        from mlpath.app import walks

        return walks.redo(self, working)

    # -- the history --------------------------------------------------------------------

    def log(self, count: int | None, rank: int | None, working: Say) -> results.Log:
        from mlpath.app import walks

        return walks.log(self, count, rank, working)

    def export(self, working: Say) -> Iterator[str]:
        """The export, a chunk of text at a time, the history read as it is written."""
        from mlpath.app import exchange

        return exchange.export(self, working)

    def import_(self, file: Path, merge: bool, working: Say) -> tuple[int, int]:
        """An export restored into an empty store, or merged into this one: (changes added,
        changes already known); exchange.py."""
        from mlpath.app import exchange

        return exchange.import_(self, file, merge, working)

    # -- the store's health, and sync: care.py -----------------------------------------

    def restore(self, working: Say) -> list[str]:
        from mlpath.app import care

        return care.restore(self, working)

    def check(self, working: Say) -> results.Health:
        from mlpath.app import care

        return care.check(self, working)

    def where(self) -> results.Places:
        path, bundled = self.catalogue_source()
        return results.Places(layout.where(layout.paths(), path, bundled))

    def sync(self, remote: str | None, learner: str | None, name: str | None) -> results.Synced:
        """Join a remote (once), then pull, merge and push."""
        from mlpath.app import care

        synced = care.sync(self, remote, learner, name)
        self._saved = True  # what arrived is merged and saved
        return synced

    def sync_setup(self) -> results.SyncSetup:
        from mlpath.app import care

        return care.sync_setup()

    def cohort(self) -> results.Cohort:
        from mlpath.app import care

        return care.cohort(self)

    def in_progress(self) -> list[int]:
        return self.tracker.ranks(Status.IN_PROGRESS)
