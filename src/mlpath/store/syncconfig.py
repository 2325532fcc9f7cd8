"""sync.toml: where this store syncs to, as whom, and how far it got. Read on every
`status`, so it is small and read without git."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from mlpath.errors import StoreError, UsageError
from mlpath.store import fileio

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple


class Config(NamedTuple):
    remote: str
    learner: str
    last_sync: datetime | None = None
    synced: int = 0  # how many events the history held when it last matched the repository


def path(home: Path) -> Path:
    return home / "sync.toml"


def load(home: Path) -> Config | None:
    file = path(home)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None  # (most learners never sync: no TOML parser for them)
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(
            f"{file}: damaged ({exc}); `mlpath sync --remote URL` writes it anew"
        ) from None
    import tomllib

    try:
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise StoreError(
            f"{file}: damaged ({exc}); `mlpath sync --remote URL` writes it anew"
        ) from None
    remote, learner = raw.get("remote"), raw.get("learner")
    last, synced = raw.get("last_sync"), raw.get("synced", 0)
    if not isinstance(remote, str) or not isinstance(learner, str) or type(synced) is not int:
        raise StoreError(f"{file}: damaged: needs remote, learner and synced")
    if not isinstance(last, datetime) or last.tzinfo is None:
        last = None
    return Config(remote, learner, last, max(synced, 0))


def save(home: Path, config: Config) -> None:
    import tomli_w

    data: dict[str, object] = {"remote": config.remote, "learner": config.learner}
    data["synced"] = config.synced
    if config.last_sync is not None:
        data["last_sync"] = config.last_sync
    fileio.atomic_write(path(home), tomli_w.dumps(data).encode())


def check_url(url: str) -> str:
    """A URL git may fetch from, with no secret in it; a local path made absolute (git runs
    elsewhere). UsageError for anything else: nothing is ever stored that would leak."""
    text = url.strip()
    if not text or any(ord(ch) < 32 or ch == "\x7f" for ch in text):
        raise UsageError("--remote needs a repository URL or path")
    if text.startswith("-") or "::" in text.split("/", 1)[0] or text.startswith("ext::"):
        raise UsageError(f"--remote {text[:60]!r}: not a repository URL mlpath uses")
    from urllib.parse import urlsplit

    parts = urlsplit(text)
    if parts.scheme in ("http", "https", "ftp", "ftps") and (parts.username or parts.password):
        raise UsageError(
            "--remote: a URL with a user name, password or token in it is refused, so that "
            "no secret is stored or shown; let git's credential helper or an ssh key log in"
        )
    if parts.password:
        raise UsageError(
            "--remote: a URL with a password in it is refused, so that no secret is stored "
            "or shown; let git's credential helper or an ssh key log in"
        )
    if parts.scheme in ("", "file") and not _scp_like(text):
        local = Path(parts.path if parts.scheme == "file" else text).expanduser()
        return str(local.resolve())
    return text


def _scp_like(text: str) -> bool:
    """git's user@host:path form (a colon before any slash)."""
    head = text.split("/", 1)[0]
    return ":" in head


def waiting(home: Path, events: int) -> int | None:
    """How many changes wait to go out, or None when no remote is set: read on every
    `status`, so no git and no network, only sync.toml."""
    try:
        config = load(home)
    except StoreError:
        return None
    return None if config is None else max(events - config.synced, 0)
