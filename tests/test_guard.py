"""The guard in conftest.py: a test that reaches a data folder it must not is stopped there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import REAL, Guard, RealFolderReached, _inside

Run = Callable[..., Result]


def test_a_test_that_reaches_the_platform_folder_is_stopped_there_by_name(
    run: Run, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    monkeypatch.delenv("MLPATH_HOME")  # mlpath falls back to XDG_DATA_HOME: the trap
    with pytest.raises(RealFolderReached) as caught:
        run("done", "1")
    trap = tmp_path / "trap" / "mlpath"
    assert str(caught.value) == f"{request.node.nodeid} reached a real data folder: os.mkdir {trap}"
    assert not trap.exists()  # stopped before the folder was made, so nothing was written
    assert Guard.reached == [str(caught.value)]
    Guard.reached.clear()  # caught on purpose: the fixture must not fail this test for it


def test_the_guard_knows_the_real_folder_and_what_lies_inside_it() -> None:
    assert _inside(REAL, (REAL,)) == str(REAL)
    assert _inside(REAL / "progress.toml", (REAL,)) == str(REAL / "progress.toml")
    assert _inside(f"{REAL}-other/progress.toml", (REAL,)) is None  # a sibling, not inside
    assert _inside(3, (REAL,)) is None  # a file descriptor names no path
