"""Every test runs against its own data folder; none may touch the learner's real one."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import platformdirs
import pytest
from typer.testing import CliRunner, Result

from mlpath.cli import app

REPO = Path(__file__).resolve().parents[1]

# The seed's seven step titles, in rank order: facts the bundled catalogue must carry.
TITLES = [
    "Watch ML related videos",
    "Read about trends and happenings in ML",
    "Take ML courses",
    "Write about your ML journey",
    "Start on ML pet projects",
    "Compete in Kaggle competitions",
    "Work for ML startup",
]


def _snapshot(folder: Path) -> dict[str, float] | None:
    if not folder.exists():
        return None
    return {str(p): p.stat().st_mtime for p in folder.rglob("*")}


@pytest.fixture(scope="session", autouse=True)
def real_data_folder_untouched() -> Iterator[None]:
    """Fails the run if anything wrote to the real data folder while the tests ran."""
    real = platformdirs.user_data_path("mlpath")
    before = _snapshot(real)
    yield
    assert _snapshot(real) == before, f"a test touched the real data folder {real}"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """MLPATH_HOME in tmp_path; the platform's data folder points at a trap that must stay empty."""
    folder = tmp_path / "home"
    trap = tmp_path / "trap"
    monkeypatch.setenv("MLPATH_HOME", str(folder))
    monkeypatch.setenv("XDG_DATA_HOME", str(trap))
    monkeypatch.delenv("MLPATH_CATALOGUE", raising=False)
    # Stable output: rich reads these. No colour, a fixed width.
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("TERM", raising=False)  # TERM=dumb would get ASCII for every glyph
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()  # local times on screen are UTC in every test
    yield folder
    assert not (trap / "mlpath").exists(), "a test wrote to the platform data folder"


def commands() -> list[str]:
    """Every command the app registers, so that a new command is checked without listing it."""
    names = [
        info.name or getattr(info.callback, "__name__", "") for info in app.registered_commands
    ]
    assert len(names) >= 20 and all(names)
    return names


def files(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes: to prove that nothing was written.

    The empty lock file is left out: a writer creates it to wait its turn, and it holds no data.
    """
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "progress.toml.lock"
    }


@pytest.fixture
def run() -> Iterator[Callable[..., Result]]:
    try:  # click < 8.2 mixes stderr into stdout unless told not to; later clicks always split
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, env={"COLUMNS": os.environ["COLUMNS"]})

    yield invoke
