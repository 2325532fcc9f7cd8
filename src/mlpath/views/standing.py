"""Where the learner stands: the screens and JSON of `status`, `list` and `show N`.

They take the read model (views/readmodel.py), plain data, on both roads: the full one
builds it from the tracker, the fast one reads it from the store's read cache. Nothing here
imports typing, pydantic, typer or rich (emit imports rich only for styled lines on a
terminal).
"""

from __future__ import annotations

from mlpath.core.flow import figure
from mlpath.localtime import stamp
from mlpath.views.readmodel import LABEL, ranks, step, total
from mlpath.views.screen import Hang, emit, fancy, terminal, width

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from typing import Any

    from mlpath.core.flow import Candidate
    from mlpath.views.columns import Column
    from mlpath.views.readmodel import Model
    from mlpath.views.screen import Line, Shown

STATUS_STYLE = {"todo": "", "in_progress": "yellow", "done": "green", "skipped": "dim"}
SOURCE_MARK = {"catalogue": "", "rated": "*", "checkin": "*", "predicted": "~"}
SOURCE_WORDS = {
    "rated": "",
    "checkin": ", from your check-ins",
    "predicted": ", predicted from your check-ins",
}
RESOURCE_MARK = {"done": "[x]", "in_progress": "[~]", "skipped": "[-]"}
BAR = 28  # the progress bar's columns, fewer on a terminal too narrow for it and its figures


def count(n: int, thing: str) -> str:
    """'1 change', '2 changes', '1,000,000 changes'."""
    return f"{n:,} {thing}{'' if n == 1 else 's'}"


def estimate_text(skill: int, any_done: bool) -> str:
    """Where an estimated skill comes from, truthfully: with no step done there is none."""
    if any_done:
        return f"estimated {skill} from the hardest step you have done"
    return f"taken as {skill}, since no step is done yet"


# -- JSON shapes ---------------------------------------------------------------------------


def step_json(model: Model, rank: int) -> dict[str, Any]:
    shown = step(model, rank, notes=True)
    return {
        "rank": rank,
        "id": shown["id"],
        "title": shown["title"],
        "summary": shown["summary"],
        "challenge": shown["felt"],
        "challenge_source": shown["source"],
        "status": shown["status"],
        "done_when": shown["done_when"],
        "resources": [
            {"title": title, "url": url, "kind": kind, "status": status, "done": status == "done"}
            for title, url, kind, status in shown["resources"]
        ],
        "notes": [{"at": at, "text": text} for at, _, text in shown["notes"]],
    }


def list_json(model: Model) -> list[dict[str, Any]]:
    return [step_json(model, rank) for rank in range(1, total(model) + 1)]


def status_json(model: Model, skill: int | None) -> dict[str, Any]:
    steps = total(model)
    done = len(ranks(model, "done"))
    skipped = len(ranks(model, "skipped"))
    return {
        "total": steps,
        "done": done,
        "skipped": skipped,
        "in_progress": ranks(model, "in_progress"),
        "todo": ranks(model, "todo"),
        "percent": round(100 * (done + skipped) / steps, 1),
        "skill": skill,
    }


# -- screens -------------------------------------------------------------------------------


def show_list(model: Model) -> None:
    """The path as a table. Each column is made in C from the steps' fields, and what a
    figure, a mark or a count shows is worked out once for each value: the table of 5,000
    steps is made of a few dozen distinct challenges, statuses and counts."""
    from mlpath.views.columns import Coded, grid

    steps = model["steps"]
    titles, statuses, tallies = steps["title"], steps["status"], steps["tally"]
    felt = list(zip(steps["felt"], steps["source"], strict=True))
    marked = {pair: figure(pair[0]) + SOURCE_MARK[pair[1]] for pair in set(felt)}
    counts = {tally: _resource_count(tally) for tally in set(tallies)}
    shown = set(statuses)
    labels = {status: LABEL[status] for status in shown}
    styles = {status: STATUS_STYLE[status] for status in shown}
    unstyled = [""] * len(titles)
    columns: list[Column] = [
        (list(map(str, range(1, len(titles) + 1))), unstyled),
        (titles, unstyled),
        Coded(felt, marked),
        Coded(statuses, labels, styles),
        Coded(tallies, counts),
    ]
    lines: list[Shown] = [[(model["title"], "bold")]]
    lines += grid(
        ["#", "Step", "Challenge", "Status", "Resources"],
        columns,
        right={0, 2, 4},
        flex=1,
        drop=[4],
    )
    sources = {source for _, source in felt}
    if sources & {"rated", "checkin"}:
        lines.append([("* how it felt to you: your rating or check-ins", "dim")])
    if "predicted" in sources:
        lines.append([("~ predicted from how the steps you checked in on felt", "dim")])
    emit(lines)


