"""The benchmark runs (on tiny sizes). Its timings are measured, never asserted, here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_benchmark_runs_on_tiny_sizes(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "run.py"),
            "--rounds",
            "1",
            "--events",
            "5,10",
            "--steps",
            "12",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text())
    cases = {(r["scenario"], r["command"]) for r in document["results"]}
    scenarios = ["fresh", "events-5", "events-10", "steps-12"]
    commands = ("list", "status", "next", "done")
    assert cases == {("floor", "floor"), ("floor-tty", "floor")} | {
        (s, c) for s in [*scenarios, "fresh-tty"] for c in commands
    }
    assert all(r["median_ms"] > 0 for r in document["results"])
    assert document["machine"]["python"] and document["rounds"] == 1
    assert "floor = benchmarks/floor_app.py" in result.stdout
