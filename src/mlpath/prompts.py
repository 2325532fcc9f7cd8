"""Questions mlpath asks on a terminal, and only there: never in a pipe, a script or CI."""

from __future__ import annotations

import sys

import typer

from mlpath.args import rating
from mlpath.errors import UsageError

SCALE = (
    "  1 = new to it, 4 = finished a course, 7 = built projects of your own, "
    "10 = do it for a living"
)


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def ask_skill() -> int:
    """Ask until the answer is a rating."""
    typer.echo(f"How would you rate your ML skill, 1-10?\n{SCALE}")
    while True:
        answer: str = typer.prompt("Skill")
        try:
            return rating(answer, "skill")
        except UsageError as exc:
            typer.echo(str(exc), err=True)


def offer_rerate(current: int | None) -> int | None:
    """After finishing a step, the flow channel may have moved: offer a new rating.

    Enter alone keeps things as they are.
    """
    if current is None:
        typer.echo(f"Rate your ML skill so `mlpath next` can fit steps to you:\n{SCALE}")
    else:
        typer.echo(f"Your skill is {current} of 10. Has it grown?")
    while True:
        answer: str = typer.prompt(
            "New rating 1-10, or Enter to keep it", default="", show_default=False
        )
        if not answer.strip():
            return None
        try:
            return rating(answer, "skill")
        except UsageError as exc:
            typer.echo(str(exc), err=True)
