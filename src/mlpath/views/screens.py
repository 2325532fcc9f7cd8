"""What people and scripts see: the screens, as lines for screen.emit, and the JSON shapes."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mlpath import localtime, safe
from mlpath.catalogue import Step
from mlpath.core.advice import learned_basis
from mlpath.core.flow import Suggestion, figure
from mlpath.core.progress import Status
from mlpath.core.tracker import Outcome, Tracker
from mlpath.views.screen import (
    Hang,
    Line,
    Shown,
    emit,
    fancy,
    table,
    terminal,
    width,
    write,
)

if TYPE_CHECKING:
    from mlpath.core.learning import Skill
    from mlpath.store.doctor import Finding

STATUS_STYLE = {
    Status.TODO: "",
    Status.IN_PROGRESS: "yellow",
    Status.DONE: "green",
    Status.SKIPPED: "dim",
}


def print_json(data: Any) -> None:
    """JSON on stdout: characters as they are where stdout can encode them, else as \\u
    escapes (ensure_ascii), which every JSON reader takes back; control characters always
    escaped (safe.json_text)."""
    import json

    document = safe.json_text(data)
    try:
        document.encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        document = json.dumps(data, indent=2)
    write(document + "\n")


def notice(message: str) -> None:
    """A line for the person, on stderr, so that stdout stays what was asked for."""
    _to_stderr(f"{safe.terminal(message, newlines=False)}\n")


def _to_stderr(line: str) -> None:
    try:
        sys.stderr.write(line)
        sys.stderr.flush()  # in order with stdout when both go to one place
    except (AttributeError, OSError, ValueError):
        pass  # stderr closed or full: there is nowhere left to say anything


def count(n: int, thing: str) -> str:
    """'1 change', '2 changes'."""
    return f"{n} {thing}{'' if n == 1 else 's'}"


def show_imported(added: int, known: int, merge: bool) -> None:
    if merge:
        emit([f"Merged: {count(added, 'new change')}; {known} you had already."])
    else:
        emit([f"Imported {count(added, 'change')}."])


def working(message: str) -> None:
    """Say, on a terminal only, what a long piece of work is doing, so a wait is never silent;
    scripts and pipes get nothing."""
    import sys

    if sys.stderr.isatty():
        _to_stderr(f"mlpath: {safe.terminal(message, newlines=False)}\n")


def error(message: str) -> None:
    """One line on stderr, no decoration: errors are read by people and by scripts. A message
    may quote a catalogue or a file: what it quotes is shown, never acted on."""
    _to_stderr(f"mlpath: {safe.terminal(message, newlines=False)}\n")


def local(at: datetime | None) -> str:
    return localtime.local(at).strftime("%Y-%m-%d %H:%M") if at else "never"


def _step_line(rank: int | None, title: str | None) -> str:
    return f"step {rank} ({title})" if rank else "a step no longer in the catalogue"


# -- JSON shapes ---------------------------------------------------------------------------


def step_json(tracker: Tracker, rank: int, step: Step) -> dict[str, Any]:
    return {
        "rank": rank,
        "id": step.id,
        "title": step.title,
        "summary": step.summary,
        "challenge": tracker.challenge(step),
        "challenge_source": tracker.challenge_source(step),
        "status": str(tracker.status(step)),
        "done_when": step.done_when,
        "resources": [
            {
                "title": r.title,
                "url": r.url,
                "kind": r.kind,
                "status": str(tracker.resource_status(step, r.url)),
                "done": tracker.resource_status(step, r.url) is Status.DONE,
            }
            for r in step.resources
        ],
        "notes": [{"at": n.at.isoformat(), "text": n.text} for n in tracker.notes(step)],
    }


def status_json(tracker: Tracker, skill: int | None) -> dict[str, Any]:
    total = len(tracker.catalogue.steps)
    done = len(tracker.ranks(Status.DONE))
    skipped = len(tracker.ranks(Status.SKIPPED))
    return {
        "total": total,
        "done": done,
        "skipped": skipped,
        "in_progress": tracker.ranks(Status.IN_PROGRESS),
        "todo": tracker.ranks(Status.TODO),
        "percent": round(100 * (done + skipped) / total, 1),
        "skill": skill,
    }


def map_json(
    tracker: Tracker, skill: float, source: str, trail: Sequence[tuple[datetime, int]]
) -> dict[str, Any]:
    from mlpath.core.flow import channel, zone

    return {
        "skill": skill,
        "skill_source": source,
        "channel": list(channel(skill)),
        "steps": [
            {
                "rank": rank,
                "title": step.title,
                "challenge": tracker.challenge(step),
                "status": str(tracker.status(step)),
                "zone": zone(skill, tracker.challenge(step)),
            }
            for rank, step in enumerate(tracker.catalogue.steps, start=1)
        ],
        "trail": [{"at": at.isoformat(), "skill": value} for at, value in trail],
        **checkins_json(tracker),
    }


def checkins_json(tracker: Tracker) -> dict[str, Any]:
    """The learner's check-ins with their Massimini & Carli channels (null until there are
    enough, and enough variation), and how many fall in each channel (or null)."""
    from mlpath.core import channels

    found = tracker.checkins()
    named = channels.classify([(c.challenge, c.skill) for _, c in found])
    return {
        "checkins": [
            {
                "at": c.at.isoformat(),
                "step": rank,
                "challenge": c.challenge,
                "skill": c.skill,
                "channel": named[i] if named else None,
            }
            for i, (rank, c) in enumerate(found)
        ],
        "channels": channels.counts(named) if named else None,
    }


# -- screens -------------------------------------------------------------------------------


def show_list(tracker: Tracker) -> None:
    rows = []
    for rank, step in enumerate(tracker.catalogue.steps, start=1):
        status = tracker.status(step)
        challenge = figure(tracker.challenge(step)) + SOURCE_MARK[tracker.challenge_source(step)]
        rows.append(
            [
                (str(rank), ""),
                (step.title, ""),
                (challenge, ""),
                (status.label, STATUS_STYLE[status]),
                (_resource_count(tracker, step), ""),
            ]
        )
    lines: list[Shown] = [[(tracker.catalogue.title, "bold")]]
    lines += table(
        ["#", "Step", "Challenge", "Status", "Resources"], rows, right={0, 2, 4}, flex=1, drop=[4]
    )
    sources = {tracker.challenge_source(step) for step in tracker.catalogue.steps}
    if sources & {"rated", "checkin"}:
        lines.append([("* how it felt to you: your rating or check-ins", "dim")])
    if "predicted" in sources:
        lines.append([("~ predicted from how the steps you checked in on felt", "dim")])
    emit(lines)


SOURCE_MARK = {"catalogue": "", "rated": "*", "checkin": "*", "predicted": "~"}
SOURCE_WORDS = {
    "rated": "",
    "checkin": ", from your check-ins",
    "predicted": ", predicted from your check-ins",
}


def _resource_count(tracker: Tracker, step: Step) -> str:
    """Resources done of all the step's resources, '2/5'; '-' for a step without any."""
    if not step.resources:
        return "-"
    done = sum(tracker.resource_status(step, r.url) is Status.DONE for r in step.resources)
    return f"{done}/{len(step.resources)}"


