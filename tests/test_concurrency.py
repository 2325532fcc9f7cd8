"""Several writers at once, and writers killed at random moments: no change is lost."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mlpath import catalogue
from mlpath.core.history import replay
from mlpath.errors import StoreError
from mlpath.store import doctor, layout, progressfile, record
from tests import forked

pytestmark = pytest.mark.slow


def writers(n: int, changes: int, mode: str, folder: Path) -> int:
    """Start n writer processes at once (forked: tests/forked.py); the number of changes
    they say they made."""
    said = [folder / f"writer-{k}.out" for k in range(n)]
    procs = [forked.writer(str(changes), mode, out=out) for out in said]
    for proc in procs:
        assert proc.wait() == 0
    return sum(int(out.read_text()) for out in said)


def committed_seqs() -> list[int]:
    return [event.seq for event in record.read_history()]


def mark() -> progressfile.Mark:
    return record.state(layout.paths()).mark


def invariant() -> None:
    """The state mlpath shows is the replay of the committed history."""
    assert record.read() == replay(record.read_history())


def test_concurrent_writers_lose_nothing(home: Path, tmp_path: Path) -> None:
    made = writers(4, 30, "lock", tmp_path)
    assert made == 120
    assert committed_seqs() == list(range(1, 121))
    assert mark().events == 120
    invariant()
    assert all(finding.ok for finding in doctor.check(None))


def test_without_the_lock_changes_are_lost(home: Path, tmp_path: Path) -> None:
    # The same test with the lock disabled: it must catch the fault it exists for.
    made = writers(4, 30, "nolock", tmp_path)
    try:
        kept = len(set(committed_seqs()))
    except StoreError:
        kept = 0  # the store was left inconsistent: every change is in doubt
    assert kept < made, f"{made} changes made, {kept} kept: the race never happened"


def test_killed_writers_never_damage_the_store(home: Path) -> None:
    cat = catalogue.load(catalogue.bundled_path())
    rng = random.Random(20261124)
    seen = 0
    interrupted = 0
    history = home / "history.jsonl"
    for _ in range(25):
        proc = forked.writer("0", "lock")  # a real process, without an interpreter's start-up
        # Into the writing, however slow start-up is on a loaded machine: wait for the
        # writer's first commit, then kill it at a random moment of the ones that follow.
        started = history.stat().st_size if history.exists() else 0
        deadline = time.monotonic() + 60
        while (history.stat().st_size if history.exists() else 0) == started:
            assert time.monotonic() < deadline and proc.alive(), "the writer never wrote"
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.15))
        proc.kill()

        invariant()  # always reads, and shows the replay of what was committed
        seqs = committed_seqs()
        assert seqs == list(range(1, len(seqs) + 1)) and mark().events == len(seqs)
        assert len(seqs) >= seen, "the history shrank"
        seen = len(seqs)
        temps = list(home.glob(record.TEMP_PATTERN))
        tail = (history.stat().st_size if history.exists() else 0) - mark().bytes
        interrupted += bool(temps or tail)

        with record.transaction(cat) as tracker:  # the next writer
            tracker.set_skill((tracker.path.skill or 1) % 10 + 1, datetime.now(UTC))
        seen += 1
        assert not list(home.glob(record.TEMP_PATTERN))
        assert (home / "history.jsonl").stat().st_size == mark().bytes
        assert committed_seqs() == list(range(1, seen + 1))
        invariant()
        assert all(finding.ok for finding in doctor.check(None))
    assert seen > 25  # the killed writers did commit changes along the way
    # About half the kills land mid-write here; none would mean the test never saw a crash.
    assert interrupted > 0, "no kill interrupted a write: the test proved nothing"
