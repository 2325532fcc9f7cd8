"""Failures part-way through a write: the old state survives, the message names path and cause."""

from __future__ import annotations

import errno
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests import forked
from tests.conftest import REPO, files

Run = Callable[..., Result]


def fd_path(fd: int) -> str:
    try:
        return str(Path(f"/proc/self/fd/{fd}").readlink())
    except OSError:
        pytest.skip("needs /proc to tell which file is being synced")


def fail_fsync_on(monkeypatch: pytest.MonkeyPatch, fragment: str, code: int) -> None:
    real = os.fsync

    def fsync(fd: int) -> None:
        if fragment in fd_path(fd):
            raise OSError(code, os.strerror(code))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def committed(run: Run) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return (json.loads(run("list", "--json").stdout), json.loads(run("log", "--json").stdout))


@pytest.mark.parametrize(
    ("fragment", "path", "code", "cause"),
    [
        ("history.jsonl", "history.jsonl", errno.EIO, "input/output error"),
        ("history.jsonl", "history.jsonl", errno.ENOSPC, "no space left on device"),
    ],
)
def test_a_failed_fsync_keeps_the_old_state(
    run: Run,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    fragment: str,
    path: str,
    code: int,
    cause: str,
) -> None:
    run("done", "1")
    before_files, before = files(home), committed(run)
    with monkeypatch.context() as patched:
        fail_fsync_on(patched, fragment, code)
        result = run("done", "2")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"mlpath: cannot write {home / path}: {cause}")
    assert "Traceback" not in result.output
    assert files(home) == before_files  # byte for byte: nothing was written
    assert committed(run) == before
    assert not list(home.glob("*.tmp")) and not list(home.glob(".*.tmp"))
    assert run("done", "2").exit_code == 0  # and the next change goes through
    assert len(committed(run)[1]) == 2


@pytest.mark.parametrize(
    ("code", "cause"),
    [(errno.EIO, "input/output error"), (errno.ENOSPC, "no space left on device")],
)
def test_a_snapshot_that_cannot_be_written_never_fails_a_committed_change(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch, code: int, cause: str
) -> None:
    run("done", "1")
    snapshot = (home / "progress.toml").read_bytes()
    with monkeypatch.context() as patched:
        fail_fsync_on(patched, ".tmp", code)
        result = run("done", "2")
    assert result.exit_code == 0  # the change is in the history: it stands
    assert result.stderr == (
        f"mlpath: cannot write {home / 'progress.toml'}: {cause}; the old file is intact: "
        "the change is saved in the history all the same\n"
    )
    assert (home / "progress.toml").read_bytes() == snapshot  # behind, not damaged
    assert [s["status"] for s in committed(run)[0]][:2] == ["done", "done"]
    assert not list(home.glob(".*.tmp"))
    assert run("done", "3").exit_code == 0  # the next change writes a whole new snapshot
    assert (home / "progress.toml").read_bytes() != snapshot
    assert len(committed(run)[1]) == 3


