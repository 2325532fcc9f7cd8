"""Upgrading progress files written by older versions of mlpath.

`UPGRADES[n]` turns a schema-n document into a schema-(n+1) one. They run in order, on the
raw TOML data, before validation. A schema bump is: raise CURRENT, add the upgrade, add the
old version's fixture file to tests/fixtures/ (the tests load every one of them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Document = dict[str, Any]

CURRENT = 2  # the schema version this mlpath writes
OLDEST = 1  # the oldest schema version it can upgrade from


def _v1_to_v2(raw: Document) -> Document:
    # Schema 2 adds per-step `notes` and per-resource `resources`. Both default to empty, so
    # a v1 document is already a valid v2 one; the bump exists so that an mlpath which
    # knows only v1 refuses a file with notes as newer, rather than reading it as damaged.
    return raw


UPGRADES: dict[int, Callable[[Document], Document]] = {1: _v1_to_v2}


class TooNew(Exception):
    pass


def upgrade(raw: Document, version: int) -> Document:
    """`raw` at schema `version`, upgraded step by step to CURRENT."""
    if version > CURRENT:
        raise TooNew(version)
    for step in range(version, CURRENT):
        raw = UPGRADES[step](raw)
        raw["schema_version"] = step + 1
    return raw
