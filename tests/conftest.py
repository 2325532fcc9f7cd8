"""Every test runs against its own data folder; none may touch the learner's real one."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import platformdirs
import pytest
import typer
from hypothesis import settings
from typer.testing import CliRunner, Result

from mlpath.cli import app

REPO = Path(__file__).resolve().parents[1]

# Hypothesis: `dev` (the default) searches afresh on every run, as many examples as each
# test asks for; `ci` (HYPOTHESIS_PROFILE=ci, as .ci/run sets it) runs a quarter of them,
# derandomized, so that a run is quick and fails or passes the same way every time.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, max_examples=25, derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def examples(wanted: int) -> int:
    """`wanted` examples under the dev profile, scaled with the profile in use (a quarter
    under ci): for a test that asks for more or fewer than the default 100."""
    current = settings.default
    assert current is not None
    return max(1, wanted * current.max_examples // 100)


# The seed's seven step titles, in rank order: facts the bundled catalogue must carry.
TITLES = [
    "Watch ML related videos",
    "Read about trends and happenings in ML",
    "Take ML courses",
    "Write about your ML journey",
    "Start on ML pet projects",
    "Compete in Kaggle competitions",
    "Work for ML startup",
]


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers more than the cores. Many tests spend their time waiting on a
    process (git, tmux, a forked command, a browser), so a worker waiting leaves a core idle
    that another can use; measured on 2 cores, 4 workers ran the suite in 75 s, 2 in 92 s."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity
        cores = os.cpu_count() or 1
    return cores + 2


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests (processes, terminals, git) first, each file's in its order: on
    `-n auto` they start at once and the quick in-process tests fill the gaps after them."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


# -- the guard: no test may reach the learner's real data folder ---------------------------


class RealFolderReached(BaseException):
    """A test reached a data folder it must never touch. A BaseException, so that neither
    mlpath's error handling nor CliRunner's (which keep `Exception`s) can swallow it."""


# The folder mlpath would use outside the tests, found before any test changes HOME or XDG_*.
REAL = platformdirs.user_data_path("mlpath").absolute()


class Guard:
    """The test that is running, the folders it must not reach, and what it reached."""

    test: str | None = None
    traps: tuple[Path, ...] = ()
    reached: list[str] = []  # noqa: RUF012 (one list per test, set by the fixture)


# Audit events that open, create, list, change or remove a path. os.stat raises none, but
# nothing can be written or read without one of these.
_PATH_EVENTS = frozenset(
    [
        "open", "os.mkdir", "os.listdir", "os.scandir", "os.rename", "os.replace",
        "os.remove", "os.rmdir", "os.link", "os.symlink", "os.chmod", "os.chown",
        "os.truncate", "os.utime", "shutil.rmtree", "shutil.copyfile", "shutil.move",
    ]
)  # fmt: skip


def _inside(path: object, folders: tuple[Path, ...]) -> str | None:
    """The path as a string when it lies in one of `folders`, else None."""
    if not isinstance(path, str | bytes | os.PathLike):
        return None  # a file descriptor
    # abspath, not Path.resolve: no file system call (and so no audit event) in the hook
    target = os.path.abspath(os.fsdecode(os.fspath(path)))  # noqa: PTH100
    for folder in folders:
        if target == str(folder) or target.startswith(f"{folder}{os.sep}"):
            return target
    return None


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event not in _PATH_EVENTS or Guard.test is None or not args:
        return
    paths = args[:2] if event in ("os.rename", "os.replace", "os.link", "os.symlink") else args[:1]
    for path in paths:
        target = _inside(path, (REAL, *Guard.traps))
        if target is not None:
            message = f"{Guard.test} reached a real data folder: {event} {target}"
            Guard.reached.append(message)
            raise RealFolderReached(message)


sys.addaudithook(_audit)


def _snapshot(folder: Path) -> dict[str, float] | None:
    if not folder.exists():
        return None
    return {str(p): p.stat().st_mtime for p in folder.rglob("*")}


@pytest.fixture(autouse=True)
def home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Path]:
    """MLPATH_HOME in tmp_path. The platform's data folder (XDG_DATA_HOME) points at a trap:
    opening anything in it, or in the real data folder, raises at once, naming the test."""
    folder = tmp_path / "home"
    trap = (tmp_path / "trap").absolute()
    monkeypatch.setenv("MLPATH_HOME", str(folder))
    monkeypatch.setenv("XDG_DATA_HOME", str(trap))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the read cache's
    monkeypatch.delenv("MLPATH_CATALOGUE", raising=False)
    # Stable output: rich reads these. No colour, a fixed width.
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("TERM", raising=False)  # TERM=dumb would get ASCII for every glyph
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()  # local times on screen are UTC in every test
    before = _snapshot(REAL)
    reached: list[str] = []
    Guard.test, Guard.traps, Guard.reached = request.node.nodeid, (trap / "mlpath",), reached
    try:
        yield folder
    finally:
        Guard.test, Guard.traps = None, ()
    # What was swallowed, and what a subprocess did (the audit hook sees only this process).
    assert not reached, reached[0]
    assert _snapshot(REAL) == before, f"{request.node.nodeid} changed the real folder {REAL}"
    assert not (trap / "mlpath").exists(), f"{request.node.nodeid} wrote to {trap / 'mlpath'}"


def commands() -> list[str]:
    """Every command the app registers, so that a new command is checked without listing it."""
    names = [
        info.name or getattr(info.callback, "__name__", "") for info in app.registered_commands
    ]
    assert len(names) >= 20 and all(names)
    return names


def files(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes: to prove that nothing was written.

    The empty lock file is left out: a writer creates it to wait its turn, and it holds no data.
    """
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "progress.toml.lock"
    }