def test_a_failed_replace_keeps_the_old_file(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("done", "1")
    run("skill", "3")  # a second state, so that the next change would make a backup
    before_files, before = files(home), committed(run)

    def replace(self: Path, target: object) -> Path:
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    with monkeypatch.context() as patched:
        patched.setattr(Path, "replace", replace)
        result = run("done", "2")
    # The history took the change; only the snapshot could not be replaced: it stands.
    assert result.exit_code == 0 and result.stderr.endswith(
        "the old file is intact: the change is saved in the history all the same\n"
    )
    assert (home / "progress.toml").read_bytes() == before_files["progress.toml"]
    assert committed(run) != before
    assert not list(home.glob(".*.tmp"))
    assert run("done", "2").exit_code == 0  # a no-op, which still brings the snapshot up
    assert len(committed(run)[1]) == 3
    assert (home / "progress.toml").read_bytes() != before_files["progress.toml"]


@pytest.mark.parametrize(("fragment", "path"), [("history.jsonl", "history.jsonl")])
def test_a_full_disk_on_write(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch, fragment: str, path: str
) -> None:
    run("done", "1")
    run("done", "2")
    before = files(home)
    real_fdopen = os.fdopen

    class Full:
        """A file whose every write finds the disk full."""

        def __init__(self, handle: object) -> None:
            self.handle = handle

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()  # type: ignore[attr-defined]

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fdopen(fd: int, mode: str) -> object:
        handle = real_fdopen(fd, mode)
        return Full(handle) if fragment in fd_path(fd) else handle

    with monkeypatch.context() as patched:
        patched.setattr(os, "fdopen", fdopen)
        result = run("skill", "5")
    assert result.exit_code == 1
    assert result.stderr == f"mlpath: cannot write {home / path}: no space left on device\n"
    assert files(home) == before


@functools.cache  # a process start to find out: once a run
def _as_nobody() -> list[str] | None:
    """A command prefix that runs as an unprivileged user, or None where that is not possible."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None
    prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import mlpath, typer"],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    return prefix if probe.returncode == 0 else None


Nobody = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def as_nobody() -> Iterator[tuple[Path, Nobody]]:
    """A folder another user can enter, and mlpath run as that unprivileged user: forked
    from a process with mlpath imported (tests/forked.py), then made nobody (uid, gid, no
    other groups) as setpriv would make it, without an interpreter's start-up."""
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("cannot run as an unprivileged user here")
    user = 65534 if prefix else None  # root becomes nobody; anyone else runs as themselves
    # pytest's own temp root is private to its owner; this one the other user can enter.
    base = Path(tempfile.mkdtemp(prefix="mlpath-nobody-"))
    base.chmod(0o755)

    def mlpath(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return forked.run(*args, env={**os.environ, "MLPATH_HOME": str(home)}, user=user)

    try:
        yield base, mlpath
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.slow
def test_a_read_only_folder(as_nobody: tuple[Path, Nobody]) -> None:
    base, run_as = as_nobody
    home = base / "home"

    def mlpath(*args: str) -> subprocess.CompletedProcess[str]:
        return run_as(home, *args)

    home.mkdir()
    if os.geteuid() == 0:
        os.chown(home, 65534, 65534)
    assert mlpath("done", "1").returncode == 0
    before = files(home)
    home.chmod(0o555)
    result = mlpath("done", "2")
    assert mlpath("list").returncode == 0  # reading still works
    doctor = mlpath("doctor")
    assert doctor.returncode == 1
    problem = f"PROBLEM data folder: {home} is not writable: changes will fail"
    assert problem in doctor.stdout.splitlines()
    home.chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert str(home) in result.stderr and "permission denied" in result.stderr

    assert "Traceback" not in result.stderr
    assert files(home) == before


def test_a_failed_first_write_leaves_no_files(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patched:
        fail_fsync_on(patched, ".tmp", errno.ENOSPC)
        result = run("done", "1")
    assert result.exit_code == 1
    assert files(home) == {}


@pytest.mark.slow
def test_a_folder_the_user_cannot_enter_and_a_history_they_cannot_read(
    as_nobody: tuple[Path, Nobody],
) -> None:
    base, mlpath = as_nobody
    shut = base / "shut"
    shut.mkdir(mode=0o700)  # root's: the other user cannot enter it
    readable = base / "home"
    readable.mkdir()
    if os.geteuid() == 0:
        os.chown(readable, 65534, 65534)
    for args in (("status",), ("doctor",), ("doctor", "--restore"), ("done", "1")):
        result = mlpath(shut / "home", *args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        assert "permission denied" in result.stdout + result.stderr, args
    assert mlpath(readable, "done", "1").returncode == 0
    (readable / "history.jsonl").chmod(0o000)
    if os.geteuid() == 0:
        os.chown(readable / "history.jsonl", 0, 0)
    (readable / "progress.toml").unlink()
    for args in (("status",), ("doctor",), ("doctor", "--restore")):
        result = mlpath(readable, *args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        assert "permission denied" in result.stdout + result.stderr, args


@pytest.mark.slow
def test_a_lock_in_a_folder_the_user_cannot_enter_names_the_next_step(
    as_nobody: tuple[Path, Nobody],
) -> None:
    base, mlpath = as_nobody
    shut = base / "shut"
    shut.mkdir(mode=0o700)  # root's: the other user can see it but not enter it
    lock = shut / "progress.toml.lock"
    expected = (
        f"cannot lock {lock}: permission denied; check that file and its folder "
        "(`mlpath doctor` looks at both)"
    )
    restore = mlpath(shut, "doctor", "--restore")
    assert (restore.returncode, restore.stderr) == (1, f"mlpath: {expected}\n")
    doctor = mlpath(shut, "doctor")
    assert doctor.returncode == 1
    assert f"PROBLEM lock: {expected}\n" in doctor.stdout
