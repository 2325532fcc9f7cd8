"""The command line explains itself: usage errors in one line, help that reads like a manual."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from mlpath import jsonkeys
from tests.conftest import Ran, commands, files

Run = Callable[..., Result]


Main = Callable[..., Ran]


def wide(main: Main, *args: str, columns: int = 80) -> Ran:
    """Through main(), as the installed script runs, at a terminal width."""
    return main(*args, env={"COLUMNS": str(columns)})


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["stauts"],
            "mlpath: no such command 'stauts' (did you mean 'status' or 'start'?); "
            "see `mlpath help`",
        ),
        (["show"], "mlpath: missing argument N; see `mlpath help show`"),
        (["done"], "mlpath: missing argument N[.K]; see `mlpath help done`"),
        (["show", "3", "4"], "mlpath: unexpected argument 4; see `mlpath help show`"),
        (["rate", "3", "4", "5", "6"], "mlpath: unexpected arguments 5 6; see `mlpath help rate`"),
        (["list", "--bogus"], "mlpath: no such option --bogus; see `mlpath help list`"),
        (
            ["next", "--skil", "3"],
            "mlpath: no such option --skil (did you mean --skill?); see `mlpath help next`",
        ),
        (
            ["next", "--skill"],
            "mlpath: option --skill requires an argument; see `mlpath help next`",
        ),
        (
            ["--json"],
            "mlpath: --json goes after a command, as in `mlpath status --json`; it works with "
            "status, list, show, next, skill, map, log, doctor, sync, cohort, where",
        ),
        (
            ["help", "stat"],
            "mlpath: no help on 'stat' (did you mean 'start' or 'status'?); `mlpath help` lists "
            "the commands",
        ),
    ],
)
def test_a_usage_error_is_one_line_in_mlpaths_voice(
    run: Run, main: Main, home: Path, args: list[str], line: str
) -> None:
    run("done", "1")
    before = files(home)
    for result in (run(*args), wide(main, *args)):
        code = result.exit_code if isinstance(result, Result) else result.returncode
        assert (code, result.stderr.splitlines(), result.stdout) == (2, [line], "")
    assert files(home) == before


def test_help_command_is_dash_h(main: Main) -> None:
    assert wide(main, "help").stdout == wide(main, "-h").stdout
    for command in commands():
        shown = wide(main, "help", command)
        assert shown.returncode == 0
        assert shown.stdout == wide(main, command, "-h").stdout, command


def test_help_names_arguments_plainly(run: Run) -> None:
    usage = {}
    for command in commands():
        page = run(command, "-h").stdout
        usage[command] = page.splitlines()[0]
        assert not re.search(r"<\w|\{|\[\[", page), (command, page)
        assert not re.search(r"\[x?[<>]=?", page), (command, page)  # click's [x>=1]
    assert usage["show"] == "Usage: root show [OPTIONS] N"
    assert usage["done"] == "Usage: root done [OPTIONS] N[.K]..."
    assert usage["skill"] == "Usage: root skill [OPTIONS] [S]"
    assert usage["note"] == "Usage: root note [OPTIONS] N [TEXT]"
    arguments = run("note", "-h").stdout.split("Arguments:\n")[1].split("\n\n")[0]
    assert arguments.splitlines() == [
        "  N       A step number as `mlpath list` shows it.",
        "  [TEXT]  The note; quote it; - reads stdin.",
    ]


def test_examples_are_one_a_line(run: Run) -> None:
    for command in commands():
        page = run(command, "-h").stdout.splitlines()
        heading = next(
            i for i, line in enumerate(page) if line.strip() in {"Examples:", "Example:"}
        )
        examples = []
        for line in page[heading + 1 :]:
            if not line.strip():
                break
            examples.append(line)
        assert examples, command
        assert all(re.fullmatch(rf"    mlpath {command}\b.*", line) for line in examples), examples
        assert all("    mlpath" not in line[4:] for line in examples), examples
    start = run("start", "-h").stdout.splitlines()
    assert start[start.index("  Examples:") + 1 :][:3] == [
        "    mlpath start 3",
        "    mlpath start 3 4",
        "    mlpath start 3.2",
    ]


@pytest.mark.parametrize("columns", [80, 200])
def test_command_summaries_fit_without_an_ellipsis(main: Main, columns: int) -> None:
    page = wide(main, "-h", columns=columns).stdout
    listed = page.split("Commands:\n")[1].split("\n\n")[0].splitlines()
    assert len(listed) == len(commands())
    for line in listed:
        assert not line.endswith("..."), line
        assert line.endswith("."), line


def test_help_json_documents_every_key(run: Run) -> None:
    page = run("help", "json").stdout
    assert "README" not in run("list", "-h").stdout
    assert "  --json      Print JSON for scripts; `mlpath help json` lists its keys." in (
        run("list", "-h").stdout.splitlines()
    )
    lines = page.splitlines()
    for command, (_, pairs) in jsonkeys.KEYS.items():
        at = lines.index(f"mlpath {command} --json: {jsonkeys.KEYS[command][0]}")
        shown = [line.split()[0] for line in lines[at + 1 : at + 1 + len(pairs)]]
        assert shown == [key for key, _ in pairs], command


def _printed(run: Run, *args: str) -> object:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_documented_keys_are_the_printed_keys(run: Run, tmp_path: Path) -> None:
    from tests.syncing import bare

    remote = bare(tmp_path / "remote.git")
    run("skill", "3")
    run("done", "1")
    run("undo")
    printed = {
        "list": _printed(run, "list", "--json")[0],  # type: ignore[index]
        "show": _printed(run, "show", "3", "--json"),
        "status": _printed(run, "status", "--json"),
        "next": _printed(run, "next", "--json"),
        "skill": _printed(run, "skill", "--json"),
        "map": _printed(run, "map", "--json"),
        "log": _printed(run, "log", "--json")[0],  # type: ignore[index]
        "doctor": _printed(run, "doctor", "--json"),
        "where": _printed(run, "where", "--json"),
        "sync": _printed(run, "sync", "--remote", remote, "--learner", "ada", "--json"),
        "sync --status": _printed(run, "sync", "--status", "--json"),
        "cohort": _printed(run, "cohort", "--json")[0],  # type: ignore[index]
    }
    assert set(printed) == set(jsonkeys.KEYS)
    for command, data in printed.items():
        assert isinstance(data, dict)
        assert list(data) == jsonkeys.keys(command), command


def test_the_readme_documents_the_same_keys() -> None:
    from tests.conftest import REPO

    text = (REPO / "README.md").read_text()
    section = text.split("### JSON for scripts")[1].split("\n### ")[0]
    items = {}
    for item in re.split(r"\n- ", section)[1:]:
        name = re.match(r"`(\w+(?: --\w+)?) --json`", item)
        if name:
            items[name.group(1)] = item
    for command in jsonkeys.KEYS:
        assert command in items or command == "show", command
        documented = items.get(command, items["list"])
        for key in jsonkeys.keys(command):
            assert f"`{key}`" in documented, (command, key)


def _strings() -> list[tuple[str, str]]:
    """Every string in mlpath's source, with its module: f-strings piece by piece."""
    import ast

    source = Path(__file__).resolve().parents[1] / "src" / "mlpath"
    found = []
    for path in sorted(source.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append((path.name, node.value))
    return found


def test_a_count_says_its_noun_in_the_number_it_has() -> None:
    """'Sent 1 change(s)': never; '1 change', '2 changes'."""
    bad = [(name, text) for name, text in _strings() if re.search(r"[a-z]\(s\)", text)]
    assert not bad


def test_help_lists_the_commands_in_the_order_the_readme_does(main: Main) -> None:
    from tests.conftest import REPO

    text = (REPO / "README.md").read_text()
    table = text.split("## Commands")[1].split("\n\n")[1]
    named = re.findall(r"^\| `mlpath (\w+)", table, re.M)
    readme = list(dict.fromkeys(named))
    page = wide(main, "-h", columns=100).stdout
    listed = re.findall(r"^  (\w+)  ", page.split("Commands:")[1], re.M)
    assert set(readme) <= set(listed)
    assert [name for name in listed if name in readme] == readme


def test_every_message_quotes_the_commands_it_names_in_backticks() -> None:
    """One style: `mlpath done 3`, never a bare mlpath done 3 in a sentence. (Help pages'
    examples are docstrings, one a line, and the headings of `mlpath help json` are titles.)"""
    import ast

    names = "|".join(commands())
    bare = re.compile(rf"(?<![`\w/-])(?<!an )mlpath ({names})\b")  # not 'an mlpath export'

    source = Path(__file__).resolve().parents[1] / "src" / "mlpath"
    found = []
    for path in sorted(source.rglob("*.py")):
        tree = ast.parse(path.read_text())
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant):
                continue
            text = node.value
            if isinstance(text, str) and id(node) not in docstrings and bare.search(text):
                found.append((path.name, node.lineno, text))
    # jsonkeys: the keys' own names; syncremote: the commit message, "mlpath sync from ..."
    assert [f for f in found if f[0] not in ("jsonkeys.py", "syncremote.py")] == []
