"""The read model: what `status`, `list`, `show N` and `next` show, as plain data.

Built from a Tracker (`of`) on the full road, or read back from the store's read cache
(store/readcache.py) on the fast one; the screens of those commands (views/standing.py,
views/nextview.py) take it and nothing else, so both roads print from the same data with the
same code. Plain data only (dicts, lists, tuples, strings, numbers, None): marshal writes it,
and nothing here imports typing, pydantic or the clock.

    {"id", "title": the catalogue's, "skill": the learner's own rating or None,
     "learned": (value, check-ins, rated) or None, "checkins": how many, "last": seconds
     since the epoch of the last activity or None, "unsent": changes a sync has not sent
     (None: no sync), "steps": [{"id", "title", "summary", "challenge" (the catalogue's),
     "done_when", "felt" (as it feels to the learner), "source", "status", "changed"
     (seconds or None), "resources": [(title, url, kind, status)], "tally": (resources
     done, resources), "notes": [(ISO time, seconds, text)]}],
     "by_status": {status: the ranks of the steps with it, in the path's order}}

"by_status" is the steps' statuses again, gathered once when the model is built: `status`
asks which steps are done, open or begun half a dozen times, and with 5,000 steps each
question would be a walk through them all.
"""

from __future__ import annotations

from _operator import itemgetter
from itertools import chain

from mlpath.core import basis, flow

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any

    from mlpath.core.tracker import Tracker

    Model = dict[str, Any]
    StepData = dict[str, Any]

OPEN = ("todo", "in_progress")
_TITLE, _FELT = itemgetter("title"), itemgetter("felt")
LABEL = {"todo": "todo", "in_progress": "in progress", "done": "done", "skipped": "skipped"}


def _seconds(at: datetime | None) -> int | None:
    """Whole seconds since the epoch, rounded down, as datetime.astimezone() takes them."""
    return None if at is None else int(at.timestamp() // 1)


def of(tracker: Tracker, unsent: int | None = None) -> Model:
    """The read model of a tracker's state on its catalogue."""
    path = tracker.path
    learned = tracker.learned_skill()
    steps = []
    for step in tracker.catalogue.steps:
        entry = path.steps.get(step.id)
        resources = [
            (r.title, r.url, r.kind, str(tracker.resource_status(step, r.url)))
            for r in step.resources
        ]
        steps.append(
            {
                "id": step.id,
                "title": step.title,
                "summary": step.summary,
                "challenge": step.challenge,
                "done_when": step.done_when,
                "felt": tracker.challenge(step),
                "source": str(tracker.challenge_source(step)),
                "status": str(tracker.status(step)),
                "changed": _seconds(entry.changed) if entry else None,
                "resources": resources,
                "tally": (sum(r[3] == "done" for r in resources), len(resources)),
                "notes": [(n.at.isoformat(), _seconds(n.at), n.text) for n in tracker.notes(step)],
            }
        )
    return {
        "id": tracker.catalogue.id,
        "title": tracker.catalogue.title,
        "skill": path.skill,
        "learned": None if learned is None else tuple(learned),
        "checkins": len(tracker.checkins()),
        "last": _seconds(path.last_activity),
        "unsent": unsent,
        "steps": steps,
        "by_status": by_status(steps),
    }


def by_status(steps: list[StepData]) -> dict[str, list[int]]:
    """The ranks of the steps with each status, in the path's order."""
    found: dict[str, list[int]] = {status: [] for status in LABEL}
    for rank, step in enumerate(steps, start=1):
        found[step["status"]].append(rank)
    return found


def ranks(model: Model, *statuses: str) -> list[int]:
    """The ranks of the steps with one of these statuses, in the path's order."""
    found = model["by_status"]
    if len(statuses) == 1:
        return list(found[statuses[0]])
    return sorted(chain.from_iterable(found[status] for status in statuses))


def detailed(step: StepData, *, notes: bool = False) -> StepData:
    """The step with its summary, done-when and resources, and with `notes` its notes: the
    read cache keeps them packed (marshalled bytes under "packed" and "packed_notes",
    store/readcache.py) until a view shows them, so that a command showing a few of 5,000
    steps reads the details of those alone, and `next` none of the notes. Bytes that do not
    unpack raise, which the fast road takes for a miss (cli/first.py)."""
    import marshal

    packed = step.pop("packed", None)
    if packed is not None:
        step.update(marshal.loads(packed))
    packed = step.pop("packed_notes", None) if notes else None
    if packed is not None:
        step["notes"] = marshal.loads(packed)
    return step


def next_resource(step: StepData) -> tuple[int, tuple[str, str, str, str]] | None:
    """The first resource of a step not yet done or skipped, with its number K."""
    for number, resource in enumerate(detailed(step)["resources"], start=1):
        if resource[3] in OPEN:
            return number, resource
    return None


def resources_finished(step: StepData) -> bool:
    """The step has resources and none is left to do."""
    return bool(detailed(step)["resources"]) and next_resource(step) is None


def skill_of(model: Model) -> tuple[float, str]:
    """The skill without asking (core/basis.py, the rule core.advice.skill_of follows too)."""
    done = map(_FELT, _at(model, ranks(model, "done")))
    return basis.unasked(model["learned"], done)


def unknown(model: Model) -> bool:
    """Neither a rating nor a check-in: `next` on a terminal may ask for the skill."""
    return model["skill"] is None and not model["checkins"]


def at_the_start(model: Model, source: str) -> bool:
    """No skill given or rated and no step done: mlpath knows nothing of this learner yet."""
    return basis.at_the_start(source, bool(ranks(model, "done")))


def basis_of(model: Model, source: str) -> str:
    """What the skill figure rests on, in words: 'from your last 3 check-ins'."""
    return basis.words(source, model["learned"])


def _at(model: Model, ranked: list[int]) -> list[StepData]:
    """The steps of these ranks."""
    return list(map([None, *model["steps"]].__getitem__, ranked))


def _open(model: Model) -> tuple[list[int], list[StepData], list[bool]]:
    """The open steps: their ranks, the steps, and whether each is begun (loops in C: a
    model can have 5,000 of them)."""
    ranked = ranks(model, *OPEN)
    begun = list(map(frozenset(model["by_status"]["in_progress"]).__contains__, ranked))
    return ranked, _at(model, ranked), begun


def _candidates(model: Model) -> list[tuple[int, str, float, bool]]:
    """Each open step's (rank, title, felt, in progress): what flow.suggest ranks, as plain
    tuples (a Candidate each would be a Python call a step: a fifth of `next` with 5,000)."""
    ranked, steps, begun = _open(model)
    return list(zip(ranked, map(_TITLE, steps), map(_FELT, steps), begun, strict=True))


def advise(model: Model, skill: float, source: str, *, whole: bool) -> flow.Suggestion:
    """The suggestion for this skill (as core.advice.advise); with `whole`, its ranking of
    every open step too (`next --all`), which nothing else shows."""
    start = at_the_start(model, source)
    return flow.suggest(_candidates(model), skill, start=start, whole=whole)


def best(model: Model, skill: float, source: str) -> flow.Candidate | None:
    """The suggested step alone, advise(...).step, without ranking every open step (what
    `status` shows of the suggestion)."""
    ranked, steps, begun = _open(model)
    rows = zip(ranked, map(_FELT, steps), begun, strict=True)
    rank = flow.best(rows, skill, start=at_the_start(model, source))
    if rank is None:
        return None
    step = model["steps"][rank - 1]
    return flow.Candidate(rank, step["title"], step["felt"], step["status"] == "in_progress")
