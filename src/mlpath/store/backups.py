"""The last few good states of progress.toml, kept so that damage can be undone.

A backup is the previous progress.toml, hard-linked into backups/ just before a write
replaces it: the store never edits a file in place, so the link is a snapshot that costs no
copy. Only a file that parsed and validated (the one the writer just loaded) is kept.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

KEEP = 5
_NAME = re.compile(r"^progress-(\d+)\.toml$")


def folder(home: Path) -> Path:
    return home / "backups"


def keep(home: Path, progress: Path, events: int) -> Path | None:
    """Snapshot `progress` (whose history mark is `events`) before it is replaced.

    Returns the new backup, or None when there was one already or none could be made: a
    backup is a safety net and never stops the learner's change.
    """
    where = folder(home)
    target = where / f"progress-{events:09d}.toml"
    if target.exists():
        return None
    try:
        where.mkdir(exist_ok=True)
        try:
            os.link(progress, target)
        except OSError:  # a file system without hard links
            import shutil  # (only for a backup: a change that takes none imports none)

            shutil.copy2(progress, target)
    except OSError:
        return None
    return target


def listing(home: Path) -> list[Path]:
    """Backups, newest first."""
    where = folder(home)
    if not where.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in where.iterdir() if (m := _NAME.match(p.name))]
    return [path for _, path in sorted(found, reverse=True)]


def prune(home: Path) -> None:
    """Keep the newest KEEP backups. Run after a change is committed."""
    for old in listing(home)[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
