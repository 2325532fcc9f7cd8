"""The fast road (cli/first.py, mlpath.fastroad, store/readcache.py) prints byte for byte
what the full road (the typer app, MLPATH_FULL_ROAD=1) prints, with the same exit code, for
random stores, catalogues, commands and environments; and a cache that is stale, damaged,
foreign or hostile is never shown."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlpath import fastroad
from mlpath.cli import first
from mlpath.store import layout, readcache
from tests.conftest import Ran, examples

FUNCTION = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
WORDS = st.text(
    st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]) | st.sampled_from("世界é "),
    min_size=1,
    max_size=30,
).filter(lambda text: text.strip() == text and text != "")


@st.composite
def catalogues(draw: st.DrawFn) -> str:
    """A team's catalogue: 1-6 steps with titles in any script, 0-3 resources each."""
    steps = []
    for n in range(1, draw(st.integers(1, 6)) + 1):
        title = draw(WORDS).replace('"', "'").replace("\\", "/")
        kinds = st.sampled_from(["video", "article"])
        resources = "".join(
            f'[[steps.resources]]\ntitle = "{draw(WORDS).replace(chr(34), "")} {k}"\n'
            f'url = "https://example.com/{n}/{k}"\nkind = "{draw(kinds)}"\n'
            for k in range(draw(st.integers(0, 3)))
        )
        done = draw(st.sampled_from(["", 'done_when = "You can say what it is."\n']))
        steps.append(
            f'[[steps]]\nid = "step-{n}"\ntitle = "{title}"\nsummary = "Step {n}."\n'
            f"challenge = {draw(st.integers(1, 10))}\n{done}{resources}"
        )
    return 'id = "team"\ntitle = "A team path"\n' + "".join(steps)


ACTIONS = st.one_of(
    st.tuples(st.sampled_from(["done", "start", "skip", "reset"]), st.integers(1, 7).map(str)),
    st.tuples(st.just("note"), st.integers(1, 7).map(str), WORDS),
    st.tuples(
        st.just("checkin"),
        st.integers(1, 7).map(str),
        st.integers(1, 10).map(str),
        st.integers(1, 10).map(str),
    ),
    st.tuples(st.just("skill"), st.integers(1, 10).map(str)),
    st.tuples(st.just("rate"), st.integers(1, 7).map(str), st.integers(1, 10).map(str)),
)
READS = st.sampled_from(
    [
        [],
        ["status"],
        ["status", "--json"],
        ["list"],
        ["list", "--json"],
        ["show", "1"],
        ["show", "2", "--json"],
        ["next"],
        ["next", "--json"],
        ["next", "--all"],
        ["next", "--skill", "3"],
        ["next", "--json", "--skill=9", "--all"],
        # forms the fast road leaves to the full one
        ["show", "0"],
        ["show", "03"],
        ["show", "99"],
        ["next", "--skill", "11"],
        ["list", "--bogus"],
        ["status", "-h"],
    ]
)
ENVS = st.fixed_dictionaries(
    {},
    optional={
        "COLUMNS": st.sampled_from(["30", "80", "200"]),
        "TZ": st.sampled_from(["Europe/Berlin", "America/St_Johns", "UTC+99999"]),
    },
)


@contextmanager
def store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[tuple[Path, pytest.MonkeyPatch]]:
    """A fresh data folder and cache folder for one example, and its own environment."""
    where = Path(tempfile.mkdtemp(dir=tmp_path))
    with monkeypatch.context() as scoped:
        scoped.setenv("MLPATH_HOME", str(where / "home"))
        scoped.setenv("XDG_CACHE_HOME", str(where / "cache"))
        yield where, scoped


def both(main: Callable[..., Ran], argv: list[str], env: dict[str, str]) -> tuple[Ran, Ran]:
    full = main(*argv, env={**env, "MLPATH_FULL_ROAD": "1"})
    fast = main(*argv, env=env)
    return full, fast


