"""kill -9 at random moments of `doctor --restore` and `import --merge`: the store always
reads, holds everything its history held, and the next run completes the work.

Each killed run is forked from a process that has mlpath imported (tests/forked.py), and
killed at a random moment of the span a whole run takes here, measured first: every kill
lands in the command's work, not in an interpreter's start-up. The run that completes the
work at the end is `python -m mlpath` itself.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mlpath import catalogue
from mlpath.core.progress import Status
from mlpath.store import historyfile, record
from tests import forked
from tests.conftest import REPO, in_process
from tests.test_record import assert_invariant

pytestmark = pytest.mark.slow
KILLS = 30
# Changes in the store each command works on. Every kill lands inside the command's span,
# however long it is, so a store need not be big for the kills to land in the work.
CHANGES = 1000


def fill(changes: int) -> None:
    """A store with `changes` events, in one commit."""
    cat = catalogue.load(catalogue.bundled_path())
    with record.transaction(cat) as tracker:
        for n in range(changes):
            tracker.mark(n % 7 + 1, [Status.DONE, Status.TODO][n % 2], record.clock())


def mlpath_to_the_end(*args: str) -> int:
    """The real command, `python -m mlpath ARGS`, run to its end."""
    return subprocess.run([sys.executable, "-m", "mlpath", *args], cwd=REPO).returncode


def test_restore_killed_at_any_moment_loses_nothing(home: Path) -> None:
    fill(CHANGES)
    history = (home / "history.jsonl").read_bytes()
    expected = record.read()
    (home / "progress.toml").write_text("damaged")
    span = forked.duration("doctor", "--restore")
    rng = random.Random(7)
    interrupted = 0
    for _ in range(KILLS):
        (home / "progress.toml").write_text("damaged")
        forked.mlpath("doctor", "--restore").kill_after(rng.uniform(0, span))
        interrupted += (home / "progress.toml").read_text() == "damaged"
        assert (home / "history.jsonl").read_bytes() == history
        assert record.read() == expected  # reads, whatever the kill left
    assert interrupted > 0, "no kill came before the restore was written: it proved nothing"
    assert mlpath_to_the_end("doctor", "--restore") == 0
    assert_invariant()


def test_restore_of_a_damaged_history_killed_at_any_moment_keeps_every_valid_event(
    home: Path,
) -> None:
    fill(CHANGES)
    events = len(historyfile.read(home / "history.jsonl").events)
    lines = (home / "history.jsonl").read_bytes().splitlines(keepends=True)
    damaged = b"".join(lines[:10]) + b"garbage\n" + b"".join(lines[10:])
    (home / "history.jsonl").write_bytes(damaged)
    span = forked.duration("doctor", "--restore")
    rng = random.Random(11)
    interrupted = 0
    for _ in range(KILLS):
        (home / "history.jsonl").write_bytes(damaged)
        for aside in home.glob("history.jsonl.damaged-*"):
            assert aside.read_bytes() == damaged
            aside.unlink()
        forked.mlpath("doctor", "--restore").kill_after(rng.uniform(0, span))
        now = (home / "history.jsonl").read_bytes()
        interrupted += now == damaged
        assert now == damaged or len(historyfile.read(home / "history.jsonl").events) == events
    assert interrupted > 0, "no kill came before the history was replaced: it proved nothing"
    assert mlpath_to_the_end("doctor", "--restore") == 0
    assert len(historyfile.read(home / "history.jsonl").events) == events
    assert_invariant()


def test_import_merge_killed_at_any_moment_adds_all_or_nothing(home: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    os.environ["MLPATH_HOME"] = str(other)
    fill(CHANGES)
    export = tmp_path / "other.json"
    assert forked.mlpath("export", "-o", str(export)).wait() == 0
    os.environ["MLPATH_HOME"] = str(home)
    theirs = len(historyfile.read(other / "history.jsonl").events)
    fill(5)
    before = {p.name: p.read_bytes() for p in home.iterdir() if p.is_file()}
    ours = (home / "history.jsonl").read_bytes()
    mine = len(historyfile.read(home / "history.jsonl").events)
    trial = tmp_path / "trial"
    shutil.copytree(home, trial)
    span = forked.duration(
        "import", "--merge", str(export), env={**os.environ, "MLPATH_HOME": str(trial)}
    )
    rng = random.Random(13)
    interrupted = 0
    for _ in range(KILLS):  # each kill is of an import that has yet to add their events
        forked.mlpath("import", "--merge", str(export)).kill_after(rng.uniform(0, span))
        assert (home / "history.jsonl").read_bytes().startswith(ours)
        count = len(historyfile.read(home / "history.jsonl").events)
        assert count in (mine, mine + theirs)
        assert_invariant()
        if count == mine:
            interrupted += 1
        else:  # it landed before the kill: back to the store without their events
            for path in home.iterdir():
                if path.is_file():
                    path.unlink()
            for name, data in before.items():
                (home / name).write_bytes(data)
    assert interrupted > 0, "no kill came before the import's commit: it proved nothing"
    assert mlpath_to_the_end("import", "--merge", str(export)) == 0
    assert len(historyfile.read(home / "history.jsonl").events) == mine + theirs
    assert_invariant()
    assert mlpath_to_the_end("import", "--merge", str(export)) == 0
    assert len(historyfile.read(home / "history.jsonl").events) == mine + theirs  # none twice
    assert_invariant()


@pytest.mark.skipif(
    shutil.which("faketime") is None, reason="libfaketime's faketime is not installed"
)
def test_a_wall_clock_set_back_between_two_real_commands(home: Path) -> None:
    """End to end with libfaketime: the second command runs five days in the past. The two
    changes are real processes, each on its own clock; what they left is read in-process."""

    def mlpath_at(when: str | None, *args: str) -> None:
        prefix = ["faketime", "-f", when] if when else []
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "mlpath", *args],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr

    def shown(*args: str) -> Any:
        return json.loads(in_process(*args).stdout)

    mlpath_at(None, "done", "3")
    mlpath_at("-5d", "skip", "3")
    assert [e["action"] for e in shown("log", "--json")] == ["done", "skip"]
    (home / "progress.toml").unlink()
    assert shown("list", "--json")[2]["status"] == "skipped"
    in_process("undo")
    assert shown("list", "--json")[2]["status"] == "done"
    assert_invariant()
