"""The journey as one standalone HTML page: the card, the map, the activity calendar, and
each step with its resources, finish line and notes. Pure.

No script, no external request: the CSS and the pictures are inline, so the file can be
opened from a disk, mailed, or published as it is. Every text from the catalogue or the
notes goes through safe.xml_text or safe.xml_attr; only http and https addresses become
links (safe.link_target), any other is shown as text.
"""

from __future__ import annotations

from mlpath.core.progress import Status
from mlpath.core.tracker import Tracker
from mlpath.localtime import local
from mlpath.safe import link_target, xml_attr, xml_text

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from mlpath.plain import NamedTuple

CSS = """
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--dim:#59636e;--line:#d1d9e0}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#f0f6fc;--dim:#9198a1;--line:#3d444d}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);
font:16px/1.5 -apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif}
main{max-width:960px;margin:0 auto;padding:16px;overflow-wrap:anywhere}
h1{font-size:1.6em;margin:.4em 0}
h2{font-size:1.25em;border-bottom:1px solid var(--line);padding-bottom:.2em}
.pics{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
figure{margin:0;max-width:100%;overflow:hidden}
svg{max-width:100%;height:auto;display:block}
.step{border:1px solid var(--line);border-radius:6px;padding:8px 16px;margin:12px 0;
overflow-wrap:anywhere}
.status{color:var(--dim)}
a{color:#0969da}
@media (prefers-color-scheme:dark){a{color:#4493f8}}
.narrow{display:none}
@media (max-width:640px){main{padding:12px}.wide{display:none}.narrow{display:block}}
@media print{.wide{display:block}.narrow{display:none}body{background:#fff;color:#000}
.step{break-inside:avoid}a{color:#000}a::after{content:" (" attr(href) ")";font-size:.8em}}
"""

SHORT_WEEKS = 26  # the calendar a phone shows: half a year, its squares as big as the year's


def _resource(title: str, url: str, state: Status) -> str:
    target = link_target(url)
    name = xml_text(title)
    shown = f'<a href="{xml_attr(target)}">{name}</a>' if target else f"{name} ({xml_text(url)})"
    return f"<li>{shown} <span class=status>({state.words})</span></li>"


def _step(tracker: Tracker, rank: int) -> str:
    step = tracker.catalogue.steps[rank - 1]
    status = tracker.status(step)
    parts = [
        f'<section class=step id="step-{rank}">',
        f"<h3>{rank}. {xml_text(step.title)} <span class=status>({status.words})</span></h3>",
        f"<p>{xml_text(step.summary)}</p>",
    ]
    if step.done_when:
        parts.append(f"<p><strong>Done when:</strong> {xml_text(step.done_when)}</p>")
    if step.resources:
        items = (
            _resource(r.title, r.url, tracker.resource_status(step, r.url)) for r in step.resources
        )
        parts.append("<ul>" + "".join(items) + "</ul>")
    notes = tracker.notes(step)
    if notes:
        lines = (f"<li><time>{local(n.at):%Y-%m-%d}</time>: {xml_text(n.text)}</li>" for n in notes)
        parts.append("<p><strong>Notes:</strong></p><ul>" + "".join(lines) + "</ul>")
    return "".join(parts) + "</section>"


class Pictures(NamedTuple):
    """The page's pictures, drawn with the `auto` theme (they follow the reader's light or
    dark mode with the page); a phone gets the narrow map and the shorter calendar."""

    card: str
    flow_map: str
    calendar: str
    narrow_map: str
    short_calendar: str


def _either(wide: str, narrow: str) -> str:
    """One picture for a wide screen and one for a phone: only one is ever shown (and read)."""
    return f"<figure class=wide>{wide}</figure><figure class=narrow>{narrow}</figure>"


def render(tracker: Tracker, pictures: Pictures, title: str) -> str:
    """The page."""
    steps = "\n".join(_step(tracker, r) for r in range(1, len(tracker.catalogue.steps) + 1))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        # No script and no request may leave the page, whatever slipped past the escaping.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{xml_text(title)}</title>\n<style>{CSS}</style></head>\n"
        f"<body><main>\n<h1>{xml_text(title)}</h1>\n"
        f"<p>{xml_text(tracker.catalogue.title)}</p>\n"
        f"<div class=pics><figure>{pictures.card}</figure>\n"
        f"{_either(pictures.calendar, pictures.short_calendar)}</div>\n"
        f"<h2>Flow map</h2>\n{_either(pictures.flow_map, pictures.narrow_map)}\n"
        f"<h2>Steps</h2>\n{steps}\n</main></body></html>\n"
    )
