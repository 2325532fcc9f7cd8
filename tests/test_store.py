"""The store: where files live, how they are written, and how damage is refused."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from filelock import FileLock
from typer.testing import Result

from mlpath import catalogue
from mlpath.core.progress import Status
from mlpath.errors import StoreError
from mlpath.store import layout, migrate, progressfile, record
from tests.conftest import files

Run = Callable[..., Result]
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@pytest.fixture
def cat() -> catalogue.Catalogue:
    return catalogue.load(catalogue.bundled_path(), bundled=True)


def test_mlpath_home_replaces_the_data_folder(home: Path, run: Run) -> None:
    run("done", "1")
    assert sorted(p.name for p in home.iterdir()) == [
        "history.jsonl",
        "machine.toml",
        "progress.toml",
        "progress.toml.lock",
    ]


def test_default_folder_is_the_platform_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("MLPATH_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert layout.home() == tmp_path / "xdg" / "mlpath"


def test_a_fresh_account_without_a_local_share_folder_gets_one(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A new user's home has no ~/.local/share yet: the first change makes the folders."""
    account = tmp_path / "account"
    account.mkdir()
    monkeypatch.delenv("MLPATH_HOME")
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(account))
    result = run("done", "1")
    assert result.exit_code == 0, result.output
    folder = account / ".local" / "share" / "mlpath"
    assert result.stdout.splitlines() == ["Step 1 (Watch ML related videos): todo -> done."]
    assert sorted(p.name for p in folder.iterdir()) == [
        "history.jsonl",
        "machine.toml",
        "progress.toml",
        "progress.toml.lock",
    ]
    assert json.loads(run("where", "--json").stdout)["home"] == str(folder)


def test_reading_writes_nothing(home: Path, run: Run) -> None:
    for args in (("list",), ("status",), ("next",), ("log",), ("show", "2"), ("skill",)):
        assert run(*args).exit_code == 0
    assert not home.exists()


def test_round_trip(cat: catalogue.Catalogue, home: Path) -> None:
    with record.transaction(cat) as tracker:
        tracker.mark(3, Status.DONE, NOW)
        tracker.set_skill(5, NOW)
        tracker.rate(4, 8, NOW)
    progress = record.read()
    assert progress.paths["get-started-in-ml"].steps["take-ml-courses"].status is Status.DONE
    assert progress.paths["get-started-in-ml"].steps["take-ml-courses"].changed == NOW
    assert progress.paths["get-started-in-ml"].skill == 5
    mark = record.state(layout.paths()).mark
    assert mark.events == 3 and mark.seq == 3
    assert mark.bytes == (home / "history.jsonl").stat().st_size
    assert [e.action for e in record.read_history()] == ["done", "skill", "rate"]
    assert progressfile.parse_snapshot(
        home / "progress.toml", progressfile.dump(progress, mark)
    ) == (
        progress,
        mark,
        migrate.CURRENT,
    )


def test_an_error_inside_a_transaction_writes_nothing(cat: catalogue.Catalogue, home: Path) -> None:
    with record.transaction(cat) as tracker:
        tracker.mark(1, Status.DONE, NOW)
    before = files(home)
    with pytest.raises(RuntimeError), record.transaction(cat) as tracker:
        tracker.mark(2, Status.DONE, NOW)
        raise RuntimeError("boom")
    assert files(home) == before


def test_no_temp_file_is_left_behind(run: Run, home: Path) -> None:
    run("done", "1")
    run("done", "2")
    assert not list(home.glob("*.tmp")) and not list(home.glob(".*"))


def test_stale_temp_files_are_cleaned_by_the_next_writer(run: Run, home: Path) -> None:
    run("done", "1")
    stale = home / ".progress.toml.abc123.tmp"
    stale.write_text("half a write")
    run("list")
    assert stale.exists()  # readers leave it alone
    run("done", "2")
    assert not stale.exists()


