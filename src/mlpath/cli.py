"""The command line: parse, call the core, hand the result to a view. No logic, no file I/O."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from mlpath import (
    __version__,
    advice,
    args,
    catalogue,
    fileio,
    prompts,
    screen,
    store,
    usage,
    views,
)
from mlpath.errors import BadImport, MlpathError, OutputLost, UsageError
from mlpath.flow import figure
from mlpath.progress import Status
from mlpath.tracker import Tracker
from mlpath.usage import Command


def _click_usage_error() -> type[Exception]:
    """click's UsageError: from the copy of click later typers carry, or from click."""
    from typer import core

    click: Any = getattr(core, "_click", None) or core.click  # type: ignore[attr-defined]
    error: type[Exception] = click.exceptions.UsageError
    return error


class _Group(TyperGroup):
    """Turns mlpath's own errors and the parser's usage errors into one line on stderr and
    their exit code."""

    parsing: str | None = None  # the command whose arguments are being parsed

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        found = super().resolve_command(ctx, args)
        self.parsing = found[0]
        return found

    def _usage(self, exc: Any) -> NoReturn:
        commands = {
            name: any("--json" in param.opts for param in command.params)
            for name, command in self.commands.items()
        }
        views.error(usage.usage_line(exc, self.parsing, commands))
        raise typer.Exit(2) from None

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except _click_usage_error() as exc:
            self._usage(exc)

    def invoke(self, ctx: Any) -> Any:
        screen.prepare()
        _saved.clear()
        store.committed.clear()
        try:
            return super().invoke(ctx)
        except OutputLost as exc:
            screen.abandon()
            if _saved or store.committed:  # the change stands: a script must not retry it
                command = ctx.invoked_subcommand
                views.error(f"{command}: the change is saved; only its report was lost ({exc})")
                raise typer.Exit(0) from None
            if not exc.pipe_closed:  # a reader that stopped reading needs no message
                views.error(str(exc))
            raise typer.Exit(141 if exc.pipe_closed else 1) from None
        except MlpathError as exc:
            views.error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            views.error(
                "interrupted; "
                + ("the change is saved" if _saved or store.committed else "nothing was written")
            )
            raise typer.Exit(130) from None
        except _click_usage_error() as exc:
            self._usage(exc)
        except PermissionError as exc:
            # A file or folder of the learner's that this user may not read or enter, met
            # where no check expected it: one line, never a traceback.
            saved = (
                "; the change is saved" if _saved or store.committed else "; nothing was written"
            )
            views.error(f"cannot use {exc.filename}: {fileio.reason(exc)}{saved}")
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Group,
    help="A companion for breaking into machine learning: seven ranked steps, your progress, "
    "and what to do next to stay in flow.\n\n"
    "Run it bare to see where you stand. Start with `mlpath list`, then `mlpath next`. "
    "`mlpath help COMMAND` explains a command; `mlpath help json` the keys of --json.",
    epilog="Your data stays on this machine: `mlpath where` shows where.",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_options: dict[str, Path | None] = {"catalogue": None}
NOTE_LIMIT = 64 * 1024  # a note piped in: pages of text, not a file dumped by mistake

JsonFlag = Annotated[
    bool, typer.Option("--json", help="Print JSON for scripts; `mlpath help json` lists its keys.")
]
SkillOption = Annotated[
    str | None,
    typer.Option("--skill", metavar="1-10", help="Use this skill instead of your rating."),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout."),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")]


ThemeOption = Annotated[
    str, typer.Option("--theme", metavar="light|dark", help="The picture's colours.")
]
StepsArg = Annotated[
    list[str],
    typer.Argument(
        metavar="N[.K]",
        help="Steps as `mlpath list` numbers them, or resources as `mlpath show` does (3.2).",
        show_default=False,
        autocompletion=args.complete_refs,
    ),
]
StepArg = Annotated[
    str,
    typer.Argument(
        metavar="N",
        help="A step number as `mlpath list` shows it.",
        show_default=False,
        autocompletion=args.complete_steps,
    ),
]


def now() -> datetime:
    """The wall time; for a change, read inside the transaction, while the lock is held."""
    return store.clock()


_saved: list[bool] = []  # not empty once this command's change is committed


@contextmanager
def _changing(cat: catalogue.Catalogue) -> Iterator[Tracker]:
    """store.transaction, remembering that the change was committed (output that fails after
    it must not make the command look failed), then what the store has to say about it."""
    with store.transaction(cat) as tracker:
        yield tracker
    _saved.append(True)
    for notice in tracker.notices:
        views.notice(f"mlpath: {notice}")


def _catalogue() -> catalogue.Catalogue:
    path, bundled = catalogue.selected_path(_options["catalogue"])
    return catalogue.load(path, bundled=bundled)


