"""The journal built as Jekyll builds it: front matter read by a YAML parser, then the body
rendered by Liquid (python-liquid) and then by a CommonMark parser (markdown-it-py). Nothing
in the data may become a Liquid tag, an include, an HTML element or a Markdown link."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import liquid
import pytest
import yaml
from markdown_it import MarkdownIt
from typer.testing import Result

from tests.test_untrusted import catalogue

Run = Callable[..., Result]

# Elements the journal's own Markdown makes: headings, paragraphs, lists, emphasis, links.
OURS = {"h2", "p", "ul", "li", "em", "strong", "a"}
INCLUDED = "INCLUDED-FILE"

HOSTILE_TITLE = "<script>alert(1)</script> {{ site.github }} $$x$$ | a | ~~gone~~ # end #"
HOSTILE_STEP = (
    "<img src=x onerror=alert(1)> {% include x.html %} {% endraw %} *em* _u_ `code` "
    "[a link](https://evil.test) ![img](https://evil.test/i.png) <https://evil.test> &lt;b&gt;"
)
HOSTILE_RESOURCE = "x](javascript:alert(1)) [y"
HOSTILE_URL = "https://x.test/a)<script>alert(2)</script>{{x}}\"'[b]$$"
HOSTILE_NOTE = (
    "{{ 'a' | upcase }} {% include x.html %} {% raw %}{% endraw %}{% endraw %} "
    "<script>x</script>\r# heading\n- item\n\n<div>block</div> \x1b]0;T\x07 {: .class}"
)


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


def build(post: str) -> tuple[dict[str, object], str, str]:
    """The front matter, the body after Liquid, and the page's HTML, as Jekyll makes them."""
    assert post.startswith("---\n")
    front, body = post[4:].split("\n---\n", 1)
    env = liquid.Environment(loader=liquid.DictLoader({"x.html": INCLUDED}))
    rendered = env.from_string(body).render(site={"github": "SITE-DATA"}, page={})
    return yaml.safe_load(front), rendered, MarkdownIt("commonmark").render(rendered)


def test_hostile_catalogue_and_notes_never_become_liquid_html_or_links(
    run: Run, tmp_path: Path
) -> None:
    path = catalogue(
        tmp_path,
        path_title=HOSTILE_TITLE,
        step_title=HOSTILE_STEP,
        resource_title=HOSTILE_RESOURCE,
        resource_url=HOSTILE_URL,
    )
    for command in (["done", "1.1"], ["note", "1", HOSTILE_NOTE]):
        assert run("--catalogue", str(path), *command).exit_code == 0
    post = run("--catalogue", str(path), "journal").stdout
    _, rendered, html = build(post)
    assert rendered == post.split("\n---\n", 1)[1], "Liquid ran something from the data"
    assert INCLUDED not in html and "SITE-DATA" not in html
    elements = Elements()
    elements.feed(html)
    assert set(elements.tags) <= OURS, elements.tags
    assert elements.tags.count("a") == 1
    assert elements.hrefs == [
        "https://x.test/a%29%3Cscript%3Ealert%282%29%3C/script%3E%7B%7Bx%7D%7D%22%27%5Bb%5D%24%24"
    ]
    tokens = MarkdownIt("commonmark").parse(post.split("\n---\n", 1)[1])
    assert not [t for t in tokens if t.type.startswith("html")]
    # Readable: the page shows the text as it was written, hidden characters shown.
    for text in ("&lt;script&gt;alert(1)&lt;/script&gt;", "{{ site.github }}", "$$x$$"):
        assert text in html
    assert "{% include x.html %} {% endraw %} *em* _u_ `code` [a link](https://evil.test)" in html
    assert (
        "{% raw %}{% endraw %}{% endraw %} &lt;script&gt;x&lt;/script&gt;\\r# heading - item"
        in html
    )
    assert "\\x1b]0;T\\x07 {: .class}" in html


