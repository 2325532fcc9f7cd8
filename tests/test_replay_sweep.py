"""A history already in its one order is replayed in one sweep as it is read (no index);
anything the index would refuse, the sweep must refuse too (it hands over to the index,
which says what is wrong)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

Run = Callable[..., Result]


def test_an_identity_given_twice_in_key_order_is_damage(run: Run, home: Path) -> None:
    run("done", "1")
    run("done", "2")
    history = home / "history.jsonl"
    first = history.read_bytes().splitlines(keepends=True)[0]
    later = re.sub(rb'"clock":[0-9]+', b'"clock":9999999999999', first)  # after every other
    history.write_bytes(history.read_bytes() + later)
    (home / "progress.toml").unlink()
    result = run("doctor")
    assert result.exit_code == 1
    assert "damaged at line 3: a second event" in result.stdout


def test_a_sweep_and_the_index_replay_the_same_state(run: Run, home: Path) -> None:
    for command in (["done", "1"], ["skill", "4"], ["note", "2", "a note"], ["undo"]):
        assert run(*command).exit_code == 0
    shown = run("status", "--json").stdout
    (home / "progress.toml").unlink()
    assert run("status", "--json").stdout == shown  # replayed in one sweep
    assert run("doctor").exit_code == 0
