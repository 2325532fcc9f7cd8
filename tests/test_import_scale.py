"""An import holds a few bytes an event, not the events: they are checked as they are read
and kept on disk (store/spool.py) until they are committed."""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from mlpath.core.events import Event
from mlpath.core.history import ordered, replay
from mlpath.errors import StoreError
from mlpath.store import historyfile, importing, progressfile, record, spool
from tests.test_history_scale import T0, Run, build, peak_kb


def events(count: int, machine: str = "aaaaaaaaaaaa") -> list[Event]:
    details: list[dict[str, object]] = [{"from": None, "to": n % 10 + 1} for n in range(count)]
    at = [T0 + timedelta(seconds=n) for n in range(count)]
    return [
        Event(machine, n + 1, n + 1, n, at[n], "seven-ways", "skill", None, details[n])
        for n in range(count)
    ]


def fields(event: Event) -> tuple[object, ...]:
    return (event.id, event.batch, event.clock, event.at, event.action, event.details)


@pytest.mark.parametrize("count", [0, 1, spool.BATCH, spool.BATCH + 1, 3 * spool.BATCH + 7])
def test_a_spool_gives_back_what_it_was_given_in_its_order(count: int) -> None:
    given = events(count)
    with spool.Spooled() as kept:
        for event in given:
            kept.add(event)
        assert len(kept) == count
        for _ in range(2):  # read twice: from the start each time
            assert [fields(e) for e in kept] == [fields(e) for e in given]
        assert (kept.first and kept.first.id) == (given[0].id if given else None)
        assert kept.reach("aaaaaaaaaaaa") == ((count - 1, count) if count else (0, 0))
        assert kept.reach("bbbbbbbbbbbb") == (max(count - 1, 0), 0)
        if count:
            assert given[-1] in kept


def test_a_spool_knows_the_highest_clock_and_seq_wherever_they_come() -> None:
    late, early = events(2)
    with spool.Spooled() as kept:
        kept.add(late.replace(clock=9, seq=7))
        kept.add(early.replace(clock=3, seq=2))
        assert kept.reach("aaaaaaaaaaaa") == (9, 7)


def test_a_spool_is_read_by_one_reader_at_a_time() -> None:
    with spool.Spooled() as kept:
        for event in events(3):
            kept.add(event)
        reading = iter(kept)
        next(reading)
        with pytest.raises(RuntimeError):
            next(iter(kept))
        with pytest.raises(RuntimeError):
            kept.add(events(1)[0])


def test_a_temporary_folder_that_cannot_be_written_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    kept = spool.Spooled()
    with pytest.raises(StoreError, match=r"^cannot keep the events being imported in the tem"):
        for event in events(spool.BATCH + 1):
            kept.add(event)


def export_of(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch, name: str) -> Path:
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / name))
    target = tmp_path / f"{name}.json"
    assert run("export", "-o", str(target)).exit_code == 0
    return target


