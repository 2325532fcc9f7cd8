"""The import rule of docs/design.md, checked by walking every module's imports with ast.

A module's layer is the package it sits in: `mlpath.core` (pure: the learner's state, the
history, the flow rule and the advice built on it) imports no file, no clock, no terminal
and no command line; `mlpath.store` never imports a view or the command line; `mlpath.views`
never imports the store's writers. `mlpath.cli` parses and calls `mlpath.app`, the
application layer, which alone may use them all (but never the command line). The modules
left at the top are shared vocabulary, and each must be named here, so that the rule cannot
be dodged by putting a module beside them.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "mlpath"
LAYERS = ("core", "store", "views")
PACKAGES = (*LAYERS, "app", "cli")  # app: the application layer, between cli and the rest
FORBIDDEN_FOR_CORE = {"typer", "rich", "click", "os", "pathlib", "subprocess", "time", "shutil"}
SHARED = {"__init__", "__main__", "errors", "catalogue", "safe", "args", "usage", "jsonkeys"}
SHARED |= {"localtime", "plain", "jsonpieces"}
FAST = {"fastroad"}  # the fast road's application layer: the read commands before typer


def modules(layer: str) -> set[str]:
    return {p.stem for p in (SRC / layer).glob("*.py") if p.stem != "__init__"}


def imports(path: Path) -> set[str]:
    """Everything the module at `path` imports, anywhere in its body: `mlpath.core.x` as
    'core.x', a top-level mlpath module as its name, other packages by their top-level name."""
    tree = ast.parse(path.read_text())
    found: set[str] = set()

    def add(dotted: str) -> None:
        parts = dotted.split(".")
        if parts[0] != "mlpath":
            found.add(parts[0])
        elif len(parts) > 2 and parts[1] in LAYERS:
            found.add(f"{parts[1]}.{parts[2]}")
        elif len(parts) > 1:
            found.add(parts[1])

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module in {"mlpath", *(f"mlpath.{layer}" for layer in LAYERS)}:
                for alias in node.names:
                    add(f"{node.module}.{alias.name}")
            else:
                add(node.module)
    return found


def layer_of(name: str) -> str:
    return name.split(".")[0] if "." in name else name


def test_the_core_is_pure() -> None:
    for module in modules("core"):
        found = imports(SRC / "core" / f"{module}.py")
        bad = {n for n in found if layer_of(n) in {"store", "views", "cli", "app"}}
        bad |= found & FORBIDDEN_FOR_CORE
        assert not bad, f"core.{module} imports {sorted(bad)}"


def test_the_store_never_imports_a_view_or_the_cli() -> None:
    known_debt = {"cohort": {"views.screens"}}  # one notice printed from inside: docs/design.md
    for module in modules("store"):
        found = imports(SRC / "store" / f"{module}.py") - known_debt.get(module, set())
        bad = {n for n in found if layer_of(n) in {"views", "cli", "app", "typer", "rich"}}
        assert not bad, f"store.{module} imports {sorted(bad)}"


def test_views_never_touch_the_stores_writers() -> None:
    writers = {"record", "historyfile", "migrate", "doctor", "sync", "syncremote", "syncrepo"}
    writers |= {"gitcli"}
    writers = {f"store.{w}" for w in writers} | {"store.backups", "cli", "app"}
    # Types only: the Finding that doctor reports, the Report that a sync returns.
    known_debt = {"screens": {"store.doctor"}, "syncviews": {"store.sync"}}
    for module in modules("views"):
        found = imports(SRC / "views" / f"{module}.py")
        bad = found & writers - known_debt.get(module, set())
        assert not bad, f"views.{module} imports {sorted(bad)}"


def test_shared_vocabulary_imports_no_layer_above_it() -> None:
    # The catalogue's file goes through the store's reading, its rules and its doors cache.
    catalogue = {"store.fileio", "store.layout", "store.catalogueschema", "store.doorcache"}
    allowed = {"catalogue": catalogue, "args": {"core.progress"}}
    for module in SHARED - {"__main__"}:
        found = imports(SRC / f"{module}.py") - allowed.get(module, set())
        bad = {n for n in found if layer_of(n) in {*LAYERS, "cli", "app"}}
        assert not bad, f"{module} (shared vocabulary) imports {sorted(bad)}"


def test_every_module_has_a_layer() -> None:
    top = {p.stem for p in SRC.glob("*.py")} - FAST
    assert not top - SHARED, f"put these modules in a package: {sorted(top - SHARED)}"
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and p.name != "__pycache__"}
    known = {*PACKAGES, "data"}
    assert packages <= known, f"a package with no layer: {sorted(packages - known)}"


def test_commands_never_name_a_store_file() -> None:
    """The command line parses and calls the application layer; of the store it may use only
    fileio (the files a learner names: -o FILE, stdin) and site (a Jekyll site of theirs)."""
    for path in (SRC / "cli").glob("*.py"):
        found = {n for n in imports(path) if layer_of(n) == "store"}
        bad = found - {"store.fileio", "store.site"}
        assert not bad, f"cli.{path.stem} imports {sorted(bad)}: go through mlpath.app"


def test_only_the_command_line_imports_it_or_the_application_layer() -> None:
    for path in [*SRC.glob("*.py"), *(p for layer in LAYERS for p in (SRC / layer).glob("*.py"))]:
        if path.stem == "__main__":
            continue
        bad = {n for n in imports(path) if n in {"cli", "app"}}
        assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"


def test_the_application_layer_never_imports_the_command_line() -> None:
    for path in (SRC / "app").glob("*.py"):
        bad = {n for n in imports(path) if n == "cli"}
        assert not bad, f"app.{path.stem} imports {sorted(bad)}: the command line calls it"


def test_the_walker_sees_imports_inside_functions() -> None:
    # The rule would be empty if the walker missed the lazy imports mlpath uses for speed.
    doctor = imports(SRC / "store" / "doctor.py")
    assert "store.record" in doctor and "pydantic" in imports(SRC / "store" / "progressfile.py")
