"""The spool's edges (store/spool.py): what an empty one gives, what is in one and what is
not, and what it says when asked for an event it does not keep."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from mlpath.store import spool
from tests.test_import_scale import events, fields


def test_an_empty_spool_has_no_first_or_last_event_and_reaches_nothing() -> None:
    with spool.Spooled() as kept:
        for index in (0, -1):
            with pytest.raises(IndexError, match=r"only its first and last event, not \["):
                kept[index]
        assert kept.reach("aaaaaaaaaaaa") == (0, 0)


def test_an_event_is_in_a_spool_only_if_an_event_of_its_identity_was_added() -> None:
    given = events(3)
    other = events(3, machine="bbbbbbbbbbbb")
    with spool.Spooled() as kept:
        assert given[0] not in kept  # empty
        for event in given[:2]:
            kept.add(event)
        assert given[0] in kept and given[1] in kept
        assert given[2] not in kept and other[0] not in kept
        assert given[0].id not in kept  # an identity alone is not an event


def test_a_spool_of_one_batch_or_less_never_touches_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))  # any file: an error
    given = events(spool.BATCH)
    with spool.Spooled() as kept:
        for event in given:
            kept.add(event)
        assert [fields(e) for e in kept] == [fields(e) for e in given]
        assert [fields(e) for e in kept] == [fields(e) for e in given]  # read again


def test_a_spool_misused_says_how() -> None:
    with spool.Spooled() as kept:
        kept.add(events(1)[0])
        reading = iter(kept)
        next(reading)
        with pytest.raises(RuntimeError, match=r"^a spool read by two readers at once$"):
            next(iter(kept))
        with pytest.raises(RuntimeError, match=r"^events added to a spool while it is read$"):
            kept.add(events(2)[1])
        assert list(reading) == []  # read to its end: the reader is done
    with pytest.raises(RuntimeError, match=r"^a closed spool read$"):
        next(iter(kept))
    with pytest.raises(RuntimeError, match=r"^events added to a closed spool$"):
        kept.add(events(2)[1])