def _reading() -> Tracker:
    return Tracker(_catalogue(), store.read())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mlpath {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _main(
    ctx: typer.Context,
    catalogue_file: Annotated[
        Path | None,
        typer.Option(
            "--catalogue",
            metavar="FILE",
            help="Use this catalogue instead of the bundled one (also MLPATH_CATALOGUE).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    _options["catalogue"] = catalogue_file
    if ctx.invoked_subcommand is None:
        status(json_output=False)


def _mark(refs: list[str], status_: Status) -> None:
    cat = _catalogue()
    parsed = [args.ref(text, cat) for text in refs]  # all checked before anything changes
    with _changing(cat) as tracker:
        moment = now()
        outcomes = []
        for rank, number in parsed:
            if number is None and status_ is Status.TODO:
                outcomes += tracker.reset(rank, moment)
            elif number is None:
                outcomes.append(tracker.mark(rank, status_, moment))
            else:
                outcomes += tracker.mark_resource(rank, number, status_, moment)
        # Steps whose last open resource this command closed, and that are not done yet.
        through = sorted(
            {
                o.rank
                for o in outcomes
                if o.what == "resource" and o.changed and o.rank is not None
                if advice.resources_finished(tracker, o.rank)
                and tracker.status(cat.steps[o.rank - 1]) is not Status.DONE
            }
        )
    views.show_changes(outcomes)
    # The step whose work this command finished (the last one named): worth a check-in.
    worked = [o.rank for o in outcomes if o.changed and o.after is Status.DONE and o.rank]
    try:
        _follow_up(cat, through, worked[-1] if worked else None)
    except KeyboardInterrupt:  # Ctrl-C at a question skips it; what was done above stands
        views.notice("Skipped; the changes above are saved.")


def _follow_up(cat: catalogue.Catalogue, through: list[int], worked: int | None) -> None:
    """After a change: offer to mark steps done whose resources are all finished, then
    (once work is done) a check-in on how the step felt. In a script, only say it."""
    for rank in through:
        views.show_resources_finished(rank, cat.steps[rank - 1])
        if prompts.interactive() and prompts.ask_yes(f"Mark step {rank} done?"):
            with _changing(cat) as tracker:
                outcome = tracker.mark(rank, Status.DONE, now())
            views.show_changes([outcome])
            worked = rank
    if worked is not None and prompts.interactive():
        _ask_and_check_in(cat, worked, None, None, None)


def _ask_and_check_in(
    cat: catalogue.Catalogue,
    rank: int,
    challenge: int | None,
    skill: int | None,
    minutes: int | None,
) -> None:
    """Ask what is not given yet (on a terminal), then record the check-in."""
    if challenge is None or skill is None:
        answers = prompts.ask_checkin(
            f"step {rank} ({cat.steps[rank - 1].title})", challenge, skill
        )
        if answers is None:
            views.notice("No check-in recorded.")
            return
        challenge, skill = answers
    with _changing(cat) as tracker:
        outcome = tracker.checkin(rank, challenge, skill, minutes, now())
        learned = tracker.learned_skill()
    views.show_changes([outcome])  # after the commit: a failed write must not undo it
    if learned is not None:
        views.show_learned(learned)


@app.command("list", cls=Command)
def list_(json_output: JsonFlag = False) -> None:
    """List the steps with their challenge and your status.

    The challenge is the catalogue's, or your own rating (marked *) after `mlpath rate`.

    \b
    Examples:
      mlpath list
      mlpath list --json
    """
    tracker = _reading()
    if json_output:
        views.print_json(
            [
                views.step_json(tracker, rank, step)
                for rank, step in enumerate(tracker.catalogue.steps, start=1)
            ]
        )
    else:
        views.show_list(tracker)


@app.command(cls=Command)
def show(step: StepArg, json_output: JsonFlag = False) -> None:
    """Show one step in full, with its resources.

    Resources are numbered N.K; open one with `mlpath open N.K`.

    \b
    Examples:
      mlpath show 3
      mlpath show 3 --json
    """
    tracker = _reading()
    rank = args.rank(step, tracker.catalogue)
    if json_output:
        views.print_json(views.step_json(tracker, rank, tracker.catalogue.steps[rank - 1]))
    else:
        views.show_step(tracker, rank)


@app.command("open", cls=Command)
def open_(
    ref: Annotated[
        str | None,
        typer.Argument(
            metavar="[N[.K]]",
            help="A step (its first unfinished resource) or one resource, as `mlpath show` "
            "numbers it; none: the next resource of the step `mlpath next` suggests.",
            show_default=False,
            autocompletion=args.complete_refs,
        ),
    ] = None,
) -> None:
    """Open the next resource to do in your browser, or one you name.

    Uses your default browser, or the one named in $BROWSER. Where there is none, it prints
    the link instead.

    \b
    Examples:
      mlpath open
      mlpath open 3
      mlpath open 3.2
    """
    import webbrowser

    tracker = _reading()
    cat = tracker.catalogue
    if ref is None:
        value, source = _skill(tracker, None, may_ask=False)
        suggested = advice.advise(tracker, value, source).step
        if suggested is None:
            views.show_lines(["Nothing to open: the path is complete."])
            return
        rank, number = suggested.rank, None
    else:
        rank, number = args.ref(ref, cat)
    if number is None:
        cat.resource(rank, 1)  # a step without resources: says so, exit 2
        found = advice.next_resource(tracker, rank)
        if found is None:
            views.show_lines(
                [
                    f"Every resource of step {rank} is done; open one again with "
                    f"`mlpath open {rank}.K`, or mark the step: `mlpath done {rank}`"
                ]
            )
            return
        number = found[0]
    resource = cat.resource(rank, number)
    try:
        opened = webbrowser.get().open(resource.url)
    except webbrowser.Error:
        opened = False
    views.show_opened(resource.title, resource.url, opened)


@app.command(cls=Command)
def start(steps: StepsArg) -> None:
    """Mark steps, or resources, as in progress.

    Working on a resource of a step still todo starts the step too.

    \b
    Examples:
      mlpath start 3
      mlpath start 3 4
      mlpath start 3.2
    """
    _mark(steps, Status.IN_PROGRESS)


@app.command(cls=Command)
def done(steps: StepsArg) -> None:
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
    _mark(steps, Status.DONE)


@app.command(cls=Command)
def skip(steps: StepsArg) -> None:
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
    _mark(steps, Status.SKIPPED)


@app.command(cls=Command)
def reset(steps: StepsArg) -> None:
    """Put steps, or resources, back to todo.

    Resetting a step resets its resources too, as one change: `mlpath undo` brings all back.

    \b
    Examples:
      mlpath reset 3
      mlpath reset 3 4
      mlpath reset 3.2
    """
    _mark(steps, Status.TODO)


NoteNumber = Annotated[
    int | None,
    typer.Option(metavar="K", min=1, help="Note K of the step, as `mlpath show N` lists them."),
]


@app.command(cls=Command)
def note(
    step: StepArg,
    text: Annotated[
        str | None,
        typer.Argument(
            metavar="[TEXT]", help="The note; quote it; - reads stdin.", show_default=False
        ),
    ] = None,
    edit: NoteNumber = None,
    delete: NoteNumber = None,
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
    cat = _catalogue()
    rank = args.rank(step, cat)
    if edit is not None and delete is not None:
        raise UsageError("--edit and --delete: one at a time")
    if delete is not None and text is not None:
        raise UsageError(f"--delete takes no text: `mlpath note {rank} --delete {delete}`")
    if text is None and delete is None:
        text = _edited(rank, edit) if edit is not None else None
        if text is None:
            raise UsageError(f'a note needs some text: `mlpath note {rank} "what I learned"`')
    if text == "-":
        text = fileio.read_stdin("note", NOTE_LIMIT, UsageError)
    words = args.words(text, "the note") if text is not None else ""
    with _changing(cat) as tracker:
        if delete is not None:
            outcome = tracker.delete_note(rank, delete, now())
        elif edit is not None:
            outcome = tracker.edit_note(rank, edit, words, now())
        else:
            outcome = tracker.note(rank, words, now())
    views.show_changes([outcome])


def _edited(rank: int, number: int) -> str | None:
    """Note `number`'s text as changed in the learner's editor, on a terminal only. The editor
    runs before the lock is taken: it may stay open for as long as the learner likes."""
    if not prompts.interactive():
        raise UsageError(
            f'--edit needs the new text here: `mlpath note {rank} --edit {number} "..."`'
        )
    old = _reading().note_at(rank, number).text
    changed = prompts.edit(old)
    if changed is None or changed.strip() in ("", old):
        views.notice("No change: the note is as it was.")
        raise typer.Exit()
    return changed


@app.command(cls=Command)
def undo() -> None:
    """Revert the most recent change; run again for the one before.

    A command that changed several steps (`mlpath done 1 2`) is undone as a whole, and so is
    an import. Each undo is recorded in the log; `mlpath redo` puts back what it took back.

    \b
    Example:
      mlpath undo
    """
    cat = _catalogue()
    with _changing(cat) as tracker:
        outcomes = tracker.undo(store.commits_newest_first(), now(), store.read_history)
    views.show_undo(outcomes)


@app.command(cls=Command)
def redo() -> None:
    """Put back what undo reverted; run again for the undo before.

    Undos in a row are redone newest first, each as a whole (an undone import comes back
    whole), back to the last change that was not an undo: once you make a new change,
    there is nothing to redo. A redo is recorded in the log, and `mlpath undo` reverts
    what it put back.

    \b
    Example:
      mlpath redo
    """
    cat = _catalogue()
    with _changing(cat) as tracker:
        outcomes = tracker.redo(store.commits_newest_first(), now())
    views.show_redo(outcomes)


def _skill(tracker: Tracker, option: str | None, *, may_ask: bool) -> tuple[float, str]:
    """The learner's skill and where it came from: option (--skill), rated, checkins (with
    or without a rating), or estimated."""
    if option is not None:
        return args.rating(option, "--skill"), "option"
    home = store.paths().home
    asking = tracker.path.skill is None and not tracker.checkins()
    asking = asking and may_ask and prompts.interactive()
    if asking and not prompts.asked_before(home):
        answer = prompts.ask_skill()
        prompts.remember_asked(home)  # Enter or Ctrl-D too: asked once means once
        if answer is not None:  # None: the learner ended the input; estimate instead
            with _changing(tracker.catalogue) as writing:
                writing.set_skill(answer, now())
            return answer, "rated"
    return advice.skill_of(tracker)


@app.command(cls=Command)
def status(json_output: JsonFlag = False) -> None:
    """Show how far along you are and what comes next.

    A progress bar of steps done and skipped, what is in progress, your skill, your last
    activity, and a one-line hint of what to do next. Bare `mlpath` shows the same.

    \b
    Examples:
      mlpath status
      mlpath status --json
    """
    where = store.paths()
    found = store.state(where)
    tracker = Tracker(_catalogue(), found.progress)
    if json_output:
        views.print_json(views.status_json(tracker, tracker.path.skill))
        return
    skill, source = _skill(tracker, None, may_ask=False)
    any_done = bool(tracker.ranks(Status.DONE))
    line = (
        f"not rated ({views.estimate_text(int(skill), any_done)}; `mlpath skill N` sets it)"
        if source == "estimated"
        else f"{figure(skill)} of 10"
        if source == "rated"
        else f"{figure(skill)} of 10 ({advice.basis(tracker, source)})"
    )
    views.show_status(tracker, line, advice.advise(tracker, skill, source))
    from mlpath import syncconfig

    unsent = syncconfig.waiting(where.home, found.mark.events)
    if unsent:
        screen.emit(
            [f"Sync: {views.count(unsent, 'change')} not sent yet; `mlpath sync` sends them."]
        )


@app.command("next", cls=Command)
def next_(
    skill: SkillOption = None,
    everything: Annotated[
        bool,
        typer.Option("--all", help="Rank every open step, with what decided its place."),
    ] = False,
    json_output: JsonFlag = False,
) -> None:
    """Suggest the step that keeps you in flow, and say why.

    A step from your skill to 2 above it is flow; more is anxiety, less is boredom. Within
    the channel mlpath aims at a stretch of 1 above your skill. It also names the step's next
    resource, up to two alternatives, the other steps in progress, and those passed over as
    too easy. With no --skill, mlpath uses your rating (`mlpath skill`); on a terminal with
    none, it asks once; in a script, it estimates from the hardest step you have done (with
    none done, you start at the beginning of the path).

    \b
    Examples:
      mlpath next
      mlpath next --skill 3
      mlpath next --all
      mlpath next --json
    """
    from mlpath import nextview

    tracker = _reading()
    value, source = _skill(tracker, skill, may_ask=not json_output)
    suggestion = advice.advise(tracker, value, source)
    if json_output:
        views.print_json(nextview.next_json(tracker, suggestion, source, everything=everything))
    elif everything:
        start = advice.at_the_start(tracker, source)
        nextview.show_ranking(suggestion, advice.basis(tracker, source), start=start)
    else:
        nextview.show_next(tracker, suggestion, source)


@app.command("skill", cls=Command)
def skill_(
    value: Annotated[
        str | None,
        typer.Argument(metavar="[S]", help="Your skill, 1-10.", show_default=False),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Show your own rating of your ML skill, or set it (1-10).

    What each level is ready for: 1 = new to ML, ready to watch and read about it; 3 = ready
    for a structured course; 6 = ready for a project of your own; 9 = ready to work on ML
    for a living.

    \b
    Examples:
      mlpath skill
      mlpath skill 4
    """
    if value is None:
        tracker = _reading()
        skill, source = _skill(tracker, None, may_ask=False)
        if json_output:
            views.print_json(
                {"skill": tracker.path.skill, "estimate": skill, "skill_source": source}
            )
        else:
            any_done = bool(tracker.ranks(Status.DONE))
            views.show_skill(skill, source, any_done, tracker.learned_skill())
        return
    rating = args.rating(value, "the skill")
    cat = _catalogue()
    with _changing(cat) as tracker:
        outcome = tracker.set_skill(rating, now())
    views.show_changes([outcome])


@app.command(cls=Command)
def rate(
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
    cat = _catalogue()
    rank = args.rank(step, cat)
    value = args.rating(challenge, "the challenge")
    with _changing(cat) as tracker:
        outcome = tracker.rate(rank, value, now())
    views.show_changes([outcome])


@app.command(cls=Command)
def checkin(
    step: Annotated[
        str | None,
        typer.Argument(
            metavar="[N]",
            help="The step; on a terminal, the step in progress by default.",
            show_default=False,
            autocompletion=args.complete_steps,
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
    cat = _catalogue()
    given = (
        args.rating(challenge, "--challenge") if challenge is not None else None,
        args.rating(skill, "--skill") if skill is not None else None,
        args.minutes(minutes) if minutes is not None else None,
    )
    asking = prompts.interactive()
    if not asking and (step is None or None in given[:2]):
        raise UsageError(
            "in a script, say the step and both figures: `mlpath checkin N --challenge C --skill S`"
        )
    rank = args.rank(step, cat) if step is not None else _step_to_check_in(cat)
    if rank is not None:
        _ask_and_check_in(cat, rank, *given)


def _step_to_check_in(cat: catalogue.Catalogue) -> int | None:
    """The one step in progress, or the one the learner names; None if they name none."""
    doing = Tracker(cat, store.read()).ranks(Status.IN_PROGRESS)
    if len(doing) == 1:
        return doing[0]
    choices = f"in progress: {', '.join(map(str, doing))}" if doing else cat.range_text()
    answer = prompts.ask_step(choices)
    if answer is None:
        views.notice("No check-in recorded.")
        return None
    return args.rank(answer, cat)


@app.command(cls=Command)
def log(
    last: Annotated[
        str | None,
        typer.Option("-n", "--last", metavar="N", help="Only the last N changes."),
    ] = None,
    step: Annotated[
        str | None,
        typer.Option(
            "--step",
            metavar="N",
            help="Only the changes to step N.",
            autocompletion=args.complete_steps,
        ),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Show the history of your changes, oldest first.

    Each change has a number, the one `mlpath undo` cites ("undid note #11"). On a terminal,
    a history taller than the screen opens in a pager ($MLPATH_PAGER, $PAGER or less).

    \b
    Examples:
      mlpath log
      mlpath log -n 10
      mlpath log --step 3
      mlpath log --json
    """
    tracker = _reading()
    count = None if last is None else args.count(last, "-n")
    rank = None if step is None else args.rank(step, tracker.catalogue)
    # Numbered in the whole log, before any filter: the numbers are the ones undo cites.
    events = [e for e in store.read_history() if e.catalogue == tracker.catalogue.id]
    numbers = {e.id: n for n, e in enumerate(events, start=1)}
    numbered = list(enumerate(events, start=1))
    if rank is not None:
        wanted = tracker.catalogue.steps[rank - 1].id
        numbered = [(n, e) for n, e in numbered if e.step == wanted]
    if count is not None:
        numbered = numbered[len(numbered) - count :] if count else []
    if json_output:
        views.print_json([views.event_json(e, tracker, n) for n, e in numbered])
    else:
        undid = {e.id: str(e.details["undoes"]) for e in events if e.action == "undo"}
        filtered = rank is not None or count is not None
        views.show_log(numbered, numbers, tracker, filtered=filtered, undid=undid)


@app.command("map", cls=Command)
def map_(
    skill: SkillOption = None,
    json_output: JsonFlag = False,
    picture: Annotated[bool, typer.Option("--svg", help="Draw the map as an SVG picture.")] = False,
    output: OutputOption = None,
    force: ForceOption = False,
    theme: ThemeOption = "light",
) -> None:
    """Draw the flow map: each step's challenge against your skill.

    The flow channel runs between anxiety (too hard, above) and boredom (too easy, below).
    Your column marks the steps (o open, x done, - skipped), each also named with its status
    and zone; below it, your skill ratings over time (^ now, ' earlier). With --svg, the same
    as a picture: points filled while open, rings once finished.

    \b
    Examples:
      mlpath map
      mlpath map --skill 6
      mlpath map --json
      mlpath map --svg -o map.svg
    """
    from mlpath import flowmap

    tracker = _reading()
    value, source = _skill(tracker, skill, may_ask=False)
    events = store.read_history()
    trail = flowmap.skill_trail(events, tracker.catalogue.id)
    if json_output:
        views.print_json(views.map_json(tracker, value, source, trail))
    elif picture:
        from mlpath import mapsvg

        drawn = mapsvg.render(tracker, value, source, trail, args.theme(theme))
        _emit(drawn, output, force, "the map")
    else:
        from mlpath.screen import width

        views.show_map(flowmap.render(tracker, value, source, events, width()))


def _emit(text: str, output: Path | None, force: bool, what: str) -> None:
    if output is None:
        screen.write_document(text)
        return
    fileio.write_output(output, text.encode("utf-8", "replace"), replace=force)
    views.notice(f"Wrote {what} to {output}.")


@app.command(cls=Command)
def journal(
    output: OutputOption = None,
    force: ForceOption = False,
    title: Annotated[
        str, typer.Option("--title", metavar="TITLE", help="The post's title.")
    ] = "My machine learning journey",
    site: Annotated[
        Path | None,
        typer.Option(
            "--site", metavar="DIR", help="Write into this Jekyll site, with the card and map."
        ),
    ] = None,
) -> None:
    """Write your learning journey as a Markdown blog post.

    A post for a GitHub Pages (Jekyll) site: front matter (layout, title, date, tags), then
    each step you have begun, in order, with its status, its dates, the resources you
    finished and your notes; then the steps still ahead. Put it in your site's _posts folder,
    or give --site DIR: the post goes into DIR/_posts, the progress card and the flow map
    into DIR/assets/mlpath, and the post shows them. No file is replaced without --force.

    \b
    Examples:
      mlpath journal
      mlpath journal -o _posts/2026-11-24-ml-journey.md
      mlpath journal --site ~/my-blog
    """
    from mlpath import journal as writer

    heading = args.words(title, "the title")
    tracker = _reading()
    events = store.read_history()
    if site is None:
        _emit(writer.render(tracker, events, now(), heading), output, force, "your journal")
        return
    if output is not None:
        raise UsageError("give --site or -o, not both: --site names the post's file itself")
    from mlpath import card, flowmap, mapsvg
    from mlpath import site as jekyll

    moment = now()
    skill, source = advice.skill_of(tracker)
    trail = flowmap.skill_trail(events, tracker.catalogue.id)
    files = {
        "post": writer.render(tracker, events, moment, heading, jekyll.images()),
        "card": card.render(tracker),
        "map": mapsvg.render(tracker, skill, source, trail, "light"),
    }
    name = f"{moment.astimezone():%Y-%m-%d}-ml-journey.md"
    data = {what: text.encode("utf-8") for what, text in files.items()}
    for path in jekyll.write(site, name, data, force):
        views.notice(f"Wrote {path}.")


@app.command(cls=Command)
def card(
    output: OutputOption = None,
    force: ForceOption = False,
    theme: ThemeOption = "light",
    shields: Annotated[
        bool, typer.Option("--shields", help="Print a shields.io endpoint badge's JSON instead.")
    ] = False,
) -> None:
    """Draw your progress card: an SVG for a README or a blog.

    The path, each step with its status, done of total, your skill, your last activity and
    the step you are on. The same progress always gives the same file, so it can be committed.
    --shields writes the JSON a shields.io endpoint badge reads instead
    (https://img.shields.io/endpoint?url=... pointing at the file in your repository).

    \b
    Examples:
      mlpath card -o progress.svg
      mlpath card --theme dark -o progress-dark.svg
      mlpath card --shields -o badge.json
    """
    from mlpath import card as cards
    from mlpath.safe import json_text

    tracker = _reading()
    if shields:
        _emit(json_text(cards.shields(tracker)) + "\n", output, force, "the badge")
    else:
        _emit(cards.render(tracker, args.theme(theme)), output, force, "the card")


@app.command(cls=Command)
def activity(
    picture: Annotated[bool, typer.Option("--svg", help="Draw the calendar as SVG.")] = False,
    output: OutputOption = None,
    force: ForceOption = False,
    theme: ThemeOption = "light",
    streak: Annotated[bool, typer.Option("--streak", help="Also show your streak.")] = False,
) -> None:
    """Show the days you changed something, over the last 53 weeks.

    A day counts when a change on it still stands (an undo and what it undid do not count).
    With --svg, the calendar as a picture ending at your last active day, so the same history
    always draws the same picture. Streaks are shown only with --streak.

    \b
    Examples:
      mlpath activity
      mlpath activity --streak
      mlpath activity --svg -o activity.svg
    """
    from mlpath import activity as rhythm

    tracker = _reading()
    days = rhythm.active_days(store.read_history(), tracker.catalogue.id)
    if picture:
        _emit(rhythm.picture(days, args.theme(theme)), output, force, "the calendar")
        return
    today = now().astimezone().date()
    views.show_lines(rhythm.terminal(days, today, views.activity_marks()))
    lines = rhythm.facts(days, today)
    if streak:
        count, span = rhythm.streak(days, today)
        grace = f"{rhythm.GRACE} day off in a row allowed"
        days_in = f"{views.count(count, 'active day')} over {views.count(span, 'day')}"
        lines.append(f"Streak: {days_in} ({grace}).")
    views.show_lines(lines)


@app.command(cls=Command)
def page(
    output: OutputOption = None,
    force: ForceOption = False,
    title: Annotated[
        str, typer.Option("--title", metavar="TITLE", help="The page's title.")
    ] = "My machine learning journey",
) -> None:
    """Write your journey as one web page to publish.

    The card, the flow map, the activity calendar and every step with its resources, its
    finish line and your notes, in one HTML file: no script, nothing fetched from elsewhere.
    It follows the reader's light or dark mode, fits a phone and prints cleanly.

    \b
    Examples:
      mlpath page -o journey.html
    """
    from mlpath import activity as rhythm
    from mlpath import card, flowmap, mapsvg
    from mlpath import page as pages

    heading = args.words(title, "the title")
    tracker = _reading()
    events = store.read_history()
    skill, source = advice.skill_of(tracker)
    trail = flowmap.skill_trail(events, tracker.catalogue.id)
    days = rhythm.active_days(events, tracker.catalogue.id)
    html = pages.render(
        tracker,
        card.render(tracker, "auto"),
        mapsvg.render(tracker, skill, source, trail, "auto"),
        rhythm.picture(days, "auto"),
        heading,
    )
    _emit(html, output, force, "the page")


@app.command(cls=Command)
def export(output: OutputOption = None, force: ForceOption = False) -> None:
    """Export everything as JSON, to back it up or move it.

    Statuses, ratings, notes and the whole history. `mlpath import` restores it, on this
    machine or another.

    \b
    Examples:
      mlpath export -o mlpath-backup.json
      mlpath export | gzip > backup.json.gz
    """
    from mlpath import exchange

    tracker = _reading()
    events = store.read_history()
    _emit(
        exchange.export(tracker.progress, events, tracker.catalogue, now()),
        output,
        force,
        "the export",
    )


@app.command("import", cls=Command)
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A file from `mlpath export`; - reads stdin.", show_default=False
        ),
    ],
    merge: Annotated[
        bool, typer.Option("--merge", help="Combine it with the progress you have.")
    ] = False,
) -> None:
    """Restore an export, or merge it into yours with --merge.

    Without --merge, the store must be empty.

    The whole file is checked first; a bad file is refused with the reason and nothing is
    written. --merge adds the changes you do not have yet and works out the state from both
    histories in the order things happened.

    \b
    Examples:
      mlpath import backup.json
      mlpath import --merge laptop.json
      mlpath import --merge - < laptop.json
    """
    from mlpath import exchange
    from mlpath.history import new_events, replay

    text = fileio.read_input(file, "export", exchange.LIMIT, BadImport)
    name = "stdin" if str(file) == "-" else str(file)
    if len(text) > views.BIG * 200:  # about 200 bytes an event
        views.working(f"checking {name} ({len(text) / 1e6:.0f} MB) before anything is written")
    imported = exchange.parse(name, text)
    if len(imported.events) > views.BIG:
        views.working(f"merging {len(imported.events):,} changes into your history")
    cat = _catalogue()
    with _changing(cat) as tracker:
        ours = store.read_history()
        added, clashes = new_events(ours, imported.events)
        if clashes:
            raise BadImport(
                f"{file}: event {clashes[0]} differs from this store's event of the same "
                "identity: not an export of the same history; nothing imported"
            )
        if not merge and (ours or tracker.progress.paths):
            raise BadImport(
                f"{store.paths().home} already holds progress ({len(ours)} changes): "
                f"`mlpath import --merge {file}` combines the two"
            )
        if added:
            tracker.absorb(added, replay([*ours, *added]))
        if not merge:  # a state its own history does not explain is recorded as changes
            for name in imported.progress.paths:
                tracker.catalogue = cat.model_copy(update={"id": name})
                tracker.reconcile(imported.progress, now())
            tracker.catalogue = cat
    views.show_imported(len(added), len(imported.events) - len(added), merge)


@app.command(cls=Command)
def doctor(
    restore: Annotated[
        bool,
        typer.Option("--restore", help="Keep damaged files aside and rebuild from the history."),
    ] = False,
    json_output: JsonFlag = False,
) -> None:
    """Check your data, the lock, the catalogue and the backups.

    Exits 1 when something is wrong: doctor replays the history and checks that what you see
    is exactly that replay. --restore never deletes: a damaged file keeps a second name
    (FILE.damaged-TIME) before it is replaced, every valid change in the history is kept,
    and your state is rebuilt from them.

    \b
    Examples:
      mlpath doctor
      mlpath doctor --restore
    """
    from mlpath import doctor as checks

    if restore:
        history = store.paths().history
        with contextlib.suppress(OSError):  # restore itself says what it cannot read
            if history.stat().st_size > views.BIG * 200:
                views.working("replaying the whole history to check it")
        done = checks.restore(now())
        _saved.append(True)
        if json_output:
            views.print_json({"restored": done})
        else:
            views.show_lines(done)
        return
    findings = checks.check(_options["catalogue"])
    if json_output:
        views.print_json(views.findings_json(findings))
    else:
        views.show_findings(findings)
    if not all(finding.ok for finding in findings):
        raise typer.Exit(1)


@app.command("sync", cls=Command)
def sync_(
    remote: Annotated[
        str | None,
        typer.Option("--remote", metavar="URL", help="Join a git repository (once per machine)."),
    ] = None,
    learner: Annotated[
        str | None,
        typer.Option("--learner", metavar="NAME", help="Whose progress, with --remote."),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", metavar="MACHINE", help="This machine's name.")
    ] = None,
    show: Annotated[
        bool, typer.Option("--status", help="Show the sync set-up, without the network.")
    ] = False,
    json_output: JsonFlag = False,
) -> None:
    """Sync your progress with your other machines through git.

    Pulls what your other machines recorded, merges it as `import --merge` would, and
    pushes what this machine recorded. Set up once per machine with --remote (any URL git
    accepts; git's own credential helpers and ssh keys log in). Notes travel as plain
    text: use a private repository.

    \b
    Examples:
      mlpath sync --remote git@github.com:you/mlpath-progress.git
      mlpath sync
      mlpath sync --status
    """
    from mlpath import sync, syncviews

    if show:
        info = sync.status()
        if json_output:
            views.print_json(info)
        else:
            syncviews.show_status(info)
        return
    cat = _catalogue()
    config = sync.configure(remote, learner)
    report = sync.run(cat, config, name)
    _saved.append(True)
    if json_output:
        views.print_json(syncviews.report_json(report, cat))
    else:
        syncviews.show_report(report, cat, joined=remote is not None)


@app.command(cls=Command)
def cohort(json_output: JsonFlag = False) -> None:
    """Show every learner in the sync repository side by side.

    Steps done, in progress, skill and last activity of each learner whose machines sync
    to the same repository. Read-only.

    \b
    Examples:
      mlpath cohort
      mlpath cohort --json
    """
    from mlpath import cohort as learners
    from mlpath import syncviews

    found = learners.rows(_catalogue())
    if json_output:
        views.print_json(found)
    else:
        syncviews.show_cohort(found)


@app.command(cls=Command)
def where(json_output: JsonFlag = False) -> None:
    """Show where your data and catalogue are.

    The data folder, progress.toml, history.jsonl, the backups and the catalogue in use,
    with their sizes.

    \b
    Examples:
      mlpath where
      mlpath where --json
    """
    path, bundled = catalogue.selected_path(_options["catalogue"])
    info = views.where_json(store.paths(), path, bundled)
    if json_output:
        views.print_json(info)
    else:
        views.show_where(info)


@app.command("help", cls=Command)
def help_(
    ctx: typer.Context,
    topic: Annotated[
        str | None,
        typer.Argument(
            metavar="[COMMAND]",
            help="A command, or json for the keys that every --json prints.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Show help for mlpath, a command, or the keys of --json.

    The same as `mlpath -h` and `mlpath COMMAND -h`.

    \b
    Examples:
      mlpath help
      mlpath help next
      mlpath help json
    """
    from mlpath import jsonkeys

    root = ctx.find_root()
    if topic == "json":
        typer.echo(jsonkeys.text())
        return
    if topic is None:
        typer.echo(root.get_help())
        return
    group: Any = root.command
    command = group.get_command(root, topic)
    if command is None:
        from difflib import get_close_matches

        from mlpath.usage import either

        close = [repr(name) for name in get_close_matches(topic, [*group.commands, "json"])]
        hint = f" (did you mean {either(close)}?)" if close else ""
        raise UsageError(f"no help on {topic!r}{hint}; `mlpath help` lists the commands")
    typer.echo(command.get_help(ctx.__class__(command, info_name=topic, parent=root)))


def _invoked(argv: list[str]) -> str | None:
    """The command a command line runs, if it is plainly one: `--catalogue F done 3` -> done."""
    words = iter(argv)
    for word in words:
        if word == "--catalogue":
            next(words, None)
        elif word.startswith("--catalogue="):
            continue
        elif word.startswith("-") or word == "help":
            return None  # --help, help, --version, completion: the whole app answers
        else:
            return word
    return None


def main() -> None:
    # Typer turns every registered command into a click command on each start (~5 ms for
    # all of them). Build only the one being run; help, completion and unknown words get
    # the whole app, so their answers (lists, suggestions) are complete.
    import os
    import sys

    name = _invoked(sys.argv[1:])
    if name and not os.environ.get("_MLPATH_COMPLETE"):
        chosen = [
            info
            for info in app.registered_commands
            if (info.name or getattr(info.callback, "__name__", "")) == name
        ]
        if chosen:
            app.registered_commands = chosen
    app(prog_name="mlpath")
