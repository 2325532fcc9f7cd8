"""Drawing primitives for mlpath's pictures: SVG elements as text. Pure.

Every piece of text and every attribute value goes through safe.xml_text or safe.xml_attr,
so a title from a catalogue can never become an element, an attribute or a script. Numbers
are written with one decimal at most, so the same store always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable

from mlpath.safe import xml_attr, xml_text

# Fonts the reader already has: a picture must not fetch anything.
FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif"

# Colours by theme: the card and the map are drawn with classes, themed in one <style>.
THEMES: dict[str, dict[str, str]] = {
    "light": {
        "bg": "#ffffff",
        "fg": "#1f2328",
        "dim": "#59636e",
        "line": "#d1d9e0",
        "done": "#1a7f37",
        "doing": "#9a6700",
        "skipped": "#818b98",
        "todo": "#59636e",
        "flow": "#dafbe1",
        "anxiety": "#ffebe9",
        "boredom": "#ddf4ff",
        "you": "#8250df",
        "cell0": "#eff2f5",
        "cell1": "#aceebb",
        "cell2": "#4ac26b",
        "cell3": "#1a7f37",
        "pflow": "#1a7f37",
        "panxiety": "#cf222e",
        "pboredom": "#0969da",
        "ink": "#ffffff",
    },
    "dark": {
        "bg": "#0d1117",
        "fg": "#f0f6fc",
        "dim": "#9198a1",
        "line": "#3d444d",
        "done": "#3fb950",
        "doing": "#d29922",
        "skipped": "#656c76",
        "todo": "#9198a1",
        "flow": "#12361f",
        "anxiety": "#3c1618",
        "boredom": "#0c2d4f",
        "you": "#ab7df8",
        "cell0": "#151b23",
        "cell1": "#033a16",
        "cell2": "#196c2e",
        "cell3": "#56d364",
        "pflow": "#3fb950",
        "panxiety": "#f85149",
        "pboredom": "#4493f8",
        "ink": "#0d1117",
    },
}
THEME_NAMES = ("light", "dark", "auto")  # auto follows prefers-color-scheme


def num(value: float) -> str:
    """A coordinate: whole numbers plain, others to one decimal, never "-0"."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def attrs(pairs: dict[str, str | float]) -> str:
    return "".join(
        f' {name}="{num(value) if isinstance(value, int | float) else xml_attr(value)}"'
        for name, value in pairs.items()
    )


def element(name: str, pairs: dict[str, str | float], content: str | None = None) -> str:
    """One element; `content` is markup already made by these functions, or None."""
    if content is None:
        return f"<{name}{attrs(pairs)}/>"
    return f"<{name}{attrs(pairs)}>{content}</{name}>"


def text(x: float, y: float, words: str, cls: str, anchor: str = "start") -> str:
    """Words from anywhere, as character data."""
    pairs: dict[str, str | float] = {"x": x, "y": y, "class": cls}
    if anchor != "start":
        pairs["text-anchor"] = anchor
    return element("text", pairs, xml_text(words))


def rect(x: float, y: float, w: float, h: float, cls: str, radius: float = 0) -> str:
    pairs: dict[str, str | float] = {"x": x, "y": y, "width": w, "height": h, "class": cls}
    if radius:
        pairs["rx"] = radius
    return element("rect", pairs)


def circle(x: float, y: float, r: float, cls: str) -> str:
    return element("circle", {"cx": x, "cy": y, "r": r, "class": cls})


