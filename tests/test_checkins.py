"""Check-ins end to end: recorded as events, shown, undone, carried by export and import,
rebuilt by replay, refused when wrong (nothing written), and what they teach `next`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from mlpath.core.history import Event, problem

Run = Callable[..., Result]


def data(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def checkin(run: Run, step: int, challenge: int, skill: int, *more: str) -> Result:
    result = run("checkin", str(step), "--challenge", str(challenge), "--skill", str(skill), *more)
    assert result.exit_code == 0, result.output
    return result


def test_a_checkin_is_recorded_shown_and_undone(run: Run) -> None:
    result = checkin(run, 3, 6, 4, "--minutes", "45")
    assert result.stdout.splitlines() == [
        "Checked in on step 3 (Take ML courses): challenge 6, skill 4, 45 minutes.",
        "Your skill is now 4, from your last check-in.",
    ]
    (event,) = data(run("log", "--json"))
    assert (event["action"], event["step"]) == ("checkin", 3)
    assert event["details"] == {"challenge": 6, "skill": 4, "minutes": 45}
    assert "checkin  3     challenge 6, skill 4, 45 minutes" in run("log").stdout
    shown = data(run("show", "3", "--json"))
    assert (shown["challenge"], shown["challenge_source"]) == (6, "checkin")
    assert (
        "Challenge: 6 of 10 to you, from your check-ins (catalogue: 4)" in run("show", "3").stdout
    )
    assert run("undo").stdout == "Undone: removed the check-in on step 3 (Take ML courses).\n"
    shown = data(run("show", "3", "--json"))
    assert (shown["challenge"], shown["challenge_source"]) == (4, "catalogue")
    assert "undid checkin #1: challenge 6, skill 4, 45 minutes" in run("log").stdout


def test_next_says_what_the_skill_rests_on(run: Run) -> None:
    checkin(run, 3, 6, 4)
    checkin(run, 3, 7, 5)
    checkin(run, 3, 6, 5)
    advice = data(run("next", "--json"))
    assert (advice["skill"], advice["skill_source"]) == (4.8, "checkins")
    assert "For skill 4.8, from your last 3 check-ins." in run("next").stdout
    assert "Skill: 4.8 of 10 (from your last 3 check-ins)" in run("status").stdout
    assert data(run("skill", "--json")) == {
        "skill": None,
        "estimate": 4.8,
        "skill_source": "checkins",
    }


def test_untried_steps_are_predicted_and_marked(run: Run) -> None:
    checkin(run, 3, 6, 4)  # the catalogue says 4: two points harder
    listed = data(run("list", "--json"))
    assert [(s["challenge"], s["challenge_source"]) for s in listed] == [
        (1.5, "predicted"),
        (2.5, "predicted"),
        (6, "checkin"),
        (5.5, "predicted"),
        (7.5, "predicted"),
        (8.5, "predicted"),
        (10, "predicted"),
    ]
    screen = run("list").stdout
    assert "6*" in screen and "5.5~" in screen
    assert "~ predicted from how the steps you checked in on felt" in screen


def test_a_rating_after_a_checkin_wins(run: Run) -> None:
    checkin(run, 3, 6, 4)
    run("rate", "3", "5")
    shown = data(run("show", "3", "--json"))
    assert (shown["challenge"], shown["challenge_source"]) == (5, "rated")
    checkin(run, 3, 8, 4)  # newer than the rating: the check-ins speak again, 8 weighing most
    shown = data(run("show", "3", "--json"))
    assert (shown["challenge"], shown["challenge_source"]) == (7.2, "checkin")


SCRIPTED = "in a script, say the step and both figures: `mlpath checkin N --challenge C --skill S`"


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (
            ["3", "--challenge", "0", "--skill", "4"],
            "--challenge should be a whole number from 1 to 10, not '0'",
        ),
        (
            ["3", "--challenge", "6", "--skill", "11"],
            "--skill should be a whole number from 1 to 10, not '11'",
        ),
        (
            ["3", "--challenge", "6.5", "--skill", "4"],
            "--challenge should be a whole number from 1 to 10, not '6.5'",
        ),
        (
            ["3", "--challenge", "6", "--skill", "4", "--minutes", "-1"],
            "--minutes should be a whole number from 0 to 10080 (a week), not '-1'",
        ),
        (
            ["3", "--challenge", "6", "--skill", "4", "--minutes", "10081"],
            "--minutes should be a whole number from 0 to 10080 (a week), not '10081'",
        ),
        (["3", "--challenge", "6"], SCRIPTED),
        (["--challenge", "6", "--skill", "4"], SCRIPTED),
        (["9", "--challenge", "6", "--skill", "4"], "no step 9: steps are 1-7"),
    ],
)
def test_bad_checkins_are_refused_and_nothing_is_written(
    run: Run, home: Path, words: list[str], message: str
) -> None:
    result = run("checkin", *words)
    assert result.exit_code == 2
    assert result.stderr == f"mlpath: {message}\n"

    assert "Traceback" not in result.output
    assert not (home / "history.jsonl").exists()


def test_checkins_travel_with_export_and_import_and_rebuild_by_replay(
    run: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkin(run, 3, 6, 4, "--minutes", "30")
    checkin(run, 4, 7, 5)
    before = data(run("list", "--json"))
    export = tmp_path / "all.json"
    assert run("export", "-o", str(export)).exit_code == 0
    (home / "progress.toml").unlink()
    assert data(run("list", "--json")) == before  # rebuilt from the history
    here = data(run("map", "--json"))["checkins"]
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "other"))
    assert run("import", str(export)).exit_code == 0
    assert data(run("list", "--json")) == before
    assert data(run("map", "--json"))["checkins"] == here
    assert [e["action"] for e in data(run("log", "--json"))] == ["checkin", "checkin"]


def test_the_map_places_checkins_in_channels_from_eight_on(run: Run) -> None:
    said = [(6, 4), (7, 5), (5, 5), (4, 6), (8, 4), (3, 7), (6, 6)]
    for challenge, skill in said:
        checkin(run, 3, challenge, skill)
    drawn = data(run("map", "--json"))
    assert drawn["channels"] is None and [c["channel"] for c in drawn["checkins"]] == [None] * 7
    assert "Check-ins: 7 so far; from 8 on" in run("map").stdout
    checkin(run, 4, 9, 5)
    drawn = data(run("map", "--json"))
    assert sum(drawn["channels"].values()) == 8
    assert drawn["checkins"][0] | {"at": None} == {
        "at": None,
        "step": 3,
        "challenge": 6,
        "skill": 4,
        "channel": "worry",
    }
    screen = run("map").stdout
    assert "Your 8 check-ins in the eight channels (Massimini & Carli)" in screen
    counts = ", ".join(f"{k} {v}" for k, v in drawn["channels"].items() if v)
    assert f"My 8 check-ins by flow channel: {counts}." in run("journal").stdout


def test_the_map_says_when_there_is_not_enough_variation(run: Run) -> None:
    for challenge in range(1, 9):
        checkin(run, 3, challenge, 5)  # the skill never varies
    assert data(run("map", "--json"))["channels"] is None
    assert "not enough variation yet" in run("map").stdout
    assert "by flow channel" not in run("journal").stdout


def event(**details: Any) -> Event:
    return Event(
        machine="abc",
        seq=1,
        batch=1,
        clock=1,
        at=datetime(2026, 11, 1, tzinfo=UTC),
        catalogue="get-started-in-ml",
        action="checkin",
        step="take-ml-courses",
        details=details,
    )


@pytest.mark.parametrize(
    ("details", "fault"),
    [
        ({"challenge": 11, "skill": 4}, "details.challenge: should be a whole number from 1 to 10"),
        ({"challenge": 6, "skill": 0}, "details.skill: should be a whole number from 1 to 10"),
        ({"challenge": 6.0, "skill": 4}, "details.challenge"),
        ({"challenge": True, "skill": 4}, "details.challenge"),
        ({"skill": 4}, "details.challenge"),
        ({"challenge": 6, "skill": 4, "minutes": -1}, "details.minutes"),
        ({"challenge": 6, "skill": 4, "minutes": 10081}, "details.minutes"),
        ({"challenge": 6, "skill": 4, "minutes": "5"}, "details.minutes"),
        ({"challenge": 6, "skill": 4, "to": 3}, "details.to: not a field of a 'checkin' event"),
    ],
)
def test_the_rules_every_checkin_event_obeys(details: dict[str, Any], fault: str) -> None:
    assert fault in (problem(event(**details)) or "")
    assert problem(event(challenge=6, skill=4, minutes=0)) is None


def test_the_maps_labels_judge_each_step_by_its_own_figure(run: Run) -> None:
    checkin(run, 3, 7, 4)
    checkin(run, 3, 6, 5)  # step 3 now feels 6.4: drawn in row 6, above 4's channel (4-6)
    drawn = data(run("map", "--skill", "4", "--json"))
    assert [(s["challenge"], s["zone"]) for s in drawn["steps"] if s["rank"] == 3] == [
        (6.4, "anxiety")
    ]
    assert "3 Take ML courses (todo, anxiety)" in run("map", "--skill", "4").stdout
