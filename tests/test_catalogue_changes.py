"""A catalogue that changes under a history: steps and resources it no longer has.

A team edits its catalogue; the learner's history keeps naming what was removed. Every
command must still work, say plainly what is gone, and never count it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import Clock

Run = Callable[..., Result]

STEP_A = """
[[steps]]
id = "a"
title = "First step"
summary = "Do it."
challenge = 2
[[steps.resources]]
title = "A course"
url = "https://example.test/course"
kind = "course"
"""
BOOK = """[[steps.resources]]
title = "A book"
url = "https://example.test/book"
kind = "book"
"""
STEP_B = """
[[steps]]
id = "b"
title = "Second step"
summary = "Then this."
challenge = 4
"""


@pytest.fixture
def shrunk(run: Run, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A history made on two steps and two resources, then a catalogue without step 2 and
    without the book, the resource the learner finished."""
    path = tmp_path / "team.toml"
    monkeypatch.setenv("MLPATH_CATALOGUE", str(path))
    path.write_text('id = "team"\ntitle = "Team path"\n' + STEP_A + BOOK + STEP_B)
    for args in (("done", "1.2"), ("done", "2"), ("note", "2", "on b"), ("rate", "2", "7")):
        clock.tick()
        assert run(*args).exit_code == 0
    path.write_text('id = "team"\ntitle = "Team path"\n' + STEP_A)
    return path


def test_the_log_names_what_left_the_catalogue(run: Run, shrunk: Path) -> None:
    assert run("log").stdout.splitlines() == [
        "#  When              Action  Step  Change",
        "1  2026-11-02 09:01  done    1     https://example.test/book: todo -> done",
        "2  2026-11-02 09:01  start   1     todo -> in progress",
        "3  2026-11-02 09:02  done    -     todo -> done",
        '4  2026-11-02 09:03  note    -     "on b"',
        "5  2026-11-02 09:04  rate    -     none -> 7",
    ]
    log = json.loads(run("log", "--json").stdout)
    assert [(e["action"], e["step"]) for e in log] == [
        ("done", 1),
        ("start", 1),
        ("done", None),
        ("note", None),
        ("rate", None),
    ]
    assert log[0]["details"]["resource"] == "https://example.test/book"


def test_what_left_the_catalogue_is_never_counted(run: Run, shrunk: Path) -> None:
    status = json.loads(run("status", "--json").stdout)
    assert (status["total"], status["done"], status["in_progress"]) == (1, 0, [1])
    assert run("list").stdout.splitlines()[1:] == [
        "#  Step        Challenge  Status       Resources",
        "1  First step          2  in progress        0/1",
    ]
    resources = json.loads(run("show", "1", "--json").stdout)["resources"]
    assert [(r["title"], r["status"]) for r in resources] == [("A course", "todo")]
    for command in ("map", "journal", "doctor", "export"):
        result = run(command)
        assert (result.exit_code, result.stderr) == (0, ""), command


def test_undo_reaches_what_left_the_catalogue(run: Run, clock: Clock, shrunk: Path) -> None:
    said = []
    for _ in range(4):
        clock.tick()
        said += run("undo").stdout.splitlines()
    assert said == [
        "Undone: removed your rating of a step no longer in the catalogue; it uses the "
        "catalogue's challenge again.",
        "Undone: removed the note on a step no longer in the catalogue.",
        "Undone: a step no longer in the catalogue: done -> todo.",
        "Undone: step 1 (First step): in progress -> todo.",
        "        resource https://example.test/book: done -> todo.",
    ]
    assert run("log").stdout.splitlines()[-1] == (
        "10  2026-11-02 09:08  undo    1     undid done #1: https://example.test/book: done -> todo"
    )
    assert run("doctor").exit_code == 0
