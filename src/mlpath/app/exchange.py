"""The use cases that move a whole history in or out: export, and import (into an empty
store, or merged into this one). Session.export and Session.import_ call them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sized
from pathlib import Path

from mlpath.app.session import Session
from mlpath.app.waits import BIG, Say
from mlpath.core.history import Event, merged, merging, ordered, replay
from mlpath.core.progress import Progress
from mlpath.errors import BadImport
from mlpath.plain import replace
from mlpath.store import exchange, importing, layout, record
from mlpath.store.historyindex import Index
from mlpath.store.listedhistory import Listed
from mlpath.store.spool import Spooled


def export(session: Session, working: Say) -> Iterator[str]:
    """The export, a chunk of text at a time, the history read as it is written."""
    with record.history() as history:
        if len(history) > BIG:
            working(f"exporting {len(history):,} changes")
        yield from exchange.export(
            session.tracker.progress, history, session.catalogue, session.now()
        )


def import_(session: Session, file: Path, merge: bool, working: Say) -> tuple[int, int]:
    """An export restored into an empty store, or merged into this one: (changes added,
    changes already known). The whole file is checked before anything is written, an
    event at a time; a merge looks ours up in the history's index."""
    name = "stdin" if str(file) == "-" else str(file)
    with contextlib.suppress(OSError):
        if name != "stdin" and file.stat().st_size > BIG * 200:  # ~200 bytes an event
            working(f"checking {name} before anything is written")

    def counted(count: int) -> None:
        if count % 100_000 == 0:  # now and then, on a terminal: how far it has come
            working(f"{count:,} changes of {name} checked")

    with importing.read(file, counted) as imported:
        return _import(session, imported, file, merge, working)


def _import(
    session: Session, imported: importing.Imported, file: Path, merge: bool, working: Say
) -> tuple[int, int]:
    cat = session.catalogue
    added: Spooled | list[Event] = []
    try:
        with session.changing() as tracker, record.history() as ours:
            added, clashes = _new(imported, ours)
            if clashes:
                raise BadImport(
                    f"{file}: event {clashes[0]} differs from this store's event of the same "
                    "identity: not an export of the same history; nothing imported"
                )
            if merge and _unexplained(imported):
                raise BadImport(
                    f"{file} holds progress its own history does not explain (an export written "
                    "by hand, or by an mlpath without a history): a merge would drop it; "
                    f"`mlpath import {file}` into an empty store records it as changes; "
                    "nothing imported"
                )
            if not merge and (len(ours) or tracker.progress.paths):
                raise BadImport(
                    f"{layout.paths().home} already holds progress ({len(ours)} changes): "
                    f"`mlpath import --merge {file}` combines the two"
                )
            if len(added) > BIG:
                working(f"merging {len(added):,} changes into your history")
            if added:
                state = _replayed(imported, ours, tracker.progress, added) or record.with_merged(
                    tracker.progress, ours, added, imported.in_order
                )
                reach = added.reach(tracker.origin.machine) if isinstance(added, Spooled) else None
                tracker.absorb(added, state, reach)
            if not merge:  # a state its own history does not explain is recorded as changes
                for path_id in imported.progress.paths:
                    tracker.catalogue = replace(cat, id=path_id)
                    tracker.reconcile(imported.progress, session.now())
                tracker.catalogue = cat
    finally:
        if isinstance(added, Spooled):
            added.close()  # when it is imported.events, closed twice: that is allowed
    # A state that no history explained was recorded as changes of our own: count them.
    return len(added) + len(tracker.events), len(imported.events) - len(added)


def _new(
    imported: importing.Imported, ours: Index | Listed
) -> tuple[Spooled | list[Event], list[str]]:
    """Their events that we lack, and the identities that clash. An export in the one order,
    its identities checked unique and none from before identities, is merged as it is
    read back from disk, and what is new goes back to disk: a merge of a million events
    holds none of them."""
    if not imported.in_order or imported.before_identities:
        return merged(ours.event_of, imported.events, lambda: ours.events(ours.order()))
    if not len(ours):
        return imported.events, []  # all of them are new
    clashes: list[str] = []
    added = Spooled()
    try:
        for event in merging(ours.event_of, imported.events, tuple, clashes, unique=True):
            added.add(event)
            if clashes:
                break
    except BaseException:
        added.close()
        raise
    return added, clashes


def _replayed(
    imported: importing.Imported, ours: Index | Listed, progress: Progress, added: Sized
) -> Progress | None:
    """The state of an import of all its events into an empty store, when it was replayed
    as it was read (else None)."""
    empty = not len(ours) and not progress.paths
    return imported.replayed if empty and len(added) == len(imported.events) else None


def _unexplained(imported: importing.Imported) -> bool:
    """Whether a file's state says something its own events do not make (a file with no
    state, as old exports could be, says nothing a merge would drop)."""
    replayed = imported.replayed
    paths = (replayed if replayed is not None else replay(ordered(imported.events))).paths
    return any(paths.get(name) != path for name, path in imported.progress.paths.items())
