"""The page's own markup: every event as an item of an ordered list, and a published site's links.

The list is the page's content, whatever happens to TimelineJS: a reader
without JavaScript, a screen reader, a search engine and a printer all get
it. Each event is an ``<li id="<event id>">`` (so ``page.html#<id>`` links to
it) holding its headline, its date in a ``<time>`` element, its summary, its
status, who and where, and every source with its link and quoted evidence.

Every piece of text from the data goes through :func:`html.escape`, and every
``<script>`` payload through :func:`script_json`; nothing from the data ever
becomes a tag, an attribute name or script.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any

import attrs

from rnk_events.actors import actor_name
from rnk_events.collection import EventCollection
from rnk_events.dates import DateSpan, PartialDate, display_day
from rnk_events.formats.json import encode_compact
from rnk_events.formats.timelinejs import status_paragraph
from rnk_events.model import Event, SourceRef

__all__ = [
    "DownloadLink",
    "FeedLink",
    "SiteLinks",
    "escape",
    "event_item",
    "event_list",
    "html_datetime",
    "script_json",
    "site_sections",
]

#: What :func:`script_json` escapes. Five ``str.replace`` calls cost 0.4x one ``str.translate`` with a dict.
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))

#: What HTML's ``datetime`` attribute takes that EDTF also writes the same way: a date or a month.
_HTML_DATE_OR_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?", re.ASCII)


def script_json(value: Any, events: Iterable[Event] | None = None) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or JS line breaks.

    Given the ``events`` the value was made from (where its floats come from), it
    may be encoded by orjson, writing the same text (:func:`rnk_events.formats.json.encode_compact`).
    """
    if events is None:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    else:
        text = encode_compact(value, events)
    for character, escaped in _SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    return text


def escape(value: str) -> str:
    """Text as HTML text or an attribute value: ``&<>"'`` escaped, and U+2028/U+2029 as character references.

    The two separators are harmless in HTML, but written as references the
    page holds no raw JavaScript line break anywhere, in or out of a script.
    """
    text = html.escape(value, quote=True)
    if "\u2028" in text or "\u2029" in text:  # rare: two membership tests cost less than a translate
        text = text.replace("\u2028", "&#x2028;").replace("\u2029", "&#x2029;")
    return text


_text = escape


def html_datetime(span: DateSpan) -> str | None:
    """The ``datetime`` attribute for the date, or None: only where EDTF and HTML write it alike.

    An unqualified single day (``2019-04-25``, a valid HTML date string) or
    month (``2000-07``, a valid month string). Everything else (a year, a
    season, a qualifier, a one-of set, an interval) has no HTML form that says
    exactly as much, so its ``<time>`` keeps only ``data-edtf``.
    """
    return _html_datetime(span, str(span))


def _html_datetime(span: DateSpan, text: str) -> str | None:
    """:func:`html_datetime`, given the span's EDTF text (made once per event: it is not cached)."""
    date = span.start
    if span.kind != "date" or not _HTML_DATE_OR_MONTH.fullmatch(text) or not isinstance(date, PartialDate):
        return None
    if date.year < 1 or date.month is None or date.month > 12:  # 2024-21 is spring, not a month
        return None
    return text


def _time(span: DateSpan) -> str:
    text = str(span)
    machine = _html_datetime(span, text)
    datetime = f' datetime="{machine}"' if machine is not None else ""
    return f'<time{datetime} data-edtf="{_text(text)}" data-kind="{span.kind}">{_text(span.display())}</time>'


def _citation(source_id: str, events: EventCollection) -> tuple[str, str]:
    """A source item's markup before and after the evidence: the same for every event citing the source."""
    try:
        source = events.info.source(source_id)
    except KeyError:  # a collection without source metadata (e.g. read from CSV)
        return f"<li>{_text(source_id)}: “", "”</li>"
    title = _text(source.title)
    if source.url is not None:
        title = f'<a href="{_text(source.url)}">{title}</a>'
    published = display_day(source.published)
    return f"<li>{_text(source.publisher)}, “{title}” ({published}): “", "”</li>"


def _source(ref: SourceRef, events: EventCollection, citations: dict[str, tuple[str, str]]) -> str:
    """One source item; ``citations`` keeps each source's markup for the next event that cites it."""
    halves = citations.get(ref.source)
    if halves is None:
        halves = citations[ref.source] = _citation(ref.source, events)
    return f"{halves[0]}{_text(ref.evidence)}{halves[1]}"


def _facts(event: Event) -> str:
    rows = [("Category", event.category.value)]
    if event.actors:
        rows.append(("Who", ", ".join(actor_name(code) for code in event.actors)))
    if event.people:
        rows.append(("People", ", ".join(event.people)))
    if event.places:
        rows.append(("Where", "; ".join(place.name for place in event.places)))
    return "".join(f"<dt>{name}</dt><dd>{_text(value)}</dd>" for name, value in rows)


