"""The pictures (card, map, activity calendar) and the page, for fixed stores: checked
against stored snapshots, as XML, for their size, and for what they must never contain."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import Result

from mlpath import catalogue, jsonkeys
from mlpath.core.progress import Status
from mlpath.core.tracker import Tracker
from mlpath.store import record

Run = Callable[..., Result]
SNAPSHOTS = Path(__file__).parent / "snapshots" / "pictures"
HOSTILE_NOTE = '<script>alert(1)</script> "><img src=x onerror=alert(2)> {{ site.github }}\n---'
SVG = "{http://www.w3.org/2000/svg}"


def moment(day: int) -> datetime:
    return datetime(2026, 11, 1, 10, 0, tzinfo=UTC) + timedelta(days=day)


def _apply(changes: list[Callable[[Tracker], object]]) -> None:
    cat = catalogue.load(catalogue.bundled_path(), bundled=True)
    for change in changes:
        with record.transaction(cat) as tracker:
            change(tracker)


def midway() -> None:
    """Two steps done, one begun, a rating, a hostile note, skill ratings, an undone change."""
    _apply(
        [
            lambda t: t.set_skill(2, moment(0)),
            lambda t: t.mark(1, Status.DONE, moment(1)),
            lambda t: t.mark(2, Status.DONE, moment(4)),
            lambda t: t.set_skill(3, moment(5)),
            lambda t: t.mark(3, Status.IN_PROGRESS, moment(5)),
            lambda t: t.rate(5, 4, moment(6)),
            lambda t: t.note(3, HOSTILE_NOTE, moment(8)),
            lambda t: t.mark(4, Status.SKIPPED, moment(9)),
            lambda t: t.undo(record.commits_newest_first(), moment(20), record.read_history),
        ]
    )


def complete() -> None:
    _apply([lambda t, r=r: t.mark(r, Status.DONE, moment(r * 3)) for r in range(1, 8)])


# Check-ins as (step, challenge, skill): ten, with enough variation for the eight channels.
CHECKINS = [(3, 6, 4), (3, 7, 5), (3, 5, 5), (3, 4, 6), (2, 3, 6)]
CHECKINS += [(3, 8, 4), (3, 6, 6), (3, 7, 6), (5, 8, 5), (3, 5, 7)]


def checked_in() -> None:
    """Midway, then ten check-ins on later days, one of them undone."""
    midway()
    changes: list[Callable[[Tracker], object]] = [
        lambda t, n=n, c=c: t.checkin(c[0], c[1], c[2], 30, moment(22 + n))
        for n, c in enumerate(CHECKINS)
    ]
    changes.append(lambda t: t.checkin(4, 9, 2, None, moment(40)))
    changes.append(lambda t: t.undo(record.commits_newest_first(), moment(41), record.read_history))
    _apply(changes)


STORES = {"empty": lambda: None, "midway": midway, "complete": complete, "checkins": checked_in}
PICTURES = {
    "card": ["card"],
    "card-dark": ["card", "--theme", "dark"],
    "map": ["map", "--svg"],
    "activity": ["activity", "--svg"],
    "page": ["page"],
}


def draw(run: Run, command: list[str]) -> str:
    result = run(*command)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("picture", PICTURES)
@pytest.mark.parametrize("state", STORES)
def test_every_picture_matches_its_snapshot(run: Run, state: str, picture: str) -> None:
    STORES[state]()
    drawn = draw(run, PICTURES[picture])
    snapshot = SNAPSHOTS / f"{picture}-{state}.{'html' if picture == 'page' else 'svg'}"
    if os.environ.get("MLPATH_UPDATE_SNAPSHOTS"):  # review the pictures, then commit them
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(drawn, encoding="utf-8")
    assert drawn == snapshot.read_text(encoding="utf-8"), (
        f"{snapshot.name} changed; if intended, look at it, then rerun with "
        "MLPATH_UPDATE_SNAPSHOTS=1 and commit it"
    )
    assert draw(run, PICTURES[picture]) == drawn, "the same store drew different bytes"


@pytest.mark.parametrize("picture", [p for p in PICTURES if p != "page"])
@pytest.mark.parametrize("state", STORES)
def test_every_svg_is_well_formed_self_contained_and_described(
    run: Run, state: str, picture: str
) -> None:
    STORES[state]()
    drawn = draw(run, PICTURES[picture])
    root = ET.fromstring(drawn)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags <= {
        "svg",
        "title",
        "desc",
        "style",
        "rect",
        "circle",
        "path",
        "text",
        "polygon",
        "line",
        "polyline",
    }
    assert root.find(f"{SVG}title") is not None and (root.find(f"{SVG}desc").text or "")
    for absent in ("<script", "href", "url(", "@import", "<image", "<foreignObject", "on"):
        attrs = {name for element in root.iter() for name in element.attrib}
        assert not any(name.startswith(absent) for name in attrs)
        if absent != "on":
            assert absent not in drawn


@pytest.mark.parametrize("state", STORES)
def test_the_card_is_small_and_says_everything_in_its_text_alternative(
    run: Run, state: str
) -> None:
    STORES[state]()
    drawn = draw(run, ["card"])
    assert len(drawn.encode()) < 10_000
    desc = ET.fromstring(drawn).find(f"{SVG}desc")
    assert desc is not None and desc.text
    done = {"empty": 0, "midway": 2, "complete": 7, "checkins": 2}[state]
    assert f"{done} of 7 steps done" in desc.text
    assert "Step 7, Work for ML startup" in desc.text


def test_the_card_shows_statuses_skill_last_activity_and_the_current_step(run: Run) -> None:
    midway()
    texts = [t.text for t in ET.fromstring(draw(run, ["card"])).iter(f"{SVG}text")]
    assert "2 of 7 steps done · skill 3 · last activity 2026-11-21" in texts  # the undo
    assert "3. Take ML courses" in texts and "in progress" in texts
    assert "Now: step 3, Take ML courses" in texts
    assert texts.count("done") == 2 and texts.count("to do") == 4  # step 4's skip undone


def test_shields_gives_the_endpoint_badge_json_with_the_documented_keys(run: Run) -> None:
    badge = json.loads(draw(run, ["card", "--shields"]))
    assert list(badge) == [key for key, _ in jsonkeys.SHIELDS]
    page = run("help", "json").stdout
    assert "mlpath card --shields: a shields.io endpoint badge's object, with" in page
    assert badge == {
        "schemaVersion": 1,
        "label": "ML path",
        "message": "0/7 steps",
        "color": "lightgrey",
    }
    complete()
    assert json.loads(draw(run, ["card", "--shields"]))["color"] == "brightgreen"


def test_a_theme_that_does_not_exist_is_a_usage_error(run: Run, home: Path) -> None:
    result = run("card", "--theme", "neon")
    assert result.exit_code == 2
    assert result.stderr == "mlpath: --theme takes light or dark, not 'neon'\n"
    assert result.stdout == ""


def test_a_picture_is_never_written_over_a_file_without_force(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "progress.svg"
    target.write_text("mine")
    result = run("card", "-o", str(target))
    assert result.exit_code == 1 and target.read_text() == "mine"
    assert "exists already: add --force" in result.stderr
    assert run("card", "-o", str(target), "--force").exit_code == 0
    assert target.read_text().startswith("<svg")


def placed(root: ET.Element) -> list[tuple[ET.Element, float, float]]:
    """Every element with the offset of the boxes (nested <svg>) it is drawn in."""
    found: list[tuple[ET.Element, float, float]] = []

    def walk(element: ET.Element, dx: float, dy: float) -> None:
        found.append((element, dx, dy))
        if element.tag == f"{SVG}svg" and element is not root:
            dx, dy = dx + float(element.get("x", 0)), dy + float(element.get("y", 0))
        for child in element:
            walk(child, dx, dy)

    walk(root, 0, 0)
    return found


def plot_frame(root: ET.Element) -> tuple[float, float]:
    """The top left corner of the map's plot, where challenge 10.5 meets skill 0.5."""
    frames = [
        (float(e.get("x", 0)) + dx, float(e.get("y", 0)) + dy)
        for e, dx, dy in placed(root)
        if e.get("class") == "mframe" and e.tag == f"{SVG}rect"
    ]
    assert len(frames) == 1
    return frames[0]


