"""`next` and the commands around it, end to end: the whole picture, the finish line, and
every command agreeing with the others and with the README at every skill in every state."""

from __future__ import annotations

import json
import re
import webbrowser
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import Result

from mlpath.views import prompts
from tests.conftest import REPO, TITLES

Run = Callable[..., Result]


def data(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# Nine check-ins that vary: enough for `map` to place them in channels.
CHECKINS = [(6, 4), (7, 5), (5, 5), (4, 6), (8, 4), (3, 7), (6, 6), (7, 3), (9, 5)]

# Progress states, each as the commands that make it.
STATES: dict[str, list[tuple[str, ...]]] = {
    "fresh": [],
    "first-three-done": [("done", "1", "2", "3")],
    "begun-then-harder": [("done", "1", "2"), ("start", "3"), ("rate", "3", "6")],
    "begun-and-skipped": [("skip", "1"), ("start", "2", "5"), ("done", "4.1")],
    "only-ends-open": [("done", "2", "3", "4"), ("skip", "5", "6")],
    "complete": [("done", "1", "2", "3", "4", "5", "6", "7")],
    # Check-ins: the skill rests on them and the rating together; steps feel as they said.
    "checked-in": [
        ("start", "3"),
        ("checkin", "3", "--challenge", "7", "--skill", "3"),
        ("checkin", "2", "--challenge", "2", "--skill", "5", "--minutes", "20"),
    ],
    "checked-in-and-done": [
        ("done", "1", "2"),
        *[("checkin", "3", "--challenge", str(c), "--skill", str(s)) for c, s in CHECKINS],
        ("start", "4"),
    ],
}


def setup(run: Run, state: str) -> None:
    for command in STATES[state]:
        assert run(*command).exit_code == 0


@pytest.mark.slow  # some 600 commands
@pytest.mark.parametrize("state", STATES)
def test_every_command_agrees_at_every_skill(run: Run, state: str) -> None:
    setup(run, state)
    listed = {step["rank"]: step for step in data(run("list", "--json"))}
    for rank, step in listed.items():
        shown = data(run("show", str(rank), "--json"))
        assert (shown["challenge"], shown["status"]) == (step["challenge"], step["status"])
        assert shown["challenge_source"] == step["challenge_source"]
        if state.startswith("checked-in"):
            assert step["challenge_source"] in ("checkin", "predicted")
    for rating in range(1, 11):
        assert run("skill", str(rating)).exit_code == 0
        advice = data(run("next", "--json"))
        skill = advice["skill"]
        if advice["skill_source"] == "rated":
            assert skill == rating
            assert advice == data(run("next", "--skill", str(skill), "--json")) | {
                "skill_source": "rated"
            }
        else:  # the rating, the newest report, weighs most; the check-ins with it
            assert advice["skill_source"] == "checkins" and abs(skill - rating) < 5
        basis = re.search(r"You: skill \S+ \((.*?)\);", run("map").stdout)
        assert basis is not None
        assert data(run("skill", "--json"))["estimate"] == skill
        drawn = data(run("map", "--json"))
        zones = {step["rank"]: step["zone"] for step in drawn["steps"]}
        assert drawn["channel"] == [skill, min(skill + 2, 10)]
        assert {s["rank"]: s["challenge"] for s in drawn["steps"]} == {
            r: s["challenge"] for r, s in listed.items()
        }
        status = run("status").stdout
        journal = run("journal").stdout
        assert f"I rate my skill {rating} of 10." in journal
        shown = f"{skill:.1f}" if skill != int(skill) else str(int(skill))
        assert f"You: skill {shown} ({basis.group(1)})" in run("map").stdout
        assert f"Skill: {shown} of 10" in status
        assert drawn["channels"] == _channel_counts(journal)
        if advice["step"] is None:
            assert "Next: nothing left; the path is complete." in status
            assert "Next on my path" not in journal
            continue
        rank = advice["step"]
        title = listed[rank]["title"]
        assert advice["zone"] == zones[rank] and advice["challenge"] == listed[rank]["challenge"]
        assert f"Next: step {rank}, {title} (`mlpath next` says why)" in status
        assert f"Next on my path: step {rank}, {title}." in journal
        if advice["skill_source"] == "checkins":
            assert f"For skill {shown}, {basis.group(1)}." in run("next").stdout
        assert run("next").stdout.startswith(f"Next: step {rank}, {title} ({zones[rank]})\n")
        for other in advice["alternatives"] + advice["in_progress"]:
            assert other["zone"] == zones[other["rank"]]
            assert other["challenge"] == listed[other["rank"]]["challenge"]
        begun = {r for r, s in listed.items() if s["status"] == "in_progress"} - {rank}
        assert {item["rank"] for item in advice["in_progress"]} == begun
        easy = {
            r
            for r, s in listed.items()
            if s["status"] == "todo" and zones[r] == "boredom" and r != rank
        }
        assert set(advice["passed_over"]) == easy
        ranking = data(run("next", "--all", "--json"))["ranking"]
        assert ranking[0]["rank"] == rank
        assert {r["rank"] for r in ranking} == {
            r for r, s in listed.items() if s["status"] in ("todo", "in_progress")
        }


def _channel_counts(journal: str) -> dict[str, int] | None:
    """The journal's count of check-ins per channel, as `map --json` gives it."""
    found = re.search(r"check-ins by flow channel: (.*)\.$", journal, re.M)
    if found is None:
        return None
    named = dict(part.rsplit(" ", 1) for part in found.group(1).split(", "))
    order = ["control", "flow", "arousal", "anxiety", "worry", "apathy", "boredom", "relaxation"]
    return {name: int(named.get(name, 0)) for name in order}


def readme() -> str:
    return (REPO / "README.md").read_text()


def test_the_readme_table_is_what_next_suggests(run: Run) -> None:
    rows = re.findall(r"^\| (none|\d+) \| (\d) (.+?) \|$", readme(), re.M)
    assert [row[0] for row in rows] == ["none", *map(str, range(1, 11))]
    for skill, rank, title in rows:
        options = [] if skill == "none" else ["--skill", skill]
        got = data(run("next", "--json", *options))
        assert (str(got["step"]), got["title"]) == (rank, title), skill
        assert title == TITLES[int(rank) - 1]


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_skill_scale_reads_the_same_everywhere_and_holds(run: Run) -> None:
    scale = words(prompts.SCALE)
    assert scale in words(readme())
    assert scale in words(run("skill", "--help").stdout)
    # Each anchor names what `next` suggests at that skill for a learner with nothing done.
    anchors = dict(re.findall(r"(\d+) = ([^;]+)", scale))
    expected = {"1": "read", "3": "course", "6": "project", "9": "startup"}
    assert set(anchors) == set(expected)
    assert "watch" in anchors["1"] and "read" in anchors["1"] and "course" in anchors["3"]
    assert "project" in anchors["6"] and "for a living" in anchors["9"]
    for skill, keyword in expected.items():
        title = data(run("next", "--skill", skill, "--json"))["title"]
        assert keyword in title.lower(), (skill, title)


def test_next_shows_the_whole_picture(run: Run) -> None:
    setup(run, "begun-then-harder")
    run("skill", "3")
    out = run("next").stdout
    assert out.splitlines()[:2] == [
        "Next: step 4, Write about your ML journey (flow)",
        "It stretches you by 2 (challenge 5, your skill 3): no open step is nearer a stretch "
        "of +1; hard enough to grow, not so hard that it overwhelms.",
    ]
    assert "Done when: You have published at least one post" in out
    assert (
        "Next resource: 4.1 Towards Data Science: how to contribute (`mlpath open` opens it)" in out
    )
    assert "Alternatives:\n  step 5, Start on ML pet projects: challenge 7 (anxiety)\n" in out
    assert (
        "Also in progress:\n  step 3, Take ML courses (anxiety): it now feels harder than your "
        "flow channel (challenge 6, your skill 3): take its next resource, or break it down "
        "into smaller pieces; its next resource is 3.1.\n"
    ) in out
    assert "Passed over" not in out  # steps 1 and 2 are done, not passed over
    assert "(`mlpath open 4.1` opens it)" in run("next", "--skill", "3").stdout


def test_steps_passed_over_are_named_once(run: Run) -> None:
    out = run("next", "--skill", "5").stdout
    assert out.endswith(
        "Passed over as too easy: steps 1, 2, 3 (`mlpath skip N` if you know them already, "
        "or do them quickly).\n"
    )


def test_next_all_ranks_every_open_step(run: Run) -> None:
    run("start", "2")
    lines = run("next", "--all", "--skill", "3").stdout.splitlines()
    assert lines[0].startswith("Every open step, best first: skill 3 (from --skill)")
    rows = [line.split() for line in lines[2:9]]
    assert [(row[0], row[1]) for row in rows] == [
        ("1", "3"),
        ("2", "4"),
        ("3", "2"),
        ("4", "1"),
        ("5", "5"),
        ("6", "6"),
        ("7", "7"),
    ]
    assert lines[2].endswith("the suggestion")
    assert lines[3].endswith("further from a stretch of +1 (1 vs 0)")
    assert lines[4].endswith("outside your flow channel")
    assert lines[5].endswith("further from your skill (2 vs 1)")
    fresh = run("next", "--all").stdout
    assert "Order: the path's own, since mlpath has no skill of yours to go on yet." in fresh


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    def none() -> webbrowser.BaseBrowser:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", lambda using=None: none())


def test_open_with_no_argument_opens_what_next_names(run: Run, no_browser: None) -> None:
    run("skill", "3")
    assert run("open").stdout == "No browser found. Elements of AI: https://www.elementsofai.com/\n"
    run("done", "3.1", "3.2")
    resource = data(run("next", "--json"))["resource"]
    assert resource["number"] == "3.3"
    assert run("open").stdout == f"No browser found. {resource['title']}: {resource['url']}\n"


def test_open_n_skips_finished_resources(run: Run, no_browser: None) -> None:
    run("done", "3.1")
    run("skip", "3.2")
    assert run("open", "3").stdout.startswith("No browser found. Deep Learning Specialization:")
    assert run("open", "3.1").stdout.startswith("No browser found. Elements of AI:")  # asked for
    run("done", "3.3", "3.4", "3.5")
    result = run("open", "3")
    assert result.exit_code == 0
    assert result.stdout.startswith("Every resource of step 3 is done;")


def test_open_when_there_is_nothing_to_open(run: Run, no_browser: None) -> None:
    run("done", "1", "2", "3", "4", "5", "6")
    result = run("open")  # step 7 is next and has no resources
    assert result.exit_code == 2 and "step 7 has no resources" in result.stderr
    run("done", "7")
    result = run("open")
    assert result.exit_code == 0 and result.stdout == "Nothing to open: the path is complete.\n"


def test_the_last_resource_of_a_step_in_a_script(run: Run) -> None:
    run("done", "4.1")
    result = run("done", "4.2", input="y\n")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:] == [
        "That was the last open resource of step 4 (Write about your ML journey).",
        "Done when: You have published at least one post that explains something you "
        "learned, in your own words, where others can read it.",
        "If you are through with it: `mlpath done 4`",
    ]
    assert data(run("show", "4", "--json"))["status"] == "in_progress"  # never asked
    assert "last open resource" not in run("done", "4.2").stdout  # nothing changed


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prompts, "interactive", lambda: True)


def test_the_last_resource_on_a_terminal_asks_and_enter_is_yes(run: Run, terminal: None) -> None:
    run("skill", "4")
    run("done", "6.1", input="n\n")
    assert data(run("show", "6", "--json"))["status"] == "in_progress"
    run("reset", "6.1")
    result = run("done", "6.1", input="\n\n")  # Enter: yes; then Enter skips the check-in
    assert "Mark step 6 done? [Y/n]" in result.stdout
    assert "Step 6 (Compete in Kaggle competitions): in progress -> done." in result.stdout
    assert "How does step 6 (Compete in Kaggle competitions) feel right now?" in result.stdout
    assert data(run("show", "6", "--json"))["status"] == "done"
    run("undo")  # the step's done is its own change; the resource stays done
    shown = data(run("show", "6", "--json"))
    assert shown["status"] == "in_progress" and shown["resources"][0]["done"]
