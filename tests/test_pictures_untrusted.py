"""Any text in a catalogue or a note, markup and control characters included, stays text
in the pictures, the page and the journal's front matter: never an element, an attribute,
a link that runs, or broken XML or YAML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime
from html.parser import HTMLParser

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlpath import catalogue
from mlpath.catalogue import Resource
from mlpath.core.history import Event
from mlpath.core.progress import Note, PathProgress, Progress, Status, StepProgress
from mlpath.core.tracker import Tracker
from mlpath.plain import replace
from mlpath.safe import visible
from mlpath.views import activity, card, journal, mapsvg, page
from tests.conftest import examples

AT = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
NASTY = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ site.github }}",
    "{% include x %}",
    "---",
    "]]><!--",
    "&amp; &#0; &bogus;",
    "\x00\x1b[2J\u202e\ufffe",
]
BUNDLED = catalogue.load(catalogue.bundled_path(), bundled=True)
texts = st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=40)).filter(
    lambda t: t.strip() != ""
)


# A rating of 3: the map's skill over time has a point to draw.
EVENTS = [
    Event(
        machine="local",
        seq=1,
        batch=1,
        clock=1,
        at=AT,
        catalogue=BUNDLED.id,
        action="skill",
        step=None,
        details={"from": None, "to": 3},
    )
]


def tracker_with(title: str, step_title: str, note: str, extra: str) -> Tracker:
    """The bundled path with step 1 and the path renamed, a note and resource title set: built
    past the catalogue's validation, so that the pictures are tested on their own."""
    cat = BUNDLED
    first = cat.steps[0]
    resource = replace(first.resources[0], title=extra)
    step = replace(first, title=step_title, done_when=extra, resources=[resource])
    cat = replace(cat, title=title, steps=[step, *cat.steps[1:]])
    entry = StepProgress(status=Status.IN_PROGRESS, changed=AT, notes=[Note(at=AT, text=note)])
    progress = Progress(paths={cat.id: PathProgress(last_activity=AT, steps={first.id: entry})})
    return Tracker(cat, progress)


def drawings(tracker: Tracker) -> dict[str, str]:
    days = Counter({AT.date(): 2})
    return {
        "card": card.render(tracker, "light"),
        "map": mapsvg.render(tracker, 3, "rated", EVENTS, "dark"),
        "narrow map": mapsvg.render(tracker, 3, "rated", EVENTS, "auto", wide=False, ident="mn"),
        "activity": activity.picture(days, "auto"),
        "short activity": activity.picture(days, "auto", span=page.SHORT_WEEKS),
    }


def shape(svg: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each element and its attributes' names, in order; lines of text in a row count as
    one (a long title may take two lines where a short one takes one)."""
    found: list[tuple[str, tuple[str, ...]]] = []
    for e in ET.fromstring(svg).iter():
        here = (e.tag, tuple(sorted(e.attrib)))
        if not (found and here == found[-1] and e.tag.endswith("}text")):
            found.append(here)
    return found


class Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, tuple[str, ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, tuple(sorted(name for name, _ in attrs))))


def html_shape(html: str) -> list[tuple[str, tuple[str, ...]]]:
    """As shape(), for the whole page: lines of text in a row count as one."""
    parser = Markup()
    parser.feed(html)
    found: list[tuple[str, tuple[str, ...]]] = []
    for here in parser.seen:
        if not (found and here == found[-1] and here[0] == "text"):
            found.append(here)
    return found


def whole_page(tracker: Tracker) -> str:
    drawn = drawings(tracker)
    pictures = page.Pictures(
        drawn["card"], drawn["map"], drawn["activity"], drawn["narrow map"], drawn["short activity"]
    )
    return page.render(tracker, pictures, "T")


PLAIN = tracker_with("x", "x", "x", "x")
PLAIN_SHAPES = {name: shape(svg) for name, svg in drawings(PLAIN).items()}
PLAIN_PAGE = html_shape(whole_page(PLAIN))


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=texts, step_title=texts, note=texts, extra=texts)
def test_no_text_ever_becomes_markup(title: str, step_title: str, note: str, extra: str) -> None:
    tracker = tracker_with(title, step_title, note, extra)
    for name, svg in drawings(tracker).items():
        assert shape(svg) == PLAIN_SHAPES[name], name
    assert html_shape(whole_page(tracker)) == PLAIN_PAGE


@settings(max_examples=examples(150), deadline=None)
@given(title=texts)
def test_any_title_makes_valid_front_matter_in_a_site_post(title: str) -> None:
    post = journal.render(PLAIN, [], AT, title, [("My progress", "/a/x.svg", "/a/x-dark.svg")])
    front = yaml.safe_load(post.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert front["title"] == visible(title)


def test_only_http_and_https_addresses_become_links_on_the_page() -> None:
    cat = BUNDLED
    first = cat.steps[0]
    bad = [
        Resource(title=f"r{n}", url=url, kind="video")
        for n, url in enumerate(
            ["javascript:alert(1)", "data:text/html,<b>x</b>", "https://ok.test/a?b=1&c=2"]
        )
    ]
    cat = replace(cat, steps=[replace(first, resources=bad), *cat.steps[1:]])
    html = whole_page(Tracker(cat, Progress()))
    assert 'href="javascript' not in html and 'href="data' not in html
    assert "r0 (javascript:alert(1))" in html
    assert "r1 (data:text/html,&lt;b&gt;x&lt;/b&gt;)" in html
    assert '<a href="https://ok.test/a?b=1&amp;c=2">r2</a>' in html


def test_the_page_fetches_nothing_and_runs_nothing() -> None:
    html = whole_page(PLAIN)
    tags = {tag for tag, _ in html_shape(html)}
    assert not tags & {"script", "img", "link", "iframe", "object", "embed", "image"}
    assert "default-src 'none'" in html
    assert "@import" not in html and "url(" not in html


def test_an_undo_and_what_it_undid_make_no_day_active() -> None:
    def event(seq: int, day: int, action: str, **details: object) -> Event:
        at = datetime(2026, 11, day, 9, tzinfo=UTC)
        return Event(
            machine="local",
            seq=seq,
            batch=seq,
            clock=seq,
            at=at,
            catalogue="p",
            action=action,
            step="s",
            details=details,
        )

    events = [
        event(1, 2, "start", to="in_progress"),
        event(2, 5, "done", to="done"),
        event(3, 5, "undo", undoes="local:2", of="done"),
    ]
    assert activity.active_days(events, "p") == Counter({datetime(2026, 11, 2).date(): 1})
