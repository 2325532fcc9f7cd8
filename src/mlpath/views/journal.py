"""The learning journey as one Markdown post for a GitHub Pages (Jekyll) site. Pure.

Every piece of text from the catalogue, the notes or the learner's --title goes through
safe.markdown_text, safe.markdown_url or safe.yaml_string: Liquid never runs on it, it never
becomes HTML or Markdown markup, and the front matter stays valid YAML. The pictures of a
site's post are raw HTML, their words and paths through safe.markdown_attr and liquid_path.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from mlpath.core.advice import advise, skill_of
from mlpath.core.history import Event
from mlpath.core.members import standing
from mlpath.core.progress import Status
from mlpath.core.tracker import Tracker
from mlpath.localtime import local
from mlpath.safe import liquid_path, markdown_attr, markdown_text, markdown_url, yaml_string

_STATUS = {
    Status.TODO: "Not started yet.",
    Status.IN_PROGRESS: "In progress since",
    Status.DONE: "Done on",
    Status.SKIPPED: "Skipped on",
}


def _day(at: datetime) -> str:
    return local(at).strftime("%Y-%m-%d")


def _channels(tracker: Tracker) -> list[str]:
    """How the check-ins fall in the eight channels, as `map` counts them."""
    from mlpath.core import channels

    named = channels.classify([(c.challenge, c.skill) for _, c in tracker.checkins()])
    if named is None:
        return []
    counted = ", ".join(f"{name} {n}" for name, n in channels.counts(named).items() if n)
    return ["", f"My {len(named)} check-ins by flow channel: {counted}."]


def _picture(alt: str, light: str, dark: str) -> list[str]:
    """A picture that follows the reader's light or dark mode, as raw HTML: a <figure>,
    which CommonMark and kramdown both take as a block of HTML and leave as it is, its
    files' paths through Jekyll's relative_url (for a project site's base path)."""

    def url(path: str) -> str:
        return f"{{{{ '{liquid_path(path)}' | relative_url }}}}"

    return [
        "",
        "<figure>",
        "<picture>",
        f'<source media="(prefers-color-scheme: dark)" srcset="{url(dark)}">',
        f'<img src="{url(light)}" alt="{markdown_attr(alt)}">',
        "</picture>",
        "</figure>",
    ]


def render(
    tracker: Tracker,
    events: Sequence[Event],
    now: datetime,
    title: str,
    images: Sequence[tuple[str, str, str]] = (),
) -> str:
    """The post; `images` (alt text, and the light and the dark picture's paths from the
    site's root: mlpath's own words) are embedded after the first paragraph."""
    cat = tracker.catalogue
    standing_changes = standing(events, cat.id)
    started: dict[str, datetime] = {}
    for event in standing_changes:
        if event.step and event.action in {"start", "done"}:
            started.setdefault(event.step, event.at)
    done = len(tracker.ranks(Status.DONE))
    doing = len(tracker.ranks(Status.IN_PROGRESS))
    lines = [
        "---",
        "layout: post",
        f"title: {yaml_string(title)}",
        f"date: {local(now).strftime('%Y-%m-%d %H:%M:%S %z')}",
        "tags: [machine-learning, learning-journey, mlpath]",
        "---",
        "",
        f"My progress on *{markdown_text(cat.title)}*: {done} of {len(cat.steps)} steps done"
        + (f", {doing} in progress." if doing else "."),
    ]
    if tracker.path.skill is not None:
        lines[-1] += f" I rate my skill {tracker.path.skill} of 10."
    skill, source = skill_of(tracker)
    upcoming = advise(tracker, skill, source).step
    if upcoming is not None:
        lines[-1] += f" Next on my path: step {upcoming.rank}, {markdown_text(upcoming.title)}."
    for alt, light, dark in images:
        lines += _picture(alt, light, dark)
    lines += _channels(tracker)
    ahead = []
    for rank, step in enumerate(cat.steps, start=1):
        status = tracker.status(step)
        notes = tracker.notes(step)
        if status is Status.TODO and not notes:
            # listed once at the end, not one by one
            ahead.append(f"- Step {rank}: {markdown_text(step.title)}")
            continue
        lines += ["", f"## {rank}. {markdown_text(step.title)}", ""]
        entry = tracker.path.steps.get(step.id)
        when = f" {_day(entry.changed)}" if entry and entry.changed else ""
        line = _STATUS[status] if status is Status.TODO else f"{_STATUS[status]}{when}"
        begun = started.get(step.id)
        if begun and status is not Status.TODO and (not entry or entry.changed != begun):
            line += f" (started {_day(begun)})"
        lines.append(line + ("." if status is not Status.TODO else ""))
        finished = [
            r for r in step.resources if tracker.resource_status(step, r.url) is Status.DONE
        ]
        if finished:
            lines += ["", "Resources I finished:", ""]
            lines += [f"- [{markdown_text(r.title)}]({markdown_url(r.url)})" for r in finished]
        if notes:
            lines += ["", "Notes:", ""]
            lines += [f"- **{_day(n.at)}**: {markdown_text(n.text)}" for n in notes]
    if ahead:
        lines += ["", "## Still ahead", "", *ahead]
    return "\n".join(lines) + "\n"
