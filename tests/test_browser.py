"""The page and the pictures in a real browser: headless Chromium renders them at a phone's
width (390 px) and a desktop's (1280 px), light and dark. The text of every step is in the
rendered page, and nothing runs past the viewport's right edge: the rightmost columns of
each screenshot are the page's background."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import Result

from mlpath import catalogue
from mlpath.safe import xml_text
from tests.headless import Browser
from tests.test_pictures import HOSTILE_NOTE, midway

Image = pytest.importorskip(
    "PIL.Image", reason="Pillow reads the screenshots: pip install -e '.[test]'"
)
CHROMIUM = next(
    (
        found
        for name in ("chromium", "chromium-browser", "google-chrome")
        if (found := shutil.which(name))
    ),
    None,
)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="headless Chromium is not installed (.ci/run installs the `chromium` package)",
    ),
]
Run = Callable[..., Result]
HEIGHT = 9000  # taller than the page at 390 px: the whole page is in the screenshot
BACKGROUND = {"light": (255, 255, 255), "dark": (13, 17, 23)}


# One browser per colour scheme for the whole module (tests/headless.py): a start costs a
# second, and each page loads afresh in it, in the viewport its test asks for.
BROWSERS: dict[str, Browser] = {}


@pytest.fixture(scope="module", autouse=True)
def browsers() -> Iterator[None]:
    yield
    for browser in BROWSERS.values():
        browser.close()
    BROWSERS.clear()


def browser(scheme: str) -> Browser:
    if scheme not in BROWSERS:
        assert CHROMIUM is not None
        BROWSERS[scheme] = Browser(CHROMIUM, *(["--force-dark-mode"] if scheme == "dark" else []))
    return BROWSERS[scheme]


def screenshot(target: Path, width: int, height: int, scheme: str, out: Path) -> object:
    out.write_bytes(browser(scheme).screenshot(target.as_uri(), width, height))
    return Image.open(out).convert("RGB")


@pytest.fixture
def journey(run: Run, tmp_path: Path) -> Path:
    midway()
    page = tmp_path / "journey.html"
    assert run("page", "-o", str(page)).exit_code == 0
    return page


def test_every_step_and_note_is_in_the_rendered_page_as_text(journey: Path) -> None:
    dom = browser("light").dom(journey.as_uri())
    cat = catalogue.load(catalogue.bundled_path(), bundled=True)
    for step in cat.steps:
        assert xml_text(step.title) in dom and xml_text(step.summary) in dom
        if step.done_when:
            assert xml_text(step.done_when) in dom
    first_line = HOSTILE_NOTE.split("\n")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom and "onerror" in dom
    assert xml_text(first_line).replace('"', "&quot;") in dom or xml_text(first_line) in dom
    assert "<script" not in dom and "<img" not in dom


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_page_fits_the_viewport_and_follows_the_colour_scheme(
    journey: Path, tmp_path: Path, width: int, scheme: str
) -> None:
    shot = screenshot(journey, width, HEIGHT, scheme, tmp_path / f"page-{width}-{scheme}.png")
    w, h = shot.size  # type: ignore[attr-defined]
    background = BACKGROUND[scheme]
    right = {shot.getpixel((x, y)) for x in range(w - 6, w) for y in range(h)}  # type: ignore[attr-defined]
    assert right == {background}, f"something runs past the right edge at {width} px"
    bottom = {shot.getpixel((x, h - 1)) for x in range(w)}  # type: ignore[attr-defined]
    assert bottom == {background}, "the page is longer than the screenshot"
    top = {shot.getpixel((x, y)) for x in range(0, w, 2) for y in range(0, 600, 2)}  # type: ignore[attr-defined]
    assert len(top) > 8, "next to nothing drawn"


@pytest.mark.parametrize("width", [390, 1280])
def test_every_picture_renders_in_the_browser_and_fits(
    run: Run, tmp_path: Path, width: int
) -> None:
    """The three pictures as a README shows them: images, scaled down to fit where narrow."""
    midway()
    commands = {"card": ["card"], "map": ["map", "--svg"], "activity": ["activity", "--svg"]}
    tags = []
    for name, command in commands.items():
        assert run(*command, "-o", str(tmp_path / f"{name}.svg")).exit_code == 0
        tags.append(f'<p><img id={name} alt={name} src="{name}.svg" style="max-width:100%"></p>')
    harness = tmp_path / "pictures.html"
    harness.write_text(
        '<!DOCTYPE html><meta name="viewport" content="width=device-width">'
        "<body style='margin:0;padding:8px;background:#fff'>" + "".join(tags)
    )
    shot = screenshot(harness, width, 1600, "light", tmp_path / "pictures.png")
    w, h = shot.size  # type: ignore[attr-defined]
    right = {shot.getpixel((x, y)) for x in range(w - 4, w) for y in range(h)}  # type: ignore[attr-defined]
    assert right == {(255, 255, 255)}, f"a picture runs past the right edge at {width} px"
    colours = {shot.getpixel((x, y)) for x in range(0, w, 3) for y in range(0, h, 3)}  # type: ignore[attr-defined]
    # The card's greens, the map's zones and points, the calendar's shades: all drawn.
    assert len(colours) > 40, "the pictures drew next to nothing"
    assert (26, 127, 55) in colours  # the green of a done step (svg.THEMES light "done")


LONG_WORD = "W" * 150  # no space to break at, and the widest Latin letter


def long_catalogue(tmp_path: Path, title: str = LONG_WORD) -> Path:
    from tests.test_untrusted import catalogue as team

    return team(
        tmp_path,
        path_title=title,
        step_title=title,
        step_summary=title,
        step_done_when=title,
        resource_title=title,
        resource_url="https://example.test/" + "a" * 300,
    )


def test_a_word_too_long_for_a_phone_is_broken_not_run_past_the_viewport(
    run: Run, tmp_path: Path
) -> None:
    team = long_catalogue(tmp_path)
    assert run("--catalogue", str(team), "start", "1").exit_code == 0
    assert run("--catalogue", str(team), "note", "1", "n" * 400).exit_code == 0
    page = tmp_path / "long.html"
    made = run("--catalogue", str(team), "page", "-o", str(page), "--title", LONG_WORD)
    assert made.exit_code == 0, made.output
    shot = screenshot(page, 390, HEIGHT, "light", tmp_path / "long.png")
    w, h = shot.size  # type: ignore[attr-defined]
    right = {shot.getpixel((x, y)) for x in range(w - 6, w) for y in range(h)}  # type: ignore[attr-defined]
    assert right == {BACKGROUND["light"]}, "a long word runs past the right edge at 390 px"


@pytest.mark.parametrize("title", [LONG_WORD, "機械学習" * 30, "\ufdfd" * 40])
def test_a_long_step_title_on_the_card_stays_out_of_the_status_column(
    run: Run, tmp_path: Path, title: str
) -> None:
    """The card with a step title that fills any room, against the same card with a short
    one: the column of statuses on the right (and the margin after it) are the same pixels."""
    shots = []
    for name, words in (("plain", "x"), ("long", title)):
        folder = tmp_path / name
        folder.mkdir()
        team = long_catalogue(folder, words)
        drawn = folder / "card.svg"
        assert run("--catalogue", str(team), "card", "-o", str(drawn)).exit_code == 0
        shots.append(screenshot(drawn, 480, 200, "light", folder / "card.png"))
    plain, long = shots
    statuses = (480 - 110, 80, 480, 140)  # the rows of steps 1 and 2, right of their titles
    margin = (480 - 19, 0, 480, 200)  # right of everything, the card's edge included
    for region in (statuses, margin):
        assert plain.crop(region).tobytes() == long.crop(region).tobytes(), region  # type: ignore[attr-defined]


# The shade of a day with one change (svg.THEMES "cell1"), and of the map's anxiety zone
# ("anxiety"), in each scheme.
ONE_CHANGE = {"light": (172, 238, 187), "dark": (3, 58, 22)}
ANXIETY = {"light": (255, 235, 233), "dark": (60, 22, 24)}


def longest_run(shot: object, colour: tuple[int, int, int], across: bool) -> int:
    """The longest row (across) or column of pixels of exactly `colour`: Pillow marks each
    pixel of that colour 255 and every other 0 (band by band), and a run is a run of 255s
    in one row of the mask (a column is a row of the mask turned on its diagonal)."""
    from PIL import ImageChops

    bands = [
        band.point(lambda value, wanted=wanted: 255 if value == wanted else 0)
        for band, wanted in zip(shot.split(), colour, strict=True)  # type: ignore[attr-defined]
    ]
    mask = ImageChops.multiply(ImageChops.multiply(bands[0], bands[1]), bands[2])
    if not across:
        mask = mask.transpose(Image.Transpose.TRANSPOSE)
    w, h = mask.size
    data = mask.tobytes()
    rows = (data[line * w : (line + 1) * w] for line in range(h))
    return max((len(run) for row in rows for run in re.findall(rb"\xff+", row)), default=0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_calendar_and_the_map_are_drawn_full_size_on_a_phone_and_a_desktop(
    run: Run, tmp_path: Path, width: int, scheme: str
) -> None:
    """A day of the calendar is 10 px square, and the map's anxiety zone runs 8 of its 30 px
    cells down at skill 1, at 390 px as at 1280: a phone gets half a year and the map laid
    out narrow, not both shrunk to half their size."""
    from mlpath.store import record
    from tests.test_pictures import _apply, moment

    _apply([lambda t: [t.note(3, f"day {d}", moment(d - 200)) for d in range(0, 200, 2)]])
    page = tmp_path / "journey.html"
    assert run("page", "-o", str(page)).exit_code == 0
    assert record.read_history()
    shot = screenshot(page, width, 4000, scheme, tmp_path / f"full-{width}-{scheme}.png")
    assert longest_run(shot, ONE_CHANGE[scheme], across=True) >= 9, "the calendar's days shrank"
    assert longest_run(shot, ANXIETY[scheme], across=False) >= 230, "the map shrank"
    right = {shot.getpixel((x, y)) for x in range(width - 6, width) for y in range(4000)}  # type: ignore[attr-defined]
    assert right == {BACKGROUND[scheme]}, f"something runs past the right edge at {width} px"
