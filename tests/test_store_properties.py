"""Properties of the store's loaders, over generated states and arbitrary input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlpath.core.progress import MAX_MINUTES, CheckIn, PathProgress, Progress, Status, StepProgress
from mlpath.errors import StoreError
from mlpath.store import historyfile, migrate, progressfile

PATH = Path("progress.toml")
slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
ratings = st.none() | st.integers(1, 10)
# Any aware moment, in any whole-minute offset: loading must keep it exactly.
moments = st.builds(
    lambda dt, minutes: dt.replace(tzinfo=UTC).astimezone(timezone(timedelta(minutes=minutes))),
    st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(9998, 1, 1)),
    st.integers(-12 * 60, 14 * 60),
)
checkins = st.builds(
    CheckIn,
    at=moments,
    challenge=st.integers(1, 10),
    skill=st.integers(1, 10),
    minutes=st.none() | st.integers(0, MAX_MINUTES),
)
step_states = st.builds(
    StepProgress,
    status=st.sampled_from(Status),
    changed=st.none() | moments,
    challenge=ratings,
    rated_at=st.none() | moments,
    checkins=st.lists(checkins, max_size=3),
)
path_states = st.builds(
    PathProgress,
    skill=ratings,
    skill_at=st.none() | moments,
    last_activity=st.none() | moments,
    steps=st.dictionaries(slugs, step_states, max_size=6),
)
states = st.builds(Progress, paths=st.dictionaries(slugs, path_states, max_size=3))
marks = st.builds(
    progressfile.Mark,
    events=st.integers(0, 10**9),
    bytes=st.integers(0, 10**12),
    last=st.text("0123456789abcdef", max_size=16),
    clock=st.integers(0, 10**14),
    seq=st.integers(0, 10**9),
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # behaviour, not speed
@given(states, marks)
def test_any_valid_store_survives_save_then_load(
    progress: Progress, mark: progressfile.Mark
) -> None:
    assert progressfile.parse_snapshot(PATH, progressfile.dump(progress, mark)) == (
        progress,
        mark,
        migrate.CURRENT,
    )


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # behaviour, not speed
@given(st.binary(max_size=400))
def test_any_bytes_end_in_our_own_error(data: bytes) -> None:
    try:
        progressfile.parse_snapshot(
            PATH, data
        )  # the rare valid document is fine; any other exception fails
    except StoreError as exc:
        assert str(exc).startswith(f"{PATH}")


toml_ish = st.lists(
    st.sampled_from(
        [
            "schema_version = 1",
            "schema_version = 9",
            "schema_version = true",
            "[history]",
            "events = -1",
            "bytes = 3",
            "[paths.a]",
            "skill = 11",
            "skill = 4",
            "[paths.a.steps.b]",
            'status = "done"',
            "status = 1",
            "changed = 1979-05-27T07:32:00Z",
            "changed = 1979-05-27",
            "x = [",
            "challenge = 0",
            '"quoted" = 1',
            "",
        ]
    ),
    max_size=10,
).map("\n".join)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # behaviour, not speed
@given(toml_ish)
def test_near_valid_documents_end_in_our_own_error(text: str) -> None:
    try:
        progressfile.parse_snapshot(PATH, text.encode())
    except StoreError as exc:
        assert str(exc).startswith(f"{PATH}")


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # behaviour, not speed
@given(st.binary(max_size=400))
def test_any_history_bytes_end_in_our_own_error(data: bytes) -> None:
    try:
        historyfile.parse(Path("history.jsonl"), data)
    except StoreError as exc:
        assert str(exc).startswith("history.jsonl: damaged at line ")
