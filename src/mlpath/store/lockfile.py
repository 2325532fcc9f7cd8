"""A lock file held by one process at a time: flock on POSIX, msvcrt.locking on Windows.

This is what filelock did for mlpath, in the lines it needs (issue 16: importing filelock
cost a change more than the rest of its store; docs/design.md, "A changing command"). It is
the same lock filelock takes (flock on the whole file; on Windows the first byte, locked
without waiting), so an older mlpath that holds the lock through filelock still keeps this
one waiting, and the other way round.

- The lock belongs to the open file: the kernel releases it when its holder closes the file
  or dies, however it dies. A lock file left behind holds nothing and blocks nobody.
- The file is never deleted (a lock file removed while others wait on it would let two
  holders in, one on each file) and never truncated; it holds no data.
- A file removed or replaced by hand between the open and the lock is not the lock any
  more: the lock is taken again on the file that is there.
"""

from __future__ import annotations

import errno
import os
import sys
import time

TYPE_CHECKING = False  # the lock costs a change no import beyond the os's own: see mlpath.plain
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

POLL = 0.05  # seconds between attempts while another process holds the lock
_BUSY = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK)}
_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)

if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _same(fd: int, path: Path) -> bool:
        return True  # Windows does not remove a file that is open without FILE_SHARE_DELETE

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _same(fd: int, path: Path) -> bool:
        held = os.fstat(fd)
        try:
            there = path.lstat()
        except FileNotFoundError:
            return False
        return held.st_nlink > 0 and (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)


def try_lock(path: Path) -> int | None:
    """The open file holding path's lock, or None while another process holds it. An
    OSError for a lock that cannot be opened or locked (a folder it may not enter)."""
    for _ in range(10):  # a file replaced under us ten times running: say it is busy
        fd = os.open(path, _FLAGS, 0o644)
        try:
            _lock(fd)
        except OSError as exc:
            os.close(fd)
            if exc.errno in _BUSY:
                return None
            raise
        except BaseException:
            os.close(fd)
            raise
        try:
            same = _same(fd, path)
        except BaseException:  # the path cannot be looked at: let go of what is held
            release(fd)
            raise
        if same:
            return fd
        release(fd)
    return None


def acquire(path: Path, timeout: float, waiting: Callable[[], None]) -> int | None:
    """The lock, taken at once or within `timeout` seconds (`waiting` called once, before
    the wait), trying again every POLL seconds and once more at the end; None if it stays
    held that long."""
    fd = try_lock(path)
    if fd is not None or timeout <= 0:
        return fd
    waiting()
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        time.sleep(min(POLL, left))
        fd = try_lock(path)
        if fd is not None:
            return fd


def release(fd: int) -> None:
    try:
        _unlock(fd)
    finally:
        os.close(fd)
