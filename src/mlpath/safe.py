"""Text mlpath did not write, made safe for where it goes.

A team's catalogue, an export from another machine and a learner's notes are data, and data
must never become instructions to whatever shows it: escape sequences to a terminal, Liquid
tags or HTML to a Jekyll site, YAML to its front matter. Each destination has one function
here, and every path to that destination goes through it (screen.emit for the terminal, the
journal for Markdown), so a new command cannot forget. SVG and HTML pages use xml_text and
xml_attr; a new destination is a new function here, not a second copy elsewhere.

Characters that control a device or change how text reads without being seen (C0 and C1
controls, DEL, bidirectional overrides and isolates, zero-width and other format characters,
line and paragraph separators, lone surrogates) never pass. They are shown instead, the way
Python writes them in a string (`\\x1b`, `\\u202e`), so nothing is silently hidden.
"""

from __future__ import annotations

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

# Unicode's "other" and line-separator categories that are not plain printable characters.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Format characters that scripts and emoji need to be drawn right (Persian, Indic, 👩‍💻): they
# join or part letters and reorder or hide nothing.
_JOINERS = frozenset({"\u200c", "\u200d"})
# Not characters at all; YAML and XML refuse them.
_NONCHARACTERS = frozenset({"\ufffe", "\uffff"})


def hidden(ch: str) -> bool:
    """Whether `ch` controls a device or changes how text reads instead of being read."""
    if ch in _NONCHARACTERS:
        return True
    if ch.isprintable() or ch in _JOINERS:  # a C-level check that settles almost every one
        return False
    import unicodedata

    return unicodedata.category(ch) in _HIDDEN_CATEGORIES


_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def shown(ch: str) -> str:
    """A hidden character as Python writes it in a string: \\t, \\x1b, \\u202e, \\U000e0041."""
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _plain(text: str) -> bool:
    """Nothing hidden in `text`: the usual case, decided in C."""
    return text.isprintable() and "\ufffe" not in text and "\uffff" not in text


def first_hidden(text: str) -> str | None:
    """The first hidden character in `text`, shown; None when there is none."""
    if _plain(text):
        return None
    return next((shown(ch) for ch in text if hidden(ch)), None)


def visible(text: str, *, newlines: bool = False) -> str:
    """`text` with every hidden character shown instead; newlines kept where one is meant."""
    if _plain(text):
        return text
    return "".join(shown(ch) if hidden(ch) and not (newlines and ch == "\n") else ch for ch in text)


# -- the terminal --------------------------------------------------------------------------


def terminal(text: str, *, newlines: bool = True) -> str:
    """Text for a terminal, styled or piped: no escape sequence from data reaches it.

    Rich markup needs nothing: screen.emit appends text to rich's Text, never parsing it.
    """
    if text.isascii() and text.isprintable():  # the usual case, decided in C: as it is
        return text
    return visible(text, newlines=newlines)


def terminal_as_is(texts: Iterable[str]) -> bool:
    """Whether every one of `texts` is ASCII and what terminal(text, newlines=False) makes
    of it is the text itself: one check in C for the 25,000 cells of a 5,000-step table,
    instead of a call each. Nothing hidden in the whole means nothing hidden in any part:
    whether a character is hidden is the character's own affair."""
    whole = "".join(texts)
    # ASCII is printable from the space to the tilde: what str.isprintable, which looks each
    # character up (ten times the work), says of it.
    return whole.isascii() and not whole.encode("ascii").translate(None, _ASCII_PRINTABLE)


_ASCII_PRINTABLE = bytes(range(0x20, 0x7F))


def link_target(url: str) -> str | None:
    """`url` if a terminal may make it a hyperlink: http or https with nothing hidden and no
    whitespace, which would end the link early or smuggle in another; else None."""
    if not web_address(url) or not url.isprintable() or any(c.isspace() for c in url):
        return None
    return url


def web_address(url: str) -> bool:
    """Whether `url` starts as an http:// or https:// address with a host: "HTTP" alone, or
    "http:x", is text, not an address."""
    scheme, sep, rest = url.partition("://")
    return bool(sep) and scheme.lower() in ("http", "https") and rest[:1] not in ("", *"/$.?#")


# -- JSON ----------------------------------------------------------------------------------


def json_text(data: Any) -> str:
    """JSON with every hidden character escaped (\\u009b): the same data to a parser, and
    nothing a terminal acts on when it is printed there."""
    import json  # not at the top: only --json, export and the journal need it (start-up)

    return json_escaped(json.dumps(data, indent=2, ensure_ascii=False))


def json_plain(text: str) -> bool:
    """Nothing hidden in JSON text but its newlines: json_escaped leaves it as it is."""
    return _plain(text.replace("\n", ""))


def json_escaped(text: str) -> str:
    """JSON text with every hidden character in it escaped."""
    if json_plain(text):
        return text
    import json

    # Outside strings JSON has only spaces and newlines, so a hidden character here is in a
    # string, where \\uXXXX (a surrogate pair above the BMP) means the same character.
    return "".join(json.dumps(ch)[1:-1] if ch != "\n" and hidden(ch) else ch for ch in text)


