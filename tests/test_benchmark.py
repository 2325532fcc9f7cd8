"""The benchmark runs (on tiny sizes). Its timings are measured, never asserted, here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_benchmark_runs_on_one_tiny_scenario(tmp_path: Path) -> None:
    """The fresh store against the floor, one round: that it runs and reports, not how fast
    (each case is a process start; the other scenarios add cases, not code paths)."""
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "run.py"),
            "--rounds",
            "1",
            "--events",
            "",
            "--steps",
            "0",
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
    commands = ("list", "status", "next", "done")
    assert cases == {("floor", "floor"), ("floor-tty", "floor")} | {
        (s, c) for s in ("fresh", "fresh-tty") for c in commands
    }
    assert all(r["median_ms"] > 0 for r in document["results"])
    assert document["machine"]["python"] and document["rounds"] == 1
    assert result.stdout.splitlines()[0].startswith("1 rounds, medians; floor = benchmarks/")
