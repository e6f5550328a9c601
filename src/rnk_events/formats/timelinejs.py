"""TimelineJS3 JSON: a title slide and one slide per event, ready for Knight Lab's TimelineJS.

TimelineJS draws a slide with an ``end_date`` as a bar, a duration, and one
without as a marker at a moment; it shows a date to the precision of the parts
it is given and places it at their start. So the dates follow the meaning of
the date grammar (:mod:`rnk_events.dates.span`):

- **a point** (one date of any precision, or one date of a set) gets only a
  ``start_date``: the parts that every day it may fall on shares, as integers.
  ``2000-07`` is ``{"year": 2000, "month": 7}``, never a made-up day;
  ``[2024-06-10..2024-06-16]`` ("one day between June 10 and 16, 2024") is
  ``{"year": 2024, "month": 6}``, one marker in June 2024, never a week-long bar.
  When its days share no year (``195X``, winter, a set across New Year) it gets
  the first possible year alone, since TimelineJS needs a year.
- **an interval** gets a ``start_date`` and an ``end_date``, each end by the
  same rule. TimelineJS cannot draw an open end, so ``2023-09/..`` ("since
  September 2023") ends at the dataset's as-of date, the last day it is known to
  be still going, or has no ``end_date`` when there is none. An unknown end, and
  an open or unknown start, are not drawn: the slide is a marker at the one end
  that is known. No year 9999 stands in for "open".
- ``end_date`` is left out where TimelineJS would drop it, when it agrees with
  every part of the start, so an ``end_date`` in the file is always a bar.
- ``display_date`` is always ``date.display()`` ("c. May 2024", "since
  September 2023"), so the words say what the parts cannot.

A slide of an event that a data edition revised says so under its status,
"Updated Dec. 1, 2026" (:func:`updated_paragraph`), so a reader of a
re-published timeline can tell what was corrected.

TimelineJS renders ``text.headline`` and ``text.text`` as HTML, so every piece
of text from the data is HTML-escaped here and only markup built by this module
is live. ``"scale": "human"`` makes TimelineJS report a bad date instead of
hanging on "Loading".
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import IO, Any

from rnk_events.collection import EventCollection
from rnk_events.dates import DateSpan, End, PartialDate, display_day
from rnk_events.formats.json import write_indented
from rnk_events.model import DatasetInfo, Event, SourceRef, Status

__all__ = [
    "common_parts",
    "count_and_as_of",
    "date_parts",
    "dumps",
    "slide_dates",
    "status_paragraph",
    "to_timeline",
    "updated_paragraph",
    "write",
]


def common_parts(first: dt.date, last: dt.date) -> dict[str, int]:
    """The TimelineJS date parts that every day from ``first`` to ``last`` shares.

    The year, then the month and the day only while both days agree on them:
    June 10 and June 16, 2024 share ``{"year": 2024, "month": 6}``. Days of
    different years share no part; they get ``first``'s year alone, because
    TimelineJS needs a year.
    """
    parts = {"year": first.year}
    if (first.year, first.month) == (last.year, last.month):
        parts["month"] = first.month
        if first.day == last.day:
            parts["day"] = first.day
    return parts


def date_parts(date: PartialDate) -> dict[str, int]:
    """The TimelineJS date object of one written date: the parts every day it covers shares.

    ``2024-05-10`` gives year, month and day; ``2024-05`` and ``2024-05-XX``
    year and month; ``2024``, ``2024-XX``, a season and (by the first year) a
    decade or century the year alone. A qualifier changes no part: the
    ``display_date`` says "c." or "perhaps".
    """
    if date.is_plain:  # its own parts, without making its first and last days (a quarter of the export)
        if date.month is None:
            return {"year": date.year}
        if date.day is None:
            return {"year": date.year, "month": date.month}
        return {"year": date.year, "month": date.month, "day": date.day}
    return common_parts(date.first_day, date.last_day)


def _end_parts(start: dict[str, int], end: dict[str, int]) -> dict[str, int] | None:
    """``end``, or None where TimelineJS would drop it: when it agrees with every part of ``start``.

    TimelineJS compares only the start's parts, so ``{"year": 2024, "month": 1}``
    to ``{"year": 2024, "month": 1, "day": 31}`` is drawn as a point; leaving such
    an end out keeps the file saying what the screen shows.
    """
    if all(end.get(name) == value for name, value in start.items()):
        return None
    if _placed(end) < _placed(start):
        return None  # "2024-01-31/2024-21": spring's parts alone would be drawn on Jan. 1, before the start
    return end


def _placed(parts: dict[str, int]) -> tuple[int, int, int]:
    """Where TimelineJS draws these parts: missing ones count as the first month or day."""
    return (parts["year"], parts.get("month", 1), parts.get("day", 1))


def slide_dates(span: DateSpan, as_of: dt.date | None = None) -> tuple[dict[str, int], dict[str, int] | None]:
    """The slide's ``start_date`` and ``end_date`` parts; the end is None for a marker without a bar.

    A point (one date, or one date of a set) has no end. An interval has both
    ends, except where TimelineJS would drop the end because it agrees with
    every part of the start, or would draw it before the start (an end known
    only to a coarser unit that begins earlier). An open end (``..``) is drawn to ``as_of`` (the
    dataset's as-of day) when that is on or after the start, and otherwise not
    drawn. An unknown end, or an open or unknown start, leaves a marker at the
    known end.
    """
    if not span.is_range:
        if not span.members:
            assert isinstance(span.start, PartialDate)  # a point without members is one date
            return date_parts(span.start), None
        return common_parts(span.first_day, span.last_day), None
    start, end = span.start, span.end
    if isinstance(start, End):
        assert isinstance(end, PartialDate)  # an interval has at least one date
        return date_parts(end), None
    start_parts = date_parts(start)
    if isinstance(end, PartialDate):
        return start_parts, _end_parts(start_parts, date_parts(end))
    if end is End.OPEN and as_of is not None and as_of >= start.first_day:
        return start_parts, _end_parts(start_parts, common_parts(as_of, as_of))
    return start_parts, None


def status_paragraph(event: Event, info: DatasetInfo) -> str:
    """``<p><strong>Status:</strong> planned as of June 17, 2024</p>``: a plan is one only as of a day.

    The Excel export's TimelineJS sheet writes the same paragraph and reads its text back.
    """
    status = event.status.value
    if event.status is Status.PLANNED and info.as_of is not None:
        status += f" as of {display_day(info.as_of)}"
    return f"<p><strong>Status:</strong> {html.escape(status)}</p>"


def updated_paragraph(event: Event) -> str:
    """``<p><strong>Updated</strong> Dec. 1, 2026</p>`` for a revised event (its ``revised`` day); ``""`` if unrevised.

    The Excel export's TimelineJS sheet writes the same paragraph, and its reader drops it from the summary.
    """
    if event.revised is None:
        return ""
    return f"<p><strong>Updated</strong> {display_day(event.revised)}</p>"


def _citation(source_id: str, info: DatasetInfo) -> tuple[str, str]:
    """A source item's markup before and after the evidence: the same for every event citing the source."""
    try:
        source = info.source(source_id)
    except KeyError:  # a collection without source metadata (e.g. read from CSV)
        return f"<li>{html.escape(source_id)}: “", "”</li>"
    title = html.escape(source.title)
    if source.url is not None:
        title = f'<a href="{html.escape(source.url)}">{title}</a>'
    return f"<li>{html.escape(source.publisher)}, “{title}” ({display_day(source.published)}): “", "”</li>"


def _source_item(ref: SourceRef, info: DatasetInfo) -> str:
    before, after = _citation(ref.source, info)
    return f"{before}{html.escape(ref.evidence)}{after}"


class _SharedText:
    """What many slides repeat, made once per document: each status paragraph and each source's citation.

    A source is cited by about 20 events and there are four statuses, so the
    slides reuse these instead of escaping and formatting them again; the text
    is exactly :func:`status_paragraph`'s and :func:`_source_item`'s.
    """

    def __init__(self, info: DatasetInfo) -> None:
        self._info = info
        self._statuses: dict[Status, str] = {}
        self._citations: dict[str, tuple[str, str]] = {}

    def status(self, event: Event) -> str:
        found = self._statuses.get(event.status)
        if found is None:
            found = self._statuses[event.status] = status_paragraph(event, self._info)
        return found

    def source_item(self, ref: SourceRef) -> str:
        halves = self._citations.get(ref.source)
        if halves is None:
            halves = self._citations[ref.source] = _citation(ref.source, self._info)
        return f"{halves[0]}{html.escape(ref.evidence)}{halves[1]}"


def _event_text(event: Event, info: DatasetInfo, shared: _SharedText | None = None) -> str:
    shared = shared or _SharedText(info)
    parts = [f"<p>{html.escape(event.summary)}</p>", shared.status(event), updated_paragraph(event)]
    if event.people:
        parts.append(f"<p><strong>People:</strong> {html.escape(', '.join(event.people))}</p>")
    sources = "".join([shared.source_item(ref) for ref in event.sources])
    parts.append(f"<p><strong>Sources:</strong></p><ul>{sources}</ul>")
    return "".join(parts)


def _slide(event: Event, info: DatasetInfo, shared: _SharedText | None = None) -> dict[str, Any]:
    start, end = slide_dates(event.date, info.as_of)
    slide: dict[str, Any] = {"unique_id": event.id, "start_date": start}
    if end is not None:
        slide["end_date"] = end
    slide["display_date"] = event.date.display()
    slide["text"] = {"headline": html.escape(event.title), "text": _event_text(event, info, shared)}
    slide["group"] = event.category.value
    return slide


def count_and_as_of(events: EventCollection) -> str:
    """``"30 events, as of June 17, 2024"``: how the title slide and the page introduce the events (plain text)."""
    count = f"{len(events)} event" + ("" if len(events) == 1 else "s")
    as_of = f", as of {display_day(events.info.as_of)}" if events.info.as_of is not None else ""
    return count + as_of


def _description(events: EventCollection) -> str:
    info = events.info
    return (
        f"<p>{count_and_as_of(events)} (dataset {html.escape(info.name)}, version {html.escape(info.version)}).</p>"
        "<p>Every slide cites the reporting it rests on; a “planned” status means planned as of that date.</p>"
    )


def to_timeline(events: EventCollection) -> dict[str, Any]:
    """The TimelineJS3 document for ``events`` (a plain dict, ready for :func:`json.dumps`).

    With no events the document has only its title slide; TimelineJS itself
    refuses to draw a timeline without events (see the HTML page for how that is shown).
    """
    info = events.info
    shared = _SharedText(info)
    return {
        "title": {"text": {"headline": html.escape(info.title), "text": _description(events)}},
        "events": [_slide(event, info, shared) for event in events],
        "scale": "human",
    }


def dumps(events: EventCollection) -> str:
    return json.dumps(to_timeline(events), ensure_ascii=False, indent=2) + "\n"


def write(events: EventCollection, stream: IO[bytes], **options: Any) -> None:
    if options:
        raise TypeError(f"timelinejs export takes no options, got {sorted(options)}")
    write_indented(stream, to_timeline(events), events)
