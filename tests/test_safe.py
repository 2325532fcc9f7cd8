"""Properties of safe.py, for any text: all of Unicode (lone surrogates too), control
characters, and the markup of every destination. Whatever a destination prints holds no
control character the text brought in, and no markup the text brought in becomes markup.

What counts as hidden is written here from Unicode's categories, independently of safe.py.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from contextlib import redirect_stdout
from xml.etree import ElementTree

import liquid
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from mlpath import safe
from mlpath.views import screen
from tests.conftest import examples

JOINERS = {"\u200c", "\u200d"}


def is_hidden(ch: str) -> bool:
    category = unicodedata.category(ch)
    hidden = category in ("Cc", "Cf", "Cs", "Zl", "Zp") and ch not in JOINERS
    return hidden or ch in ("\ufffe", "\uffff")


def hidden_in(text: str, *, newlines: bool = False) -> list[str]:
    return [ch for ch in text if is_hidden(ch) and not (newlines and ch == "\n")]


# fmt: off
PIECES = [
    # terminal: escape sequences, 8-bit controls, bidi, rich markup
    "\x1b]0;T\x07", "\x1b]52;c;eA==\x07", "\x1b[2J", "\x1b]8;;https://e.test\x1b\\", "\r",
    "\n", "\t", "\x9b", "\x7f", "\u202e", "\u2066", "\u200b", "\ufeff", "\u2028",
    "[bold red]", "[/]", "[link=https://e.test]", ":smile:",
    # Liquid and Jekyll
    "{{", "}}", "{%", "%}", "{% raw %}", "{% endraw %}", "{% include x.html %}", "{:", "$$",
    # HTML and Markdown
    "<script>", "</div>", "<img src=x onerror=alert(1)>", "&amp;", "&#60;", "<!--",
    "*", "**", "_", "`", "```", "[", "]", "](", ")", "![", "<https://e.test>", "|", "~~",
    "# ", "\\", "- ", "1. ", "> ", "    ",
    # YAML and XML
    '"', "'", ": ", " #", "---", "&a", "!!python/object", "]]>", "\ud800", "\ufffe",
]
# fmt: on
ANY_CHARACTER = st.characters(exclude_categories=())  # lone surrogates included
TEXT = st.lists(st.one_of(st.text(ANY_CHARACTER, max_size=8), st.sampled_from(PIECES))).map("".join)


@given(TEXT, st.booleans())
def test_terminal_text_holds_nothing_hidden_and_hides_nothing(text: str, newlines: bool) -> None:
    shown = safe.terminal(text, newlines=newlines)
    assert not hidden_in(shown, newlines=newlines)
    if not hidden_in(text, newlines=newlines):
        assert shown == text
    for ch in hidden_in(text, newlines=newlines):
        assert safe.shown(ch) in shown


OWN_ESCAPES = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^;\x1b\x07]*;[!-~]*\x1b\\")
OSC8 = re.compile(r"\x1b\]8;[^;]*;([^\x1b]*)\x1b\\")


def emitted(lines: list[screen.Line]) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        screen.emit(lines)
    return out.getvalue()


def rows(text: str) -> list[str]:
    """Lines as a reader sees them: trailing blanks do not show."""
    return [row.rstrip() for row in text.rstrip().split("\n")]


@pytest.mark.parametrize("on_terminal", [False, True])
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=examples(150))
@given(parts=st.lists(st.tuples(TEXT, st.sampled_from(["", "bold", "red", "link"])), max_size=4))
def test_a_screen_shows_any_text_as_text(
    monkeypatch: pytest.MonkeyPatch, on_terminal: bool, parts: list[tuple[str, str]]
) -> None:
    """Plain or through rich, the only escape codes are mlpath's styles and links, the
    text reads as safe.terminal shows it (rich markup literally), and a link is made only
    for an http or https address with nothing hidden in it."""
    monkeypatch.setenv("COLUMNS", "100000")
    if on_terminal:
        monkeypatch.setenv("FORCE_COLOR", "1")
        monkeypatch.setenv("TERM", "xterm-256color")
        monkeypatch.delenv("NO_COLOR", raising=False)
    line = [(part, f"link {part}" if style == "link" else style) for part, style in parts]
    out = emitted([line])
    readable = OWN_ESCAPES.sub("", out)
    assert not hidden_in(readable, newlines=True)
    expected = "".join(safe.terminal(part) for part, _ in parts)
    assert rows(readable) == rows(expected)
    for url in OSC8.findall(out):
        assert url == "" or (
            re.match(r"(?i)https?:", url) and url.isprintable() and not re.search(r"\s", url)
        )


@given(TEXT)
def test_json_is_the_same_data_with_nothing_hidden(text: str) -> None:
    data = {"text": text, "list": [text, 1, None]}
    out = safe.json_text(data)
    assert not hidden_in(out, newlines=True)
    assert json.loads(out) == data


LIQUID = liquid.Environment(loader=liquid.DictLoader({"x.html": "INCLUDED"}))
MARKDOWN = MarkdownIt("commonmark")


@given(TEXT)
def test_markdown_text_is_never_liquid_html_or_markup(text: str) -> None:
    """As the journal places it (after its own markup on a line), any text renders through
    Liquid unchanged and through CommonMark as one paragraph of plain text that reads as
    the text did, hidden characters shown and line breaks as spaces."""
    body = f"- **2026-11-24**: {safe.markdown_text(text)}"
    assert not hidden_in(body)
    assert LIQUID.from_string(body).render() == body
    tokens = MARKDOWN.parse(body)
    assert [t.type for t in tokens] == [
        "bullet_list_open", "list_item_open", "paragraph_open", "inline",
        "paragraph_close", "list_item_close", "bullet_list_close",
    ]  # fmt: skip
    children = tokens[3].children or []
    types = [t.type for t in children]
    assert types[:5] == ["text", "strong_open", "text", "strong_close", "text"]
    assert set(types[5:]) <= {"text"}
    shown = "".join(t.content for t in children[4:])
    expected = ": " + safe.visible(text.replace("\r\n", "\n").replace("\n", " "))
    assert shown.strip() == expected.strip()


URL_TAIL = st.text(
    st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp", "Zs")).filter(
        lambda ch: not ch.isspace() and ch not in "\ufffe\uffff"
    )
    | st.sampled_from(list("()[]<>\"'`{}\\*_$!&%#?")),
    min_size=1,
)


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.com/a", True),
        ("HTTP://example.com", True),
        ("HTTP", False),
        ("https", False),
        ("http:example.com", False),
        ("https://", False),
        ("https:///etc", False),
        ("ftp://example.com", False),
        ("https://a b", False),
    ],
)
def test_only_a_web_address_with_a_host_becomes_a_link(url: str, linked: bool) -> None:
    """A word that merely starts like a scheme ("HTTP") is not a link target."""
    assert safe.link_target(url) == (url if linked else None)
    assert safe.web_address(url) == (linked or url == "https://a b")


@given(st.sampled_from(["https://", "http://", "HTTPS://"]), URL_TAIL)
def test_a_markdown_link_target_cannot_leave_its_parentheses(scheme: str, tail: str) -> None:
    body = f"- [x] [title]({safe.markdown_url(scheme + 'h' + tail)}) after"
    inline = MARKDOWN.parse(body)[3]
    types = [t.type for t in inline.children or []]
    assert types == ["text", "link_open", "text", "link_close", "text"]
    assert (inline.children or [])[4].content == " after"
    assert LIQUID.from_string(body).render() == body


@given(TEXT)
def test_any_title_is_a_valid_yaml_string(text: str) -> None:
    front = f"layout: post\ntitle: {safe.yaml_string(text)}\ntags: [a]\n"
    assert yaml.safe_load(front) == {"layout": "post", "title": safe.visible(text), "tags": ["a"]}


@given(TEXT)
def test_xml_text_and_attributes_are_never_markup(text: str) -> None:
    value = safe.xml_attr(text)
    element = ElementTree.fromstring(f"<a b=\"{value}\" c='{value}'>{safe.xml_text(text)}</a>")
    assert list(element) == []
    assert (element.text or "") == safe.visible(text, newlines=True)
    assert element.get("b") == element.get("c") == safe.visible(text)
