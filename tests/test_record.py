"""The history is the record: the roads by which the old store lost or corrupted data, each
closed, and the invariant (the state shown is the replay of the committed history)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import Result

from mlpath import catalogue
from mlpath.core.history import replay
from mlpath.core.members import standing
from mlpath.core.progress import Status
from mlpath.errors import StoreError
from mlpath.store import doctor, historyfile, layout, record
from tests.conftest import files

Run = Callable[..., Result]


def assert_invariant() -> None:
    """What mlpath shows is the replay of the committed history, and doctor agrees."""
    where = layout.paths()
    committed = historyfile.read(where.history)
    shown = record.read()
    assert shown == replay(committed.events)
    # One order: the state does not depend on the order the events arrive in (a merge or a
    # sync appends events that happened earlier).
    assert shown == replay(reversed(committed.events))
    findings = doctor.check(None)
    assert all(f.ok for f in findings), [f.text for f in findings if not f.ok]
    # Every check-in shown is one that stands in the history, and every one standing is shown.
    said = sorted(
        (name, e.step, e.at, e.details["challenge"], e.details["skill"])
        for name in {e.catalogue for e in committed.events}
        for e in standing(committed.events, name)
        if e.action == "checkin"
    )
    kept = sorted(
        (name, step_id, c.at, c.challenge, c.skill)
        for name, path in shown.paths.items()
        for step_id, entry in path.steps.items()
        for c in entry.checkins
    )
    assert kept == said


def status_of(run: Run) -> list[str]:
    return [s["status"] for s in json.loads(run("list", "--json").stdout)]


class FakeClock:
    """The store's wall clock, set by hand: it can go backwards."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeClock]:
    fake = FakeClock()
    monkeypatch.setattr(record, "clock", fake)
    yield fake


# -- road 1: a missing progress.toml no longer wipes the history ---------------------------


def test_a_deleted_progress_toml_is_rebuilt_and_the_history_kept(run: Run, home: Path) -> None:
    run("done", "1")
    run("note", "3", "week one")
    history = (home / "history.jsonl").read_bytes()
    (home / "progress.toml").unlink()
    assert status_of(run)[0] == "done"  # readers replay the history
    assert run("doctor").exit_code == 0
    assert run("start", "2").exit_code == 0
    assert (home / "history.jsonl").read_bytes().startswith(history)
    assert status_of(run)[:3] == ["done", "in_progress", "todo"]
    assert_invariant()


def test_a_history_that_is_a_symlink_is_refused_and_its_target_untouched(
    run: Run, home: Path, tmp_path: Path
) -> None:
    run("done", "1")
    target = tmp_path / "elsewhere.jsonl"
    (home / "history.jsonl").rename(target)
    (home / "history.jsonl").symlink_to(target)
    before = target.read_bytes()
    result = run("done", "2")
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: {home / 'history.jsonl'} is a symbolic link: mlpath keeps its files as plain "
        "files; put the file it points to in its place\n"
    )
    assert target.read_bytes() == before


def test_a_lock_file_that_is_a_symlink_is_refused_and_its_target_untouched(
    run: Run, home: Path, tmp_path: Path
) -> None:
    # filelock up to 3.15 opens its lock with O_TRUNC and follows links: a lock file linked
    # to another file of the learner's would empty that file on the next change.
    run("done", "1")
    target = tmp_path / "thesis.txt"
    target.write_text("two years of work\n")
    (home / "progress.toml.lock").unlink()
    (home / "progress.toml.lock").symlink_to(target)
    before = files(home)
    for args in (("done", "2"), ("doctor", "--restore")):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stderr.splitlines() == [
            f"mlpath: {home / 'progress.toml.lock'} is a symbolic link: mlpath keeps its files "
            "as plain files; put the file it points to in its place"
        ]
        assert target.read_text() == "two years of work\n"
        assert files(home) == before


def test_a_damaged_progress_toml_is_replayed_from_the_history(run: Run, home: Path) -> None:
    run("done", "1")
    (home / "progress.toml").write_text("[[[ not toml")
    assert status_of(run)[0] == "done"
    assert run("doctor").exit_code == 1  # the damage is reported...
    assert run("doctor", "--restore").exit_code == 0  # ...and repaired
    assert list(home.glob("progress.toml.damaged-*"))
    assert_invariant()


