"""Sync under faults and races, with real git: concurrent pushes, kill -9 at any moment, a
git server (git daemon on 127.0.0.1) stopped mid-sync, and three machines whose changes and
syncs interleave at random."""

from __future__ import annotations

import json
import random
import re
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import forked
from tests.syncing import Daemon, Machine, bare, events_in

pytestmark = pytest.mark.slow


def test_a_push_rejected_by_a_concurrent_push_is_merged_and_retried(tmp_path: Path) -> None:
    remote = bare(tmp_path / "remote.git")
    laptop, desk = Machine(tmp_path, "laptop"), Machine(tmp_path, "desk")
    cloud = Machine(tmp_path, "cloud")
    for machine in (laptop, desk, cloud):
        machine.join(remote)
    cloud.run("done", "3")
    cloud.run("sync")  # both syncs below merge this, before one of them is rejected
    # The server holds the two racing pushes a moment, so both syncs fetch the same commit
    # and the second push finds the branch moved under it. The retry, and any push after
    # it, has nothing to race: it goes through at once.
    pushes = tmp_path / "pushes"
    hook = Path(remote) / "hooks" / "pre-receive"
    hook.write_text(
        f'#!/bin/sh\necho push >> {pushes}\nif [ "$(wc -l < {pushes})" -le 2 ]; then sleep 1; fi\n'
    )
    hook.chmod(0o755)
    laptop.run("done", "1")
    desk.run("done", "2")
    first = laptop.start("sync")
    time.sleep(0.3)
    second = desk.start("sync")
    outputs = [process.communicate(timeout=120) for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert pushes.read_text().count("push") == 3  # one push was rejected, then retried
    reports = [out for out, _ in outputs]
    # What the rejected attempt merged is reported too, beside what the retry merged.
    assert all("From cloud: done 3." in report for report in reports), reports
    assert "From desk: done 2." in reports[0] or "From laptop: done 1." in reports[1]
    laptop.run("sync")
    desk.run("sync")
    assert laptop.state() == desk.state()
    assert len(events_in(remote)) == 3


def test_a_sync_killed_at_any_moment_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    remote = bare(tmp_path / "remote.git")
    laptop, desk = Machine(tmp_path, "laptop"), Machine(tmp_path, "desk")
    laptop.join(remote)
    desk.join(remote)
    # Each sync is forked from a process with mlpath imported (tests/forked.py) and killed,
    # with its git children, at a random moment of the span a whole sync takes here.
    desk.run("note", "1", "before the kills")
    span = forked.duration("sync", env=desk.env())
    made = 1
    chance = random.Random(13)
    for round_ in range(30):
        machine = laptop if round_ % 3 else desk
        machine.run("note", str(chance.randint(1, 7)), f"round {round_}")
        made += 1
        forked.mlpath("sync", env=machine.env()).kill_after(chance.uniform(0.0, span))
    for machine in (laptop, desk, laptop):
        finished = machine.run("sync", ok=False)
        if finished.returncode:  # a kill cut off a push inside the (local) remote itself
            locked = re.search(r"stays locked by (\S+\.lock);", finished.stderr)
            assert locked, finished.stderr
            assert finished.stderr.count("\n") == 1
            for lock in Path(remote).rglob("*.lock"):  # what the message tells the learner to do
                lock.unlink()
            machine.run("sync")
    assert laptop.state() == desk.state()
    pushed = events_in(remote)
    ids = [f"{event['machine']}:{event['seq']}" for event in pushed]
    assert len(ids) == len(set(ids)) == made
    assert len(json.loads(laptop.run("log", "--json").stdout)) == made


def test_the_server_stopped_mid_sync_then_the_next_sync_completes(tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    bare(served / "progress.git")
    daemon = Daemon(served)
    daemon.start()
    try:
        url = daemon.url("progress.git")
        laptop, desk = Machine(tmp_path, "laptop"), Machine(tmp_path, "desk")
        laptop.join(url)
        desk.join(url)
        for round_ in range(5):
            laptop.run("done", str(round_ + 1))
            process = laptop.start("sync")
            time.sleep(0.1 * round_)
            daemon.stop()
            _, err = process.communicate(timeout=120)
            assert process.returncode in (0, 1), err
            if process.returncode:
                assert err.count("\n") == 1 and err.startswith("mlpath: "), err
            down = laptop.run("sync", ok=False)
            assert down.returncode == 1
            assert down.stderr.startswith(f"mlpath: cannot fetch from {url}: "), down.stderr
            daemon.start()
        assert laptop.run("sync").returncode == 0
        desk.run("sync")
        assert json.loads(desk.run("status", "--json").stdout)["done"] == 5
        assert laptop.state() == desk.state()
    finally:
        daemon.stop()


Op = tuple[int, str, int]
OPS = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.sampled_from(["done", "start", "reset", "note", "skill", "undo", "sync"]),
        st.integers(1, 7),
    ),
    min_size=1,
    max_size=10,
)


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ops=OPS)
def test_three_machines_converge_whatever_the_order(ops: list[Op]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        remote = bare(root / "remote.git")
        machines = [Machine(root, name) for name in ("laptop", "desk", "cloud")]
        for machine in machines:
            machine.join(remote)
        for index, action, number in ops:
            machine = machines[index]
            if action == "sync":
                machine.run("sync")
            elif action == "note":
                machine.run("note", str(number), f"from {machine.name}")
            elif action == "skill":
                machine.run("skill", str(number))
            elif action == "undo":
                machine.run("undo", ok=False)
            else:
                machine.run(action, str(number))
        for machine in [*machines, *machines[:2]]:
            machine.run("sync")
        states = [machine.state() for machine in machines]
        assert states[0] == states[1] == states[2]


def test_the_store_lock_is_free_while_sync_waits_on_the_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote = bare(tmp_path / "remote.git")
    laptop = Machine(tmp_path, "laptop")
    laptop.join(remote)
    started, release = tmp_path / "started", tmp_path / "release"
    hook = Path(remote) / "hooks" / "pre-receive"
    # A server that holds the push until the test lets it go (or 60 s have passed).
    hook.write_text(
        f"#!/bin/sh\ntouch {started}\ni=0\n"
        f"while [ ! -e {release} ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done\n"
    )
    hook.chmod(0o755)
    laptop.run("done", "1")
    syncing = laptop.start("sync")
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists() and syncing.poll() is None  # the push is waiting on the server
    monkeypatch.setenv("MLPATH_LOCK_TIMEOUT", "0")  # the store's lock is free: no wait at all
    laptop.run("done", "2")
    assert syncing.poll() is None  # and the push was still waiting while it was changed
    release.touch()
    assert syncing.wait(timeout=60) == 0
    assert "Sync: 1 change not sent yet" in laptop.run("status").stdout


def test_a_remote_left_locked_names_the_file_to_remove(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A push cut off inside a local remote leaves git's lock there: sync says which file,
    rather than blaming other machines, and completes once it is gone. (Every attempt is
    made, each after its pause: the pauses are noted rather than slept.)"""
    from types import SimpleNamespace

    from mlpath.store import sync

    paused: list[float] = []
    monkeypatch.setattr(sync, "time", SimpleNamespace(sleep=paused.append))
    remote = bare(tmp_path / "remote.git")
    laptop = Machine(tmp_path, "laptop")
    laptop.join(remote)
    laptop.run("done", "3")
    lock = Path(remote) / "refs" / "heads" / "main.lock"
    lock.write_text("")
    stuck = laptop.run("sync", ok=False)
    assert stuck.returncode == 1
    assert stuck.stderr == (
        f"mlpath: {remote}: stays locked by {lock}; if no other machine is syncing now, a "
        "sync was cut off there: remove that file and run `mlpath sync` again; what arrived "
        "is merged\n"
    )
    assert paused == [0.2 * attempt for attempt in range(1, sync.ATTEMPTS)]
    lock.unlink()
    assert laptop.run("sync").returncode == 0
    assert len(events_in(remote)) == 1
