"""The commands that change progress: start, done, skip, reset (their body: marking.py), note,
checkin, rate, undo, redo."""

from __future__ import annotations

from typing import Annotated

import typer

from mlpath import args
from mlpath.cli import marking, questions
from mlpath.cli.base import (
    NOTE_LIMIT,
    DeleteNumber,
    EditNumber,
    StepArg,
    StepsArg,
    app,
    complete_steps,
    session,
)
from mlpath.errors import UsageError
from mlpath.store import fileio
from mlpath.usage import Command
from mlpath.views import prompts, screens


@app.command(cls=Command)
def start(ctx: typer.Context, steps: StepsArg) -> None:
    """Mark steps, or resources, as in progress.

    Working on a resource of a step still todo starts the step too.

    \b
    Examples:
      mlpath start 3
      mlpath start 3 4
      mlpath start 3.2
    """
    marking.mark(session(ctx), steps, "start")


@app.command(cls=Command)
def done(ctx: typer.Context, steps: StepsArg) -> None:
    """Mark steps, or resources, as done.

    Finishing a resource of a step still todo starts the step. When the last open resource of
    a step is done, mlpath says so and how to mark the step done; on a terminal it asks (Enter
    = yes). After a step or resource is done on a terminal, mlpath offers a check-in: how
    challenging it felt and how skilled you feel (Enter skips), which `mlpath next` learns
    from.

    \b
    Examples:
      mlpath done 3
      mlpath done 1 2
      mlpath done 3.2
    """
    marking.mark(session(ctx), steps, "done")


@app.command(cls=Command)
def skip(ctx: typer.Context, steps: StepsArg) -> None:
    """Mark steps, or resources, as skipped.

    Skip what you know already, or what is not for you. A skipped step counts as finished
    in your progress. A skipped resource is set aside: it counts as finished for its step,
    and skipping it does not start the step.

    \b
    Examples:
      mlpath skip 2
      mlpath skip 1 2
      mlpath skip 3.2
    """
    marking.mark(session(ctx), steps, "skip")


@app.command(cls=Command)
def reset(ctx: typer.Context, steps: StepsArg) -> None:
    """Put steps, or resources, back to todo.

    Resetting a step resets its resources too, as one change: `mlpath undo` brings all back.

    \b
    Examples:
      mlpath reset 3
      mlpath reset 3 4
      mlpath reset 3.2
    """
    marking.mark(session(ctx), steps, "reset")


@app.command(cls=Command)
def note(
    ctx: typer.Context,
    step: StepArg,
    text: Annotated[
        str | None,
        typer.Argument(
            metavar="[TEXT]", help="The note; quote it; - reads stdin.", show_default=False
        ),
    ] = None,
    edit_text: EditNumber = None,
    delete_text: DeleteNumber = None,
) -> None:
    """Attach a dated note to step N, or change or delete one.

    What you learned, what to try next. Notes show in `mlpath show N` and in your journal
    (`mlpath journal`). With - as TEXT, the note is read from stdin (up to 64 KiB). --edit K
    replaces the text of note K (keeping its date) with TEXT; with no TEXT, on a terminal, it
    opens note K in $VISUAL or $EDITOR. --delete K removes note K. `mlpath undo` reverts each.

    \b
    Examples:
      mlpath note 3 "Week 2 of the course: gradient descent finally clicked"
      mlpath note 3 - < notes.txt
      mlpath note 3 --edit 1 "Week 2: gradient descent clicked"
      mlpath note 3 --edit 1
      mlpath note 3 --delete 2
    """
    now = session(ctx)
    rank = args.rank(step, now.catalogue)
    edit = args.note_number(edit_text, "--edit") if edit_text is not None else None
    delete = args.note_number(delete_text, "--delete") if delete_text is not None else None
    if edit is not None and delete is not None:
        raise UsageError("--edit and --delete: one at a time")
    if delete is not None and text is not None:
        raise UsageError(f"--delete takes no text: `mlpath note {rank} --delete {delete}`")
    if text is None and delete is None:
        text = questions.edited(now, rank, edit) if edit is not None else None
        if text is None:
            raise UsageError(f'a note needs some text: `mlpath note {rank} "what I learned"`')
    if text == "-":
        text = fileio.read_stdin("note", NOTE_LIMIT, UsageError)
    words = args.words(text, "the note") if text is not None else ""
    screens.show_changes([now.note(rank, words, edit, delete)])


