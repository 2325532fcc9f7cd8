"""The invariant, checked after every step of random sessions: whatever the learner does
(changes, undo and redo, imports and merges from another store, a restore, a lost snapshot,
a wall clock that goes back), the state mlpath shows is the replay of the committed history.

Besides, a model of redo: each undo that changed something pushes the state it found, a
redo must bring back the state the newest of them found, and any other change that is
recorded empties the stack (after it, there is nothing to redo)."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from typer.testing import CliRunner

from mlpath.cli import app
from mlpath.store import historyfile, record
from tests.test_record import assert_invariant
from tests.test_redo import state

STEPS = st.integers(1, 7)
VERBS = st.sampled_from(["done", "start", "skip", "reset"])


class Session(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        self.home = self.folder / "home"
        self.other = self.folder / "other"
        self.now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
        self.runner = CliRunner()
        self.exports = 0
        self.undone: list[dict[str, Any]] = []  # the state each undo found, newest last
        record.clock = lambda: self.now

    def run(self, *args: str, home: Path | None = None) -> str:
        os.environ["MLPATH_HOME"] = str(home or self.home)
        commits = self.commits()
        result = self.runner.invoke(app, list(args))
        assert result.exit_code in (0, 2), (args, result.output, result.exception)
        self.now += timedelta(seconds=7)
        if home is None and args[0] not in ("undo", "redo") and self.commits() > commits:
            self.undone.clear()  # a new change: nothing before it can be redone
        return result.stdout

    def commits(self) -> int:
        history = self.home / "history.jsonl"
        return len(historyfile.read(history).commits) if history.exists() else 0

    def shown(self) -> dict[str, Any]:
        """The state, with notes and check-ins in date order: one put back goes in its place
        by date, which is where it was unless the clock went back between them."""
        os.environ["MLPATH_HOME"] = str(self.home)
        found = state() if (self.home / "history.jsonl").exists() else {}
        for path in found.values():
            for entry in path["steps"].values():
                entry["notes"].sort(key=lambda n: (n["at"], n["text"]))
                entry["checkins"].sort(key=lambda c: sorted(c.items()))
        return found

    @rule(verb=VERBS, step=STEPS, resource=st.integers(0, 2))
    def mark(self, verb: str, step: int, resource: int) -> None:
        self.run(verb, f"{step}.{resource}" if resource else str(step))

    @rule(step=STEPS, value=st.integers(1, 10))
    def rate(self, step: int, value: int) -> None:
        self.run("rate", str(step), str(value))

    @rule(value=st.integers(1, 10))
    def skill(self, value: int) -> None:
        self.run("skill", str(value))

    @rule(step=STEPS, text=st.text(min_size=1, max_size=8).filter(str.strip))
    def note(self, step: int, text: str) -> None:
        self.run("note", str(step), text)

    @rule(
        step=STEPS,
        challenge=st.integers(1, 10),
        skill=st.integers(1, 10),
        minutes=st.none() | st.integers(0, 600),
    )
    def checkin(self, step: int, challenge: int, skill: int, minutes: int | None) -> None:
        spent = [] if minutes is None else ["--minutes", str(minutes)]
        self.run("checkin", str(step), "--challenge", str(challenge), "--skill", str(skill), *spent)

    @rule(step=STEPS, number=st.integers(1, 3), text=st.text(min_size=1, max_size=8))
    def edit_note(self, step: int, number: int, text: str) -> None:
        self.run("note", str(step), "--edit", str(number), text)  # exit 2 where none or blank

    @rule(step=STEPS, number=st.integers(1, 3))
    def delete_note(self, step: int, number: int) -> None:
        self.run("note", str(step), "--delete", str(number))

    @rule()
    def undo(self) -> None:
        found, commits = self.shown(), self.commits()
        self.run("undo")
        if self.commits() > commits:
            self.undone.append(found)

    @rule()
    def redo(self) -> None:
        said = self.run("redo")
        if not self.undone:
            assert said.startswith("Nothing to redo"), said
            return
        assert said.startswith("Redone: "), said
        assert self.shown() == self.undone.pop()

    @rule(undos=st.integers(1, 3), redos=st.integers(1, 4))
    def undo_and_redo(self, undos: int, redos: int) -> None:
        """Undos and redos in a row: else two rules of fifteen would seldom meet."""
        for _ in range(undos):
            self.undo()
        for _ in range(redos):
            self.redo()

    @rule(hours=st.integers(1, 48))
    def clock_goes_back(self, hours: int) -> None:
        self.now -= timedelta(hours=hours)

    @rule(
        verb=VERBS,
        step=STEPS,
        twice=st.booleans(),
        feel=st.none() | st.integers(1, 10),
        then=st.sampled_from([(), ("undo",), ("undo", "redo"), ("undo", "undo", "redo")]),
    )
    def merge_from_another_machine(
        self, verb: str, step: int, twice: bool, feel: int | None, then: tuple[str, ...]
    ) -> None:
        if feel is None:
            self.run(verb, str(step), home=self.other)
        else:  # a check-in made on the other machine travels too
            figures = ["--challenge", str(feel), "--skill", str(11 - feel)]
            self.run("checkin", str(step), *figures, home=self.other)
        for reversal in then:  # and its undos and redos
            self.run(reversal, home=self.other)
        self.exports += 1
        export = self.folder / f"other-{self.exports}.json"
        self.run("export", "-o", str(export), home=self.other)
        for _ in range(2 if twice else 1):
            self.run("import", "--merge", str(export))

    @rule()
    def lose_the_snapshot(self) -> None:
        (self.home / "progress.toml").unlink(missing_ok=True)

    @rule()
    def restore(self) -> None:
        self.run("doctor", "--restore")

    @invariant()
    def the_state_is_the_replay_of_the_history(self) -> None:
        os.environ["MLPATH_HOME"] = str(self.home)
        if (self.home / "history.jsonl").exists():
            assert_invariant()
            shown = json.loads(self.run("list", "--json"))
            again = record.read()
            assert len(shown) == 7 and again == record.read()


@pytest.mark.slow
def test_random_sessions_keep_the_invariant(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(record, "clock", record.clock)  # restored after the run
    monkeypatch.setenv("MLPATH_HOME", os.environ["MLPATH_HOME"])
    runner = Session.TestCase
    runner.settings = settings(
        max_examples=int(os.environ.get("MLPATH_PROPERTY_EXAMPLES", "10")),
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    runner().runTest()
