"""What people and scripts see: rich renderings for a terminal and the JSON shapes.

The only module that imports rich, and only inside the functions that draw.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mlpath.catalogue import Step
from mlpath.flow import Suggestion
from mlpath.progress import Event, Outcome, Status, Tracker

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from mlpath.doctor import Finding
    from mlpath.store import Paths

STATUS_LABEL = {
    Status.TODO: "todo",
    Status.IN_PROGRESS: "in progress",
    Status.DONE: "done",
    Status.SKIPPED: "skipped",
}
STATUS_STYLE = {
    Status.TODO: "",
    Status.IN_PROGRESS: "yellow",
    Status.DONE: "green",
    Status.SKIPPED: "dim",
}


def console() -> Console:
    """Rich on a terminal (colour unless NO_COLOR, links, box drawing); plain text elsewhere.

    Piped output is for grep, a pager or a file: no escape codes, no wrapping at 80 columns,
    and no padding at the ends of lines.
    """
    from rich.console import Console

    terminal = Console(highlight=False)
    if terminal.is_terminal:
        return terminal

    class Plain(Console):
        def print(self, *objects: Any, **options: Any) -> None:
            with self.capture() as captured:
                super().print(*objects, **options)
            lines = captured.get().splitlines()
            self.file.write("".join(line.rstrip() + "\n" for line in lines))

    return Plain(highlight=False, color_system=None, width=PIPE_WIDTH, emoji=False)


PIPE_WIDTH = 1000  # wide enough that piped lines are never wrapped


def print_json(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def error_free_note(message: str) -> None:
    """A line for the person, on stderr, so that stdout stays what was asked for."""
    sys.stderr.write(f"{message}\n")


def show_imported(added: int, known: int, merge: bool) -> None:
    if merge:
        console().print(f"Merged: {added} new change(s); {known} you had already.")
    else:
        console().print(f"Imported {added} change(s).")


def error(message: str) -> None:
    """One line on stderr, no decoration: errors are read by people and by scripts."""
    sys.stderr.write(f"mlpath: {message}\n")


def local(at: datetime | None) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at else "never"


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
        "status": str(tracker.status(step)),
        "resources": [
            {
                "title": r.title,
                "url": r.url,
                "kind": r.kind,
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


def next_json(suggestion: Suggestion, source: str) -> dict[str, Any]:
    step = suggestion.step
    return {
        "step": step.rank if step else None,
        "title": step.title if step else None,
        "challenge": step.challenge if step else None,
        "skill": suggestion.skill,
        "skill_source": source,
        "zone": suggestion.zone,
        "reason": suggestion.reason,
    }


def event_json(event: Event, tracker: Tracker) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "action": event.action,
        "step": tracker.catalogue.rank_of(event.step) if event.step else None,
        "details": event.details,
    }


# -- screens -------------------------------------------------------------------------------


def _table(out: Console, *columns: str) -> Any:
    from rich import box
    from rich.table import Table

    # Box-drawing only where a terminal shows it; piped output stays plain columns.
    table = Table(box=box.SIMPLE_HEAD if out.is_terminal else None, pad_edge=False, show_edge=False)
    for name in columns:
        justify = "right" if name in {"#", "Challenge", "Resources"} else "left"
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    return table


def show_list(tracker: Tracker) -> None:
    out = console()
    table = _table(out, "#", "Step", "Challenge", "Status", "Resources")
    for rank, step in enumerate(tracker.catalogue.steps, start=1):
        status = tracker.status(step)
        challenge = str(tracker.challenge(step))
        if tracker.rating(step) is not None:
            challenge += "*"
        table.add_row(
            str(rank),
            step.title,
            challenge,
            f"[{STATUS_STYLE[status]}]{STATUS_LABEL[status]}[/]"
            if STATUS_STYLE[status]
            else STATUS_LABEL[status],
            _resource_count(tracker, step),
        )
    out.print(f"[bold]{tracker.catalogue.title}[/]")
    out.print(table)
    if any(tracker.rating(step) is not None for step in tracker.catalogue.steps):
        out.print("[dim]* your own rating of the challenge[/]")


def _resource_count(tracker: Tracker, step: Step) -> str:
    """Resources done of all the step's resources, '2/5'; '-' for a step without any."""
    if not step.resources:
        return "-"
    done = sum(tracker.resource_status(step, r.url) is Status.DONE for r in step.resources)
    return f"{done}/{len(step.resources)}"


RESOURCE_MARK = {Status.DONE: "[x]", Status.IN_PROGRESS: "[~]", Status.SKIPPED: "[-]"}


