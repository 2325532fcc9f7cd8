"""Start-up benchmark: mlpath's commands against `python -c pass` (issue 16).

    python benchmarks/run.py [--rounds 21] [--scenarios fresh,events,notes,steps]
                             [--events 10000] [--notes 4000] [--steps 5000]
                             [--callgrind] [--json FILE]

The anchor is `python -c pass` run by the same interpreter, in the same virtual environment,
as the `mlpath` console script is. Every case (the anchor, bare `mlpath`, `status`, `next`,
`next --skill 3`, `list`, `show 3`, and `done 2`, alternating with `reset 2` so that every
timed run writes) runs once a round in a shuffled order, so that the load of a shared machine
falls on every case alike; the figures are medians and their ratios to the anchor's median of
the same round set. Output goes to a pipe (as in scripts and prompts) and, in `-tty` rows, to
a pseudo-terminal. Scenarios: a fresh store (a few changes), N history events, N notes, and a
catalogue of S steps. With --callgrind, each case also runs once under valgrind's callgrind
and its instruction count (Ir), which a busy machine does not disturb, is shown against the
anchor's.

Children run with Python's bytecode cache on (PYTHONDONTWRITEBYTECODE removed), as on a
user's machine.

The console script that pip writes imports `re` before it imports mlpath; `-c pass` does
not. `script` rows are the console script; the `direct` rows run `main()` as the script
does, without that import (what an installer's launcher without `re` would cost).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pty
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

READS = {
    "bare": [],
    "status": ["status"],
    "next": ["next"],
    "next-skill": ["next", "--skill", "3"],
    "list": ["list"],
    "show": ["show", "3"],
}
WRITE = {"done": ["done", "2"]}
# Issue 16: reads piped within 1.5x of `python -c pass`, on a terminal 2x, also with 10,000
# events and 4,000 notes; a 5,000-step catalogue 3x; writes 5x.
READ_TARGET = {"pipe": 1.5, "tty": 2.0}
STEPS_TARGET = 3.0
WRITE_TARGET = 5.0


def mlpath_script() -> list[str]:
    script = Path(sys.executable).parent / ("mlpath.exe" if os.name == "nt" else "mlpath")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mlpath"]


DIRECT = [sys.executable, "-c", "import sys; from mlpath.cli import main; sys.exit(main())"]


def seed_store(home: Path, events: int, notes: int, catalogue: Path | None) -> None:
    """A store as a learner would have it after `events` changes and `notes` notes."""
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
        for n in range(notes):
            tracker.note(1 + n % 3, f"Note {n}: what I learned today, in a sentence.", start)
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


def drain(fd: int, wait: float = 0) -> None:
    """Read what a child wrote to the pseudo-terminal, so that it never fills up (a child
    whose screen is longer than the terminal's buffer would wait for a reader forever)."""
    import select

    while select.select([fd], [], [], wait)[0]:
        if not os.read(fd, 65536):
            return
        wait = 0


def instructions(argv: list[str], env: dict[str, str], work: Path) -> int | None:
    """callgrind's Ir for one run (None when valgrind cannot say)."""
    out = work / "callgrind.out"
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    out.unlink(missing_ok=True)
    return int(found.group(1)) if found else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=21, help="timed rounds (default 21)")
    parser.add_argument("--scenarios", default="fresh,events,notes,steps")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--notes", type=int, default=4_000)
    parser.add_argument("--steps", type=int, default=5_000)
    parser.add_argument("--no-tty", action="store_true", help="only piped runs")
    parser.add_argument("--callgrind", action="store_true", help="also count instructions")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write results as JSON")
    options = parser.parse_args()
    wanted = [name for name in options.scenarios.split(",") if name]

    work = Path(tempfile.mkdtemp(prefix="mlpath-bench-"))
    hidden = {"PYTHONDONTWRITEBYTECODE", "NO_COLOR", "MLPATH_FULL_ROAD", "MLPATH_CATALOGUE"}
    base_env = {
        k: v for k, v in os.environ.items() if not k.startswith("MLPATH_") and k not in hidden
    }
    base_env |= {"TERM": "xterm-256color", "COLUMNS": "100", "LINES": "40"}
    base_env["XDG_CACHE_HOME"] = str(work / "cache")
    try:
        scenarios: dict[str, tuple[Path, Path | None, int, int]] = {}
        if "fresh" in wanted:
            scenarios["fresh"] = (work / "fresh", None, 3, 0)
        if "events" in wanted:
            scenarios[f"events-{options.events}"] = (work / "events", None, options.events, 0)
        if "notes" in wanted:
            scenarios[f"notes-{options.notes}"] = (work / "notes", None, 3, options.notes)
        if "steps" in wanted:
            big = work / "big.toml"
            big_catalogue(big, options.steps)
            scenarios[f"steps-{options.steps}"] = (work / "steps", big, 3, 0)
        cases: list[tuple[str, str, list[str], dict[str, str]]] = [
            ("python", "-c pass", [sys.executable, "-c", "pass"], {})
        ]
        if not options.no_tty:
            cases.append(("python-tty", "-c pass", [sys.executable, "-c", "pass"], {}))
        script = mlpath_script()
        for name, (home, catalogue, events, notes) in scenarios.items():
            seed_store(home, events, notes, catalogue)
            env = {"MLPATH_HOME": str(home)}
            if catalogue:
                env["MLPATH_CATALOGUE"] = str(catalogue)
            # A change by this mlpath writes the read cache (seed_store goes round it).
            subprocess.run(
                [*script, "skill", "6"],
                env={**base_env, **env},
                check=True,
                stdout=subprocess.DEVNULL,
            )
            for command, words in {**READS, **WRITE}.items():
                cases.append((name, command, [*script, *words], env))
                if not options.no_tty:
                    cases.append((f"{name}-tty", command, [*script, *words], env))
            if name == "fresh":
                cases.append(("fresh-direct", "status", [*DIRECT, "status"], env))

        master, follower = pty.openpty()
        times: dict[tuple[str, str], list[float]] = {(s, c): [] for s, c, _, _ in cases}
        flips: dict[str, int] = {}
        rng = random.Random(16)
        for round_number in range(options.rounds + 1):  # round 0 warms the caches, untimed
            order = cases[:]
            rng.shuffle(order)
            for scenario, command, argv, env in order:
                if command == "done":  # alternate so that every timed run writes
                    flips[scenario] = flips.get(scenario, 0) + 1
                    argv = [*argv[:-2], "done" if flips[scenario] % 2 else "reset", "2"]
                tty = scenario.endswith("-tty")
                started = time.perf_counter()
                child = subprocess.Popen(
                    argv,
                    env={**base_env, **env},
                    stdout=follower if tty else subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                while tty and child.poll() is None:  # a long screen would fill the terminal
                    drain(master, wait=0.001)
                if child.wait():
                    raise subprocess.CalledProcessError(child.returncode, argv)
                if round_number:
                    times[(scenario, command)].append(time.perf_counter() - started)
                if tty:
                    drain(master)
        os.close(master)
        os.close(follower)
        counts: dict[tuple[str, str], int | None] = {}
        if options.callgrind and shutil.which("valgrind"):
            for scenario, command, argv, env in cases:
                if not scenario.endswith("-tty"):
                    counts[(scenario, command)] = instructions(argv, {**base_env, **env}, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    median = {key: statistics.median(values) for key, values in times.items()}
    anchor_ir = counts.get(("python", "-c pass"))
    rows = []
    for scenario, command, _, _ in cases:
        value = median[(scenario, command)]
        tty = scenario.endswith("-tty")
        anchor = median[("python-tty" if tty else "python", "-c pass")]
        ratio = value / anchor
        ir = counts.get((scenario, command))
        row: dict[str, object] = {
            "scenario": scenario,
            "command": command,
            "median_ms": round(value * 1000, 1),
            "min_ms": round(min(times[(scenario, command)]) * 1000, 1),
            "vs_python": round(ratio, 3),
            "ir": ir,
            "ir_vs_python": round(ir / anchor_ir, 3) if ir and anchor_ir else None,
            "target": None,
        }
        target = None
        if scenario.startswith("python") or scenario.endswith("-direct"):
            target = None
        elif command in WRITE:
            target = WRITE_TARGET
        elif scenario.startswith("steps-"):
            target = STEPS_TARGET
        else:
            target = READ_TARGET["tty" if tty else "pipe"]
        if target is not None:
            row["target"] = f"<= {target}x"
            row["met"] = ratio <= target
        rows.append(row)

    print(
        f"{options.rounds} rounds, medians; python -c pass: "
        f"{median[('python', '-c pass')] * 1000:.1f} ms to a pipe"
        + (
            ""
            if options.no_tty
            else f", {median[('python-tty', '-c pass')] * 1000:.1f} ms to a terminal"
        )
    )
    head = f"{'scenario':<18} {'command':<10} {'median':>9} {'min':>9} {'vs python':>9}"
    print(f"{head} {'Ir':>9}  target")
    for row in rows:
        verdict = (
            "" if row["target"] is None else f"{row['target']}: {'met' if row['met'] else 'MISSED'}"
        )
        ir = f"{row['ir_vs_python']:.2f}x" if row["ir_vs_python"] else ""
        print(
            f"{row['scenario']:<18} {row['command']:<10} {row['median_ms']:>7.1f}ms "
            f"{row['min_ms']:>7.1f}ms {row['vs_python']:>8.2f}x {ir:>9}  {verdict}"
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
