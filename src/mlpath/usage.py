"""How the command line explains itself: help pages with plain argument names, and usage
errors as one line in mlpath's own voice.

typer and click differ between the versions mlpath allows (typer 0.15 uses click, later
typers carry their own copy, which writes arguments as `{N}` and `N <str>`), so help and
errors are written here from the parameters and the exception, never from their wording.
"""

from __future__ import annotations

import re
from typing import Any

from typer.core import TyperCommand

MAX_SUMMARY = 60  # `mlpath -h` cuts a command's first sentence at 78 - 6 - the longest name


def _arguments(ctx: Any, command: Any) -> list[Any]:
    return [p for p in command.get_params(ctx) if p.param_type_name == "argument"]


def usage_name(param: Any) -> str:
    """An argument as the usage line shows it: `N`, `[S]`, `N[.K]...`."""
    name = str(param.metavar or param.name.upper())
    if not param.required and not name.startswith("["):
        name = f"[{name}]"
    return name + ("..." if param.nargs == -1 else "")


class Command(TyperCommand):
    """A command whose help names its arguments as a manual does: `mlpath show N`."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return ["[OPTIONS]", *(usage_name(p) for p in _arguments(ctx, self))]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments = [(usage_name(p), p.help or "") for p in _arguments(ctx, self)]
        options = [
            record
            for p in self.get_params(ctx)
            if p.param_type_name == "option" and (record := p.get_help_record(ctx))
        ]
        for title, records in (("Arguments", arguments), ("Options", options)):
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


# -- usage errors --------------------------------------------------------------------------

_EXTRA = re.compile(r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)")
_MEAN = re.compile(r"\.? Did you mean (.*)\?$")
_NAMED = re.compile(r"'(-{1,2}[\w-]+|[A-Z][A-Z.\[\]]*)'")  # an option or an argument, quoted


def either(choices: list[str]) -> str:
    return choices[0] if len(choices) == 1 else f"{', '.join(choices[:-1])} or {choices[-1]}"


def _sentence(message: str) -> str:
    """Click's sentence as a clause of one line: 'Missing argument 'N'.' -> 'missing argument N'."""
    message = message.strip()
    extra = _EXTRA.fullmatch(message)
    if extra:
        words = extra.group(1).split()
        return f"unexpected {'argument' if len(words) == 1 else 'arguments'} {extra.group(1)}"
    hint = ""
    mean = _MEAN.search(message)
    if mean:
        hint = f" (did you mean {either([m.strip() for m in mean.group(1).split(',')])}?)"
        message = message[: mean.start()]
    message = _NAMED.sub(r"\1", message.rstrip("."))  # 'N', '--skill': as mlpath names them
    if message[:1].isupper() and message[1:2].islower():
        message = message[0].lower() + message[1:]
    return message + hint


_UNKNOWN = re.compile(r"No such command '(.*?)'")


def usage_line(exc: Any, command: str | None, commands: dict[str, bool]) -> str:
    """One line for a usage error from the parser, pointing at the help that answers it.

    `command` is the command being parsed, if the parser got that far; `commands` are all
    of them, each with whether it takes --json: for the one mistake worth its own answer,
    an option of a command given before any command (`mlpath --json`).
    """
    from difflib import get_close_matches

    path = [command] if command else []
    where = f"`mlpath help {command}`" if command else "`mlpath help`"
    unknown = _UNKNOWN.match(exc.format_message())
    if unknown:  # suggested here: older typers do not
        close = [repr(name) for name in get_close_matches(unknown.group(1), list(commands))]
        hint = f" (did you mean {either(close)}?)" if close else ""
        return f"no such command {unknown.group(1)!r}{hint}; see {where}"
    option = getattr(exc, "option_name", None)
    if type(exc).__name__ == "NoSuchOption" and option:
        if not path and option == "--json":
            json_commands = [name for name, has_json in commands.items() if has_json]
            return (
                f"--json goes after a command, as in `mlpath {json_commands[0]} --json`; "
                f"it works with {', '.join(json_commands)}"
            )
        close = list(getattr(exc, "possibilities", None) or [])
        hint = f" (did you mean {either(close)}?)" if close else ""
        return f"no such option {option}{hint}; see {where}"
    return f"{_sentence(exc.format_message())}; see {where}"