RESOURCE_MARK = {Status.DONE: "[x]", Status.IN_PROGRESS: "[~]", Status.SKIPPED: "[-]"}


def show_step(tracker: Tracker, rank: int) -> None:
    step = tracker.catalogue.steps[rank - 1]
    status = tracker.status(step)
    source = tracker.challenge_source(step)
    challenge = f"{step.challenge} of 10"
    if source != "catalogue":
        felt = figure(tracker.challenge(step))
        challenge = f"{felt} of 10 to you{SOURCE_WORDS[source]} (catalogue: {step.challenge})"
    entry = tracker.path.steps.get(step.id)
    since = f" since {local(entry.changed)}" if entry and entry.changed else ""
    lines: list[Shown] = [
        Hang(3, [(f"{rank}. {step.title}", "bold")]),
        f"Status: {status.label}{since}",
        f"Challenge: {challenge}",
        "",
        step.summary,
    ]
    if step.done_when:
        lines += ["", f"Done when: {step.done_when}"]
    if step.resources:
        lines += ["", [("Resources", "bold")]]
        room = width()
        for number, resource in enumerate(step.resources, start=1):
            mark = RESOURCE_MARK.get(tracker.resource_status(step, resource.url), "[ ]")
            prefix = f"  {mark} {rank}.{number}  "
            line: Line = [(prefix, ""), (resource.title, f"link {resource.url}")]
            if not resource.title.endswith(f"({resource.kind})"):  # said once, not twice
                line.append((f" ({resource.kind})", "dim"))
            lines.append(Hang(len(prefix), line))
            # A URL is never broken: indented under its title where it fits, else whole
            # from the first column, where the terminal keeps it one line to copy.
            fits = room is None or len(prefix) + len(resource.url) <= room
            lines.append([(" " * len(prefix) * fits + resource.url, "dim")])
    notes = tracker.notes(step)
    if notes:
        lines += ["", [("Notes", "bold")]]
        lines += [Hang(4, [(f"  {local(n.at)}", "dim"), (f" {n.text}", "")]) for n in notes]
    emit(lines)


