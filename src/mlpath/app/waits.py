"""Work that makes the learner wait, and saying so: a command that reads or replays BIG
events or more says what it is doing, on a terminal (views/screens.working), so that a wait
of a second or more is never silent."""

from __future__ import annotations

from collections.abc import Callable

from mlpath.store import layout

Say = Callable[[str], None]
BIG = 20_000  # events: past this, reading and replaying them takes a second or more


def long_history() -> bool:
    """Whether the history holds BIG events or more (by its size, ~200 bytes an event), so
    that a command about to replay it all says so first; False when it cannot be read (the
    command itself then says why)."""
    try:
        return layout.paths().history.stat().st_size > BIG * 200
    except OSError:
        return False
