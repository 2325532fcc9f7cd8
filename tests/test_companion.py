"""Notes, resource progress, journal, export and import: the learner's record."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.conftest import files

Run = Callable[..., Result]


def step(run: Run, rank: int) -> dict:  # type: ignore[type-arg]
    result = run("show", str(rank), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def actions(run: Run) -> list[tuple[str, object]]:
    return [(e["action"], e["step"]) for e in json.loads(run("log", "--json").stdout)]


# -- notes ---------------------------------------------------------------------------------


def test_notes_are_dated_shown_and_logged(run: Run) -> None:
    assert run("note", "3", "Gradient descent clicked").exit_code == 0
    assert run("note", "3", "  Week 2: backprop  ").exit_code == 0
    notes = step(run, 3)["notes"]
    assert [n["text"] for n in notes] == ["Gradient descent clicked", "Week 2: backprop"]
    assert all(n["at"].endswith("+00:00") for n in notes)
    assert "Week 2: backprop" in run("show", "3").stdout
    assert actions(run) == [("note", 3), ("note", 3)]
    assert step(run, 2)["notes"] == []


def test_undo_removes_the_newest_note_only(run: Run) -> None:
    run("note", "3", "first")
    run("note", "3", "second")
    result = run("undo")
    assert result.stdout.splitlines() == ["Undone: removed the note on step 3 (Take ML courses)."]
    assert [n["text"] for n in step(run, 3)["notes"]] == ["first"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("note", "5", "   "), 'a note needs some text: `mlpath note 5 "what I learned"`'),
        (("note", "9", "hello"), "no step 9: steps are 1-7"),
    ],
)
def test_bad_notes_write_nothing(run: Run, home: Path, args: tuple[str, ...], message: str) -> None:
    run("done", "1")
    before = files(home)
    result = run(*args)
    assert (result.exit_code, result.stderr) == (2, f"mlpath: {message}\n")
    assert files(home) == before


# -- resources -----------------------------------------------------------------------------


def test_a_done_resource_shows_everywhere(run: Run) -> None:
    result = run("done", "3.2")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Resource 3.2 AI For Everyone: todo -> done.",
        "Step 3 (Take ML courses): todo -> in progress.",
    ]
    assert [r["done"] for r in step(run, 3)["resources"]] == [False, True, False, False, False]
    assert step(run, 3)["status"] == "in_progress"
    row = next(line for line in run("list").stdout.splitlines() if "Take ML courses" in line)
    assert row.split()[-1] == "1/5"
    assert "[x] 3.2  AI For Everyone" in run("show", "3").stdout
    assert "[ ] 3.1  Elements of AI" in run("show", "3").stdout


def test_resource_of_a_started_step_leaves_the_step_alone(run: Run) -> None:
    run("done", "3")
    run("start", "3.1")
    assert step(run, 3)["status"] == "done"
    assert "[~] 3.1" in run("show", "3").stdout
    run("reset", "3.1")
    assert "[ ] 3.1" in run("show", "3").stdout


def test_undo_of_a_resource_reverts_the_step_it_started(run: Run) -> None:
    run("done", "4.1")
    run("undo")
    assert step(run, 4)["status"] == "todo"
    assert not any(r["done"] for r in step(run, 4)["resources"])


def test_resources_and_steps_in_one_command(run: Run) -> None:
    assert run("done", "1", "2.3", "2.4").exit_code == 0
    assert step(run, 1)["status"] == "done" and step(run, 2)["status"] == "in_progress"
    assert [r["done"] for r in step(run, 2)["resources"]] == [
        False,
        False,
        True,
        True,
        False,
        False,
    ]
    run("undo")  # one command, undone as a whole
    assert step(run, 1)["status"] == "todo" and step(run, 2)["status"] == "todo"


def test_a_resource_already_done_is_a_no_op(run: Run, home: Path) -> None:
    run("done", "3.2")
    before = files(home)
    result = run("done", "3.2")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Resource 3.2 AI For Everyone is already done: nothing changed."
    ]
    assert files(home) == before


def test_the_last_resource_of_a_step_is_one_to_mark(run: Run) -> None:
    assert run("done", "3.5", "6.1").stdout.splitlines() == [
        "Resource 3.5 Machine Learning Crash Course with TensorFlow APIs: todo -> done.",
        "Step 3 (Take ML courses): todo -> in progress.",
        "Resource 6.1 Kaggle: todo -> done.",
        "Step 6 (Compete in Kaggle competitions): todo -> in progress.",
        "That was the last open resource of step 6 (Compete in Kaggle competitions).",
        "Done when: You have entered a competition, submitted an honest result of your own, "
        "and read the winners' write-ups to see what they did differently.",
        "If you are through with it: `mlpath done 6`",
    ]


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("3.6", "no resource 3.6: step 3's resources are 3.1-3.5"),
        ("6.2", "no resource 6.2: step 6's resources are 6.1"),
        ("7.1", "no resource 7.1: step 7 has no resources"),
        ("3.0", "no resource 3.0: step 3's resources are 3.1-3.5"),
        (
            "3.",
            "'3.' is not a step or resource number: steps are 1-7, and resources are "
            "numbered like 3.2",
        ),
    ],
)
def test_a_missing_resource_exits_2(run: Run, home: Path, ref: str, message: str) -> None:
    result = run("done", "1", ref)
    assert (result.exit_code, result.stderr) == (2, f"mlpath: {message}\n")
    assert not home.exists()


# -- journal -------------------------------------------------------------------------------


def test_journal_is_a_jekyll_post(run: Run) -> None:
    run("done", "1")
    run("done", "3.2")
    run("note", "3", "Backprop clicked")
    run("skip", "2")
    text = run("journal").stdout
    front, body = text.split("---\n")[1], text.split("---\n", 2)[2]
    assert front.splitlines()[0] == "layout: post"
    assert 'title: "My machine learning journey"' in front
    assert re.search(r"^date: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}$", front, re.M)
    assert "tags: [machine-learning, learning-journey, mlpath]" in front
    headings = re.findall(r"^## (\d)\. (.+)$", body, re.M)
    assert [int(n) for n, _ in headings] == [1, 2, 3]  # the steps begun, each once
    section = body.split("## 3. Take ML courses")[1].split("## 4.")[0]
    assert "In progress since" in section
    assert section.split("Resources I finished:\n\n")[1].split("\n\n")[0].splitlines() == [
        "- [AI For Everyone](https://www.coursera.org/learn/ai-for-everyone)"
    ]  # only the finished one, as the help promises
    assert re.search(r"- \*\*\d{4}-\d\d-\d\d\*\*: Backprop clicked", section)
    assert "Skipped on" in body.split("## 2.")[1].split("## 3.")[0]
    assert "Not started yet." not in body
    assert body.split("## Still ahead\n\n")[1].splitlines() == [
        "- Step 4: Write about your ML journey",
        "- Step 5: Start on ML pet projects",
        "- Step 6: Compete in Kaggle competitions",
        "- Step 7: Work for ML startup",
    ]


def test_journal_leaves_out_undone_changes(run: Run) -> None:
    run("start", "4")
    run("undo")
    run("done", "4")
    section = run("journal").stdout.split("## 4.")[1].split("## Still ahead")[0]
    assert "Done on" in section and "started" not in section


def test_journal_to_a_file_never_replaces_one_unasked(run: Run, tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    result = run("journal", "--output", str(post), "--title", "Where I am")
    assert result.exit_code == 0 and result.stdout == ""
    assert 'title: "Where I am"' in post.read_text()
    assert post.stat().st_mode & 0o044  # shareable, unlike the learner's store
    post.write_text("my own edits")
    result = run("journal", "-o", str(post))
    assert result.exit_code == 1
    assert result.stderr == f"mlpath: {post} exists already: add --force to replace it\n"
    assert post.read_text() == "my own edits"
    assert run("journal", "-o", str(post), "--force").exit_code == 0
    assert post.read_text().startswith("---\n")


# -- export and import ---------------------------------------------------------------------


def rich_history(run: Run) -> None:
    for args in (
        ("done", "1"),
        ("start", "3"),
        ("done", "3.2"),
        ("rate", "5", "8"),
        ("note", "3", "week 2"),
        ("skill", "4"),
        ("skip", "2"),
        ("undo",),
        ("done", "2.1", "2.3"),
    ):
        assert run(*args).exit_code == 0, args


def seen(run: Run) -> list[object]:
    shows = [run("show", str(n), "--json").stdout for n in range(1, 8)]
    return [
        run("list", "--json").stdout,
        run("status", "--json").stdout,
        run("log", "--json").stdout,
        *shows,
    ]


def test_export_then_import_into_a_fresh_home(
    run: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rich_history(run)
    before = seen(run)
    exported = tmp_path / "export.json"
    assert run("export", "-o", str(exported)).exit_code == 0
    document = json.loads(exported.read_text())
    assert document["events"][0].keys() >= {"at", "action", "step", "details"}
    log = json.loads(run("log", "--json").stdout)
    assert [
        {"number": e["seq"], **{k: e[k] for k in ("at", "action", "step", "details")}}
        for e in document["events"]
    ] == log

    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "elsewhere"))
    result = run("import", str(exported))
    assert result.exit_code == 0 and result.stdout.splitlines() == ["Imported 11 changes."]
    assert seen(run) == before
    assert run("doctor").exit_code == 0
    run("undo")  # the imported history works as history: undo reaches back into it
    assert json.loads(run("show", "2", "--json").stdout)["status"] == "todo"


def test_import_refuses_a_store_with_progress(run: Run, home: Path, tmp_path: Path) -> None:
    run("done", "1")
    exported = tmp_path / "export.json"
    run("export", "-o", str(exported))
    run("done", "2")
    before = files(home)
    result = run("import", str(exported))
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: {home} already holds progress (2 changes): "
        f"`mlpath import --merge {exported}` combines the two\n"
    )

    assert files(home) == before


def valid_export(run: Run, tmp_path: Path) -> dict:  # type: ignore[type-arg]
    run("done", "1")
    run("undo")
    path = tmp_path / "good.json"
    run("export", "-o", str(path))
    return json.loads(path.read_text())  # type: ignore[no-any-return]


BROKEN = [
    (lambda d: "not json at all", "not JSON"),
    (lambda d: {**d, "format": "other"}, "not an mlpath export (its format is 'other'"),
    (lambda d: {**d, "schema_version": 99}, "exported by a newer mlpath"),
    (
        lambda d: {**d, "events": [{**d["events"][0], "at": "yesterday"}, d["events"][1]]},
        "events[0].at: should be a time with its offset",
    ),
    (lambda d: {**d, "events": [{**d["events"][1], "batch": 9}]}, "batch: later than the event"),
    (lambda d: {**d, "events": [d["events"][0], d["events"][0]]}, "a second event"),
    (
        lambda d: {
            **d,
            "events": [
                d["events"][0],
                {**d["events"][1], "details": {"undoes": "x", "of": "done"}},
            ],
        },
        "events[1].details.undoes: should name the event it reverts",
    ),
    (
        lambda d: {
            **d,
            "events": [{**d["events"][0], "details": {"to": "finished"}}, d["events"][1]],
        },
        "events[0].details.from: should be one of todo, in_progress, done, skipped",
    ),
    (lambda d: {**d, "paths": {"x": {"skill": 11}}}, "paths: not a valid mlpath state"),
    # A clock or number past any real one: it would order every later change after it, and
    # the snapshot could no longer record it.
    (
        lambda d: {**d, "events": [{**d["events"][0], "clock": 2**62 + 5}, d["events"][1]]},
        "events[0].clock: should be a whole number from 0 to 253402300800000",
    ),
    (
        lambda d: {**d, "events": [{**d["events"][0], "seq": 2**62, "batch": 2**62}]},
        "events[0].seq: should be a whole number from 1 to 9007199254740991",
    ),
]


@pytest.mark.parametrize(("breaking", "message"), BROKEN)
def test_a_bad_import_is_refused_whole(
    run: Run,
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    breaking: Callable[[dict[str, Any]], object],
    message: str,
) -> None:
    broken = breaking(valid_export(run, tmp_path))
    path = tmp_path / "broken.json"
    path.write_text(broken if isinstance(broken, str) else json.dumps(broken))
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "fresh"))
    for args in (("import", str(path)), ("import", "--merge", str(path))):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert message in result.stderr and str(path) in result.stderr
        assert "Traceback" not in result.output
    assert not (tmp_path / "fresh").exists() or files(tmp_path / "fresh") == {}


def test_import_of_a_missing_file(run: Run, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "nope.json"))
    assert result.exit_code == 1
    assert result.stderr == f"mlpath: {tmp_path / 'nope.json'}: export file not found\n"


def test_merge_combines_two_machines_by_time(
    run: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    monkeypatch.setenv("MLPATH_HOME", str(laptop))
    run("done", "1")
    shared = tmp_path / "shared.json"
    run("export", "-o", str(shared))
    monkeypatch.setenv("MLPATH_HOME", str(desktop))
    run("import", str(shared))  # both start from the same history
    run("start", "3")
    run("note", "3", "from the desktop")
    monkeypatch.setenv("MLPATH_HOME", str(laptop))
    run("done", "3")  # later than the desktop's start
    run("skill", "5")
    exported = tmp_path / "desktop.json"
    monkeypatch.setenv("MLPATH_HOME", str(desktop))
    run("export", "-o", str(exported))

    monkeypatch.setenv("MLPATH_HOME", str(laptop))
    result = run("import", "--merge", str(exported))
    assert result.exit_code == 0, result.output
    assert "Merged: 2 new changes; 1 you had already." in result.stdout.splitlines()
    log = json.loads(run("log", "--json").stdout)
    assert [e["action"] for e in log] == ["done", "start", "note", "done", "skill"]
    assert [e["at"] for e in log] == sorted(e["at"] for e in log)
    three = json.loads(run("show", "3", "--json").stdout)
    assert three["status"] == "done"  # the laptop's later change wins
    assert [n["text"] for n in three["notes"]] == ["from the desktop"]
    assert json.loads(run("status", "--json").stdout)["skill"] == 5
    assert run("doctor").exit_code == 0

    before = files(laptop)
    again = run("import", "--merge", str(exported))
    assert "Merged: 0 new changes; 3 you had already." in again.stdout.splitlines()
    assert files(laptop) == before


def test_log_and_undo_name_resources_by_number(run: Run) -> None:
    run("start", "3")
    run("done", "3.2")
    assert "Undone: resource 3.2 AI For Everyone: done -> todo." in run("undo").stdout.splitlines()
    rows = run("log").stdout.splitlines()
    assert rows[2].endswith("3.2: todo -> done")
    assert rows[3].endswith("undid done #2: 3.2: done -> todo")


def test_an_export_imported_back_into_its_own_store_keeps_identities_unique(
    run: Run, home: Path, tmp_path: Path
) -> None:
    run("done", "1")
    run("done", "2")
    path = tmp_path / "mine.json"
    run("export", "-o", str(path))
    document = json.loads(path.read_text())
    document["paths"]["get-started-in-ml"]["skill"] = 5  # a state its events do not explain
    path.write_text(json.dumps(document))
    (home / "history.jsonl").unlink()
    (home / "progress.toml").unlink()  # machine.toml stays: the same store
    assert run("import", str(path)).exit_code == 0
    lines = [json.loads(line) for line in (home / "history.jsonl").read_text().splitlines()]
    ids = [(event["machine"], event["seq"]) for event in lines]
    assert len(set(ids)) == len(ids) == 3, ids
    assert json.loads(run("status", "--json").stdout)["skill"] == 5
    assert run("undo").exit_code == 0  # the import is undone as a whole
    assert json.loads(run("status", "--json").stdout)["skill"] is None
    steps = json.loads(run("list", "--json").stdout)
    assert [step["status"] for step in steps[:2]] == ["todo", "todo"]