def _resource_count(tally: tuple[int, int]) -> str:
    """Resources done of all the step's resources, '2/5'; '-' for a step without any."""
    done, every = tally
    return f"{done}/{every}" if every else "-"


def show_step(model: Model, rank: int) -> None:
    shown = step(model, rank, notes=True)
    source = shown["source"]
    challenge = f"{shown['challenge']} of 10"
    if source != "catalogue":
        felt = figure(shown["felt"])
        challenge = f"{felt} of 10 to you{SOURCE_WORDS[source]} (catalogue: {shown['challenge']})"
    since = f" since {stamp(shown['changed'])}" if shown["changed"] is not None else ""
    lines: list[Shown] = [
        Hang(3, [(f"{rank}. {shown['title']}", "bold")]),
        f"Status: {LABEL[shown['status']]}{since}",
        f"Challenge: {challenge}",
        "",
        shown["summary"],
    ]
    if shown["done_when"]:
        lines += ["", f"Done when: {shown['done_when']}"]
    if shown["resources"]:
        lines += ["", [("Resources", "bold")]]
        room = width()
        for number, (title, url, kind, status) in enumerate(shown["resources"], start=1):
            prefix = f"  {RESOURCE_MARK.get(status, '[ ]')} {rank}.{number}  "
            line: Line = [(prefix, ""), (title, f"link {url}")]
            if not title.endswith(f"({kind})"):  # said once, not twice
                line.append((f" ({kind})", "dim"))
            lines.append(Hang(len(prefix), line))
            # A URL is never broken: indented under its title where it fits, else whole
            # from the first column, where the terminal keeps it one line to copy.
            fits = room is None or len(prefix) + len(url) <= room
            lines.append([(" " * len(prefix) * fits + url, "dim")])
    if shown["notes"]:
        lines += ["", [("Notes", "bold")]]
        # Each time is turned to words once (1,300 notes may share a few dozen).
        times = {seconds for _, seconds, _ in shown["notes"]}
        stamps = {seconds: f"  {stamp(seconds)}" for seconds in times}
        lines += [
            Hang(4, [(stamps[seconds], "dim"), (f" {text}", "")])
            for _, seconds, text in shown["notes"]
        ]
    emit(lines)


def _bar(done: int, skipped: int, total: int, size: int) -> Line:
    full = round(size * done / total)
    part = round(size * (done + skipped) / total) - full
    # `-` is skipped in the map too; `#` and `.` mean nothing else anywhere.
    fill, skip, empty = ("█", "▒", "░") if terminal() and fancy() else ("#", "-", ".")
    return [(fill * full, "green"), (skip * part, "dim"), (empty * (size - full - part), "")]


def skill_line(model: Model, skill: float, source: str) -> str:
    """What `status` says of the skill, and what it rests on."""
    from mlpath.views.readmodel import basis_of as basis

    if source == "estimated":
        any_done = bool(ranks(model, "done"))
        return f"not rated ({estimate_text(int(skill), any_done)}; `mlpath skill N` sets it)"
    if source == "rated":
        return f"{figure(skill)} of 10"
    return f"{figure(skill)} of 10 ({basis(model, source)})"


def show_status(model: Model, skill: float, source: str, best: Candidate | None) -> None:
    """`best`: the suggested step (flow.suggest's, or flow.best's: the same step)."""
    data = status_json(model, None)
    total, done, skipped = data["total"], data["done"], data["skipped"]
    extra = f", {skipped} skipped" if skipped else ""
    titles = model["steps"]["title"]
    doing = ", ".join(f"{rank} {titles[rank - 1]}" for rank in data["in_progress"])
    figures = f"{done} of {total} done{extra} ({data['percent']:.1f}%)"
    room = width() or BAR + 2 + len(figures)
    size = min(BAR, room - 2 - len(figures))
    progress: list[Shown] = [[*_bar(done, skipped, total, size), ("  " + figures, "")]]
    if size < 10:  # too narrow for both: the bar across the screen, the figures below
        progress = [_bar(done, skipped, total, min(BAR, room)), Hang(0, [(figures, "")])]
    lines: list[Shown] = [
        Hang(0, [(model["title"], "bold")]),
        *progress,
        Hang(13, [(f"In progress: {doing or 'nothing'}", "")]),
        Hang(7, [(f"Skill: {skill_line(model, skill, source)}", "")]),
        f"Last activity: {stamp(model['last'])}",
    ]
    if best is None:
        lines.append("Next: nothing left; the path is complete.")
    else:
        lines.append(
            Hang(
                6,
                [
                    (f"Next: step {best.rank}, {best.title} (", ""),
                    ("`mlpath next`", "bold"),
                    (" says why)", ""),
                ],
            )
        )
    if model["unsent"]:
        unsent_changes = count(model["unsent"], "change")
        lines.append(f"Sync: {unsent_changes} not sent yet; `mlpath sync` sends them.")
    emit(lines)
