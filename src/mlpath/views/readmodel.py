"""The read model: what `status`, `list`, `show N` and `next` show, as plain data.

Built from a Tracker (`of`) on the full road, or read back from the store's read cache
(store/readcache.py) on the fast one; the screens of those commands (views/standing.py,
views/nextview.py) take it and nothing else, so both roads print from the same data with the
same code. Plain data only (dicts, lists, tuples, strings, numbers, None): marshal writes it,
and nothing here imports typing, pydantic or the clock.

    {"id", "title": the catalogue's, "skill": the learner's own rating or None,
     "learned": (value, check-ins, rated) or None, "checkins": how many, "last": seconds
     since the epoch of the last activity or None, "unsent": changes a sync has not sent
     (None: no sync), "steps": {column: [one value a step, in the path's order]},
     "by_status": {status: the ranks of the steps with it, in the path's order}}

The steps are kept as columns (COLUMNS): "title", "felt" (the challenge as it feels to the
learner), "source", "status", "tally" (resources done, resources), "rest" (a tuple of
REST: "id", "challenge" (the catalogue's), "changed" (seconds or None), "summary",
"done_when", "resources": [(title, url, kind, status)]) and "notes" ([(ISO time, seconds,
text)]). `step(model, rank)` gives one step whole, as a dict of all those names. A column
is one object for marshal to make and the read commands to walk, where a dict a step would
be 5,000 of them, each with ten keys to insert (three quarters of reading the cache).

"by_status" is the steps' statuses again, gathered once when the model is built: `status`
asks which steps are done, open or begun half a dozen times, and with 5,000 steps each
question would be a walk through them all.
"""

from __future__ import annotations

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
COLUMNS = ("title", "felt", "source", "status", "tally", "rest", "notes")
REST = ("id", "challenge", "changed", "summary", "done_when", "resources")
LABEL = {"todo": "todo", "in_progress": "in progress", "done": "done", "skipped": "skipped"}


def _seconds(at: datetime | None) -> int | None:
    """Whole seconds since the epoch, rounded down, as datetime.astimezone() takes them."""
    return None if at is None else int(at.timestamp() // 1)


def of(tracker: Tracker, unsent: int | None = None) -> Model:
    """The read model of a tracker's state on its catalogue."""
    path = tracker.path
    learned = tracker.learned_skill()
    steps: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for step in tracker.catalogue.steps:
        entry = path.steps.get(step.id)
        resources = [
            (r.title, r.url, r.kind, str(tracker.resource_status(step, r.url)))
            for r in step.resources
        ]
        changed = _seconds(entry.changed) if entry else None
        steps["title"].append(step.title)
        steps["felt"].append(tracker.challenge(step))
        steps["source"].append(str(tracker.challenge_source(step)))
        steps["status"].append(str(tracker.status(step)))
        steps["tally"].append((sum(r[3] == "done" for r in resources), len(resources)))
        rest = (step.id, step.challenge, changed, step.summary, step.done_when, resources)
        steps["rest"].append(rest)
        steps["notes"].append(
            [(n.at.isoformat(), _seconds(n.at), n.text) for n in tracker.notes(step)]
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
        "by_status": by_status(steps["status"]),
    }


def by_status(statuses: list[str]) -> dict[str, list[int]]:
    """The ranks of the steps with each status, in the path's order."""
    found: dict[str, list[int]] = {status: [] for status in LABEL}
    for rank, status in enumerate(statuses, start=1):
        found[status].append(rank)
    return found


def total(model: Model) -> int:
    """How many steps the path has."""
    return len(model["steps"]["title"])


def ranks(model: Model, *statuses: str) -> list[int]:
    """The ranks of the steps with one of these statuses, in the path's order."""
    found = model["by_status"]
    if len(statuses) == 1:
        return list(found[statuses[0]])
    return sorted(chain.from_iterable(found[status] for status in statuses))


def step(model: Model, rank: int, *, notes: bool = False) -> StepData:
    """Step `rank` whole: a dict of its COLUMNS' values, with REST spread out, and with
    `notes` its notes. The read cache keeps each step's "rest" and "notes" packed
    (marshalled bytes, store/readcache.py) until a view shows them, so that a command
    showing a few of 5,000 steps reads the details of those alone, and `next` none of the
    notes; unpacked, each is kept in its column. Bytes that do not unpack, or unpack to
    another shape, raise, which the fast road takes for a miss (cli/first.py)."""
    import marshal

    columns, at = model["steps"], rank - 1
    if at < 0:
        raise IndexError(rank)
    rest = columns["rest"][at]
    if type(rest) is bytes:
        rest = columns["rest"][at] = marshal.loads(rest)
    found = {name: columns[name][at] for name in COLUMNS[:5]}
    found.update(zip(REST, rest, strict=True))
    if notes:
        shown = columns["notes"][at]
        if type(shown) is bytes:
            shown = columns["notes"][at] = marshal.loads(shown)
        found["notes"] = shown
    return found


def next_resource(step: StepData) -> tuple[int, tuple[str, str, str, str]] | None:
    """The first resource of a step not yet done or skipped, with its number K."""
    for number, resource in enumerate(step["resources"], start=1):
        if resource[3] in OPEN:
            return number, resource
    return None


def resources_finished(step: StepData) -> bool:
    """The step has resources and none is left to do."""
    return bool(step["resources"]) and next_resource(step) is None


def skill_of(model: Model) -> tuple[float, str]:
    """The skill without asking (core/basis.py, the rule core.advice.skill_of follows too)."""
    done = _at(model["steps"]["felt"], ranks(model, "done"))
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


def _at(column: list[Any], ranked: list[int]) -> list[Any]:
    """A column's values at these ranks."""
    return list(map([None, *column].__getitem__, ranked))


def _open(model: Model) -> tuple[list[int], list[float], list[bool]]:
    """The open steps: their ranks, their felt challenges, and whether each is begun (loops
    in C: a model can have 5,000 of them)."""
    ranked = ranks(model, *OPEN)
    begun = list(map(frozenset(model["by_status"]["in_progress"]).__contains__, ranked))
    return ranked, _at(model["steps"]["felt"], ranked), begun


def _candidates(model: Model) -> list[tuple[int, str, float, bool]]:
    """Each open step's (rank, title, felt, in progress): what flow.suggest ranks, as plain
    tuples (a Candidate each would be a Python call a step: a fifth of `next` with 5,000)."""
    ranked, felt, begun = _open(model)
    titles = _at(model["steps"]["title"], ranked)
    return list(zip(ranked, titles, felt, begun, strict=True))


def advise(model: Model, skill: float, source: str, *, whole: bool) -> flow.Suggestion:
    """The suggestion for this skill (as core.advice.advise); with `whole`, its ranking of
    every open step too (`next --all`), which nothing else shows."""
    start = at_the_start(model, source)
    return flow.suggest(_candidates(model), skill, start=start, whole=whole)


def best(model: Model, skill: float, source: str) -> flow.Candidate | None:
    """The suggested step alone, advise(...).step, without ranking every open step (what
    `status` shows of the suggestion)."""
    ranked, felt, begun = _open(model)
    rows = zip(ranked, felt, begun, strict=True)
    rank = flow.best(rows, skill, start=at_the_start(model, source))
    if rank is None:
        return None
    steps = model["steps"]
    at = rank - 1
    begun_now = steps["status"][at] == "in_progress"
    return flow.Candidate(rank, steps["title"][at], steps["felt"][at], begun_now)
