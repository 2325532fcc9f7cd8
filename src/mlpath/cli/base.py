"""The command line's frame: the app and its one-line errors, the options the commands
share, the Session each command gets from its context, and main()."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from mlpath import __version__, args, usage
from mlpath.app import Session
from mlpath.cli import ending
from mlpath.errors import OutputLost, reason
from mlpath.store import fileio
from mlpath.views import prompts, screens, streams


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
        screens.error(usage.usage_line(exc, self.parsing, commands))
        raise typer.Exit(2) from None

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except _click_usage_error() as exc:
            self._usage(exc)
        except OSError as exc:  # --help, --version, --show-completion: click's echo
            raise typer.Exit(_lost(exc)) from None

    def _main_shell_completion(self, *args: Any, **kwargs: Any) -> None:
        """A shell's request for completions (_MLPATH_COMPLETE), answered before any
        context is made: a stdout that fails it is one line too, not a traceback."""
        try:
            super()._main_shell_completion(*args, **kwargs)
        except OSError as exc:
            raise SystemExit(_lost(exc)) from None

    def invoke(self, ctx: Any) -> Any:
        streams.prepare()
        try:
            return super().invoke(ctx)
        except _click_usage_error() as exc:
            self._usage(exc)
        except ending.ENDINGS as exc:  # one line and its exit code, as the write road says it
            raise typer.Exit(ending.failed(exc, ctx.invoked_subcommand, _saved(ctx))) from None
        except OSError as exc:  # a command's --help, and `help`: click's echo
            if _saved(ctx):
                raise
            raise typer.Exit(_lost(exc)) from None


def _lost(exc: OSError) -> int:
    """What click printed itself (help, the version, a completion script, completions)
    did not reach stdout: as streams.write's OutputLost, one line and exit code 1, or 141
    for a reader that went away. An OSError raised anywhere but in click's echo goes on."""
    inner = exc.__traceback__
    while inner is not None and inner.tb_next is not None:
        inner = inner.tb_next
    code = inner.tb_frame.f_code if inner is not None else None
    if code is None or code.co_name != "echo" or not code.co_filename.endswith("utils.py"):
        raise exc
    streams.abandon()
    if isinstance(exc, BrokenPipeError):
        return 141
    screens.error(f"cannot write to stdout: {reason(exc)}")
    return 1


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


def _chosen(ctx: typer.Context) -> Path | None:
    """The --catalogue FILE of the line being completed: a shell's completion request parses
    the line without running the app's callback, so there is no Session to ask. The oldest
    typer allowed (0.15) leaves the value as the text typed, a str; newer ones give a Path."""
    value = ctx.find_root().params.get("catalogue_file")
    if isinstance(value, str) and value:
        return Path(value)
    return value if isinstance(value, Path) else None


def complete_steps(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Step numbers for the shell, from the catalogue the line chose."""
    return args.complete_steps(_chosen(ctx), incomplete)


def complete_refs(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Step and resource numbers for the shell, from the catalogue the line chose."""
    return args.complete_refs(_chosen(ctx), incomplete)


StepsArg = Annotated[
    list[str],
    typer.Argument(
        metavar="N[.K]",
        help="Steps as `mlpath list` numbers them, or resources as `mlpath show` does (3.2).",
        show_default=False,
        autocompletion=complete_refs,
    ),
]


StepArg = Annotated[
    str,
    typer.Argument(
        metavar="N",
        help="A step number as `mlpath list` shows it.",
        show_default=False,
        autocompletion=complete_steps,
    ),
]


# Note numbers are read by args.note_number, in mlpath's words (typer's int would answer
# in its own, and show its range in the help as [x>=1]).
EditNumber = Annotated[
    str | None,
    typer.Option(
        "--edit", metavar="K", help="Change note K, as `mlpath show N` numbers the notes."
    ),
]
DeleteNumber = Annotated[
    str | None,
    typer.Option(
        "--delete", metavar="K", help="Delete note K, as `mlpath show N` numbers the notes."
    ),
]


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
    ctx.obj = Session(catalogue_file, screens.notice)
    if ctx.invoked_subcommand is None:
        from mlpath.cli.reading import status

        status(ctx, json_output=False)


def session(ctx: typer.Context) -> Session:
    """This run's Session: made by the app's callback, from --catalogue."""
    found: Session = ctx.find_root().obj
    return found


def asking(may_ask: bool = True) -> Callable[[], int | None] | None:
    """The first-run skill question, where it may be asked: on a terminal, and not for JSON."""
    return prompts.ask_skill if may_ask and prompts.interactive() else None


def emit_document(text: str | Iterable[str], output: Path | None, force: bool, what: str) -> None:
    """A document to stdout or to `-o FILE`, whole or in chunks as they are made (an export
    of a long history): into -o's temporary file, so that a failure half-way writes none."""
    chunks = [text] if isinstance(text, str) else text
    if output is None:
        for chunk in chunks:
            _write_document(chunk)
        return
    data = (chunk.encode("utf-8", "replace") for chunk in chunks)
    fileio.write_output(output, data, replace=force)
    screens.notice(f"Wrote {what} to {output}.")


def _write_document(content: str) -> None:
    """A document (an export, a journal) in UTF-8 whatever the locale: the bytes -o writes."""
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:
        streams.write(content)
        return
    streams.write("")  # what is already buffered as text goes first
    try:
        binary.write(content.encode("utf-8", "replace"))
        binary.flush()
    except BrokenPipeError:
        raise OutputLost("the reader of stdout has gone", pipe_closed=True) from None
    except OSError as exc:
        raise OutputLost(f"cannot write to stdout: {reason(exc)}") from None


def _saved(ctx: Any) -> bool:
    """Whether this run committed a change: then no failure after it may say otherwise."""
    return bool(getattr(ctx.obj, "saved", False))


def main() -> None:
    app(prog_name="mlpath")