def show_step(tracker: Tracker, rank: int) -> None:
    from rich.markup import escape

    out = console()
    step = tracker.catalogue.steps[rank - 1]
    status = tracker.status(step)
    out.print(f"[bold]{rank}. {escape(step.title)}[/]")
    rated = tracker.rating(step)
    challenge = f"{step.challenge} of 10"
    if rated is not None:
        challenge = f"{rated} of 10 to you (catalogue: {step.challenge})"
    entry = tracker.path.steps.get(step.id)
    since = f" since {local(entry.changed)}" if entry and entry.changed else ""
    out.print(f"Status: {STATUS_LABEL[status]}{since}    Challenge: {challenge}")
    out.print()
    out.print(escape(step.summary))
    if step.resources:
        out.print()
        out.print("[bold]Resources[/]")
        for number, resource in enumerate(step.resources, start=1):
            mark = RESOURCE_MARK.get(tracker.resource_status(step, resource.url), "[ ]")
            out.print(
                f"  {escape(mark)} {rank}.{number}  "
                f"[link={resource.url}]{escape(resource.title)}[/link]  [dim]({resource.kind})[/]"
            )
            out.print(f"              [dim]{escape(resource.url)}[/]")
    notes = tracker.notes(step)
    if notes:
        out.print()
        out.print("[bold]Notes[/]")
        for note in notes:
            out.print(f"  [dim]{local(note.at)}[/]  {escape(note.text)}")


def show_changes(outcomes: Sequence[Outcome]) -> None:
    out = console()
    for outcome in outcomes:
        out.print(describe(outcome))


def describe(outcome: Outcome) -> str:
    if outcome.what == "skill":
        if not outcome.changed:
            return f"Your skill is already {outcome.after}."
        was = f" (was {outcome.before})" if outcome.before is not None else ""
        now = "not rated" if outcome.after is None else f"{outcome.after} of 10"
        return f"Skill: {now}{was}."
    where = _step_line(outcome.rank, outcome.title)
    if outcome.what == "note":
        return f"Noted on {where}." if outcome.after else f"Removed the note on {where}."
    if outcome.what == "resource":
        where = f"resource {outcome.title}"
    if outcome.what == "rating":
        if not outcome.changed:
            return f"You already rated {where} {outcome.after}."
        if outcome.after is None:
            return f"Rating removed: {where} uses the catalogue's challenge again."
        return f"Rated {where}: feels like {outcome.after} of 10 to you."
    before, after = STATUS_LABEL[Status(outcome.before)], STATUS_LABEL[Status(outcome.after)]
    if not outcome.changed:
        return f"{where[0].upper()}{where[1:]} is already {after}: nothing changed."
    return f"{where[0].upper()}{where[1:]}: {before} -> {after}."


def show_skill(skill: int, source: str) -> None:
    if source == "rated":
        console().print(f"Your skill: {skill} of 10.")
    else:
        console().print(
            f"Not rated yet (estimated {skill} from the steps you have done). "
            "Rate it: mlpath skill N"
        )


def show_opened(title: str, url: str, opened: bool) -> None:
    from rich.markup import escape

    out = console()
    if opened:
        out.print(f"Opened {escape(title)}: [link={url}]{escape(url)}[/link]", soft_wrap=True)
    else:
        out.print(f"No browser found. {escape(title)}: {escape(url)}", soft_wrap=True)


def show_undo(outcomes: Sequence[Outcome]) -> None:
    if not outcomes:
        console().print("Nothing to undo.")
        return
    console().print("Undone:")
    show_changes(outcomes)


def _bar(out: Console, done: int, skipped: int, total: int, width: int = 28) -> str:
    full = round(width * done / total)
    part = round(width * (done + skipped) / total) - full
    fill, skip, empty = ("█", "▒", "░") if out.is_terminal else ("#", "~", ".")
    return f"[green]{fill * full}[/][dim]{skip * part}[/]{empty * (width - full - part)}"


def show_status(tracker: Tracker, skill_line: str, suggestion: Suggestion) -> None:
    out = console()
    data = status_json(tracker, None)
    total, done, skipped = data["total"], data["done"], data["skipped"]
    out.print(f"[bold]{tracker.catalogue.title}[/]")
    extra = f", {skipped} skipped" if skipped else ""
    out.print(
        f"{_bar(out, done, skipped, total)}  {done} of {total} done{extra} ({data['percent']:.1f}%)"
    )
    steps = tracker.catalogue.steps
    doing = ", ".join(f"{rank} {steps[rank - 1].title}" for rank in data["in_progress"])
    out.print(f"In progress: {doing or 'nothing'}")
    out.print(f"Skill: {skill_line}")
    out.print(f"Last activity: {local(tracker.path.last_activity)}")
    if suggestion.step is None:
        out.print("Next: nothing left; the path is complete.")
    else:
        out.print(
            f"Next: step {suggestion.step.rank}, {suggestion.step.title} "
            "([bold]mlpath next[/] says why)"
        )


