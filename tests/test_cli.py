"""The commands as a learner types them: output, exit codes, and the files they leave."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from mlpath.views import prompts
from tests.conftest import TITLES, commands, files
from tests.test_record import assert_invariant

Run = Callable[..., Result]


def data(result: Result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def status_of(run: Run, rank: int) -> str:
    steps = data(run("list", "--json"))
    assert isinstance(steps, list)
    return str(steps[rank - 1]["status"])


# -- list and show -------------------------------------------------------------------------


def test_list_shows_every_step_in_rank_order(run: Run) -> None:
    result = run("list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    positions = [next(i for i, line in enumerate(lines) if title in line) for title in TITLES]
    assert positions == sorted(positions)
    courses = lines[positions[2]].split()
    assert courses[0] == "3" and courses[-3:] == ["4", "todo", "0/5"]


def test_list_json_shape(run: Run) -> None:
    steps = data(run("list", "--json"))
    assert isinstance(steps, list) and len(steps) == 7
    first = steps[0]
    assert set(first) == {
        "rank",
        "id",
        "title",
        "summary",
        "challenge",
        "challenge_source",
        "status",
        "done_when",
        "resources",
        "notes",
    }
    assert [s["rank"] for s in steps] == list(range(1, 8))
    assert first["id"] == "watch-ml-videos" and first["status"] == "todo"
    assert set(first["resources"][0]) == {"title", "url", "kind", "status", "done"}
    assert steps[2]["resources"][1] == {
        "title": "AI For Everyone",
        "kind": "course",
        "url": "https://www.coursera.org/learn/ai-for-everyone",
        "status": "todo",
        "done": False,
    }


def test_list_json_uses_the_learners_rating(run: Run) -> None:
    assert run("rate", "3", "7").exit_code == 0
    steps = data(run("list", "--json"))
    assert isinstance(steps, list)
    assert steps[2]["challenge"] == 7 and steps[3]["challenge"] == 5
    assert "7*" in run("list").stdout


def test_show_prints_step_and_resources(run: Run) -> None:
    result = run("show", "3")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "3. Take ML courses"
    assert lines[-2:] == [
        "  [ ] 3.5  Machine Learning Crash Course with TensorFlow APIs (course)",
        "           https://developers.google.com/machine-learning/crash-course",
    ]
    shown = data(run("show", "6", "--json"))
    assert isinstance(shown, dict) and shown["id"] == "compete-in-kaggle"


# -- marking -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "status"), [("start", "in_progress"), ("done", "done"), ("skip", "skipped")]
)
def test_marking_sets_status(run: Run, command: str, status: str) -> None:
    result = run(command, "4")
    assert result.exit_code == 0, result.output
    shown = status.replace("_", " ")
    assert result.stdout.splitlines() == [f"Step 4 (Write about your ML journey): todo -> {shown}."]

    assert status_of(run, 4) == status


def test_done_takes_several_steps_and_logs_one_event_each(run: Run) -> None:
    assert run("done", "1", "2").exit_code == 0
    assert [status_of(run, 1), status_of(run, 2), status_of(run, 3)] == ["done", "done", "todo"]
    events = data(run("log", "--json"))
    assert isinstance(events, list)
    assert [(e["action"], e["step"], e["details"]) for e in events] == [
        ("done", 1, {"from": "todo", "to": "done"}),
        ("done", 2, {"from": "todo", "to": "done"}),
    ]
    assert events[0]["at"].endswith("+00:00")


def test_reset_goes_back_to_todo(run: Run) -> None:
    run("done", "5")
    assert run("reset", "5").exit_code == 0
    assert status_of(run, 5) == "todo"


def test_doing_what_is_already_so_is_a_no_op(run: Run, home: Path) -> None:
    run("done", "3")
    before = files(home)
    result = run("done", "3")
    assert result.exit_code == 0
    assert (
        "Step 3 (Take ML courses) is already done: nothing changed." in result.stdout.splitlines()
    )

    assert files(home) == before
    assert len(data(run("log", "--json"))) == 1  # type: ignore[arg-type]


def test_reset_of_a_todo_step_writes_nothing(run: Run, home: Path) -> None:
    result = run("reset", "2")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Step 2 (Read about trends and happenings in ML) is already todo: nothing changed."
    ]
    assert not (home / "progress.toml").exists()


# -- undo ----------------------------------------------------------------------------------


def test_undo_is_a_stack(run: Run) -> None:
    run("start", "3")
    run("done", "3")
    run("done", "1", "2")
    assert run("undo").exit_code == 0
    assert [status_of(run, r) for r in (1, 2, 3)] == ["todo", "todo", "done"]
    run("undo")
    assert status_of(run, 3) == "in_progress"
    run("undo")
    assert status_of(run, 3) == "todo"
    result = run("undo")
    assert result.exit_code == 0 and result.stdout.splitlines() == ["Nothing to undo."]


def test_undo_is_recorded_but_never_undone(run: Run) -> None:
    run("done", "1")
    run("undo")
    run("undo")  # nothing left: the first undo must not be undone
    assert status_of(run, 1) == "todo"
    events = data(run("log", "--json"))
    assert isinstance(events, list)
    assert [e["action"] for e in events] == ["done", "undo"]
    machine = (Path(os.environ["MLPATH_HOME"]) / "machine.toml").read_text().split('"')[1]
    assert events[1]["details"]["undoes"] == f"{machine}:1"


def test_undo_reverts_skill_and_rating(run: Run) -> None:
    run("skill", "3")
    run("skill", "5")
    run("rate", "4", "9")
    run("undo")
    assert data(run("list", "--json"))[3]["challenge"] == 5  # type: ignore[index]
    run("undo")
    assert data(run("status", "--json"))["skill"] == 3  # type: ignore[index]


def test_undo_with_empty_store_writes_nothing(run: Run, home: Path) -> None:
    result = run("undo")
    assert result.exit_code == 0 and result.stdout.splitlines() == ["Nothing to undo."]
    assert not (home / "progress.toml").exists()


# -- status, next, skill, rate, log --------------------------------------------------------


def test_status_json(run: Run) -> None:
    run("done", "1", "2")
    run("skip", "3")
    run("start", "5")
    run("skill", "4")
    assert data(run("status", "--json")) == {
        "total": 7,
        "done": 2,
        "skipped": 1,
        "in_progress": [5],
        "todo": [4, 6, 7],
        "percent": 42.9,
        "skill": 4,
    }


def test_status_for_people(run: Run) -> None:
    run("done", "1")
    run("start", "3")
    result = run("status")
    assert result.exit_code == 0
    shown = result.stdout.splitlines()
    assert "####........................  1 of 7 done (14.3%)" in shown
    assert "In progress: 3 Take ML courses" in shown
    # skill 1: step 3 is a gap of 3
    assert "Next: step 2, Read about trends and happenings in ML (`mlpath next` says why)" in shown
    assert (
        "Skill: not rated (taken as 1, since no step is done yet; `mlpath skill N` sets it)"
        not in result.stdout.splitlines()  # a step is done: the estimate comes from it
    )
    assert (
        "Skill: not rated (estimated 1 from the hardest step you have done; "
        "`mlpath skill N` sets it)"
    ) in result.stdout.splitlines()


def test_bare_mlpath_shows_status(run: Run) -> None:
    result = run()
    assert result.exit_code == 0
    assert "............................  0 of 7 done (0.0%)" in result.stdout.splitlines()


def test_next_with_skill_option(run: Run) -> None:
    got = data(run("next", "--skill", "3", "--json"))
    assert got == {
        "step": 3,
        "title": "Take ML courses",
        "challenge": 4,
        "skill": 3,
        "skill_source": "option",
        "zone": "flow",
        "reason": got["reason"],  # type: ignore[index]
        "done_when": got["done_when"],  # type: ignore[index]
        "resource": {
            "number": "3.1",
            "title": "Elements of AI",
            "url": "https://www.elementsofai.com/",
        },
        "alternatives": [
            {
                "rank": 4,
                "title": "Write about your ML journey",
                "challenge": 5,
                "zone": "flow",
                "reason": "in your flow channel too (challenge 5, your skill 3)",
            },
            {
                "rank": 5,
                "title": "Start on ML pet projects",
                "challenge": 7,
                "zone": "anxiety",
                "reason": "above your flow channel (challenge 7, your skill 3): for when you "
                "feel ready",
            },
        ],
        "in_progress": [],
        "passed_over": [1, 2],
    }
    assert "stretches you by 1" in got["reason"]
    assert got["done_when"].startswith("You have finished one course")


def test_next_uses_stored_rating_then_estimate(run: Run) -> None:
    got = data(run("next", "--json"))
    assert isinstance(got, dict)
    assert (got["skill"], got["skill_source"], got["step"]) == (1, "estimated", 1)
    run("done", "1", "2", "3")  # hardest done: 4
    got = data(run("next", "--json"))
    assert isinstance(got, dict)
    assert (got["skill"], got["skill_source"], got["step"], got["zone"]) == (
        4,
        "estimated",
        4,
        "flow",
    )
    run("skill", "8")
    got = data(run("next", "--json"))
    assert isinstance(got, dict)
    assert (got["skill"], got["skill_source"], got["step"]) == (8, "rated", 6)


def test_next_estimate_uses_the_learners_rating_of_done_steps(run: Run) -> None:
    run("rate", "1", "6")
    run("done", "1")
    got = data(run("next", "--json"))
    assert isinstance(got, dict) and got["skill"] == 6


def test_next_when_everything_is_done(run: Run) -> None:
    run("done", *[str(r) for r in range(1, 8)])
    got = data(run("next", "--json"))
    assert isinstance(got, dict)
    assert got["step"] is None and got["title"] is None and got["zone"] is None
    assert got["challenge"] is None and "complete" in got["reason"]
    assert "complete" in run("next").stdout


def test_next_in_a_pipe_never_prompts(run: Run, home: Path) -> None:
    result = run("next", input="5\n")
    assert result.exit_code == 0
    assert "How would you rate" not in result.output
    assert not (home / "progress.toml").exists()


def test_next_on_a_terminal_asks_once_and_stores_the_answer(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    result = run("next", input="12\n6\n")
    assert result.exit_code == 0, result.output
    assert "How would you rate your ML skill, 1-10? (Enter to skip)" in result.stdout.splitlines()
    assert "skill should be a whole number from 1 to 10, not '12'" in result.stderr.splitlines()

    assert "Next: step 5, Start on ML pet projects (flow)" in result.stdout.splitlines()
    assert data(run("status", "--json"))["skill"] == 6  # type: ignore[index]
    again = run("next")
    assert "How would you rate" not in again.stdout


def test_next_json_never_prompts_even_on_a_terminal(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    got = data(run("next", "--json", input="6\n"))
    assert isinstance(got, dict) and got["skill_source"] == "estimated"


def test_skill_shows_and_sets(run: Run) -> None:
    assert run("skill").stdout.splitlines() == [
        "Your skill: not rated (taken as 1, since no step is done yet); "
        "rate it with `mlpath skill N`."
    ]
    set_ = run("skill", "4")
    assert set_.exit_code == 0 and set_.stdout.splitlines() == ["Your skill: 4 of 10."]
    assert run("skill").stdout.splitlines() == ["Your skill: 4 of 10."]
    assert run("skill", "4").stdout.splitlines() == [
        "Your skill is already 4 of 10: nothing changed."
    ]
    assert run("skill", "5").stdout.splitlines() == ["Your skill: 5 of 10 (was 4)."]
    run("skill", "4")
    assert data(run("skill", "--json")) == {"skill": 4, "estimate": 4, "skill_source": "rated"}


def test_rate_records_perceived_challenge(run: Run) -> None:
    result = run("rate", "5", "3")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Rated step 5 (Start on ML pet projects): feels like 3 of 10 to you."
    ]
    assert "3 of 10 to you (catalogue: 7)" in run("show", "5").stdout
    got = data(run("next", "--skill", "2", "--json"))
    assert isinstance(got, dict) and got["step"] == 5  # now a stretch of one


def test_log_for_people(run: Run) -> None:
    assert "No history yet" in run("log").stdout
    run("done", "2")
    run("undo")
    out = run("log").stdout
    assert "done" in out and "todo -> done" in out and "undid done #1" in out


# -- bad input: exit 2, one line on stderr, nothing written ---------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("done", "9"), "no step 9: steps are 1-7"),
        (("done", "0"), "no step 0: steps are 1-7"),
        (("done", "abc"), "'abc' is not a step number: steps are 1-7"),
        (("done", "--", "-1"), "'-1' is not a step number: steps are 1-7"),
        (("done", "1", "9"), "no step 9: steps are 1-7"),
        (("start", "8"), "no step 8: steps are 1-7"),
        (("skip", "x"), "'x' is not a step number: steps are 1-7"),
        (("reset", "99"), "no step 99: steps are 1-7"),
        (("show", "8"), "no step 8: steps are 1-7"),
        (("rate", "9", "5"), "no step 9: steps are 1-7"),
        (("rate", "3", "11"), "the challenge should be a whole number from 1 to 10, not '11'"),
        (("rate", "3", "zero"), "the challenge should be a whole number from 1 to 10, not 'zero'"),
        (("skill", "0"), "the skill should be a whole number from 1 to 10, not '0'"),
        (("skill", "ten"), "the skill should be a whole number from 1 to 10, not 'ten'"),
        (("next", "--skill", "11"), "--skill should be a whole number from 1 to 10, not '11'"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    run: Run, home: Path, args: tuple[str, ...], message: str
) -> None:
    run("done", "1")
    before = files(home)
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == f"mlpath: {message}\n"

    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert files(home) == before


def test_a_bad_step_among_good_ones_changes_none(run: Run) -> None:
    result = run("done", "2", "3", "42")
    assert result.exit_code == 2
    assert status_of(run, 2) == "todo" and status_of(run, 3) == "todo"


def test_version(run: Run) -> None:
    from mlpath import __version__

    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"mlpath {__version__}"


def test_every_command_has_an_example_in_its_help(run: Run) -> None:
    for command in commands():
        result = run(command, "--help")
        assert result.exit_code == 0
        assert re.search(rf"Examples?:\n    mlpath {command}\b", result.stdout), command
    assert "mlpath done 1 2" in run("done", "--help").stdout


# -- what skipping and resetting do to resources --------------------------------------------


def test_skipping_a_resource_sets_it_aside_without_starting_the_step(run: Run) -> None:
    result = run("skip", "3.1")
    assert result.exit_code == 0
    assert status_of(run, 3) == "todo"
    resource = data(run("show", "3", "--json"))["resources"][0]  # type: ignore[index]
    assert (resource["status"], resource["done"]) == ("skipped", False)
    assert "[-] 3.1" in run("show", "3").stdout


def test_skip_help_says_it_takes_resources(run: Run) -> None:
    lines = [line.strip() for line in run("skip", "--help").stdout.splitlines()]
    assert "Mark steps, or resources, as skipped." in lines
    assert "mlpath skip 3.2" in lines


def test_reset_puts_the_resources_back_as_one_change(run: Run) -> None:
    run("done", "3.1")
    run("skip", "3.2")
    result = run("reset", "3")
    assert result.exit_code == 0
    shown = data(run("show", "3", "--json"))
    assert shown["status"] == "todo"  # type: ignore[index]
    assert {r["status"] for r in shown["resources"]} == {"todo"}  # type: ignore[index]
    assert_invariant()
    run("undo")
    shown = data(run("show", "3", "--json"))
    statuses = [r["status"] for r in shown["resources"]]  # type: ignore[index]
    assert (shown["status"], statuses[:2]) == ("in_progress", ["done", "skipped"])  # type: ignore[index]


# -- text from stdin ------------------------------------------------------------------------


def test_note_dash_reads_the_note_from_stdin(run: Run) -> None:
    result = run("note", "3", "-", input="Gradient descent\nclicked today\n")
    assert result.exit_code == 0, result.stderr
    notes = data(run("show", "3", "--json"))["notes"]  # type: ignore[index]
    assert [n["text"] for n in notes] == ["Gradient descent\nclicked today"]
    assert_invariant()


def test_note_from_stdin_over_the_limit_is_refused_and_nothing_written(
    run: Run, home: Path
) -> None:
    result = run("note", "3", "-", input="x" * (64 * 1024 + 1))
    assert result.exit_code == 2
    assert result.stderr == "mlpath: stdin: larger than 64 KiB, the limit for notes\n"
    assert files(home) == {}


def test_import_dash_reads_the_export_from_stdin(run: Run, home: Path) -> None:
    run("done", "1")
    run("note", "2", "kept")
    exported = run("export").stdout
    for name in list(files(home)):
        (home / name).unlink()
    result = run("import", "-", input=exported)
    assert result.exit_code == 0, result.stderr
    assert status_of(run, 1) == "done"
    again = json.loads(run("export").stdout)
    assert again["events"] == json.loads(exported)["events"]
    assert_invariant()


def test_import_dash_names_stdin_in_its_errors(run: Run) -> None:
    result = run("import", "-", input="{not json")
    assert result.exit_code == 1
    assert result.stderr.startswith("mlpath: stdin: ")


# -- the first-run skill question -----------------------------------------------------------


def test_enter_at_the_skill_question_means_it_is_not_asked_again(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    first = run("next", input="\n")
    assert first.exit_code == 0
    assert "How would you rate your ML skill, 1-10? (Enter to skip)" in first.stdout.splitlines()
    again = run("next", input="\n")
    assert again.exit_code == 0
    assert not [line for line in again.stdout.splitlines() if "How would you rate" in line]
    assert data(run("status", "--json"))["skill"] is None  # type: ignore[index]
    assert run("log", "--json").stdout.strip() == "[]"  # not progress: nothing in the history


def test_with_no_rating_the_question_after_done_offers_no_rating_to_keep(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    # After `done` the question is a check-in (how the step felt), which keeps nothing.
    result = run("done", "1", input="\n")
    assert result.exit_code == 0
    assert "keep" not in result.stdout
    assert result.stdout.splitlines()[1:3] == [
        "How does step 1 (Watch ML related videos) feel right now? (1-10, Enter to skip)",
        "How challenging is it: ",
    ]


# -- editing and deleting notes -------------------------------------------------------------


def notes_of(run: Run, rank: int) -> list[str]:
    return [n["text"] for n in data(run("show", str(rank), "--json"))["notes"]]  # type: ignore[index]


def test_note_edit_replaces_the_text_and_keeps_the_date(run: Run) -> None:
    run("note", "3", "first")
    run("note", "3", "second")
    before = data(run("show", "3", "--json"))["notes"]  # type: ignore[index]
    result = run("note", "3", "--edit", "1", "first, corrected")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["Changed the note on step 3 (Take ML courses)."]
    after = data(run("show", "3", "--json"))["notes"]  # type: ignore[index]
    assert [n["text"] for n in after] == ["first, corrected", "second"]
    assert after[0]["at"] == before[0]["at"]
    assert_invariant()
    assert run("undo").exit_code == 0
    assert notes_of(run, 3) == ["first", "second"]
    assert_invariant()


def test_note_delete_removes_it_and_undo_brings_it_back_in_its_place(run: Run) -> None:
    run("note", "3", "first")
    run("note", "3", "second")
    run("note", "3", "third")
    result = run("note", "3", "--delete", "2")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["Removed the note on step 3 (Take ML courses)."]
    assert notes_of(run, 3) == ["first", "third"]
    assert_invariant()
    undone = run("undo")  # says what it did: the note is back, not changed
    assert undone.stdout == "Undone: put back the note on step 3 (Take ML courses).\n"
    assert notes_of(run, 3) == ["first", "second", "third"]
    assert_invariant()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("note", "3", "--delete", "1"), "step 3 has no notes; `mlpath note 3 TEXT` adds one"),
        (
            ("note", "4", "--delete", "2"),
            "step 4 has notes 1 to 1, not 2; `mlpath show 4` lists them",
        ),
        (("note", "4", "--edit", "1", "--delete", "1"), "--edit and --delete: one at a time"),
        (("note", "4", "--edit", "0", "x"), "--edit should be a note's number, 1 or more, not '0'"),
        (
            ("note", "4", "--delete", "one"),
            "--delete should be a note's number, 1 or more, not 'one'",
        ),
        (
            ("note", "4", "--delete", "\u0663"),
            "--delete should be a note's number, 1 or more, not '\u0663'",
        ),
        (("note", "4", "--delete", "1", "x"), "--delete takes no text: `mlpath note 4 --delete 1`"),
        (
            ("note", "4", "--edit", "1"),
            '--edit needs the new text here: `mlpath note 4 --edit 1 "..."`',
        ),
        (
            ("note", "4", "--edit", "1", " "),
            "a note needs some text; `mlpath note 4 --delete 1` removes it",
        ),
    ],
)
def test_bad_note_changes_say_why_and_write_nothing(
    run: Run, home: Path, argv: tuple[str, ...], message: str
) -> None:
    run("note", "4", "kept")
    before = files(home)
    result = run(*argv)
    assert result.exit_code == 2
    assert result.stderr == f"mlpath: {message}\n"
    assert files(home) == before


def test_note_edit_on_a_terminal_opens_the_editor(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "rewritten in the editor\\n" > "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    run("note", "3", "first")
    result = run("note", "3", "--edit", "1")
    assert result.exit_code == 0, result.stderr
    assert notes_of(run, 3) == ["rewritten in the editor"]
    assert_invariant()