def test_progress_toml_nested_deeply_never_breaks_a_command(run: Run, home: Path) -> None:
    run("done", "1")
    (home / "progress.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert status_of(run)[0] == "done"
    assert run("doctor", "--restore").exit_code == 0
    assert_invariant()


# -- road 2: imports obey the rules the commands obey ---------------------------------------


def _export(run: Run, home: Path, tmp_path: Path) -> dict[str, object]:
    run("done", "1")
    run("rate", "3", "5")
    out = tmp_path / "export.json"
    run("export", "-o", str(out))
    data: dict[str, object] = json.loads(out.read_text())
    return data


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("to", 99, "details.to: should be a whole number from 1 to 10"),
        ("to", "banana", "details.to: should be a whole number from 1 to 10"),
        ("to", 5.0, "details.to: should be a whole number from 1 to 10"),
        ("action", "explode", "action: unknown action 'explode'"),
    ],
)
def test_an_import_with_an_invalid_event_is_refused_whole(
    run: Run,
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    field: str,
    value: object,
    words: str,
) -> None:
    data = _export(run, home, tmp_path)
    events = data["events"]
    assert isinstance(events, list)
    rate = events[-1]
    if field == "action":
        rate["action"] = value
    else:
        rate["details"][field] = value
    poisoned = tmp_path / "poisoned.json"
    poisoned.write_text(json.dumps(data))
    for args in (("import", "--merge", str(poisoned)),):
        before = files(home)
        result = run(*args)
        assert result.exit_code == 1, result.stdout
        assert result.stderr == f"mlpath: {poisoned}: events[1].{words}; nothing imported\n"
        assert files(home) == before
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "fresh"))
    assert run("import", str(poisoned)).exit_code == 1
    assert not (tmp_path / "fresh" / "history.jsonl").exists()


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_an_import_carrying_nan_or_infinity_is_refused(
    run: Run, home: Path, tmp_path: Path, constant: str
) -> None:
    data = _export(run, home, tmp_path)
    text = json.dumps(data).replace('"to": 5', f'"to": {constant}')
    poisoned = tmp_path / "nan.json"
    poisoned.write_text(text)
    before = files(home)
    result = run("import", "--merge", str(poisoned))
    assert result.exit_code == 1
    said = f"mlpath: {poisoned}: not JSON: {constant} is not a number JSON allows"
    assert re.fullmatch(rf"{re.escape(said)} \(at character [1-9][0-9]*\)\n", result.stderr)

    assert files(home) == before
    json.loads(run("log", "--json").stdout)  # still valid JSON
    json.loads(run("export").stdout)


def test_an_event_with_an_invalid_value_in_the_store_stops_replay_with_file_and_line(
    run: Run, home: Path
) -> None:
    run("done", "1")
    run("rate", "3", "5")
    (home / "progress.toml").unlink()
    history = home / "history.jsonl"
    history.write_bytes(history.read_bytes().replace(b'"to":5', b'"to":99'))
    result = run("status")
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: {history}: damaged at line 2: details.to: should be a whole number from 1 to "
        "10; `mlpath doctor` explains how to get past it\n"
    )
    assert not (home / "progress.toml").exists()  # never a damaged snapshot


# -- road 3: one order, and merges that cannot rewrite what happened ------------------------


def test_a_clock_that_goes_back_never_reorders_this_stores_changes(
    run: Run, home: Path, clock: FakeClock
) -> None:
    run("done", "3")
    clock.now -= timedelta(hours=5)  # the wall clock is set back
    run("skip", "3")
    assert status_of(run)[2] == "skipped"
    (home / "progress.toml").unlink()  # a replay agrees with what was shown
    assert status_of(run)[2] == "skipped"
    assert run("undo").exit_code == 0  # undo reverts the newest change: the skip
    assert status_of(run)[2] == "done"
    log = json.loads(run("log", "--json").stdout)
    assert [e["action"] for e in log] == ["done", "skip", "undo"]
    assert log[1]["at"] < log[0]["at"]  # times shown as they were
    assert_invariant()


