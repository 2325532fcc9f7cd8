"""The rules every event obeys (history.problem), and how a note change or its undo applies:
what an import, a sync or a damaged history can bring, said field by field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mlpath.core.history import Event, apply, problem
from mlpath.core.progress import MAX_MINUTES, Note, PathProgress, Progress, StepProgress

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NOTED = AT.isoformat()


def event(action: str, details: dict[str, Any], step: str | None = "take-ml-courses") -> Event:
    return Event(
        machine="abc",
        seq=1,
        batch=1,
        clock=1,
        at=AT,
        catalogue="get-started-in-ml",
        action=action,
        step=step,
        details=details,
    )


def undo_of(of: str, details: dict[str, Any]) -> Event:
    return event("undo", {"undoes": "abc:1", "of": of, **details})


@pytest.mark.parametrize(
    ("found", "said"),
    [
        (event("checkin", {"challenge": 5, "skill": 4, "minutes": MAX_MINUTES}), None),
        (
            event("checkin", {"challenge": 5, "skill": 4, "minutes": MAX_MINUTES + 1}),
            f"details.minutes: should be a whole number from 0 to {MAX_MINUTES}",
        ),
        (
            event("checkin", {"skill": 4}),
            "details.challenge: should be a whole number from 1 to 10",
        ),
        (
            undo_of("checkin", {"challenge": 5, "skill": 4}),
            "details.checked_at: should be a time with its offset",
        ),
        (undo_of("checkin", {"challenge": 5, "skill": 4, "checked_at": NOTED}), None),
        (
            event("note_edit", {"noted_at": "2026-11-02T09:00:00", "was": "a", "text": "b"}),
            "details.noted_at: should be a time with its offset",
        ),
        (
            event("note_edit", {"noted_at": 5, "was": "a", "text": "b"}),
            "details.noted_at: should be a time with its offset",
        ),
        (
            event("note_edit", {"noted_at": "last tuesday", "was": "a", "text": "b"}),
            "details.noted_at: should be a time with its offset",
        ),
        (
            event("note_edit", {"noted_at": NOTED, "was": "   ", "text": "b"}),
            "details.was: should be some text",
        ),
        (
            event("note_edit", {"noted_at": NOTED, "text": "b"}),
            "details.was: should be some text",
        ),
        (event("note_edit", {"noted_at": NOTED, "was": "a", "text": "b"}), None),
        (event("note_delete", {"noted_at": NOTED, "text": "a"}), None),
        (
            event("note_delete", {"noted_at": NOTED, "text": " "}),
            "details.text: should be some text",
        ),
    ],
)
def test_each_rule_names_the_field_it_refuses(found: Event, said: str | None) -> None:
    assert problem(found) == said


def _notes(*texts: tuple[int, str]) -> Progress:
    """A state whose step 3 has these notes, each `days` after AT."""
    notes = [Note(at=AT + timedelta(days=days), text=text) for days, text in texts]
    step = StepProgress(notes=notes)
    return Progress(paths={"get-started-in-ml": PathProgress(steps={"take-ml-courses": step})})


def _texts(progress: Progress) -> list[str]:
    return [n.text for n in progress.paths["get-started-in-ml"].steps["take-ml-courses"].notes]


def test_undoing_the_delete_of_the_newest_note_puts_it_back_last() -> None:
    progress = _notes((0, "first"), (1, "second"))
    noted = (AT + timedelta(days=2)).isoformat()
    apply(progress, undo_of("note_delete", {"noted_at": noted, "text": "third"}))
    assert _texts(progress) == ["first", "second", "third"]


def test_undoing_a_delete_puts_the_note_after_one_noted_at_the_same_moment() -> None:
    progress = _notes((0, "first"), (1, "twin"), (2, "last"))
    noted = (AT + timedelta(days=1)).isoformat()
    apply(progress, undo_of("note_delete", {"noted_at": noted, "text": "restored"}))
    assert _texts(progress) == ["first", "twin", "restored", "last"]


def test_redoing_a_note_that_is_there_again_leaves_one_copy() -> None:
    progress = _notes((0, "first"), (1, "second"))
    noted = (AT + timedelta(days=1)).isoformat()
    redo = event("redo", {"undoes": "abc:1", "of": "note", "noted_at": noted, "text": "second"})
    apply(progress, redo)
    assert _texts(progress) == ["first", "second"]


@pytest.mark.parametrize(
    ("undoes", "valid"),
    [
        ("abc:7", True),
        ("abc:" + "1" * 18, True),
        ("abc:" + "1" * 19, False),  # past what a seq may be
        ("a!c:7", False),  # a machine id holds letters, digits, - and _ only
        ("abc:x", False),
        ("abc:", False),
        (":7", False),
    ],
)
def test_an_undo_names_the_change_it_reverts_by_a_whole_identity(undoes: str, valid: bool) -> None:
    said = "details.undoes: should name the event it reverts, like ab12cd34ef56:7"
    found = problem(event("undo", {"undoes": undoes, "of": "rate", "to": None, "from": 4}))
    assert found == (None if valid else said)


def test_an_undo_says_which_of_its_own_fields_is_wrong() -> None:
    assert problem(event("undo", {"undoes": "abc:1", "of": "undo"})) == (
        "details.of: should be the action of the change it reverts"
    )
    redo = {"undoes": "abc:1", "of": "rate", "from": 4, "set_at": "yesterday"}
    assert problem(event("redo", redo)) == "details.set_at: should be a time with its offset"
