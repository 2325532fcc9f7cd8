"""The doors cache: what pydantic made of a catalogue and of a snapshot (progress.toml),
kept as plain data, so that a change whose files have not changed since they were last
validated needs neither pydantic nor TOML's parser (issue 16: importing pydantic alone
cost a change nine times Python's start-up).

It is keyed by content, not by file: an entry is the exact text of a catalogue (and whether
it is the bundled one, whose steps must rise) or the exact bytes of a snapshot, with what
validating them gave. A lookup compares the whole text with what was just read, so no
file's time, size or checksum can make another file's entry be taken for it. What validation
refuses is never kept: it is validated again, and says why. The code that shapes the
records (SHAPED_BY), mlpath's version and Python's are part of the file: another mlpath's
cache is a miss. Like the read cache, it is disposable, one file for catalogues and one for
snapshots in the user's cache folder (a few of each, the latest first), written as a
temporary file renamed over it, and trusted only when this user wrote it and no one else
may write it (marshal is not safe for data made to harm).
"""

from __future__ import annotations

import marshal
import os
import sys
from datetime import datetime

from mlpath import __version__
from mlpath.catalogue import Catalogue, Resource, Step
from mlpath.core.progress import CheckIn, Note, PathProgress, Progress, Status, StepProgress
from mlpath.plain import Record, made
from mlpath.store import layout

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlpath.store.progressfile import Mark

MAGIC = b"mlpath doors cache 1\n"
KEPT = 4  # entries a file: a learner's catalogue and a team's, a few data folders
LIMIT = 256 * 1024 * 1024
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHAPED_BY = tuple(
    os.path.join(_PACKAGE, *name.split("/"))
    for name in (
        "catalogue.py",
        "core/progress.py",
        "errors.py",
        "plain.py",
        "safe.py",
        "store/catalogueschema.py",
        "store/doorcache.py",
        "store/migrate.py",
        "store/progressfile.py",
        "store/progressschema.py",
    )
)
_OPEN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_MAKE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_STATUS = {str(status): status for status in Status}
_USER = os.geteuid() if hasattr(os, "geteuid") else None


def _identity() -> tuple[Any, ...]:
    code: list[tuple[int, int] | None] = []
    for path in SHAPED_BY:
        try:
            info = os.stat(path)
        except OSError:
            code.append(None)
        else:
            code.append((info.st_size, info.st_mtime_ns))
    return (__version__, _PACKAGE, tuple(code), sys.version)


def _file(kind: str) -> str | None:
    folder = layout.cache_text()
    # A relative $XDG_CACHE_HOME is no cache folder (the XDG rule): it would be another
    # folder in every working directory.
    if folder is None or not os.path.isabs(folder):
        return None
    return os.path.join(folder, f"doors-{kind}")


def _entries(kind: str) -> list[Any]:
    """The file's entries, or none: missing, not this user's, damaged or another code's."""
    import zlib

    path = _file(kind)
    if path is None:
        return []
    try:
        fd = os.open(path, _OPEN)
    except OSError:
        return []
    try:
        info = os.fstat(fd)
        if (info.st_mode & 0o170000) != 0o100000 or info.st_size > LIMIT:
            return []
        if _USER is not None and (info.st_mode & 0o022 or info.st_uid != _USER):
            return []
        data = os.read(fd, info.st_size + 1)
    except OSError:
        return []
    finally:
        os.close(fd)
    head = len(MAGIC) + 4
    body = data[head:]
    if not data.startswith(MAGIC) or int.from_bytes(data[len(MAGIC) : head], "big") != zlib.crc32(
        body
    ):
        return []
    try:
        found = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return []
    if type(found) is not tuple or len(found) != 2 or found[0] != _identity():
        return []
    return list(found[1]) if type(found[1]) is list else []


