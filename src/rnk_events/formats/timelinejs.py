"""TimelineJS3 JSON: a title slide and one slide per event, ready for Knight Lab's TimelineJS.

Dates carry only the parts their precision supports, as integers: July 2000 is
``{"year": 2000, "month": 7}``, never a made-up day, because TimelineJS shows a
date to the precision of the parts it is given. ``end_date`` appears only for a
range whose end differs from its start. ``display_date`` is the AP-style text
(``"May 16-17, 2024"``), so readers see exactly what the dataset says.

TimelineJS renders ``text.headline`` and ``text.text`` as HTML, so every piece
of text from the data is HTML-escaped here and only markup built by this module
is live. ``"scale": "human"`` makes TimelineJS report a bad date instead of
hanging on "Loading".
"""

from __future__ import annotations

import html
import json
from typing import IO, Any

from rnk_events.collection import EventCollection
from rnk_events.dates import DateSpan, PartialDate, display_day
from rnk_events.model import DatasetInfo, Event, SourceRef, Status

__all__ = ["date_parts", "dumps", "slide_dates", "status_paragraph", "to_timeline", "write"]


def date_parts(date: PartialDate) -> dict[str, int]:
    """The TimelineJS date object: year, then month and day only where known."""
    parts = {"year": date.year}
    if date.month is not None:
        parts["month"] = date.month
    if date.day is not None:
        parts["day"] = date.day
    return parts


def slide_dates(span: DateSpan) -> tuple[dict[str, int], dict[str, int] | None]:
    """The start's date parts and the end's, or None when the end is the start (TimelineJS wants none then)."""
    end = span.end if span.end is not None and span.end != span.start else None
    return date_parts(span.start), None if end is None else date_parts(end)


def status_paragraph(event: Event, info: DatasetInfo) -> str:
    """``<p><strong>Status:</strong> planned as of June 17, 2024</p>``: a plan is one only as of a day.

    The Excel export's TimelineJS sheet writes the same paragraph and reads its text back.
    """
    status = event.status.value
    if event.status is Status.PLANNED and info.as_of is not None:
        status += f" as of {display_day(info.as_of)}"
    return f"<p><strong>Status:</strong> {html.escape(status)}</p>"


def _source_item(ref: SourceRef, info: DatasetInfo) -> str:
    evidence = html.escape(ref.evidence)
    try:
        source = info.source(ref.source)
    except KeyError:  # a collection without source metadata (e.g. read from CSV)
        return f"<li>{html.escape(ref.source)}: “{evidence}”</li>"
    title = html.escape(source.title)
    if source.url is not None:
        title = f'<a href="{html.escape(source.url)}">{title}</a>'
    return f"<li>{html.escape(source.publisher)}, “{title}” ({display_day(source.published)}): “{evidence}”</li>"


def _event_text(event: Event, info: DatasetInfo) -> str:
    parts = [f"<p>{html.escape(event.summary)}</p>", status_paragraph(event, info)]
    if event.people:
        parts.append(f"<p><strong>People:</strong> {html.escape(', '.join(event.people))}</p>")
    sources = "".join(_source_item(ref, info) for ref in event.sources)
    parts.append(f"<p><strong>Sources:</strong></p><ul>{sources}</ul>")
    return "".join(parts)


def _slide(event: Event, info: DatasetInfo) -> dict[str, Any]:
    start, end = slide_dates(event.date)
    slide: dict[str, Any] = {"unique_id": event.id, "start_date": start}
    if end is not None:
        slide["end_date"] = end
    slide["display_date"] = event.date.display()
    slide["text"] = {"headline": html.escape(event.title), "text": _event_text(event, info)}
    slide["group"] = event.category.value
    return slide


def _description(events: EventCollection) -> str:
    info = events.info
    count = f"{len(events)} event" + ("" if len(events) == 1 else "s")
    as_of = f", as of {display_day(info.as_of)}" if info.as_of is not None else ""
    return (
        f"<p>{count}{as_of} (dataset {html.escape(info.name)}, version {html.escape(info.version)}).</p>"
        "<p>Every slide cites the reporting it rests on; a “planned” status means planned as of that date.</p>"
    )


def to_timeline(events: EventCollection) -> dict[str, Any]:
    """The TimelineJS3 document for ``events`` (a plain dict, ready for :func:`json.dumps`).

    With no events the document has only its title slide; TimelineJS itself
    refuses to draw a timeline without events (see the HTML page for how that is shown).
    """
    info = events.info
    return {
        "title": {"text": {"headline": html.escape(info.title), "text": _description(events)}},
        "events": [_slide(event, info) for event in events],
        "scale": "human",
    }


def dumps(events: EventCollection) -> str:
    return json.dumps(to_timeline(events), ensure_ascii=False, indent=2) + "\n"


def write(events: EventCollection, stream: IO[bytes], **options: Any) -> None:
    if options:
        raise TypeError(f"timelinejs export takes no options, got {sorted(options)}")
    stream.write(dumps(events).encode("utf-8"))
