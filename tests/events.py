"""Hand-made events for tests that need an event and say only what differs from it."""

from __future__ import annotations

from typing import Any

from rnk_events import Event, SourceRef

__all__ = ["make_event", "small_event"]


def make_event(**changes: Any) -> Event:
    """Putin's July 2000 visit as a plain event, with ``changes`` (field values as ``Event`` takes them) applied."""
    fields: dict[str, Any] = {
        "id": "2000-07-putin-visit",
        "date": "2000-07",
        "title": "Putin visits",
        "summary": "A summary.",
        "category": "summit",
        "status": "happened",
        "actors": ["RUS", "PRK"],
        "sources": [SourceRef("reuters-timeline", "July, 2000")],
    }
    return Event(**{**fields, **changes})


def small_event(**changes: Any) -> Event:
    """A Russia-North Korea summit on June 19, 2024, id ``e1``, citing source ``src``, with ``changes`` applied."""
    fields: dict[str, Any] = {
        "id": "e1",
        "date": "2024-06-19",
        "title": "Title",
        "summary": "Summary.",
        "category": "summit",
        "status": "happened",
        "actors": ("RUS", "PRK"),
        "sources": (SourceRef("src", "quoted words"),),
    }
    return Event(**{**fields, **changes})