@pytest.fixture(scope="session", autouse=True)
def commands_built_once() -> Iterator[None]:
    """typer's CliRunner (and the app, when main() calls it) turns the app into click
    commands anew on every invoke: most of the time of an in-process run, thousands of
    times a suite. Build them once per app, as a process does (and per set of registered
    commands, should a test change them); each run starts with a fresh context as before,
    and the group's note of the command being parsed is cleared."""
    import typer.main
    import typer.testing

    name = "_get_command"
    build = getattr(typer.testing, name)
    built: dict[tuple[int, ...], Any] = {}

    def cached(app: typer.Typer) -> Any:
        key = (id(app), *(id(info.callback) for info in app.registered_commands))
        if key not in built:
            built[key] = build(app)
        command = built[key]
        if hasattr(command, "parsing"):
            command.parsing = None  # what a new process starts with
        return command

    # main() (the `main` fixture) calls the app, which builds them through typer.main.
    from_main = typer.main.get_command
    setattr(typer.testing, name, cached)
    setattr(typer.main, "get_command", cached)  # noqa: B010 (typed as returning a Command)
    yield
    setattr(typer.testing, name, build)
    setattr(typer.main, "get_command", from_main)  # noqa: B010


@pytest.fixture
def run() -> Iterator[Callable[..., Result]]:
    try:  # click < 8.2 mixes stderr into stdout unless told not to; later clicks always split
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, env={"COLUMNS": os.environ["COLUMNS"]})

    yield invoke


def in_process(*args: str, env: dict[str, str] | None = None) -> Result:
    """`mlpath ARGS` to its end in this process, where none is needed (a test's setup, or
    what a pipe gets): it must succeed. A process costs half a second of start-up."""
    try:  # click < 8.2 mixes stderr into stdout unless told not to; later clicks always split
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        runner = CliRunner()
    result = runner.invoke(app, list(args), env=env, prog_name="mlpath")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a bug: show it
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


class Clock:
    """The store's clock, standing still at `now` until a test moves it on."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, minutes: int = 1) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """A fake clock for every change, and a fixed machine id: what a store writes is then
    the same on every run, byte for byte."""
    from mlpath.store import layout, record

    fake = Clock()
    monkeypatch.setattr(record, "clock", fake)
    monkeypatch.setattr(layout, "new_machine_id", lambda: "a1b2c3d4e5f6")
    return fake


class Ran(NamedTuple):
    """What a run of main() did, named as subprocess.CompletedProcess names it."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def main(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    """mlpath as the installed script runs it, `main()` with sys.argv, but in this process:
    a subprocess costs a second of start-up, and none is needed where the process itself
    is not what is tested (kills, closed streams, locks between processes)."""
    from mlpath.cli import main as entry

    def call(*args: str, env: dict[str, str] | None = None) -> Ran:
        with monkeypatch.context() as scoped:
            scoped.setattr(sys, "argv", ["mlpath", *args])
            for name, value in (env or {}).items():
                scoped.setenv(name, value)
            capsys.readouterr()
            try:
                entry()
                code = 0
            except SystemExit as exit:
                code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
            out, err = capsys.readouterr()
        return Ran(code, out, err)

    return call


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """mlpath's wheel, built once a run: the one in MLPATH_TEST_WHEEL when CI has built it
    already (.ci/run installs that same file for its last check), else built here."""
    import subprocess

    given = os.environ.get("MLPATH_TEST_WHEEL")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("mlpath-*.whl")
    return built


@pytest.fixture(scope="session")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Path]:
    """The export of another machine's store of `changes` changes without notes
    (tests/test_history_scale.build, machine bbbbbbbbbbbb, from T0 + 30 s), made once a run
    per size: at 20,000 changes, building and exporting one is more than a second's work,
    and the scale tests of import and undo only read the file. Call it inside the test, so
    that the export runs in that test's environment (its cache, the guard)."""
    folder = tmp_path_factory.mktemp("exported")
    made: dict[int, Path] = {}

    def export(changes: int) -> Path:
        if changes not in made:
            from tests.test_history_scale import T0, build

            store = folder / f"store-{changes}"
            build(store, changes, "bbbbbbbbbbbb", T0 + timedelta(seconds=30), notes=False)
            target = folder / f"{changes}.json"
            in_process("export", "-o", str(target), env={"MLPATH_HOME": str(store)})
            made[changes] = target
        return made[changes]

    return export
