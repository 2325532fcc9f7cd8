"""The flow map, checked against a stored snapshot and for its width."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import Result

from mlpath import catalogue
from mlpath.core.progress import Status
from mlpath.core.tracker import Tracker
from mlpath.store import record

Run = Callable[..., Result]
SNAPSHOT = Path(__file__).parent / "snapshots" / "map.txt"


def moment(day: int) -> datetime:
    return datetime(2026, 11, day, 10, 0, tzinfo=UTC)


def a_learners_history() -> None:
    cat = catalogue.load(catalogue.bundled_path(), bundled=True)
    changes: list[Callable[[Tracker], object]] = [
        lambda t: t.set_skill(2, moment(2)),
        lambda t: t.mark(1, Status.DONE, moment(3)),
        lambda t: t.mark(2, Status.DONE, moment(5)),
        lambda t: t.set_skill(3, moment(6)),
        lambda t: t.mark(3, Status.IN_PROGRESS, moment(7)),
        lambda t: t.rate(5, 4, moment(8)),
        lambda t: t.set_skill(5, moment(9)),
        lambda t: t.set_skill(4, moment(10)),
    ]
    for change in changes:
        with record.transaction(cat) as tracker:
            change(tracker)
    with record.transaction(cat) as tracker:  # an undone rating leaves the trail
        tracker.undo(record.commits_newest_first(), moment(11), record.read_history)
    with record.transaction(cat) as tracker:
        tracker.set_skill(4, moment(12))


def test_map_matches_its_snapshot(run: Run) -> None:
    a_learners_history()
    result = run("map")
    assert result.exit_code == 0, result.output
    assert result.stdout == SNAPSHOT.read_text(), (
        f"the map changed; if that is intended, review it and update {SNAPSHOT}:\n" + result.stdout
    )


def test_map_marks_the_learner_and_the_channel(run: Run) -> None:
    a_learners_history()
    lines = run("map", "--skill", "6").stdout.splitlines()
    rows = {int(line[:4]): line[6:36] for line in lines if line[:4].strip().isdigit()}
    cells = {c: rows[c][15:18] for c in rows}  # column 6
    # a step's glyph keeps its zone's on either side: flow (~), anxiety (!), boredom (blank)
    assert cells[8] == "~o~" and cells[10] == "!o!"
    assert cells[1] == " x " and cells[2] == " x "
    assert rows[7][15:18] == " ~ "  # challenge 7 at skill 6: flow, no step there
    assert rows[9][15:18] == " ! "  # challenge 9: anxiety
    assert "You: skill 6 (from --skill); your flow channel is challenge 6-8, best at 7." in lines
    labels = [line[37:] for line in lines if line[:4].strip().isdigit() and line[37:]]
    assert labels[0] == "  7 Work for ML startup (todo, anxiety)"
    assert labels[-1] == "  1 Watch ML related videos (done, boredom)"


def test_map_skipped_is_not_done_and_every_glyph_is_in_the_legend(run: Run) -> None:
    run("skip", "1")
    run("done", "2")
    lines = run("map", "--skill", "1").stdout.splitlines()
    rows = {int(line[:4]): line[6:36] for line in lines if line[:4].strip().isdigit()}
    assert rows[1][0:3] == "~-~" and rows[2][0:3] == "~x~"
    assert "  1 Watch ML related videos (skipped, flow)" in [line[37:] for line in lines]
    assert lines[-3:] == [
        "Zones: ! anxiety (too hard)  ~ flow  blank: boredom (too easy)",
        "Steps: o open  x done  - skipped",
        "Skill: ^ yours now  ' your earlier ratings",
    ]
    assert "your flow channel is challenge 10, best at 10." in run("map", "--skill", "10").stdout


def test_map_fits_80_columns_with_a_long_path(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.toml"
    steps = "".join(
        f'[[steps]]\nid = "s{n}"\ntitle = "A rather long step title number {n} of many"\n'
        f'summary = "Step {n}."\nchallenge = {n % 10 + 1}\n'
        for n in range(500)
    )
    path.write_text(f'id = "big"\ntitle = "A path of five hundred steps"\n{steps}')
    monkeypatch.setenv("MLPATH_CATALOGUE", str(path))
    result = run("map", "--skill", "4")
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert result.stdout.splitlines()[9:12] == [
        "   3 | ~  ~  ~  o                   |  3 A rather lon… (todo, boredom), +49 more",
        "   2 | ~  ~     o                   |  2 A rather lon… (todo, boredom), +49 more",
        "   1 | ~        o                   |  1 A rather lon… (todo, boredom), +49 more",
    ]


def test_map_without_history(run: Run) -> None:
    out = run("map").stdout
    assert "You: skill 1 (estimated)" in out and "Skill over time" not in out


def test_map_json(run: Run) -> None:
    import json

    a_learners_history()
    data = json.loads(run("map", "--json").stdout)
    assert (data["skill"], data["skill_source"], data["channel"]) == (4, "rated", [4, 6])
    assert [(s["rank"], s["challenge"], s["zone"]) for s in data["steps"]] == [
        (1, 1, "boredom"),
        (2, 2, "boredom"),
        (3, 4, "flow"),
        (4, 5, "flow"),
        (5, 4, "flow"),
        (6, 8, "anxiety"),
        (7, 10, "anxiety"),
    ]
    assert [p["skill"] for p in data["trail"]] == [2, 3, 5, 4]
    assert data["trail"][0]["at"] == "2026-11-02T10:00:00+00:00"


def test_map_fits_80_columns_with_wide_titles(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlpath.views.columns import cells

    path = tmp_path / "wide.toml"
    path.write_text(
        'id = "wide"\ntitle = "Wide"\n[[steps]]\nid = "a"\n'
        'title = "機械学習の入門から始めて、実際のプロジェクトで使えるようになるまで"\n'
        'summary = "s"\nchallenge = 2\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("MLPATH_CATALOGUE", str(path))
    out = run("map", "--skill", "2").stdout
    assert "機械学習" in out and "…" in out
    assert max(cells(line) for line in out.splitlines()) <= 80
