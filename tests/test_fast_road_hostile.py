"""The fast road (cli/first.py, mlpath.fastroad, store/readcache.py) against what an
attacker or an unlucky user puts in its way: a shell's completion request, a FIFO where the
cache should be, a cache whose keys are right but whose model is not what the views read.
Each prints what the full road (MLPATH_FULL_ROAD=1) prints, and never hangs."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mlpath.cli import first
from mlpath.store import layout, readcache
from mlpath.views import readmodel
from tests.conftest import Ran


def _cache() -> Path:
    found = layout.read_cache_text(str(layout.home()))
    assert found is not None
    return Path(found)


def test_a_shell_completion_request_is_answered_by_the_full_road(
    main: Callable[..., Ran], run: Callable[..., Any]
) -> None:
    """bash calls `mlpath` with no arguments and the words in COMP_WORDS: that is not bare
    `mlpath` (the status), it is a completion request, which only the typer app answers."""
    run("done", "1")  # the cache is there: bare `mlpath` would be answered from it
    assert _cache().exists()
    env = {"_MLPATH_COMPLETE": "complete_bash", "COMP_WORDS": "mlpath sh", "COMP_CWORD": "1"}
    full = main(env={**env, "MLPATH_FULL_ROAD": "1"})
    assert "show" in full.stdout.split()
    assert main(env=env) == full


@pytest.mark.skipif(sys.platform == "win32", reason="a FIFO")
def test_a_fifo_for_a_cache_never_hangs(run: Callable[..., Any], tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer that never comes: the cache (and a
    source file swapped for one) is opened without waiting, and is a miss."""
    run("done", "1")
    cache = _cache()
    cache.unlink()
    os.mkfifo(cache)
    env = {k: v for k, v in os.environ.items() if k != "MLPATH_FULL_ROAD"}
    command = [sys.executable, "-c", "from mlpath.cli import main; main()", "list"]
    for road in ({}, {"MLPATH_FULL_ROAD": "1"}):
        done = subprocess.run(
            command, env={**env, **road}, capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0, done.stderr
        assert "Watch ML related videos" in done.stdout


def _rewrite(cache: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """The cache with its identity, keys and CRCs intact and its model changed (its PACKED
    columns as lists of bytes)."""
    found = readcache.parts(cache.read_bytes())
    assert found is not None
    identity, keys, model = found
    for name in readcache.PACKED:
        model["steps"][name] = list(model["steps"][name])
    change(model)
    cache.write_bytes(readcache.whole(identity, keys, model))


def _set(name: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda model: model.__setitem__(name, value)


def _first_step(name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """The first step's `name` set to `value`: among its "rest" (readmodel.REST) or its
    notes, each marshalled apart (readcache.PACKED), or in a column every read command
    looks at."""

    def change(model: dict[str, Any]) -> None:
        steps = model["steps"]
        if name in readmodel.REST:
            rest = list(marshal.loads(steps["rest"][0]))
            rest[readmodel.REST.index(name)] = value
            steps["rest"][0] = marshal.dumps(tuple(rest))
        elif name == "notes":
            steps["notes"][0] = marshal.dumps(value)
        else:
            steps[name][0] = value

    return change


def _packed(value: bytes, name: str = "rest") -> Callable[[dict[str, Any]], None]:
    def change(model: dict[str, Any]) -> None:
        column = model["steps"][name]
        column[:] = [value] * len(column)

    return change


def _shorter(name: str) -> Callable[[dict[str, Any]], None]:
    """The column `name` one step short of the others."""
    return lambda model: model["steps"][name].pop()


@pytest.mark.parametrize(
    ("argv", "change"),
    [
        (["status"], _set("title", 5)),
        (["status"], _set("last", "yesterday")),
        (["list"], _set("title", 5)),
        (["list"], _first_step("resources", [("a",)])),
        (["next"], _first_step("resources", [("a",)])),
        (["show", "1"], _first_step("resources", [("a",)])),
        (["show", "1"], _first_step("notes", [(None,)])),
        (["show", "1"], _packed(b"not marshal")),
        (["list"], _packed(marshal.dumps(["a list"]))),
        (["show", "1"], _packed(marshal.dumps(("too", "short")))),
        (["list"], _shorter("title")),
        (["list"], _shorter("tally")),
        (["next"], _packed(b"")),
        (["show", "1"], _packed(b"not marshal", "notes")),
    ],
    ids=[
        "status-title-int",
        "status-last-text",
        "list-title-int",
        "list-short-resource",
        "next-short-resource",
        "show-short-resource",
        "show-short-note",
        "show-packed-garbage",
        "list-packed-not-a-step",
        "show-packed-short",
        "list-titles-short",
        "list-tallies-short",
        "next-packed-empty",
        "show-notes-garbage",
    ],
)
def test_a_cache_of_another_shape_is_a_miss(
    main: Callable[..., Ran],
    run: Callable[..., Any],
    change: Callable[[dict[str, Any]], None],
    argv: list[str],
) -> None:
    """A model the views cannot read (another build of the same version, a hand-made file)
    whose identity and keys are right: the full road answers, never a traceback. (A model
    of the right types and the wrong content is shown as it is: the cache's keys are the
    defence there.)"""
    run("start", "2")
    full = main(*argv, env={"MLPATH_FULL_ROAD": "1"})
    _rewrite(_cache(), change)
    assert main(*argv) == full


def test_a_catalogue_changed_during_a_change_is_never_cached_stale(
    main: Callable[..., Ran], tmp_path: Path
) -> None:
    """A change reads the catalogue when it starts and writes the cache after its commit:
    a catalogue edited in between (a `git pull` of the team's file) must make that cache
    miss, not pair the old catalogue's titles with the new file's key."""
    from mlpath.app.session import Session

    team = tmp_path / "team.toml"
    step = 'id = "team"\ntitle = "Team"\n[[steps]]\nid = "a"\ntitle = "{}"\nsummary = "S."\n'
    team.write_text(step.format("Old title") + "challenge = 2\n", encoding="utf-8")
    session = Session(team)
    assert session.catalogue.steps[0].title == "Old title"  # read as a change reads it
    team.write_text(step.format("New title") + "challenge = 3\n", encoding="utf-8")
    session.set_skill(4)  # commits, then writes the cache
    full = main("--catalogue", str(team), "list", env={"MLPATH_FULL_ROAD": "1"})
    assert "New title" in full.stdout
    assert main("--catalogue", str(team), "list") == full


def test_a_cache_made_by_other_code_of_the_same_version_is_a_miss(
    main: Callable[..., Ran],
    run: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An editable install keeps its version number while its code changes: a cache made by
    the old code (here, a model the old code built with another title) is never shown."""
    shaper = tmp_path / "readmodel.py"
    shaper.write_text("# the code that shapes the model\n")
    monkeypatch.setattr(readcache, "SHAPED_BY", (str(shaper),))
    run("start", "2")
    full = main("status", env={"MLPATH_FULL_ROAD": "1"})
    _rewrite(_cache(), _set("title", "What the old code cached"))
    assert "What the old code cached" in main("status").stdout  # the cache is used
    shaper.write_text("# the code that shapes the model, edited\n")
    assert main("status") == full


def test_status_unpacks_no_step(
    main: Callable[..., Ran], run: Callable[..., Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """Each step's details (summary, resources, notes) are kept packed in the cache and read
    only by a command that shows them: with every step's details unreadable, `status` is
    still answered from the cache (5,000 steps cost it none of their details), and `show`
    is not: it takes the full road, which prints what is true."""
    run("start", "2")
    full = main("status", env={"MLPATH_FULL_ROAD": "1"})
    shown = main("show", "2", env={"MLPATH_FULL_ROAD": "1"})
    cache = _cache()
    model = readcache.load(str(layout.home()), str(layout.catalogue_text(None)[0]), True)
    assert model is not None
    assert list(model["steps"]) == list(readmodel.COLUMNS)
    for name in readcache.PACKED:
        assert isinstance(model["steps"][name], readcache.Packed)
        assert {type(value) for value in model["steps"][name]} == {bytes}
    _rewrite(cache, _packed(b"not marshal"))
    capsys.readouterr()
    assert first.fast(["status"]) == 0
    assert capsys.readouterr().out == full.stdout
    assert first.fast(["show", "2"]) is None
    assert capsys.readouterr().out == ""
    assert main("show", "2") == shown


def test_next_unpacks_no_notes(
    main: Callable[..., Ran], run: Callable[..., Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """A step's notes are packed apart from its other details: `next`, which shows the
    resources of the steps it names, reads none of their notes (thousands, for some)."""
    run("start", "1")
    run("note", "1", "a first note")
    full = main("next", env={"MLPATH_FULL_ROAD": "1"})
    _rewrite(_cache(), _packed(b"not marshal", "notes"))
    capsys.readouterr()
    assert first.fast(["next"]) == 0
    assert capsys.readouterr().out == full.stdout
    assert first.fast(["show", "1"]) is None


def test_a_cache_file_a_killed_writer_left_half_written_is_removed(
    run: Callable[..., Any],
) -> None:
    """A writer killed between writing the cache's temp file and renaming it leaves the temp
    behind, as big as the cache. The next write removes those left long ago, and leaves a
    temp young enough to be a live writer's, and any other file, alone."""
    run("done", "1")
    cache = _cache()
    folder = cache.parent
    stale = folder / f".{cache.name}.4242.tmp"
    young = folder / f".{cache.name}.4343.tmp"
    other = folder / f".{cache.name}.4242.kept"
    for path in (stale, young, other):
        path.write_bytes(cache.read_bytes())
    long_ago = time.time() - readcache.STALE - 60
    os.utime(stale, (long_ago, long_ago))
    os.utime(other, (long_ago, long_ago))
    run("done", "2")
    assert not stale.exists()
    assert young.exists() and other.exists()
    assert cache.exists()
