"""The catalogue is found from a wheel and from the source tree, run from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import mlpath
from mlpath import catalogue
from tests.conftest import REPO


def test_source_tree_uses_the_repository_catalogue() -> None:
    # Under `pip install -e .` (and in a checkout) the package runs from src/mlpath, where
    # there is no data folder: the loader must find the repository's data/steps.toml.
    if Path(mlpath.__file__).resolve().parent != REPO / "src" / "mlpath":
        pytest.skip("mlpath is not imported from this checkout's src/")
    assert catalogue.bundled_path() == REPO / "data" / "steps.toml"


@pytest.mark.slow
def test_wheel_contains_the_catalogue(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "mlpath/data/steps.toml" in names
        shipped = archive.read("mlpath/data/steps.toml")
    assert shipped == (REPO / "data" / "steps.toml").read_bytes()


@pytest.mark.slow
def test_installed_wheel_runs_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-compile",  # pip's own work, not the wheel's: Python compiles what it imports
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "MLPATH_HOME": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "mlpath", "list", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(json.loads(result.stdout)) == 7
    where = subprocess.run(
        [sys.executable, "-c", "import mlpath.catalogue as c; print(c.bundled_path())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()) == target / "mlpath" / "data" / "steps.toml"
