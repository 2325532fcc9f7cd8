"""Edges of the core that mutation testing found no test for (docs/mutation.md): each test
here fails on a mutant that `mutmut run` left alive. Pure: no files, a fixed clock."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import pytest

from mlpath import catalogue
from mlpath.core import advice, basis, channels, growth
from mlpath.core.eventrules import Invalid, finite, parse
from mlpath.core.history import Event, merged, new_events
from mlpath.core.outcome import Outcome, reverted
from mlpath.core.progress import Origin, Progress, Status
from mlpath.core.tracker import Tracker
from tests.test_progress import commit, newest_first

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CATALOGUE = "get-started-in-ml"


def event(machine: str, seq: int, clock: int, details: dict[str, Any] | None = None) -> Event:
    return Event(machine, seq, seq, clock, AT, CATALOGUE, "skill", None, details or {"to": 3})


def test_a_number_too_large_for_a_float_is_named_in_its_first_twenty_characters() -> None:
    assert finite("1.5") == 1.5
    with pytest.raises(ValueError, match=r"^1{20} is not a number JSON allows$"):
        finite("1" * 30 + "e400")


def test_an_event_may_leave_out_its_step_and_details_but_nothing_else() -> None:
    whole = event("abc", 1, 1, {"from": None, "to": 3}).json()
    short = {k: v for k, v in whole.items() if k != "step"}
    assert parse(short) == parse(whole)
    # No action's details may be empty, so an event without them is refused for what its
    # details lack, as one with empty details is.
    with pytest.raises(Invalid, match=r"^details.to: should be a whole number from 1 to 10$"):
        parse({k: v for k, v in whole.items() if k != "details"})
    with pytest.raises(Invalid, match=r"^bogus: not a field of an event$"):
        parse(short | {"zzz": 1, "bogus": 2})
    with pytest.raises(Invalid, match=r"^seq: missing$"):
        parse({k: v for k, v in short.items() if k not in ("seq", "clock")})


def test_new_events_leaves_out_ours_reports_clashes_and_reads_ours_for_a_version_1_export() -> None:
    ours = [event("abc", 1, 10)]
    said_again = event("v1-x", 1, 10)  # what abc:1 says, from an export made before identities
    fresh = event("v1-x", 2, 20, {"to": 4})
    clash = event("abc", 1, 10, {"to": 9})
    added, clashes = new_events(ours, [event("abc", 1, 10), clash, said_again, fresh])
    assert (added, clashes) == ([fresh], ["abc:1"])


def test_events_taken_in_move_the_clock_to_theirs_and_the_seq_only_to_our_own() -> None:
    cat = catalogue.load(catalogue.bundled_path())
    tracker = Tracker(cat, Progress(), Origin("here", 0, 0))
    tracker.absorb([event("there", 7, 50)], Progress())
    assert tracker.origin == Origin("here", 0, 50)
    tracker.absorb([event("there", 9, 60), event("here", 5, 20)], Progress())
    assert tracker.origin == Origin("here", 5, 60)


def test_deleting_a_note_says_which_text_went() -> None:
    cat = catalogue.load(catalogue.bundled_path())
    tracker = Tracker(cat, Progress(), Origin("here", 0, 0))
    tracker.note(3, "first", AT)
    title = cat.step(3).title
    assert tracker.delete_note(3, 1, AT) == Outcome("note", 3, title, "first", None, True)


def test_the_compass_lays_the_channels_out_as_on_the_plane() -> None:
    counted = {name: n for n, name in enumerate(channels.CHANNELS)}
    assert channels.compass(counted) == [
        "     anxiety 3       arousal 2         flow 1",
        "      worry 4       (your means)     control 0",
        "      apathy 5       boredom 6      relaxation 7",
    ]
    assert channels.compass(counted, width=12)[1] == "    worry 4   (your means) control 0"


def test_an_event_shows_every_field_in_its_repr() -> None:
    shown = repr(event("abc", 1, 10))
    assert shown == (
        "Event(machine='abc', seq=1, batch=1, clock=10, at="
        f"{AT!r}, catalogue='{CATALOGUE}', action='skill', step=None, details={{'to': 3}})"
    )


def test_a_point_a_hair_below_a_boundary_counts_as_on_it_but_not_a_little_more() -> None:
    # Rounded to nine decimals of a degree: 1e-10 degree below 22.5 is on the boundary (flow),
    # 1e-7 below it is under it (control).
    on = math.tan(math.radians(22.5))
    assert channels.channel(1.0, on - 2e-12) == "flow"
    assert channels.channel(1.0, on - 2e-9) == "control"


def started_and_done() -> Tracker:
    """A tracker with step 1 done, step 3 begun and step 6's one resource done (which begins
    step 6)."""
    tracker = Tracker(catalogue.load(catalogue.bundled_path()), Progress(), Origin("here", 0, 0))
    tracker.mark(1, Status.DONE, AT)
    tracker.mark(3, Status.IN_PROGRESS, AT)
    tracker.mark_resource(6, 1, Status.DONE, AT)
    return tracker


def test_the_candidates_are_the_open_steps_marked_begun_or_not() -> None:
    tracker = Tracker(catalogue.load(catalogue.bundled_path()), Progress(), Origin("here", 0, 0))
    assert advice.at_the_start(tracker, "estimated")
    tracker = started_and_done()
    assert [(c.rank, c.in_progress) for c in advice.candidates(tracker)] == [
        (2, False),
        (3, True),
        (4, False),
        (5, False),
        (6, True),  # a resource done begins its step
        (7, False),
    ]
    assert not advice.at_the_start(tracker, "estimated")


def test_resources_are_finished_only_for_a_step_that_has_some() -> None:
    tracker = started_and_done()
    assert advice.resources_finished(tracker, 6)
    assert not advice.resources_finished(tracker, 7)  # step 7 has no resources; step 6 has
    assert not advice.resources_finished(tracker, 3)


def test_merging_takes_each_new_event_once_and_each_saying_of_an_old_export_once() -> None:
    ours = {e.id: e for e in [event("abc", 1, 10)]}
    new = event("abc", 2, 20, {"to": 5})
    other = event("abc", 2, 20, {"to": 6})  # abc:2 again, saying something else
    says_new = event("v1-x", 1, 20, {"to": 5})  # what abc:2 says, from a version-1 export
    once = event("v1-x", 2, 30, {"to": 7})
    twice = event("v1-x", 3, 30, {"to": 7})  # the same saying again: the same change
    after = event("abc", 3, 40, {"to": 8})
    theirs = [new, new, other, says_new, once, twice, after]
    assert merged(ours.get, theirs, ours.values) == ([new, once, after], ["abc:2"])


def test_the_basis_of_a_learned_skill_counts_its_check_ins_from_two_on() -> None:
    assert basis.learned_words(None) == "from your last check-in"
    assert basis.learned_words((4.0, 1, False)) == "from your last check-in"
    assert basis.learned_words((4.0, 2, False)) == "from your last 2 check-ins"
    assert basis.learned_words((4.0, 3, True)) == "from your rating and your last 3 check-ins"


def test_the_skill_over_time_names_each_point_a_rating_or_a_check_in() -> None:
    cat = catalogue.load(catalogue.bundled_path())
    tracker = Tracker(cat, Progress(), Origin("here", 0, 0))
    tracker.set_skill(4, AT)
    tracker.checkin(3, 6, 5, None, AT)
    events = list(tracker.events)
    points, reports = growth.skill_over_time(events, cat, 10)
    assert ([p.kind for p in points], reports) == (["rating", "checkin"], 2)
    assert growth.skill_over_time(events, cat, 1)[0] == points[1:]
    assert growth.skill_over_time(events, cat, 0) == ([], 2)


def test_check_ins_at_the_same_moment_come_back_in_their_order_when_redone() -> None:
    tracker = Tracker(catalogue.load(catalogue.bundled_path()), Progress(), Origin("here", 0, 0))
    commits: list[list[Event]] = []

    def everything() -> list[Event]:
        return [e for events in commits for e in events]

    for challenge, skill in [(6, 5), (2, 9)]:
        tracker.checkin(3, challenge, skill, None, AT)
        commit(tracker, commits)
    for _ in range(2):
        tracker.undo(newest_first(commits), AT, everything)
        commit(tracker, commits)
    assert tracker.path.steps["take-ml-courses"].checkins == []
    for _ in range(2):
        tracker.redo(newest_first(commits), AT)
        commit(tracker, commits)
    said = [(c.challenge, c.skill) for c in tracker.path.steps["take-ml-courses"].checkins]
    assert said == [(6, 5), (2, 9)]


def test_the_skill_over_time_has_no_figure_once_the_only_rating_is_undone() -> None:
    cat = catalogue.load(catalogue.bundled_path())
    tracker = Tracker(cat, Progress(), Origin("here", 0, 0))
    commits: list[list[Event]] = []
    tracker.set_skill(4, AT)
    commit(tracker, commits)
    tracker.undo(newest_first(commits), AT, lambda: commits[0])
    commit(tracker, commits)
    points, _ = growth.skill_over_time([e for c in commits for e in c], cat, 10)
    assert [(p.skill is None, p.kind) for p in points] == [(False, "rating"), (True, "undo")]


def test_an_undone_note_edit_is_told_as_its_old_text_then_its_new() -> None:
    cat = catalogue.load(catalogue.bundled_path())
    details = {"noted_at": AT.isoformat(), "was": "old", "text": "new"}
    told = reverted(cat, "note_edit", "take-ml-courses", details, "undo")
    assert (told.rank, told.title, told.before, told.after) == (3, cat.step(3).title, "old", "new")


def test_members_count_each_identity_added_and_hold_nothing_but_identities() -> None:
    from mlpath.core.members import Members

    members = Members()
    for seq in (3, 1, 2):
        members.add_id("m", seq)
    assert len(members) == 3
    assert ("m", 2) in members and ("m", 4) not in members
    # Only an Event or a (machine, seq) tuple is asked about; anything else is not one.
    assert ["m", 2] not in members
    assert "m" not in members and None not in members


def test_a_deleted_note_put_back_and_deleted_again_read_as_the_screen_says_them() -> None:
    cat = catalogue.load(catalogue.bundled_path())
    step = cat.step(3)
    details = {"noted_at": AT.isoformat(), "text": "first"}
    back = reverted(cat, "note_delete", step.id, details, "undo")
    again = reverted(cat, "note_delete", step.id, details, "redo")
    assert back == Outcome("note_back", 3, step.title, "first", "first", True)
    assert again == Outcome("note", 3, step.title, "first", None, True)
