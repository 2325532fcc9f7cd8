"""Where the learner's files live, and this store's identity.

In the data folder (platformdirs' user data path, or $MLPATH_HOME): history.jsonl (the
record), progress.toml (its snapshot), progress.toml.lock, machine.toml (this store's random
id and a name, which every event it makes carries), backups/ and the *.vN.bak files of
upgrades. Every path is made here, and only here.
"""

from __future__ import annotations

import os
import sys

from mlpath.errors import StoreError, UsageError, reason

TYPE_CHECKING = False  # no `typing` or pathlib on the read path: see mlpath.plain
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, NamedTuple
else:
    from mlpath.plain import NamedTuple

# The read cache (store/readcache.py): the read commands' snapshot of the state and the
# catalogue as plain data, derived and disposable, trusted only while every file it was
# made from is as it was. SOURCES are those files in the data folder (the catalogue in use
# is keyed besides): a file the state comes to be read from is one more name here. It lives
# in the platform's cache folder, not the data folder: that holds only what is the learner's
# (what they back up and sync, and what the store's tests pin file by file).
SOURCES = ("progress.toml", "history.jsonl", "sync.toml")
# What home_text() and cache_text() read, as platformdirs does on Linux.
HOME_INPUTS = ("MLPATH_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "HOME")


class Paths(NamedTuple):
    home: Path
    progress: Path
    history: Path
    lock: Path
    machine: Path


def home() -> Path:
    """The data folder: $MLPATH_HOME if set, else the platform's user data folder."""
    from pathlib import Path

    override = os.environ.get("MLPATH_HOME")
    if override:
        try:
            return Path(override).expanduser()
        except RuntimeError:  # ~name of no user here
            raise UsageError(
                f"MLPATH_HOME={override[:80]!r}: there is no such user's home folder to "
                "start from; name the folder in full"
            ) from None
    import platformdirs

    return platformdirs.user_data_path("mlpath")


def home_text() -> str | None:
    """The data folder as home() finds it, without pathlib or platformdirs (for the read
    cache's fast road): $MLPATH_HOME, else where platformdirs puts it on Linux; None where
    it cannot say. The cache is written only where this agrees with home() (readcache.save),
    and records HOME_INPUTS, so that a fast road never reads another store's cache."""
    override = os.environ.get("MLPATH_HOME")
    if override:
        return os.path.expanduser(override)  # noqa: PTH111 (pathlib is not on the read path)
    return _xdg("XDG_DATA_HOME", "~/.local/share")


def _xdg(name: str, default: str) -> str | None:
    if not sys.platform.startswith("linux") or os.environ.get("ANDROID_DATA"):
        return None
    base = os.environ.get(name, "").strip() or os.path.expanduser(default)  # noqa: PTH111
    return os.path.join(base, "mlpath")  # noqa: PTH118


def bundled_catalogue_text() -> str:
    """The catalogue that ships with mlpath. A wheel carries data/steps.toml inside the
    package (pyproject force-include); an editable install or a source checkout has only the
    repository's data/steps.toml, two levels above the package folder (src/mlpath/)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # noqa: PTH120,PTH100
    packaged = os.path.join(package, "data", "steps.toml")  # noqa: PTH118
    if os.path.isfile(packaged):  # noqa: PTH113
        return packaged
    source = os.path.dirname(os.path.dirname(os.path.realpath(package)))  # noqa: PTH120
    return os.path.join(source, "data", "steps.toml")  # noqa: PTH118


def catalogue_text(option: str | None) -> tuple[str, bool]:
    """The catalogue in use, and whether it is ours: --catalogue, else MLPATH_CATALOGUE, else
    the bundled one. The one rule: catalogue.selected_path and the fast road both ask it."""
    if option is not None:
        return option, False
    named = os.environ.get("MLPATH_CATALOGUE")
    if named:
        return named, False
    return bundled_catalogue_text(), True


def cache_text() -> str | None:
    """The platform's cache folder for mlpath, as platformdirs.user_cache_path finds it on
    Linux ($XDG_CACHE_HOME, else ~/.cache), without importing it; None elsewhere."""
    return _xdg("XDG_CACHE_HOME", "~/.cache")


def cache_folder() -> Path:
    """platformdirs' own answer, which cache_text() must agree with for the cache to be
    written (store/readcache.py)."""
    import platformdirs

    return platformdirs.user_cache_path("mlpath")


def read_cache_text(home: str) -> str | None:
    """The read cache of the store in `home`: one file a data folder, named by its path."""
    import zlib

    folder = cache_text()
    if folder is None:
        return None
    named = os.path.abspath(home).encode("utf-8", "surrogateescape")  # noqa: PTH100
    return os.path.join(folder, f"read-{zlib.crc32(named):08x}{zlib.adler32(named):08x}")  # noqa: PTH118


def paths() -> Paths:
    folder = home()
    return Paths(
        folder,
        folder / "progress.toml",
        folder / "history.jsonl",
        folder / "progress.toml.lock",
        folder / "machine.toml",
    )


def make_home(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StoreError(
            f"cannot use {folder} as the data folder: it is a file; move it, or point "
            "MLPATH_HOME at a folder"
        ) from None
    except OSError as exc:
        raise StoreError(
            f"cannot create the data folder {folder}: {reason(exc)}; check that folder's "
            "parent, or point MLPATH_HOME elsewhere"
        ) from None


def machine_id(where: Paths) -> str:
    """This store's id for counting its own events, or "" when there is none (or it is
    damaged: a reader shows the state all the same; a writer reports it)."""
    try:
        found = machine(where)
    except StoreError:
        return ""
    return found[0] if found else ""


def machine(where: Paths) -> tuple[str, str] | None:
    """This store's (id, name), or None before its first change."""
    try:
        raw = _machine_toml(where.machine.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as exc:  # UnicodeDecodeError, TOMLDecodeError
        raise StoreError(f"{where.machine}: damaged ({exc}); move it aside to start anew") from None
    ident, name = raw.get("id"), raw.get("name")
    if not isinstance(ident, str) or not isinstance(name, str):
        raise StoreError(
            f"{where.machine}: damaged: needs an id and a name; move it aside to start anew"
        )
    from mlpath.core.history import MACHINE

    if not MACHINE.match(ident):
        raise StoreError(
            f"{where.machine}: damaged: id: letters, digits, - and _ only; "
            "move it aside to start anew"
        )
    return ident, name


def _machine_toml(text: str) -> dict[str, Any]:
    """machine.toml as TOML reads it. The file as ensure_machine writes it (an id, and a name
    with no escapes or control characters) is read without TOML's parser, whose import cost
    a change a fifth of Python's start-up; anything else goes to the parser."""
    import re

    plain = re.fullmatch(r'id = "([A-Za-z0-9_-]*)"\nname = "([^"\\\x00-\x1f\x7f]*)"\n', text)
    if plain:
        return {"id": plain[1], "name": plain[2]}
    import tomllib

    return tomllib.loads(text)


def new_machine_id() -> str:
    import secrets

    return secrets.token_hex(6)


def ensure_machine(where: Paths, ident: str | None = None) -> str:
    """This store's id; a new store's (`ident`, or a new one) is written on its first change.
    Call with the lock held."""
    found = machine(where)
    if found:
        return found[0]
    import socket

    import tomli_w

    ident = ident or new_machine_id()
    name = socket.gethostname() or "this machine"
    from mlpath.store import fileio

    fileio.atomic_write(where.machine, tomli_w.dumps({"id": ident, "name": name}).encode())
    return ident


# The first-run skill question is asked once per data folder, whatever the answer. Whether it
# was asked is a fact about this machine's conversation with the learner, not progress: kept
# out of the history, it is never exported, synced, logged or undone.
ASKED = "skill-question-asked"
ASKED_TEXT = b"mlpath asked for your skill rating here once; delete this file to be asked again.\n"


def asked_before(where: Paths) -> bool:
    return (where.home / ASKED).exists()


def remember_asked(where: Paths) -> None:
    """Mark the question as asked. A folder that cannot be written only means that it is
    asked again next time: nothing to stop the command for."""
    try:
        where.home.mkdir(parents=True, exist_ok=True)
        from mlpath.store import fileio

        fileio.atomic_write(where.home / ASKED, ASKED_TEXT)
    except (OSError, StoreError):
        pass


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def where(paths: Paths, catalogue_path: Path, bundled: bool) -> dict[str, Any]:
    """What `mlpath where` shows: every file of the store and the catalogue, with sizes."""
    from mlpath.store import backups

    return {
        "home": str(paths.home),
        "progress": {"path": str(paths.progress), "bytes": _size(paths.progress)},
        "history": {"path": str(paths.history), "bytes": _size(paths.history)},
        "backups": {
            "path": str(backups.folder(paths.home)),
            "count": len(backups.listing(paths.home)),
        },
        "catalogue": {
            "path": str(catalogue_path),
            "bundled": bundled,
            "bytes": _size(catalogue_path),
        },
    }
