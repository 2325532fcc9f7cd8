"""Hostile input: odd digits, huge numbers, bytes that are not UTF-8, a broken TZ or lock
timeout, FIFOs, devices, folders, deep nesting and huge files. Each ends in one line
`mlpath: ...`, the right exit code, and nothing written."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pytest
from typer.testing import Result

from mlpath import catalogue
from tests import forked
from tests.conftest import REPO, files, in_process

Run = Callable[..., Result]


def mlpath(
    home: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 20
) -> subprocess.CompletedProcess[str]:
    """A real process, for environment variables (TZ is read as a process starts) and special
    files: forked from one with mlpath imported (tests/forked.py), without the start-up."""
    return forked.run(
        *args,
        env={**os.environ, "MLPATH_HOME": str(home), **(env or {})},
        cwd=REPO,
        timeout=timeout,  # a regression that blocks (a FIFO) fails instead of hanging
    )


def one_line(result: subprocess.CompletedProcess[str] | Result, code: int, *parts: str) -> None:
    stderr = result.stderr
    got = result.returncode if isinstance(result, subprocess.CompletedProcess) else result.exit_code
    assert got == code, stderr
    assert stderr.startswith("mlpath: ") and stderr.count("\n") == 1, stderr
    for part in parts:
        assert part in stderr, stderr


# -- numbers: ASCII digits only --------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("done", "²"), "'²' is not a step number: steps are 1-7"),
        (("show", "³"), "'³' is not a step number"),
        (("done", "1.²"), "'1.²' is not a step or resource number"),
        (("skill", "①"), "mlpath: the skill should be a whole number from 1 to 10, not '①'"),
        (("rate", "3", "②"), "the challenge should be a whole number from 1 to 10, not '②'"),
        (("next", "--skill", "⁵"), "--skill should be a whole number from 1 to 10"),
        (("map", "--skill", "٣"), "--skill should be a whole number from 1 to 10, not '٣'"),
        (("done", "٣"), "'٣' is not a step number"),  # int() would read it as 3
        (("done", "1" * 5000), "is not a step number: steps are 1-7"),
        (("done", "3." + "1" * 5000), "is not a step or resource number"),
        (("skill", "9" * 5000), "skill should be a whole number from 1 to 10"),
        (("done", "99999999999"), "no step 99999999999: steps are 1-7"),
    ],
    # Plain ids: the arguments themselves are the characters that node ids escape.
    ids=lambda v: "".join(c if c.isascii() else f"U+{ord(c):04X}" for c in str(v)[:20]),
)
def test_only_ascii_digits_are_numbers(
    run: Run, home: Path, args: tuple[str], message: str
) -> None:
    result = run(*args)
    one_line(result, 2, message)
    assert len(result.stderr) < 200  # 5,000 digits are not echoed back
    assert files(home) == {}


def test_leading_zeros_still_name_a_step(run: Run) -> None:
    assert run("done", "003").exit_code == 0
    assert "Step 3" in run("done", "03").stdout


# -- argument bytes that are not UTF-8 -------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "what"),
    [
        ((b"note", b"3", b"backprop \xff clicked"), "the note"),
        ((b"journal", b"--title", b"My \xfe journey"), "the title"),
    ],
    ids=["note", "journal-title"],
)
def test_argument_bytes_that_are_not_utf8_are_refused(
    home: Path, tmp_path: Path, args: tuple[bytes, ...], what: str
) -> None:
    result = subprocess.run(
        [sys.executable.encode(), b"-m", b"mlpath", *args, b"-o", str(tmp_path / "j.md").encode()]
        if args[0] == b"journal"
        else [sys.executable.encode(), b"-m", b"mlpath", *args],
        capture_output=True,
        text=True,
        timeout=20,
        env={**os.environ, "MLPATH_HOME": str(home)},
        cwd=REPO,
    )
    one_line(result, 2, f"{what} is not UTF-8 text (byte 0x", "character encoding")
    assert files(home) == {} and not (tmp_path / "j.md").exists()


# -- the environment -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("zone", ["UTC+99999", "AAA+25", "XYZ-24:00:01"])
def test_a_time_zone_python_cannot_use_is_one_line(home: Path, zone: str) -> None:
    in_process("done", "1")  # the store set up in this process: only TZ needs its own
    in_process("skill", "3")  # the map shows when it was rated
    for command in (("log",), ("show", "1"), ("status",), ("journal",), ("map",)):
        result = mlpath(home, *command, env={"TZ": zone})
        one_line(result, 2, f"TZ={zone!r} is not a time zone mlpath can use")


@pytest.mark.slow
def test_a_zone_name_the_system_does_not_know_means_utc(home: Path) -> None:
    """As the README says: not an error (the C library falls back to UTC for every program)."""
    in_process("done", "1")
    unknown = mlpath(home, "log", env={"TZ": "Nowhere/Atlantis"})
    assert unknown.returncode == 0 and unknown.stderr == ""
    assert unknown.stdout == mlpath(home, "log", env={"TZ": "UTC"}).stdout


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "garbage", "1e999", "3601"])
def test_lock_timeout_that_is_not_a_sane_number_is_refused(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("MLPATH_LOCK_TIMEOUT", value)
    one_line(run("done", "1"), 2, "MLPATH_LOCK_TIMEOUT should be a number of seconds from 0")
    assert files(home) == {}


@pytest.mark.parametrize("value", ["0", "2.5", " 7 ", ""])
def test_lock_timeout_in_range_is_taken(
    run: Run, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("MLPATH_LOCK_TIMEOUT", value)
    assert run("done", "1").exit_code == 0


# -- files to read: only regular ones, of a sane size ----------------------------------------


def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_not_waited_on(home: Path, tmp_path: Path) -> None:
    path = fifo(tmp_path)
    one_line(mlpath(home, "import", str(path)), 1, f"{path}: a pipe (FIFO)", "only from files")
    one_line(mlpath(home, "--catalogue", str(path), "list"), 1, "a pipe (FIFO)")
    one_line(mlpath(home, "list", env={"MLPATH_CATALOGUE": str(path)}), 1, "a pipe (FIFO)")
    assert files(home) == {}


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused_not_read_until_memory_runs_out(home: Path) -> None:
    one_line(mlpath(home, "import", "/dev/zero"), 1, "/dev/zero: a device")
    one_line(mlpath(home, "list", env={"MLPATH_CATALOGUE": "/dev/zero"}), 1, "a device")


def test_a_folder_is_refused_in_mlpaths_words(run: Run, tmp_path: Path) -> None:
    one_line(run("import", str(tmp_path)), 1, f"{tmp_path}: is a folder; name the export file")
    one_line(run("--catalogue", str(tmp_path), "list"), 1, "is a folder; name the catalogue")


def test_files_over_the_limit_are_refused(run: Run, home: Path, tmp_path: Path) -> None:
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as handle:
        handle.truncate(catalogue.LIMIT + 1)  # sparse: no disk used
    one_line(run("--catalogue", str(huge), "list"), 1, "larger than 16 MiB")
    assert files(home) == {}


def test_deep_nesting_is_one_line(run: Run, home: Path, tmp_path: Path) -> None:
    deep_json = tmp_path / "deep.json"
    deep_json.write_text("[" * 100_000 + "]" * 100_000)
    deep_toml = tmp_path / "deep.toml"
    deep_toml.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n")
    deep_table = tmp_path / "table.toml"
    deep_table.write_text("a = " + "{b = " * 100_000 + "1" + "}" * 100_000 + "\n")
    one_line(run("import", str(deep_json)), 1, "nested too deeply")
    one_line(run("--catalogue", str(deep_toml), "list"), 1, "nested too deeply")
    one_line(run("--catalogue", str(deep_table), "list"), 1, "nested too deeply")
    assert files(home) == {}


def test_a_file_that_is_not_utf8(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"format": "caf\xe9"}')
    one_line(run("import", str(path)), 1, "not UTF-8 text")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[]", "not an mlpath export (a JSON array, not an object)"),
        ("42", "not an mlpath export (a JSON number, not an object)"),
        ("{}", "not an mlpath export (it has no format; `mlpath export` writes"),
        ('{"format": "mlpath-export", "version": 3}', "export version 3 is not one this"),
    ],
)
def test_the_shape_of_an_import_in_mlpaths_words(
    run: Run, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "e.json"
    path.write_text(content)
    result = run("import", str(path))
    one_line(result, 1, message)
    assert "Input should" not in result.stderr


# -- the catalogue: one URL once per step ----------------------------------------------------


def test_a_url_twice_in_one_step_is_refused(run: Run, home: Path, tmp_path: Path) -> None:
    text = (REPO / "data" / "steps.toml").read_text()
    first = text.index('url = "', text.index("take-ml-courses"))
    url = text[first + 7 : text.index('"', first + 7)]
    second = text.index('url = "', first + 1)
    end = text.index('"', second + 7)
    path = tmp_path / "twice.toml"
    path.write_text(text[: second + 7] + url + text[end:])
    result = run("--catalogue", str(path), "done", "3.2")
    assert result.stderr == (
        f"mlpath: {path}: step 3 (take-ml-courses): resource 2: url: {url} is already "
        "resource 1's\n"
    )
    one_line(result, 1, f"{path}: step 3 (take-ml-courses): resource 2: url: {url}")

    assert files(home) == {}


# -- files to write: never through a symbolic link -------------------------------------------


@pytest.mark.parametrize("command", ["journal", "export"])
@pytest.mark.parametrize("force", [True, False])
def test_output_to_a_symbolic_link_is_refused(
    run: Run, tmp_path: Path, command: str, force: bool
) -> None:
    target = tmp_path / "elsewhere.md"
    target.write_text("the learner's own file\n")
    link = tmp_path / "post.md"
    link.symlink_to(target)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    for path in (link, dangling):
        result = run(command, "-o", str(path), *(["--force"] if force else []))
        one_line(result, 1, f"{path} is a symbolic link: name the file itself")
        assert path.is_symlink()
    assert target.read_text() == "the learner's own file\n"
    assert not (tmp_path / "nowhere.md").exists()


# -- a file that fails its model, in mlpath's words ------------------------------------------

PYDANTIC = re.compile(r"Input should|Field required|Extra inputs|String should|valid integer")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("at", "yesterday"), "events[0].at: should be a time with its offset, like 2026-"),
        (("seq", "seven"), "events[0].seq: should be a whole number"),
        (("machine", "my laptop!"), "events[0].machine: letters, digits, - and _ only, 1 to 64"),
        (("colour", "red"), "events[0].colour: not a field of an exported event"),
        (("action", None), "events[0].action: should be an action's name"),
    ],
    ids=lambda v: str(v)[:20],
)
def test_an_export_that_fails_its_model_says_so_in_mlpaths_words(
    run: Run, home: Path, tmp_path: Path, change: tuple[str, object], words: str
) -> None:
    run("done", "1")
    export = tmp_path / "e.json"
    run("export", "-o", str(export))
    document = json.loads(export.read_text())
    document["events"][0][change[0]] = change[1]
    export.write_text(json.dumps(document))
    before = files(home)
    result = run("import", "--merge", str(export))
    one_line(result, 1, words)
    assert not PYDANTIC.search(result.stderr), result.stderr
    assert files(home) == before


def test_pydantics_errors_in_words() -> None:
    from pydantic import BaseModel, ConfigDict, Field, ValidationError

    from mlpath.errors import in_words

    class Model(BaseModel):
        model_config = ConfigDict(extra="forbid")
        rating: int = Field(ge=1, le=10)
        name: str = Field(min_length=1, max_length=5)
        theme: Literal["light", "dark"] = "light"

    cases = [
        ({"rating": 11, "name": "a"}, "should be at most 10"),
        ({"rating": 0, "name": "a"}, "should be at least 1"),
        ({"rating": 1.5, "name": "a"}, "should be a whole number"),
        ({"rating": 3, "name": ""}, "should not be empty"),
        ({"rating": 3, "name": "toolong"}, "should be 5 characters or fewer"),
        ({"rating": 3, "name": "a", "theme": "blue"}, "should be 'light' or 'dark'"),
        ({"rating": 3}, "missing"),
        ({"rating": 3, "name": "a", "x": 1}, "not a field mlpath knows"),
    ]
    for data, words in cases:
        with pytest.raises(ValidationError) as caught:
            Model.model_validate(data)
        assert in_words(caught.value.errors(include_url=False)[0]) == words, data
