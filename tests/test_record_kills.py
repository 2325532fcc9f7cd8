"""kill -9 at random moments of `doctor --restore` and `import --merge`: the store always
reads, holds everything its history held, and the next run completes the work."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlpath import catalogue
from mlpath.core.progress import Status
from mlpath.store import historyfile, record
from tests.conftest import REPO
from tests.test_record import assert_invariant

pytestmark = pytest.mark.slow
KILLS = 30


def fill(changes: int) -> None:
    """A store with `changes` events, in one commit (quick to make, slow enough to repair)."""
    cat = catalogue.load(catalogue.bundled_path())
    with record.transaction(cat) as tracker:
        for n in range(changes):
            tracker.mark(n % 7 + 1, [Status.DONE, Status.TODO][n % 2], record.clock())


def mlpath(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "mlpath", *args],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_soon(proc: subprocess.Popen[bytes], rng: random.Random) -> None:
    time.sleep(rng.uniform(0.15, 0.6))  # from start-up into the work
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def test_restore_killed_at_any_moment_loses_nothing(home: Path) -> None:
    fill(3000)
    history = (home / "history.jsonl").read_bytes()
    expected = record.read()
    rng = random.Random(7)
    for _ in range(KILLS):
        (home / "progress.toml").write_text("damaged")
        kill_soon(mlpath("doctor", "--restore"), rng)
        assert (home / "history.jsonl").read_bytes() == history
        assert record.read() == expected  # reads, whatever the kill left
    assert (
        subprocess.run([sys.executable, "-m", "mlpath", "doctor", "--restore"], cwd=REPO).returncode
        == 0
    )
    assert_invariant()


def test_restore_of_a_damaged_history_killed_at_any_moment_keeps_every_valid_event(
    home: Path,
) -> None:
    fill(3000)
    events = len(historyfile.read(home / "history.jsonl").events)
    lines = (home / "history.jsonl").read_bytes().splitlines(keepends=True)
    damaged = b"".join(lines[:10]) + b"garbage\n" + b"".join(lines[10:])
    rng = random.Random(11)
    for _ in range(KILLS):
        (home / "history.jsonl").write_bytes(damaged)
        for aside in home.glob("history.jsonl.damaged-*"):
            assert aside.read_bytes() == damaged
            aside.unlink()
        kill_soon(mlpath("doctor", "--restore"), rng)
        now = (home / "history.jsonl").read_bytes()
        assert now == damaged or len(historyfile.read(home / "history.jsonl").events) == events
    assert (
        subprocess.run([sys.executable, "-m", "mlpath", "doctor", "--restore"], cwd=REPO).returncode
        == 0
    )
    assert len(historyfile.read(home / "history.jsonl").events) == events
    assert_invariant()


def test_import_merge_killed_at_any_moment_adds_all_or_nothing(home: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    os.environ["MLPATH_HOME"] = str(other)
    fill(3000)
    export = tmp_path / "other.json"
    assert (
        subprocess.run(
            [sys.executable, "-m", "mlpath", "export", "-o", str(export)], cwd=REPO
        ).returncode
        == 0
    )
    os.environ["MLPATH_HOME"] = str(home)
    theirs = len(historyfile.read(other / "history.jsonl").events)
    fill(5)
    ours = (home / "history.jsonl").read_bytes()
    mine = len(historyfile.read(home / "history.jsonl").events)
    rng = random.Random(13)
    landed = 0
    for _ in range(KILLS):
        kill_soon(mlpath("import", "--merge", str(export)), rng)
        assert (home / "history.jsonl").read_bytes().startswith(ours)
        count = len(historyfile.read(home / "history.jsonl").events)
        assert count in (mine, mine + theirs)
        assert_invariant()
        if count == mine + theirs:
            landed += 1
            break
    assert landed <= 1
    assert (
        subprocess.run(
            [sys.executable, "-m", "mlpath", "import", "--merge", str(export)], cwd=REPO
        ).returncode
        == 0
    )
    assert len(historyfile.read(home / "history.jsonl").events) == mine + theirs  # none twice
    assert_invariant()


@pytest.mark.skipif(
    shutil.which("faketime") is None, reason="libfaketime's faketime is not installed"
)
def test_a_wall_clock_set_back_between_two_real_commands(home: Path) -> None:
    """End to end with libfaketime: the second command runs five days in the past."""

    def mlpath_at(when: str | None, *args: str) -> subprocess.CompletedProcess[str]:
        prefix = ["faketime", "-f", when] if when else []
        return subprocess.run(
            [*prefix, sys.executable, "-m", "mlpath", *args],
            cwd=REPO,
            capture_output=True,
            text=True,
        )

    assert mlpath_at(None, "done", "3").returncode == 0
    assert mlpath_at("-5d", "skip", "3").returncode == 0
    log = mlpath_at(None, "log", "--json")
    assert [e["action"] for e in json.loads(log.stdout)] == ["done", "skip"]
    (home / "progress.toml").unlink()
    assert json.loads(mlpath_at(None, "list", "--json").stdout)[2]["status"] == "skipped"
    assert mlpath_at(None, "undo").returncode == 0
    assert json.loads(mlpath_at(None, "list", "--json").stdout)[2]["status"] == "done"
    assert_invariant()