def answered(argv: list[str], env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether the fast road answers `argv` itself (so that the comparison is not vacuous)."""
    parsed = first.parse(argv)
    if parsed is None:
        return False
    with monkeypatch.context() as scoped:
        for name, value in env.items():
            scoped.setenv(name, value)
        return fastroad.answer(parsed) is not None


@settings(max_examples=examples(60), suppress_health_check=FUNCTION)
@given(
    actions=st.lists(ACTIONS, max_size=8),
    catalogue=st.none() | catalogues(),
    read=READS,
    env=ENVS,
    by_env=st.booleans(),
)
def test_both_roads_print_the_same(
    main: Callable[..., Ran],
    run: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    actions: list[tuple[str, ...]],
    catalogue: str | None,
    read: list[str],
    env: dict[str, str],
    by_env: bool,
) -> None:
    with store(monkeypatch, tmp_path) as (where, scoped):
        prefix: list[str] = []
        env = dict(env)
        if catalogue is not None:
            path = where / "team.toml"
            path.write_text(catalogue, encoding="utf-8")
            if by_env:
                env["MLPATH_CATALOGUE"] = str(path)
                scoped.setenv("MLPATH_CATALOGUE", str(path))
            else:
                prefix = ["--catalogue", str(path)]
        for action in actions:
            run(*prefix, *action)
        argv = [*prefix, *read]
        full, fast = both(main, argv, env)
        assert fast == full, argv
        plain = read in ([], ["status"], ["list"], ["next"], ["next", "--all"])
        if layout.paths().history.exists() and plain and "TZ" not in env:  # a change committed
            assert answered(argv, env, scoped), f"{argv} took the full road"
        # and after a second look, which may have refreshed the cache
        assert main(*argv, env=env) == full


def test_the_fast_road_needs_the_cache(
    main: Callable[..., Ran], run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No cache: the full road; a change writes it; the next read is answered from it."""
    assert not answered(["status"], {}, monkeypatch)
    run("done", "1")
    assert answered(["status"], {}, monkeypatch)
    assert answered(["show", "1"], {}, monkeypatch)
    assert not answered(["show", "8"], {}, monkeypatch)  # out of range: the full road says so


def _cache() -> Path:
    found = layout.read_cache_text(str(layout.home()))
    assert found is not None
    return Path(found)


def _flip(at: Callable[[bytes], int]) -> Callable[[Path], None]:
    """The cache with one bit of one byte flipped: the byte at(its bytes) gives."""

    def spoil(path: Path) -> None:
        data = bytearray(path.read_bytes())
        data[at(bytes(data))] ^= 1
        path.write_bytes(bytes(data))

    return spoil


def _in_body(data: bytes) -> int:
    """A byte in the middle of the cache's body (readcache.whole), past its CRC and size."""
    head = len(readcache.MAGIC) + 12
    return head + int.from_bytes(data[head - 8 : head], "big") // 2


@pytest.mark.parametrize(
    ("spoil", "body"),
    [
        (lambda p: p.write_bytes(b""), True),
        (lambda p: p.write_bytes(p.read_bytes()[:-7]), False),
        (_flip(lambda data: len(data) - 1), False),
        (_flip(_in_body), True),
        (lambda p: p.write_bytes(b"not a cache at all\n" * 50), True),
        (lambda p: p.write_bytes(p.read_bytes()[:20] + b"\xff" * 4 + p.read_bytes()[24:]), True),
    ],
    ids=["empty", "cut", "flipped", "body-flipped", "foreign", "bad-crc"],
)
def test_a_damaged_cache_is_a_miss(
    main: Callable[..., Ran],
    run: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    spoil: Callable[[Path], None],
    body: bool,
) -> None:
    """Damage anywhere is a miss for a command that reads the damaged part: `show 1` reads
    the body and, after it, step 1's details and notes (readcache.Packed, checked by their
    own CRC-32 when first read). `list` reads the body alone: damage after it is none of
    its business (it shows the truth, from the cache), damage in it a miss."""
    run("done", "1")
    run("note", "1", "a note")
    full = {
        words: main(*words, env={"MLPATH_FULL_ROAD": "1"}) for words in [("list",), ("show", "1")]
    }
    spoil(_cache())
    capsys.readouterr()
    assert first.fast(["show", "1"]) is None  # the full road's to answer
    assert capsys.readouterr().out == ""
    assert main("show", "1") == full[("show", "1")]
    spoil(_cache())  # the full road wrote it anew
    assert answered(["list"], {}, monkeypatch) is not body
    assert main("list") == full[("list",)]


def test_a_cache_that_is_a_link_is_never_followed(
    main: Callable[..., Ran], run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    run("done", "1")
    cache = _cache()
    real = cache.with_name("elsewhere")
    cache.rename(real)
    cache.symlink_to(real)
    assert not answered(["list"], {}, monkeypatch)
    run("done", "2")  # a change replaces the link itself, never what it points to
    assert not cache.is_symlink() and real.read_bytes() != cache.read_bytes()


def test_a_change_by_another_writer_is_never_shown_stale(
    main: Callable[..., Ran], run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache of an earlier state, put back after a change (a restore of an old copy, a
    write by an older mlpath that leaves the cache as it was), misses."""
    run("done", "1")
    old = _cache().read_bytes()
    run("start", "2")
    _cache().write_bytes(old)
    assert not answered(["list"], {}, monkeypatch)
    assert "in progress" in main("list").stdout


def test_the_same_size_and_time_is_not_the_same_file(
    main: Callable[..., Ran], run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """progress.toml rewritten in place with the same size, inode and modification time, its
    content changed: the cache misses (its key holds the change time, which no one can set
    back, and the content's CRC, for an inode reused within one tick of the clock)."""
    run("note", "1", "abc")
    snapshot = layout.paths().progress
    before = snapshot.stat()
    text = snapshot.read_bytes()
    assert b"abc" in text
    with snapshot.open("r+b") as handle:  # same inode, same size
        handle.write(text.replace(b"abc", b"xyz"))
    os.utime(snapshot, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert snapshot.stat().st_size == before.st_size
    assert not answered(["show", "1"], {}, monkeypatch)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
@settings(max_examples=examples(12), suppress_health_check=FUNCTION)
@given(
    actions=st.lists(ACTIONS, min_size=1, max_size=5),
    read=READS,
    columns=st.sampled_from(["24", "60", "120"]),
    no_color=st.booleans(),
)
def test_both_roads_draw_the_same_on_a_terminal(
    run: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    actions: list[tuple[str, ...]],
    read: list[str],
    columns: str,
    no_color: bool,
) -> None:
    """On a pseudo-terminal, in a real process, with and without NO_COLOR: the same bytes
    (rich's hyperlinks carry a random id, so a link's id is the one thing set aside)."""
    with store(monkeypatch, tmp_path) as (where, _):
        for action in actions:
            run(*action)
        env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "COLUMNS"}}
        env |= {"COLUMNS": columns, "TERM": "xterm-256color", "PYTHONHASHSEED": "0"}
        if no_color:
            env["NO_COLOR"] = "1"
        full = on_a_terminal(read, {**env, "MLPATH_FULL_ROAD": "1"}, where)
        fast = on_a_terminal(read, env, where)
        assert fast == full, read


def on_a_terminal(argv: list[str], env: dict[str, str], where: Path) -> tuple[int, bytes]:
    import pty
    import re
    import subprocess

    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from mlpath.cli import main; main()", *argv],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=follower,
            cwd=where,
            timeout=60,
            check=False,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    shown = re.sub(rb"\x1b]8;id=[^;]*;", b"\x1b]8;id=;", b"".join(chunks))
    return done.returncode, shown


def test_next_at_a_terminal_with_stdout_closed_is_answered_without_asking(
    run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`mlpath next >&-` typed at a terminal, no skill rated: nothing can be asked with no
    stdout (screen.interactive, the rule prompts ask by), so the fast road answers, as it
    did not when it wrote that rule again and asked sys.stdout (None) if it was a terminal."""
    run("start", "1")

    class Keyboard:
        def isatty(self) -> bool:
            return True

    with monkeypatch.context() as closed:
        closed.setattr(sys, "stdin", Keyboard())
        closed.setattr(sys, "stdout", None)
        assert answered(["next"], {}, monkeypatch)
    # With both a terminal, the skill question is the full road's to ask.
    with monkeypatch.context() as both_ends:
        both_ends.setattr(sys, "stdin", Keyboard())
        both_ends.setattr(sys, "stdout", Keyboard())
        assert not answered(["next"], {}, monkeypatch)