def show_next(suggestion: Suggestion, source: str) -> None:
    out = console()
    step = suggestion.step
    if step is None:
        out.print(suggestion.reason)
        return
    colour = {"flow": "green", "anxiety": "red", "boredom": "blue"}[suggestion.zone or "flow"]
    out.print(f"Next: [bold]step {step.rank}, {step.title}[/]  [{colour}]({suggestion.zone})[/]")
    out.print(suggestion.reason)
    known = {"option": "from --skill", "rated": "your rating", "estimated": "estimated"}[source]
    out.print(
        f"[dim]Skill {suggestion.skill} ({known}). See it in full: mlpath show {step.rank}[/]"
    )


def show_log(events: Sequence[Event], tracker: Tracker) -> None:
    out = console()
    if not events:
        out.print("No history yet: it starts with your first `mlpath start`, `done` or `skill`.")
        return
    table = _table(out, "When", "Action", "Step", "Change")
    for event in events:
        rank = tracker.catalogue.rank_of(event.step) if event.step else None
        table.add_row(
            local(event.at), event.action, str(rank) if rank else "-", _change_text(event, tracker)
        )
    out.print(table)


def _change_text(event: Event, tracker: Tracker) -> str:
    details = event.details
    if "text" in details:
        change = f'"{_shorten(str(details["text"]))}"'
    else:
        change = f"{_value(details.get('from'))} -> {_value(details.get('to'))}"
    if "resource" in details:
        change = f"{_resource_number(tracker, event.step, str(details['resource']))}: {change}"
    if event.action == "undo":
        return f"undid {details.get('of')} #{details.get('undoes')}: {change}"
    return change


def _resource_number(tracker: Tracker, step_id: str | None, url: str) -> str:
    rank = tracker.catalogue.rank_of(step_id) if step_id else None
    if rank is not None:
        for number, resource in enumerate(tracker.catalogue.steps[rank - 1].resources, 1):
            if resource.url == url:
                return f"{rank}.{number}"
    return url


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _value(value: Any) -> str:
    if value is None:
        return "none"
    labels = {str(status): label for status, label in STATUS_LABEL.items()}
    return labels.get(str(value), str(value))


# -- doctor and where ----------------------------------------------------------------------


def findings_json(findings: Sequence[Finding]) -> dict[str, Any]:
    return {
        "ok": all(f.ok for f in findings),
        "checks": [{"what": f.what, "ok": f.ok, "text": f.text} for f in findings],
    }


def show_findings(findings: Sequence[Finding]) -> None:
    from rich.markup import escape

    out = console()
    for finding in findings:
        mark = "[green]ok[/]     " if finding.ok else "[red]PROBLEM[/]"
        out.print(f"{mark} {finding.what}: {escape(finding.text)}", soft_wrap=True)
    if all(f.ok for f in findings):
        out.print("Everything is in order.")
    else:
        out.print(
            "Something is wrong. `mlpath doctor --restore` moves damaged files aside "
            "and brings back the newest good state."
        )


def show_lines(lines: Sequence[str]) -> None:
    out = console()
    for line in lines:
        out.print(line, soft_wrap=True)


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def where_json(paths: Paths, catalogue_path: Path, bundled: bool) -> dict[str, Any]:
    from mlpath import backups

    return {
        "home": str(paths.home),
        "progress": {"path": str(paths.progress), "bytes": _size(paths.progress)},
        "history": {"path": str(paths.history), "bytes": _size(paths.history)},
        "backups": {
            "path": str(backups.folder(paths.home)),
            "count": len(backups.listing(paths.home)),
        },
        "catalogue": {
            "path": str(catalogue_path),
            "bundled": bundled,
            "bytes": _size(catalogue_path),
        },
    }


def show_where(info: dict[str, Any]) -> None:
    out = console()

    def size(n: int | None) -> str:
        return "not created yet" if n is None else f"{n:,} bytes"

    out.print(f"Data folder: {info['home']}", soft_wrap=True)
    out.print(
        f"Progress:    {info['progress']['path']} ({size(info['progress']['bytes'])})",
        soft_wrap=True,
    )
    out.print(
        f"History:     {info['history']['path']} ({size(info['history']['bytes'])})", soft_wrap=True
    )
    out.print(
        f"Backups:     {info['backups']['path']} ({info['backups']['count']} kept)", soft_wrap=True
    )
    kind = "bundled" if info["catalogue"]["bundled"] else "your own"
    out.print(
        f"Catalogue:   {info['catalogue']['path']} ({kind}, {size(info['catalogue']['bytes'])})",
        soft_wrap=True,
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
    from rich.text import Text

    out = console()
    for line in lines:
        text = Text(no_wrap=True, overflow="ellipsis")
        for part, style in line:
            text.append(part, style=MAP_STYLES[style])
        out.print(text)