def show_changes(outcomes: Sequence[Outcome]) -> None:
    emit([describe(outcome) for outcome in outcomes])


def describe(outcome: Outcome) -> str:
    if outcome.what == "skill":
        if not outcome.changed:
            return f"Your skill is already {outcome.after} of 10: nothing changed."
        was = f" (was {outcome.before})" if outcome.before is not None else ""
        now = "not rated" if outcome.after is None else f"{outcome.after} of 10"
        return f"Your skill: {now}{was}."
    where = _step_line(outcome.rank, outcome.title)
    if outcome.what == "checkin":
        if outcome.after is None:
            return f"Removed the check-in on {where}."
        said = outcome.after
        spent = f", {said['minutes']} minutes" if "minutes" in said else ""
        return (
            f"Checked in on {where}: challenge {said['challenge']}, skill {said['skill']}{spent}."
        )
    if outcome.what == "note_back":
        return f"Put back the note on {where}."
    if outcome.what == "note":
        if outcome.before and outcome.after:
            if not outcome.changed:
                return f"The note on {where} already says that: nothing changed."
            return f"Changed the note on {where}."
        return f"Noted on {where}." if outcome.after else f"Removed the note on {where}."
    if outcome.what == "resource":
        where = f"resource {outcome.title}"
    if outcome.what == "rating":
        if not outcome.changed:
            return f"You already rated {where} {outcome.after}."
        if outcome.after is None:
            return f"Removed your rating of {where}; it uses the catalogue's challenge again."
        return f"Rated {where}: feels like {outcome.after} of 10 to you."
    before, after = Status(outcome.before).label, Status(outcome.after).label
    if not outcome.changed:
        return f"{where[0].upper()}{where[1:]} is already {after}: nothing changed."
    return f"{where[0].upper()}{where[1:]}: {before} -> {after}."


def show_resources_finished(rank: int, step: Step) -> None:
    lines = [f"That was the last open resource of step {rank} ({step.title})."]
    if step.done_when:
        lines.append(f"Done when: {step.done_when}")
    lines.append(f"If you are through with it: `mlpath done {rank}`")
    emit(lines)


def estimate_text(skill: int, any_done: bool) -> str:
    """Where an estimated skill comes from, truthfully: with no step done there is none."""
    if any_done:
        return f"estimated {skill} from the hardest step you have done"
    return f"taken as {skill}, since no step is done yet"


def show_learned(learned: Skill) -> None:
    emit([f"Your skill is now {figure(learned.value)}, {learned_basis(learned)}."])


def show_skill(skill: float, source: str, any_done: bool, learned: Skill | None = None) -> None:
    if source == "checkins":
        emit([f"Your skill: {figure(skill)}, {learned_basis(learned)}."])
    elif source == "rated":
        emit([f"Your skill: {skill} of 10."])
    else:
        emit(
            [
                f"Your skill: not rated ({estimate_text(int(skill), any_done)}); "
                "rate it with `mlpath skill N`."
            ]
        )


def show_opened(title: str, url: str, opened: bool) -> None:
    if opened:
        emit([[(f"Opened {title}: ", ""), (url, f"link {url}")]])
    else:
        emit([f"No browser found. {title}: {url}"])


def show_undo(outcomes: Sequence[Outcome]) -> None:
    if not outcomes:
        emit(["Nothing to undo."])
        return
    _show_reverted("Undone", outcomes)


def show_redo(outcomes: Sequence[Outcome]) -> None:
    if not outcomes:
        emit(["Nothing to redo: redo puts back what `mlpath undo` took, until the next change."])
        return
    _show_reverted("Redone", outcomes)


def _show_reverted(label: str, outcomes: Sequence[Outcome]) -> None:
    said = [describe(outcome) for outcome in outcomes]
    said = [line[0].lower() + line[1:] if line[1:2].islower() else line for line in said]
    indent = " " * (len(label) + 2)
    emit([f"{label}: {said[0]}", *(f"{indent}{line}" for line in said[1:])])


BAR = 28  # the progress bar's columns, fewer on a terminal too narrow for it and its figures


def _bar(done: int, skipped: int, total: int, size: int) -> Line:
    full = round(size * done / total)
    part = round(size * (done + skipped) / total) - full
    # `-` is skipped in the map too; `#` and `.` mean nothing else anywhere.
    fill, skip, empty = ("█", "▒", "░") if terminal() and fancy() else ("#", "-", ".")
    return [(fill * full, "green"), (skip * part, "dim"), (empty * (size - full - part), "")]