def json_nested(data: Any, level: int, *, ascii: bool = False) -> str:
    """What json_text(data) writes, as it reads nested `level` deep in a document json_text
    writes (its later lines indented): one element at a time, for documents too long to
    build whole (the log, an export). With `ascii`, every other character escaped too.
    Python's own indenting encoder takes ten times as long; an object of scalars and of
    objects of scalars (an event) takes the short road."""
    import json.encoder

    quote = json.encoder.encode_basestring_ascii if ascii else json.encoder.encode_basestring
    text = _flat(data, level, quote) if type(data) is dict else None
    return json_escaped(_nested(data, level, quote) if text is None else text)


def json_quote(text: str) -> str:
    """A string as json_nested writes it (before json_escaped)."""
    import json.encoder

    return str(json.encoder.encode_basestring(text))


def json_flat(item: dict[Any, Any], level: int, quote: Any = None) -> str | None:
    """json_nested(item, level) before json_escaped, for an object of scalars and of such
    objects; None when it holds anything else. `quote` is json.encoder.encode_basestring,
    given by a caller that writes an object an event (no import each time)."""
    if quote is None:
        import json.encoder

        quote = json.encoder.encode_basestring
    return _flat(item, level, quote)


def _flat(item: dict[Any, Any], depth: int, quote: Any) -> str | None:
    """What _nested writes of an object of scalars and of such objects (an event), without a
    call for each value; None when it holds anything else."""
    if not item:
        return "{}"
    inner = "\n" + "  " * (depth + 1)
    parts = []
    for key, each in item.items():
        kind = type(each)
        if kind is str:
            shown = quote(each)
        elif kind is int:
            shown = int.__repr__(each)
        elif each is None:
            shown = "null"
        elif kind is bool:
            shown = "true" if each else "false"
        elif kind is dict:
            shown = _flat(each, depth + 1, quote)
            if shown is None:
                return None
        else:
            return None
        parts.append(f"{quote(key if type(key) is str else str(key))}: {shown}")
    return "{" + inner + ("," + inner).join(parts) + "\n" + "  " * depth + "}"


def _scalar(item: Any, quote: Any) -> str | None:
    if type(item) is str:
        return str(quote(item))
    if item is None:
        return "null"
    if item is True or item is False:
        return "true" if item else "false"
    if type(item) is int:
        return int.__repr__(item)
    return None


def _nested(item: Any, depth: int, quote: Any) -> str:
    shown = _scalar(item, quote)
    if shown is not None:
        return shown
    inner, outer = "\n" + "  " * (depth + 1), "\n" + "  " * depth
    if isinstance(item, dict):
        if not item:
            return "{}"
        pairs = [
            f"{quote(str(key))}: {_nested(each, depth + 1, quote)}" for key, each in item.items()
        ]
        return "{" + inner + ("," + inner).join(pairs) + outer + "}"
    if isinstance(item, list | tuple):
        if not item:
            return "[]"
        items = ("," + inner).join([_nested(each, depth + 1, quote) for each in item])
        return "[" + inner + items + outer + "]"
    import json

    if isinstance(item, float):
        return json.dumps(item)
    raise TypeError(f"not JSON: {type(item).__name__}")


# -- Markdown for Jekyll -------------------------------------------------------------------

# Characters that Liquid ({ }), HTML (< > &), or Markdown's inline syntax (emphasis, code,
# links, images, tables, strikethrough, kramdown's math and header ids) could read as markup.
# Each becomes a numeric character reference: CommonMark and kramdown both show it as the
# character and never as syntax, and Liquid, which runs first, never sees a brace.
_MARKDOWN = {ord(ch): f"&#{ord(ch)};" for ch in "\\`*_[]<>&{}|~$#!"}


def markdown_text(text: str) -> str:
    """Inline Markdown that shows `text` as it is: one line, no markup, no Liquid."""
    return visible(text.replace("\r\n", "\n").replace("\n", " ")).translate(_MARKDOWN)


_URL_KEEP = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@!&+,;=%"
)


def markdown_url(url: str) -> str:
    """A link destination that cannot leave its parentheses: everything but the URL's own
    plain characters percent-encoded (parentheses, brackets, quotes, braces, <, >, \\, and
    $, which kramdown reads as maths)."""
    from urllib.parse import quote

    return "".join(ch if ch in _URL_KEEP else quote(ch, safe="") for ch in url)


def markdown_attr(text: str) -> str:
    """An attribute value (in double quotes) of raw HTML inside Jekyll Markdown: no quote
    or tag can end it, and Liquid, which runs first, never sees a brace."""
    return xml_attr(text).translate({ord("{"): "&#123;", ord("}"): "&#125;"})


def liquid_path(path: str) -> str:
    """A path inside a single-quoted Liquid string inside such an attribute: everything but
    a URL's plain characters percent-encoded (markdown_url: no quote, brace or space), and
    & written for HTML."""
    return markdown_url(path).replace("&", "&amp;")


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar that reads back as `text` shown visibly, for any text.
    (A JSON string is one: YAML's double-quoted escapes include all of JSON's.)"""
    import json

    return json.dumps(visible(text), ensure_ascii=False)


# -- XML: SVG and HTML pages ---------------------------------------------------------------

_XML = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
_XML_ATTR = {**_XML, ord('"'): "&quot;", ord("'"): "&#39;"}


def xml_text(text: str) -> str:
    """Character data for an XML or HTML element: no tag, entity or control can come of it."""
    return visible(text, newlines=True).translate(_XML)


def xml_attr(text: str) -> str:
    """A quoted attribute value (either quote), on one line."""
    return visible(text).translate(_XML_ATTR)
