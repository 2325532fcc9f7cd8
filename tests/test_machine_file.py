"""machine.toml's plain form, read without TOML's parser (store/layout.py), reads as TOML
reads it; any other form is TOML's to read."""

from __future__ import annotations

import tomllib

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from mlpath.store import layout


@given(ident=st.text(), name=st.text())
def test_what_ensure_machine_writes_reads_as_toml_reads_it(ident: str, name: str) -> None:
    text = tomli_w.dumps({"id": ident, "name": name})
    assert layout._machine_toml(text) == tomllib.loads(text)


@given(text=st.from_regex(r'\Aid = "[A-Za-z0-9_-]*"\nname = "[^"]*"\n\Z'))
def test_a_text_of_the_plain_form_reads_as_toml_reads_it(text: str) -> None:
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        with pytest.raises(tomllib.TOMLDecodeError):
            layout._machine_toml(text)
    else:
        assert layout._machine_toml(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        'id = "a"\nname = "b"\nid = "c"\n',  # a key twice: TOML refuses it
        'id = "a"\nname = "b\\u0041"\n',  # an escape
        'id = "a"\r\nname = "b"\r\n',
        'name = "b"\nid = "a"\n',
        'id = "a"\nname = "b"',
    ],
)
def test_any_other_form_is_tomls(text: str) -> None:
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        with pytest.raises(tomllib.TOMLDecodeError):
            layout._machine_toml(text)
    else:
        assert layout._machine_toml(text) == expected
