"""What the store writes, pinned byte for byte: a fixed session of commands on a fake clock
must leave exactly the progress.toml and history.jsonl in tests/snapshots/golden/.

A change to either file's format shows here first. If it is meant, old stores must still be
read as they are (tests/test_migrate.py); then review the new files and commit them with
MLPATH_UPDATE_SNAPSHOTS=1.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import Clock

Run = Callable[..., Result]
GOLDEN = Path(__file__).parent / "snapshots" / "golden"

# Every kind of change a learner makes, each a command of its own a few minutes apart.
SESSION: list[tuple[str, ...]] = [
    ("skill", "3"),
    ("start", "1"),
    ("done", "1"),
    ("done", "3.2"),  # a resource, which starts its step in the same change
    ("rate", "4", "7"),
    ("rate", "4", "8"),
    ("note", "2", "first note"),
    ("note", "2", 'second "note"\nover two lines'),
    ("note", "2", "--edit", "1", "first note, edited"),
    ("note", "2", "--delete", "2"),
    ("checkin", "3", "--challenge", "6", "--skill", "4", "--minutes", "30"),
    ("skip", "7"),
    ("reset", "3"),  # the step and its resource, as one change
    ("undo",),  # brings both back
    ("done", "2", "5"),
    ("undo",),
    ("skill", "4"),
]


def _session(run: Run, clock: Clock) -> None:
    for args in SESSION:
        clock.tick(7)
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)


@pytest.mark.parametrize("name", ["progress.toml", "history.jsonl"])
def test_a_fixed_session_writes_exactly_the_golden_files(
    run: Run, clock: Clock, home: Path, name: str
) -> None:
    _session(run, clock)
    written = (home / name).read_bytes()
    golden = GOLDEN / name
    if os.environ.get("MLPATH_UPDATE_SNAPSHOTS"):
        golden.write_bytes(written)
    assert written == golden.read_bytes(), (
        f"{name} is not what {golden} says it should be: if the change is meant, check that "
        "old stores still read, then rerun with MLPATH_UPDATE_SNAPSHOTS=1 and commit it"
    )


def test_the_golden_files_are_one_state(run: Run, clock: Clock, home: Path) -> None:
    """The golden snapshot is the replay of the golden history: the two files agree."""
    home.mkdir()
    for name in ("progress.toml", "history.jsonl"):
        (home / name).write_bytes((GOLDEN / name).read_bytes())
    doctor = run("doctor")
    assert doctor.exit_code == 0, doctor.output
    assert f"ok      progress: {home / 'progress.toml'} is the replay of all 22 events" in (
        doctor.stdout.splitlines()
    )
