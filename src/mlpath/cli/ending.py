"""How a command that failed ends: one line on stderr and its exit code (docs/design.md,
"Errors and exit codes"). The typer app (cli/base.py's _Group), the first dispatch's
write road (cli/marking.py) and its reads (cli/first.py) all end here, so that their
messages cannot drift; typer is not imported.
"""

from __future__ import annotations

from mlpath.errors import MlpathError, OutputLost, reason
from mlpath.views import streams

# What `failed` answers; anything else that escapes is a bug and keeps its traceback.
ENDINGS = (MlpathError, KeyboardInterrupt, PermissionError)


def failed(exc: BaseException, command: str | None, saved: bool) -> int:
    """Say what went wrong in one line and return the exit code. `command` is the command
    that ran (None if none did); `saved` whether this run committed a change: then no line
    may say that nothing was written, and a lost report is no failure for a script to
    retry."""
    if isinstance(exc, OutputLost):
        streams.abandon()
        if saved:  # the change stands: a script must not retry it
            streams.error(f"{command}: the change is saved; only its report was lost ({exc})")
            return 0
        if not exc.pipe_closed:  # a reader that stopped reading needs no message
            streams.error(str(exc))
        return 141 if exc.pipe_closed else 1
    if isinstance(exc, MlpathError):
        streams.error(str(exc))
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        streams.error("interrupted; " + ("the change is saved" if saved else "nothing was written"))
        return 130
    if isinstance(exc, PermissionError):
        # A file or folder of the learner's that this user may not read or enter, met
        # where no check expected it: one line, never a traceback.
        written = "; the change is saved" if saved else "; nothing was written"
        streams.error(f"cannot use {exc.filename}: {reason(exc)}{written}")
        return 1
    raise exc
