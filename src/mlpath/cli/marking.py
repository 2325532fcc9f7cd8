"""The plain changing commands, start, done, skip and reset: their one body, which the typer
commands (cli/changing.py) run, and the write road of the first dispatch (cli/first.py),
which runs that same body in a script without importing typer or click; and on that road,
the plain forms of note, rate, skill, checkin, undo and redo, each with the calls its typer
command makes (checked(): the same checks of its words, then the same use case and screen).

The write road takes only what the full road would run without a question and without a
usage error: it checks the catalogue and every ref first, by the rules Session.mark checks
them with, and leaves anything they refuse to the full road before anything is done, so
that the full road says it. Its failures end as the full road's do (cli/ending.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlpath.app import Session
from mlpath.cli import ending, questions
from mlpath.core.progress import Status
from mlpath.views import screen, screens

STATUS = {
    "start": Status.IN_PROGRESS,
    "done": Status.DONE,
    "skip": Status.SKIPPED,
    "reset": Status.TODO,
}


def mark(now: Session, refs: list[str], command: str) -> None:
    """`mlpath COMMAND REFS...`: the change, what it did, and what follows it (asked on a
    terminal, only said in a script)."""
    marked = now.mark(refs, STATUS[command])
    screens.show_changes(marked.outcomes)
    try:
        questions.follow_up(now, marked.through, marked.worked)
    except KeyboardInterrupt:  # Ctrl-C at a question skips it; what was done above stands
        screens.notice("Skipped; the changes above are saved.")


def answer(found: dict[str, Any]) -> int | None:
    """The exit code of a change made here, or None: the full road makes it (nothing has
    been done then). `found` is cli/first.parse's: the catalogue option, the command and
    its refs. The caller has made sure that nothing will be asked (not a terminal)."""
    from pathlib import Path

    from mlpath import args

    option, refs, command = found["catalogue"], found["refs"], found["command"]
    now = Session(None if option is None else Path(option), screens.notice)
    if str(now.catalogue_source()[0]) == "-":  # a catalogue on stdin can be read only once
        return None
    try:
        try:  # what the full road refuses before the change, it says itself
            for ref in refs:
                args.ref(ref, now.catalogue)
            change = checked(now, found)
        except Exception:
            return None
        screen.prepare()
        change()
    except ending.ENDINGS as exc:
        return ending.failed(exc, command, now.saved)
    return 0


def checked(now: Session, found: dict[str, Any]) -> Callable[[], None]:
    """The change `found` asks for, its words checked as its typer command checks them (what
    they refuse raises here, before anything is done), ready to run as that command runs it
    (cli/changing.py, cli/reading.py's skill)."""
    from mlpath import args

    command, words = found["command"], found.get("words", [])
    if command in STATUS:
        return lambda: mark(now, found["refs"], command)
    if command in ("undo", "redo"):
        use = now.undo if command == "undo" else now.redo
        show = screens.show_undo if command == "undo" else screens.show_redo
        return lambda: show(use(screens.working))
    if command == "skill":
        value = args.rating(words[0], "the skill")
        return lambda: screens.show_changes([now.set_skill(value)])
    rank = args.rank(words[0], now.catalogue)
    if command == "note":
        text = args.words(words[1], "the note")
        return lambda: screens.show_changes([now.note(rank, text, None, None)])
    if command == "rate":
        value = args.rating(words[1], "the challenge")
        return lambda: screens.show_changes([now.rate(rank, value)])
    given = (
        args.rating(found["challenge"], "--challenge"),
        args.rating(found["skill"], "--skill"),
        args.minutes(found["minutes"]) if "minutes" in found else None,
    )
    return lambda: questions.ask_and_check_in(now, rank, *given)
