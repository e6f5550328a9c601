"""What a published site holds, and writing it: the page, the feeds, the downloads, TimelineJS, the README.

The layout, relative to the site's folder::

    index.html                         the page (list + TimelineJS), linking to everything below
    embed.html                         the <iframe> snippet that embeds the page in a story
    README.txt                         what each file is
    calendars/rnk-events.ics           every event
    calendars/category-<category>.ics  one per category (every category, so subscriptions never break)
    calendars/actor-<code>.ics         one per actor that some event involves (actor-rus.ics, ...)
    downloads/rnk-events.<ext>         the data in every other format: JSON, CSV, workbook, ...
    timelinejs/                        the pinned TimelineJS files and their licences

Every file is written from the events and the options alone: with the same
``stamp``, publishing the same events twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

import attrs

from rnk_events.actors import actor_name
from rnk_events.collection import EventCollection
from rnk_events.dates import display_day
from rnk_events.errors import OptionError
from rnk_events.formats import FORMATS, export, write_atomic
from rnk_events.model import Category
from rnk_events.publishing.media import media_type
from rnk_events.publishing.readme import README_NAME, embed_snippet, readme_text

if TYPE_CHECKING:
    from importlib.abc import Traversable

# The page's and the formats' modules are imported by the functions that write a site, not here:
# `import rnk_events` (which exports publish) loads no format module (tests/test_registry.py).

__all__ = ["STEM", "Feed", "SiteFile", "build_site", "check_url", "feeds", "site_files"]

#: The stem of the full feed's and the downloads' names: ``rnk-events.ics``, ``rnk-events.csv``.
STEM = "rnk-events"

#: Link texts of the downloads, by format name; a format not named here is shown by its name.
_LABELS = {
    "json": "JSON",
    "csv": "CSV",
    "xlsx": "Excel workbook",
    "timelinejs": "TimelineJS JSON",
    "datapackage": "Frictionless data package",
    "parquet": "Parquet table",
    "geojson": "GeoJSON map layer",
    "markdown": "Markdown list",
}
#: Formats that are not downloads: the page is index.html, and the feeds have their own folder.
_NOT_DOWNLOADS = ("html", "ics")


@attrs.frozen
class SiteFile:
    """One file of a published site.

    :ivar path: Its path in the site, with ``/`` separators. Type: ``str``. Example: ``"calendars/rnk-events.ics"``.
    :ivar description: What it is, one phrase, as the README lists it. Type: ``str``.
    :ivar media_type: The media type a web server should send it with. Type: ``str``.
        Example: ``"text/calendar"``.
    """

    path: str
    description: str
    media_type: str


@attrs.frozen
class Feed:
    """One calendar feed of a site: its file, its calendar name and description, and the events it holds.

    :ivar path: Its path in the site. Type: ``str``. Example: ``"calendars/actor-rus.ics"``.
    :ivar label: What it holds, short: ``"every event"``, ``"summit events"``, ``"events involving Russia"``.
        Type: ``str``.
    :ivar name: The calendar's name in subscribers' apps: the full feed's name, then `` — `` and the label.
        Type: ``str``.
    :ivar description: What it holds. Type: ``str``.
    :ivar events: Exactly the events it holds. Type: ``EventCollection``.
    """

    path: str
    label: str
    name: str
    description: str
    events: EventCollection


def check_url(url: str | None) -> str | None:
    """The site's public address, ending in ``/``; OptionError unless it is an absolute http(s) URL."""
    if url is None:
        return None
    if not isinstance(url, str):
        raise OptionError("url", f"expected the site's address as text, got {type(url).__name__}")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise OptionError("url", f"{url!r} is not the http(s) address of a folder, such as https://example.org/rnk/")
    text = url.strip()
    return text if text.endswith("/") else text + "/"


def _count(events: EventCollection) -> str:
    return f"{len(events)} event" + ("" if len(events) == 1 else "s")


def _as_of(events: EventCollection) -> str:
    as_of = events.info.as_of
    return f", as of {display_day(as_of)}" if as_of is not None else ""


