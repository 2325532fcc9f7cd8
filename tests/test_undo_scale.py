"""An undo of an import holds what it must know of the import, not its events: a commit
longer than historytail.LONG lines is read again from the file each time it is walked, the
undo events go to a spool, and what is shown is the first of them and a count."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from mlpath.core import outcome, reverting
from mlpath.store import historyfile, historytail, spool
from tests.conftest import Clock
from tests.test_history_scale import T0, Run, build, peak_kb
from tests.test_import_scale import events, export_of, fields

MODULES, NAMES = (historytail, reverting, historytail), ("LONG", "HELD", "DECODED")
STEPS = ("undo", "undo", "redo", "undo", "redo", "redo", "undo")


def imported(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch, merge: bool) -> Path:
    """A store that has just imported another's 300 changes (some undone and redone there),
    into an empty store or, with `merge`, into one with changes of its own."""
    build(tmp_path / "other", 300, "bbbbbbbbbbbb", T0 + timedelta(seconds=30))
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "other"))
    for step in ("undo", "undo", "redo"):
        assert run(step).exit_code == 0
    exported = export_of(tmp_path, run, monkeypatch, "other")
    home = tmp_path / "imported"
    if merge:
        build(home, 40)
    monkeypatch.setenv("MLPATH_HOME", str(home))
    assert run("import", *(["--merge"] if merge else []), str(exported)).exit_code == 0
    return home


@pytest.mark.parametrize("merge", [False, True])
def test_an_import_too_long_to_hold_is_undone_and_redone_as_a_held_one_is(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch, clock: Clock, merge: bool
) -> None:
    """The same undos and redos of a 300-event import, its commit read again from the file
    (LONG 50) and held (LONG as it is): the same history and snapshot, byte for byte, and
    the same screens, after every step. The clock stands still in both runs."""
    home = imported(tmp_path, run, monkeypatch, merge)
    said: dict[str, list[str]] = {}
    files: dict[str, list[bytes]] = {}
    held = (historytail.LONG, reverting.HELD, historytail.DECODED)
    # Read again: its ids kept, not its events, and decoded newest first 7 lines at a time.
    for name, sizes in (("held", held), ("read-again", (50, 20, 7))):
        for module, size, value in zip(MODULES, NAMES, sizes, strict=True):
            monkeypatch.setattr(module, size, value)
        store = tmp_path / name
        shutil.copytree(home, store)
        monkeypatch.setenv("MLPATH_HOME", str(store))
        said[name], files[name] = [], []
        for step in STEPS:
            result = run(step)
            assert result.exit_code == 0, result.output
            said[name].append(result.stdout)
            files[name] += [(store / f).read_bytes() for f in ("history.jsonl", "progress.toml")]
    assert files["read-again"] == files["held"]
    assert said["read-again"] == said["held"]
    # It did undo the import, as a whole, and the redos put it back.
    assert said["held"][0].count("\n") > 250 and said["held"][-1].startswith("Undone: ")
    lines = files["held"][0].count(b"\n") - home.joinpath("history.jsonl").read_bytes().count(b"\n")
    assert lines > 250


def test_a_long_commit_read_again_is_the_commit_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read from the end with LONG small, a long commit (here 130 events between commits of
    one) is a Stored one, which gives the events of the commit read whole, forwards and
    newest first, however the chunks it reads cut its lines."""
    build(tmp_path, 120)
    path = tmp_path / "history.jsonl"
    data = path.read_bytes()
    path.write_bytes(data + historyfile.encode(events(130, "bbbbbbbbbbbb")) + data[:300])
    size = len(data) + len(historyfile.encode(events(130, "bbbbbbbbbbbb")))
    size += data.index(b"\n") + 1
    path.write_bytes(path.read_bytes()[:size])  # the first commit again, last
    held = list(historytail.commits_from_end(path, size))
    monkeypatch.setattr(historytail, "DECODED", 7)
    monkeypatch.setattr(historytail, "CHUNK", 1000)  # lines cut across chunks
    for long in (5, 50, 129):
        monkeypatch.setattr(historytail, "LONG", long)
        read = list(historytail.commits_from_end(path, size))
        assert len(read) == len(held) == 122
        stored = [commit for commit in read if isinstance(commit, historytail.Stored)]
        assert [len(commit) for commit in stored] == [130]
        for again, whole in zip(read, held, strict=True):
            assert isinstance(whole, list) and len(again) == len(whole)
            assert [fields(e) for e in again] == [fields(e) for e in whole]
            assert [fields(e) for e in reversed(again)] == [fields(e) for e in reversed(whole)]