def test_an_unrelated_merge_never_flips_a_step(
    run: Run, home: Path, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("done", "3")
    clock.now -= timedelta(minutes=1)
    run("skip", "3")  # committed second, stamped earlier
    assert status_of(run)[2] == "skipped"
    other = tmp_path / "other"
    monkeypatch.setenv("MLPATH_HOME", str(other))
    clock.now -= timedelta(days=1)
    run("skill", "5")
    run("export", "-o", str(tmp_path / "other.json"))
    monkeypatch.setenv("MLPATH_HOME", str(home))
    assert run("import", "--merge", str(tmp_path / "other.json")).exit_code == 0
    assert status_of(run)[2] == "skipped"
    assert json.loads(run("status", "--json").stdout)["skill"] == 5
    assert_invariant()


def test_after_a_merge_undo_and_restore_agree_with_what_is_shown(
    run: Run, home: Path, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("start", "3")  # the desktop, earlier
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "laptop"))
    clock.now += timedelta(hours=1)
    run("done", "3")  # the laptop, later
    run("export", "-o", str(tmp_path / "laptop.json"))
    monkeypatch.setenv("MLPATH_HOME", str(home))
    assert run("import", "--merge", str(tmp_path / "laptop.json")).exit_code == 0
    assert status_of(run)[2] == "done"
    (home / "progress.toml").write_text("damaged")
    assert run("doctor", "--restore").exit_code == 0
    assert status_of(run)[2] == "done"
    assert run("undo").exit_code == 0  # the import, as a whole
    assert status_of(run)[2] == "in_progress"
    assert_invariant()


def test_a_merged_change_that_happened_earlier_orders_before_ours(
    run: Run, home: Path, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "laptop"))
    run("start", "3")  # the laptop, first
    run("export", "-o", str(tmp_path / "laptop.json"))
    monkeypatch.setenv("MLPATH_HOME", str(home))
    clock.now += timedelta(hours=1)
    run("done", "3")  # the desktop, an hour later
    assert run("import", "--merge", str(tmp_path / "laptop.json")).exit_code == 0
    assert status_of(run)[2] == "done"
    (home / "progress.toml").unlink()
    assert status_of(run)[2] == "done"
    assert_invariant()


def test_merging_the_same_export_twice_adds_nothing(run: Run, home: Path, tmp_path: Path) -> None:
    data = _export(run, home, tmp_path)
    assert data["version"] == 2
    before = files(home)
    result = run("import", "--merge", str(tmp_path / "export.json"))
    assert result.exit_code == 0
    assert files(home) == before


def test_a_clashing_identity_is_refused(run: Run, home: Path, tmp_path: Path) -> None:
    data = _export(run, home, tmp_path)
    events = data["events"]
    assert isinstance(events, list)
    events[0]["at"] = "2020-01-01T00:00:00+00:00"
    (tmp_path / "clash.json").write_text(json.dumps(data))
    before = files(home)
    result = run("import", "--merge", str(tmp_path / "clash.json"))
    assert result.exit_code == 1
    ident = f"{events[0]['machine']}:{events[0]['seq']}"
    assert result.stderr == (
        f"mlpath: {tmp_path / 'clash.json'}: event {ident} differs from this store's event of "
        "the same identity: not an export of the same history; nothing imported\n"
    )
    assert files(home) == before


# -- restore is crash-safe and truthful -----------------------------------------------------