def feeds(
    events: EventCollection, *, calendar_name: str | None = None, calendar_description: str | None = None
) -> list[Feed]:
    """The site's feeds: everything, then one per category (all of them), then one per actor, by code.

    Each is named for what it holds: a filtered feed's name is the full feed's
    name plus what it keeps, so it never carries the full feed's name alone.
    """
    name = calendar_name if calendar_name is not None else events.info.title
    for option, value in (("calendar_name", calendar_name), ("calendar_description", calendar_description)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise OptionError(option, "expected non-empty text")
    title = events.info.title
    everything = calendar_description or (
        f"Every event of “{title}”: {_count(events)}{_as_of(events)}. "
        "The site offers narrower feeds, for one category or one country."
    )
    found = [Feed(f"calendars/{STEM}.ics", "every event", name, everything, events)]
    for category in Category:
        kept = events.by_category(category)
        label = f"{category.value} events"
        found.append(
            Feed(
                f"calendars/category-{category.value}.ics",
                label,
                f"{name} — {label}",
                f"Only the events of the category “{category.value}” in “{title}”: "
                f"{_count(kept)} of {len(events)}{_as_of(events)}.",
                kept,
            )
        )
    for code in sorted({code for event in events for code in event.actors}):
        kept = events.by_actor(code)
        who = actor_name(code)
        label = f"events involving {who}"
        found.append(
            Feed(
                f"calendars/actor-{code.lower()}.ics",
                label,
                f"{name} — {label}",
                f"Only the events involving {who} ({code}) in “{title}”: "
                f"{_count(kept)} of {len(events)}{_as_of(events)}.",
                kept,
            )
        )
    return found


def _downloads() -> list[tuple[str, str, str, str]]:
    """(format name, site path, link text, description) of each download, in registry order."""
    return [
        (name, f"downloads/{STEM}{info.extension}", _LABELS.get(name, name), info.description)
        for name, info in FORMATS.items()
        if info.writes and name not in _NOT_DOWNLOADS and info.available()  # parquet only with its extra
    ]


def _link(url: str | None, path: str) -> str:
    return f"{url}{path}" if url is not None else path


def _webcal(url: str | None, path: str) -> str | None:
    return None if url is None else "webcal://" + _link(url, path).split("://", 1)[1]


def _vendored(folder: Traversable, prefix: PurePosixPath) -> Iterable[tuple[str, bytes]]:
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.is_dir():
            yield from _vendored(entry, prefix / entry.name)
        else:
            yield str(prefix / entry.name), entry.read_bytes()


def _put(folder: Path, path: str, data: bytes) -> None:
    target = folder / path
    target.parent.mkdir(parents=True, exist_ok=True)

    def write(stream: IO[bytes]) -> None:
        stream.write(data)

    write_atomic(target, write)


def site_files(events: EventCollection, plan: list[Feed]) -> list[SiteFile]:
    """Every file of the site, in the README's order, with what it is."""
    from rnk_events.formats import html as html_format

    files = [
        SiteFile("index.html", "the timeline page: every event as a list, with TimelineJS on top", "text/html"),
        SiteFile("embed.html", "the snippet (an iframe) that embeds the page in a story", "text/html"),
        SiteFile(README_NAME, "this file: what each file of the site is", "text/plain"),
    ]
    files += [SiteFile(feed.path, f"{feed.name} ({_count(feed.events)})", "text/calendar") for feed in plan]
    files += [SiteFile(path, description, FORMATS[name].media_type) for name, path, _, description in _downloads()]
    files += [
        SiteFile(path, "TimelineJS " + html_format.TIMELINEJS_VERSION + ", as published (MPL-2.0)", media_type(path))
        for path, _ in _vendored(html_format.vendored_timelinejs(), PurePosixPath("timelinejs"))
    ]
    return files


def build_site(
    events: EventCollection,
    folder: Path,
    *,
    url: str | None,
    stamp: dt.datetime | None,
    calendar_name: str | None,
    calendar_description: str | None,
    refresh: dt.timedelta,
) -> list[SiteFile]:
    """Write every file of the site into ``folder`` (empty); return what was written."""
    from rnk_events.formats import html as html_format
    from rnk_events.formats.stamp import utc_seconds
    from rnk_events.webpage import DownloadLink, FeedLink, SiteLinks

    when = utc_seconds(stamp)  # one time for every file that records one
    plan = feeds(events, calendar_name=calendar_name, calendar_description=calendar_description)
    for feed in plan:
        target = folder / feed.path
        target.parent.mkdir(parents=True, exist_ok=True)
        export(
            feed.events,
            "ics",
            target,
            stamp=when,
            refresh=refresh,
            calendar_name=feed.name,
            calendar_description=feed.description,
        )
    for name, path, _, _ in _downloads():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        options: dict[str, Any] = {"stamp": when} if FORMATS[name].option("stamp") is not None else {}
        export(events, name, target, **options)
    for path, data in _vendored(html_format.vendored_timelinejs(), PurePosixPath("timelinejs")):
        _put(folder, path, data)
    page_url = _link(url, "index.html")
    snippet = embed_snippet(events, page_url if url is not None else None)
    links = SiteLinks(
        feeds=tuple(
            FeedLink(
                feed.label,
                feed.name,
                feed.description,
                _link(url, feed.path),
                _webcal(url, feed.path),
                len(feed.events),
            )
            for feed in plan
        ),
        downloads=tuple(
            DownloadLink(label, _link(url, path), description) for _, path, label, description in _downloads()
        ),
        embed=snippet,
        readme=_link(url, README_NAME),
    )
    page = html_format.page(events, timelinejs_base="timelinejs", site=links, page_url=page_url if url else "")
    _put(folder, "index.html", page.encode("utf-8"))
    _put(folder, "embed.html", (snippet + "\n").encode("utf-8"))
    files = site_files(events, plan)
    _put(folder, README_NAME, readme_text(events, files, url=url, when=when, refresh=refresh).encode("utf-8"))
    return files
