"""What people and scripts see: the screens, as lines for screen.emit, and the JSON shapes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mlpath import localtime
from mlpath.catalogue import Step
from mlpath.core.basis import learned_words as learned_basis
from mlpath.core.flow import figure
from mlpath.core.outcome import Outcomes
from mlpath.core.progress import Status
from mlpath.core.tracker import Outcome, Tracker
from mlpath.views.screen import Hang, Shown, emit, fancy, terminal
from mlpath.views.standing import count, estimate_text
from mlpath.views.streams import error, notice, print_json, working

__all__ = ["count", "error", "estimate_text", "notice", "print_json", "working"]

if TYPE_CHECKING:
    from mlpath.core.learning import Skill
    from mlpath.store.doctor import Finding


def show_imported(added: int, known: int, merge: bool) -> None:
    if merge:
        emit([f"Merged: {count(added, 'new change')}; {known:,} you had already."])
    else:
        emit([f"Imported {count(added, 'change')}."])


def local(at: datetime | None) -> str:
    return localtime.local(at).strftime("%Y-%m-%d %H:%M") if at else "never"


def _step_line(rank: int | None, title: str | None) -> str:
    return f"step {rank} ({title})" if rank else "a step no longer in the catalogue"


# -- JSON shapes ---------------------------------------------------------------------------


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
    """Each change reverted, a line each; past the first SHOWN (an undone import), how many
    more there were."""
    said = [describe(outcome) for outcome in outcomes]
    said = [_continued(line) for line in said]
    more = outcomes.more if isinstance(outcomes, Outcomes) else 0
    if more:
        said.append(f"and {count(more, 'more change')}.")
    indent = " " * (len(label) + 2)
    emit([f"{label}: {said[0]}", *(f"{indent}{line}" for line in said[1:])])


def _continued(line: str) -> str:
    """A sentence of its own as it reads after "Undone: ": its first letter small ("a step
    no longer in the catalogue"), unless its first word is an acronym ("ML")."""
    first = line.split(" ", 1)[0]
    return line if len(first) > 1 and first.isupper() else line[:1].lower() + line[1:]


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