def test_restore_on_a_full_disk_says_the_truth(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("done", "1")
    (home / "progress.toml").write_text("damaged")
    from mlpath.store import fileio

    def full(path: Path, data: bytes, mode: int | None = None) -> None:
        raise StoreError(f"cannot write {path}: no space left on device; the old file is intact")

    with monkeypatch.context() as patched:
        patched.setattr(fileio, "atomic_write", full)
        result = run("doctor", "--restore")
    assert result.exit_code == 1
    assert (
        f"mlpath: cannot write {home / 'progress.toml'}: no space left on device; the old file "
        "is intact"
    ) in result.stderr.splitlines()
    assert (home / "progress.toml").read_text() == "damaged"  # intact, as it says
    assert status_of(run)[0] == "done"
    assert run("doctor", "--restore").exit_code == 0


def test_a_healthy_store_is_left_alone_by_restore(run: Run, home: Path) -> None:
    run("done", "1")
    run("done", "2")
    before = files(home)
    result = run("doctor", "--restore")
    assert result.stdout.strip() == "The store is healthy: nothing to restore."
    assert files(home) == before


def test_a_history_cut_short_is_rebuilt_from_the_snapshot(run: Run, home: Path) -> None:
    run("done", "1")
    run("rate", "3", "5")
    run("note", "2", "kept")
    history = home / "history.jsonl"
    history.write_bytes(history.read_bytes().splitlines(keepends=True)[0])
    assert run("status").exit_code == 1  # the reader says so, and writes nothing
    assert run("doctor").exit_code == 1
    assert run("doctor", "--restore").exit_code == 0
    steps = json.loads(run("list", "--json").stdout)
    assert steps[2]["challenge"] == 5 and steps[1]["notes"][0]["text"] == "kept"
    assert_invariant()


def test_a_damaged_line_in_the_history_is_set_aside_and_the_rest_kept(run: Run, home: Path) -> None:
    for step in ("1", "2", "3"):
        run("done", step)
    history = home / "history.jsonl"
    lines = history.read_bytes().splitlines(keepends=True)
    history.write_bytes(lines[0] + b"garbage\n" + lines[1] + lines[2])
    assert run("status").exit_code == 1
    result = run("doctor", "--restore")
    assert result.exit_code == 0
    assert status_of(run)[:3] == ["done", "done", "done"]
    assert [p.read_bytes() for p in home.glob("history.jsonl.damaged-*")] == [
        lines[0] + b"garbage\n" + lines[1] + lines[2]
    ]
    assert_invariant()


def test_a_torn_tail_is_ignored_by_readers_and_trimmed_only_to_the_last_seal(
    run: Run, home: Path
) -> None:
    run("done", "1", "2")
    history = home / "history.jsonl"
    committed = history.read_bytes()
    cat = catalogue.load(catalogue.bundled_path(), bundled=True)
    with record.transaction(cat) as tracker:
        tracker.mark(3, Status.DONE, record.clock())
        torn = historyfile.encode(tracker.events)
        tracker.events.clear()
    with history.open("ab") as handle:  # a change killed half-way through its append
        handle.write(torn[:-10])
    assert status_of(run)[2] == "todo"
    run("start", "4")
    assert history.read_bytes().startswith(committed)
    assert status_of(run)[:4] == ["done", "done", "todo", "in_progress"]
    assert_invariant()


def test_every_event_line_is_sealed_per_commit(run: Run, home: Path) -> None:
    run("done", "1", "2")
    run("skill", "4")
    lines = (home / "history.jsonl").read_bytes().splitlines()
    assert [line.endswith(b',"end":true}') for line in lines] == [False, True, True]
    assert (home / "history.jsonl").stat().st_mode & 0o777 == 0o600


def test_a_second_event_with_the_same_identity_is_damage_and_restore_keeps_the_first(
    run: Run, home: Path
) -> None:
    run("done", "1")
    run("done", "2")
    history = home / "history.jsonl"
    first, second = history.read_bytes().splitlines(keepends=True)
    history.write_bytes(first + second + second.replace(b'"seq":2,"batch":2', b'"seq":1,"batch":1'))
    (home / "progress.toml").unlink()
    result = run("status")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"mlpath: {history}: damaged at line 3: a second event ")
    assert run("doctor", "--restore").exit_code == 0
    assert [e.seq for e in historyfile.read(history).events] == [1, 2]
    assert_invariant()


def test_a_damaged_machine_file_never_stops_reading(run: Run, home: Path) -> None:
    run("done", "1")
    (home / "machine.toml").write_text("[[[")
    (home / "progress.toml").unlink()
    assert status_of(run)[0] == "done"
    result = run("done", "2")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"mlpath: {home / 'machine.toml'}: damaged (")
    assert result.stderr.endswith("); move it aside to start anew\n")


# -- what doctor and the snapshot check must catch (each kills a mutant that survived) -------


def test_doctor_finds_a_snapshot_that_is_not_the_replay(run: Run, home: Path) -> None:
    run("done", "1")
    snapshot = home / "progress.toml"
    snapshot.write_text(snapshot.read_text().replace('status = "done"', 'status = "skipped"'))
    result = run("doctor")
    assert result.exit_code == 1
    assert (
        f"PROBLEM progress: {snapshot} differs from the replay of the history "
        "(get-started-in-ml: step watch-ml-videos); `mlpath doctor --restore` rewrites it"
    ) in result.stdout.splitlines()

    assert run("doctor", "--restore").exit_code == 0
    assert status_of(run)[0] == "done"


