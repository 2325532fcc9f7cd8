"""The write road (cli/first.py, cli/marking.py): `start`, `done`, `skip` and `reset` in a
script, without typer, say and write byte for byte what the full road (the typer app,
MLPATH_FULL_ROAD=1) says and writes, with the same exit code, for random stores, catalogues,
refs, locks and failures; and it imports neither typer nor click."""

from __future__ import annotations

import ast
import errno
import io
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mlpath.cli import first, marking
from mlpath.store import historyfile, layout, lockfile, record
from mlpath.views import screen, screens
from tests.conftest import Clock, commands, examples, files
from tests.test_fast_road import ACTIONS, catalogues

FUNCTION = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
ANSWER = marking.answer  # the write road, as a spy calls it

# Refs out of range, and forms the full road reads (' 2', '02') or refuses ('x', '2.', '.1',
# '1.1.1', ''): a refused one sends the line to the full road.
ODD = st.one_of(
    st.integers(0, 9).map(str),
    st.tuples(st.integers(0, 8), st.integers(0, 4)).map(lambda r: f"{r[0]}.{r[1]}"),
    st.sampled_from(["x", "2.", ".1", "1.1.1", "", " 2", "02", "1.01", "٣", "9" * 20]),
)


def held(sizes: list[int]) -> st.SearchStrategy[str]:
    """Refs a catalogue has: its steps, and its steps' resources (`sizes`: how many each)."""
    steps = st.integers(1, len(sizes)).map(str)
    resources = [f"{n}.{k}" for n, size in enumerate(sizes, 1) for k in range(1, size + 1)]
    return steps | st.sampled_from(resources) if resources else steps


def refs_for(sizes: list[int] | None) -> st.SearchStrategy[list[str]]:
    """Refs the catalogue has; some it has not; or every resource of one step (which says
    what follows: mark the step done)."""
    if sizes is None:
        return st.lists(ODD, min_size=1, max_size=3)
    found = st.lists(held(sizes), min_size=1, max_size=3)
    mixed = st.lists(held(sizes) | ODD, min_size=1, max_size=4)
    whole = [[f"{n}.{k}" for k in range(1, size + 1)] for n, size in enumerate(sizes, 1) if size]
    if not whole:
        return found | mixed
    return st.one_of(found, mixed, st.sampled_from(whole), st.sampled_from(whole))


COMMANDS = st.sampled_from(sorted(marking.STATUS))
# What can go wrong: stdout lost (a closed pipe, a full disk), Ctrl-C before the commit and
# after it, a folder this user may not read, and the damage a store can carry.
FAULTS = st.sampled_from(
    ["", "", "", "", "", "", "pipe", "full", "ctrl-c", "ctrl-c-after", "denied"]
)
DAMAGE = st.sampled_from(["", "", "snapshot", "torn", "no-snapshot"])


class Said(NamedTuple):
    code: int
    stdout: bytes
    stderr: bytes


class Lost:
    """A stdout that cannot be written."""

    encoding = "utf-8"

    def __init__(self, error: OSError) -> None:
        self.error = error

    def write(self, text: str) -> int:
        raise self.error

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def call(monkeypatch: pytest.MonkeyPatch, argv: list[str], env: dict[str, str], fault: str) -> Said:
    """`mlpath ARGV` as the console script runs it, main() in this process, with its own
    stdout and stderr (bytes, as a pipe gets them) and the fault injected, if any."""
    from mlpath.cli import main

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    with monkeypatch.context() as scoped:
        scoped.setattr(sys, "argv", ["mlpath", *argv])
        for name, value in env.items():
            scoped.setenv(name, value)
        lost = {
            "pipe": BrokenPipeError(errno.EPIPE, "Broken pipe"),
            "full": OSError(28, "No space"),
        }
        scoped.setattr(sys, "stdout", Lost(lost[fault]) if fault in lost else out)
        scoped.setattr(sys, "stderr", err)
        inject(scoped, fault)
        try:
            main()
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
        out.flush()
        err.flush()
    return Said(code, out.buffer.getvalue(), err.buffer.getvalue())


