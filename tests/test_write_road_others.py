"""The write road's other changes (cli/first.py's WORDS and CHECKIN, cli/marking.checked):
`note N TEXT`, `rate N C`, `skill S`, `checkin N --challenge C --skill S [--minutes M]`,
`undo` and `redo` in a script say and write byte for byte what the full road says and
writes, with the same exit code, for random stores, catalogues, words, locks and failures;
and the road takes every plain form it may take, and no other."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from mlpath.cli import first, marking
from tests.conftest import Clock, examples, files
from tests.test_fast_road import ACTIONS, catalogues
from tests.test_write_road import (
    DAMAGE,
    FAULTS,
    FUNCTION,
    Said,
    call,
    damage,
    holding,
    restore,
    shape,
    store,
)

ANSWER = marking.answer
# Mostly what a catalogue has and the rules allow (each branch of one_of is drawn alike);
# some of what they refuse.
STEP = st.one_of(st.just("1"), st.just("2"), st.sampled_from(["3", "7", "0", "x", "2.1", " 2"]))
VALID = st.integers(1, 10).map(str)
FIGURE = st.one_of(VALID, VALID, st.sampled_from(["0", "11", "x", "4.5", "-3", "07", ""]))
MINUTES = st.one_of(st.just("30"), st.just("0"), st.sampled_from(["10081", "x", "-5"]))
TEXT = st.one_of(
    st.sampled_from(["clicked", "week 2: it works", "résumé ✓", "a\tb"]),
    st.sampled_from(["gradient descent", "-", "", "-x", "  "]),
)


@st.composite
def checkin(draw: st.DrawFn) -> list[str]:
    options = [("--challenge", draw(FIGURE)), ("--skill", draw(FIGURE))]
    if draw(st.booleans()):
        options.append(("--minutes", draw(MINUTES)))
    if draw(st.integers(0, 7)) == 0:
        options.pop(draw(st.integers(0, len(options) - 1)))  # one missing
    if draw(st.integers(0, 6)) == 0:
        options.append(options[0])  # one twice
    options = draw(st.permutations(options))
    words = [draw(STEP)]
    for name, value in options:
        words += [f"{name}={value}"] if draw(st.booleans()) else [name, value]
    return ["checkin", *words]


LINES = st.one_of(
    st.tuples(st.just("note"), STEP, TEXT).map(list),
    st.tuples(st.just("rate"), STEP, FIGURE).map(list),
    st.tuples(st.just("skill"), FIGURE).map(list),
    st.sampled_from([["undo"], ["redo"], ["undo"], ["redo"], ["undo", "1"], ["skill"]]),
    checkin(),
    checkin(),
    st.tuples(st.just("note"), STEP, TEXT, TEXT).map(list),
)


@settings(max_examples=examples(80), suppress_health_check=FUNCTION)
@given(
    actions=st.lists(st.one_of(ACTIONS, st.just(("undo",)), st.just(("redo",))), max_size=6),
    catalogue=st.none() | catalogues(),
    other=st.sampled_from(["same", "same", "same", "bundled", "missing"]),
    line=LINES,
    locked=st.sampled_from([True, *[False] * 7]),
    fault=FAULTS,
    spoiled=DAMAGE,
)
def test_both_roads_say_and_write_the_same(
    run: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    clock: Clock,
    actions: list[tuple[str, ...]],
    catalogue: str | None,
    other: str,
    line: list[str],
    locked: bool,
    fault: str,
    spoiled: str,
) -> None:
    said = both_roads(
        run, monkeypatch, tmp_path, clock, actions, catalogue, other, line, locked, fault, spoiled
    )
    event(f"{line[0]}: exit {said.code}, plain {first.parse(line) is not None}, {fault}")


@pytest.mark.parametrize(
    "line",
    [
        ["checkin", "1", "--challenge", "6", "--skill=4"],
        ["checkin", "2", "--minutes=45", "--skill", "3", "--challenge", "8"],
        ["note", "2", "week 2: it works"],
        ["rate", "1", "9"],
        ["skill", "5"],
        ["undo"],
        ["redo"],
    ],
)
def test_each_plain_form_takes_the_write_road(
    run: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    clock: Clock,
    line: list[str],
) -> None:
    before = [("done", "1"), ("checkin", "2", "5", "5"), ("undo",)] if line == ["redo"] else []
    said = both_roads(
        run, monkeypatch, tmp_path, clock, before or [("done", "1")], None, "same", line
    )
    assert said.code == 0, said


def both_roads(
    run: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    clock: Clock,
    actions: list[tuple[str, ...]],
    catalogue: str | None,
    other: str,
    line: list[str],
    locked: bool = False,
    fault: str = "",
    spoiled: str = "",
) -> Said:
    """`line` by both roads on the same store: they agree, and the write road took it
    exactly when it should. What the full road said."""
    with store(monkeypatch, tmp_path) as where:
        made: list[str] = []
        if catalogue is not None:
            (where / "team.toml").write_text(catalogue, encoding="utf-8")
            made = ["--catalogue", str(where / "team.toml")]
        for action in actions:
            run(*made, *action)
        damage(where / "home", spoiled)
        chosen = {
            "same": str(where / "team.toml") if catalogue is not None else None,
            "bundled": None,
            "missing": str(where / "missing.toml"),
        }[other]
        env = {"MLPATH_LOCK_TIMEOUT": "0"} if locked else {}
        argv = ["--catalogue", chosen, *line] if chosen is not None else line
        saved = where / "saved"
        saved.mkdir()
        for name in ("home", "cache"):
            if (where / name).exists():
                shutil.copytree(where / name, saved / name, symlinks=True)
        took: list[int | None] = []

        def spied(found: dict[str, Any]) -> int | None:
            took.append(ANSWER(found))
            return took[-1]

        monkeypatch.setattr(marking, "answer", spied)
        ran = []
        for road in ({"MLPATH_FULL_ROAD": "1"}, {}):
            restore(where, saved)
            clock.now = clock.now.replace(hour=9, minute=0)
            with holding(where / "home", locked):
                said = call(monkeypatch, argv, {**env, **road}, fault)
            ran.append((said, files(where / "home")))
        full, fast = ran
        assert fast == full, argv
        # Not vacuous: the write road made every change it may make, and left the rest.
        plain = first.parse(argv) is not None
        # skill, undo and redo check no step: a catalogue that does not load is the use
        # case's to report, on both roads alike.
        needs = line[0] not in ("skill", "undo", "redo")
        refused = full[0].code == 2 or (needs and shape(chosen) is None)
        # A usage error the use case finds (a note of blanks: core/tracker.py's rule, in the
        # transaction) may be said by either road: the same bytes, as asserted above.
        expected = [[None if refused else fast[0].code]] if plain else [[]]
        if plain and full[0].code == 2:
            expected.append([2])
        assert took in expected, (argv, full[0])
        monkeypatch.setattr(marking, "answer", ANSWER)
        return full[0]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["note", "1", "x y"], ["1", "x y"]),
        (["--catalogue", "a.toml", "rate", "2", "7"], ["2", "7"]),
        (["skill", "4"], ["4"]),
        (["undo"], []),
        (["redo"], []),
        (["checkin", "3", "--challenge", "6", "--skill=4"], ["3"]),
        (["checkin", "3", "--skill", "4", "--minutes=5", "--challenge", "6"], ["3"]),
        (["note", "1", "-"], None),  # stdin: the full road reads it
        (["note", "1"], None),  # on a terminal an editor, in a script a usage error
        (["note", "1", "x", "--edit", "1"], None),
        (["note", "1", "--", "x"], None),
        (["note", "-1", "x"], None),
        (["skill"], None),  # shows the skill
        (["skill", "4", "--json"], None),
        (["undo", "--help"], None),
        (["checkin", "3", "--challenge", "6"], None),
        (["checkin", "--challenge", "6", "--skill", "4"], None),
        (["checkin", "3", "--challenge", "6", "--skill", "4", "--skill", "5"], None),
        (["checkin", "3", "--challenge", "--skill", "4"], None),
        (["checkin", "3", "--challenge=", "--skill", "4"], None),
        (["checkin", "3", "--challenge", "6", "--skill"], None),
        (["checkin", "3", "--challenge", "6", "--skill", "4", "--json"], None),
        (["rate", "1"], None),
    ],
)
def test_the_plain_forms_only(argv: list[str], words: list[str] | None) -> None:
    found = first.parse(argv)
    assert (found or {}).get("words") == words
    if words is not None:
        assert found is not None
        assert found["command"] == argv[-len(words) - 1] or found["command"] == "checkin"


def test_a_check_in_carries_its_figures() -> None:
    found = first.parse(["checkin", "3", "--minutes", "5", "--challenge=6", "--skill", "4"])
    assert found is not None
    assert (found["challenge"], found["skill"], found["minutes"]) == ("6", "4", "5")
    found = first.parse(["checkin", "3", "--challenge=6", "--skill=4"])
    assert found is not None and "minutes" not in found
