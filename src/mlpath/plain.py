"""Light stand-ins for `typing`'s machinery, for the modules on the read path.

Importing `typing` costs more than the whole of a fast `mlpath status`, so a module that a
reading command imports writes

    TYPE_CHECKING = False
    if TYPE_CHECKING:
        from typing import NamedTuple
    else:
        from mlpath.plain import NamedTuple

mypy reads the first branch (it takes any name TYPE_CHECKING as true); Python runs the
second. `class Point(NamedTuple): x: int; y: int = 0` then makes a tuple subclass with
what mlpath uses of typing's: fields by name and by position, defaults, keywords,
`_fields`, `_replace`, `_asdict`, equality and hashing as tuples, and the same repr, without
evaluating an annotation. Not collections.namedtuple: importing collections and building a
class from its template cost the fast road a fifth of Python's start-up
(tests/test_plain.py holds the two to the same behaviour).
"""

from _operator import itemgetter

TYPE_CHECKING = False

_OWN = {"__annotations__", "__module__", "__qualname__", "__orig_bases__", "__classcell__"}


def _maker(fields: tuple[str, ...], defaults: dict[str, object]) -> object:
    count = len(fields)

    def __new__(cls: type, *args: object, **named: object) -> tuple[object, ...]:
        if len(args) == count and not named:
            return tuple.__new__(cls, args)
        if len(args) > count:
            raise TypeError(f"{cls.__name__} takes {count} fields, not {len(args)}")
        values = list(args)
        for field in fields[len(args) :]:
            if field in named:
                values.append(named.pop(field))
            elif field in defaults:
                values.append(defaults[field])
            else:
                raise TypeError(f"{cls.__name__} needs {field!r}")
        if named:
            raise TypeError(f"{cls.__name__} has no field {next(iter(named))!r}")
        return tuple.__new__(cls, values)

    return __new__


def _repr(self: tuple[object, ...]) -> str:
    shown = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True))  # type: ignore[attr-defined]
    return f"{type(self).__name__}({shown})"


def _replace(self: tuple[object, ...], **changes: object) -> tuple[object, ...]:
    values = [changes.pop(name, value) for name, value in zip(self._fields, self, strict=True)]  # type: ignore[attr-defined]
    if changes:
        raise ValueError(f"no such fields: {sorted(changes)}")
    return tuple.__new__(type(self), values)


def _asdict(self: tuple[object, ...]) -> dict[str, object]:
    return dict(zip(self._fields, self, strict=True))  # type: ignore[attr-defined]


def _getnewargs(self: tuple[object, ...]) -> tuple[object, ...]:
    return tuple(self)


class _Maker(type):
    def __new__(cls, name: str, bases: tuple[type, ...], space: dict[str, object]) -> type:
        annotations: dict[str, object] = space.get("__annotations__", {})  # type: ignore[assignment]
        fields = tuple(annotations)
        defaults = {field: space[field] for field in fields if field in space}
        body: dict[str, object] = {
            "__slots__": (),
            "__module__": space["__module__"],
            "__qualname__": space.get("__qualname__", name),
            "__doc__": space.get("__doc__") or f"{name}({', '.join(fields)})",
            "_fields": fields,
            "_field_defaults": defaults,
            "__new__": _maker(fields, defaults),
            "__repr__": _repr,
            "_replace": _replace,
            "_asdict": _asdict,
            "__getnewargs__": _getnewargs,
            "__match_args__": fields,
        }
        for index, field in enumerate(fields):
            body[field] = property(itemgetter(index), doc=f"Alias for field number {index}")
        for key, value in space.items():
            if key not in _OWN and key not in fields and key != "__doc__":
                body[key] = value
        return type.__new__(type, name, (tuple,), body)


NamedTuple = type.__new__(_Maker, "NamedTuple", (), {})


