"""The history at scale: undo reads it from the end, the commands that walk it stream it in
its one order, and lines and imports are held to their limits."""

from __future__ import annotations

import io
import json
import os
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import Result

from mlpath import catalogue
from mlpath.core.history import ordered, replay
from mlpath.core.progress import Origin, Progress, Status
from mlpath.core.tracker import Tracker
from mlpath.errors import BadImport
from mlpath.store import historyfile, historyindex, importing, jsonstream, progressfile, record
from tests import forked

Run = Callable[..., Result]
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def build(
    home: Path,
    changes: int,
    machine: str = "aaaaaaaaaaaa",
    start: datetime = T0,
    *,
    notes: bool = True,
) -> None:
    """A store of `changes` commands of one change each, written as mlpath writes them, with
    a current snapshot: quicker than running the commands. Without `notes`, its state stays
    the same size however long the history grows."""
    cat = catalogue.load(catalogue.bundled_path())
    home.mkdir(parents=True, exist_ok=True)
    (home / "machine.toml").write_text(f'id = "{machine}"\nname = "test"\n')
    rng = random.Random(changes)
    tracker = Tracker(cat, Progress(), Origin(machine, 0, 0))
    chunks = []
    for n in range(changes):
        when = start + timedelta(minutes=n)
        if n % 3 == 0:
            tracker.set_skill(1 + n % 10, when)
        elif n % 3 == 1 and notes:
            tracker.note(rng.randint(1, 7), f"note {n}", when)
        else:
            rank = rng.randint(1, 7)
            now = tracker.status(cat.steps[rank - 1])
            tracker.mark(rank, rng.choice([s for s in Status if s is not now]), when)
        chunks.append(historyfile.encode(tracker.events))
        last = tracker.events[-1]
        tracker.origin = Origin(machine, last.seq, last.clock)
        tracker.events.clear()
    data = b"".join(chunks)
    (home / "history.jsonl").write_bytes(data)
    tail = data[data.rfind(b"\n", 0, len(data) - 1) + 1 :]
    o = tracker.origin
    mark = progressfile.Mark(o.seq, len(data), historyfile.fingerprint(tail), o.clock, o.seq)
    (home / "progress.toml").write_bytes(progressfile.dump(tracker.progress, mark))


def test_undo_reads_the_history_from_its_end(run: Run, home: Path) -> None:
    build(home, 300)
    history = home / "history.jsonl"
    lines = history.read_bytes().splitlines(keepends=True)
    # The first line unreadable, the file the same size: the snapshot still matches it, so
    # only a command that reads the whole history can notice.
    history.write_bytes(b"x" * (len(lines[0]) - 1) + b"\n" + b"".join(lines[1:]))
    before = record.read()
    result = run("undo")
    assert result.exit_code == 0, result.output
    assert record.read() != before
    assert history.read_bytes().startswith(b"x" * 10)
    assert "damaged at line 1" in run("doctor").stdout  # the damage is there to be found


