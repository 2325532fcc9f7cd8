"""What `sync` and `cohort` show, to people and to scripts."""

from __future__ import annotations

from collections import Counter
from typing import Any

from mlpath.catalogue import Catalogue
from mlpath.core.history import Event
from mlpath.store.sync import Report
from mlpath.views.columns import table
from mlpath.views.screen import Segment, emit
from mlpath.views.screens import count, local

PRIVACY = (
    "Notes are pushed as plain text: keep the repository private (a private GitHub "
    "repository, or a bare repository of your own)."
)


def summary(events: list[Event], cat: Catalogue) -> str:
    """'done 3, a note on 4, 2 undos': what a machine's events did, in a few words."""
    parts: list[str] = []
    counts: Counter[str] = Counter()
    for event in events:
        rank = cat.rank_of(event.step) if event.catalogue == cat.id else None
        if event.action in _KIND or "resource" in event.details or not rank:
            counts[_KIND.get(event.action, "resource change" if rank else "other change")] += 1
        elif event.action == "note":
            parts.append(f"a note on {rank}")
        else:
            parts.append(f"{event.action} {rank}")
    shown = list(dict.fromkeys(parts))
    if len(shown) > 6:
        shown = [*shown[:6], f"{len(shown) - 6} more"]
    for kind, times in sorted(counts.items()):
        shown.append(f"{times} {kind}s" if times > 1 else f"{_article(kind)} {kind}")
    return ", ".join(shown)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


_KIND = {"undo": "undo", "redo": "redo", "skill": "skill rating", "rate": "challenge rating"}


def report_json(report: Report, cat: Catalogue) -> dict[str, Any]:
    return {
        "remote": report.remote,
        "learner": report.learner,
        "machine": report.machine,
        "arrived": [
            {"machine": name, "changes": len(events), "summary": summary(events, cat)}
            for name, events in report.arrived
        ],
        "sent": report.sent,
        "synced_at": report.at.isoformat(),
    }


def show_report(report: Report, cat: Catalogue, joined: bool) -> None:
    lines: list[str] = []
    if joined:
        lines.append(f"Syncing {report.learner}'s progress with {report.remote}.")
        lines.append(PRIVACY)
    by_name: dict[str, list[Event]] = {}
    for name, events in report.arrived:
        by_name.setdefault(name, []).extend(events)
    for name, events in by_name.items():
        lines.append(f"From {name}: {summary(events, cat)}.")
    if not report.arrived:
        lines.append("Nothing new arrived.")
    sent = f"Sent {count(report.sent, 'change')} from {report.machine}." if report.sent else ""
    lines.append(sent or "Nothing to send: the repository has all of this machine's changes.")
    emit(lines)


def show_status(info: dict[str, Any]) -> None:
    if info["remote"] is None:
        emit(["No remote set: `mlpath sync --remote URL` sets one up."])
        return
    last = info["last_sync"]
    from datetime import datetime

    when = local(datetime.fromisoformat(last)) if last else "never"
    emit(
        [
            f"Remote:    {info['remote']}",
            f"Learner:   {info['learner']}",
            f"Machine:   {info['machine']}",
            f"Last sync: {when}",
            f"Waiting:   {count(info['waiting'], 'change')} to send",
        ]
    )


def show_cohort(rows: list[dict[str, Any]]) -> None:
    if not rows:
        emit(["No learner has synced to this repository yet."])
        return
    from datetime import datetime

    cells: list[list[Segment]] = []
    for row in rows:
        going = ", ".join(str(rank) for rank in row["in_progress"]) or "-"
        last = row["last_activity"]
        cells.append(
            [
                (row["learner"], ""),
                (f"{row['done']}/{row['total']}", ""),
                (going, ""),
                (str(row["skill"]) if row["skill"] is not None else "-", ""),
                (local(datetime.fromisoformat(last)) if last else "never", ""),
            ]
        )
    header = ["Learner", "Done", "In progress", "Skill", "Last activity"]
    emit(table(header, cells, right={1, 3}, flex=0, drop=[4, 2]))
