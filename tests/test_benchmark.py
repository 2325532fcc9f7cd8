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
    """The fresh store against `python -c pass`, one round, piped: that it runs and reports,
    not how fast (each case is a process start; the other scenarios add cases, not paths)."""
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "run.py"),
            "--rounds",
            "1",
            "--scenarios",
            "fresh",
            "--no-tty",
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
    commands = ("bare", "status", "next", "next-skill", "list", "show", "done")
    assert cases == {("python", "-c pass"), ("fresh-direct", "status")} | {
        ("fresh", c) for c in commands
    }
    assert all(r["median_ms"] > 0 for r in document["results"])
    assert document["machine"]["python"] and document["rounds"] == 1
    assert result.stdout.splitlines()[0].startswith("1 rounds, medians; python -c pass: ")
