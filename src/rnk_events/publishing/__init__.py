"""Publish a timeline as a folder any static host serves: the page, calendar feeds, downloads, an embed.

``rnk_events.publish(events, "site/")`` (or ``rnk-events publish site/``)
writes the layout of :mod:`rnk_events.publishing.site`: ``index.html`` (the
list with TimelineJS over it, from the site's own copy), a calendar feed of
everything plus one per category and one per actor, every download, an
``<iframe>`` embed snippet and a README saying what each file is.

- **Reproducible**: with ``stamp``, the same events give the same bytes.
- **Atomic**: the new site is built beside the folder and swapped in whole
  (:func:`rnk_events.publishing.swap.replace_folder`), so a reader, a web
  server or a crash never meets half a site. A folder that holds anything but
  an earlier site is refused, never overwritten.
- ``rnk-events serve site/`` previews it (:func:`rnk_events.publishing.serve.make_server`).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from collections.abc import Iterable
from pathlib import Path

import attrs

from rnk_events.collection import EventCollection
from rnk_events.model import Event
from rnk_events.publishing.readme import README_MARK, README_NAME
from rnk_events.publishing.site import Feed, SiteFile, build_site, check_url, feeds
from rnk_events.publishing.swap import replace_folder

__all__ = ["Feed", "NotASiteError", "PublishedSite", "SiteFile", "feeds", "is_site", "publish"]


class NotASiteError(FileExistsError):
    """The target folder holds files that ``publish`` did not write, so it is not replaced."""


@attrs.frozen
class PublishedSite:
    """What :func:`publish` wrote.

    :ivar folder: The site's folder, as given. Type: ``pathlib.Path``.
    :ivar url: Its public address, ending in ``/``, or None if it was not given. Type: ``str | None``.
    :ivar files: Every file, as the README lists them. Type: ``tuple[SiteFile, ...]``.
    """

    folder: Path
    url: str | None
    files: tuple[SiteFile, ...]


def is_site(folder: str | os.PathLike[str]) -> bool:
    """Whether ``folder`` holds a site that ``publish`` wrote (its README starts with the mark)."""
    readme = Path(folder) / README_NAME
    try:
        with readme.open(encoding="utf-8", errors="replace") as handle:
            return handle.readline().rstrip("\r\n") == README_MARK
    except OSError:
        return False


def _check_replaceable(folder: Path) -> None:
    """Refuse a target that holds files an earlier ``publish`` did not write: never delete someone's folder."""
    real = folder.resolve() if folder.is_symlink() else folder
    if not real.is_dir():
        if real.exists():
            raise NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder", str(folder))
        return
    if any(real.iterdir()) and not is_site(real):
        raise NotASiteError(
            errno.EEXIST,
            "it holds files that 'rnk-events publish' did not write; publish into a new or empty folder, "
            "or into one that an earlier publish wrote",
            str(folder),
        )


def publish(
    events: EventCollection | Iterable[Event],
    folder: str | os.PathLike[str],
    *,
    url: str | None = None,
    stamp: dt.datetime | None = None,
    calendar_name: str | None = None,
    calendar_description: str | None = None,
    refresh: dt.timedelta = dt.timedelta(days=1),
) -> PublishedSite:
    """Write the site for ``events`` into ``folder``, replacing an earlier site there atomically.

    ``url`` is the site's public address (``https://example.org/rnk/``): with
    it, the page's subscribe links are absolute ``webcal:`` and ``https:``
    URLs and the embed snippet points at the page; without it, links are
    relative and the page derives its ``webcal:`` links from where it is served.
    ``stamp`` (timezone-aware) fixes every "made at" time, for byte-identical
    sites. ``calendar_name`` and ``calendar_description`` name the full feed
    (default: the dataset's title, and what it holds); each filtered feed is
    named after it plus what it keeps. ``refresh`` is how often subscribers
    should re-fetch the feeds.
    """
    from rnk_events.formats.stamp import check_stamp  # format modules load only when used

    if not isinstance(events, EventCollection):
        events = EventCollection(events)
    address = check_url(url)
    check_stamp(stamp)
    feeds(events, calendar_name=calendar_name, calendar_description=calendar_description)  # checks the names
    target = Path(folder)
    _check_replaceable(target)
    written: list[SiteFile] = []

    def build(into: Path) -> None:
        written.extend(
            build_site(
                events,
                into,
                url=address,
                stamp=stamp,
                calendar_name=calendar_name,
                calendar_description=calendar_description,
                refresh=refresh,
            )
        )

    replace_folder(target, build)
    return PublishedSite(target, address, tuple(written))
