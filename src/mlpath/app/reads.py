"""What a Session reads: the catalogue, the state and the history, each loaded lazily and at
most once, and the read model that status, list, show and next show, with the store's read
cache of it. Nothing here changes the store (changes.py does; session.py joins them)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from mlpath import args, catalogue
from mlpath.core.history import Event
from mlpath.core.progress import Status
from mlpath.core.tracker import Tracker
from mlpath.store import layout, record
from mlpath.views import readmodel, results


class Reads:
    def __init__(self, catalogue_file: Path | None = None) -> None:
        self.catalogue_file = catalogue_file

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

    def listing(self) -> results.Listing:
        return results.Listing(self.read_model)

    def step(self, text: str) -> results.StepPage:
        model = self.read_model
        return results.StepPage(model, args.rank(text, self.catalogue))

    def where(self) -> results.Places:
        path, bundled = self.catalogue_source()
        return results.Places(layout.where(layout.paths(), path, bundled))

    def in_progress(self) -> list[int]:
        return self.tracker.ranks(Status.IN_PROGRESS)
