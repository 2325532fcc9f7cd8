"""Output that cannot be written, or cannot be encoded. A command that committed its change
never exits as failed: the change stands, exit 0, one line on stderr says so. A stream that
cannot encode a character gets it degraded, never a traceback. Real processes throughout:
closed descriptors, /dev/full and pipes exist only there. Most are forked from a process
with mlpath imported (tests/forked.py: its own descriptors, no start-up); where the encoding
of the streams is what is tested, a new interpreter must choose it, and one is started.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import forked
from tests.conftest import REPO, files, in_process

pytestmark = pytest.mark.slow

# Every command that changes the store, with arguments that change something.
WRITING = [
    ("done", "4"),
    ("start", "3"),
    ("skip", "2"),
    ("reset", "1"),
    ("note", "3", "a note"),
    ("skill", "5"),
    ("rate", "3", "6"),
    ("undo",),
    ("redo",),
]


def mlpath(
    home: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """A process: a new interpreter where `env` chooses the streams' encoding (only one
    started with it makes its streams so), else forked (tests/forked.py)."""
    env = {**os.environ, "MLPATH_HOME": str(home), **(env or {})}
    if any(name in env and env[name] != os.environ.get(name) for name in forked.ENCODING):
        return subprocess.run(
            [sys.executable, "-m", "mlpath", *args],
            capture_output=True,
            text=True,
            timeout=20,
            env=env,
            cwd=REPO,
        )
    return forked.run(*args, env=env, cwd=REPO, timeout=20)


def history(home: Path) -> list[str]:
    log = in_process("log", "--json", env={"MLPATH_HOME": str(home)})  # a pipe, as ever
    return [f"{e['action']} {e['step']}" for e in json.loads(log.stdout)]


def prepare(home: Path) -> None:
    """The store set up in this process: only the runs under test need their own."""
    for args in (("done", "1"), ("skill", "3")):
        in_process(*args, env={"MLPATH_HOME": str(home)})


def saved_line(stderr: str, command: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert stderr.startswith(f"mlpath: {command}: the change is saved; only its report was lost")
    assert stderr.count("\n") == 1, stderr


def run_with_stdout(
    home: Path, args: tuple[str, ...], how: str
) -> subprocess.CompletedProcess[str]:
    """`how`: closed (>&-), full (>/dev/full) or pipe (a reader that has gone, so that the
    first write meets EPIPE): in a forked process, whose descriptor 1 is just that."""
    stdout = {"closed": "closed", "full": "/dev/full", "pipe": "broken"}[how]
    env = {**os.environ, "MLPATH_HOME": str(home)}
    return forked.run(*args, env=env, stdout=stdout, timeout=20)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("how", ["closed", "full", "pipe"])
def test_a_saved_change_is_not_reported_as_failed(home: Path, how: str) -> None:
    prepare(home)
    before = history(home)
    for args in WRITING:  # in this order each one changes something
        result = run_with_stdout(home, args, how)
        assert result.returncode == 0, result.stderr
        saved_line(result.stderr, args[0])
    assert len(history(home)) == len(before) + len(WRITING)  # each change stands, once


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_import_and_restore_also_tell_the_truth(home: Path, tmp_path: Path) -> None:
    prepare(home)
    export = tmp_path / "e.json"
    in_process("export", "-o", str(export))
    fresh = tmp_path / "fresh"
    result = run_with_stdout(fresh, ("import", str(export)), "full")
    assert result.returncode == 0, result.stderr
    saved_line(result.stderr, "import")
    assert history(fresh) == history(home)
    # A restore with nothing to repair wrote nothing, and says so like any showing command.
    before = files(home)
    result = run_with_stdout(home, ("doctor", "--restore"), "closed")
    assert (result.returncode, result.stderr) == (1, "mlpath: stdout is closed\n")
    assert files(home) == before
    (home / "progress.toml").unlink()  # now it has something to rebuild
    result = run_with_stdout(home, ("doctor", "--restore"), "closed")
    assert result.returncode == 0, result.stderr
    saved_line(result.stderr, "doctor")
    assert (home / "progress.toml").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("args", [("list",), ("log",), ("export",), ("status", "--json")])
def test_showing_commands_say_the_output_was_lost(home: Path, args: tuple[str, ...]) -> None:
    prepare(home)
    full = run_with_stdout(home, args, "full")
    assert full.returncode == 1
    assert full.stderr == "mlpath: cannot write to stdout: no space left on device\n"
    closed = run_with_stdout(home, args, "closed")
    assert (closed.returncode, closed.stderr) == (1, "mlpath: stdout is closed\n")
    piped = run_with_stdout(home, args, "pipe")  # the reader stopped: nothing to say
    assert (piped.returncode, piped.stderr) == (141, "")


def test_done_with_stdin_closed_asks_nothing_and_succeeds(home: Path) -> None:
    result = forked.run("done", "1", env={**os.environ, "MLPATH_HOME": str(home)}, stdin="closed")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == ["Step 1 (Watch ML related videos): todo -> done."]
    assert history(home) == ["done 1"]


# -- streams that cannot encode the text -----------------------------------------------------

SHOWING = [
    ("list",),
    ("show", "3"),
    ("status",),
    ("next",),
    ("log",),
    ("skill",),
    ("where",),
    ("doctor",),
    ("map",),
    ("journal",),
    ("export",),
]


def unicode_home(home: Path, tmp_path: Path) -> dict[str, str]:
    """A catalogue with non-ASCII titles, and a note with them, so every screen has some."""
    text = (REPO / "data" / "steps.toml").read_text()
    cat = tmp_path / "ünïcode.toml"
    cat.write_text(text.replace("Take ML courses", "Take ML courses — 機械学習 ✓"))
    env = {"MLPATH_CATALOGUE": str(cat)}
    for args in (("done", "1"), ("note", "3", "café ☕"), ("skill", "3")):
        in_process(*args, env={"MLPATH_HOME": str(home), **env})  # set up in this process
    return env


ENCODINGS = [
    {"PYTHONIOENCODING": "ascii"},
    {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""},
]


@pytest.mark.parametrize("encoding", ENCODINGS, ids=["ascii", "C-locale"])
def test_a_stream_that_cannot_encode_degrades_never_crashes(
    home: Path, tmp_path: Path, encoding: dict[str, str]
) -> None:
    env = {**unicode_home(home, tmp_path), **encoding}
    commands = [
        [*args, *json_flag]
        for args in SHOWING
        for json_flag in (([], ["--json"]) if args[0] not in ("journal", "export") else ([],))
    ]
    # One process with this encoding runs them all (tests/streams.py), as each would run alone.
    driven = subprocess.run(
        [sys.executable, "-m", "tests.streams", json.dumps(commands)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "MLPATH_HOME": str(home), **env},
        cwd=REPO,
    )
    assert driven.returncode == 0, driven.stderr
    results = [json.loads(line) for line in driven.stdout.splitlines()]
    assert len(results) == len(commands)
    for args, result in zip(commands, results, strict=True):
        assert (result["code"], result["stderr"]) == (0, ""), (args, result["stderr"])
        if "--json" in args:
            json.loads(result["stdout"])  # escaped with \\u, still the same data
        elif args[0] not in ("journal", "export"):  # files, written as UTF-8 whatever the stream
            result["stdout"].encode("ascii")  # degraded to what the stream can carry


def test_json_on_an_ascii_stream_keeps_every_character(home: Path, tmp_path: Path) -> None:
    env = {**unicode_home(home, tmp_path), "PYTHONIOENCODING": "ascii"}
    shown = json.loads(mlpath(home, "show", "3", "--json", env=env).stdout)
    assert shown["title"] == "Take ML courses — 機械学習 ✓"
    assert shown["notes"][0]["text"] == "café ☕"


def test_journal_to_an_ascii_stream_is_the_file_it_writes(home: Path, tmp_path: Path) -> None:
    env = {**unicode_home(home, tmp_path), "PYTHONIOENCODING": "ascii"}
    piped = subprocess.run(
        [sys.executable, "-m", "mlpath", "journal"],
        capture_output=True,
        timeout=20,
        env={**os.environ, "MLPATH_HOME": str(home), **env},
        cwd=REPO,
    ).stdout
    written = tmp_path / "post.md"
    assert mlpath(home, "journal", "-o", str(written), env=env).returncode == 0
    assert b"caf\xc3\xa9" in piped  # UTF-8, as a Markdown post for Jekyll must be
    assert (
        piped.split(b"\ndate:")[1].split(b"\n", 1)[1]
        == written.read_bytes().split(b"\ndate:")[1].split(b"\n", 1)[1]
    )


@pytest.mark.parametrize(
    "env", [{"TERM": "dumb"}, {"PYTHONIOENCODING": "ascii"}], ids=["dumb", "ascii"]
)
def test_plain_ascii_glyphs_where_they_cannot_show(
    home: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    settings = unicode_home(home, tmp_path)
    for args in (("log",), ("list",), ("map",)):
        out = mlpath(home, *args, env={**settings, **env, "COLUMNS": "40"}).stdout
        assert "…" not in out and "─" not in out
    long_note = "x" * 100
    in_process("note", "2", long_note, env={"MLPATH_HOME": str(home), **settings})
    log = mlpath(home, "log", env={**settings, **env}).stdout
    assert '"' + "x" * 57 + '..."' in log


@pytest.mark.parametrize("columns", ["0", "1", "garbage"])
def test_columns_that_leave_no_room_still_give_whole_lines(home: Path, columns: str) -> None:
    # FORCE_COLOR makes mlpath draw as on a terminal, through rich, in this pipe.
    env = {"COLUMNS": columns, "FORCE_COLOR": "1", "NO_COLOR": "1"}
    result = mlpath(home, "status", env=env)
    assert result.returncode == 0, result.stderr
    assert "Last activity: never" in [line.rstrip() for line in result.stdout.splitlines()]
