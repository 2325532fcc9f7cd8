"""A JSON document read as it arrives: its top-level object's members, one list of them
element by element, so that an import of a million events never holds the whole document.

Each value is decoded by the standard library's C scanner (NaN, Infinity and numbers too
large for a float refused) from a window of the text that grows only as far as one value
needs; whitespace and the punctuation between values are read here. A value is decoded
only once the window holds what follows it, so that a number is never cut at a window's
edge.
"""

from __future__ import annotations

import codecs
import json
import json.scanner
from collections.abc import Callable, Iterator
from typing import IO, Any

from mlpath.core.history import finite
from mlpath.errors import MlpathError
from mlpath.store.fileio import TOO_DEEP, MiB

WINDOW = MiB
_SPACE = " \t\n\r"


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


_scan = json.scanner.make_scanner(
    json.JSONDecoder(parse_constant=_constant, parse_float=finite)  # type: ignore[arg-type]
)


class Source:
    """The text of `handle`, UTF-8, at most `limit` bytes; `fail` makes the error to raise,
    from a message that goes after the source's name."""

    def __init__(self, handle: IO[bytes], limit: int, fail: Callable[[str], MlpathError]) -> None:
        self.handle = handle
        self.limit = limit
        self.fail = fail
        self.text = ""
        self.pos = 0
        self.read = 0  # bytes read
        self.passed = 0  # characters dropped from the window
        self.eof = False
        self.size = 0  # characters of the last value decoded
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def more(self, at_least: int = WINDOW) -> bool:
        """Read more into the window (dropping what was read); False at the end."""
        if self.eof:
            return False
        data = self.handle.read(max(at_least, WINDOW))
        self.read += len(data)
        if self.read > self.limit:
            raise self.fail(f"larger than {self.limit // MiB} MiB, the limit for exports")
        try:
            text = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            start = self.read - len(data) + exc.start + 1
            raise self.fail(f"not UTF-8 text (byte {start} cannot be read)") from None
        self.passed += self.pos
        self.text = self.text[self.pos :] + text
        self.pos = 0
        self.eof = not data
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end), not consumed."""
        while True:
            text, pos = self.text, self.pos
            while pos < len(text) and text[pos] in _SPACE:
                pos += 1
            self.pos = pos
            if pos < len(text) or not self.more():
                return text[pos] if pos < len(text) else ""

    def expect(self, chars: str) -> str:
        found = self.peek()
        if not found or found not in chars:
            where = f"character {self.passed + self.pos + 1}"
            said = f"found {found!r}" if found else "the text ends"
            raise self.fail(
                f"not JSON: expected {' or '.join(map(repr, chars))} at {where}, {said}"
            )
        self.pos += 1
        return found

    def value(self) -> Any:
        """The next value, decoded; the window grows until it holds all of it."""
        self.peek()
        while True:
            try:
                found, end = _scan(self.text, self.pos)
            except RecursionError:
                raise self.fail(TOO_DEEP) from None
            except (StopIteration, ValueError) as exc:
                if self.more(len(self.text)):
                    continue
                raise self.fail(
                    f"not JSON: {_reason(exc)} (at character {self._at(exc)})"
                ) from None
            if end == len(self.text) and self.more(len(self.text)):
                continue  # a number may go on in what is not read yet
            self.size = end - self.pos
            self.pos = end
            return found

    def _at(self, exc: Exception) -> int:
        pos = exc.pos if isinstance(exc, json.JSONDecodeError) else self.pos
        return self.passed + pos + 1

    def end(self) -> None:
        if self.peek():
            raise self.fail(
                f"not JSON: more after the document (at character {self._at(ValueError())})"
            )


def _reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return exc.msg
    return str(exc) if isinstance(exc, ValueError) else "a value was expected"


def members(source: Source, streamed: str) -> Iterator[tuple[str, Any]]:
    """The top-level object's members in order, (key, value); the member named `streamed`,
    when it is a list, as (key + "[]", element) for each of its elements, then (key, END)."""
    source.expect("{")
    if source.peek() == "}":
        source.pos += 1
        source.end()
        return
    while True:
        key = source.value()
        if not isinstance(key, str):
            raise source.fail("not JSON: a key that is not a string")
        source.expect(":")
        if key == streamed and source.peek() == "[":
            source.pos += 1
            if source.peek() == "]":
                source.pos += 1
            else:
                while True:
                    yield key + "[]", source.value()
                    if source.expect(",]") == "]":
                        break
            yield key, END
        else:
            yield key, source.value()
        if source.expect(",}") == "}":
            source.end()
            return


END = object()  # the streamed list has ended
