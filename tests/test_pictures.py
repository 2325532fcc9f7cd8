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
    _apply([_finishing(rank) for rank in range(1, 8)])


def _finishing(rank: int) -> Callable[[Tracker], object]:
    return lambda t: t.mark(rank, Status.DONE, moment(rank * 3))


STORES = {"empty": lambda: None, "midway": midway, "complete": complete}
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
    desc = root.find(f"{SVG}desc")
    assert root.find(f"{SVG}title") is not None and desc is not None and desc.text
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
    done = {"empty": 0, "midway": 2, "complete": 7}[state]
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
    assert result.stderr == f"mlpath: {target} exists already: add --force to replace it\n"

    assert run("card", "-o", str(target), "--force").exit_code == 0
    assert target.read_text().startswith("<svg")


def test_the_map_puts_each_step_where_its_challenge_meets_the_skill(run: Run) -> None:
    midway()
    root = ET.fromstring(draw(run, ["map", "--svg", "--skill", "3"]))
    points = {(c.get("class"), c.get("cy")) for c in root.iter(f"{SVG}circle") if c.get("r") == "9"}
    # challenge 1 (step 1, boredom at skill 3), 4 (step 3, flow), 10 (step 7, anxiety)
    assert ("mpboredom", "351") in points and ("mpflow", "261") in points
    assert ("mpanxiety", "81") in points
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text
    assert "Skill over time: 2, 3." in desc.text
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