def _keep(kind: str, key: object, packed: object) -> None:
    """Put an entry first in the file, the oldest beyond KEPT dropped. Never fails a command."""
    import zlib

    path = _file(kind)
    if path is None:
        return
    entries = [entry for entry in _entries(kind) if entry[0] != key]
    body = marshal.dumps((_identity(), [(key, packed), *entries][:KEPT]))
    data = MAGIC + zlib.crc32(body).to_bytes(4, "big") + body
    folder = os.path.dirname(path)
    temp = os.path.join(folder, f".doors-{kind}.{os.getpid()}.tmp")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        fd = os.open(temp, _MAKE, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError:
        try:  # noqa: SIM105
            os.unlink(temp)
        except OSError:
            pass


def _find(kind: str, key: object) -> Any:
    for entry in _entries(kind):
        if type(entry) is tuple and len(entry) == 2 and entry[0] == key:
            return entry[1]
    return None


# -- catalogues ------------------------------------------------------------------------------


def catalogue(text: str, bundled: bool) -> Catalogue | None:
    """The catalogue validated from exactly `text` before, or None."""
    packed = _find("catalogue", (text, bundled))
    if packed is None:
        return None
    try:
        cat_id, title, steps = packed
        return made(
            Catalogue,
            (
                cat_id,
                title,
                [
                    made(Step, (*rest, [made(Resource, r) for r in resources]))
                    for *rest, resources in steps
                ],
            ),
        )
    except (TypeError, ValueError):
        return None


def keep_catalogue(text: str, bundled: bool, cat: Catalogue) -> None:
    steps = [
        (
            s.id,
            s.title,
            s.summary,
            s.challenge,
            s.done_when,
            [tuple(_values(r)) for r in s.resources],
        )
        for s in cat.steps
    ]
    _keep("catalogue", (text, bundled), (cat.id, cat.title, steps))


def _values(record: Record) -> list[object]:
    own = record.__dict__
    return [own[name] for name in record._fields]


# -- snapshots -------------------------------------------------------------------------------


def snapshot(data: bytes) -> tuple[Progress, Mark, int] | None:
    """The state, mark and schema version validated from exactly `data` before, or None."""
    packed = _find("snapshot", data)
    if packed is None:
        return None
    from mlpath.store.progressfile import Mark

    try:
        paths, mark, version = packed
        return (
            made(Progress, ({name: _path(p) for name, p in paths.items()},)),
            Mark(*mark),
            version,
        )
    except (TypeError, ValueError, KeyError):
        return None


def keep_snapshot(data: bytes, progress: Progress, mark: Mark, version: int) -> None:
    """Remember what `data` validates to. A state whose times TOML cannot hold as they are (an
    offset in seconds, which progress.toml would not read back the same) is not kept."""
    try:
        paths = {name: _packed_path(path) for name, path in progress.paths.items()}
    except ValueError:
        return
    _keep("snapshot", data, (paths, tuple(mark), version))


def _time(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    offset = moment.utcoffset()
    if offset is None or offset.seconds % 60 or offset.microseconds:
        raise ValueError("not a time progress.toml holds")
    return moment.isoformat()


def _when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _packed_path(path: PathProgress) -> tuple[object, ...]:
    steps = {
        step_id: (
            str(step.status),
            _time(step.changed),
            step.challenge,
            _time(step.rated_at),
            [(_time(note.at), note.text) for note in step.notes],
            [(_time(c.at), c.challenge, c.skill, c.minutes) for c in step.checkins],
            {url: str(status) for url, status in step.resources.items()},
        )
        for step_id, step in path.steps.items()
    }
    return (path.skill, _time(path.skill_at), _time(path.last_activity), steps)


def _path(packed: Any) -> PathProgress:
    skill, skill_at, last, steps = packed
    return made(
        PathProgress,
        (skill, _when(skill_at), _when(last), {key: _step(value) for key, value in steps.items()}),
    )


def _step(packed: Any) -> StepProgress:
    status, changed, challenge, rated_at, notes, checkins, resources = packed
    return made(
        StepProgress,
        (
            _STATUS[status],
            _when(changed),
            challenge,
            _when(rated_at),
            [made(Note, (datetime.fromisoformat(at), text)) for at, text in notes],
            [made(CheckIn, (datetime.fromisoformat(at), *rest)) for at, *rest in checkins],
            {url: _STATUS[value] for url, value in resources.items()},
        ),
    )
