"""The command line: parse, call the application layer (mlpath.app), hand the result to a view.

The commands register on `app` as their modules are imported, and `mlpath -h` lists them in
that order: where you stand, changing it, sharing it, looking after the store.
"""

# isort: off
from mlpath.cli import reading  # noqa: F401  (status, list, show, next, open, skill, map, log)
from mlpath.cli import changing  # noqa: F401  (start, done, skip, reset, note, checkin, ...)
from mlpath.cli import sharing  # noqa: F401  (journal, card, activity, page, export, import)
from mlpath.cli import care  # noqa: F401  (doctor, sync, cohort, where, help)
from mlpath.cli.base import app, main

# isort: on

__all__ = ["app", "main"]
