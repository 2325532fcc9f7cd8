"""The learning model (learning.py) and the eight channels (channels.py): pure, so tested
as functions: tables, golden points, and properties."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlpath.core import channels, learning
from mlpath.core.learning import Felt

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def at(n: int) -> datetime:
    return T0 + timedelta(hours=n)


ratings = st.integers(1, 10)
reports = st.lists(ratings, min_size=1, max_size=12)


# -- skill -----------------------------------------------------------------------------------


def test_no_rating_and_no_checkin_is_no_skill() -> None:
    assert learning.skill(None, None, []) is None


def test_a_rating_alone_is_the_skill() -> None:
    assert learning.skill(4, at(0), []) == (4.0, 0, True)
    assert learning.skill(4, None, []) == (4.0, 0, True)  # a rating from before check-ins


def test_the_newest_report_weighs_most() -> None:
    # 4 then 5: (0.6 * 4 + 5) / 1.6 = 4.625, shown 4.6; the other order leans to 4.
    assert learning.skill(None, None, [(at(0), 4), (at(1), 5)]) == (4.6, 2, False)
    assert learning.skill(None, None, [(at(0), 5), (at(1), 4)]) == (4.4, 2, False)


def test_a_rating_newer_than_the_checkins_weighs_most() -> None:
    # (0.36 * 4 + 0.6 * 4 + 8) / 1.96 = 6.04; the other way (0.36 * 8 + 0.6 * 4 + 4) / 1.96.
    assert learning.skill(8, at(5), [(at(0), 4), (at(1), 4)]) == (6.0, 2, True)
    assert learning.skill(8, at(0), [(at(1), 4), (at(2), 4)]) == (4.7, 2, True)


def test_old_reports_fade() -> None:
    old = [(at(n), 1) for n in range(10)]
    recent = [(at(10 + n), 7) for n in range(12)]
    assert learning.skill(None, None, old + recent) == (7.0, learning.RECENT, False)


@given(reports, st.none() | ratings)
def test_skill_stays_within_1_to_10_and_within_what_was_said(
    said: list[int], rated: int | None
) -> None:
    found = learning.skill(rated, at(-1), [(at(n), v) for n, v in enumerate(said)])
    assert found is not None
    values = said + ([rated] if rated is not None else [])
    assert 1 <= min(values) <= found.value <= max(values) <= 10
    assert found.value == round(found.value, 1)


@given(reports, ratings)
def test_skill_moves_the_way_a_checkin_says(said: list[int], new: int) -> None:
    before = learning.skill(None, None, [(at(n), v) for n, v in enumerate(said)])
    after = learning.skill(None, None, [(at(n), v) for n, v in enumerate([*said, new])])
    assert before is not None and after is not None
    if new > before.value:
        assert after.value >= before.value
    if new < before.value:
        assert after.value <= before.value


@given(reports, ratings, st.integers(1, 14))
def test_skill_settles_when_checkins_agree(said: list[int], steady: int, agree: int) -> None:
    """k agreeing reports leave at most DECAY**k of the weight to the earlier ones."""
    agreed = [*said, *[steady] * agree]
    found = learning.skill(None, None, [(at(n), v) for n, v in enumerate(agreed)])
    assert found is not None
    assert abs(found.value - steady) <= 9 * learning.DECAY**agree + 0.05
    if agree >= 12:
        assert found.value == steady


# -- how the steps feel ----------------------------------------------------------------------

CATALOGUE = [1, 2, 4, 5, 7, 8, 10]


def felt(
    checkins: dict[int, list[int]], rated: dict[int, tuple[int, int]] | None = None
) -> list[Felt]:
    rated = rated or {}
    return [
        Felt(
            c,
            rated[i][0] if i in rated else None,
            at(rated[i][1]) if i in rated else None,
            [(at(n), v) for n, v in enumerate(checkins.get(i, []))],
        )
        for i, c in enumerate(CATALOGUE)
    ]


def test_with_nothing_said_every_step_is_the_catalogues() -> None:
    assert learning.challenges(felt({})) == [(float(c), "catalogue") for c in CATALOGUE]


def test_a_rating_without_checkins_is_the_rating() -> None:
    assert learning.challenges(felt({}, {2: (6, 0)}))[2] == (6.0, "rated")


def test_a_checkin_after_a_rating_wins_and_a_newer_rating_wins_back() -> None:
    assert learning.challenges(felt({2: [7]}, {2: (3, -1)}))[2] == (7.0, "checkin")
    assert learning.challenges(felt({2: [7]}, {2: (3, 5)}))[2] == (3.0, "rated")


def test_untried_steps_are_predicted_shrunk_toward_the_catalogue() -> None:
    # Step 3 (catalogue 4) felt 6 twice: +2, times 2 / (2 + 3) = +0.8 for the others.
    found = learning.challenges(felt({2: [6, 6]}))
    assert found[2] == (6.0, "checkin")
    assert found[0] == (1.8, "predicted")
    assert found[3] == (5.8, "predicted")
    assert found[6] == (10.0, "predicted")  # never above 10


def test_more_checkins_move_the_prediction_further() -> None:
    few = learning.challenges(felt({2: [6]}))[3][0]
    many = learning.challenges(felt({2: [6] * 12}))[3][0]
    assert CATALOGUE[3] < few < many <= CATALOGUE[3] + 2


checkin_maps = st.dictionaries(
    st.integers(0, 6), st.lists(ratings, min_size=1, max_size=6), max_size=7
)


@given(checkin_maps)
def test_challenges_stay_within_1_to_10_and_replay_the_same(said: dict[int, list[int]]) -> None:
    found = learning.challenges(felt(said))
    assert found == learning.challenges(felt(said))  # no clock, no randomness
    for value, source in found:
        assert 1 <= value <= 10 and value == round(value, 1)
        assert source in ("catalogue", "checkin", "predicted")


@given(st.integers(0, 6), st.integers(1, 12), st.booleans())
def test_predictions_move_the_way_the_checkins_say(tried: int, count: int, harder: bool) -> None:
    """Check-ins that all say a step is harder than the catalogue says make no untried step
    feel easier than the catalogue says; all easier, none harder."""
    found = learning.challenges(felt({tried: [10 if harder else 1] * count}))
    for i, (value, source) in enumerate(found):
        if i != tried:
            assert source == "predicted"
            assert value >= CATALOGUE[i] if harder else value <= CATALOGUE[i]


# -- the eight channels ------------------------------------------------------------------------


def point(degrees: float) -> tuple[float, float]:
    rad = math.radians(degrees)
    return math.cos(rad), math.sin(rad)


@pytest.mark.parametrize(
    ("degrees", "name"),
    [
        (0, "control"),
        (45, "flow"),
        (90, "arousal"),
        (135, "anxiety"),
        (180, "worry"),
        (225, "apathy"),
        (270, "boredom"),
        (315, "relaxation"),
        (-90, "boredom"),
        (-45, "relaxation"),
    ],
)
def test_golden_points_at_the_middle_of_each_sector(degrees: float, name: str) -> None:
    assert channels.channel(*point(degrees)) == name


@pytest.mark.parametrize(
    ("degrees", "name"),
    [
        (-22.5, "control"),  # a sector holds its lower boundary
        (22.5, "flow"),
        (67.5, "arousal"),
        (112.5, "anxiety"),
        (157.5, "worry"),
        (202.5, "apathy"),
        (247.5, "boredom"),
        (292.5, "relaxation"),
        (337.5, "control"),
        (22.4, "control"),
        (67.4, "flow"),
        (337.4, "relaxation"),
    ],
)
def test_golden_points_on_and_beside_the_boundaries(degrees: float, name: str) -> None:
    assert channels.channel(*point(degrees)) == name


def test_the_point_at_both_means_counts_as_control() -> None:
    assert channels.channel(0.0, 0.0) == "control"


def test_fewer_than_eight_checkins_are_not_classified() -> None:
    seven = [(c, s) for c, s in zip(range(1, 8), range(7, 0, -1), strict=True)]
    assert channels.classify(seven) is None
    assert channels.classify([*seven, (5, 5)]) is not None


def test_no_variation_is_not_classified() -> None:
    assert channels.classify([(5, s) for s in range(1, 9)]) is None  # challenge never varies
    assert channels.classify([(c, 3) for c in range(1, 9)]) is None  # skill never varies


def test_the_learners_own_means_decide() -> None:
    # Someone who always says high numbers: their highest challenge with their highest
    # skill is flow, though every figure is high.
    said = [(8, 8), (9, 9), (8, 9), (9, 8), (8, 8), (9, 9), (8, 9), (9, 8), (10, 10)]
    named = channels.classify(said)
    assert named is not None and named[-1] == "flow"
    assert sum(channels.counts(named).values()) == len(said)
    assert list(channels.counts(named)) == list(channels.CHANNELS)


@given(st.lists(st.tuples(ratings, ratings), min_size=8, max_size=30))
def test_every_checkin_gets_one_of_the_eight_channels(said: list[tuple[int, int]]) -> None:
    named = channels.classify(said)
    if named is not None:
        assert len(named) == len(said) and set(named) <= set(channels.CHANNELS)
