"""Times as the learner's clock shows them, in the zone that TZ names."""

from __future__ import annotations

import os

from mlpath.errors import UsageError

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from datetime import datetime


def local(at: datetime) -> datetime:
    """`at` in the local time zone. The C library reads TZ; one with an offset of a day or
    more (TZ=UTC+99999) makes Python's conversion fail, and is refused in one line."""
    try:
        return at.astimezone()
    except (ValueError, OverflowError, OSError):
        raise _unusable() from None


def stamp(seconds: int | None) -> str:
    """'2026-03-01 14:05' in the local zone, from whole seconds since the epoch (as
    `local(at).strftime(...)` shows them, with the same refusal), or 'never'; without
    datetime, which the read path does not import."""
    if seconds is None:
        return "never"
    import time

    try:
        moment = time.localtime(seconds)
    except (ValueError, OverflowError, OSError):
        raise _unusable() from None
    if abs(moment.tm_gmtoff) >= 86_400:  # what datetime.timezone refuses
        raise _unusable()
    return time.strftime("%Y-%m-%d %H:%M", moment)


def _unusable() -> UsageError:
    zone = os.environ.get("TZ", "")
    return UsageError(
        f"TZ={zone[:40]!r} is not a time zone mlpath can use (an offset of a day or more); "
        "unset it, or name a zone such as TZ=Europe/Berlin"
    )
