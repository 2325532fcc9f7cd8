"""Damage after the snapshot's mark (store/replaying.py reads only the lines after it, with
historytail.committed_end): the message must name the line of the file that is damaged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

Run = Callable[..., Result]


@pytest.mark.xfail(
    strict=True,
    reason="known bug, found by mutation testing (docs/mutation.md): committed_end counts "
    "lines from the snapshot's mark, so damage on line 3 is told as line 1",
)
def test_damage_after_the_snapshot_is_told_at_its_line_in_the_file(run: Run, home: Path) -> None:
    run("done", "1")
    run("done", "2")
    assert run("status").exit_code == 0  # a snapshot that names both lines
    history = home / "history.jsonl"
    with history.open("ab") as handle:
        handle.write(b"garbage\n")
    result = run("status")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"mlpath: {history}: damaged at line 3: not an event")