def test_uncommitted_history_tail_is_ignored_then_trimmed(run: Run, home: Path) -> None:
    run("done", "1")
    history = home / "history.jsonl"
    committed = history.read_bytes()
    # A run that died after appending its event but before replacing progress.toml:
    with history.open("ab") as handle:
        handle.write(b'{"seq":2,"batch":2,"at":"2026-01-01T00:00:00+00:00","catalogue":"x"')
    log = run("log", "--json")
    assert log.exit_code == 0 and len(json.loads(log.stdout)) == 1
    run("done", "2")
    lines = history.read_bytes().splitlines()
    assert history.read_bytes().startswith(committed) and len(lines) == 2
    assert json.loads(lines[1])["seq"] == 2


def test_history_shorter_than_committed_is_damage(run: Run, home: Path) -> None:
    run("done", "1", "2")
    history = home / "history.jsonl"
    seen = history.stat().st_size
    history.write_bytes(history.read_bytes()[:10])
    for args in (("log",), ("done", "3")):
        result = run(*args)
        assert result.exit_code == 1
        assert result.stderr == (
            f"mlpath: {history}: holds less than progress.toml has seen (0 of {seen} bytes): it "
            "was cut short or replaced; `mlpath doctor --restore` keeps both and rebuilds what "
            "it can\n"
        )


DAMAGE = [
    (b"", "the file is empty"),
    (b"   \n", "the file is empty"),
    (b"schema_version = 1\n[paths\n", "damaged: "),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"hello = 1\n", "schema_version: should be a whole number"),
    (
        b"schema_version = 1\n\n[paths.get-started-in-ml.steps.take-ml-courses]\n"
        b'status = "finished"\n',
        "paths.get-started-in-ml.steps.take-ml-courses.status: should be 'todo', ",
    ),
    (
        b"schema_version = 2\n[paths.get-started-in-ml]\nskill = 42\n",
        "paths.get-started-in-ml.skill: should be at most 10 (line 3)",
    ),
    (b"schema_version = 1\nsurprise = true\n", "surprise: not a field mlpath knows"),
]


@pytest.mark.parametrize(("content", "message"), DAMAGE)
def test_damaged_progress_is_reported_and_never_overwritten(
    run: Run, home: Path, content: bytes, message: str
) -> None:
    home.mkdir()
    (home / "progress.toml").write_bytes(content)
    before = files(home)
    for args in (("status",), ("list",), ("done", "1"), ("undo",), ("skill", "3")):
        result = run(*args)
        assert result.exit_code == 1, args
        assert str(home / "progress.toml") in result.stderr
        assert message in result.stderr, result.stderr
        assert "Traceback" not in result.output
        assert files(home) == before


# Every command that shows or carries progress: each must read the state, so that a damaged
# store is named, never shown as an empty one (the damaged file may hold all there is).
SHOWING = [
    ("status", "--json"),
    ("list",),
    ("show", "1"),
    ("next", "--skill", "3"),
    ("skill",),
    ("map",),
    ("log",),
    ("activity",),
    ("activity", "--svg"),
    ("journal",),
    ("card",),
    ("page",),
    ("export",),
]


@pytest.mark.parametrize("args", SHOWING)
def test_a_damaged_store_with_no_history_is_named_not_shown_empty(
    run: Run, home: Path, args: tuple[str, ...]
) -> None:
    home.mkdir()
    (home / "progress.toml").write_bytes(b"schema_version = 1\n[paths\n")
    before = files(home)
    result = run(*args)
    assert result.exit_code == 1, (args, result.stdout)
    assert result.stdout == ""
    assert f"{home / 'progress.toml'}: damaged: " in result.stderr
    assert "mlpath doctor --restore" in result.stderr
    assert files(home) == before


def test_bad_toml_reports_line_and_column(home: Path) -> None:
    home.mkdir()
    (home / "progress.toml").write_text("schema_version = 1\n\n[paths\n")
    with pytest.raises(StoreError, match=r"line 3, column \d+"):
        record.read()


