"""The first dispatch: `main()`, the console script, before typer is imported.

The commands that only read and show where the learner stands (bare `mlpath`, `status`,
`list`, `show N`, `next` with `--skill S` and `--all`, each with `--json`, after
`--catalogue FILE`) are answered from the store's read cache (store/readcache.py) when it is
the model of the files as they are, with the same views as the full road. The plain changes
(`start`, `done`, `skip`, `reset` with their step and resource refs; `note N TEXT`, `rate N
C`, `skill S`, `checkin N --challenge C --skill S [--minutes M]`, `undo`, `redo`; each after
`--catalogue FILE`), where nothing will be asked (not on a terminal), run their one body
(cli/marking.py) without typer or click. Everything else
(help, completion, every usage error, an option or a word this does not know, a cache that
misses, a question that may be asked) goes to the typer app unchanged, as if this did not
exist. MLPATH_FULL_ROAD=1 sends everything there (the tests compare both roads), and so
does a shell's completion request (_MLPATH_COMPLETE: bash calls bare `mlpath` for it).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from typing import Any

COMMANDS = {"status", "list", "show", "next"}
CHANGES = {"start", "done", "skip", "reset"}  # cli/marking.py's STATUS
# The other changes in their plain forms: how many words each takes (none an option).
WORDS = {"note": 2, "rate": 2, "skill": 1, "undo": 0, "redo": 0}
CHECKIN = {"--challenge": "challenge", "--skill": "skill", "--minutes": "minutes"}
COMPLETE = "_MLPATH_COMPLETE"  # click's completion variable for prog_name "mlpath"


def main() -> None:
    if not os.environ.get("MLPATH_FULL_ROAD") and COMPLETE not in os.environ:
        code = fast(sys.argv[1:])
        if code is not None:
            if code:
                raise SystemExit(code)
            return
    full()


def full() -> None:
    """The typer app, with every command registered (cli/__init__.py's order). typer turns
    every registered command into click's before it parses a word (a tenth of a change's
    instructions for 28 commands), so a line that names a command gets a group of that
    one: the same parse, help and errors (no message of a command's own names another;
    `help` does, and gets them all)."""
    from mlpath.cli import app as typed

    app: Any = typed  # typer.Typer, imported only here
    everything = app.registered_commands
    name = named(sys.argv[1:])
    if name is not None and name != "help":
        only = [info for info in everything if _name(info) == name]
        app.registered_commands = only or everything
    try:
        app(prog_name="mlpath")
    finally:
        app.registered_commands = everything


def named(argv: list[str]) -> str | None:
    """The command a line names in its first word, after --catalogue FILE, if any."""
    words = list(argv)
    if words[:1] == ["--catalogue"] and len(words) > 1:
        words = words[2:]
    elif words[:1] and words[0].startswith("--catalogue="):
        words = words[1:]
    return words[0] if words and not words[0].startswith("-") else None


def _name(info: Any) -> str:
    """A registered command's name as typer gives it."""
    return str(info.name or info.callback.__name__.lower().replace("_", "-"))


def parse(argv: list[str]) -> dict[str, Any] | None:
    """The command and its options, or None for anything but the plain forms known here."""
    found: dict[str, Any] = {"catalogue": None, "json": False, "skill": None, "all": False}
    words = list(argv)
    while words and words[0].startswith("--catalogue"):
        word = words.pop(0)
        if word == "--catalogue" and words:
            found["catalogue"] = words.pop(0)
        elif word.startswith("--catalogue="):
            found["catalogue"] = word.removeprefix("--catalogue=")
        else:
            return None
    if found["catalogue"] is not None and found["catalogue"][:1] in ("", "-"):
        return None
    command = words.pop(0) if words else "status"  # bare `mlpath` shows the status
    if command in CHANGES:  # refs only, one or more: each is checked against the catalogue
        if not words or any(word.startswith("-") for word in words):
            return None
        return {"catalogue": found["catalogue"], "command": command, "refs": words}
    if command in WORDS or command == "checkin":
        return _plain_change(found["catalogue"], command, words)
    if command not in COMMANDS:
        return None
    found["command"] = command
    found["step"] = None
    while words:
        word = words.pop(0)
        if word == "--json":
            found["json"] = True
        elif command == "next" and word == "--all":
            found["all"] = True
        elif command == "next" and word == "--skill" and words:
            found["skill"] = words.pop(0)
        elif command == "next" and word.startswith("--skill="):
            found["skill"] = word.removeprefix("--skill=")
        elif command == "show" and found["step"] is None and not word.startswith("-"):
            found["step"] = word
        else:
            return None
    if command == "show" and found["step"] is None:
        return None
    return found


def _plain_change(catalogue: str | None, command: str, words: list[str]) -> dict[str, Any] | None:
    """`note N TEXT`, `rate N C`, `skill S`, `undo`, `redo`, and `checkin N --challenge C
    --skill S [--minutes M]` (each option once, as `--name V` or `--name=V`): their words,
    or None for any other form (TEXT '-' reads stdin: the full road reads it)."""
    found: dict[str, Any] = {"catalogue": catalogue, "command": command, "refs": []}
    if command != "checkin":
        if len(words) != WORDS[command] or any(word[:1] in ("", "-") for word in words):
            return None
        found["words"] = words
        return found
    if not words or words[0][:1] in ("", "-"):
        return None
    found["words"] = [words.pop(0)]
    given: dict[str, str] = {}
    while words:
        name, _, value = words.pop(0).partition("=")
        if not _ and words:
            value = words.pop(0)
        if name not in CHECKIN or CHECKIN[name] in given or value[:1] in ("", "-"):
            return None
        given[CHECKIN[name]] = value
    if "challenge" not in given or "skill" not in given:
        return None
    found.update(given)
    return found


def fast(argv: list[str]) -> int | None:
    """The exit code of a command answered here, or None: the full road answers it."""
    found = parse(argv)
    if found is None:
        return None
    if found["command"] in CHANGES or found["command"] in WORDS or found["command"] == "checkin":
        return _change(found)
    import gc

    # A read model of 5,000 steps is some 30,000 objects and no cycle among them: the cycle
    # collector, left on, walks them again and again as they are made (a twentieth of
    # `status`). Whatever it would find waits for the full road, or for the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from mlpath import fastroad

        show = fastroad.answer(found)
        return None if show is None else _write(show)
    finally:
        if collecting:
            gc.enable()


def _change(found: dict[str, Any]) -> int | None:
    """A plain change in a script (cli/marking.py), or None: on a terminal a change may ask
    (a step's resources all finished, a check-in), and the questions are click's."""
    from mlpath.views import screen

    if screen.interactive():
        return None
    from mlpath.cli import marking

    return marking.answer(found)


def _write(show: Any) -> int | None:
    """Print, with the full road's answers to a stream that fails (cli/ending.py)."""
    from mlpath.errors import MlpathError
    from mlpath.views import screen

    screen.prepare()
    try:
        show()
    except (MlpathError, KeyboardInterrupt) as exc:  # OutputLost, or found before printing
        from mlpath.cli import ending

        return ending.failed(exc, None, saved=False)
    except Exception:  # a cached model the views cannot read: the full road answers
        return None  # (nothing was printed: the views write once, at the end)
    return 0
