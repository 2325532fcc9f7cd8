"""mlpath.plain.NamedTuple behaves as typing.NamedTuple does, for what mlpath uses of it."""

from __future__ import annotations

import pickle
import sys
from typing import NamedTuple as Typed

import pytest

from mlpath.plain import NamedTuple as Light
from mlpath.plain import Record, fields, replace


class TypedPoint(Typed):
    """A point."""

    x: int
    y: str = "y"

    def both(self) -> str:
        return f"{self.x}{self.y}"


class LightPoint(Light):  # type: ignore[misc,valid-type]
    """A point."""

    x: int
    y: str = "y"

    def both(self) -> str:
        return f"{self.x}{self.y}"


@pytest.mark.parametrize(
    ("args", "named"), [((1, "a"), {}), ((1,), {}), ((), {"x": 2}), ((3,), {"y": "b"})]
)
def test_the_same_as_typing(args: tuple[object, ...], named: dict[str, object]) -> None:
    typed, light = TypedPoint(*args, **named), LightPoint(*args, **named)  # type: ignore[arg-type]
    assert tuple(light) == tuple(typed)
    assert (light.x, light.y, light[0], light.both()) == (typed.x, typed.y, typed[0], typed.both())
    assert repr(light).replace("Light", "Typed") == repr(typed)
    assert light._fields == typed._fields
    assert light._asdict() == typed._asdict()
    assert tuple(light._replace(y="z")) == tuple(typed._replace(y="z"))
    assert type(light._replace(y="z")) is LightPoint
    assert light == tuple(typed) and hash(light) == hash(tuple(typed))
    assert LightPoint.__doc__ == TypedPoint.__doc__
    assert LightPoint.__module__ == __name__


def test_refuses_what_typing_refuses() -> None:
    for bad in ((), (1, "a", "extra")):
        with pytest.raises(TypeError):
            TypedPoint(*bad)
        with pytest.raises(TypeError):
            LightPoint(*bad)
    with pytest.raises(TypeError):
        LightPoint(1, z=2)
    with pytest.raises(ValueError):
        LightPoint(1)._replace(z=2)
    with pytest.raises(AttributeError):
        LightPoint(1).x = 3
    with pytest.raises(AttributeError):
        LightPoint(1).other = 3


def test_pickles_and_matches() -> None:
    point = LightPoint(1, "b")
    assert pickle.loads(pickle.dumps(point)) == point
    assert LightPoint.__match_args__ == ("x", "y")


def test_imports_nothing() -> None:
    import subprocess

    code = (
        "import sys; import mlpath.plain; "
        "print(sorted(set(sys.modules) - before - set(sys.builtin_module_names)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", f"import sys; before = set(sys.modules); {code}"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "['mlpath', 'mlpath.plain']"


class Entry(Record):
    at: int
    notes: list[str] = []  # noqa: RUF012 (each Entry gets its own)
    seen: dict[str, int] = {}  # noqa: RUF012


class Fixed(Record, frozen=True):
    name: str
    rank: int = 1


def test_a_record_takes_its_fields_by_keyword_with_new_defaults_each_time() -> None:
    one, two = Entry(at=1), Entry(at=1)
    one.notes.append("x")
    one.seen["a"] = 1
    assert (two.notes, two.seen) == ([], {})
    assert Entry._fields == ("at", "notes", "seen")
    assert repr(one) == "Entry(at=1, notes=['x'], seen={'a': 1})"
    with pytest.raises(TypeError, match="needs 'at'"):
        Entry()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="no field 'other'"):
        Entry(at=1, other=2)  # type: ignore[call-arg]


def test_records_are_equal_by_type_and_fields() -> None:
    assert Entry(at=1) == Entry(at=1, notes=[])
    assert Entry(at=1) != Entry(at=2)
    assert Entry(at=1) != Entry(at=1, notes=["x"])
    assert Fixed(name="a") != Entry(at=1)  # type: ignore[comparison-overlap]
    assert Fixed(name="a", rank=1) == Fixed(name="a")


def test_a_frozen_record_cannot_change_and_hashes() -> None:
    fixed = Fixed(name="a")
    with pytest.raises(AttributeError, match="frozen"):
        fixed.name = "b"  # type: ignore[misc]
    assert hash(fixed) == hash(Fixed(name="a")) != hash(Fixed(name="b"))
    with pytest.raises(TypeError):
        hash(Entry(at=1))


def test_replace_copies_with_changes() -> None:
    fixed = Fixed(name="a", rank=3)
    assert replace(fixed, rank=4) == Fixed(name="a", rank=4)
    assert fixed.rank == 3
    assert fields(replace(fixed, name="b")) == {"name": "b", "rank": 3}
    with pytest.raises(ValueError, match="no such fields"):
        replace(fixed, other=1)
