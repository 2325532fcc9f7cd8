"""Questions mlpath asks on a terminal, and only there: never in a pipe, a script or CI.

typer (click's prompt) is imported when a question is asked, not before: a change in a
script imports this module and asks nothing (cli/first.py takes it without typer).
"""

from __future__ import annotations

from pathlib import Path

from mlpath.args import rating
from mlpath.errors import UsageError
from mlpath.views.screen import interactive as interactive  # where the commands ask it

# What a learner at each level is ready for, matching what `next` suggests at that skill.
SCALE = (
    "  1 = new to ML, ready to watch and read about it; 3 = ready for a structured course;\n"
    "  6 = ready for a project of your own; 9 = ready to work on ML for a living"
)


def _echo(text: str = "", *, err: bool = False) -> None:
    import typer

    typer.echo(text, err=err)


def _ask(question: str, **options: object) -> str | None:
    """One answer; None at the end of input (Ctrl-D). Ctrl-C stays an interrupt (exit 130).

    Click's prompt turns both into the same Abort, but keeps the original as its context.
    """
    import typer

    try:
        answer: str = typer.prompt(question, **options)  # type: ignore[arg-type]
    except OSError:  # the terminal went away mid-question: no answer
        return None
    except typer.Abort as exc:
        _echo(err=True)  # end the prompt's line before anything else is said
        if isinstance(exc.__context__, KeyboardInterrupt):
            raise KeyboardInterrupt from None
        return None
    return answer


ATTEMPTS = 5  # wrong answers before a question gives up: a stuck input must not loop forever


def _rating_answer(question: str, what: str = "skill") -> int | None:
    """A rating from 1 to 10, asked again after a wrong one. None for no answer: Enter, the
    end of input, or ATTEMPTS answers that are not ratings."""
    for _ in range(ATTEMPTS):
        answer = _ask(question, default="", show_default=False)
        if answer is None or not answer.strip():
            return None
        try:
            return rating(answer, what)
        except UsageError as exc:
            _echo(str(exc), err=True)
    return None


def ask_yes(question: str) -> bool:
    """A yes or no; Enter is yes. The end of input, or ATTEMPTS unclear answers, is no."""
    for _ in range(ATTEMPTS):
        answer = _ask(f"{question} [Y/n]", default="", show_default=False)
        if answer is None:
            return False
        word = answer.strip().lower()
        if word in ("", "y", "yes"):
            return True
        if word in ("n", "no"):
            return False
        _echo(f"Answer y or n, not {answer!r}.", err=True)
    return False


def ask_skill() -> int | None:
    """The learner's skill; None when they would rather not say (the caller estimates)."""
    _echo(f"How would you rate your ML skill, 1-10? (Enter to skip)\n{SCALE}")
    return _rating_answer("Skill")


def ask_step(choices: str) -> str | None:
    """Which step to check in on; None for no answer."""
    answer = _ask(f"Check in on which step? ({choices})", default="", show_default=False)
    return answer.strip() or None if answer is not None else None


def ask_checkin(label: str, challenge: int | None, skill: int | None) -> tuple[int, int] | None:
    """The two questions of experience sampling, those not answered already; None when
    the learner skips (Enter or the end of input): nothing is recorded then."""
    _echo(f"How does {label} feel right now? (1-10, Enter to skip)")
    if challenge is None:
        challenge = _rating_answer("How challenging is it", "the challenge")
        if challenge is None:
            return None
    if skill is None:
        skill = _rating_answer("How skilled do you feel at it", "the skill")
        if skill is None:
            return None
    return challenge, skill


def edit(text: str) -> str | None:
    """`text` as the learner leaves it in $VISUAL or $EDITOR (vi where neither is set); None
    when the editor cannot be run or fails, so that nothing is changed."""
    import os
    import shlex
    import subprocess
    import tempfile

    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory(prefix="mlpath-") as folder:
        path = Path(folder) / "note.txt"
        path.write_text(text + "\n", encoding="utf-8")
        try:
            done = subprocess.run([*shlex.split(command), str(path)], check=False)
            return path.read_text(encoding="utf-8") if done.returncode == 0 else None
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            _echo(f"mlpath: cannot edit with {command!r}: {exc}", err=True)
            return None
