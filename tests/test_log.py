"""`mlpath log`: numbered, the last N, one step's changes."""

from __future__ import annotations

import json
from collections.abc import Callable

from typer.testing import Result

Run = Callable[..., Result]


def history(run: Run) -> None:
    run("done", "1")
    run("start", "3")
    run("note", "3", "first")
    run("undo")
    run("done", "2")


def test_log_numbers_the_changes_undo_cites(run: Run) -> None:
    history(run)
    lines = run("log").stdout.splitlines()
    assert lines[0].split() == ["#", "When", "Action", "Step", "Change"]
    numbers = [line.split()[0] for line in lines[1:]]
    assert numbers == ["1", "2", "3", "4", "5"]
    undo = lines[4]
    assert undo.split()[0] == "4" and undo.endswith('undid note #3: "first"')
    assert [e["number"] for e in json.loads(run("log", "--json").stdout)] == [1, 2, 3, 4, 5]


def test_log_last_n(run: Run) -> None:
    history(run)
    assert [line.split()[0] for line in run("log", "-n", "2").stdout.splitlines()[1:]] == [
        "4",
        "5",
    ]
    assert [e["number"] for e in json.loads(run("log", "--last", "1", "--json").stdout)] == [5]
    assert run("log", "-n", "0").stdout.splitlines() == ["No changes match."]
    assert [e["number"] for e in json.loads(run("log", "-n", "99", "--json").stdout)] == [
        1,
        2,
        3,
        4,
        5,
    ]


def test_log_of_one_step(run: Run) -> None:
    history(run)
    assert [line.split()[0] for line in run("log", "--step", "3").stdout.splitlines()[1:]] == [
        "2",
        "3",
        "4",
    ]
    assert run("log", "--step", "5").stdout.splitlines() == ["No changes match."]


def test_log_options_refuse_nonsense(run: Run) -> None:
    for args, line in [
        (("log", "-n", "x"), "mlpath: -n should be a whole number of changes, not 'x'"),
        (("log", "--step", "9"), "mlpath: no step 9: steps are 1-7"),
    ]:
        result = run(*args)
        assert (result.exit_code, result.stderr.splitlines()) == (2, [line])
