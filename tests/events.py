"""One hand-made event for tests that need an event and say only what differs from it."""

from __future__ import annotations

from typing import Any

from rnk_events import Event, SourceRef

__all__ = ["make_event"]


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
