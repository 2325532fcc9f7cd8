"""What `next` shows: the suggestion and the whole picture around it, as a screen and as JSON."""

from __future__ import annotations

from mlpath.core.flow import channel_text, figure
from mlpath.views import readmodel
from mlpath.views.readmodel import basis_of, next_resource, resources_finished
from mlpath.views.readmodel import step as whole
from mlpath.views.screen import Hang, emit
from mlpath.views.standing import estimate_text

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from typing import Any

    from mlpath.core.flow import Placed, Suggestion
    from mlpath.views.readmodel import Model
    from mlpath.views.screen import Shown

ZONE_STYLE = {"flow": "green", "anxiety": "red", "boredom": "blue"}


def _resource_json(model: Model, rank: int) -> dict[str, Any] | None:
    found = next_resource(whole(model, rank))
    if found is None:
        return None
    number, (title, url, _, _) = found
    return {"number": f"{rank}.{number}", "title": title, "url": url}


def _placed_json(placed: Placed, reason: str) -> dict[str, Any]:
    return {
        "rank": placed.step.rank,
        "title": placed.step.title,
        "challenge": placed.step.challenge,
        "zone": placed.zone,
        "reason": reason,
    }


def alternative_reason(placed: Placed, skill: float) -> str:
    figures = f"challenge {figure(placed.step.challenge)}, your skill {figure(skill)}"
    if placed.zone == "flow":
        return f"in your flow channel too ({figures})"
    return f"above your flow channel ({figures}): for when you feel ready"


def next_json(
    model: Model, suggestion: Suggestion, source: str, *, everything: bool = False
) -> dict[str, Any]:
    step = suggestion.step
    data: dict[str, Any] = {
        "step": step.rank if step else None,
        "title": step.title if step else None,
        "challenge": step.challenge if step else None,
        "skill": suggestion.skill,
        "skill_source": source,
        "zone": suggestion.zone,
        "reason": suggestion.reason,
        "done_when": whole(model, step.rank)["done_when"] if step else None,
        "resource": _resource_json(model, step.rank) if step else None,
        "alternatives": [
            _placed_json(p, alternative_reason(p, suggestion.skill))
            for p in suggestion.alternatives
        ],
        "in_progress": [_placed_json(p, why) for p, why in suggestion.in_progress],
        "passed_over": suggestion.passed_over,
    }
    if everything:
        data["ranking"] = [
            {
                "rank": p.step.rank,
                "title": p.step.title,
                "challenge": p.step.challenge,
                "zone": p.zone,
                "in_progress": p.step.in_progress,
                "gap": p.gap,
                "distance": p.distance,
                "decided": p.decided or None,
            }
            for p in suggestion.ranking
        ]
    return data


def _resource_line(model: Model, rank: int, source: str) -> str | None:
    found = next_resource(whole(model, rank))
    if found is not None:
        number, (title, _, _, _) = found
        # Bare `mlpath open` follows your rating, not a --skill given here.
        command = f"`mlpath open {rank}.{number}`" if source == "option" else "`mlpath open`"
        return f"Next resource: {rank}.{number} {title} ({command} opens it)"
    if resources_finished(whole(model, rank)):
        return f"Every resource is done: if you have reached the finish line, `mlpath done {rank}`."
    return None


def _title(placed: Placed) -> str:
    return f"step {placed.step.rank}, {placed.step.title}"


def show_next(model: Model, suggestion: Suggestion, source: str) -> None:
    step = suggestion.step
    if step is None:
        emit([suggestion.reason])
        return
    lines: list[Shown] = [
        Hang(
            6,
            [
                ("Next: ", ""),
                (f"step {step.rank}, {step.title}", "bold"),
                (f" ({suggestion.zone})", ZONE_STYLE[suggestion.zone or "flow"]),
            ],
        ),
        suggestion.reason,
    ]
    done_when = whole(model, step.rank)["done_when"]
    if done_when:
        lines.append(f"Done when: {done_when}")
    resource = _resource_line(model, step.rank, source)
    if resource:
        lines.append(resource)
    # The reason above already gives the skill's figure: say only where it comes from.
    known = {
        "option": "For the skill you gave with --skill",
        "rated": "For your own rating of your skill",
        "estimated": "For a skill "
        + estimate_text(int(suggestion.skill), bool(readmodel.ranks(model, "done"))),
        "checkins": f"For skill {figure(suggestion.skill)}, {basis_of(model, source)}",
    }[source]
    lines.append([(f"{known}. `mlpath show {step.rank}` shows the step in full.", "dim")])
    if suggestion.alternatives:
        lines += ["", "Alternatives:"]
        for placed in suggestion.alternatives:
            lines.append(
                Hang(
                    4,
                    [
                        (f"  {_title(placed)}: challenge {figure(placed.step.challenge)} ", ""),
                        (f"({placed.zone})", ZONE_STYLE[placed.zone]),
                    ],
                )
            )
    if suggestion.in_progress:
        lines += ["", "Also in progress:"]
        for placed, why in suggestion.in_progress:
            found = next_resource(whole(model, placed.step.rank))
            then = f"; its next resource is {placed.step.rank}.{found[0]}" if found else ""
            lines.append(
                Hang(
                    4,
                    [
                        (f"  {_title(placed)} ", ""),
                        (f"({placed.zone})", ZONE_STYLE[placed.zone]),
                        (f": {why}{then}.", ""),
                    ],
                )
            )
    if suggestion.passed_over:
        ranks = ", ".join(map(str, suggestion.passed_over))
        several = len(suggestion.passed_over) > 1
        lines += [
            "",
            f"Passed over as too easy: step{'s' if several else ''} {ranks} "
            f"(`mlpath skip N` if you know {'them' if several else 'it'} already, "
            f"or do {'them' if several else 'it'} quickly).",
        ]
    emit(lines)


def show_ranking(suggestion: Suggestion, based: str, *, start: bool) -> None:
    """`next --all`: every open step in order, with the term that decided each place."""
    if suggestion.step is None:
        emit([suggestion.reason])
        return
    skill = suggestion.skill
    lines: list[Shown] = [
        f"Every open step, best first: skill {figure(skill)} ({based}), "
        f"flow channel {channel_text(skill)}, aiming at a stretch of +1.",
    ]
    rows = []
    for place, placed in enumerate(suggestion.ranking, start=1):
        gap = placed.gap
        rows.append(
            [
                (str(place), ""),
                (str(placed.step.rank), ""),
                (placed.step.title, ""),
                (figure(placed.step.challenge), ""),
                (("+" if gap > 0 else "") + figure(gap), ""),
                (placed.zone, ZONE_STYLE[placed.zone]),
                ("yes" if placed.step.in_progress else "no", ""),
                (placed.decided or "the suggestion", ""),
            ]
        )
    from mlpath.views.columns import table

    lines += table(
        ["Place", "#", "Step", "Challenge", "Gap", "Zone", "Begun", "Below the one above as"],
        rows,
        right={0, 1, 3, 4},
        flex=2,
    )
    lines.append(
        "Order: the path's own, since mlpath has no skill of yours to go on yet."
        if start
        else "Order: in the flow channel first; inside it, nearest a stretch of +1; outside "
        "it, nearest your skill; then a step begun; then the path's order."
    )
    emit(lines)


def show_advice(model: Model, source: str, suggestion: Suggestion, everything: bool) -> None:
    """`next`, or with `everything` (`next --all`) the whole ranking."""
    from mlpath.views.readmodel import at_the_start

    if everything:
        start = at_the_start(model, source)
        show_ranking(suggestion, basis_of(model, source), start=start)
    else:
        show_next(model, suggestion, source)
