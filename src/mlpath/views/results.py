"""What a command shows, as one result, and the one path that prints it as JSON or as text.

The application layer returns one of these; `show` prints it. The JSON and the text of a
command are both made from the same result, here, so they cannot disagree, and a new output
format is one more function beside `json_of` and `text_of`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mlpath.catalogue import Catalogue
from mlpath.core.flow import Suggestion
from mlpath.core.history import Event
from mlpath.core.progress import Status
from mlpath.core.tracker import Tracker

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from mlpath.views.logrows import Selection
    from mlpath.views.readmodel import Model


class Listing(NamedTuple):
    """`list`: every step (the read model, views/readmodel.py, as for the next three)."""

    model: Model


class StepPage(NamedTuple):
    """`show N`: one step in full."""

    model: Model
    rank: int


class Standing(NamedTuple):
    """`status` and bare `mlpath`; the model says what a sync has not sent yet."""

    model: Model
    skill: float
    source: str
    suggestion: Suggestion


class Advice(NamedTuple):
    """`next`, and `next --all` (every open step ranked)."""

    model: Model
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
    the history's index (views.logrows) and read as they are shown (views.logview);
    `history` is closed once they are."""

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
    from mlpath.views import nextview, screens, standing

    match result:
        case Listing(model):
            return standing.list_json(model)
        case StepPage(model, rank):
            return standing.step_json(model, rank)
        case Standing(model):
            return standing.status_json(model, model["skill"])
        case Advice(model, source, suggestion, everything):
            return nextview.next_json(model, suggestion, source, everything=everything)
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
    from mlpath.views import nextview, screens, standing

    match result:
        case Listing(model):
            standing.show_list(model)
        case StepPage(model, rank):
            standing.show_step(model, rank)
        case Standing(model, skill, source, suggestion):
            standing.show_status(model, skill, source, suggestion.step)
        case Advice(model, source, suggestion, everything):
            nextview.show_advice(model, source, suggestion, everything)
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
