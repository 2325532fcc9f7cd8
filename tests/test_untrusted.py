"""Text mlpath did not write (a team's catalogue, notes, an import) never takes over the
terminal or the learner's published journal, and a catalogue that can only be an attack is
refused at load with one line that names the file, the step and the field."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import tomli_w
from typer.testing import Result

Run = Callable[..., Result]

# What an attacker would put in text a terminal shows: a window title (OSC 0), the clipboard
# (OSC 52), a cleared screen, a carriage return that hides what came before, a link whose
# text is another link (OSC 8), an 8-bit CSI, DEL, and a right-to-left override.
HOSTILE = (
    "probe \x1b]0;PWNED\x07 \x1b]52;c;cm0gLXJmIH4=\x07 \x1b[2J"
    "rm -rf ~\rharmless \x1b]8;;https://evil.test\x1b\\spoof\x1b]8;;\x1b\\ \x9b31m \x7f "
    "\u202egnp.exe end"
)
# Every character that controls a terminal or changes how text reads without being seen.
HIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
# Escape sequences mlpath itself writes on a terminal: colours and styles, and links.
OWN_ESCAPES = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^;\x1b\x07]*;[!-~]*\x1b\\")


def catalogue(tmp_path: Path, **changes: object) -> Path:
    """A small team catalogue; `changes` replace fields of the path, step 1 or its resource."""
    resource: dict[str, object] = {
        "title": "A course",
        "url": "https://example.test/course",
        "kind": "course",
    }
    step: dict[str, object] = {
        "id": "one",
        "title": "First step",
        "summary": "Do it.",
        "challenge": 2,
    }
    path: dict[str, object] = {"id": "team", "title": "Team path"}
    for key, value in changes.items():
        where, _, field = key.partition("_")
        {"resource": resource, "step": step, "path": path}[where][field] = value
    second = {"id": "two", "title": "Second step", "summary": "Then this.", "challenge": 4}
    path["steps"] = [{**step, "resources": [resource]}, second]
    file = tmp_path / "team.toml"
    file.write_text(tomli_w.dumps(path))
    return file


def test_a_note_with_escape_sequences_is_shown_visibly_never_raw(run: Run) -> None:
    assert run("note", "3", HOSTILE).exit_code == 0
    for command in (["show", "3"], ["log"], ["status"]):
        out = run(*command).stdout
        assert not HIDDEN.search(out), (command, out)
    shown = run("show", "3").stdout
    assert (
        "probe \\x1b]0;PWNED\\x07 \\x1b]52;c;cm0gLXJmIH4=\\x07 \\x1b[2Jrm -rf ~\\rharmless" in shown
    )
    assert "\\x9b31m \\x7f \\u202egnp.exe end" in shown


@pytest.mark.parametrize(
    "command", [["list", "--json"], ["show", "3", "--json"], ["log", "--json"], ["export"]]
)
def test_json_escapes_what_a_terminal_would_act_on_and_keeps_the_data(
    run: Run, command: list[str]
) -> None:
    assert run("note", "3", HOSTILE).exit_code == 0
    out = run(*command).stdout
    assert not HIDDEN.search(out.replace("\n", "")), out
    assert HOSTILE in _strings(json.loads(out))


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return []


def test_on_a_terminal_only_mlpaths_own_styles_and_links_are_escape_codes(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = catalogue(tmp_path, step_title="[bold red]Loud[/] [link=https://evil.test]x[/link]")
    assert run("--catalogue", str(path), "note", "1", HOSTILE).exit_code == 0
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR")
    for command in (["show", "1"], ["list"], ["log"], ["status"], ["next"], ["map"]):
        out = run("--catalogue", str(path), *command).stdout
        assert "\x1b[" in out, f"{command}: no styling on a terminal"
        assert not HIDDEN.search(OWN_ESCAPES.sub("", out).replace("\n", "")), (command, out)
    shown = run("--catalogue", str(path), "show", "1").stdout
    links = re.findall(r"\x1b\]8;[^;]*;([^\x1b]*)\x1b\\", shown)
    assert set(links) == {"https://example.test/course", ""}, links
    assert "[bold red]Loud[/] [link=https://evil.test]x[/link]" in OWN_ESCAPES.sub("", shown)


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("path_title", "Team \x1b]0;PWNED\x07", "title: holds a control character, \\x1b"),
        ("step_title", "rm -rf ~\rharmless", "step 1 (one): title: holds a control character, \\r"),
        ("step_title", "a\u202eb", "step 1 (one): title: holds a control character, \\u202e"),
        ("step_summary", "a\x9b2Jb", "step 1 (one): summary: holds a control character, \\x9b"),
        ("step_summary", "tab\there", "step 1 (one): summary: holds a control character, \\t"),
        (
            "step_done_when",
            "published \x1b]0;PWNED\x07",
            "step 1 (one): done_when: holds a control character, \\x1b",
        ),
        (
            "resource_title",
            "\x1b]8;;https://evil.test\x1b\\spoof",
            "step 1 (one): resource 1: title: holds a control character, \\x1b",
        ),
        (
            "resource_kind",
            "video\x7f",
            "step 1 (one): resource 1: kind: holds a control character, \\x7f",
        ),
        (
            "resource_url",
            "https://x.test/\x1b]52;c;eA==\x07",
            "step 1 (one): resource 1: url: holds a control character, \\x1b",
        ),
        (
            "resource_url",
            "https://x.test/a\x07",
            "step 1 (one): resource 1: url: holds a control character, \\x07",
        ),
        (
            "resource_url",
            "https://x.test/a\u2028b",
            "step 1 (one): resource 1: url: holds a control character, \\u2028",
        ),
        (
            "step_id",
            "one\x1b[2J",
            "step 1 (one\\x1b[2J): id: should be lowercase letters, digits and single dashes, "
            "like take-ml-courses",
        ),
    ],
)
def test_a_catalogue_that_can_only_be_an_attack_is_refused_in_one_escaped_line(
    run: Run, tmp_path: Path, home: Path, field: str, value: str, where: str
) -> None:
    path = catalogue(tmp_path, **{field: value})
    result = run("--catalogue", str(path), "list")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"mlpath: {path}: {where}\n"
    assert not home.exists()


def test_a_catalogue_url_with_whitespace_is_refused(run: Run, tmp_path: Path) -> None:
    path = catalogue(tmp_path, resource_url="https://x.test/a\u00a0b")
    result = run("--catalogue", str(path), "list")
    assert result.exit_code == 1
    assert result.stderr.endswith("step 1 (one): resource 1: url: holds whitespace, \\xa0\n")


def test_a_summary_may_run_over_several_lines(run: Run, tmp_path: Path) -> None:
    path = catalogue(tmp_path, step_summary="First line.\nSecond line.\n")
    out = run("--catalogue", str(path), "show", "1").stdout
    assert "\nFirst line.\nSecond line.\n" in out


def test_an_imported_change_is_shown_visibly(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export from another machine is data too: what the log shows of it is escaped."""
    assert run("note", "3", "fine").exit_code == 0
    exported = json.loads(run("export").stdout)
    exported["events"][0]["details"]["text"] = HOSTILE
    file = tmp_path / "other.json"
    file.write_text(json.dumps(exported))
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "elsewhere"))
    assert run("import", str(file)).exit_code == 0
    log = run("log").stdout
    assert "probe \\x1b]0;PWNED\\x07" in log
    assert not HIDDEN.search(log)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,<script>x</script>"]
)
def test_only_web_addresses_are_accepted(run: Run, tmp_path: Path, url: str) -> None:
    path = catalogue(tmp_path, resource_url=url)
    result = run("--catalogue", str(path), "open", "1.1")
    assert result.exit_code == 1
    assert result.stderr.endswith("resource 1: url: should be an http:// or https:// address\n")


def test_open_hands_the_address_to_the_browser_as_one_argument_without_a_shell(
    tmp_path: Path, home: Path
) -> None:
    url = "https://x.test/a;touch${IFS}pwned&b=$(touch${IFS}pwned)|`touch${IFS}pwned`"
    path = catalogue(tmp_path, resource_url=url, resource_title="[link=https://evil.test]A[/]")
    record = tmp_path / "argv.json"
    browser = tmp_path / "browser"
    browser.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    browser.chmod(0o755)
    result = subprocess.run(
        [sys.executable, "-m", "mlpath", "--catalogue", str(path), "open", "1.1"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "MLPATH_HOME": str(home), "BROWSER": str(browser)},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(record.read_text()) == [url]
    assert not list(tmp_path.rglob("pwned"))
    assert result.stdout == f"Opened [link=https://evil.test]A[/]: {url}\n"
