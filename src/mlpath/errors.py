"""The kinds of failure mlpath reports, each with its exit code.

Raise one where the problem is found; the CLI turns it into one line on stderr and the exit
code. Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

from typing import Any


class MlpathError(Exception):
    """A problem a person can act on. The message is the whole story, in one line."""

    exit_code = 1


class UsageError(MlpathError):
    """The command line asked for something that does not exist (a step 9, a skill of 11)."""

    exit_code = 2


class CatalogueError(MlpathError):
    """The catalogue file is missing or does not validate."""


class StoreError(MlpathError):
    """The learner's files cannot be read, trusted or written. The message names the path."""


class StoreTooNew(StoreError):
    """The file was written by a newer mlpath: not damage, and never to be replaced."""


class BadImport(MlpathError):
    """An export file that cannot be imported. Checked whole before anything is written."""


class StoreBusy(MlpathError):
    """Another mlpath holds the store's lock."""

    exit_code = 75  # EX_TEMPFAIL: try again later


class OutputLost(MlpathError):
    """stdout cannot be written: closed, a full device, a reader that went away. Raised only
    by screen.write; the CLI says whether the command's change was made before it."""

    def __init__(self, message: str, *, pipe_closed: bool = False) -> None:
        super().__init__(message)
        self.pipe_closed = pipe_closed


class SyncError(MlpathError):
    """Sync could not finish: no git, no network, a refused push, a repository that is not
    mlpath's. The local store is left as the last completed step left it."""


def reason(exc: OSError) -> str:
    """The cause in a person's words: 'no space left on device', 'permission denied'."""
    return (exc.strerror or str(exc)).lower()


def first_error(exc: Any) -> tuple[list[str], str]:
    """The first problem of a pydantic ValidationError: the path of the field it is in, and
    what is wrong, as pydantic says it. Every message about a file that failed its model
    starts from here."""
    error = exc.errors(include_url=False)[0]
    return [str(part) for part in error["loc"]], str(error["msg"])
