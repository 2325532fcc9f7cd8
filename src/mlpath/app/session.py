"""The application layer: every use case a command needs, in the learner's terms.

A Session is one run of mlpath. It loads the catalogue, the state and the history lazily and
at most once (reads.py), and it knows whether this run has committed a change (changes.py),
so that no later failure can claim that nothing was written. Commands parse their arguments,
call a Session method and hand what it returns to a view; they never name a store file.
Questions to the learner come in as callables, so that this layer never talks to the
terminal itself. Here: the learner's skill (read, asked for once, set), and the use cases
that walk or move the whole history, or care for the store (walks.py, exchange.py, care.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from mlpath import args
from mlpath.app.changes import Changes
from mlpath.app.changes import Marked as Marked  # where it was: mlpath.app.session.Marked
from mlpath.app.waits import Say
from mlpath.core import advice
from mlpath.core.outcome import Outcomes
from mlpath.core.tracker import Outcome, Tracker
from mlpath.store import layout
from mlpath.views import readmodel, results

Ask = Callable[[], int | None]  # a question to the learner: None for no answer


class Session(Changes):
    """One run of mlpath: what it reads (Reads), what it changes (Changes), and the rest."""

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

    # -- undo and redo, and the history: walks.py, exchange.py ---------------------------

    def undo(self, working: Say) -> Outcomes:
        from mlpath.app import walks

        return walks.undo(self, working)

    def redo(self, working: Say) -> Outcomes:
        from mlpath.app import walks

        return walks.redo(self, working)

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
