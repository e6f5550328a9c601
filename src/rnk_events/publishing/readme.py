"""The texts a site carries besides its data: the README, and the embed snippet.

The README's first line, :data:`README_MARK`, is also how ``publish`` knows a
folder is a site it wrote, and may be replaced.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rnk_events.collection import EventCollection
from rnk_events.dates import display_day

if TYPE_CHECKING:
    from rnk_events.publishing.site import SiteFile

__all__ = ["README_MARK", "README_NAME", "embed_snippet", "readme_text"]

README_NAME = "README.txt"

#: The first line of every site's README.
README_MARK = "This folder is a timeline site written by rnk-events publish."

#: The embed's height in pixels: TimelineJS fills it, the list scrolls below.
EMBED_HEIGHT = 650


def embed_snippet(events: EventCollection, page_url: str | None) -> str:
    """The ``<iframe>`` that embeds the page, at ``page_url`` (relative ``index.html`` if it is not known)."""
    src = html.escape(page_url if page_url is not None else "index.html")
    title = html.escape(events.info.title)
    return (
        f'<iframe src="{src}" title="{title}" width="100%" height="{EMBED_HEIGHT}" '
        'style="border: 0" loading="lazy"></iframe>'
    )


def _section(title: str) -> list[str]:
    return ["", title, "-" * len(title)]


def readme_text(
    events: EventCollection, files: Sequence[SiteFile], *, url: str | None, when: dt.datetime, refresh: dt.timedelta
) -> str:
    """The README: what the site is, each file, how to host it and how to subscribe."""
    from rnk_events import __version__  # the package imports this module as it starts

    info = events.info
    as_of = f", as of {display_day(info.as_of)}" if info.as_of is not None else ""
    width = max(len(file.path) for file in files)
    lines = [
        README_MARK,
        "",
        f"{info.title}: {len(events)} events{as_of} (dataset {info.name}, version {info.version}).",
        f"Written by rnk-events {__version__} at {when.isoformat().replace('+00:00', 'Z')}.",
    ]
    if url is not None:
        lines.append(f"Published for {url}")
    lines += _section("Files")
    lines += [f"{file.path:<{width}}  {file.description}" for file in files if not file.path.startswith("timelinejs/")]
    lines.append(f"{'timelinejs/':<{width}}  TimelineJS, the pinned release the page loads (its licences inside)")
    lines += _section("Hosting")
    lines += [
        "Copy the whole folder to any static web host (a web server's folder, an S3 bucket,",
        "GitHub Pages, a newsroom CMS's file area). Nothing runs on the server. Serve .ics files as",
        "text/calendar; most hosts already do. To look at it first: rnk-events serve FOLDER",
        "(a preview on this computer, not a production server).",
        "",
        "The page works from disk too: open index.html. It lists every event even where",
        "TimelineJS cannot run (JavaScript off, an old browser); it makes no request to",
        "another site.",
    ]
    if url is None:
        lines += [
            "",
            "This site was published without its address (rnk-events publish --url URL), so the",
            "embed snippet and the page's links are relative to the folder.",
        ]
    lines += _section("Subscribing")
    lines += [
        "Each calendars/*.ics file is a feed: subscribe to its address (webcal:// opens the",
        "calendar app; the https:// address works in Google Calendar's 'From URL') and the",
        f"calendar follows each new edition. Subscribers are asked to refresh every {_duration(refresh)}.",
        "Event UIDs are stable, so a republished feed updates events in place.",
    ]
    return "\n".join(lines) + "\n"


def _duration(refresh: dt.timedelta) -> str:
    """ "day", "6 hours", "90 minutes": how often, after "every"."""
    seconds = int(refresh.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            count = seconds // size
            return unit if count == 1 else f"{count} {unit}s"
    return f"{seconds} seconds"
