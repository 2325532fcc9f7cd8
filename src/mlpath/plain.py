"""Light stand-ins for `typing`'s machinery, for the modules on the read path.

Importing `typing` costs more than the whole of a fast `mlpath status`, so a module that a
reading command imports writes

    TYPE_CHECKING = False
    if TYPE_CHECKING:
        from typing import NamedTuple
    else:
        from mlpath.plain import NamedTuple

mypy reads the first branch (it takes any name TYPE_CHECKING as true); Python runs the
second. `class Point(NamedTuple): x: int; y: int = 0` then makes the same
collections.namedtuple that typing would, methods and properties included, without
evaluating an annotation.
"""

from collections import namedtuple

_OWN = {"__annotations__", "__module__", "__qualname__", "__orig_bases__", "__classcell__"}


class _Maker(type):
    def __new__(cls, name: str, bases: tuple[type, ...], space: dict[str, object]) -> type:
        fields = list(space.get("__annotations__", {}))  # type: ignore[call-overload]
        defaults = [space[field] for field in fields if field in space]
        made: type = namedtuple(name, fields, defaults=defaults, module=str(space["__module__"]))  # type: ignore[misc]
        for key, value in space.items():
            if key not in _OWN and key not in fields:
                setattr(made, key, value)
        made.__qualname__ = str(space.get("__qualname__", name))
        return made


NamedTuple = type.__new__(_Maker, "NamedTuple", (), {})