def step_points(root: ET.Element) -> list[tuple[str, float, float]]:
    """The steps' points: their zone class and where their centres are."""
    return [
        (e.get("class", ""), float(e.get("cx", 0)) + dx, float(e.get("cy", 0)) + dy)
        for e, dx, dy in placed(root)
        if e.tag == f"{SVG}circle" and e.get("r") == "9"
    ]


def test_the_map_puts_each_step_where_its_challenge_meets_the_skill(run: Run) -> None:
    midway()
    root = ET.fromstring(draw(run, ["map", "--svg", "--skill", "3"]))
    left, top = plot_frame(root)
    at_skill_3 = left + 2.5 * 30  # the cells are 30 px, skill 1 the first
    # Side by side where two steps share a challenge (steps 3 and 5, at 4): within a point.
    points = {(zone, y) for zone, x, y in step_points(root) if abs(x - at_skill_3) <= 11}
    # challenge 1 (step 1, boredom at skill 3), 4 (step 3, flow), 10 (step 7, anxiety)
    assert ("mpboredom", top + 9.5 * 30) in points
    assert ("mpflow", top + 6.5 * 30) in points
    assert ("mpanxiety", top + 0.5 * 30) in points
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text
    said = "Skill over time (after each rating, check-in or undo of one; 2 in all): 2, 3."
    assert said in desc.text
    assert "Step 5, Start on ML pet projects: challenge 4, flow, todo." in desc.text


def test_the_card_stays_under_10_kb_for_a_long_catalogue_with_long_titles(
    run: Run, tmp_path: Path
) -> None:
    import tomli_w

    steps = [
        {"id": f"s{n}", "title": f"Step {n} " + "long words " * 40, "summary": "S.", "challenge": 3}
        for n in range(1, 61)
    ]
    path = tmp_path / "big.toml"
    path.write_text(tomli_w.dumps({"id": "big", "title": "T " * 300, "steps": steps}))
    drawn = draw(run, ["--catalogue", str(path), "card"])
    assert len(drawn.encode()) < 10_000
    root = ET.fromstring(drawn)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "And 45 more steps" in texts
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text and "And 45 more steps." in desc.text


@pytest.mark.parametrize("flood", ["a" + "\u0301" * 3000, "\u200d" * 5000, "x\u20dd" * 800])
def test_the_card_stays_under_10_kb_when_titles_are_floods_of_marks_that_take_no_room(
    run: Run, tmp_path: Path, flood: str
) -> None:
    """Combining marks and joiners are printable and take (next to) no width: a title made
    of thousands of them must still be cut, or the card grows without bound."""
    import tomli_w

    steps = [{"id": f"s{n}", "title": flood, "summary": "S.", "challenge": 3} for n in range(1, 16)]
    path = tmp_path / "flood.toml"
    path.write_text(tomli_w.dumps({"id": "flood", "title": flood, "steps": steps}))
    assert run("--catalogue", str(path), "start", "1").exit_code == 0
    drawn = draw(run, ["--catalogue", str(path), "card"])
    assert len(drawn.encode()) < 10_000
    ET.fromstring(drawn)