@pytest.mark.parametrize(
    "title",
    [
        'He said "hi": # not a comment',
        "DEL \x7f and C1 \x85\x9b and a line\u2028separator",
        "- a list? [no] {no} &anchor *alias !tag %percent @at `tick",
        "---\n...\nnew: key",
        "a noncharacter, \ufffe",  # (a lone surrogate is refused as an argument)
    ],
)
def test_any_title_makes_valid_front_matter(run: Run, tmp_path: Path, title: str) -> None:
    post = tmp_path / "post.md"
    assert run("journal", "-o", str(post), "--title", title).exit_code == 0
    front, _, _ = build(post.read_text(encoding="utf-8", errors="strict"))
    assert front["layout"] == "post"
    shown = front["title"]
    assert isinstance(shown, str) and shown.isprintable()
    assert shown == (
        title.replace("\x7f", "\\x7f")
        .replace("\x85", "\\x85")
        .replace("\x9b", "\\x9b")
        .replace("\u2028", "\\u2028")
        .replace("\n", "\\n")
        .replace("\ufffe", "\\ufffe")
    )


KRAMDOWN = shutil.which("kramdown")
SITE_TAGS = OURS | {"figure", "picture", "source", "img"}


class Attributes(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def site_post(run: Run, tmp_path: Path) -> str:
    """The post `journal --site` writes for a hostile catalogue and note, after Liquid ran
    on it with a project site's relative_url (base path /blog)."""
    path = catalogue(tmp_path, path_title=HOSTILE_TITLE, step_title=HOSTILE_STEP)
    for command in (["done", "1"], ["note", "1", HOSTILE_NOTE]):
        assert run("--catalogue", str(path), *command).exit_code == 0
    site = tmp_path / "blog"
    site.mkdir()
    assert run("--catalogue", str(path), "journal", "--site", str(site)).exit_code == 0
    (post,) = (site / "_posts").iterdir()
    body = post.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    env = liquid.Environment(loader=liquid.DictLoader({"x.html": INCLUDED}))
    env.add_filter("relative_url", lambda url: "/blog" + str(url))
    return env.from_string(body).render(site={"github": "SITE-DATA"}, page={})


def assert_pictures(html: str) -> None:
    """The two pictures, light by default and dark for a dark-mode reader, and nothing
    else from the data became an element."""
    seen = Attributes()
    seen.feed(html)
    assert {tag for tag, _ in seen.seen} <= SITE_TAGS, seen.seen
    assert INCLUDED not in html and "SITE-DATA" not in html
    sources = [a for tag, a in seen.seen if tag == "source"]
    images = [a for tag, a in seen.seen if tag == "img"]
    assert [(a.get("media"), a.get("srcset")) for a in sources] == [
        ("(prefers-color-scheme: dark)", f"/blog/assets/mlpath/{name}-dark.svg")
        for name in ("progress", "map")
    ]
    assert [(a.get("src"), a.get("alt")) for a in images] == [
        ("/blog/assets/mlpath/progress.svg", "My progress"),
        ("/blog/assets/mlpath/map.svg", "My flow map"),
    ]


def test_a_site_post_shows_light_and_dark_pictures_in_commonmark(run: Run, tmp_path: Path) -> None:
    assert_pictures(MarkdownIt("commonmark").render(site_post(run, tmp_path)))


@pytest.mark.skipif(
    KRAMDOWN is None,
    reason="kramdown is not installed (apt-get install kramdown ruby-kramdown-parser-gfm)",
)
def test_a_site_post_shows_light_and_dark_pictures_in_kramdown_as_github_pages_does(
    run: Run, tmp_path: Path
) -> None:
    """kramdown with the GFM parser, which GitHub Pages runs on a post."""
    assert KRAMDOWN is not None
    done = subprocess.run(
        [KRAMDOWN, "--input", "GFM"],
        input=site_post(run, tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert_pictures(done.stdout)
    assert "&#60;script&#62;alert(1)&#60;/script&#62;" in done.stdout  # shown, as text
