"""The command line: parse, call the application layer (mlpath.app), hand the result to a view.

`main` (the console script) is cli/first.py's dispatch, which answers the read commands from
the store's read cache before typer is imported, and hands everything else to `app`. The
commands register on `app` as their modules are imported, and `mlpath -h` lists them in
that order: where you stand, changing it, sharing it, looking after the store.
"""

from __future__ import annotations

TYPE_CHECKING = False  # importing typer here would cost the fast road all it saves
if TYPE_CHECKING:
    import typer

__all__ = ["app", "main"]


def main() -> None:
    from mlpath.cli import first

    first.main()


def __getattr__(name: str) -> typer.Typer:
    if name != "app":
        raise AttributeError(f"module 'mlpath.cli' has no attribute {name!r}")
    # isort: off
    from mlpath.cli import reading  # noqa: F401  (status, list, show, next, open, skill, map, log)
    from mlpath.cli import changing  # noqa: F401  (start, done, skip, reset, note, checkin, ...)
    from mlpath.cli import sharing  # noqa: F401  (journal, card, activity, page, export, import)
    from mlpath.cli import care  # noqa: F401  (doctor, sync, cohort, where, help)
    from mlpath.cli.base import app

    # isort: on
    return app
