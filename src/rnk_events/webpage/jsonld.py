"""The page's structured data: a schema.org ``ItemList`` of ``Event`` s, as JSON-LD, with honest dates.

schema.org's ``startDate`` and ``endDate`` take ISO 8601 (ISO 8601-1) dates,
which may be reduced to a month (``2000-07``) or a year (``2000``) but cannot
say "about", "perhaps", "one of these days", a season or an open end. So each
date gets the ISO 8601 form of the smallest calendar unit (a day, a month or a
year) that holds **every day it may fall on, its qualifier's padding
included**, and none where no such unit exists:

- ``2019-04-25`` is ``"2019-04-25"``, ``2000-07`` is ``"2000-07"``;
- ``[2024-06-10..2024-06-16]`` (one day that week) is ``"2024-06"``;
- ``2024-05~`` (c. May 2024, which may be April to June) is ``"2024"``;
- ``2024?`` (perhaps 2024: 2023 to 2025), ``195X`` and a winter across New
  Year have no ISO 8601 form that claims no more than they do, so no
  ``startDate`` is written;
- an interval's ends are dated one by one; an open or unknown end has no
  ``endDate`` (an open or unknown start no ``startDate``).

The exact date is never lost: every event also carries its canonical EDTF text
as ``dcterms:date``, typed with the Library of Congress's EDTF datatype, and the
date in words is the text of the list's ``<time>`` element.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rnk_events.actors import ORGANISATIONS, actor_name
from rnk_events.collection import EventCollection
from rnk_events.dates import DateSpan, End, PartialDate, display_day
from rnk_events.model import Event, Status

__all__ = ["CONTEXT", "iso_8601", "schema_dates", "structured_data"]

#: schema.org, plus Dublin Core for ``dcterms:date`` and the Library of Congress's EDTF datatype.
CONTEXT: list[Any] = [
    "https://schema.org",
    {"dcterms": "http://purl.org/dc/terms/", "edtf": "http://id.loc.gov/datatypes/edtf/"},
]


def iso_8601(first: dt.date, last: dt.date) -> str | None:
    """The ISO 8601 date of the smallest day, month or year holding every day from ``first`` to ``last``.

    ``None`` when the days are in different years: ISO 8601-1 has no reduced
    form for a decade, a season or a span across New Year that claims no more.
    """
    if first.year != last.year:
        return None
    if first.month != last.month:
        return f"{first.year:04d}"
    if first.day != last.day:
        return f"{first.year:04d}-{first.month:02d}"
    return first.isoformat()


def _date_of(date: PartialDate) -> str | None:
    return iso_8601(date.padded_first_day, date.padded_last_day)


def schema_dates(span: DateSpan) -> dict[str, str]:
    """``startDate`` and ``endDate`` for ``span``, each only where ISO 8601 can say it honestly.

    A point (one date, or one date of a set) has only a ``startDate``: the unit
    holding every day it may fall on. An interval dates each known end by itself.
    """
    if not span.is_range:
        found = iso_8601(span.padded_first_day, span.padded_last_day)
        return {} if found is None else {"startDate": found}
    dates: dict[str, str] = {}
    for key, part in (("startDate", span.start), ("endDate", span.end)):
        if isinstance(part, PartialDate):
            found = _date_of(part)
            if found is not None:
                dates[key] = found
        else:
            assert part is None or isinstance(part, End)
    return dates


def _actor(code: str) -> dict[str, str]:
    kind = "Organization" if code in ORGANISATIONS else "Country"
    return {"@type": kind, "name": actor_name(code), "identifier": code}


def _place(event: Event) -> list[dict[str, Any]]:
    places = []
    for place in event.places:
        found: dict[str, Any] = {"@type": "Place", "name": place.name}
        if place.lat is not None and place.lon is not None:
            found["geo"] = {"@type": "GeoCoordinates", "latitude": place.lat, "longitude": place.lon}
        if place.country is not None:  # schema.org's text form is alpha-2; ours is alpha-3, so a Country
            found["address"] = {"@type": "PostalAddress", "addressCountry": _actor(place.country)}
        places.append(found)
    return places


def _sources(event: Event, events: EventCollection) -> list[dict[str, Any]]:
    articles = []
    for ref in event.sources:
        try:
            source = events.info.source(ref.source)
        except KeyError:  # a collection without source metadata (read from CSV)
            articles.append({"@type": "NewsArticle", "identifier": ref.source})
            continue
        article: dict[str, Any] = {
            "@type": "NewsArticle",
            "identifier": source.id,
            "headline": source.title,
            "publisher": {"@type": "Organization", "name": source.publisher},
            "datePublished": source.published.isoformat(),
        }
        if source.url is not None:
            article["url"] = source.url
        articles.append(article)
    return articles


def _event(event: Event, events: EventCollection, page_url: str) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "Event",
        "@id": f"{page_url}#{event.id}",
        "url": f"{page_url}#{event.id}",
        "identifier": event.id,
        "name": event.title,
        "description": event.summary,
        **schema_dates(event.date),
        "dcterms:date": {"@type": "edtf:EDTF", "@value": str(event.date)},
        "keywords": event.category.value,
    }
    if event.status is Status.PLANNED:  # the one status schema.org has a word for
        node["eventStatus"] = "https://schema.org/EventScheduled"
    if event.actors:
        node["about"] = [_actor(code) for code in event.actors]
    places = _place(event)
    if places:
        node["location"] = places
    node["subjectOf"] = _sources(event, events)
    return node


def structured_data(events: EventCollection, page_url: str = "") -> dict[str, Any]:
    """The JSON-LD document: an ``ItemList``, in the list's order (oldest first), of one ``Event`` per event.

    ``page_url`` is the page's own URL, when known, so each event's ``@id`` is
    absolute; by default it is ``#<id>``, relative to the page.
    """
    info = events.info
    as_of = f", as of {display_day(info.as_of)}" if info.as_of is not None else ""
    count = f"{len(events)} event" + ("" if len(events) == 1 else "s")
    return {
        "@context": CONTEXT,
        "@type": "ItemList",
        "name": info.title,
        "description": f"{count}{as_of}, oldest first; dataset {info.name}, version {info.version}.",
        "numberOfItems": len(events),
        "itemListOrder": "https://schema.org/ItemListOrderAscending",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "item": _event(event, events, page_url)}
            for position, event in enumerate(events, start=1)
        ],
    }