def inject(scoped: pytest.MonkeyPatch, fault: str) -> None:
    def interrupt(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    def denied(where: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied", str(where.history))

    if fault == "ctrl-c":  # while the commit is written: it is trimmed, nothing stands
        scoped.setattr(historyfile, "append", interrupt)
    elif fault == "ctrl-c-after":  # while the report is printed: the change stands
        scoped.setattr(screens, "emit", interrupt)
    elif fault == "denied":
        scoped.setattr(record, "state", denied)


def damage(home: Path, kind: str) -> None:
    where = layout.paths()
    if not where.history.exists():
        return
    if kind == "snapshot":
        where.progress.write_bytes(b"not toml at all [[[\n")
    elif kind == "torn":
        with where.history.open("ab") as handle:
            handle.write(b'{"action":"done","st')
    elif kind == "no-snapshot":
        where.progress.unlink(missing_ok=True)


@contextmanager
def holding(home: Path, held: bool) -> Iterator[None]:
    """The store's lock held by another holder (a second open file: flock excludes it)."""
    if not held:
        yield
        return
    home.mkdir(parents=True, exist_ok=True)
    fd = lockfile.try_lock(layout.paths().lock)
    assert fd is not None
    try:
        yield
    finally:
        lockfile.release(fd)


@contextmanager
def store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    where = Path(tempfile.mkdtemp(dir=tmp_path))
    with monkeypatch.context() as scoped:
        scoped.setenv("MLPATH_HOME", str(where / "home"))
        scoped.setenv("XDG_CACHE_HOME", str(where / "cache"))
        yield where


def restore(where: Path, saved: Path) -> None:
    """The data folder and the cache folder put back as they were, at the same paths (what
    a road says names them)."""
    for name in ("home", "cache"):
        shutil.rmtree(where / name, ignore_errors=True)
        if (saved / name).exists():
            shutil.copytree(saved / name, where / name, symlinks=True)


@settings(max_examples=examples(80), suppress_health_check=FUNCTION)
@given(
    actions=st.lists(ACTIONS, max_size=6),
    catalogue=st.none() | catalogues(),
    other=st.sampled_from(["same", "same", "same", "bundled", "changed", "another", "missing"]),
    command=COMMANDS,
    data=st.data(),
    by_env=st.booleans(),
    locked=st.sampled_from([True, *[False] * 7]),
    fault=FAULTS,
    spoiled=DAMAGE,
    extra=catalogues(),
)
def test_both_roads_say_and_write_the_same(
    run: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    clock: Clock,
    actions: list[tuple[str, ...]],
    catalogue: str | None,
    other: str,
    command: str,
    data: st.DataObject,
    by_env: bool,
    locked: bool,
    fault: str,
    spoiled: str,
    extra: str,
) -> None:
    with store(monkeypatch, tmp_path) as where:
        made: list[str] = []
        if catalogue is not None:
            (where / "team.toml").write_text(catalogue, encoding="utf-8")
            made = ["--catalogue", str(where / "team.toml")]
        for action in actions:
            run(*made, *action)
        damage(where / "home", spoiled)
        # The command's catalogue: the store's, the bundled one, the store's changed (its
        # steps by the same ids, or not), another (the store holds steps of a catalogue not
        # in use), or a file that is not there.
        (where / "changed.toml").write_text(extra, encoding="utf-8")
        (where / "other.toml").write_text(extra.replace('"team"', '"other"', 1), encoding="utf-8")
        chosen = {
            "same": str(where / "team.toml") if catalogue is not None else None,
            "bundled": None,
            "changed": str(where / "changed.toml"),
            "another": str(where / "other.toml"),
            "missing": str(where / "missing.toml"),
        }[other]
        env = {"MLPATH_LOCK_TIMEOUT": "0"} if locked else {}
        prefix: list[str] = []
        if chosen is not None and by_env:
            env["MLPATH_CATALOGUE"] = chosen
        elif chosen is not None:
            prefix = ["--catalogue", chosen]
        sizes = shape(chosen)
        refs = data.draw(refs_for(sizes), label="refs")
        argv = [*prefix, command, *refs]
        saved = where / "saved"
        saved.mkdir()
        for name in ("home", "cache"):
            if (where / name).exists():
                shutil.copytree(where / name, saved / name, symlinks=True)
        took: list[int | None] = []

        def spied(found: dict[str, Any]) -> int | None:
            took.append(ANSWER(found))
            return took[-1]

        monkeypatch.setattr(marking, "answer", spied)
        ran = []
        for road in ({"MLPATH_FULL_ROAD": "1"}, {}):
            restore(where, saved)
            clock.now = clock.now.replace(hour=9, minute=0)
            with holding(where / "home", locked):
                said = call(monkeypatch, argv, {**env, **road}, fault)
            ran.append((said, files(where / "home")))
        full, fast = ran
        assert fast == full, argv
        # Not vacuous: the write road made every change it may make, and left the rest.
        refused = full[0].code == 2 or sizes is None
        event(f"exit {full[0].code}, {'the full road' if refused else 'the write road'} {fault}")
        event(f"what follows said: {b'If you are through with it' in full[0].stdout}")
        assert took == [None if refused else fast[0].code], (argv, full[0])


def shape(chosen: str | None) -> list[int] | None:
    """How many resources each step of the catalogue in use has; None if it does not load."""
    from mlpath import catalogue as catalogues
    from mlpath.errors import CatalogueError

    path, bundled = catalogues.selected_path(None if chosen is None else Path(chosen))
    try:
        found = catalogues.load(path, bundled=bundled)
    except CatalogueError:
        return None
    return [len(step.resources) for step in found.steps]


def test_the_write_road_imports_neither_typer_nor_click(tmp_path: Path) -> None:
    """In a real process: changes that print what follows a resource, a step already done, a
    store that is busy, and a lost report, all without typer, click or rich."""
    code = (
        "import os, sys\n"
        "from mlpath.cli import main\n"
        "from mlpath.store import layout, lockfile\n"
        "codes = []\n"
        "def run(*argv):\n"
        "    sys.argv = ['mlpath', *argv]\n"
        "    try:\n"
        "        main(); codes.append(0)\n"
        "    except SystemExit as exc:\n"
        "        codes.append(exc.code)\n"
        "for line in (['done', '2'], ['done', '2'], ['start', '3.1', '4'],\n"
        "             ['done', *[f'3.{k}' for k in range(1, 6)]], ['skip', '5'], ['reset', '3']):\n"
        "    run(*line)\n"
        "held = lockfile.try_lock(layout.paths().lock)\n"
        "run('done', '1')\n"
        "lockfile.release(held)\n"
        "reader, writer = os.pipe()\n"
        "os.close(reader)\n"
        "sys.stdout = os.fdopen(writer, 'w')  # a reader that went away\n"
        "run('done', '1')\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click', 'rich'))\n"
        "print(repr((codes, heavy)), file=sys.stderr)\n"
    )
    env = {
        "MLPATH_HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "MLPATH_LOCK_TIMEOUT": "0",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "If you are through with it: `mlpath done 3`" in done.stdout
    assert "is already done: nothing changed" in done.stdout
    assert "another mlpath is changing" in done.stderr
    assert "done: the change is saved; only its report was lost" in done.stderr
    codes, heavy = ast.literal_eval(done.stderr.strip().splitlines()[-1])
    assert codes == [0, 0, 0, 0, 0, 0, 75, 0]
    assert heavy == []
    lines = (tmp_path / "home" / "history.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["action"] for line in lines][-1] == "done"


@pytest.mark.parametrize(
    ("argv", "refs"),
    [
        (["done", "1"], ["1"]),
        (["start", "1", "2.3", "x"], ["1", "2.3", "x"]),  # 'x': args.ref refuses it later
        (["--catalogue", "a.toml", "skip", "3"], ["3"]),
        (["--catalogue=a.toml", "reset", "3.1"], ["3.1"]),
        (["done"], None),  # click says what is missing
        (["done", "-h"], None),
        (["done", "1", "--json"], None),
        (["done", "--", "1"], None),
        (["done", "-1"], None),
        (["--catalogue", "-", "done", "1"], None),
        (["--catalogue", "done", "1"], None),  # a catalogue named "done", then "1": click's
        (["note", "1", "x"], []),  # the other plain changes: tests/test_write_road_others.py
        (["undo"], []),
        (["--version", "done", "1"], None),
    ],
)
def test_the_plain_forms_only(argv: list[str], refs: list[str] | None) -> None:
    found = first.parse(argv)
    assert (found or {}).get("refs") == refs
    assert (found or {}).get("command") in (*first.CHANGES, *first.WORDS, None)


def test_its_commands_are_the_apps_changes() -> None:
    assert set(marking.STATUS) == first.CHANGES
    assert set(commands()) >= first.CHANGES


def test_on_a_terminal_a_change_takes_the_full_road(
    monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> None:
    """A change may ask there (a step's resources all finished, a check-in): click asks."""
    monkeypatch.setattr(screen, "interactive", lambda: True)
    assert first.fast(["done", "1"]) is None
    assert not layout.paths().history.exists()
    monkeypatch.setattr(screen, "interactive", lambda: False)
    assert first.fast(["done", "1"]) == 0
    assert layout.paths().history.exists()


def test_a_catalogue_on_stdin_takes_the_full_road(monkeypatch: pytest.MonkeyPatch) -> None:
    """stdin can be read once: the full road reads it (and says what is wrong with it)."""
    monkeypatch.setenv("MLPATH_CATALOGUE", "-")
    stdin = io.TextIOWrapper(io.BytesIO(b"not read"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert marking.answer({"catalogue": None, "command": "done", "refs": ["1"]}) is None
    assert sys.stdin.read() == "not read"


@pytest.mark.parametrize("env", [{"MLPATH_FULL_ROAD": "1"}, {"_MLPATH_COMPLETE": "bash_source"}])
def test_the_full_road_variables_send_changes_there(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    taken: list[object] = []
    monkeypatch.setattr(marking, "answer", taken.append)
    monkeypatch.setattr(first, "full", lambda: None)
    monkeypatch.setattr(sys, "argv", ["mlpath", "done", "1"])
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    first.main()
    assert taken == []
