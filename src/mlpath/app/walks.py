"""The use cases that walk the history: the log, undo and redo. Session.log, Session.undo
and Session.redo call them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from mlpath.app.session import Session
from mlpath.app.waits import BIG, Say, long_history
from mlpath.core.events import Commit, Event
from mlpath.core.outcome import Outcomes
from mlpath.store import record
from mlpath.views import results


def log(session: Session, count: int | None, rank: int | None, working: Say) -> results.Log:
    """This catalogue's changes, numbered in the whole log before any filter (the numbers
    are the ones undo cites), then the last `count` of those to step `rank`: chosen from
    the history's index, and read as they are shown (the result holds the history open
    until it is shown)."""
    from mlpath.views import logrows

    history = record.history()
    if len(history) > BIG:
        working(f"reading {len(history):,} changes")
    wanted = None if rank is None else session.catalogue.steps[rank - 1].id
    chosen = logrows.select(history, session.tracker, wanted, count)
    filtered = rank is not None or count is not None
    return results.Log(session.tracker, chosen, filtered, history)


def undo(session: Session, working: Say) -> Outcomes:
    with session.changing() as tracker:
        commits, now = _told(record.commits_newest_first(), working), session.now()
        return tracker.undo(commits, now, _replayed(working), record.history_reversals)


def redo(session: Session, working: Say) -> Outcomes:
    with session.changing() as tracker:
        commits = _told(record.commits_newest_first(), working)
        return tracker.redo(commits, session.now(), _replayed(working))


def _replayed(working: Say) -> Callable[[], Iterator[Event]]:
    """The whole history, streamed, for a reversal that must replay it (another store's
    change, or one a merge came after), saying so once when it is long."""
    told = False

    def events() -> Iterator[Event]:
        nonlocal told
        if not told and long_history():
            working("replaying the whole history to find the values to put back")
            told = True
        return record.history_events()

    return events


def _told(commits: Iterator[Commit], working: Say) -> Iterator[Commit]:
    """The commits, newest first, saying (on a terminal) when one is long enough to take a
    second or more to walk: an undo or a redo of an import of BIG events or more."""
    for commit in commits:
        if len(commit) > BIG:
            working(f"reading a change of {len(commit):,} events")
        yield commit