def event_item(event: Event, events: EventCollection, _citations: dict[str, tuple[str, str]] | None = None) -> str:
    """One ``<li>``: headline (a link to its own anchor), date, summary, status, facts, note and sources.

    :func:`event_list` passes one ``_citations`` for the whole list, so each source's markup is made once.
    """
    citations = {} if _citations is None else _citations
    anchor = _text(event.id)
    parts = [
        f'<li class="rnk-event" id="{anchor}" data-category="{_text(event.category.value)}">',
        f'<h3 class="rnk-headline"><a href="#{anchor}">{_text(event.title)}</a></h3>',
        f'<p class="rnk-date">{_time(event.date)}</p>',
        f'<p class="rnk-summary">{_text(event.summary)}</p>',
        status_paragraph(event, events.info).replace("<p>", '<p class="rnk-status">', 1),
    ]
    if event.revised is not None:  # a correction is shown where the event is, with a machine-readable day
        day = event.revised
        parts.append(
            f'<p class="rnk-updated"><strong>Updated</strong> '
            f'<time datetime="{day.isoformat()}">{_text(display_day(day))}</time></p>'
        )
    parts.append(f'<dl class="rnk-facts">{_facts(event)}</dl>')
    if event.note:
        parts.append(f'<p class="rnk-note"><strong>Note:</strong> {_text(event.note)}</p>')
    sources = "".join([_source(ref, events, citations) for ref in event.sources])
    parts.append(f'<p class="rnk-label">Sources:</p><ul class="rnk-sources">{sources}</ul>')
    parts.append("</li>")
    return "\n".join(parts)


def event_list(events: EventCollection) -> str:
    """The ``<ol>`` of every event, oldest first (the collection's order); an empty collection says so."""
    if not events:
        return '<p class="rnk-empty">There are no events in this timeline.</p>'
    citations: dict[str, tuple[str, str]] = {}
    items = "\n".join([event_item(event, events, citations) for event in events])
    return f'<ol class="rnk-events">\n{items}\n</ol>'


# --- a published site's links ------------------------------------------------------------------


@attrs.frozen
class FeedLink:
    """A calendar feed the page links to, with ``webcal:`` and ``https:`` subscribe links.

    :ivar label: What it holds, short, for the page's table ("summit events"). Type: ``str``.
    :ivar name: The feed's calendar name. Type: ``str``.
    :ivar description: What it holds, one sentence. Type: ``str``.
    :ivar href: Its URL: absolute when the site's address is known, else relative to the page. Type: ``str``.
    :ivar webcal: Its ``webcal://`` URL, or None when the site's address is not known (the page's
        script then derives it from the address the page is served from). Type: ``str | None``.
    :ivar count: How many events it holds. Type: ``int``.
    """

    label: str
    name: str
    description: str
    href: str
    webcal: str | None
    count: int


@attrs.frozen
class DownloadLink:
    """A download the page links to: the data in one format.

    :ivar label: What it is, as a link text ("JSON"). Type: ``str``.
    :ivar href: Its URL, relative to the page or absolute. Type: ``str``.
    :ivar description: One phrase saying what the file holds. Type: ``str``.
    """

    label: str
    href: str
    description: str


@attrs.frozen
class SiteLinks:
    """What a published site adds to its page: feed, download and embed sections.

    :ivar feeds: The calendar feeds, the full feed first. Type: ``tuple[FeedLink, ...]``.
    :ivar downloads: The data files. Type: ``tuple[DownloadLink, ...]``.
    :ivar embed: The embed snippet (an ``<iframe>``), shown as code to copy. Type: ``str``.
    :ivar readme: The URL of the site's README. Type: ``str``.
    """

    feeds: tuple[FeedLink, ...]
    downloads: tuple[DownloadLink, ...]
    embed: str
    readme: str


def _feed_row(feed: FeedLink) -> str:
    href, label = _text(feed.href), _text(feed.label)
    hidden = f'<span class="rnk-hidden"> to {label}</span>'
    if feed.webcal is not None:
        webcal = f'<a class="rnk-webcal" href="{_text(feed.webcal)}">Subscribe{hidden}</a>'
    else:  # the page's script fills in the address it is served from; hidden until then
        webcal = f'<a class="rnk-webcal" href="{href}" data-webcal hidden>Subscribe{hidden}</a>'
    return (
        f'<tr><th scope="row" title="{_text(feed.description)}">{label}</th><td>{feed.count}</td>'
        f'<td>{webcal} · <a href="{href}">Download .ics<span class="rnk-hidden"> of {label}</span></a></td></tr>'
    )


def site_sections(links: SiteLinks) -> str:
    """The subscribe, download and embed sections of a published site's page."""
    feeds = "\n".join(_feed_row(feed) for feed in links.feeds)
    downloads = "\n".join(
        f'<li><a href="{_text(item.href)}">{_text(item.label)}</a>: {_text(item.description)}</li>'
        for item in links.downloads
    )
    return f"""\
<section id="subscribe" class="rnk-site" aria-labelledby="subscribe-heading">
<h2 id="subscribe-heading">Subscribe to the calendar</h2>
<p>Each feed is an iCalendar file a calendar app can subscribe to, so it follows each new edition of the
timeline: everything, one category, or the events involving one country or organisation.</p>
<table class="rnk-feeds">
<thead><tr><th scope="col">Calendar</th><th scope="col">Events</th><th scope="col">Links</th></tr></thead>
<tbody>
{feeds}
</tbody>
</table>
</section>
<section id="downloads" class="rnk-site" aria-labelledby="downloads-heading">
<h2 id="downloads-heading">Download the data</h2>
<ul class="rnk-downloads">
{downloads}
<li><a href="{_text(links.readme)}">README</a>: what each file of this site is</li>
</ul>
</section>
<section id="embed" class="rnk-site" aria-labelledby="embed-heading">
<h2 id="embed-heading">Embed this timeline</h2>
<p>Paste this into a story's HTML:</p>
<pre class="rnk-embed"><code>{_text(links.embed)}</code></pre>
</section>"""
