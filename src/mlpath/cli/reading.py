"""The commands that show where the learner stands: status, list, show, next, open, skill,
map and log."""

from __future__ import annotations

from typing import Annotated

import typer

from mlpath import args
from mlpath.cli.base import (
    ForceOption,
    JsonFlag,
    OutputOption,
    SkillOption,
    StepArg,
    ThemeOption,
    app,
    asking,
    complete_refs,
    complete_steps,
    emit_document,
    session,
)
from mlpath.core import advice
from mlpath.usage import Command
from mlpath.views import results, screen, screens


@app.command(cls=Command)
def status(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """Show how far along you are and what comes next.

    A progress bar of steps done and skipped, what is in progress, your skill, your last
    activity, and a one-line hint of what to do next. Bare `mlpath` shows the same.

    \b
    Examples:
      mlpath status
      mlpath status --json
    """
    results.show(session(ctx).status(), json_output)


@app.command("list", cls=Command)
def list_(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """List the steps with their challenge and your status.

    The challenge is the catalogue's, or your own rating (marked *) after `mlpath rate`.

    \b
    Examples:
      mlpath list
      mlpath list --json
    """
    results.show(session(ctx).listing(), json_output)


@app.command(cls=Command)
def show(ctx: typer.Context, step: StepArg, json_output: JsonFlag = False) -> None:
    """Show one step in full, with its resources.

    Resources are numbered N.K; open one with `mlpath open N.K`.

    \b
    Examples:
      mlpath show 3
      mlpath show 3 --json
    """
    results.show(session(ctx).step(step), json_output)


@app.command("next", cls=Command)
def next_(
    ctx: typer.Context,
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
    found = session(ctx).suggest(skill, asking(not json_output), everything)
    results.show(found, json_output)


@app.command("open", cls=Command)
def open_(
    ctx: typer.Context,
    ref: Annotated[
        str | None,
        typer.Argument(
            metavar="[N[.K]]",
            help="A step (its first unfinished resource) or one resource, as `mlpath show` "
            "numbers it; none: the next resource of the step `mlpath next` suggests.",
            show_default=False,
            autocompletion=complete_refs,
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

    now = session(ctx)
    cat = now.catalogue
    if ref is None:
        suggested = now.suggest(None, None, everything=False).suggestion.step
        if suggested is None:
            screen.emit(["Nothing to open: the path is complete."])
            return
        rank, number = suggested.rank, None
    else:
        rank, number = args.ref(ref, cat)
    if number is None:
        cat.resource(rank, 1)  # a step without resources: says so, exit 2
        found = advice.next_resource(now.tracker, rank)
        if found is None:
            screen.emit(
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
    screens.show_opened(resource.title, resource.url, opened)


@app.command("skill", cls=Command)
def skill_(
    ctx: typer.Context,
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
        results.show(session(ctx).skill_shown(), json_output)
        return
    outcome = session(ctx).set_skill(args.rating(value, "the skill"))
    screens.show_changes([outcome])


@app.command("map", cls=Command)
def map_(
    ctx: typer.Context,
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
    and zone; below it, your skill ratings over time (^ now, ' earlier), and from 8 check-ins
    on, how they fall in the eight channels of flow. With --svg, a picture: points filled
    while open, rings once finished, and beneath them your skill after each rating and
    check-in, against time, and your check-ins placed in the eight channels.

    \b
    Examples:
      mlpath map
      mlpath map --skill 6
      mlpath map --json
      mlpath map --svg -o map.svg
    """
    found = session(ctx).flow_map(skill)
    if picture and not json_output:
        from mlpath.views import mapsvg

        drawn = mapsvg.render(
            found.tracker, found.skill, found.source, found.events, args.theme(theme)
        )
        emit_document(drawn, output, force, "the map")
    else:
        results.show(found, json_output)


@app.command(cls=Command)
def log(
    ctx: typer.Context,
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
            autocompletion=complete_steps,
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
    now = session(ctx)
    count = None if last is None else args.count(last, "-n")
    rank = None if step is None else args.rank(step, now.catalogue)
    results.show(now.log(count, rank, screens.working), json_output)
