"""mlpath processes forked from one that has imported mlpath already, for the tests that kill
a process at random moments of its work: a real process, killed with SIGKILL, without the
start-up (importing typer, rich, pydantic) that a new interpreter pays each time.

A kill during start-up proves nothing (nothing is touched yet), so a forked process says it
is ready just before it runs the command, and the kill's delay counts from there: every kill
lands in the command's own work, or after it.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import TextIO

# One server per test process, started on first use; it exits with the process that made it.
_CONTEXT = multiprocessing.get_context("forkserver")
# The first dispatch and every command of the typer app (mlpath.cli imports them lazily).
_CONTEXT.set_forkserver_preload(
    [f"mlpath.cli.{name}" for name in ("first", "reading", "changing", "sharing", "care")]
    + ["tests.writer"]
    # pydantic, which a change imports only when a file must be validated: a process made
    # another user (test_fileio) cannot read this interpreter's own library to import it.
    + ["mlpath.store.catalogueschema", "mlpath.store.progressschema", "mlpath.store.exchange"]
    + ["tomllib", "shutil", "tempfile"]
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


def _peak(argv: list[str]) -> None:
    report, *command = argv
    try:
        _main(command)
    finally:  # as it exits: the most resident memory it held, in KB
        status = Path("/proc/self/status").read_text().splitlines()
        [line] = [line for line in status if line.startswith("VmHWM:")]
        Path(report).write_text(line.split()[1])


def peak_kb(*argv: str, env: dict[str, str]) -> int:
    """The peak resident set (VmHWM, KB, Linux) of `mlpath ARGV...` run to its end, forked:
    it starts at the server's (mlpath imported), as a new interpreter's reaches it by its
    imports, so that two runs' peaks differ by what their commands held, as they would."""
    with tempfile.TemporaryDirectory(prefix="peak-") as folder:
        report = Path(folder, "peak")
        run = Forked(_peak, [str(report), *argv], env)
        assert run.wait() == 0, argv
        return int(report.read_text())


def duration(*argv: str, env: dict[str, str] | None = None) -> float:
    """How long `mlpath ARGV...` takes here, from ready to its end: the span to kill in."""
    run = mlpath(*argv, env=env)
    assert run.wait() == 0, argv
    return time.monotonic() - run.started


# -- whole commands in forked processes, as `python -m mlpath` runs them ---------------------

# What decides the encoding of a new interpreter's streams (and its UTF-8 mode) as it starts.
# A forked process keeps the streams its server started with, so a run that changes one of
# these needs a real interpreter: run() refuses it rather than run it differently.
ENCODING = ("PYTHONIOENCODING", "PYTHONUTF8", "LC_ALL", "LC_CTYPE", "LANG")
REFUSED = 97  # the exit code of a child that refused its environment
_STARTED_IN = dict(os.environ)  # as pytest started: tests/conftest.py changes it for each test


def _stream(fd: int, how: str, read: bool) -> bool:
    """Put `how` at descriptor `fd`: a file's path, "closed", or "broken" (a pipe whose
    reader has gone). False when the descriptor is closed, as a started interpreter finds."""
    if how == "closed":
        os.close(fd)
        return False
    if how == "broken":
        reader, writer = os.pipe()
        os.close(reader)
        os.dup2(writer, fd)
        os.close(writer)
        return True
    # O_NOCTTY: a terminal (tests/test_screens.on_terminal) never becomes this process's
    # controlling terminal, even one whose own shell has yet to claim it.
    opened = os.open(how, (os.O_RDONLY if read else os.O_WRONLY) | os.O_NOCTTY)
    os.dup2(opened, fd)
    os.close(opened)
    return True


def _wrap(fd: int, like: TextIO | None) -> TextIO:
    """A text stream on `fd` as CPython's create_stdio makes one: unbuffered below a
    buffered layer, "\\n" newlines, line-buffered on a terminal (and stderr always)."""
    assert like is not None
    raw = io.FileIO(fd, "r" if fd == 0 else "w", closefd=False)
    raw.name = f"<{('stdin', 'stdout', 'stderr')[fd]}>"
    layer = io.BufferedReader(raw) if fd == 0 else io.BufferedWriter(raw)
    return io.TextIOWrapper(
        layer,
        encoding=like.encoding,
        errors=like.errors,
        newline="\n",
        line_buffering=fd == 2 or raw.isatty(),
    )


