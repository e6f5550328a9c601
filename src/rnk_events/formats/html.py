"""A standalone HTML page: every event as an accessible list, with TimelineJS layered on top when it loads.

The page is content first. Its HTML lists every event, oldest first, in an
``<ol>`` (:mod:`rnk_events.webpage.markup`): headline, ``<time>``, summary,
status and sources with their links, each ``<li>`` anchored by the event's id.
A reader without JavaScript, with the CDN blocked or offline, a screen reader,
a search engine and a printer all get that list; the page also carries
schema.org JSON-LD (:mod:`rnk_events.webpage.jsonld`).

When TimelineJS loads, the page's script starts it over the list, in a frame
the height of the screen, from the TimelineJS3 document
(:func:`rnk_events.formats.timelinejs.to_timeline`) embedded in the page.
When it does not (the files did not load, TimelineJS threw, or it did not
finish drawing), the frame stays hidden and a one-line notice says why; the
list is still there. ``<html data-timeline>`` records which happened.

TimelineJS comes from one pinned release, :data:`TIMELINEJS_VERSION`: by
default from Knight Lab's CDN, each file with an ``integrity`` hash
(:data:`INTEGRITY`, checked in the tests against the npm package's files) and
``crossorigin="anonymous"``. ``timelinejs_base`` names another copy of the
npm package's ``dist`` folder instead: a URL, an absolute path or a path
relative to the page, resolved by the browser against the page. The package
ships the pinned files (:func:`vendored_timelinejs`), which
:func:`rnk_events.publishing.publish` copies beside the page, so a published
site makes no third-party request.

Text from the data never becomes markup or script: it is HTML-escaped in the
markup, and the two JSON blocks and the JSON-LD are written with ``<``, ``>``,
``&``, U+2028 and U+2029 as ``\\u`` escapes (:func:`script_json`), so no
``</script>`` can end them early. The page's scripts are fixed text.
"""

from __future__ import annotations

import importlib.resources
from typing import IO, TYPE_CHECKING

from rnk_events.collection import EventCollection
from rnk_events.formats.json import _cyclic_gc_paused
from rnk_events.formats.timelinejs import count_and_as_of, to_timeline
from rnk_events.webpage import (
    SiteLinks,
    escape,
    event_list,
    page_css,
    page_script,
    script_json,
    site_sections,
    structured_data,
)

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = [
    "CDN_BASE",
    "INTEGRITY",
    "TIMELINEJS_FILES",
    "TIMELINEJS_VERSION",
    "page",
    "script_json",
    "vendored_timelinejs",
    "write",
]

#: The one TimelineJS release every page loads; the npm package in tests/js is pinned to it too.
TIMELINEJS_VERSION = "3.9.11"

#: That release on Knight Lab's CDN, used when no ``timelinejs_base`` is given.
CDN_BASE = f"https://cdn.knightlab.com/libs/timeline3/{TIMELINEJS_VERSION}"

#: The files the page loads itself, by their path under the ``dist`` folder.
TIMELINEJS_FILES = ("css/timeline.css", "js/timeline.js")

#: Subresource Integrity (SHA-384) of each of :data:`TIMELINEJS_FILES` in the pinned release, as the npm
#: package ``@knight-lab/timelinejs`` holds them (tests/test_page.py recomputes them from its files).
INTEGRITY: dict[str, str] = {
    "css/timeline.css": "sha384-boDF6Nd/No9fGBo1BlF2eLCnex+ILqI/6O7gE0MoOioYo7gWdq9LbFxD94ebGlBB",
    "js/timeline.js": "sha384-ebXaDxSzM81wf7NgGfgSQEGKiNdtpvKrnRBVNY2x7ezzLKnvkjGI6QHF2VmLwsG3",
}

#: TimelineJS options the page always passes. ``font`` is null so TimelineJS loads no font stylesheet:
#: its default one fetches PT Sans and PT Serif from Google Fonts, a third-party request with no
#: integrity check; the page's own stylesheet gives the timeline the list's fonts instead.
#: ``script_path`` is set by the page's script, from where timeline.js was actually loaded.
_OPTIONS = {"hash_bookmark": False, "font": None}

# Runs in <head>, before anything is drawn: marks the page as scripted, so the no-JavaScript notice
# never flashes. Fixed text.
_HEAD_SCRIPT = 'document.documentElement.setAttribute("data-timeline", "loading");'


def vendored_timelinejs() -> Traversable:
    """The pinned TimelineJS files that travel with the package: a ``dist`` layout plus licences and a README."""
    return importlib.resources.files("rnk_events").joinpath("vendor/timelinejs")


