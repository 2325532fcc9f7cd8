"""`mlpath journal --site` and `mlpath activity`, as a learner runs them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from typer.testing import Result

from mlpath.store import record
from tests.conftest import files
from tests.test_pictures import complete, midway

Run = Callable[..., Result]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "blog"
    folder.mkdir()
    return folder


def at_noon(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    monkeypatch.setattr(record, "clock", lambda: noon)


def test_journal_site_writes_the_post_card_and_map_and_the_post_shows_them(
    run: Run, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    midway()
    at_noon(monkeypatch, date(2026, 11, 24))
    result = run("journal", "--site", str(site))
    assert result.exit_code == 0, result.output
    post = site / "_posts" / "2026-11-24-ml-journey.md"
    assert sorted(files(site)) == [
        "_posts/2026-11-24-ml-journey.md",
        "assets/mlpath/map-dark.svg",
        "assets/mlpath/map.svg",
        "assets/mlpath/progress-dark.svg",
        "assets/mlpath/progress.svg",
    ]
    text = post.read_text()
    front = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert front["layout"] == "post"
    for picture, drawn in (
        ("progress.svg", ["card"]),
        ("progress-dark.svg", ["card", "--theme", "dark"]),
        ("map.svg", ["map", "--svg"]),
        ("map-dark.svg", ["map", "--svg", "--theme", "dark"]),
    ):
        assert (site / "assets/mlpath" / picture).read_text() == run(*drawn).stdout, picture
    for alt, name in (("My progress", "progress"), ("My flow map", "map")):
        assert (
            "\n\n<figure>\n<picture>\n"
            '<source media="(prefers-color-scheme: dark)" '
            f"srcset=\"{{{{ '/assets/mlpath/{name}-dark.svg' | relative_url }}}}\">\n"
            f'<img src="{{{{ \'/assets/mlpath/{name}.svg\' | relative_url }}}}" alt="{alt}">\n'
            "</picture>\n</figure>\n\n"
        ) in text


@pytest.mark.parametrize("mine", ["map.svg", "map-dark.svg", "progress-dark.svg"])
def test_journal_site_never_overwrites_without_force_and_writes_nothing_then(
    run: Run, site: Path, monkeypatch: pytest.MonkeyPatch, mine: str
) -> None:
    at_noon(monkeypatch, date(2026, 11, 24))
    (site / "assets" / "mlpath").mkdir(parents=True)
    (site / "assets" / "mlpath" / mine).write_text("my own picture")
    before = files(site)
    result = run("journal", "--site", str(site))
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: {site}/assets/mlpath/{mine} exists already: add --force to replace it\n"
    )
    assert files(site) == before and not (site / "_posts").exists()
    assert run("journal", "--site", str(site), "--force").exit_code == 0
    assert (site / "assets/mlpath" / mine).read_text().startswith("<svg")


@pytest.mark.parametrize("link", ["_posts", "assets", "assets/mlpath/progress.svg"])
def test_journal_site_refuses_symbolic_links_inside_the_site(
    run: Run, site: Path, tmp_path: Path, link: str
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site / "assets" / "mlpath").mkdir(parents=True)
    where = site / link
    if where.is_dir():
        shutil.rmtree(where)
    elif where.exists():
        where.unlink()
    where.symlink_to(elsewhere)
    result = run("journal", "--site", str(site), "--force")
    assert result.exit_code == 1
    reason = (
        "name the file itself" if link.endswith(".svg") else f"mlpath writes only inside {site}"
    )
    assert result.stderr == f"mlpath: {where} is a symbolic link: {reason}\n"
    assert list(elsewhere.iterdir()) == []


def test_journal_site_and_output_together_is_a_usage_error(run: Run, site: Path) -> None:
    result = run("journal", "--site", str(site), "-o", "x.md")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "mlpath: give --site or -o, not both: --site names the post's file itself\n"
    )


def test_journal_site_needs_an_existing_folder(run: Run, tmp_path: Path) -> None:
    result = run("journal", "--site", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"mlpath: {tmp_path / 'nope'} is not a folder: name your Jekyll site's folder\n"
    )


def test_activity_draws_53_weeks_in_plain_characters_when_piped(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Changes on Sun 1, Mon 2, Thu 5, Fri 6 (two), Sat 7 and Mon 9 November; the skip of
    # Tue 10 was undone on the 21st, so neither of those days counts.
    midway()
    at_noon(monkeypatch, date(2026, 11, 24))  # a Tuesday
    lines = run("activity").stdout.splitlines()
    assert [line[:4] for line in lines[:7]] == [
        "Mon ",
        "    ",
        "Wed ",
        "    ",
        "Fri ",
        "    ",
        "Sun ",
    ]
    weeks = {day: line[4:] for day, line in zip("MTWtFSs", lines[:7], strict=True)}
    assert weeks["M"][-4:] == "--.." and weeks["T"][-4:] == "...."  # 2, 9; 10 undone
    assert weeks["t"][-3:] == "-.." and weeks["F"][-3:] == "+.." and weeks["S"][-3:] == "-.."
    assert weeks["s"][-4:] == "-..."  # Sunday the 1st; this week's Sunday is still ahead
    assert len(weeks["M"]) == len(weeks["T"]) == 53 and len(weeks["W"]) == 52
    assert set("".join(weeks.values())) == set(".-+")
    assert lines[7:] == [
        "Active 6 days in November 2026.",
        "1.5 active days a week over the last 4 weeks.",
    ]
    assert "Streak" not in run("activity").stdout


def test_a_streak_only_when_asked_counting_real_changes_and_saying_the_grace(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    complete()  # done on the 4th, 7th, 10th, ... every third day: two days off breaks it
    at_noon(monkeypatch, date(2026, 11, 22))
    out = run("activity", "--streak").stdout
    assert "Streak: 1 active day over 1 day (1 day off in a row allowed)." in out
    at_noon(monkeypatch, date(2026, 11, 25))
    assert "Streak: 0 active days over 0 days" in run("activity", "--streak").stdout


def test_the_activity_picture_ends_at_the_last_active_day_whenever_drawn(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    midway()
    at_noon(monkeypatch, date(2026, 11, 24))
    first = run("activity", "--svg").stdout
    at_noon(monkeypatch, date(2027, 3, 1))
    assert run("activity", "--svg").stdout == first
    assert "53 weeks to 2026-11-09" in first
    assert os.environ["TZ"] == "UTC"
