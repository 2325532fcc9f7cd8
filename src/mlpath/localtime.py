"""Times as the learner's clock shows them, in the zone that TZ names."""

from __future__ import annotations

import os
from datetime import datetime

from mlpath.errors import UsageError


def local(at: datetime) -> datetime:
    """`at` in the local time zone. The C library reads TZ; one with an offset of a day or
    more (TZ=UTC+99999) makes Python's conversion fail, and is refused in one line."""
    try:
        return at.astimezone()
    except (ValueError, OverflowError, OSError):
        zone = os.environ.get("TZ", "")
        raise UsageError(
            f"TZ={zone[:40]!r} is not a time zone mlpath can use (an offset of a day or more); "
            "unset it, or name a zone such as TZ=Europe/Berlin"
        ) from None
