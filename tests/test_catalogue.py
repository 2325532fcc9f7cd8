"""The bundled catalogue carries the seed's facts; a broken one is reported in a person's terms."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from mlpath import catalogue
from mlpath.errors import CatalogueError, UsageError
from tests.conftest import REPO, TITLES

Run = Callable[..., Result]

SEED = REPO.parent / "shared" / "seed" / "seven-ways-to-get-started-in-ml.md"

# Every link in the seed's seven sections, by step, as the seed gives it: except the one
# the seed points at an image (ai-youtube-01-mini.jpg), which steps.toml replaces on purpose.
SEED_LINKS = {
    1: ["https://www.youtube.com/channel/UCbfYPyITQ-7l4upoX8nvctg", "https://videos.neurips.cc/"],
    2: [
        "https://towardsdatascience.com",
        "https://news.mit.edu/topic/machine-learning",
        "https://www.wired.com/tag/machine-learning/",
        "https://www.nature.com/subjects/machine-learning",
        "https://www.entrepreneur.com/topic/machine-learning",
    ],
    3: [
        "https://www.elementsofai.com/",
        "https://www.coursera.org/learn/ai-for-everyone",
        "https://www.coursera.org/specializations/deep-learning",
        "http://fast.ai",
        "https://developers.google.com/machine-learning/crash-course",
    ],
    4: ["https://towardsdatascience.com/contribute/home", "https://pages.github.com/"],
    5: [
        "https://jinglescode.github.io/time-series-forecasting-tensorflowjs/",
        "https://jinglescode.github.io/playground/",
    ],
    6: ["https://www.kaggle.com/"],
    7: [],
}


@pytest.fixture
def bundled() -> catalogue.Catalogue:
    return catalogue.load(catalogue.bundled_path(), bundled=True)


def test_bundled_catalogue_shape(bundled: catalogue.Catalogue) -> None:
    assert bundled.id == "get-started-in-ml"
    assert [s.title for s in bundled.steps] == TITLES
    challenges = [s.challenge for s in bundled.steps]
    assert all(a < b for a, b in itertools.pairwise(challenges)), challenges
    assert all(1 <= c <= 10 for c in challenges)


def test_every_seed_link_is_a_resource_of_its_step(bundled: catalogue.Catalogue) -> None:
    for rank, links in SEED_LINKS.items():
        urls = [r.url for r in bundled.steps[rank - 1].resources]
        for link in links:
            assert link in urls, (rank, link)
    every_url = [r.url for s in bundled.steps for r in s.resources]
    assert not any(url.endswith((".jpg", ".png")) for url in every_url)


def test_every_challenge_has_a_reason() -> None:
    text = catalogue.bundled_path().read_text()
    lines = [line for line in text.splitlines() if line.startswith("challenge =")]
    assert len(lines) == 7
    assert all(re.match(r"challenge = \d+\s+# \S", line) for line in lines), lines


def test_summaries_are_in_our_own_words(bundled: catalogue.Catalogue) -> None:
    if not SEED.exists():
        pytest.skip("the seed text is not beside this checkout")
    words = re.findall(r"[a-z']+", SEED.read_text().lower())
    seed_runs = {" ".join(words[i : i + 7]) for i in range(len(words) - 6)}
    for step in bundled.steps:
        ours = re.findall(r"[a-z']+", step.summary.lower())
        copied = [
            " ".join(ours[i : i + 7])
            for i in range(len(ours) - 6)
            if " ".join(ours[i : i + 7]) in seed_runs
        ]
        assert not copied, (step.id, copied)
        assert 2 <= step.summary.count(". ") + 1 <= 4, step.id


def test_every_bundled_step_has_a_finish_line(bundled: catalogue.Catalogue) -> None:
    for step in bundled.steps:
        assert step.done_when, f"{step.id} has no done_when"
        assert step.done_when.count(". ") == 0 and step.done_when.endswith("."), step.id
    if SEED.exists():  # in our own words: no run of seven words from the seed
        words = re.findall(r"[a-z']+", SEED.read_text().lower())
        seed_runs = {" ".join(words[i : i + 7]) for i in range(len(words) - 6)}
        for step in bundled.steps:
            ours = re.findall(r"[a-z']+", (step.done_when or "").lower())
            runs = {" ".join(ours[i : i + 7]) for i in range(len(ours) - 6)}
            assert not runs & seed_runs, step.id


def test_a_teams_catalogue_may_leave_out_the_finish_line(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'id = "mine"\ntitle = "Mine"\n[[steps]]\nid = "a"\ntitle = "A"\nsummary = "S."\n'
        "challenge = 3\n"
    )
    assert catalogue.load(path).steps[0].done_when is None
    shown = run("--catalogue", str(path), "show", "1")
    assert shown.exit_code == 0 and "Done when" not in shown.stdout
    assert "Done when" not in run("--catalogue", str(path), "next", "--skill", "2").stdout
    got = json.loads(run("--catalogue", str(path), "show", "1", "--json").stdout)
    assert got["done_when"] is None
    path.write_text(path.read_text() + 'done_when = ""\n')
    refused = run("--catalogue", str(path), "list")
    assert refused.exit_code == 1
    assert refused.stderr == f"mlpath: {path}: step 1 (a): done_when: should not be empty\n"


def test_step_lookup_names_the_range(bundled: catalogue.Catalogue) -> None:
    assert bundled.step(3).id == "take-ml-courses"
    with pytest.raises(UsageError, match="no step 8: steps are 1-7"):
        bundled.step(8)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "steps.toml"
    path.write_text(text)
    return path


def bundled_text_with(old: str, new: str) -> str:
    text = catalogue.bundled_path().read_text()
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "challenge = 4 ",
            'challenge = "four" ',
            "step 3 (take-ml-courses): challenge: should be a whole number",
        ),
        (
            "challenge = 4 ",
            "challenge = 4.0 ",
            "step 3 (take-ml-courses): challenge: should be a whole number",
        ),
        (
            "challenge = 4 ",
            "challenge = 11 ",
            "step 3 (take-ml-courses): challenge: should be at most 10",
        ),
        (
            'url = "https://www.kaggle.com/"',
            'url = "kaggle"',
            "step 6 (compete-in-kaggle): resource 1: url: should be an http:// or https:// address",
        ),
        (
            'id = "read-about-ml"',
            'id = "watch-ml-videos"',
            "step 2 (watch-ml-videos): id: already used by step 1",
        ),
        ('title = "Take ML courses"\n', "", "step 3 (take-ml-courses): title: missing"),
        (
            'id = "get-started-in-ml"',
            'id = "Not A Slug"',
            "id: should be lowercase letters, digits and single dashes, like take-ml-courses",
        ),
        (
            "challenge = 5 ",
            "challenge = 3 ",
            "step 4 (write-about-your-ml-journey): challenge: should be higher than step 3's (4)"
            ", since steps are ranked easiest first",
        ),
        (  # equal is not rising either
            "challenge = 5 ",
            "challenge = 4 ",
            "step 4 (write-about-your-ml-journey): challenge: should be higher than step 3's (4)"
            ", since steps are ranked easiest first",
        ),
    ],
)
def test_broken_catalogue_names_file_step_and_field(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = write(tmp_path, bundled_text_with(old, new))
    with pytest.raises(CatalogueError) as caught:
        catalogue.load(path, bundled=True)
    assert str(caught.value) == f"{path}: {message}"


def test_own_catalogue_may_order_challenges_freely(tmp_path: Path) -> None:
    path = write(tmp_path, bundled_text_with("challenge = 5 ", "challenge = 3 "))
    assert catalogue.load(path).steps[3].challenge == 3


def test_not_toml_and_missing(tmp_path: Path) -> None:
    path = write(tmp_path, "id = [unclosed\n")
    with pytest.raises(CatalogueError, match=r"not valid TOML: .*line 1"):
        catalogue.load(path)
    with pytest.raises(CatalogueError, match="catalogue file not found"):
        catalogue.load(tmp_path / "nope.toml")


def test_broken_catalogue_through_the_cli(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, bundled_text_with("challenge = 4 ", 'challenge = "x" '))
    result = run("--catalogue", str(path), "list")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"mlpath: {path}: step 3 (take-ml-courses): challenge: should be a whole number"
    )


def test_mlpath_catalogue_variable_selects_a_catalogue(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path,
        'id = "team"\ntitle = "Team path"\n[[steps]]\nid = "one"\n'
        'title = "Only step"\nsummary = "Do it."\nchallenge = 3\n',
    )
    monkeypatch.setenv("MLPATH_CATALOGUE", str(path))
    result = run("list")
    assert result.stdout.splitlines() == [
        "Team path",
        "#  Step       Challenge  Status  Resources",
        "1  Only step          3  todo            -",
    ]
    assert run("done", "2").stderr == "mlpath: no step 2: the only step is 1\n"


def test_the_example_catalogue_loads_and_keeps_its_own_progress(run) -> None:  # type: ignore[no-untyped-def]
    example = str(REPO / "examples" / "team-onboarding.toml")
    loaded = catalogue.load(Path(example))
    assert loaded.id == "acme-ml-onboarding" and len(loaded.steps) == 4
    assert [s.challenge for s in loaded.steps] == [2, 6, 3, 7]  # any order is allowed
    assert run("--catalogue", example, "done", "2").exit_code == 0
    assert run("done", "1").exit_code == 0
    import json

    ours = json.loads(run("--catalogue", example, "status", "--json").stdout)
    bundled = json.loads(run("status", "--json").stdout)
    assert (ours["done"], ours["todo"]) == (1, [1, 3, 4])
    assert (bundled["done"], bundled["todo"]) == (1, [2, 3, 4, 5, 6, 7])
    log = json.loads(run("--catalogue", example, "log", "--json").stdout)
    assert [(e["action"], e["step"]) for e in log] == [("done", 2)]
    assert run("--catalogue", example, "undo").exit_code == 0  # undoes only its own path
    assert json.loads(run("status", "--json").stdout)["done"] == 1


def test_a_catalogue_saved_with_a_byte_order_mark_reads_as_without_it(tmp_path: Path) -> None:
    # Notepad saves UTF-8 with a byte-order mark; TOML refused it at line 1, column 1.
    team = Path(__file__).parent.parent / "examples" / "team-onboarding.toml"
    marked = tmp_path / "team.toml"
    marked.write_bytes(b"\xef\xbb\xbf" + team.read_bytes())
    assert catalogue.load(marked) == catalogue.load(team)
