"""The flow map as a picture: the steps' points, the key, the learner's skill over time and
their check-ins in the eight channels, laid out wide (a README) or narrow (a phone)."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import Result

from mlpath import catalogue
from mlpath.core import advice, channels, growth
from mlpath.core.progress import Progress
from mlpath.core.tracker import Tracker
from mlpath.store import record
from mlpath.views import growthsvg, mapsvg
from tests.conftest import examples
from tests.test_pictures import (
    SVG,
    _apply,
    checked_in,
    complete,
    draw,
    midway,
    moment,
    placed,
    plot_frame,
    step_points,
)

Run = Callable[..., Result]


def team(tmp_path: Path, challenges: list[int], title: str = "Step") -> Path:
    steps = [
        {"id": f"s{n}", "title": f"{title} {n}", "summary": "Do it.", "challenge": c}
        for n, c in enumerate(challenges, start=1)
    ]
    path = tmp_path / "team.toml"
    path.write_text(tomli_w.dumps({"id": "team", "title": "Team path", "steps": steps}))
    return path


def picture(run: Run, *args: str) -> ET.Element:
    """`mlpath ARGS`, parsed."""
    return ET.fromstring(draw(run, list(args)))


def _touching(points: list[tuple[str, float, float]]) -> list[tuple[float, float, float, float]]:
    return [
        (x1, y1, x2, y2)
        for i, (_, x1, y1) in enumerate(points)
        for _, x2, y2 in points[i + 1 :]
        if math.hypot(x1 - x2, y1 - y2) < 18  # two points of radius 9
    ]


def test_steps_of_nearly_the_same_challenge_never_hide_each_other(run: Run, tmp_path: Path) -> None:
    """Step 1 feels 3.5 (its check-ins), step 2 feels 4: half a cell apart, in one column."""
    path = team(tmp_path, [2, 4])
    for step, challenge in ((1, 4), (1, 4), (1, 3), (2, 4)):
        said = ["checkin", str(step), "--challenge", str(challenge), "--skill", "4"]
        result = run("--catalogue", str(path), *said)
        assert result.exit_code == 0, result.output
    listed = run("--catalogue", str(path), "map", "--json").stdout
    assert '"challenge": 3.5' in listed and '"challenge": 4,' in listed
    points = step_points(picture(run, "--catalogue", str(path), "map", "--svg"))
    assert len(points) == 2 and not _touching(points)


@pytest.mark.parametrize("skill", ["1", "10", "5"])
def test_many_steps_at_one_challenge_sit_side_by_side_inside_the_plot(
    run: Run, tmp_path: Path, skill: str
) -> None:
    path = team(tmp_path, [5] * 9 + [3] * 20)
    root = picture(run, "--catalogue", str(path), "map", "--svg", "--skill", skill)
    left, top = plot_frame(root)
    points = step_points(root)
    assert len(points) == 29
    for _, x, y in points:
        assert left + 9 <= x <= left + 300 - 9 and top + 9 <= y <= top + 300 - 9
    nine = [p for p in points if p[2] == top + 5.5 * 30]
    assert len(nine) == 9 and not _touching(nine)  # nine fit side by side without touching


def _sizes(root: ET.Element) -> dict[str, float]:
    """Each class's font size, from the picture's own <style>."""
    style = root.find(f"{SVG}style")
    assert style is not None and style.text
    return {
        name: float(px)
        for name, px in re.findall(r"\.(\w+)\{[^}]*font-size:([\d.]+)px", style.text)
    }


def texts(root: ET.Element) -> list[tuple[str, float, float, float, float]]:
    """Every text, with the box a line of its size takes: an average character of 0.55 em
    (the pictures' own guess is more generous), from the ascent to the descent, and no
    further right than the box (nested <svg>) that clips it."""
    sizes = _sizes(root)
    edge = {id(e): bx + bw for bx, _, bw, _, box in boxes(root) for e in box.iter()}
    found = []
    for e, dx, dy in placed(root):
        if e.tag != f"{SVG}text":
            continue
        size = sizes[e.get("class", "")]
        words = e.text or ""
        width = 0.55 * size * len(words)
        x, y = float(e.get("x", 0)) + dx, float(e.get("y", 0)) + dy
        x -= {"start": 0, "middle": width / 2, "end": width}[e.get("text-anchor", "start")]
        right = min(x + width, edge.get(id(e), math.inf))
        found.append((words, x, y - 0.75 * size, right, y + 0.2 * size))
    return found


def boxes(root: ET.Element) -> list[tuple[float, float, float, float, ET.Element]]:
    """The nested boxes, where they are on the picture, and what they hold."""
    return [
        (
            float(e.get("x", 0)) + dx,
            float(e.get("y", 0)) + dy,
            float(e.get("width", 0)),
            float(e.get("height", 0)),
            e,
        )
        for e, dx, dy in placed(root)
        if e.tag == f"{SVG}svg" and e is not root
    ]


def assert_laid_out(root: ET.Element) -> None:
    """No two texts overlap, and none falls outside the picture or the box that clips it."""
    height, width = float(root.get("height", 0)), float(root.get("width", 0))
    shown = texts(root)
    for words, x0, y0, x1, y1 in shown:
        assert x0 >= 0 and y0 >= 0 and x1 <= width and y1 <= height, words
    for i, (a, ax0, ay0, ax1, ay1) in enumerate(shown):
        for b, bx0, by0, bx1, by1 in shown[i + 1 :]:
            apart = ax1 <= bx0 + 1 or bx1 <= ax0 + 1 or ay1 <= by0 + 1 or by1 <= ay0 + 1
            assert apart, f"{a!r} and {b!r} overlap"
    for bx, by, bw, bh, box in boxes(root):
        assert bx + bw <= width and by + bh <= height
        inside = {id(e) for e in box.iter()}
        for e, _, dy in placed(root):
            if id(e) in inside and e.tag == f"{SVG}text":
                y = float(e.get("y", 0)) + dy
                assert by < y <= by + bh, f"{e.text!r} is cut off by its box"


def few_checkins() -> None:
    midway()
    _apply([lambda t: t.checkin(3, 6, 4, None, moment(30))])


STATES = {"empty": lambda: None, "midway": midway, "complete": complete, "checkins": checked_in}
STATES["few"] = few_checkins


@pytest.mark.parametrize("wide", [True, False])
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("skill", [None, 1, 4, 7, 10])
def test_no_text_on_the_map_overlaps_another_or_is_cut_off(
    state: str, wide: bool, skill: int | None
) -> None:
    STATES[state]()
    cat = catalogue.load(catalogue.bundled_path(), bundled=True)
    tracker = Tracker(cat, record.read())
    value, source = advice.skill_of(tracker)
    if skill is not None:
        value, source = skill, advice.SkillSource.OPTION
    drawn = mapsvg.render(tracker, value, source, record.read_history(), "light", wide=wide)
    assert_laid_out(ET.fromstring(drawn))


def test_a_long_catalogue_gets_a_map_tall_enough_for_its_whole_key(
    run: Run, tmp_path: Path
) -> None:
    path = team(tmp_path, [n % 10 + 1 for n in range(24)], title="A step with a long name")
    root = picture(run, "--catalogue", str(path), "map", "--svg")
    keyed = [words for words, *_ in texts(root) if words.startswith("24. ")]
    assert keyed, "step 24 is not in the key"
    assert_laid_out(root)


# (challenge, skill) round the averages (5, 5), one in each channel, counterclockwise from
# the skill axis: both spreads are equal, so the angles stay as they are drawn here.
AROUND = {
    "control": (5, 7),
    "flow": (7, 7),
    "arousal": (7, 5),
    "anxiety": (7, 3),
    "worry": (5, 3),
    "apathy": (3, 3),
    "boredom": (3, 5),
    "relaxation": (3, 7),
}


def checkins(run: Run, said: list[tuple[int, int]]) -> None:
    for challenge, skill in said:
        result = run("checkin", "3", "--challenge", str(challenge), "--skill", str(skill))
        assert result.exit_code == 0, result.output


def compass(root: ET.Element) -> tuple[float, float, list[tuple[float, float, float]]]:
    """The compass's centre and its dots (x, y, radius), where they are on the picture."""
    (x, y, _, _, box), *more = [
        b for b in boxes(root) if b[4].find(f"{SVG}circle[@class='mframe']") is not None
    ]
    assert not more, "two compasses"
    rim = box.find(f"{SVG}circle[@class='mframe']")
    assert rim is not None
    dots = [
        (x + float(e.get("cx", 0)), y + float(e.get("cy", 0)), float(e.get("r", 0)))
        for e in box.iter(f"{SVG}circle")
        if e.get("class") == "mdot"
    ]
    return x + float(rim.get("cx", 0)), y + float(rim.get("cy", 0)), dots


def sector(cx: float, cy: float, x: float, y: float) -> str:
    """The channel of a point drawn at (x, y), read back from the drawing: challenge is up."""
    angle = math.degrees(math.atan2(cy - y, x - cx)) % 360
    return channels.CHANNELS[int(((angle + 22.5) % 360) // 45)]


def test_eight_check_ins_are_drawn_each_in_its_channel_and_counted(run: Run) -> None:
    checkins(run, list(AROUND.values()))
    root = picture(run, "map", "--svg")
    cx, cy, dots = compass(root)
    assert sorted(sector(cx, cy, x, y) for x, y, _ in dots) == sorted(AROUND)
    shown = [words for words, *_ in texts(root)]
    assert [f"{name} 1" for name in AROUND] == [w for w in shown if re.fullmatch(r"[a-z]+ \d+", w)]
    assert "Your 8 check-ins in the eight channels" in shown
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text
    assert (
        "Your 8 check-ins in the eight channels of Massimini & Carli, against your own "
        "averages: control 1, flow 1, arousal 1, anxiety 1, worry 1, apathy 1, boredom 1, "
        "relaxation 1." in desc.text
    )


def test_check_ins_said_alike_share_one_bigger_dot_and_the_newest_is_ringed(run: Run) -> None:
    checkins(run, [*AROUND.values(), AROUND["flow"], AROUND["flow"], AROUND["worry"]])
    root = picture(run, "map", "--svg")
    cx, cy, dots = compass(root)
    sizes = {sector(cx, cy, x, y): r for x, y, r in dots}
    assert len(dots) == 8  # one dot a place
    assert sizes["flow"] > sizes["worry"] > sizes["control"]  # three, two, one
    rings = [
        (float(e.get("cx", 0)) + dx, float(e.get("cy", 0)) + dy)
        for e, dx, dy in placed(root)
        if e.get("class") == "mnewest"
    ]
    assert len(rings) == 1 and sector(cx, cy, *rings[0]) == "worry"


@pytest.mark.parametrize(
    ("said", "words"),
    [
        ([], "No check-in yet."),
        ([(6, 4)] * 7, "7 check-ins so far; from 8 on"),
        ([(6, skill) for skill in range(1, 9)], "not enough variation yet"),
    ],
)
def test_until_there_are_enough_check_ins_the_map_says_why_there_is_no_compass(
    run: Run, said: list[tuple[int, int]], words: str
) -> None:
    checkins(run, said)
    root = picture(run, "map", "--svg")
    assert not [e for e in root.iter(f"{SVG}circle") if e.get("class") == "mframe"]
    lines = " ".join(w for w, *_ in texts(root))
    assert words in lines
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text and words in desc.text
    assert_laid_out(root)


def test_the_skill_over_time_is_what_mlpath_learned_after_each_change(run: Run) -> None:
    """A rating of 2, two check-ins at skill 6 (6 weighs 1, the one before 0.6, the rating
    0.36: 4.5, then 5.3), and the last check-in undone: back to 4.5."""
    assert run("skill", "2").exit_code == 0
    checkins(run, [(5, 6), (5, 6)])
    assert run("undo").exit_code == 0
    root = picture(run, "map", "--svg")
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text
    said = (
        "Skill over time (after each rating, check-in or undo of one; 4 in all): 2, 4.5, 5.3, 4.5."
    )
    assert said in desc.text
    assert "You: skill 4.5" in desc.text
    # The chart's own coordinates: its grid, its squares and its line share one box.
    grid = sorted(float(e.get("y1", 0)) for e in root.iter() if e.get("class") == "mgrid")
    top, bottom = grid[0], grid[-1]  # skill 10 and skill 1

    def skill(y: float) -> float:
        return round(10 - (y - top) / (bottom - top) * 9, 1)

    squares = [float(e.get("y", 0)) + 3 for e in root.iter() if e.get("class") == "mrating"]
    assert [skill(y) for y in squares if top <= y <= bottom] == [2.0]  # the legend's is below
    line = [e for e in root.iter(f"{SVG}polyline") if e.get("class") == "mline"]
    assert len(line) == 1
    corners = [tuple(map(float, p.split(","))) for p in (line[0].get("points") or "").split()]
    held = [skill(y) for _, y in corners]
    assert held == [2.0, 2.0, 4.5, 4.5, 5.3, 5.3, 4.5]  # each figure held until the next
    xs = [x for x, _ in corners]
    assert xs == sorted(xs) and xs[0] < xs[-1]


reports = st.lists(
    st.tuples(st.integers(0, 7), st.integers(1, 10), st.integers(1, 10), st.integers(0, 90)),
    max_size=25,
)


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(said=reports)
def test_the_last_point_of_the_skill_over_time_is_the_skill_mlpath_uses_now(
    said: list[tuple[int, int, int, int]],
) -> None:
    """Ratings (step 0) and check-ins on steps 1-7, minutes apart or at the same moment."""
    cat = catalogue.load(catalogue.bundled_path(), bundled=True)
    tracker = Tracker(cat, Progress())
    at = moment(0)
    for step, challenge, skill, later in said:
        at += timedelta(minutes=later)
        if step == 0:
            tracker.set_skill(skill, at)
        else:
            tracker.checkin(step, challenge, skill, None, at)
    points, total = growth.skill_over_time(list(tracker.events), cat, growthsvg.NEWEST)
    made = [e for e in tracker.events if e.action in ("skill", "checkin")]  # a same rating: none
    assert total == len(made) and len(points) == min(total, growthsvg.NEWEST)
    learned = tracker.learned_skill()
    assert (points[-1].skill if points else None) == (learned.value if learned else None)


def test_past_sixty_changes_the_chart_draws_the_newest_sixty_and_says_so() -> None:
    cat = catalogue.load(catalogue.bundled_path(), bundled=True)
    tracker = Tracker(cat, Progress())
    times = [moment(day) for day in range(70)]
    for n, at in enumerate(times):
        tracker.checkin(3, 5, n % 10 + 1, None, at)
    points, total = growth.skill_over_time(list(tracker.events), cat, growthsvg.NEWEST)
    assert total == 70 and [p.at for p in points] == times[10:]
    learned = tracker.learned_skill()
    assert learned is not None and points[-1].skill == learned.value
    root = ET.fromstring(
        mapsvg.render(tracker, learned.value, "checkins", list(tracker.events), "light")
    )
    shown = [words for words, *_ in texts(root)]
    assert "Your skill over time (the last 60 of 70 changes)" in shown
    assert "2026-11-11" in shown and "2026-11-01" not in shown  # day 10 on, not day 0
