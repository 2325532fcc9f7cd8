"""What a command shows, as one result, and the one path that prints it as JSON or as text.

The application layer returns one of these; `show` prints it. The JSON and the text of a
command are both made from the same result, here, so they cannot disagree, and a new output
format is one more function beside `json_of` and `text_of`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from mlpath.catalogue import Catalogue
from mlpath.core.flow import Suggestion
from mlpath.core.history import Event
from mlpath.core.progress import Status
from mlpath.core.tracker import Tracker

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from mlpath.views.logview import Selection


class Listing(NamedTuple):
    """`list`: every step."""

    tracker: Tracker


class StepPage(NamedTuple):
    """`show N`: one step in full."""

    tracker: Tracker
    rank: int


class Standing(NamedTuple):
    """`status` and bare `mlpath`."""

    tracker: Tracker
    skill: float
    source: str
    suggestion: Suggestion
    unsent: int | None  # changes a sync has not sent yet (None: no sync set up)


class Advice(NamedTuple):
    """`next`, and `next --all` (every open step ranked)."""

    tracker: Tracker
    source: str
    suggestion: Suggestion
    everything: bool


class SkillShown(NamedTuple):
    """`skill` with no value."""

    tracker: Tracker
    skill: float
    source: str


class FlowMap(NamedTuple):
    """`map` (the SVG picture is a document, written by the command)."""

    tracker: Tracker
    skill: float
    source: str
    trail: Sequence[tuple[datetime, int]]
    events: Sequence[Event]


class Log(NamedTuple):
    """`log`: events with their numbers in the whole log, the ones undo cites, chosen from
    the history's index and read as they are shown (views.logview); `history` is closed
    once they are."""

    tracker: Tracker
    chosen: Selection
    filtered: bool
    history: AbstractContextManager[object]


class Health(NamedTuple):
    """`doctor`."""

    findings: Sequence[Any]  # store.doctor.Finding

    @property
    def ok(self) -> bool:
        return all(finding.ok for finding in self.findings)


class Places(NamedTuple):
    """`where`: the store's files and the catalogue, with their sizes."""

    info: dict[str, Any]


class SyncSetup(NamedTuple):
    """`sync --status`."""

    info: dict[str, Any]


class Synced(NamedTuple):
    """`sync`: what arrived and what was sent."""

    report: Any  # store.sync.Report
    catalogue: Catalogue
    joined: bool


class Cohort(NamedTuple):
    """`cohort`: a row a learner."""

    rows: list[dict[str, Any]]


Result = (
    Listing
    | StepPage
    | Standing
    | Advice
    | SkillShown
    | FlowMap
    | Log
    | Health
    | Places
    | SyncSetup
    | Synced
    | Cohort
)


def show(result: Result, as_json: bool) -> None:
    """The one way a command's result reaches the screen."""
    from mlpath.views import screens

    if isinstance(result, Log):  # streamed: a history of any length is never held
        from mlpath.views import logjson, logview

        with result.history:
            if as_json:
                logjson.print_json(result.chosen.rows(), result.tracker)
            else:
                logview.show_log(result.chosen, result.tracker, filtered=result.filtered)
        return
    if as_json:
        screens.print_json(json_of(result))
    else:
        text_of(result)


def json_of(result: Result) -> Any:
    """The JSON shape of a result: the keys `mlpath help json` lists (jsonkeys.py)."""
    from mlpath.views import screens

    match result:
        case Listing(tracker):
            steps = enumerate(tracker.catalogue.steps, start=1)
            return [screens.step_json(tracker, rank, step) for rank, step in steps]
        case StepPage(tracker, rank):
            return screens.step_json(tracker, rank, tracker.catalogue.steps[rank - 1])
        case Standing(tracker):
            return screens.status_json(tracker, tracker.path.skill)
        case Advice(tracker, source, suggestion, everything):
            from mlpath.views import nextview

            return nextview.next_json(tracker, suggestion, source, everything=everything)
        case SkillShown(tracker, skill, source):
            return {"skill": tracker.path.skill, "estimate": skill, "skill_source": source}
        case FlowMap(tracker, skill, source, trail):
            return screens.map_json(tracker, skill, source, trail)
        case Log(tracker, chosen):
            from mlpath.views import logjson

            return [logjson.event_json(event, tracker, n) for n, event in chosen.rows()]
        case Health(findings):
            return screens.findings_json(findings)
        case Places(info) | SyncSetup(info):
            return info
        case Synced(report, catalogue):
            from mlpath.views import syncviews

            return syncviews.report_json(report, catalogue)
        case Cohort(rows):
            return rows


def text_of(result: Result) -> None:
    """The screen of a result, for people: styled on a terminal, plain when piped."""
    from mlpath.views import screens
    from mlpath.views.screen import emit

    match result:
        case Listing(tracker):
            screens.show_list(tracker)
        case StepPage(tracker, rank):
            screens.show_step(tracker, rank)
        case Standing(tracker, skill, source, suggestion, unsent):
            screens.show_status(tracker, screens.skill_line(tracker, skill, source), suggestion)
            if unsent:
                unsent_changes = screens.count(unsent, "change")
                emit([f"Sync: {unsent_changes} not sent yet; `mlpath sync` sends them."])
        case Advice(tracker, source, suggestion, everything):
            from mlpath.core import advice
            from mlpath.views import nextview

            if everything:
                start = advice.at_the_start(tracker, source)
                nextview.show_ranking(suggestion, advice.basis(tracker, source), start=start)
            else:
                nextview.show_next(tracker, suggestion, source)
        case SkillShown(tracker, skill, source):
            any_done = bool(tracker.ranks(Status.DONE))
            screens.show_skill(skill, source, any_done, tracker.learned_skill())
        case FlowMap(tracker, skill, source, _, events):
            from mlpath.views import flowmap
            from mlpath.views.screen import width

            screens.show_map(flowmap.render(tracker, skill, source, events, width()))
        case Log(tracker, chosen, filtered):
            from mlpath.views import logview

            logview.show_log(chosen, tracker, filtered=filtered)
        case Health(findings):
            screens.show_findings(findings)
        case Places(info):
            screens.show_where(info)
        case SyncSetup(info):
            from mlpath.views import syncviews

            syncviews.show_status(info)
        case Synced(report, catalogue, joined):
            from mlpath.views import syncviews

            syncviews.show_report(report, catalogue, joined=joined)
        case Cohort(rows):
            from mlpath.views import syncviews

            syncviews.show_cohort(rows)
