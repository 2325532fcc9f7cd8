"""Every past schema loads; upgrades run in order and keep the original file."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from mlpath.store import migrate

Run = Callable[..., Result]
FIXTURES = Path(__file__).parent / "fixtures"
VERSIONS = sorted(
    int(m.group(1))
    for p in FIXTURES.glob("progress-v*.toml")
    if (m := re.match(r"progress-v(\d+)\.toml", p.name))
)


def install(home: Path, version: int) -> bytes:
    home.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / f"history-v{version}.jsonl", home / "history.jsonl")
    data = (FIXTURES / f"progress-v{version}.toml").read_bytes()
    (home / "progress.toml").write_bytes(data)
    return data


def test_there_is_a_fixture_for_every_version() -> None:
    assert list(range(migrate.OLDEST, migrate.CURRENT + 1)) == VERSIONS


@pytest.mark.parametrize("version", VERSIONS)
def test_every_past_version_loads_and_keeps_working(run: Run, home: Path, version: int) -> None:
    original = install(home, version)
    events = len((FIXTURES / f"history-v{version}.jsonl").read_text().splitlines())
    steps = json.loads(run("list", "--json").stdout)
    assert [s["status"] for s in steps[:3]] == ["done", "todo", "in_progress"]
    assert steps[2]["challenge"] == 5
    assert json.loads(run("status", "--json").stdout)["skill"] == 3
    assert len(json.loads(run("log", "--json").stdout)) == events
    assert run("doctor").exit_code == 0
    if version >= 2:  # notes and resources arrived with schema 2
        assert [n["text"] for n in steps[2]["notes"]] == [
            "Finished AI For Everyone; next, the deep learning specialization."
        ]
        assert [r["done"] for r in steps[2]["resources"]] == [False, True, False, False, False]

    assert run("done", "2").exit_code == 0
    assert (home / "progress.toml").read_text().startswith(f"schema_version = {migrate.CURRENT}\n")
    bak = home / f"progress.toml.v{version}.bak"
    if version < migrate.CURRENT:
        assert bak.read_bytes() == original
    else:
        assert not bak.exists()
    assert run("undo").exit_code == 0
    assert json.loads(run("list", "--json").stdout) == steps
    assert len(json.loads(run("log", "--json").stdout)) == events + 2


def test_upgrades_run_in_order() -> None:
    calls: list[int] = []

    def step(n: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def upgrade(raw: dict[str, Any]) -> dict[str, Any]:
            calls.append(n)
            assert raw["schema_version"] == n
            return {**raw, f"seen{n}": True}

        return upgrade

    patched = {1: step(1), 2: step(2), 3: step(3)}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(migrate, "UPGRADES", patched)
        mp.setattr(migrate, "CURRENT", 4)
        out = migrate.upgrade({"schema_version": 2}, 2)
    assert calls == [2, 3]
    assert out == {"schema_version": 4, "seen2": True, "seen3": True}


def test_an_upgrade_keeps_the_original_before_its_first_write(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pretend schema 2 that renames nothing but sets the skill, to see the upgrade ran.
    def to_v2(raw: dict[str, Any]) -> dict[str, Any]:
        raw["paths"]["get-started-in-ml"]["skill"] = 9
        return raw

    original = install(home, 1)
    monkeypatch.setattr(migrate, "UPGRADES", {1: to_v2})
    monkeypatch.setattr(migrate, "CURRENT", 2)

    assert json.loads(run("status", "--json").stdout)["skill"] == 9
    assert not (home / "progress.toml.v1.bak").exists()  # reading writes nothing
    assert run("done", "2").exit_code == 0
    assert (home / "progress.toml.v1.bak").read_bytes() == original
    assert (home / "progress.toml").read_text().startswith("schema_version = 2\n")
    assert run("done", "4").exit_code == 0  # now at v2: the .bak is not replaced
    assert (home / "progress.toml.v1.bak").read_bytes() == original


def test_a_newer_file_is_refused_and_left_alone(run: Run, home: Path) -> None:
    home.mkdir()
    newer = f"schema_version = {migrate.CURRENT + 1}\n".encode()
    (home / "progress.toml").write_bytes(newer)
    for args in (("done", "1"), ("list",), ("doctor", "--restore")):
        result = run(*args)
        assert result.exit_code == 1, args
        assert f"this mlpath reads up to version {migrate.CURRENT}" in result.stderr
    assert (home / "progress.toml").read_bytes() == newer


def test_an_old_state_its_history_does_not_explain_is_kept_as_changes(run: Run, home: Path) -> None:
    # An old `import` could set a state whole, with no events behind it.
    install(home, 2)
    with (home / "progress.toml").open("a") as handle:
        handle.write('\n[paths.get-started-in-ml.steps.work-for-ml-startup]\nstatus = "done"\n')
    before = json.loads(run("list", "--json").stdout)
    assert before[6]["status"] == "done"
    assert run("done", "2").exit_code == 0  # the upgrade
    after = json.loads(run("list", "--json").stdout)
    assert [s["status"] for s in after] == [
        "done",
        "done",
        "in_progress",
        "todo",
        "todo",
        "todo",
        "done",
    ]
    log = json.loads(run("log", "--json").stdout)
    assert [(e["action"], e["step"]) for e in log[-2:]] == [("done", 7), ("done", 2)]
    (home / "progress.toml").unlink()  # and it is the replay of the history
    assert json.loads(run("list", "--json").stdout) == after
    assert run("doctor").exit_code == 0


def test_an_export_made_before_the_upgrade_merges_back_as_nothing_new(
    run: Run, home: Path, tmp_path: Path
) -> None:
    install(home, 2)
    old = [json.loads(line) for line in (FIXTURES / "history-v2.jsonl").read_text().splitlines()]
    export = {
        "format": "mlpath-export",
        "version": 1,
        "exported_at": "2026-11-22T00:00:00+00:00",
        "schema_version": 2,
        "paths": {},
        "events": [
            {
                "at": e["at"],
                "action": e["action"],
                "step": None,
                "details": e["details"],
                "catalogue": e["catalogue"],
                "step_id": e["step"],
                "seq": e["seq"],
                "batch": e["batch"],
            }
            for e in old
        ],
    }
    (tmp_path / "old.json").write_text(json.dumps(export))
    assert run("done", "2").exit_code == 0  # the upgrade
    before = (home / "history.jsonl").read_bytes()
    result = run("import", "--merge", str(tmp_path / "old.json"))
    assert result.exit_code == 0, result.stderr
    assert (home / "history.jsonl").read_bytes() == before  # every event was there already
