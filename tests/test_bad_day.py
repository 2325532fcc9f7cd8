"""Regressions from a hunt for hostile input and unlucky users: an export from another
machine with times or events no store can hold, a change that changed nothing but lost its
report, help to a stdout that fails, a read cache that another user wrote."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from mlpath import safe
from mlpath.views.screen import ellipsis
from tests.conftest import files

Run = Callable[..., Result]


def one_line(result: Result, code: int, *parts: str) -> None:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stderr.startswith("mlpath: ") and result.stderr.count("\n") == 1, result.stderr
    for part in parts:
        assert part in result.stderr, result.stderr


def exported(run: Run, tmp_path: Path) -> dict[str, object]:
    run("done", "1")
    run("note", "3", "a note")
    target = tmp_path / "export.json"
    assert run("export", "-o", str(target)).exit_code == 0
    document: dict[str, object] = json.loads(target.read_text())
    return document


# -- times that no calendar around them can hold ---------------------------------------------


@pytest.mark.parametrize(
    "at",
    [
        "0001-01-01T00:00:00+14:00",  # the year 0 in UTC: no datetime holds it
        "0001-01-01T12:00:00+00:00",  # a zone west of UTC puts it in the year 0
        "9999-12-31T23:59:59+00:00",  # the calendar's week after it is no date
        "1970-01-01T00:00:00-05:00",
    ],
)
@pytest.mark.parametrize("merge", [False, True])
def test_an_import_of_a_time_no_calendar_can_show_is_refused(
    run: Run, home: Path, tmp_path: Path, at: str, merge: bool
) -> None:
    document = exported(run, tmp_path)
    events = document["events"]
    assert isinstance(events, list)
    events[0]["at"] = at
    if not merge:  # into an empty store
        for name in files(home):
            (home / name).unlink()
    source = tmp_path / "from-elsewhere.json"
    source.write_text(json.dumps(document))
    before = files(home)
    result = run("import", str(source), *(["--merge"] if merge else []))
    one_line(result, 1, "events[0].at: should be a time", "from 1970-01-02 to 9998-12-31")
    assert files(home) == before
    for command in ("log", "activity", "page", "journal"):  # the store still reads
        shown = run(command)
        assert shown.exit_code == 0, (command, shown.stderr)


def test_the_edges_of_the_times_an_event_may_carry_are_kept(
    run: Run, home: Path, tmp_path: Path
) -> None:
    document = exported(run, tmp_path)
    for at in ("1970-01-02T00:00:00+00:00", "9998-12-31T23:59:59+00:00"):
        for name in files(home):
            (home / name).unlink()
        events = document["events"]
        assert isinstance(events, list)
        events[0]["at"] = at
        source = tmp_path / "edge.json"
        source.write_text(json.dumps(document))
        result = run("import", str(source))
        assert result.exit_code == 0, result.stderr
        for command in ("log", "activity", "page", "journal", "map", "status"):
            shown = run(command)
            assert shown.exit_code == 0, (at, command, shown.stderr)


# -- an event too long for the history to read back -------------------------------------------


@pytest.mark.parametrize("merge", [False, True])
def test_an_imported_event_longer_than_a_history_line_may_be_is_refused(
    run: Run, home: Path, tmp_path: Path, merge: bool
) -> None:
    """A note of 1.1 MB in an export was imported, and every command that walks the history
    then called the store damaged (its line is over the 1 MiB a reader reads)."""
    document = exported(run, tmp_path)
    events = document["events"]
    assert isinstance(events, list)
    long = "é" * 600_000  # 1.2 MB in UTF-8, 600,000 characters
    events[1]["details"]["text"] = long
    paths = document["paths"]
    assert isinstance(paths, dict)
    paths["get-started-in-ml"]["steps"]["take-ml-courses"]["notes"][0]["text"] = long
    if not merge:
        for name in files(home):
            (home / name).unlink()
    source = tmp_path / "long.json"
    source.write_text(json.dumps(document, ensure_ascii=False))
    before = files(home)
    result = run("import", str(source), *(["--merge"] if merge else []))
    one_line(result, 1, "events[1]: longer than 1 MiB, the limit for one event; nothing imported")
    assert files(home) == before


# -- a history line longer than one block of the index's reading ---------------------------


@pytest.mark.parametrize("length", [600_000, 1_000_000])
def test_a_history_line_longer_than_a_block_is_walked(
    run: Run, home: Path, tmp_path: Path, length: int
) -> None:
    """A note of 600,000 characters, imported, made `log` and `export` trace back
    (IndexError): the history's index took a block without a line in it for a line."""
    document = exported(run, tmp_path)
    events = document["events"]
    assert isinstance(events, list)
    long = "n" * length  # its line stays under 1 MiB
    events[1]["details"]["text"] = long
    paths = document["paths"]
    assert isinstance(paths, dict)
    paths["get-started-in-ml"]["steps"]["take-ml-courses"]["notes"][0]["text"] = long
    for name in files(home):
        (home / name).unlink()
    source = tmp_path / "long.json"
    source.write_text(json.dumps(document))
    assert run("import", str(source)).exit_code == 0
    for command in (("log",), ("log", "--json"), ("export",), ("doctor",), ("undo",)):
        shown = run(*command)
        assert shown.exit_code == 0, (command, shown.stderr, shown.exception)
    log = run("log", "--json")
    assert any(e["details"].get("text") == long for e in json.loads(log.stdout))