@app.command(cls=Command)
def checkin(
    ctx: typer.Context,
    step: Annotated[
        str | None,
        typer.Argument(
            metavar="[N]",
            help="The step; on a terminal, the step in progress by default.",
            show_default=False,
            autocompletion=complete_steps,
        ),
    ] = None,
    challenge: Annotated[
        str | None,
        typer.Option("--challenge", metavar="1-10", help="How challenging the step is now."),
    ] = None,
    skill: Annotated[
        str | None,
        typer.Option("--skill", metavar="1-10", help="How skilled you feel at it now."),
    ] = None,
    minutes: Annotated[
        str | None,
        typer.Option("--minutes", metavar="M", help="Minutes spent since your last check-in."),
    ] = None,
) -> None:
    """Say how step N feels now: its challenge and your skill, 1-10.

    A few seconds, as often as you like: mlpath learns your skill and how hard the steps
    feel to you from check-ins, and `next` and `map` follow. In a script give N, --challenge
    and --skill; on a terminal, mlpath asks what is missing.

    \b
    Examples:
      mlpath checkin 3 --challenge 6 --skill 4
      mlpath checkin 3 --challenge 6 --skill 4 --minutes 45
      mlpath checkin
    """
    now = session(ctx)
    given = (
        args.rating(challenge, "--challenge") if challenge is not None else None,
        args.rating(skill, "--skill") if skill is not None else None,
        args.minutes(minutes) if minutes is not None else None,
    )
    if not prompts.interactive() and (step is None or None in given[:2]):
        raise UsageError(
            "in a script, say the step and both figures: `mlpath checkin N --challenge C --skill S`"
        )
    rank = args.rank(step, now.catalogue) if step is not None else questions.step_to_check_in(now)
    if rank is not None:
        questions.ask_and_check_in(now, rank, *given)


@app.command(cls=Command)
def rate(
    ctx: typer.Context,
    step: StepArg,
    challenge: Annotated[
        str, typer.Argument(metavar="C", help="How hard it feels, 1-10.", show_default=False)
    ],
) -> None:
    """Record how hard step N feels to you, 1-10.

    Your rating replaces the catalogue's challenge in `list`, `next` and the flow rule.

    \b
    Example:
      mlpath rate 5 8
    """
    now = session(ctx)
    rank = args.rank(step, now.catalogue)
    value = args.rating(challenge, "the challenge")
    screens.show_changes([now.rate(rank, value)])


@app.command(cls=Command)
def undo(ctx: typer.Context) -> None:
    """Revert the most recent change; run again for the one before.

    A command that changed several steps (`mlpath done 1 2`) is undone as a whole, and so is
    an import (past 1,000 changes, the first are listed and the rest counted). Each undo is
    recorded in the log; `mlpath redo` puts back what it took back.

    \b
    Example:
      mlpath undo
    """
    screens.show_undo(session(ctx).undo(screens.working))


@app.command(cls=Command)
def redo(ctx: typer.Context) -> None:
    """Put back what undo reverted; run again for the undo before.

    Undos in a row are redone newest first, each as a whole (an undone import comes back
    whole), back to the last change that was not an undo: once you make a new change,
    there is nothing to redo. A redo is recorded in the log, and `mlpath undo` reverts
    what it put back.

    \b
    Example:
      mlpath redo
    """
    screens.show_redo(session(ctx).redo(screens.working))