def skill_line(tracker: Tracker, skill: float, source: str) -> str:
    """What `status` says of the skill, and what it rests on."""
    from mlpath.core.advice import basis

    if source == "estimated":
        any_done = bool(tracker.ranks(Status.DONE))
        return f"not rated ({estimate_text(int(skill), any_done)}; `mlpath skill N` sets it)"
    if source == "rated":
        return f"{figure(skill)} of 10"
    return f"{figure(skill)} of 10 ({basis(tracker, source)})"


def show_status(tracker: Tracker, skill_line: str, suggestion: Suggestion) -> None:
    data = status_json(tracker, None)
    total, done, skipped = data["total"], data["done"], data["skipped"]
    extra = f", {skipped} skipped" if skipped else ""
    steps = tracker.catalogue.steps
    doing = ", ".join(f"{rank} {steps[rank - 1].title}" for rank in data["in_progress"])
    figures = f"{done} of {total} done{extra} ({data['percent']:.1f}%)"
    room = width() or BAR + 2 + len(figures)
    size = min(BAR, room - 2 - len(figures))
    progress: list[Shown] = [[*_bar(done, skipped, total, size), ("  " + figures, "")]]
    if size < 10:  # too narrow for both: the bar across the screen, the figures below
        progress = [_bar(done, skipped, total, min(BAR, room)), Hang(0, [(figures, "")])]
    lines: list[Shown] = [
        Hang(0, [(tracker.catalogue.title, "bold")]),
        *progress,
        Hang(13, [(f"In progress: {doing or 'nothing'}", "")]),
        Hang(7, [(f"Skill: {skill_line}", "")]),
        f"Last activity: {local(tracker.path.last_activity)}",
    ]
    if suggestion.step is None:
        lines.append("Next: nothing left; the path is complete.")
    else:
        lines.append(
            Hang(
                6,
                [
                    (f"Next: step {suggestion.step.rank}, {suggestion.step.title} (", ""),
                    ("`mlpath next`", "bold"),
                    (" says why)", ""),
                ],
            )
        )
    emit(lines)


# -- doctor and where ----------------------------------------------------------------------


def findings_json(findings: Sequence[Finding]) -> dict[str, Any]:
    return {
        "ok": all(f.ok for f in findings),
        "checks": [{"what": f.what, "ok": f.ok, "text": f.text} for f in findings],
    }


def show_findings(findings: Sequence[Finding]) -> None:
    lines: list[Shown] = [
        [
            ("ok     " if f.ok else "PROBLEM", "green" if f.ok else "red"),
            (f" {f.what}: {f.text}", ""),
        ]
        for f in findings
    ]
    if all(f.ok for f in findings):
        lines.append("Everything is in order.")
    else:
        lines.append(
            "Something is wrong. `mlpath doctor --restore` keeps a copy of each damaged "
            "file and rebuilds your state from every valid change in the history."
        )
    emit(lines)


def show_lines(lines: Sequence[str]) -> None:
    emit(lines)


def activity_marks() -> str:
    """A day's shade by level, none to most: blocks on a terminal, plain characters piped."""
    from mlpath.views.activity import SHADES

    return "·░▒▓█" if terminal() and fancy() else SHADES


def show_where(info: dict[str, Any]) -> None:
    def size(n: int | None) -> str:
        return "not created yet" if n is None else f"{n:,} bytes"

    kind = "bundled" if info["catalogue"]["bundled"] else "your own"
    emit(
        [
            f"Data folder: {info['home']}",
            f"Progress:    {info['progress']['path']} ({size(info['progress']['bytes'])})",
            f"History:     {info['history']['path']} ({size(info['history']['bytes'])})",
            f"Backups:     {info['backups']['path']} ({info['backups']['count']} kept)",
            f"Catalogue:   {info['catalogue']['path']} "
            f"({kind}, {size(info['catalogue']['bytes'])})",
        ]
    )


# -- the flow map --------------------------------------------------------------------------

MAP_STYLES = {
    "anxiety": "red",
    "flow": "green",
    "boredom": "",
    "open": "bold yellow",
    "finished": "cyan",
    "you": "bold",
    "dim": "dim",
    "bold": "bold",
    "": "",
}


def show_map(lines: Sequence[Sequence[tuple[str, str]]]) -> None:
    emit([Hang(4, [(part, MAP_STYLES[style]) for part, style in line]) for line in lines])