def test_an_undo_of_many_changes_shows_the_first_and_counts_the_rest(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("done", "1", "2", "3", "4", "5").exit_code == 0
    monkeypatch.setattr(outcome, "SHOWN", 3)
    result = run("undo")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 4 and lines[-1] == "        and 2 more changes."
    assert lines[0].startswith("Undone: step 5")
    redone = run("redo").stdout.splitlines()
    assert len(redone) == 4 and redone[-1] == "        and 2 more changes."
    kept = outcome.Outcomes()
    for _ in range(1234 + 3):
        kept.append(outcome.Outcome("skill", None, None, 1, 2, True))
    assert len(kept) == 3 and kept.more == 1234


def test_a_spool_records_as_a_tracker_needs() -> None:
    given = events(spool.BATCH + 5)
    kept = spool.Spooled(spool.CHANGING)
    for event in given:
        kept.append(event)
    assert kept[0].id == given[0].id and kept[-1].id == given[-1].id
    assert kept[len(given) - 1] is kept[-1] and kept[-len(given)] is kept[0]
    with pytest.raises(IndexError):
        kept[1]
    assert [fields(e) for e in kept] == [fields(e) for e in given]
    kept.clear()
    assert not kept and list(kept) == [] and not kept.closed
    kept.append(given[0])
    assert [e.id for e in kept] == [given[0].id]
    kept.close()
    assert kept.closed and len(kept) == 1
    with pytest.raises(RuntimeError):
        list(kept)
    with pytest.raises(RuntimeError):
        kept.append(given[1])


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM (Linux)")
def test_an_undo_of_an_import_holds_a_few_bytes_an_event_not_the_events(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch, exported: Callable[[int], Path]
) -> None:
    peaks = []
    for name, changes in (("small", 2000), ("large", 20000)):
        home = tmp_path / f"into-{name}"
        monkeypatch.setenv("MLPATH_HOME", str(home))
        assert run("import", str(exported(changes))).exit_code == 0
        peaks.append(peak_kb(home, "undo"))
        assert (home / "history.jsonl").read_bytes().count(b"\n") == 2 * changes  # undone
    # 18,000 more events to undo: their identities (8 bytes each), the history's index (40)
    # and the commit's last LONG lines, gathered before it is known to be long (4.5 MB
    # here), never the 34 MB that holding them and their undos took.
    assert peaks[1] - peaks[0] < 8000


def test_a_long_undo_or_redo_says_what_it_reads(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An undo or a redo of an import of more than BIG events says, on a terminal, that it is
    reading it (a wait is never silent); a change of its own size is not announced."""
    from mlpath.app import walks
    from mlpath.app.session import Session

    home = imported(tmp_path, run, monkeypatch, merge=False)
    monkeypatch.setattr(walks, "BIG", 250)
    said: list[str] = []
    session = Session()
    assert len(session.undo(said.append)) > 250
    assert said == ["reading a change of 303 events"]
    said.clear()
    assert len(Session().redo(said.append)) > 250
    assert said[0] == "reading a change of 299 events"  # the undo: the changes that stood
    said.clear()
    monkeypatch.setattr(walks, "BIG", 303)
    Session().undo(said.append)
    assert said == []
    assert home.exists()


def test_an_undo_that_must_replay_a_long_history_says_so(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Undoing another store's changes (a merged import) replays the whole history without
    them: on a long history that is said first, once; undoing this store's own change, whose
    `from` values are exact, replays nothing and says nothing."""
    from mlpath.app import waits, walks
    from mlpath.app.session import Session

    imported(tmp_path, run, monkeypatch, merge=True)
    monkeypatch.setattr(walks, "BIG", 10**9)  # no commit is long: only the replay is told
    monkeypatch.setattr(waits, "BIG", 1)  # every history is long
    said: list[str] = []
    assert len(Session().undo(said.append)) > 250
    assert said == ["replaying the whole history to find the values to put back"]
    own = tmp_path / "own"
    build(own, 40)
    monkeypatch.setenv("MLPATH_HOME", str(own))
    said.clear()
    assert len(Session().undo(said.append)) >= 1
    assert said == []