def _base(timelinejs_base: str | None) -> str:
    if timelinejs_base is None:
        return CDN_BASE
    if not isinstance(timelinejs_base, str):
        raise TypeError(f"timelinejs_base: expected a URL or path as text, got {type(timelinejs_base).__name__}")
    base = timelinejs_base.strip().rstrip("/")
    if not base:
        raise ValueError("timelinejs_base: expected the URL or path of TimelineJS's dist folder, got empty text")
    return base


def _asset(base: str, path: str, pinned: bool) -> tuple[str, str]:
    """The escaped URL of one TimelineJS file and its integrity attributes (on the pinned CDN only)."""
    url = escape(f"{base}/{path}")
    # A copy elsewhere may be any version, and a file:// copy cannot pass a CORS check: no hash there.
    check = f' integrity="{INTEGRITY[path]}" crossorigin="anonymous"' if pinned else ""
    return url, check


def _where(base: str, pinned: bool) -> str:
    return "Knight Lab's CDN" if pinned else escape(base)


def _about(events: EventCollection) -> str:
    info = events.info
    return (
        f"{count_and_as_of(events)}, oldest first (dataset {info.name}, version {info.version}). "
        "Every event cites the reporting it rests on; “planned” means planned as of that date."
    )


def _jump_links(site: SiteLinks | None) -> str:
    links = ['<a href="#events">the events</a>']
    if site is not None:
        links += [
            '<a href="#subscribe">subscribe</a>',
            '<a href="#downloads">download</a>',
            '<a href="#embed">embed</a>',
        ]
    return f'<p class="rnk-jump">Jump to {" · ".join(links)}</p>'


def page(
    events: EventCollection,
    *,
    timelinejs_base: str | None = None,
    site: SiteLinks | None = None,
    page_url: str = "",
) -> str:
    """The page's HTML text.

    ``site`` adds a published site's subscribe, download and embed sections;
    ``page_url`` (the page's public URL, when known) makes the JSON-LD ids absolute.
    """
    base = _base(timelinejs_base)
    pinned = timelinejs_base is None
    title = escape(events.info.title)
    css, css_check = _asset(base, "css/timeline.css", pinned)
    js, js_check = _asset(base, "js/timeline.js", pinned)
    extra = f"\n{site_sections(site)}" if site is not None else ""
    return f"""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{escape(_about(events))}">
<script>{_HEAD_SCRIPT}</script>
<style>
{page_css()}
</style>
<script type="application/ld+json">{script_json(structured_data(events, page_url), events)}</script>
</head>
<body>
<a class="rnk-skip" href="#events">Skip to the list of events</a>
<div id="timeline-embed" class="rnk-timeline" hidden></div>
<header class="rnk-header">
<h1>{title}</h1>
<p class="rnk-about">{escape(_about(events))}</p>
{_jump_links(site)}
<p id="timeline-nojs" class="rnk-notice">The interactive timeline needs JavaScript, so every event is listed below.</p>
<p id="timeline-empty" class="rnk-notice" role="status" hidden>There are no events to show.</p>
<p id="timeline-unavailable" class="rnk-notice" role="status" hidden>The interactive timeline did not load \
from {_where(base, pinned)}, so every event is listed below.</p>
<p id="timeline-failed" class="rnk-notice" role="status" hidden>The interactive timeline could not be shown \
in this browser, so every event is listed below.</p>
</header>
<main class="rnk-content">
<section id="events" aria-labelledby="events-heading">
<h2 id="events-heading">Every event, oldest first</h2>
{event_list(events)}
</section>{extra}
</main>
<footer class="rnk-footer">
<p>Interactive timeline by <a href="https://timeline.knightlab.com/">TimelineJS</a> {TIMELINEJS_VERSION} \
(Knight Lab, MPL-2.0).</p>
</footer>
<link rel="stylesheet" href="{css}"{css_check}>
<script type="application/json" id="timeline-data">{script_json(to_timeline(events), events)}</script>
<script type="application/json" id="timeline-options">{script_json(_OPTIONS)}</script>
<script id="timelinejs-script" src="{js}"{js_check} defer></script>
<script>
{page_script()}
</script>
</body>
</html>
"""


def write(events: EventCollection, stream: IO[bytes], *, timelinejs_base: str | None = None) -> None:
    """Write the page; ``timelinejs_base`` points at another copy of TimelineJS's dist folder than the CDN's."""
    with _cyclic_gc_paused():  # three documents of dicts per event: collections would rescan them all
        text = page(events, timelinejs_base=timelinejs_base)
    stream.write(text.encode("utf-8"))
