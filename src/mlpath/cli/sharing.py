"""The commands that carry progress elsewhere: journal, card, activity, page, export, import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mlpath import args
from mlpath.cli.base import ForceOption, OutputOption, ThemeOption, app, emit_document, session
from mlpath.core import advice
from mlpath.errors import UsageError
from mlpath.usage import Command
from mlpath.views import screen, screens


@app.command(cls=Command)
def journal(
    ctx: typer.Context,
    output: OutputOption = None,
    force: ForceOption = False,
    title: Annotated[
        str, typer.Option("--title", metavar="TITLE", help="The post's title.")
    ] = "My machine learning journey",
    site: Annotated[
        Path | None,
        typer.Option(
            "--site", metavar="DIR", help="Write into this Jekyll site, with the card and map."
        ),
    ] = None,
) -> None:
    """Write your learning journey as a Markdown blog post.

    A post for a GitHub Pages (Jekyll) site: front matter (layout, title, date, tags), then
    each step you have begun, in order, with its status, its dates, the resources you
    finished and your notes; then the steps still ahead. Put it in your site's _posts folder,
    or give --site DIR: the post goes into DIR/_posts, the progress card and the flow map
    into DIR/assets/mlpath (light, and dark for a reader in dark mode), and the post shows
    them. No file is replaced without --force.

    \b
    Examples:
      mlpath journal
      mlpath journal -o _posts/2026-11-24-ml-journey.md
      mlpath journal --site ~/my-blog
    """
    from mlpath.views import journal as writer

    heading = args.words(title, "the title")
    now = session(ctx)
    tracker, events, moment = now.tracker, now.history, now.now()
    if site is None:
        emit_document(
            writer.render(tracker, events, moment, heading), output, force, "your journal"
        )
        return
    if output is not None:
        raise UsageError("give --site or -o, not both: --site names the post's file itself")
    from mlpath.store import site as jekyll
    from mlpath.views import card, mapsvg

    skill, source = advice.skill_of(tracker)
    files = {"post": writer.render(tracker, events, moment, heading, jekyll.images())}
    for theme in ("light", "dark"):
        named = "" if theme == "light" else f"-{theme}"
        files[f"card{named}"] = card.render(tracker, theme)
        files[f"map{named}"] = mapsvg.render(tracker, skill, source, events, theme)
    name = f"{moment.astimezone():%Y-%m-%d}-ml-journey.md"
    data = {what: text.encode("utf-8") for what, text in files.items()}
    for path in jekyll.write(site, name, data, force):
        screens.notice(f"Wrote {path}.")


@app.command(cls=Command)
def card(
    ctx: typer.Context,
    output: OutputOption = None,
    force: ForceOption = False,
    theme: ThemeOption = "light",
    shields: Annotated[
        bool, typer.Option("--shields", help="Print a shields.io endpoint badge's JSON instead.")
    ] = False,
) -> None:
    """Draw your progress card: an SVG for a README or a blog.

    The path, each step with its status, done of total, your skill, your last activity and
    the step you are on. The same progress always gives the same file, so it can be committed.
    --shields writes the JSON a shields.io endpoint badge reads instead
    (https://img.shields.io/endpoint?url=... pointing at the file in your repository).

    \b
    Examples:
      mlpath card -o progress.svg
      mlpath card --theme dark -o progress-dark.svg
      mlpath card --shields -o badge.json
    """
    from mlpath.safe import json_text
    from mlpath.views import card as cards

    tracker = session(ctx).tracker
    if shields:
        emit_document(json_text(cards.shields(tracker)) + "\n", output, force, "the badge")
    else:
        emit_document(cards.render(tracker, args.theme(theme)), output, force, "the card")


@app.command(cls=Command)
def activity(
    ctx: typer.Context,
    picture: Annotated[bool, typer.Option("--svg", help="Draw the calendar as SVG.")] = False,
    output: OutputOption = None,
    force: ForceOption = False,
    theme: ThemeOption = "light",
    streak: Annotated[bool, typer.Option("--streak", help="Also show your streak.")] = False,
) -> None:
    """Show the days you changed something, over the last 53 weeks.

    A day counts when a change on it still stands (an undo and what it undid do not count).
    With --svg, the calendar as a picture ending at your last active day, so the same history
    always draws the same picture. Streaks are shown only with --streak.

    \b
    Examples:
      mlpath activity
      mlpath activity --streak
      mlpath activity --svg -o activity.svg
    """
    from mlpath.views import activity as rhythm

    now = session(ctx)
    # The state is read as for every command that shows progress: a damaged store is
    # named, never drawn as an empty calendar.
    days = rhythm.active_days(now.history, now.tracker.catalogue.id)
    if picture:
        emit_document(rhythm.picture(days, args.theme(theme)), output, force, "the calendar")
        return
    today = now.now().astimezone().date()
    lines = [*rhythm.terminal(days, today, screens.activity_marks()), *rhythm.facts(days, today)]
    if streak:
        count, span = rhythm.streak(days, today)
        grace = f"{rhythm.GRACE} day off in a row allowed"
        days_in = f"{screens.count(count, 'active day')} over {screens.count(span, 'day')}"
        lines.append(f"Streak: {days_in} ({grace}).")
    screen.emit(lines)


@app.command(cls=Command)
def page(
    ctx: typer.Context,
    output: OutputOption = None,
    force: ForceOption = False,
    title: Annotated[
        str, typer.Option("--title", metavar="TITLE", help="The page's title.")
    ] = "My machine learning journey",
) -> None:
    """Write your journey as one web page to publish.

    The card, the flow map, the activity calendar and every step with its resources, its
    finish line and your notes, in one HTML file: no script, nothing fetched from elsewhere.
    It follows the reader's light or dark mode and prints cleanly; on a phone, the map is
    laid out narrow and the calendar shows the last 26 weeks, at full size.

    \b
    Examples:
      mlpath page -o journey.html
    """
    from mlpath.views import activity as rhythm
    from mlpath.views import card, mapsvg
    from mlpath.views import page as pages

    heading = args.words(title, "the title")
    now = session(ctx)
    tracker, events = now.tracker, now.history
    skill, source = advice.skill_of(tracker)
    days = rhythm.active_days(events, tracker.catalogue.id)
    pictures = pages.Pictures(
        card.render(tracker, "auto"),
        mapsvg.render(tracker, skill, source, events, "auto"),
        rhythm.picture(days, "auto"),
        mapsvg.render(tracker, skill, source, events, "auto", wide=False, ident="mn"),
        rhythm.picture(days, "auto", span=pages.SHORT_WEEKS),
    )
    html = pages.render(tracker, pictures, heading)
    emit_document(html, output, force, "the page")


@app.command(cls=Command)
def export(ctx: typer.Context, output: OutputOption = None, force: ForceOption = False) -> None:
    """Export everything as JSON, to back it up or move it.

    Statuses, ratings, notes and the whole history. `mlpath import` restores it, on this
    machine or another.

    \b
    Examples:
      mlpath export -o mlpath-backup.json
      mlpath export | gzip > backup.json.gz
    """
    emit_document(session(ctx).export(), output, force, "the export")


@app.command("import", cls=Command)
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A file from `mlpath export`; - reads stdin.", show_default=False
        ),
    ],
    merge: Annotated[
        bool, typer.Option("--merge", help="Combine it with the progress you have.")
    ] = False,
) -> None:
    """Restore an export, or merge it into yours with --merge.

    Without --merge, the store must be empty.

    The whole file is checked first; a bad file is refused with the reason and nothing is
    written. --merge adds the changes you do not have yet and works out the state from both
    histories in the order things happened.

    \b
    Examples:
      mlpath import backup.json
      mlpath import --merge laptop.json
      mlpath import --merge - < laptop.json
    """
    added, known = session(ctx).import_(file, merge, screens.working)
    screens.show_imported(added, known, merge)