def test_identities_repeated_out_of_turn_are_refused(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A machine's seqs rise in an export; one repeated after they stopped rising is found
    too, with the position of its second coming."""
    build(tmp_path / "other", 6, notes=False)
    document = json.loads(export_of(tmp_path, run, monkeypatch, "other").read_text())
    listed = document["events"]
    document["events"] = [listed[0], listed[3], listed[2], listed[4], listed[3], listed[5]]
    (tmp_path / "e.json").write_text(json.dumps(document))
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "fresh"))
    result = run("import", str(tmp_path / "e.json"))
    assert result.exit_code == 1
    second = f"{listed[3]['machine']}:{listed[3]['seq']}"
    assert result.stderr == (
        f"mlpath: {tmp_path / 'e.json'}: events[4]: a second event {second}; nothing imported\n"
    )
    assert not (tmp_path / "fresh" / "history.jsonl").exists()


@pytest.mark.parametrize("merge", [False, True])
def test_an_export_out_of_its_order_imports_as_the_ordered_one_does(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch, merge: bool
) -> None:
    build(tmp_path / "other", 40, "bbbbbbbbbbbb", T0 + timedelta(seconds=30))
    build(tmp_path / "ours", 40)
    exported = export_of(tmp_path, run, monkeypatch, "other")
    document = json.loads(exported.read_text())
    random.Random(4).shuffle(document["events"])
    (tmp_path / "shuffled.json").write_text(json.dumps(document))
    made = {}
    for name, source in (("a", exported), ("b", tmp_path / "shuffled.json")):
        home = tmp_path / name
        if merge:
            shutil.copytree(tmp_path / "ours", home)
        monkeypatch.setenv("MLPATH_HOME", str(home))
        assert run("import", *(["--merge"] if merge else []), str(source)).exit_code == 0
        history = historyfile.read(home / "history.jsonl").events
        made[name] = (record.read(), ordered(history))
        snapshot = progressfile.read_snapshot(home / "progress.toml")
        assert snapshot is not None  # its clock is the history's highest, wherever that is
        assert snapshot.mark.clock == max(e.clock for e in history)
    assert made["a"][0] == made["b"][0]
    assert [fields(e) for e in made["a"][1]] == [fields(e) for e in made["b"][1]]


def test_an_import_read_in_its_order_is_replayed_as_it_is_read(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path / "other", 30)
    imported = importing.read(export_of(tmp_path, run, monkeypatch, "other"))
    with imported:
        assert imported.in_order and not imported.before_identities
        assert imported.replayed is not None
        on_disk = historyfile.read(tmp_path / "other" / "history.jsonl").events
        assert imported.replayed == replay(ordered(on_disk))
        assert [fields(e) for e in imported.events] == [fields(e) for e in ordered(on_disk)]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM (Linux)")
@pytest.mark.parametrize("merge", [False, True])
def test_an_import_holds_a_few_bytes_an_event_not_the_events(
    tmp_path: Path, exported: Callable[[int], Path], merge: bool
) -> None:
    build(tmp_path / "ours", 2000, notes=False)
    peaks = []
    for name, changes in (("small", 2000), ("large", 20000)):
        home = tmp_path / f"into-{name}"
        if merge:
            shutil.copytree(tmp_path / "ours", home)
        words = ["import", *(["--merge"] if merge else []), str(exported(changes))]
        peaks.append(peak_kb(home, *words))
    # 18,000 more events: 8 bytes each to know their identities are unique, and the index
    # of ours on a merge, never the 15 MB and more that holding them takes.
    assert peaks[1] - peaks[0] < 4000


def test_own_events_imported_back_out_of_order_leave_no_seq_to_reuse(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export of this store's own, shuffled and imported back into it emptied: its next
    change takes a seq after all of them, wherever the highest came in the file."""
    build(tmp_path / "ours", 30)
    document = json.loads(export_of(tmp_path, run, monkeypatch, "ours").read_text())
    random.Random(2).shuffle(document["events"])
    (tmp_path / "shuffled.json").write_text(json.dumps(document))
    for name in ("history.jsonl", "progress.toml"):
        (tmp_path / "ours" / name).unlink()  # machine.toml stays: the same machine
    assert run("import", str(tmp_path / "shuffled.json")).exit_code == 0
    assert run("skill", "3").exit_code == 0
    history = historyfile.read(tmp_path / "ours" / "history.jsonl").events
    assert history[-1].seq == 31 and len({e.id for e in history}) == len(history)
    assert run("doctor").exit_code == 0


def test_a_long_import_says_its_count_with_thousands_marked(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path / "other", 1200, notes=False)
    exported = export_of(tmp_path, run, monkeypatch, "other")
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "fresh"))
    assert run("import", str(exported)).stdout == "Imported 1,200 changes.\n"
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "fresh"))
    merged = run("import", "--merge", str(exported))
    assert merged.stdout == "Merged: 0 new changes; 1,200 you had already.\n"