# -- a long text cut to its column ----------------------------------------------------------


def test_clip_cuts_as_cutting_from_the_end_would() -> None:
    from mlpath.views import columns

    def by_hand(content: str, room: int) -> str:
        content = safe.terminal(content, newlines=False)
        if columns.cells(content) <= room:
            return content
        mark = ellipsis()
        while content and columns.cells(content) > room - len(mark):
            content = content[:-1]
        return content + mark

    texts = [
        "",
        "abc",
        "a" * 50,
        "日本語のテキスト" * 5,
        "e\u0301" * 30,
        "\u0301\u0301abc",
        "x\x1by" * 9,
    ]
    for text in texts:
        for room in range(-2, 45):
            assert columns.clip(text, room) == by_hand(text, room), (text, room)


@pytest.mark.parametrize("text", ["n" * 400_000, "é" * 400_000])
def test_a_long_text_is_cut_in_a_time_that_grows_with_it(text: str) -> None:
    """`log` of a note of a megabyte took minutes: clip cut one character at a time from
    the end, measuring what was left each time."""
    import time

    from mlpath.views import columns

    start = time.process_time()
    assert columns.clip(text, 40) == text[:39] + ellipsis()
    assert time.process_time() - start < 1.0


# -- a change that changed nothing, and lost its report --------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("args", [("done", "1"), ("skill", "3"), ("done", "1.1")])
def test_a_change_that_changed_nothing_never_says_it_is_saved(
    run: Run, home: Path, args: tuple[str, ...]
) -> None:
    """`mlpath done 1 >/dev/full` with step 1 done already said "the change is saved" and
    exited 0: nothing was written, so the lost output is the failure it is."""
    from tests import forked

    for setup in (("done", "1"), ("skill", "3"), ("done", "1.1")):
        assert run(*setup).exit_code == 0
    before = files(home)
    env = {**os.environ, "MLPATH_HOME": str(home)}
    result = forked.run(*args, env=env, stdout="/dev/full", timeout=20)
    assert result.returncode == 1, result.stderr
    assert result.stderr == "mlpath: cannot write to stdout: no space left on device\n"
    assert files(home) == before


# -- what click prints itself, to a stdout that fails ----------------------------------------

CLICKS_OWN = [("help",), ("-h",), ("status", "-h"), ("help", "json"), ("--version",)]
COMPLETING = {"_MLPATH_COMPLETE": "complete_bash", "COMP_WORDS": "mlpath done ", "COMP_CWORD": "2"}


@pytest.mark.slow
@pytest.mark.parametrize("args", [*CLICKS_OWN, ("--show-completion", "bash"), ()])
def test_help_to_a_full_disk_is_one_line(home: Path, args: tuple[str, ...]) -> None:
    """`mlpath help >/dev/full` traced back (OSError: no space left on device)."""
    from tests import forked

    env = {**os.environ, "MLPATH_HOME": str(home), **({} if args else COMPLETING)}
    result = forked.run(*args, env=env, stdout="/dev/full", timeout=20)
    assert result.returncode == 1, result.stderr
    assert result.stderr == "mlpath: cannot write to stdout: no space left on device\n"


@pytest.mark.slow
@pytest.mark.parametrize("args", [*CLICKS_OWN, ()])
def test_help_to_a_reader_that_went_away_exits_141(home: Path, args: tuple[str, ...]) -> None:
    """`mlpath help | true` exited 1 (click's own answer to EPIPE), where every other
    command exits 141; a shell's completion request traced back."""
    from tests import forked

    env = {**os.environ, "MLPATH_HOME": str(home), **({} if args else COMPLETING)}
    result = forked.run(*args, env=env, stdout="broken", timeout=20)
    assert (result.returncode, result.stderr) == (141, "")