# -- records: the catalogue's and the state's plain data ------------------------------------
#
# pydantic validates what enters from files (store/catalogueschema.py,
# store/progressschema.py); what it accepts becomes these records, which the core works on.
# A Record is a class with fields by keyword, defaults (a list or dict default is a new one
# for each record), equality by type and fields, a repr, and `frozen=True` for records that
# may not change (with a hash); replace() copies one with some fields changed. Importing
# pydantic costs a change nine times Python's start-up, and a catalogue or a snapshot that
# the doors cache (store/doorcache.py) knows needs none of it.

if TYPE_CHECKING:
    from typing import ClassVar, dataclass_transform
else:

    def dataclass_transform(**_: object) -> object:
        return lambda made: made


def _init(fields: tuple[str, ...], defaults: dict[str, object]) -> object:
    def __init__(self: object, **values: object) -> None:
        own = self.__dict__
        for field in fields:
            if field in values:
                own[field] = values.pop(field)
            elif field in defaults:
                value = defaults[field]
                own[field] = value.copy() if type(value) in (list, dict) else value  # type: ignore[attr-defined]
            else:
                raise TypeError(f"{type(self).__name__} needs {field!r}")
        if values:
            raise TypeError(f"{type(self).__name__} has no field {next(iter(values))!r}")

    return __init__


def _equal(self: object, other: object) -> object:
    if type(other) is not type(self):
        return NotImplemented
    fields: tuple[str, ...] = self._fields  # type: ignore[attr-defined]
    return all(bool(self.__dict__[f] == other.__dict__[f]) for f in fields)


def _record_repr(self: object) -> str:
    shown = ", ".join(f"{f}={self.__dict__[f]!r}" for f in self._fields)  # type: ignore[attr-defined]
    return f"{type(self).__name__}({shown})"


def _frozen_set(self: object, name: str, value: object) -> None:
    raise AttributeError(f"{type(self).__name__} is frozen: {name} cannot be set")


def _hash(self: object) -> int:
    return hash(tuple(self.__dict__[f] for f in self._fields))  # type: ignore[attr-defined]


@dataclass_transform(kw_only_default=True)
class _RecordType(type):
    def __new__(
        cls, name: str, bases: tuple[type, ...], space: dict[str, object], frozen: bool = False
    ) -> type:
        annotations: dict[str, object] = space.get("__annotations__", {})  # type: ignore[assignment]
        fields = tuple(f for f, kind in annotations.items() if "ClassVar" not in str(kind))
        defaults = {field: space.pop(field) for field in fields if field in space}
        space.update(
            _fields=fields,
            _defaults=defaults,
            __init__=_init(fields, defaults),
            __eq__=_equal,
            __repr__=_record_repr,
            __match_args__=fields,
        )
        if frozen:
            space.update(__setattr__=_frozen_set, __delattr__=_frozen_set, __hash__=_hash)
        else:
            space["__hash__"] = None
        return type.__new__(cls, name, bases, space)


class Record(metaclass=_RecordType):
    """The base of a plain record: see above."""

    _fields: "ClassVar[tuple[str, ...]]"
    _defaults: "ClassVar[dict[str, object]]"


def fields(record: Record) -> dict[str, object]:
    """A record's fields by name, in their order."""
    own = record.__dict__
    return {field: own[field] for field in record._fields}


def replace(record: "R", **changes: object) -> "R":
    """A copy of `record` with `changes` (ValueError for a field it does not have)."""
    unknown = set(changes) - set(record._fields)
    if unknown:
        raise ValueError(f"no such fields: {sorted(unknown)}")
    return type(record)(**{**fields(record), **changes})


if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import TypeVar

    R = TypeVar("R", bound=Record)


def made(kind: "type[R]", values: "Iterable[object]") -> "R":
    """A record of `kind` from its fields' values in order, as a cache packed them: no
    defaults, no checks (ValueError when their count is not the fields')."""
    record = object.__new__(kind)
    record.__dict__.update(zip(kind._fields, values, strict=True))
    return record