def _run_child(
    argv: list[str], env: dict[str, str], cwd: str, streams: list[str], user: int | None
) -> None:
    """A forked child made into `python -m mlpath ARGV` started with these streams, as the
    user `user` (and group, with no other groups) when it is given."""
    if any(os.environ.get(name) != env.get(name) for name in ENCODING):
        os._exit(REFUSED)  # the streams were made for another encoding: see ENCODING
    os.setsid()
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    time.tzset()
    # As CPython starts: a closed descriptor is a None stream (`>&-`), and each other one
    # gets text streams made afresh (with nothing buffered, and the encoding and errors
    # the server's interpreter chose for its own, which ENCODING makes the same).
    made = {0: sys.__stdout__, 1: sys.__stdout__, 2: sys.__stderr__}
    for fd, (name, how) in enumerate(zip(("stdin", "stdout", "stderr"), streams, strict=True)):
        stream = _wrap(fd, made[fd]) if _stream(fd, how, read=fd == 0) else None
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)
    if user is not None:  # after the streams, which the test's user opened
        os.setgroups([])
        os.setresgid(user, user, user)
        os.setresuid(user, user, user)
    code = 0
    try:
        _main(argv)
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
    except BaseException:  # an uncaught exception: its traceback and exit 1, as Python does
        traceback.print_exc()
        code = 1
    # Python's last flush at exit: a failure is reported on stderr, and the exit is 120.
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            continue
        try:
            stream.flush()
        except Exception as exc:
            with contextlib.suppress(Exception):
                sys.stderr.write(f"Exception ignored in: {stream!r}\n{exc!r}\n")
                sys.stderr.flush()
            code = 120
    os._exit(code)


class Running:
    """`python -m mlpath ARGV...` started, forked from a process with mlpath imported: a real
    process (its own descriptors, environment, cwd and exit code) without the start-up.
    Each stream is "capture" (read at the end, as text), "closed", "broken" (stdout: a pipe
    with no reader), or a file's path; stdin may be bytes to read. Its environment
    (os.environ unless `env`) must not choose another encoding than the test's: see ENCODING.
    Waited on as a subprocess.Popen is: poll, wait, communicate, returncode.
    """

    def __init__(
        self,
        *argv: str,
        env: dict[str, str] | None = None,
        cwd: Path | str | None = None,
        stdin: str | bytes = "/dev/null",
        stdout: str = "capture",
        stderr: str = "capture",
        user: int | None = None,
    ) -> None:
        self.args = ["mlpath", *argv]
        self.returncode: int | None = None
        self._folder = tempfile.TemporaryDirectory(prefix="forked-")
        self._captured = []
        given = []
        for name, how in (("stdin", stdin), ("stdout", stdout), ("stderr", stderr)):
            path = Path(self._folder.name, name)
            if isinstance(how, bytes):
                path.write_bytes(how)
                how = str(path)
            elif how == "capture":
                path.touch()
                how = str(path)
                self._captured.append(path)
            given.append(how)
        where = str(Path.cwd() if cwd is None else cwd)
        environment = dict(os.environ if env is None else env)
        self.process = _CONTEXT.Process(
            target=_run_child, args=(list(argv), environment, where, given, user)
        )
        _start(self.process)
        self.pid = self.process.pid

    def poll(self) -> int | None:
        if self.returncode is None and not self.process.is_alive():
            self._ended()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        self.process.join(timeout)
        if self.process.exitcode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid or 0, signal.SIGKILL)
            self.process.join()
            self._folder.cleanup()
            raise subprocess.TimeoutExpired(self.args, timeout or 0)
        return self._ended()

    def _ended(self) -> int:
        self.process.join()
        code = self.process.exitcode
        assert code is not None
        assert code != REFUSED, f"{ENCODING} differ from the test's: run a real one"
        self.returncode = code  # -N for a signal, as subprocess says it
        return code

    def communicate(self, timeout: float | None = None) -> tuple[str, str]:
        """What the process wrote to its captured stdout and stderr ("" for the others)."""
        self.wait(timeout)
        names = [path.name for path in self._captured]
        out, err = (
            _text(Path(self._folder.name, name).read_bytes()) if name in names else ""
            for name in ("stdout", "stderr")
        )
        self._folder.cleanup()
        return out, err


def run(
    *argv: str,
    env: dict[str, str] | None = None,
    cwd: Path | str | None = None,
    stdin: str | bytes = "/dev/null",
    stdout: str = "capture",
    stderr: str = "capture",
    timeout: float = 60,
    user: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m mlpath ARGV...` to its end, forked (as `user`, a uid): see Running."""
    running = Running(*argv, env=env, cwd=cwd, stdin=stdin, stdout=stdout, stderr=stderr, user=user)
    out, err = running.communicate(timeout)
    assert running.returncode is not None
    return subprocess.CompletedProcess(running.args, running.returncode, out, err)


def _start(process: multiprocessing.process.BaseProcess) -> None:
    """Start the server (once) in the environment this module was imported in, before any
    test changed it: the streams of every child are made as that interpreter made them."""
    from multiprocessing import forkserver

    during = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(_STARTED_IN)
        forkserver.ensure_running()
    finally:
        os.environ.clear()
        os.environ.update(during)
    process.start()


def _text(data: bytes) -> str:
    """Bytes as subprocess.run(text=True) reads them: UTF-8, universal newlines."""
    return data.decode().replace("\r\n", "\n").replace("\r", "\n")
