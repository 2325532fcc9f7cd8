"""The import rule of docs/design.md, checked by walking every module's imports with ast.

The pure core (the learner's state, the history, the tracker, the flow rule and the
advice built on it) imports no file, no clock, no terminal and no command line: no store
module, no view, no cli, no typer, no rich. The store never imports a view or the cli.
A new module must be given its layer here, so that the rule cannot be dodged by omission.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "mlpath"

CORE = {"progress", "history", "reverting", "tracker", "flow", "advice", "learning", "channels"}
STORE = {
    "store",
    "historyfile",
    "migrate",
    "backups",
    "doctor",
    "fileio",
    "exchange",
    "sync",
    "syncrepo",
    "syncconfig",
    "gitcli",
    "cohort",
    "site",  # writes the files of a Jekyll site, through fileio
}
# Everything else is a view, the command line, or shared vocabulary (errors, catalogue,
# safe, args, usage, jsonkeys, localtime) that any layer may use.
FORBIDDEN_FOR_CORE = {"typer", "rich", "click", "os", "pathlib", "subprocess", "time"}
VIEWS = {"views", "screen", "flowmap", "journal", "nextview", "syncviews", "prompts"}
VIEWS |= {"svg", "card", "mapsvg", "activity", "page"}


def imports(module: str) -> set[str]:
    """Every module `module` imports, anywhere in its body: 'mlpath.x' as 'x', others by
    their top-level name."""
    tree = ast.parse((SRC / f"{module}.py").read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                found.add(parts[1] if parts[0] == "mlpath" and len(parts) > 1 else parts[0])
        elif isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[0] == "mlpath" and len(parts) == 1:
                found.update(alias.name for alias in node.names)
            elif parts[0] == "mlpath":
                found.add(parts[1])
            else:
                found.add(parts[0])
    return found


def test_the_core_is_pure() -> None:
    for module in CORE:
        bad = imports(module) & (STORE | VIEWS | {"cli"} | FORBIDDEN_FOR_CORE)
        assert not bad, f"{module} (core) imports {sorted(bad)}"


def test_the_store_never_imports_a_view_or_the_cli() -> None:
    known_debt = {"cohort": {"views"}}  # one notice printed from inside: docs/design.md
    for module in STORE:
        bad = imports(module) & (VIEWS | {"cli"}) - known_debt.get(module, set())
        assert not bad, f"{module} (store) imports {sorted(bad)}"


def test_views_never_touch_the_store() -> None:
    writers = {"store", "historyfile", "migrate", "doctor", "sync", "syncrepo", "gitcli"}
    known_debt = {"views": {"backups", "doctor", "store"}, "syncviews": {"sync"}}
    for module in VIEWS:
        bad = imports(module) & (writers | {"backups", "cli"}) - known_debt.get(module, set())
        assert not bad, f"{module} (view) imports {sorted(bad)}"


def test_every_module_has_a_layer_or_is_shared_vocabulary() -> None:
    shared = {"__init__", "__main__", "cli", "errors", "catalogue", "safe", "args", "usage"}
    shared |= {"jsonkeys", "localtime"}
    modules = {path.stem for path in SRC.glob("*.py")}
    unplaced = modules - CORE - STORE - VIEWS - shared
    assert not unplaced, f"give these modules a layer in tests/test_layers.py: {unplaced}"


def test_the_walker_sees_imports_inside_functions() -> None:
    # The rule would be empty if the walker missed the lazy imports mlpath uses for speed.
    assert "store" in imports("doctor") and "pydantic" in imports("history")