def points(pairs: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{num(x)},{num(y)}" for x, y in pairs)


def shorten(words: str, room: int) -> str:
    """At most `room` characters: SVG text does not wrap, and a long title must not run off."""
    return words if len(words) <= room else words[: room - 1].rstrip() + "…"


_NARROW = frozenset("fijlrt.,;:'|!()[] ")
_BROAD = frozenset("MWmw@%")


MARKS = 2  # marks on one letter that take next to no room; more stack up, and are counted


def _em(ch: str) -> float | None:
    """A generous guess at the width of `ch` in ems, in any of FONT's faces; None for a mark
    that sits on the letter before it (a combining accent, a joiner)."""
    if ch.isascii():
        if ch in _NARROW:
            return 0.34
        if ch in _BROAD:
            return 1.0
        return 0.76 if ch.isupper() else 0.6
    import unicodedata

    if unicodedata.combining(ch) or ch in "\u200c\u200d":
        return None
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.8


def _widths(words: str) -> list[float]:
    """Each character's width: a letter's own, its first MARKS marks next to nothing, and
    any beyond a whole em, so that a flood of marks (a title of thousands) is still cut."""
    out, marks = [], 0
    for ch in words:
        width = _em(ch)
        marks = 0 if width is not None else marks + 1
        out.append(width if width is not None else 0.05 if marks <= MARKS else 1.0)
    return out


def measure(words: str, size: float) -> float:
    """The guessed width of `words` in pixels at `size`."""
    return sum(_widths(words)) * size


def fit(words: str, room: float, size: float) -> str:
    """`words` cut (with an ellipsis) to about `room` pixels at a font `size` px: SVG text
    does not wrap. A guess, generous for Latin, CJK and most scripts; box() clips what a
    rare glyph wider than its guess still pushes past."""
    widths = _widths(words)
    budget = room / size
    if sum(widths) <= budget:
        return words
    used = 0.6  # the ellipsis
    for cut, each in enumerate(widths):
        used += each
        if used > budget:
            return words[:cut].rstrip() + "…"
    return words


def wrap(words: str, room: float, size: float) -> list[str]:
    """`words` broken between words into lines of about `room` pixels (fit() cuts a word
    longer than a line)."""
    lines: list[str] = []
    for word in words.split():
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and measure(joined, size) <= room:
            lines[-1] = joined
        else:
            lines.append(fit(word, room, size))
    return lines


def box(x: float, y: float, w: float, h: float, body: list[str]) -> str:
    """`body` drawn with its origin at (x, y) and clipped to w by h: no text inside can run
    into what is drawn beside the box, whatever it holds."""
    pairs: dict[str, str | float] = {"x": x, "y": y, "width": w, "height": h}
    return element("svg", {**pairs, "overflow": "hidden"}, "".join(body))


def _rules(prefix: str, colours: dict[str, str], rules: dict[str, str]) -> str:
    out = []
    for selector, template in rules.items():
        out.append(f".{prefix}{selector}{{{template.format(**colours)}}}")
    return "".join(out)


def style(prefix: str, theme: str, rules: dict[str, str]) -> str:
    """The picture's <style>: class rules with {colour} names filled from the theme. Class
    names carry `prefix`, so pictures inlined into one page never restyle each other."""
    if theme == "auto":
        light = _rules(prefix, THEMES["light"], rules)
        dark = _rules(prefix, THEMES["dark"], rules)
        css = f"{light}@media (prefers-color-scheme:dark){{{dark}}}"
    else:
        css = _rules(prefix, THEMES[theme], rules)
    return f"<style>text{{font-family:{FONT}}}{css}</style>"


def document(
    prefix: str,
    width: float,
    height: float,
    title: str,
    description: str,
    body: list[str],
    *,
    ident: str | None = None,
) -> str:
    """A standalone SVG: its <title> and <desc> are the text alternative readers are given.
    Their ids start with `ident` (by default the class prefix): pictures inlined into one
    page must each have their own."""
    ident = ident or prefix
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(height)}" '
        f'viewBox="0 0 {num(width)} {num(height)}" role="img" '
        f'aria-labelledby="{ident}title {ident}desc">'
    )
    return (
        head
        + element("title", {"id": f"{ident}title"}, xml_text(title))
        + element("desc", {"id": f"{ident}desc"}, xml_text(description))
        + "".join(body)
        + "</svg>\n"
    )
