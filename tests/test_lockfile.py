"""The lock file (store/lockfile.py): one holder at a time, released however its holder ends,
never blocked by a file left behind, and the same lock filelock takes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock
from typer.testing import Result

from mlpath.store import lockfile

Run = Callable[..., Result]

HOLD = """
import sys, time
from pathlib import Path
from mlpath.store import {module}
{take}
print("held", flush=True)
time.sleep(60)
"""


def taking(path: Path) -> str:
    return f"fd = lockfile.try_lock(Path({str(path)!r})); assert fd is not None"


def holder(module: str, take: str) -> subprocess.Popen[str]:
    """A process that takes the lock and keeps it until it is killed."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD.format(module=module, take=take)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "held\n"
    return proc


def test_one_holder_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    first = lockfile.try_lock(path)
    assert first is not None
    assert lockfile.try_lock(path) is None  # another open file of this process too
    lockfile.release(first)
    second = lockfile.try_lock(path)
    assert second is not None
    lockfile.release(second)


def test_a_lock_file_left_behind_blocks_nobody_and_is_never_truncated(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    path.write_bytes(b"left by a process that died long ago\n")
    held = lockfile.try_lock(path)
    assert held is not None
    lockfile.release(held)
    assert path.read_bytes() == b"left by a process that died long ago\n"


@pytest.mark.slow
def test_the_lock_is_released_when_its_holder_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    proc = holder("lockfile", taking(path))
    try:
        assert lockfile.try_lock(path) is None
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert path.exists()  # left behind, and free
    held = lockfile.try_lock(path)
    assert held is not None
    lockfile.release(held)


@pytest.mark.slow
def test_a_change_goes_ahead_at_once_after_a_writer_was_killed_holding_the_lock(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("done", "1").exit_code == 0
    proc = holder(
        "layout, record",
        "held = record.locked(layout.paths()); held.__enter__()",  # kept: not collected
    )
    monkeypatch.setenv("MLPATH_LOCK_TIMEOUT", "0")
    try:
        busy = run("done", "2")
        assert (busy.exit_code, busy.stderr.count("\n")) == (75, 1)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    done = run("done", "2")
    assert (done.exit_code, done.stderr) == (0, "")


def test_filelock_and_this_lock_exclude_each_other(tmp_path: Path) -> None:
    # An older mlpath (filelock) and this one may run on one store while it is upgraded.
    path = tmp_path / "x.lock"
    with FileLock(path):
        assert lockfile.try_lock(path) is None
    held = lockfile.try_lock(path)
    assert held is not None
    with pytest.raises(TimeoutError):
        FileLock(path, timeout=0).acquire()
    lockfile.release(held)


def test_a_lock_file_removed_before_it_was_locked_is_taken_again_on_the_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Someone removed the file between our open and our lock: locking the removed file
    # would let a later process hold the new one at the same time.
    path = tmp_path / "x.lock"
    real = lockfile._lock
    removed: list[int] = []

    def remove_first(fd: int) -> None:
        if not removed:
            removed.append(fd)
            path.unlink()
        real(fd)

    monkeypatch.setattr(lockfile, "_lock", remove_first)
    held = lockfile.try_lock(path)
    assert held is not None and removed
    assert os.path.samestat(os.fstat(held), path.stat())
    monkeypatch.setattr(lockfile, "_lock", real)
    assert lockfile.try_lock(path) is None  # the file that is there is the one held
    lockfile.release(held)


def test_acquire_waits_for_a_release(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    proc = holder(
        "lockfile",
        taking(path) + "\nimport threading; threading.Timer(0.3, lockfile.release, [fd]).start()",
    )
    told: list[float] = []
    started = time.monotonic()
    try:
        held = lockfile.acquire(path, 30, lambda: told.append(time.monotonic()))
    finally:
        proc.kill()
        proc.wait()
    assert held is not None
    assert len(told) == 1
    assert time.monotonic() - started < 10  # soon after the release, not at the timeout
    lockfile.release(held)


def test_acquire_gives_up_after_the_timeout_and_tries_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x.lock"
    other = lockfile.try_lock(path)
    assert other is not None
    tries: list[float] = []
    real = lockfile.try_lock

    def counted(where: Path) -> int | None:
        tries.append(time.monotonic())
        return real(where)

    monkeypatch.setattr(lockfile, "try_lock", counted)
    told: list[int] = []
    assert lockfile.acquire(path, 0, lambda: told.append(1)) is None
    assert (len(tries), told) == (1, [])  # no wait at all, and nothing said
    tries.clear()
    assert lockfile.acquire(path, 0.3, lambda: told.append(1)) is None
    assert told == [1]
    assert tries[-1] - tries[0] >= 0.3  # the last try at the deadline
    assert 3 <= len(tries) <= 0.3 / lockfile.POLL + 2
    lockfile.release(other)


def test_a_lock_that_is_a_link_is_never_followed(tmp_path: Path) -> None:
    target = tmp_path / "thesis.txt"
    target.write_text("two years of work\n")
    (tmp_path / "x.lock").symlink_to(target)
    with pytest.raises(OSError):
        lockfile.try_lock(tmp_path / "x.lock")
    assert target.read_text() == "two years of work\n"


def test_a_new_lock_file_is_read_write_for_its_owner_and_never_executable(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        fd = lockfile.try_lock(tmp_path / "x.lock")
    finally:
        os.umask(old)
    assert fd is not None
    lockfile.release(fd)
    assert (tmp_path / "x.lock").stat().st_mode & 0o777 == 0o644


def open_files() -> int:
    return len(list(Path("/proc/self/fd").iterdir()))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files in /proc")
def test_an_interrupt_while_locking_closes_the_file_and_is_raised_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(lockfile, "_lock", interrupted)
    before = open_files()
    with pytest.raises(KeyboardInterrupt):
        lockfile.try_lock(tmp_path / "x.lock")
    assert open_files() == before


def test_a_lock_file_replaced_every_time_is_tried_ten_times_then_called_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tries: list[int] = []

    def replaced(fd: int, path: Path) -> bool:
        tries.append(fd)
        return False

    monkeypatch.setattr(lockfile, "_same", replaced)
    assert lockfile.try_lock(tmp_path / "x.lock") is None
    assert len(tries) == 10


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_a_lock_whose_path_cannot_be_looked_at_is_let_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path looked at after the lock is taken, failing: the error rises and the lock is
    released with its file, never held by a descriptor nobody closes."""
    path = tmp_path / "progress.toml.lock"

    def unreadable(fd: int, where: Path) -> bool:
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as scoped:
        scoped.setattr(lockfile, "_same", unreadable)
        with pytest.raises(PermissionError):
            lockfile.try_lock(path)
    held = lockfile.try_lock(path)
    assert held is not None
    lockfile.release(held)
