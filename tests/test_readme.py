"""The README's promises that a test can hold it to."""

from __future__ import annotations

import re

from tests.conftest import REPO


def quick_start() -> list[str]:
    text = (REPO / "README.md").read_text()
    block = re.search(r"## Quick start\n\n```sh\n(.*?)```", text, re.S)
    assert block, "README has no quick start block"
    return block.group(1).strip().splitlines()


def test_quick_start_is_two_commands() -> None:
    assert quick_start() == [
        "python -m pip install . && mlpath next",
        "python -m pip install -e '.[test]' && python -m pytest",
    ]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert quick_start()[1] in ci
