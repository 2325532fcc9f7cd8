"""mlpath doctor finds damage; --restore brings back a good state without losing changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from mlpath.store import backups
from tests.conftest import files

Run = Callable[..., Result]


def snapshot(run: Run) -> tuple[object, object, object]:
    """What a learner can see of their progress."""
    return tuple(
        json.loads(run(*args).stdout)
        for args in (
            ("list", "--json"),
            ("status", "--json"),
            ("log", "--json"),
        )
    )


def some_progress(run: Run) -> None:
    for args in (
        ("done", "1"),
        ("start", "3"),
        ("skill", "4"),
        ("rate", "5", "6"),
        ("done", "2", "3"),
        ("undo",),
        ("skip", "6"),
    ):
        assert run(*args).exit_code == 0


def test_healthy_store(run: Run) -> None:
    some_progress(run)
    result = run("doctor")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Everything is in order."
    assert "PROBLEM" not in result.stdout
    report = json.loads(run("doctor", "--json").stdout)
    assert report["ok"] is True
    assert [c["what"] for c in report["checks"]] == [
        "data folder",
        "history",
        "progress",
        "lock",
        "catalogue",
        "backups",
    ]


def test_doctor_on_a_fresh_machine_writes_nothing(run: Run, home: Path) -> None:
    assert run("doctor").exit_code == 0
    assert run("where").exit_code == 0
    assert not home.exists()


@pytest.mark.parametrize(
    "damage", [b"", b"schema_version = 1\n[paths\n", b'schema_version = "one"\n', b"\x00\x01\x02"]
)
def test_damaged_progress_is_restored_with_every_change(
    run: Run, home: Path, damage: bytes
) -> None:
    some_progress(run)
    before = snapshot(run)
    (home / "progress.toml").write_bytes(damage)

    result = run("doctor")
    assert result.exit_code == 1
    [problem] = [line for line in result.stdout.splitlines() if line.startswith("PROBLEM")]
    assert problem.startswith(f"PROBLEM progress: {home / 'progress.toml'}: ")
    assert problem.endswith("; `mlpath doctor --restore` rebuilds it from the history")

    restored = run("doctor", "--restore")
    assert restored.exit_code == 0, restored.output
    assert restored.stdout.splitlines()[-1] == (
        "Rebuilt progress.toml from the 9 events of the history."
    )
    assert snapshot(run) == before
    [aside] = home.glob("progress.toml.damaged-*")
    assert aside.read_bytes() == damage  # moved aside, never deleted
    assert run("doctor").exit_code == 0
    assert run("done", "7").exit_code == 0  # and the store works on


def test_restore_without_backups_rebuilds_from_history(run: Run, home: Path) -> None:
    run("done", "1", "2")  # one write: no backup yet
    before = snapshot(run)
    assert backups.listing(home) == []
    (home / "progress.toml").write_bytes(b"")
    assert snapshot(run) == before  # readers replay the history meanwhile
    result = run("doctor", "--restore")
    assert "Rebuilt progress.toml from the 2 events of the history." in result.stdout.splitlines()
    assert snapshot(run) == before


def test_damaged_history_keeps_every_valid_event(run: Run, home: Path) -> None:
    some_progress(run)
    before = snapshot(run)
    history = home / "history.jsonl"
    lines = history.read_bytes().splitlines(keepends=True)
    history.write_bytes(b"".join(lines[:3]) + b"this is not an event\n" + b"".join(lines[4:]))
    assert run("log").exit_code == 1
    assert run("doctor").exit_code == 1
    result = run("doctor", "--restore")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Kept {len(lines) - 1} valid events of history.jsonl;")
    # the lost line's change is still in the snapshot, and is recorded again
    assert (
        "Recorded 1 change that progress.toml showed but the history had lost."
        in result.stdout.splitlines()
    )
    assert snapshot(run)[0] == before[0]  # the same state (the log gains the re-recording)
    assert len(json.loads(run("log", "--json").stdout)) == len(lines)
    assert run("doctor").exit_code == 0
    [aside] = home.glob("history.jsonl.damaged-*")
    assert b"this is not an event" in aside.read_bytes()
    assert run("done", "7").exit_code == 0
    assert [e["action"] for e in json.loads(run("log", "--json").stdout)][-1] == "done"


def _bad_line(lines: list[bytes]) -> bytes:
    return b"".join(lines[:3]) + b"this is not an event\n" + b"".join(lines[4:])


def _cut_short(lines: list[bytes]) -> bytes:
    """The history without its last commit, which the snapshot still shows."""
    seals = [n for n, line in enumerate(lines[:-1]) if line.endswith(b'"end":true}\n')]
    return b"".join(lines[: seals[-1] + 1])


# Where an interruption meets each repair: just after the damaged history is rewritten (the
# snapshot is read next), or after the lost changes are recorded again (before the snapshot).
@pytest.mark.parametrize(("damage", "point"), [(_bad_line, "read_snapshot"), (_cut_short, "dump")])
def test_an_interrupted_restore_that_wrote_a_repair_says_the_change_is_saved(
    run: Run,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    damage: Callable[[list[bytes]], bytes],
    point: str,
) -> None:
    from mlpath.store import progressfile

    some_progress(run)
    history = home / "history.jsonl"
    history.write_bytes(damage(history.read_bytes().splitlines(keepends=True)))
    damaged = history.read_bytes()

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(progressfile, point, interrupted)
        result = run("doctor", "--restore")
    assert result.exit_code == 130
    assert result.stderr == "mlpath: interrupted; the change is saved\n"
    assert history.read_bytes() != damaged  # the repair was written before the interruption


@pytest.mark.parametrize("cut", [700, 1], ids=["mid-line", "one byte"])
def test_a_history_cut_inside_a_commit_is_restored_in_one_go(
    run: Run, home: Path, cut: int
) -> None:
    """Cut short mid-commit (a torn tail), with the snapshot ahead: what the snapshot shows
    is recorded again after the last committed line, never after the torn one."""
    some_progress(run)
    before = snapshot(run)[0]
    history = home / "history.jsonl"
    data = history.read_bytes()
    history.write_bytes(data[: len(data) - cut])
    result = run("doctor", "--restore")
    assert result.exit_code == 0, result.stderr
    assert "Recorded " in result.stdout and result.stderr == ""
    assert snapshot(run)[0] == before
    assert run("doctor").exit_code == 0
    assert run("done", "7").exit_code == 0


def test_restore_on_a_healthy_store_changes_nothing(run: Run, home: Path) -> None:
    some_progress(run)
    before = files(home)
    result = run("doctor", "--restore")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["The store is healthy: nothing to restore."]

    assert files(home) == before


def test_backups_keep_the_last_good_states(run: Run, home: Path) -> None:
    states = []
    for rank in range(1, 8):
        run("done", str(rank))
        states.append((home / "progress.toml").read_bytes())
    kept = backups.listing(home)
    assert len(kept) == backups.KEEP
    # The newest backup is the state before the last change, and so on back.
    assert [path.read_bytes() for path in kept] == states[-2 : -2 - backups.KEEP : -1]


def test_doctor_reports_a_broken_catalogue(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "mine.toml"
    bad.write_text('id = "x"\n')
    result = run("--catalogue", str(bad), "doctor")
    assert result.exit_code == 1
    assert f"PROBLEM catalogue: {bad}: title: missing" in result.stdout.splitlines()


def test_where(run: Run, home: Path) -> None:
    run("done", "1")
    info = json.loads(run("where", "--json").stdout)
    assert info["home"] == str(home)
    assert info["progress"] == {
        "path": str(home / "progress.toml"),
        "bytes": (home / "progress.toml").stat().st_size,
    }
    assert info["history"]["bytes"] == (home / "history.jsonl").stat().st_size
    assert info["catalogue"]["bundled"] is True and info["catalogue"]["bytes"] > 1000
    text = run("where").stdout
    assert f"Data folder: {home}" in text and "(bundled," in text
