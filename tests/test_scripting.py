"""mlpath in pipes and scripts: JSON only on stdout, plain text, completion, open, prompts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from mlpath import __version__
from mlpath.views import prompts
from tests import forked
from tests.conftest import Ran, commands

Run = Callable[..., Result]
Main = Callable[..., Ran]

SHOWING = [
    ("list",),
    ("show", "3"),
    ("status",),
    ("next",),
    ("log",),
    ("skill",),
    ("where",),
    ("doctor",),
    ("map",),
]
BOX = set("─━│┃┄┅┆┇┈┉┊┋┌┍┎┏┐┑┒┓└┕┖┗┘┙┚┛├┝┞┟┠┡┢┣┤┥┦┧┨┩┪┫┬┭┮┯┰┱┲┳┴┵┶┷┸┹┺┻┼╋═║╔╗╚╝╠╣╦╩╬█▒░")


def some_progress(run: Run) -> None:
    for command in (("done", "1", "2"), ("start", "3"), ("skill", "3"), ("rate", "4", "6")):
        assert run(*command).exit_code == 0


@pytest.mark.parametrize("command", SHOWING, ids=lambda c: c[0])
def test_json_is_all_there_is_on_stdout(run: Run, command: tuple[str, ...]) -> None:
    some_progress(run)
    result = run(*command, "--json")
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # the whole of stdout is one JSON document
    assert result.stderr == ""


@pytest.mark.parametrize(
    "command", [*SHOWING, ("done", "5"), ("undo",), ("open", "7.1")], ids=lambda c: c[0]
)
def test_piped_output_is_plain(
    run: Run, command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    some_progress(run)
    monkeypatch.delenv("NO_COLOR")  # plain because it is a pipe, not because we asked
    result = run(*command)
    text = result.output
    assert "\x1b" not in text
    assert not BOX & set(text), BOX & set(text)
    assert all(line == line.rstrip() for line in text.splitlines())


def test_piped_lines_are_not_wrapped(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    result = run("next", "--skill", "3")
    reason = next(line for line in result.stdout.splitlines() if "stretches" in line)
    assert reason.endswith("where learning is quickest and most enjoyable.")


def test_version_and_python_m(tmp_path: Path) -> None:
    env = {**os.environ, "MLPATH_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [sys.executable, "-m", "mlpath", "--version"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == f"mlpath {__version__}\n"


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("mlpath done ", "2", ["1", "2", "3", "4", "5", "6", "7"]),
        ("mlpath show 6", "2", ["6"]),
        ("mlpath open 4.", "2", ["4.1", "4.2"]),
        ("mlpath sh", "1", ["show"]),
    ],
)
def test_shell_completion(
    main: Main, home: Path, words: str, cword: str, expected: list[str]
) -> None:
    env = {"_MLPATH_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
    result = main(env=env)
    assert result.returncode == 0
    assert result.stdout.split() == expected
    assert not home.exists()


TEAM = Path(__file__).resolve().parents[1] / "examples" / "team-onboarding.toml"


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        (f"mlpath --catalogue {TEAM} done ", "4", ["1", "2", "3", "4"]),
        (f"mlpath --catalogue={TEAM} open 1.", "3", ["1.1"]),
        (f"mlpath --catalogue {TEAM} log --step ", "5", ["1", "2", "3", "4"]),
        ("mlpath --catalogue /no/such/catalogue.toml done ", "4", []),
    ],
)
def test_completion_offers_the_steps_of_the_catalogue_on_the_line(
    main: Main, home: Path, words: str, cword: str, expected: list[str]
) -> None:
    """`--catalogue FILE` before the command chooses what a step number means, for the
    shell's completion too (it offered the bundled catalogue's seven steps): a missing
    file completes nothing, and the command itself will say why."""
    env = {"_MLPATH_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
    result = main(env=env)
    assert (result.returncode, result.stdout.split()) == (0, expected)
    titled = main(env={"_MLPATH_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": words})
    if expected:
        assert '"1":"Set up your workstation"' in titled.stdout or "1.1" in titled.stdout
        assert "Watch ML related videos" not in titled.stdout
    assert not home.exists()


def test_open_uses_the_browser_in_BROWSER(tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$1" >> {opened}\n')
    browser.chmod(0o755)
    env = {**os.environ, "MLPATH_HOME": str(tmp_path / "home"), "BROWSER": f"{browser} %s"}
    for ref in ("3", "3.2", "6.1"):
        # A process of its own (forked, tests/forked.py): webbrowser reads BROWSER once.
        result = forked.run("open", ref, env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("Opened ")
    assert opened.read_text().split() == [
        "https://www.elementsofai.com/",
        "https://www.coursera.org/learn/ai-for-everyone",
        "https://www.kaggle.com/",
    ]


def test_open_without_a_browser_prints_the_link(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    def none() -> webbrowser.BaseBrowser:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", lambda using=None: none())
    result = run("open", "3.4")
    assert result.exit_code == 0
    assert result.stdout.strip() == "No browser found. fast.ai: http://fast.ai"


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("3.9", "no resource 3.9: step 3's resources are 3.1-3.5"),
        ("6.2", "no resource 6.2: step 6's resources are 6.1"),
        ("7", "no resource 7.1: step 7 has no resources"),
        ("8.1", "no step 8: steps are 1-7"),
        (
            "3.x",
            "'3.x' is not a step or resource number: steps are 1-7, and resources are "
            "numbered like 3.2",
        ),
        ("x", "'x' is not a step number: steps are 1-7"),
    ],
)
def test_open_bad_refs(run: Run, ref: str, message: str) -> None:
    result = run("open", ref)
    assert (result.exit_code, result.stderr) == (2, f"mlpath: {message}\n")


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prompts, "interactive", lambda: True)


def data(result: Result) -> Any:
    return json.loads(result.stdout)


def skill_now(run: Run) -> object:
    return json.loads(run("status", "--json").stdout)["skill"]


def test_done_on_a_terminal_offers_a_checkin(run: Run, terminal: None) -> None:
    run("skill", "3")
    result = run("done", "3", input="6\n5\n")
    shown = result.stdout.splitlines()
    assert "How does step 3 (Take ML courses) feel right now? (1-10, Enter to skip)" in shown
    assert "Checked in on step 3 (Take ML courses): challenge 6, skill 5." in shown
    # 4.2 is the rating and the check-in together: both are named
    assert "Your skill is now 4.2, from your rating and your last check-in." in shown
    assert run("skill").stdout == "Your skill: 4.2, from your rating and your last check-in.\n"
    assert "Skill: 4.2 of 10 (from your rating and your last check-in)" in run("status").stdout
    assert skill_now(run) == 3  # the rating stays; the check-in weighs with it
    assert data(run("skill", "--json"))["skill_source"] == "checkins"
    run("undo")  # the check-in is its own change
    assert data(run("skill", "--json"))["skill_source"] == "rated"
    assert [e["action"] for e in data(run("log", "--json"))] == ["skill", "done", "checkin", "undo"]


def test_done_of_a_resource_offers_a_checkin_too(run: Run, terminal: None) -> None:
    result = run("done", "3.1", input="4\n2\n")
    checked = "Checked in on step 3 (Take ML courses): challenge 4, skill 2."
    assert checked in result.stdout.splitlines()
    assert data(run("show", "3", "--json"))["challenge_source"] == "checkin"


def test_enter_skips_the_checkin(run: Run, terminal: None) -> None:
    run("skill", "3")
    result = run("done", "3", input="\n")
    assert result.exit_code == 0 and skill_now(run) == 3
    assert "No check-in recorded." in result.stderr.splitlines()
    assert len(json.loads(run("log", "--json").stdout)) == 2


def test_a_bad_checkin_answer_asks_again(run: Run, terminal: None) -> None:
    result = run("done", "1", input="eleven\n4\n2\n")
    assert (
        "the challenge should be a whole number from 1 to 10, not 'eleven'"
        in result.stderr.splitlines()
    )
    checked = "Checked in on step 1 (Watch ML related videos): challenge 4, skill 2."
    assert checked in result.stdout.splitlines()


def test_no_checkin_offer_without_a_change_or_a_terminal(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "feel right now" not in run("done", "1", input="5\n5\n").output  # a pipe
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    assert "feel right now" not in run("done", "1", input="5\n5\n").output  # already done
    assert "feel right now" not in run("start", "2", input="5\n5\n").output  # not finishing
    assert [e["action"] for e in data(run("log", "--json"))] == ["done", "start"]


def test_end_of_input_at_a_prompt_is_no_answer(run: Run, terminal: None, home: Path) -> None:
    result = run("next", "--json", input="")  # --json never asks: a baseline
    assert json.loads(result.stdout)["skill_source"] == "estimated"
    result = run("next", input="")  # asked, then Ctrl-D: the estimate, nothing written
    assert result.exit_code == 0 and ESTIMATED in result.stdout
    assert not (home / "progress.toml").exists()
    run("skill", "3")
    result = run("done", "2", input="")
    assert result.exit_code == 0 and skill_now(run) == 3


def test_ctrl_c_at_a_prompt_exits_130_and_writes_nothing(
    run: Run, terminal: None, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import typer

    def interrupted(*args: object, **kwargs: object) -> str:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise typer.Abort() from None  # what click's prompt does with Ctrl-C

    monkeypatch.setattr(typer, "prompt", interrupted)
    result = run("next")
    assert result.exit_code == 130
    assert result.stderr.strip() == "mlpath: interrupted; nothing was written"
    assert not home.exists()


def test_a_prompt_never_loops_forever(run: Run, terminal: None, home: Path) -> None:
    result = run("next", input="x\n" * 50)  # an input that never gives a rating
    assert result.exit_code == 0 and ESTIMATED in result.stdout
    assert result.stderr.count("not 'x'") == 5
    result = run("next", input="\n")  # Enter skips the question
    assert result.exit_code == 0 and ESTIMATED in result.stdout
    assert not (home / "progress.toml").exists()


ESTIMATED = "For a skill taken as 1, since no step is done yet."


def test_main_still_knows_every_command(main: Main, run: Run) -> None:
    listed = main("--help").stdout
    for command in commands():
        assert re.search(rf"^\s+{command}\s", listed, re.M), command
    typo = main("stauts")
    assert typo.returncode == 2
    assert typo.stderr.splitlines() == [
        "mlpath: no such command 'stauts' (did you mean 'status' or 'start'?); see `mlpath help`"
    ]
    assert typo.stderr == run("stauts").stderr  # word for word what the app says in-process


def test_main_with_a_catalogue_before_the_command(main: Main) -> None:
    example = str(Path(__file__).resolve().parents[1] / "examples" / "team-onboarding.toml")
    done = main("--catalogue", example, "done", "2")
    assert done.returncode == 0
    assert done.stdout.splitlines()[0] == "Step 2 (Reproduce the baseline model): todo -> done."
    shown = main(f"--catalogue={example}", "status", "--json")
    assert json.loads(shown.stdout)["done"] == 1
    bare = main("--catalogue", example)
    assert bare.returncode == 0 and bare.stdout.splitlines()[0] == "ML onboarding at Acme"


def test_wide_characters_keep_columns_aligned(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "wide.toml"
    path.write_text(
        'id = "wide"\ntitle = "Wide"\n'
        '[[steps]]\nid = "a"\ntitle = "機械学習の入門"\nsummary = "s"\nchallenge = 2\n'
        '[[steps]]\nid = "b"\ntitle = "Plain title"\nsummary = "s"\nchallenge = 3\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("MLPATH_CATALOGUE", str(path))
    header, first, second = run("list").stdout.splitlines()[1:4]
    # Worked by hand: 機械学習の入門 is 7 characters but 14 columns, so the Step column is 14
    # wide and pads it with nothing. In characters, then: the header's "Challenge" starts at
    # 3 + 4 + 10 + 2 = 19, and the right-aligned challenge digits sit at 19 + 8 = 27 on the
    # plain row but at 27 - 7 = 20 on the wide one (7 characters fewer for the same columns).
    assert header.index("Challenge") == 19
    assert second.index("3") == 27
    assert first.index("2") == 20