def test_newer_schema_is_refused(run: Run, home: Path) -> None:
    home.mkdir()
    (home / "progress.toml").write_text("schema_version = 7\n")
    before = files(home)
    result = run("done", "1")
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: {home / 'progress.toml'}: written by a newer mlpath (schema version 7); this "
        f"mlpath reads up to version {migrate.CURRENT}: upgrade mlpath to use this file\n"
    )
    assert files(home) == before


def test_busy_store_exits_75(run: Run, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home.mkdir()
    monkeypatch.setenv("MLPATH_LOCK_TIMEOUT", "0.3")
    with FileLock(home / "progress.toml.lock"):
        started = time.monotonic()
        result = run("done", "1")
        waited = time.monotonic() - started
        reading = run("status")
    assert result.exit_code == 75
    assert result.stderr.splitlines() == [
        f"mlpath: another mlpath is changing {home}; waiting up to 0.3 s",
        f"mlpath: another mlpath is changing {home} (waited 0.3 s for "
        f"{home / 'progress.toml.lock'}); try again when it has finished",
    ]
    # MLPATH_LOCK_TIMEOUT is what it waited, not the default of 10 s.
    assert 0.3 <= waited < record.LOCK_TIMEOUT / 2, waited
    assert reading.exit_code == 0  # readers take no lock
    assert not (home / "progress.toml").exists()
    assert run("done", "1").exit_code == 0
    assert (home / "progress.toml.lock").exists()  # never deleted


def test_data_folder_that_is_a_file(run: Run, home: Path) -> None:
    home.write_text("not a folder")
    result = run("done", "1")
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: cannot use {home} as the data folder: it is a file; move it, or point "
        "MLPATH_HOME at a folder\n"
    )


def test_the_learners_files_are_private(run: Run, home: Path) -> None:
    run("done", "1")
    run("done", "2")
    for name in ("progress.toml", "history.jsonl"):
        assert (home / name).stat().st_mode & 0o077 == 0, name


def test_a_history_line_holding_two_events_is_damage(run: Run, home: Path) -> None:
    run("done", "1", "2")
    history = home / "history.jsonl"
    first, second = history.read_bytes().splitlines()
    history.write_bytes(first + b"," + second + b"\n")  # same size: still "committed"
    result = run("log")
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: {history}: damaged at line 1: not JSON; `mlpath doctor` explains how to get "
        "past it\n"
    )


def test_a_committed_change_stands_when_the_damaged_snapshot_cannot_be_set_aside(
    run: Run, home: Path
) -> None:
    run("done", "1")
    (home / "progress.toml").unlink()
    (home / "progress.toml").mkdir()  # damaged in a way no link can keep aside
    result = run("done", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Step 2 (Read about trends and happenings in ML): todo -> done."
    ]
    assert result.stderr == (
        f"mlpath: {home / 'progress.toml'} is damaged and could not be set aside, so it was left "
        "as it is (readers rebuild the state from the history): the change is saved in the "
        "history all the same\n"
    )
    assert (home / "progress.toml").is_dir()  # left as it was
    assert [s["status"] for s in json.loads(run("list", "--json").stdout)[:3]] == [
        "done",
        "done",
        "todo",
    ]


def test_undo_reaching_a_damaged_line_names_it(run: Run, home: Path) -> None:
    for rank in ("1", "2", "3"):
        run("done", rank)
    history = home / "history.jsonl"
    lines = history.read_bytes().splitlines(keepends=True)
    lines[0] = lines[0].replace(b'"to":"done"', b'"to":"xxxx"')  # same size: a current snapshot
    history.write_bytes(b"".join(lines))
    assert run("undo").exit_code == 0 and run("undo").exit_code == 0
    result = run("undo")  # read from the end, it reaches the damaged first line
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: {history}: damaged at line 1: details.to: should be done; `mlpath doctor` "
        "explains how to get past it\n"
    )
