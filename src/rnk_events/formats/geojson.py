"""GeoJSON (RFC 7946): one point feature per event place that has coordinates, for a map.

A ``FeatureCollection`` in WGS 84 (the only coordinate system RFC 7946
allows, so no ``crs`` member), each position ``[longitude, latitude]``, in
that order. An event at three places gives three features; a place without
coordinates ("Ukraine", "Russian Far East") gives none, and
``rnk-events validate`` counts them (:func:`rnk_events.lint.unmapped_places`).

Each feature's ``id`` is ``EVENT-ID#N``, N the place's position (from 1) in
the event's ``places``, so it stays the same while the event's places do.
Its properties:

- ``event_id``, ``title``, ``category``, ``status``: the event's;
- ``date``: the canonical EDTF text; ``display_date``: the AP-style words
  (``"May 2024"``, never a made-up day); ``first_day``/``last_day``: the
  first and last day the date can touch as written (``YYYY-MM-DD``, ``null``
  for an open or unknown end), for a map's time filter;
- ``place`` and ``country``: the place's name and ISO 3166-1 alpha-3 code
  (``null`` where the data gives none).

Features are in the collection's order (chronological), and an event's in
the order of its places.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import IO, TYPE_CHECKING, Any

from rnk_events.rows import written_bounds

if TYPE_CHECKING:
    from rnk_events.collection import EventCollection
    from rnk_events.model import Event

__all__ = ["features", "write"]


def _day(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _event_features(event: Event) -> list[dict[str, Any]]:
    first, last = written_bounds(event.date)
    found = []
    for number, place in enumerate(event.places, start=1):
        if place.lat is None or place.lon is None:
            continue
        properties = {
            "event_id": event.id,
            "date": str(event.date),
            "display_date": event.date.display(),
            "first_day": _day(first),
            "last_day": _day(last),
            "title": event.title,
            "category": event.category.value,
            "status": event.status.value,
            "place": place.name,
            "country": place.country,
        }
        geometry = {"type": "Point", "coordinates": [place.lon, place.lat]}  # RFC 7946 3.1.1: longitude first
        found.append({"type": "Feature", "id": f"{event.id}#{number}", "geometry": geometry, "properties": properties})
    return found


def features(events: EventCollection) -> list[dict[str, Any]]:
    """The GeoJSON features of these events: one per place with coordinates, in order."""
    return [feature for event in events for feature in _event_features(event)]


def write(events: EventCollection, stream: IO[bytes]) -> None:
    """Write a FeatureCollection, UTF-8 JSON, two-space indented, one trailing newline."""
    document = {"type": "FeatureCollection", "features": features(events)}
    stream.write((json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
