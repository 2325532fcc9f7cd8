"""Start-up and scale benchmark: mlpath against the floor of its stack.

    python benchmarks/run.py [--rounds 21] [--events 1000,10000] [--steps 500] [--json FILE]

Times `mlpath list`, `status`, `next --skill 3` and `done` (alternating with `reset`, so that
every timed run writes), and benchmarks/floor_app.py (typer + pydantic + rich loading a
seven-step TOML and printing a table), interleaved round by round in a shuffled order, so
that drifts in machine load fall on every case alike. Scenarios: a fresh store (a few
changes), stores holding N history events, and a catalogue of S steps. Output goes to a pipe,
as in scripts and prompts; the floor and the fresh store are also timed writing to a
pseudo-terminal (`tty` rows), where mlpath draws with rich as the floor always does. Reports
medians and their ratios to the floor (of the same mode) and to the fresh store, against the
targets of issue 6.

Children run with Python's bytecode cache on (PYTHONDONTWRITEBYTECODE removed), as on a
user's machine; with it off, every start compiles mlpath's source (~10 ms) and the figures
measure that instead.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pty
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMMANDS = {
    "list": ["list"],
    "status": ["status"],
    "next": ["next", "--skill", "3"],
    "done": ["done", "2"],
}
# Issue 6: every command within 1.10x of the floor; N events within 1.1x of fresh for list,
# status and next; a big catalogue within 1.2x for status and next and 1.5x for list.
FLOOR_TARGET = 1.10
EVENTS_TARGET = 1.10
STEPS_TARGET = {"list": 1.5, "status": 1.2, "next": 1.2}


def mlpath_command() -> list[str]:
    script = Path(sys.executable).parent / ("mlpath.exe" if os.name == "nt" else "mlpath")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mlpath"]


def seed_store(home: Path, events: int, catalogue: Path | None) -> None:
    """A store as a learner would have it after `events` changes (at least three)."""
    from mlpath import catalogue as catalogues
    from mlpath.core.progress import Status
    from mlpath.store import record

    os.environ["MLPATH_HOME"] = str(home)
    path, bundled = catalogues.selected_path(catalogue)
    cat = catalogues.load(path, bundled=bundled)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with record.transaction(cat) as tracker:
        tracker.mark(1, Status.DONE, start)
        tracker.mark(3, Status.IN_PROGRESS, start)
        tracker.set_skill(3, start)
        for n in range(max(events - 3, 0)):  # skill ratings moving up and down
            tracker.set_skill(4 + n % 2, start + timedelta(minutes=n))
    del os.environ["MLPATH_HOME"]


def big_catalogue(path: Path, steps: int) -> None:
    body = "".join(
        f'[[steps]]\nid = "step-{n}"\ntitle = "Step number {n} of the long path"\n'
        f'summary = "What step {n} asks of you, in two sentences. And why."\n'
        f"challenge = {n % 10 + 1}\n"
        f'[[steps.resources]]\ntitle = "Resource {n}"\nurl = "https://example.com/{n}"\n'
        f'kind = "article"\n'
        for n in range(1, steps + 1)
    )
    path.write_text(f'id = "big-path"\ntitle = "A path of {steps} steps"\n{body}')


def drain(fd: int) -> None:
    """Read what a child wrote to the pseudo-terminal, so that it never fills up."""
    import select

    while select.select([fd], [], [], 0)[0]:
        if not os.read(fd, 65536):
            return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=21, help="timed rounds (default 21)")
    parser.add_argument("--events", default="1000,10000", help="history sizes, comma-separated")
    parser.add_argument("--steps", type=int, default=500, help="steps in the big catalogue")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write results as JSON")
    options = parser.parse_args()
    sizes = [int(n) for n in options.events.split(",") if n]

    from mlpath.catalogue import bundled_path

    work = Path(tempfile.mkdtemp(prefix="mlpath-bench-"))
    try:
        big = work / "big.toml"
        big_catalogue(big, options.steps)
        scenarios: dict[str, tuple[Path, Path | None]] = {"fresh": (work / "fresh", None)}
        for size in sizes:
            scenarios[f"events-{size}"] = (work / f"events-{size}", None)
        scenarios[f"steps-{options.steps}"] = (work / "steps", big)
        for name, (home, catalogue) in scenarios.items():
            count = int(name.split("-")[1]) if name.startswith("events-") else 3
            seed_store(home, count, catalogue)

        mlpath = mlpath_command()
        floor_argv = [sys.executable, str(HERE / "floor_app.py"), str(bundled_path())]
        cases: list[tuple[str, str, list[str], dict[str, str]]] = [
            ("floor", "floor", floor_argv, {}),
            ("floor-tty", "floor", floor_argv, {}),
        ]
        for name, (home, catalogue) in scenarios.items():
            env = {"MLPATH_HOME": str(home)}
            if catalogue:
                env["MLPATH_CATALOGUE"] = str(catalogue)
            for command, words in COMMANDS.items():
                cases.append((name, command, [*mlpath, *words], env))
                if name == "fresh":
                    cases.append(("fresh-tty", command, [*mlpath, *words], env))

        hidden = {"PYTHONDONTWRITEBYTECODE", "NO_COLOR"}
        base_env = {
            k: v for k, v in os.environ.items() if not k.startswith("MLPATH_") and k not in hidden
        }
        base_env |= {"TERM": "xterm-256color", "COLUMNS": "100", "LINES": "40"}
        master, follower = pty.openpty()
        times: dict[tuple[str, str], list[float]] = {(s, c): [] for s, c, _, _ in cases}
        flips: dict[str, int] = {}
        rng = random.Random(6)
        for round_number in range(options.rounds + 1):  # round 0 warms the caches, untimed
            order = cases[:]
            rng.shuffle(order)
            for scenario, command, argv, env in order:
                if command == "done":  # alternate so that every timed run writes
                    flips[scenario] = flips.get(scenario, 0) + 1
                    argv = [*argv[:-2], "done" if flips[scenario] % 2 else "reset", "2"]
                tty = scenario.endswith("-tty")
                started = time.perf_counter()
                subprocess.run(
                    argv,
                    env={**base_env, **env},
                    stdout=follower if tty else subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    check=True,
                )
                if round_number:
                    times[(scenario, command)].append(time.perf_counter() - started)
                if tty:
                    drain(master)
        os.close(master)
        os.close(follower)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    median = {key: statistics.median(values) for key, values in times.items()}
    rows = []
    for scenario, command, _, _ in cases:
        value = median[(scenario, command)]
        tty = scenario.endswith("-tty")
        floor = median[("floor-tty" if tty else "floor", "floor")]
        fresh = None
        if not scenario.startswith("floor"):
            fresh = median[("fresh-tty" if tty else "fresh", command)]
        row: dict[str, object] = {
            "scenario": scenario,
            "command": command,
            "median_ms": round(value * 1000, 1),
            "min_ms": round(min(times[(scenario, command)]) * 1000, 1),
            "vs_floor": round(value / floor, 3),
            "vs_fresh": round(value / fresh, 3) if fresh else None,
            "target": None,
        }
        ratio_floor, ratio_fresh = value / floor, (value / fresh if fresh else 0.0)
        if scenario in {"fresh", "fresh-tty"}:
            row["target"] = f"<= {FLOOR_TARGET}x floor"
            row["met"] = ratio_floor <= FLOOR_TARGET
        elif scenario.startswith("events-") and command != "done":
            row["target"] = f"<= {EVENTS_TARGET}x fresh"
            row["met"] = ratio_fresh <= EVENTS_TARGET
        elif scenario.startswith("steps-") and command in STEPS_TARGET:
            row["target"] = f"<= {STEPS_TARGET[command]}x fresh"
            row["met"] = ratio_fresh <= STEPS_TARGET[command]
        rows.append(row)

    print(
        f"{options.rounds} rounds, medians; floor = benchmarks/floor_app.py, "
        f"{median[('floor', 'floor')] * 1000:.1f} ms to a pipe, "
        f"{median[('floor-tty', 'floor')] * 1000:.1f} ms to a terminal (-tty rows)"
    )
    print(
        f"{'scenario':<13} {'command':<8} {'median':>9} {'min':>9} {'vs floor':>9} "
        f"{'vs fresh':>9}  target"
    )
    for row in rows:
        fresh_ratio = f"{row['vs_fresh']:.2f}x" if row["vs_fresh"] else ""
        verdict = (
            "" if row["target"] is None else f"{row['target']}: {'met' if row['met'] else 'MISSED'}"
        )
        print(
            f"{row['scenario']:<13} {row['command']:<8} {row['median_ms']:>7.1f}ms "
            f"{row['min_ms']:>7.1f}ms {row['vs_floor']:>8.2f}x {fresh_ratio:>9}  {verdict}"
        )
    if options.json:
        document = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "python": platform.python_version(),
                "system": platform.platform(),
                "processor": platform.machine(),
                "cpus": os.cpu_count(),
            },
            "rounds": options.rounds,
            "results": rows,
        }
        options.json.write_text(json.dumps(document, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