def test_doctor_says_a_snapshot_is_behind_and_that_this_is_fine(run: Run, home: Path) -> None:
    run("done", "1")
    older = (home / "progress.toml").read_bytes()
    run("done", "2")
    (home / "progress.toml").write_bytes(older)  # as if the last snapshot write had failed
    result = run("doctor")
    assert result.exit_code == 0
    assert f"ok      progress: {home / 'progress.toml'} is 1 event behind the history" in (
        result.stdout
    )
    assert status_of(run)[:2] == ["done", "done"]


def test_a_snapshot_of_another_history_of_the_same_size_is_not_trusted(
    run: Run, home: Path
) -> None:
    run("done", "1")
    history = home / "history.jsonl"
    history.write_bytes(history.read_bytes().replace(b"watch-ml-videos", b"take-ml-courses"))
    assert status_of(run)[:3] == ["todo", "todo", "done"]


def test_a_behind_snapshot_catches_up_in_the_one_order(
    run: Run, home: Path, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "laptop"))
    run("start", "3")  # earlier, elsewhere
    run("export", "-o", str(tmp_path / "laptop.json"))
    monkeypatch.setenv("MLPATH_HOME", str(home))
    clock.now += timedelta(hours=1)
    run("done", "3")
    before_merge = (home / "progress.toml").read_bytes()
    assert run("import", "--merge", str(tmp_path / "laptop.json")).exit_code == 0
    (home / "progress.toml").write_bytes(before_merge)  # the merge's snapshot was lost
    assert status_of(run)[2] == "done"
    assert_invariant()


def test_a_backup_is_the_previous_snapshot_itself_not_a_copy(run: Run, home: Path) -> None:
    run("done", "1")
    first = (home / "progress.toml").stat().st_ino
    run("done", "2")
    from mlpath.store import backups

    [backup] = backups.listing(home)
    assert backup.stat().st_ino == first


def test_whole_lines_of_an_unsealed_commit_are_a_torn_tail(run: Run, home: Path) -> None:
    run("done", "1")
    history = home / "history.jsonl"
    committed = history.read_bytes()
    cat = catalogue.load(catalogue.bundled_path(), bundled=True)
    with record.transaction(cat) as tracker:
        tracker.mark(2, Status.DONE, record.clock())
        tracker.mark(3, Status.DONE, record.clock())
        first_line = historyfile.encode(tracker.events).splitlines(keepends=True)[0]
        tracker.events.clear()
    with history.open("ab") as handle:  # killed after the first of its two lines
        handle.write(first_line)
    assert status_of(run)[:3] == ["done", "todo", "todo"]
    assert run("doctor").exit_code == 0
    run("start", "4")
    assert history.read_bytes().startswith(committed)
    assert first_line not in history.read_bytes()
    assert_invariant()


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ('name = "laptop"\n', "needs an id and a name"),
        ('id = "a b"\nname = "x"\n', "id: letters, digits, - and _ only"),
    ],
)
def test_a_machine_file_without_a_good_id_says_what_to_do(
    run: Run, home: Path, text: str, fault: str
) -> None:
    run("done", "1")
    (home / "machine.toml").write_text(text)
    result = run("done", "2")
    assert result.exit_code == 1
    machine_file = home / "machine.toml"
    assert (
        result.stderr == f"mlpath: {machine_file}: damaged: {fault}; move it aside to start anew\n"
    )


def test_undoing_an_import_and_then_the_change_before_it_leaves_neither(
    run: Run, home: Path, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The laptop rated step 3 before this machine did; after the import, undo takes back
    the import, then this machine's rating: neither may be left standing. (The second undo
    once replayed the first undo's value, which was this machine's rating, and kept it.)"""
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "laptop"))
    run("rate", "3", "4")
    run("export", "-o", str(tmp_path / "laptop.json"))
    monkeypatch.setenv("MLPATH_HOME", str(home))
    clock.now += timedelta(hours=1)
    run("rate", "3", "3")
    assert run("import", "--merge", str(tmp_path / "laptop.json")).exit_code == 0
    assert run("undo").exit_code == 0
    assert run("undo").exit_code == 0
    step = json.loads(run("show", "3", "--json").stdout)
    assert (step["challenge"], step["challenge_source"]) == (4, "catalogue")
    assert_invariant()
