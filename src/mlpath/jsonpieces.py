"""What the templates of `log --json` and `export` share, for a text written an event at a
time: a string quoted as safe.json_nested quotes it, an event's time quoted once for the
events of one command, and a chunk of events escaped at once."""

from __future__ import annotations

from datetime import datetime
from json.encoder import encode_basestring as quote

from mlpath import safe

__all__ = ["Times", "escaped_all", "quote"]


class Times:
    """Quoted times, the last one remembered: the events of one command share their time,
    one object (eventrules keeps the last it read)."""

    __slots__ = ("_at", "_text")

    def __init__(self) -> None:
        self._at: datetime | None = None
        self._text = ""

    def quoted(self, at: datetime) -> str:
        if at is not self._at:
            self._at, self._text = at, quote(at.isoformat())
        return self._text


def escaped_all(pieces: list[str]) -> str:
    """safe.json_escaped("".join(pieces)): one check in C of the whole, and each piece
    escaped alone only when something is hidden in the whole (whether a character is
    hidden, and how it is escaped, is the character's own affair)."""
    whole = "".join(pieces)
    if safe.json_plain(whole):
        return whole
    return "".join(map(safe.json_escaped, pieces))
