"""The history at scale: stores of N events, and what the commands that walk them cost.

    python benchmarks/history.py build DIR --events N [--machine ID] [--day YYYY-MM-DD]
    python benchmarks/history.py run [--events 100000] [--json FILE]

`build` makes a store as a learner would have it after N changes: commands of one to three
changes each (statuses, resources, skill, ratings, notes, check-ins, note edits and deletes,
now and then an undo), made by the real Tracker and written by the real encoder, with a
current snapshot. `run` builds a store of 20 events and two of N events (two machines), then
times each command once per round with `/usr/bin/time -f '%e %M'` (seconds, peak memory),
output to a pipe, against the targets of issue 16. Every command that changes the store runs
on a fresh copy, made outside the timing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Issue 16, with 100,000 events: seconds and MB. `undo` is judged against the small store.
TARGETS: dict[str, tuple[float | None, float | None]] = {
    "log": (1.5, 60),
    "log --json": (1.5, 60),
    "export": (1.5, 60),
    "doctor": (1.5, 60),
    "import": (3.0, None),
    "import --merge": (6.0, None),
}
UNDO_TARGET = 1.1  # undo at N events, against undo at 20
SMALL = 20


def build(home: Path, events: int, machine: str, day: datetime) -> None:
    """A store of `events` events (at least one command's worth) in `home`, made as mlpath
    makes them: every change through Tracker, every commit through historyfile.encode."""
    from mlpath import catalogue as catalogues
    from mlpath.core.progress import Origin, Progress
    from mlpath.core.tracker import Tracker
    from mlpath.store import historyfile

    try:  # the snapshot's file has its own module since the store was split
        from mlpath.store import progressfile as snapshots
    except ImportError:
        from mlpath.store import record as snapshots  # type: ignore[no-redef]

    path, bundled = catalogues.selected_path(None)
    cat = catalogues.load(path, bundled=bundled)
    home.mkdir(parents=True, exist_ok=True)
    (home / "machine.toml").write_text(f'id = "{machine}"\nname = "bench"\n')
    rng = random.Random(f"{machine}-{events}")
    progress, origin = Progress(), Origin(machine, 0, 0)
    commits: list[list[object]] = []
    chunks: list[bytes] = []
    made = 0
    when = day
    while made < events:
        when += timedelta(minutes=rng.randint(1, 90))
        tracker = Tracker(cat, progress, origin)
        _command(tracker, rng, when, commits)
        if not tracker.events:
            continue
        commits.append(list(tracker.events))
        commits[:] = commits[-50:]
        chunks.append(historyfile.encode(tracker.events))
        made += len(tracker.events)
        last = tracker.events[-1]
        origin = Origin(machine, last.seq, last.clock)
    data = b"".join(chunks)
    (home / "history.jsonl").write_bytes(data)
    last_line = data[data.rfind(b"\n", 0, len(data) - 1) + 1 :]
    print_ = historyfile.fingerprint(last_line)
    mark = snapshots.Mark(made, len(data), print_, origin.clock, origin.seq)
    (home / "progress.toml").write_bytes(snapshots.dump(progress, mark))


def _command(tracker: object, rng: random.Random, when: datetime, commits: list) -> None:
    """One command's worth of changes, chosen as a learner might."""
    from mlpath.core.progress import Status

    t = tracker  # Tracker, kept loose so this script runs against older versions too
    steps = len(t.catalogue.steps)  # type: ignore[attr-defined]
    rank = rng.randint(1, steps)
    roll = rng.random()
    if roll < 0.30:
        status = rng.choice([Status.IN_PROGRESS, Status.DONE, Status.SKIPPED, Status.TODO])
        for extra in {rank, rng.randint(1, steps)} if roll < 0.05 else {rank}:
            t.mark(extra, status, when)  # type: ignore[attr-defined]
    elif roll < 0.45:
        resources = len(t.catalogue.steps[rank - 1].resources)  # type: ignore[attr-defined]
        if resources:
            status = rng.choice([Status.IN_PROGRESS, Status.DONE, Status.SKIPPED])
            t.mark_resource(rank, rng.randint(1, resources), status, when)  # type: ignore[attr-defined]
    elif roll < 0.68:
        t.set_skill(rng.randint(1, 10), when)  # type: ignore[attr-defined]
    elif roll < 0.74:
        t.rate(rank, rng.randint(1, 10), when)  # type: ignore[attr-defined]
    elif roll < 0.80:
        t.note(rank, f"what I learned on day {when:%j}: {rng.random():.6f}", when)  # type: ignore[attr-defined]
    elif roll < 0.82:
        t.checkin(rank, rng.randint(1, 10), rng.randint(1, 10), rng.randint(0, 120), when)  # type: ignore[attr-defined]
    elif roll < 0.93:
        notes = t.notes(t.catalogue.steps[rank - 1])  # type: ignore[attr-defined]
        if len(notes) > 3:  # keeps the notes of a long history bounded, as a learner would
            t.delete_note(rank, 1, when)  # type: ignore[attr-defined]
        elif notes:
            t.edit_note(rank, len(notes), f"{notes[-1].text} (edited)", when)  # type: ignore[attr-defined]
    elif commits:
        t.undo(list(reversed(commits)), when, lambda: [])  # type: ignore[attr-defined]


def timed(
    argv: list[str], env: dict[str, str], stdin: Path | None = None
) -> tuple[float, float, float]:
    """Seconds, peak MB and CPU seconds (user and system) of one run, by /usr/bin/time; the
    output goes to a pipe. On a loaded machine the CPU seconds say more than the wall time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        command = ["/usr/bin/time", "-o", report.name, "-f", "%e %M %U %S", *argv]
        source = stdin.open("rb") if stdin else subprocess.DEVNULL
        try:
            done = subprocess.run(command, env=env, stdin=source, capture_output=True)
        finally:
            if stdin:
                source.close()  # type: ignore[union-attr]
        if done.returncode not in (0, 1):
            raise SystemExit(f"{argv[1:]} failed: {done.stderr.decode()[-500:]}")
        seconds, kb, user, system = report.read().split()[-4:]
    return float(seconds), int(kb) / 1024, float(user) + float(system)


def mlpath() -> list[str]:
    script = Path(sys.executable).parent / "mlpath"
    return [str(script)] if script.exists() else [sys.executable, "-m", "mlpath"]


def run(events: int, rounds: int) -> list[dict[str, object]]:
    work = Path(tempfile.mkdtemp(prefix="mlpath-history-"))
    try:
        day = datetime(2026, 1, 1, tzinfo=UTC)
        stores = {"small": work / "small", "big": work / "big", "other": work / "other"}
        build(stores["small"], SMALL, "aaaaaaaaaaaa", day)
        build(stores["big"], events, "aaaaaaaaaaaa", day)
        build(stores["other"], events, "bbbbbbbbbbbb", day + timedelta(hours=7))
        base = {k: v for k, v in os.environ.items() if not k.startswith("MLPATH_")}
        export = work / "other.json"
        subprocess.run(
            [*mlpath(), "export", "-o", str(export)],
            env={**base, "MLPATH_HOME": str(stores["other"])},
            check=True,
        )
        cases = _cases(stores, export, work)
        results: dict[str, list[tuple[float, float, float]]] = {name: [] for name, *_ in cases}
        for _ in range(rounds):
            for name, store, words, changes, stdin in cases:
                home = store
                if changes:
                    home = work / "scratch"
                    shutil.rmtree(home, ignore_errors=True)
                    if store.exists():
                        shutil.copytree(store, home)
                    if name == "status, no snapshot":
                        (home / "progress.toml").unlink()
                env = {**base, "MLPATH_HOME": str(home)}
                results[name].append(timed([*mlpath(), *words], env, stdin))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _rows(results, events)


def _cases(stores: dict[str, Path], export: Path, work: Path) -> list[tuple]:
    big = stores["big"]
    return [
        (f"undo ({SMALL} events)", stores["small"], ["undo"], True, None),
        ("undo", big, ["undo"], True, None),
        ("log", big, ["log"], False, None),
        ("log --json", big, ["log", "--json"], False, None),
        ("export", big, ["export"], False, None),
        ("doctor", big, ["doctor"], False, None),
        ("doctor --restore", big, ["doctor", "--restore"], True, None),
        ("status, no snapshot", big, ["status"], True, None),
        ("import", work / "empty", ["import", "-"], True, export),
        ("import --merge", big, ["import", "--merge", "-"], True, export),
    ]


def _rows(
    results: dict[str, list[tuple[float, float, float]]], events: int
) -> list[dict[str, object]]:
    best = {
        name: (min(s for s, _, _ in runs), max(m for _, m, _ in runs), min(c for *_, c in runs))
        for name, runs in results.items()
    }
    rows: list[dict[str, object]] = []
    for name, (seconds, mb, cpu) in best.items():
        target, met = "", None
        if name in TARGETS:
            limit_s, limit_mb = TARGETS[name]
            target = f"< {limit_s} s" + (f", < {limit_mb} MB" if limit_mb else "")
            met = (limit_s is None or seconds < limit_s) and (limit_mb is None or mb < limit_mb)
        elif name == "undo":
            small = best[f"undo ({SMALL} events)"][0]
            target = f"<= {UNDO_TARGET}x undo at {SMALL} events ({seconds / small:.2f}x)"
            met = seconds <= small * UNDO_TARGET
        elif name == "doctor --restore":
            target = f"as fast as doctor ({best['doctor'][0]:.2f} s)"
            met = seconds <= best["doctor"][0] * 1.1
        rows.append(
            {
                "command": name,
                "events": events,
                "s": seconds,
                "MB": round(mb, 1),
                "cpu": round(cpu, 2),
                "target": target,
                "met": met,
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    making = sub.add_parser("build", help="build a store of N events")
    making.add_argument("home", type=Path)
    making.add_argument("--events", type=int, default=100_000)
    making.add_argument("--machine", default="aaaaaaaaaaaa")
    making.add_argument("--day", default="2026-01-01")
    timing = sub.add_parser("run", help="time the history commands")
    timing.add_argument("--events", type=int, default=100_000)
    timing.add_argument("--rounds", type=int, default=3, help="the best of this many runs")
    timing.add_argument("--json", type=Path, metavar="FILE")
    options = parser.parse_args()
    if options.what == "build":
        day = datetime.fromisoformat(options.day).replace(tzinfo=UTC)
        build(options.home, options.events, options.machine, day)
        return 0
    rows = run(options.events, options.rounds)
    print(
        f"{options.events:,} events; best of {options.rounds}: wall seconds, peak memory (MB), "
        "CPU seconds (user + system)"
    )
    for row in rows:
        verdict = "" if row["met"] is None else ("met" if row["met"] else "MISSED")
        print(
            f"{row['command']:<22} {row['s']:>7.2f} s {row['MB']:>7.1f} MB {row['cpu']:>7.2f} cpu"
            f"  {row['target']} {verdict}"
        )
    if options.json:
        options.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
