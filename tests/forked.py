"""mlpath processes forked from one that has imported mlpath already, for the tests that kill
a process at random moments of its work: a real process, killed with SIGKILL, without the
start-up (importing typer, rich, pydantic) that a new interpreter pays each time.

A kill during start-up proves nothing (nothing is touched yet), so a forked process says it
is ready just before it runs the command, and the kill's delay counts from there: every kill
lands in the command's own work, or after it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable
from multiprocessing.synchronize import Event
from pathlib import Path

# One server per test process, started on first use; it exits with the process that made it.
_CONTEXT = multiprocessing.get_context("forkserver")
# The first dispatch and every command of the typer app (mlpath.cli imports them lazily).
_CONTEXT.set_forkserver_preload(
    [f"mlpath.cli.{name}" for name in ("first", "reading", "changing", "sharing", "care")]
    + ["tests.writer"]
)


def _main(argv: list[str]) -> None:
    from mlpath.cli import main

    sys.argv = ["mlpath", *argv]
    main()


def _writer(argv: list[str]) -> None:
    from tests import writer

    sys.argv = ["writer", *argv]
    writer.main()


def _child(
    entry: Callable[[list[str]], None],
    argv: list[str],
    env: dict[str, str],
    ready: Event,
    out: str | None,
) -> None:
    os.setsid()  # a group of its own: a kill takes its children (git) with it, as a power cut
    os.environ.clear()
    os.environ.update(env)
    time.tzset()
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    if out is not None:
        os.dup2(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 1)
    ready.set()
    code = 0
    try:
        entry(argv)
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
    sys.stdout.flush()
    os._exit(code)


class Forked:
    """One forked run of a command, started and ready to be killed."""

    def __init__(
        self,
        entry: Callable[[list[str]], None],
        argv: list[str],
        env: dict[str, str],
        out: Path | None = None,
    ) -> None:
        ready = _CONTEXT.Event()
        where = None if out is None else str(out)
        self.process = _CONTEXT.Process(target=_child, args=(entry, argv, env, ready, where))
        self.process.start()
        if not ready.wait(60):
            self.kill()
            raise AssertionError(f"the forked {argv} never started")
        self.started = time.monotonic()

    def kill(self) -> None:
        """SIGKILL to the process and everything it started, then reap it."""
        pid = self.process.pid
        assert pid is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        self.process.join()

    def alive(self) -> bool:
        return self.process.is_alive()

    def kill_after(self, delay: float) -> None:
        time.sleep(max(0.0, self.started + delay - time.monotonic()))
        self.kill()

    def wait(self, timeout: float = 120) -> int:
        self.process.join(timeout)
        assert self.process.exitcode is not None, "the forked command never finished"
        return self.process.exitcode


def mlpath(*argv: str, env: dict[str, str] | None = None) -> Forked:
    """`mlpath ARGV...` in a forked process, in this environment (or `env`)."""
    return Forked(_main, list(argv), dict(os.environ if env is None else env))


def writer(*argv: str, out: Path | None = None) -> Forked:
    """`python -m tests.writer ARGV...` in a forked process; what it prints into `out`."""
    return Forked(_writer, list(argv), dict(os.environ), out)


def duration(*argv: str, env: dict[str, str] | None = None) -> float:
    """How long `mlpath ARGV...` takes here, from ready to its end: the span to kill in."""
    run = mlpath(*argv, env=env)
    assert run.wait() == 0, argv
    return time.monotonic() - run.started