# -- a read cache that another user could have written --------------------------------------


def _planted(run: Run) -> Path:
    """The read cache, its keys right and its model another's: what a user who may write
    the file would leave there."""
    import marshal
    import zlib

    from mlpath.store import layout, readcache

    assert run("done", "1").exit_code == 0
    cache = Path(str(layout.read_cache_text(str(layout.home()))))
    data = cache.read_bytes()
    head = len(readcache.MAGIC) + 12  # the body's CRC-32 and size, then the body (whole())
    size = int.from_bytes(data[head - 8 : head], "big")
    identity, keys, model = marshal.loads(data[head : head + size])
    model["title"] = "Planted by another user"
    body = marshal.dumps((identity, keys, model))
    crc, length = zlib.crc32(body).to_bytes(4, "big"), len(body).to_bytes(8, "big")
    cache.write_bytes(readcache.MAGIC + crc + length + body + data[head + size :])
    return cache


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX owners and modes")
@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602])
def test_a_read_cache_others_may_write_is_not_trusted(
    run: Run, main: Callable[..., object], mode: int
) -> None:
    cache = _planted(run)
    cache.chmod(0o600)
    trusted = main("list")
    assert "Planted by another user" in str(trusted)  # the cache is what answers
    cache.chmod(mode)
    shown = main("list")
    assert "Planted by another user" not in str(shown)
    assert shown == main("list", env={"MLPATH_FULL_ROAD": "1"})


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
def test_a_read_cache_another_user_owns_is_not_trusted(
    run: Run, main: Callable[..., object]
) -> None:
    cache = _planted(run)
    os.chown(cache, 65534, 65534)
    shown = main("list")
    assert "Planted by another user" not in str(shown)
    assert shown == main("list", env={"MLPATH_FULL_ROAD": "1"})


# -- a FIFO where the history should be -------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="a FIFO")
@pytest.mark.parametrize(
    "args",
    [("status",), ("log",), ("done", "2"), ("undo",), ("doctor",), ("doctor", "--restore")],
)
def test_a_fifo_for_the_history_never_hangs(run: Run, home: Path, args: tuple[str, ...]) -> None:
    """Every command waited for ever on a FIFO put where history.jsonl should be (opening
    one for reading waits for a writer)."""
    from tests import forked

    assert run("done", "1").exit_code == 0
    history = home / "history.jsonl"
    history.unlink()
    os.mkfifo(history)
    env = {**os.environ, "MLPATH_HOME": str(home), "MLPATH_FULL_ROAD": "1"}
    result = forked.run(*args, env=env, timeout=20)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        f"mlpath: cannot read {history}: not a regular file; mlpath keeps its files as plain "
        "files: move it aside\n"
    )


# -- a data folder on a read-only mount -----------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "ST_RDONLY"), reason="statvfs's read-only flag")
def test_a_read_only_mount_is_not_called_a_permission(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change in a data folder on a read-only file system said "permission denied"."""
    assert run("done", "1").exit_code == 0
    before = files(home)
    real = os.statvfs

    class ReadOnly:
        def __init__(self, found: os.statvfs_result) -> None:
            self.f_flag = found.f_flag | os.ST_RDONLY

    monkeypatch.setattr(os, "access", lambda path, mode, **_: False)
    monkeypatch.setattr(os, "statvfs", lambda path: ReadOnly(real(path)))
    result = run("done", "2")
    one_line(result, 1, f"cannot write in {home}: read-only file system; nothing was changed")
    assert files(home) == before
    monkeypatch.setattr(os, "statvfs", real)
    result = run("done", "2")
    one_line(result, 1, f"cannot write in {home}: permission denied; nothing was changed")


# -- an environment that names no folder ----------------------------------------------------


@pytest.mark.parametrize("args", [("status",), ("done", "2"), ("where",)])
def test_a_data_folder_under_a_user_who_is_not_there_is_one_line(
    run: Run, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """MLPATH_HOME=~nobody-here/x traced back (RuntimeError from pathlib's expanduser)."""
    monkeypatch.setenv("MLPATH_HOME", "~no-such-user-here/mlpath")
    result = run(*args)
    one_line(result, 2, "MLPATH_HOME='~no-such-user-here/mlpath': there is no such user's home")
