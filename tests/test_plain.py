"""mlpath.plain.NamedTuple behaves as typing.NamedTuple does, for what mlpath uses of it."""

from __future__ import annotations

import pickle
import sys
from typing import NamedTuple as Typed

import pytest

from mlpath.plain import NamedTuple as Light


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
