"""Damage at the end of history.jsonl (historytail.committed_end: after the last seal only
a torn tail may follow), and damage after a snapshot's mark (store/replaying.py reads only
the lines after it): the message must name the line of the file that is damaged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from mlpath.errors import StoreError
from mlpath.store import historytail
from mlpath.store.eventcodec import SEAL

Run = Callable[..., Result]


def test_damage_after_the_snapshot_is_told_at_its_line_in_the_file(run: Run, home: Path) -> None:
    """Found by mutation testing: it was told at its line counted from the mark (line 1)."""
    run("done", "1")
    run("done", "2")
    assert run("status").exit_code == 0  # a snapshot that names both lines
    history = home / "history.jsonl"
    with history.open("ab") as handle:
        handle.write(b"garbage\n")
    result = run("status")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"mlpath: {history}: damaged at line 3: not an event")


SEALED = b'{"machine":"aaaaaaaaaaaa","seq":1' + SEAL + b"\n"


@pytest.mark.parametrize("line", [b"garbage\n", b'"machine"\n', b"[1]\n"])
def test_a_line_after_the_last_seal_that_is_no_event_is_damage_at_its_line(
    tmp_path: Path, line: bytes
) -> None:
    path = tmp_path / "history.jsonl"
    for data, number in (
        (line, 1),
        (SEALED + SEALED + line, 3),
        (SEALED + line + b"{", 2),
        (b"\n" + line, 2),
    ):
        with pytest.raises(StoreError) as caught:
            historytail.committed_end(path, data)
        assert str(caught.value).startswith(f"{path}: damaged at line {number}: not an event;")


def test_a_torn_tail_is_not_committed(tmp_path: Path) -> None:
    unsealed = b'{"machine":"aaaaaaaaaaaa","seq":2}\n'
    path = tmp_path / "history.jsonl"
    for tail in (b"", b"{", unsealed, unsealed + b'{"mach'):
        assert historytail.committed_end(path, SEALED + SEALED + tail) == 2 * len(SEALED)
    assert historytail.committed_end(path, unsealed + b"{") == 0
