"""The application layer's fast road: the read commands answered from the store's read
cache (store/readcache.py), for cli/first.py, before typer, pydantic or the history are
imported. What it answers is printed by the same views as the full road (mlpath.app), from
the same plain data (views/readmodel.py); whatever it cannot answer for certain (a cache
that misses, a number out of range, a skill question that may be asked) it leaves to the
full road.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def answer(found: dict[str, Any]) -> Callable[[], None] | None:
    """What to print for a parsed command (cli/first.parse), as a function to call, or None
    for the full road."""
    from mlpath.store import layout, readcache

    home = layout.home_text()
    if home is None:
        return None
    chosen, bundled = layout.catalogue_text(found["catalogue"])
    catalogue = os.path.abspath(chosen)
    model = readcache.load(home, catalogue, bundled)
    if model is None:
        return None
    try:
        return _shown(found, model)
    except Exception:  # a model the views cannot read is a miss: the full road decides
        return None


def _number(text: str, top: int) -> int | None:
    """A number as the full road reads it, in the plain form only: '3', never '03' or ' 3'
    (those, and every number out of range, go to the full road, which says what is wrong)."""
    if not (text.isascii() and text.isdigit()) or text[0] == "0" or len(text) > 6:
        return None
    value = int(text)
    return value if value <= top else None


def _shown(found: dict[str, Any], model: dict[str, Any]) -> Callable[[], None] | None:
    """What to print, as a function to call, or None for the full road. Each command imports
    only the views it prints with: every module is a file to find, read and run."""
    from mlpath.views.streams import print_json

    command, as_json = found["command"], found["json"]
    if command == "list":
        from mlpath.views import standing

        return (
            (lambda: print_json(standing.list_json(model)))
            if as_json
            else (lambda: standing.show_list(model))
        )
    if command == "show":
        from mlpath.views import readmodel

        rank = _number(found["step"], readmodel.total(model))
        if rank is None:
            return None
        from mlpath.views import standing

        return (
            (lambda: print_json(standing.step_json(model, rank)))
            if as_json
            else (lambda: standing.show_step(model, rank))
        )
    from mlpath.views import readmodel

    if command == "status":
        from mlpath.views import standing

        if as_json:
            return lambda: print_json(standing.status_json(model, model["skill"]))
        skill, source = readmodel.skill_of(model)
        best = readmodel.best(model, skill, source)
        return lambda: standing.show_status(model, skill, source, best)
    if found["skill"] is not None:
        value = _number(found["skill"], 10)
        if value is None:
            return None
        skill, source = value, "option"
    else:
        from mlpath.views import screen

        asks = not as_json and screen.interactive()
        if asks and readmodel.unknown(model):  # the skill question: views/prompts.py
            return None
        skill, source = readmodel.skill_of(model)
    from mlpath.views import nextview

    suggestion = readmodel.advise(model, skill, source, whole=found["all"])
    everything = found["all"]
    if as_json:
        data = nextview.next_json(model, suggestion, source, everything=everything)
        return lambda: print_json(data)
    return lambda: nextview.show_advice(model, source, suggestion, everything)
