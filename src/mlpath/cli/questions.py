"""What a change asks on a terminal: to mark a step done whose resources are all finished,
a check-in after work is done (and which step), and a note's new text in the learner's
editor. In a script nothing is asked: the commands in changing.py say what to type instead.
typer is imported only where a question is asked (views/prompts.py): the write road of the
first dispatch (cli/marking.py) runs follow_up in scripts without it.
"""

from __future__ import annotations

from mlpath import args
from mlpath.app import Session
from mlpath.errors import UsageError
from mlpath.views import prompts, screens


def follow_up(now: Session, through: list[int], worked: int | None) -> None:
    """After a change: offer to mark steps done whose resources are all finished, then
    (once work is done) a check-in on how the step felt. In a script, only say it."""
    for rank in through:
        screens.show_resources_finished(rank, now.catalogue.steps[rank - 1])
        if prompts.interactive() and prompts.ask_yes(f"Mark step {rank} done?"):
            screens.show_changes([now.mark_done(rank)])
            worked = rank
    if worked is not None and prompts.interactive():
        ask_and_check_in(now, worked, None, None, None)


def edited(now: Session, rank: int, number: int) -> str | None:
    """Note `number`'s text as changed in the learner's editor, on a terminal only. The editor
    runs before the lock is taken: it may stay open for as long as the learner likes."""
    if not prompts.interactive():
        raise UsageError(
            f'--edit needs the new text here: `mlpath note {rank} --edit {number} "..."`'
        )
    old = now.tracker.note_at(rank, number).text
    changed = prompts.edit(old)
    if changed is None or changed.strip() in ("", old):
        import typer

        screens.notice("No change: the note is as it was.")
        raise typer.Exit()
    return changed


def ask_and_check_in(
    now: Session, rank: int, challenge: int | None, skill: int | None, minutes: int | None
) -> None:
    """Ask what is not given yet (on a terminal), then record the check-in."""
    if challenge is None or skill is None:
        title = now.catalogue.steps[rank - 1].title
        answers = prompts.ask_checkin(f"step {rank} ({title})", challenge, skill)
        if answers is None:
            screens.notice("No check-in recorded.")
            return
        challenge, skill = answers
    outcome, learned = now.check_in(rank, challenge, skill, minutes)
    screens.show_changes([outcome])  # after the commit: a failed write must not undo it
    if learned is not None:
        screens.show_learned(learned)


def step_to_check_in(now: Session) -> int | None:
    """The one step in progress, or the one the learner names; None if they name none."""
    doing = now.in_progress()
    if len(doing) == 1:
        return doing[0]
    choices = f"in progress: {', '.join(map(str, doing))}" if doing else now.catalogue.range_text()
    answer = prompts.ask_step(choices)
    if answer is None:
        screens.notice("No check-in recorded.")
        return None
    return args.rank(answer, now.catalogue)
