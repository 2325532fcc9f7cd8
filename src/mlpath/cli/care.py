"""The commands that look after the store: doctor, sync, cohort, where; and help."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from mlpath.cli.base import JsonFlag, app, session
from mlpath.errors import UsageError
from mlpath.usage import Command
from mlpath.views import results, screen, screens


@app.command(cls=Command)
def doctor(
    ctx: typer.Context,
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
    now = session(ctx)
    if restore:
        done = now.restore(screens.working)
        if json_output:
            screens.print_json({"restored": done})
        else:
            screen.emit(done)
        return
    health = now.check()
    results.show(health, json_output)
    if not health.ok:
        raise typer.Exit(1)


@app.command("sync", cls=Command)
def sync_(
    ctx: typer.Context,
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
    now = session(ctx)
    found = now.sync_setup() if show else now.sync(remote, learner, name)
    results.show(found, json_output)


@app.command(cls=Command)
def cohort(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """Show every learner in the sync repository side by side.

    Steps done, in progress, skill and last activity of each learner whose machines sync
    to the same repository. Read-only.

    \b
    Examples:
      mlpath cohort
      mlpath cohort --json
    """
    results.show(session(ctx).cohort(), json_output)


@app.command(cls=Command)
def where(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """Show where your data and catalogue are.

    The data folder, progress.toml, history.jsonl, the backups and the catalogue in use,
    with their sizes.

    \b
    Examples:
      mlpath where
      mlpath where --json
    """
    results.show(session(ctx).where(), json_output)


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