def test_undo_decodes_only_the_commits_it_walks(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(home, 2000)
    decoded: list[bytes] = []
    real = historyfile.decode

    def counting(line: bytes) -> object:
        decoded.append(line)
        return real(line)

    monkeypatch.setattr(historyfile, "decode", counting)
    monkeypatch.setattr(historyindex, "decode", counting)
    assert run("undo").exit_code == 0
    assert 1 <= len(decoded) <= 3  # the change undone, and nothing before it
    decoded.clear()
    assert run("log", "-n", "5").exit_code == 0
    assert len(decoded) == 5  # the log decodes only the rows it shows


def peak_kb(home: Path, *args: str) -> int:
    """The most memory `mlpath ARGS` held (its peak resident set, KB), output to nowhere:
    forked from a process with mlpath imported (tests/forked.py), without a start-up."""
    return forked.peak_kb(*args, env={**os.environ, "MLPATH_HOME": str(home)})


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two stores with the same state, one with ten times the history of the other."""
    folder = tmp_path_factory.mktemp("stores")
    build(folder / "small", 2000, notes=False)
    build(folder / "large", 20000, notes=False)
    return folder / "small", folder / "large"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM (Linux)")
@pytest.mark.parametrize(
    "args", [("log",), ("log", "--json"), ("export",), ("doctor",), ("doctor", "--restore")]
)
def test_walking_a_long_history_holds_its_index_not_its_events(
    stores: tuple[Path, Path], tmp_path: Path, args: tuple[str, ...]
) -> None:
    small, large = stores
    # 18,000 more events: about 40 bytes each in the index (and a few hundred KB more to
    # sort them), never the 10 MB and more that holding them takes.
    assert peak_kb(large, *args) - peak_kb(small, *args) < 4000


def merged_store(home: Path, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two stores' histories interleaved in time, merged: the file is out of its order."""
    other = tmp_path / "other"
    build(home, 60)
    build(other, 60, "bbbbbbbbbbbb", T0 + timedelta(seconds=30))
    monkeypatch.setenv("MLPATH_HOME", str(other))
    assert run("export", "-o", str(tmp_path / "other.json")).exit_code == 0
    monkeypatch.setenv("MLPATH_HOME", str(home))
    assert run("import", "--merge", str(tmp_path / "other.json")).exit_code == 0


def test_a_history_out_of_its_order_is_walked_in_it(
    run: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    merged_store(home, tmp_path, run, monkeypatch)
    committed = historyfile.read(home / "history.jsonl")
    assert committed.events != ordered(committed.events)  # the file is not in key order
    index = historyindex.opened(home / "history.jsonl")
    assert index is not None
    with index:
        assert not index.in_order
        assert list(index.events(index.order())) == ordered(committed.events)
    keys = [
        (e["clock"], e["machine"], e["seq"]) for e in json.loads(run("export").stdout)["events"]
    ]
    assert keys == sorted(keys) and len(keys) == 120
    shown = json.loads(run("log", "--json").stdout)
    assert [e["at"] for e in shown] == [e.at.isoformat() for e in ordered(committed.events)]
    (home / "progress.toml").unlink()  # replayed from the file, in the one order
    assert record.read() == replay(committed.events)


def spaced(line: bytes) -> bytes:
    """The line as Python's json.dumps writes it (spaces after commas and colons), sealed
    as it was."""
    fields = json.loads(line)
    sealed = fields.pop("end", False)
    text = json.dumps(fields)
    return (text[:-1] + (',"end":true}' if sealed else "}") + "\n").encode()


def test_lines_not_as_mlpath_writes_them_are_read_alike(run: Run, home: Path) -> None:
    build(home, 40)
    history = home / "history.jsonl"
    before = json.loads(run("log", "--json").stdout)
    lines = history.read_bytes().splitlines(keepends=True)
    history.write_bytes(b"".join(spaced(line) if n % 2 else line for n, line in enumerate(lines)))
    (home / "progress.toml").unlink()
    assert json.loads(run("log", "--json").stdout) == before
    assert run("doctor").exit_code == 0


def test_a_line_whose_fields_say_two_things_is_damage(run: Run, home: Path) -> None:
    build(home, 5)
    history = home / "history.jsonl"
    lines = history.read_bytes().splitlines(keepends=True)
    first = json.loads(lines[0])
    # The order as its first fields say it, and another clock given again later: JSON
    # takes the last, so the line would be sorted by one clock and replayed with another.
    lines[0] = lines[0].replace(
        b',"end":true}', f',"clock":{first["clock"] + 10**9},"end":true}}'.encode()
    )
    history.write_bytes(b"".join(lines))
    (home / "progress.toml").unlink()
    result = run("log")
    assert result.exit_code == 1
    assert f"{history}: damaged at line 1: a field given twice" in result.stderr


def test_a_history_line_longer_than_the_limit_is_damage(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(home, 5)
    monkeypatch.setattr(historyfile, "LINE_LIMIT", 200)
    monkeypatch.setattr(historyindex, "LINE_LIMIT", 200)
    run("note", "2", "a" * 300)
    result = run("doctor")
    assert result.exit_code == 1
    assert "longer than" in result.stdout


class Trickle(io.BytesIO):
    """A stream that gives at most two bytes a read, as a slow pipe may: every value
    arrives cut."""

    def read(self, size: int | None = -1) -> bytes:
        return super().read(2)


def test_values_cut_at_the_edge_of_the_window_are_read_whole() -> None:
    document = {"a": 12345678, "events": [1, 23456, {"b": [1.5, "ü" * 7]}, None], "z": -70}
    text = json.dumps(document, indent=1, ensure_ascii=False).encode()
    source = jsonstream.Source(Trickle(text), 1 << 20, BadImport)
    found: dict[str, object] = {}
    elements = []
    for key, value in jsonstream.members(source, "events"):
        if key == "events[]":
            elements.append(value)
        else:
            found[key] = value
    assert elements == document["events"]
    assert found == {"a": 12345678, "events": jsonstream.END, "z": -70}


def test_an_import_over_the_limit_is_refused_in_one_line(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path / "other", 50)
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "other"))
    run("export", "-o", str(tmp_path / "e.json"))
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "fresh"))
    monkeypatch.setattr(importing, "LIMIT", 4096)
    result = run("import", str(tmp_path / "e.json"))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"mlpath: {tmp_path / 'e.json'}: larger than 0 MiB, the limit for exports\n"
    )
    assert not (tmp_path / "fresh").exists()


def test_an_export_with_its_events_first_imports_the_same(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path / "other", 30)
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "other"))
    document = json.loads(run("export").stdout)
    reordered = {"events": document.pop("events"), **document}
    (tmp_path / "e.json").write_text(json.dumps(reordered))
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "fresh"))
    assert run("import", str(tmp_path / "e.json")).exit_code == 0
    assert (
        historyfile.read(tmp_path / "fresh" / "history.jsonl").events
        == historyfile.read(tmp_path / "other" / "history.jsonl").events
    )
