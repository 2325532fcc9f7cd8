"""Running git for sync: the one place mlpath starts a program.

git runs on mlpath's own bare clone in the data folder, never on a work tree: nothing from
a repository is ever checked out, so a hostile repository's symlinks, paths and attributes
are never written to disk. Hooks are off, transports that run commands (ext::) are off,
received objects are checked, and git never prompts on a terminal it was not given.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mlpath.errors import SyncError

NETWORK_TIMEOUT = 300  # seconds one fetch or push may take before sync gives up
SAFE = [
    "-c", "core.hooksPath=/dev/null",
    "-c", "protocol.ext.allow=never",
    "-c", "transfer.fsckObjects=true",
    "-c", "core.fsmonitor=false",
]  # fmt: skip


class Failed(SyncError):
    """git exited non-zero: `detail` is its last line of stderr, `said` all of it."""

    def __init__(self, message: str, detail: str, said: str) -> None:
        super().__init__(message)
        self.detail = detail
        self.said = said


def environment(index: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    # What mlpath needs git to do, whatever the user's environment says.
    env |= {
        "LC_ALL": "C",
        "GIT_AUTHOR_NAME": "mlpath",
        "GIT_AUTHOR_EMAIL": "mlpath@localhost",
        "GIT_COMMITTER_NAME": "mlpath",
        "GIT_COMMITTER_EMAIL": "mlpath@localhost",
    }
    for key in ("GIT_SSH_COMMAND", "GIT_SSH", "GIT_ASKPASS"):  # the user's own ways to log in
        if key in os.environ:
            env[key] = os.environ[key]
    if not sys.stdin.isatty():
        env["GIT_TERMINAL_PROMPT"] = "0"
    if index is not None:
        env["GIT_INDEX_FILE"] = str(index)
    return env


def run(
    clone: Path,
    *args: str,
    data: bytes | None = None,
    network: bool = False,
    index: Path | None = None,
) -> bytes:
    """git's stdout; Failed with git's own last line when it fails."""
    command = ["git", *SAFE, f"--git-dir={clone}", *args]
    try:
        done = subprocess.run(
            command,
            input=data,
            capture_output=True,
            env=environment(index),
            timeout=NETWORK_TIMEOUT if network else 60,
            stdin=None if data is not None else subprocess.DEVNULL,
            check=False,
        )
    except FileNotFoundError:
        raise SyncError("git is not installed (or not on PATH): sync needs it") from None
    except subprocess.TimeoutExpired:
        raise SyncError(
            f"git {args[0]} took longer than {NETWORK_TIMEOUT} s; nothing more was changed"
        ) from None
    except OSError as exc:
        raise SyncError(f"cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace")
        lines = [x for x in said.splitlines() if x.strip()]
        detail = lines[-1].strip() if lines else f"exit code {done.returncode}"
        raise Failed(f"git {args[0]} failed: {detail}", detail, said)
    return done.stdout


def available() -> None:
    try:
        subprocess.run(["git", "--version"], capture_output=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        raise SyncError("git is not installed (or not on PATH): sync needs it") from None


def init(clone: Path) -> None:
    """mlpath's bare clone, made once; stale lock files of a git that was killed removed
    (the caller holds sync's own lock, so no git of mlpath's is running on it)."""
    if not (clone / "HEAD").exists():
        clone.mkdir(parents=True, exist_ok=True)
        run(clone, "init", "--bare", "--quiet", "--initial-branch=main")
    for stale in clone.rglob("*.lock"):
        if stale.is_file() and not stale.is_symlink():
            stale.unlink(missing_ok=True)
