"""The iCalendar feed's bytes written as content lines directly, with icalendar as their verifier.

Building an icalendar ``Calendar`` (one component per event, every value
typed by ``add``) and serialising it took 5-7 times as long as writing the
same lines with string formatting. :func:`calendar_bytes` writes exactly
what ``to_bytes(build(...))`` of :mod:`rnk_events.formats.ics` writes, byte
for byte: the properties in icalendar's order (its canonical ones first,
then the rest alphabetically), TEXT escaped as RFC 5545 section 3.3.11 says
(``\\``, ``;``, ``,`` and newline), control characters dropped, lines folded
at 75 octets on UTF-8 character boundaries (:func:`~rnk_events.formats.ics.fold`)
and ended by CRLF. The words (summary, description, UID, revision days) come
from the same helpers. ``tests/test_ics_lines.py`` compares the two over
hostile text and every date form; :func:`rnk_events.formats.ics.build` still
returns the icalendar object, for callers who want to add to it.
"""

from __future__ import annotations

import datetime as dt

from icalendar import vDuration

from rnk_events.collection import EventCollection
from rnk_events.formats import ics
from rnk_events.model import Event, Withdrawal

__all__ = ["calendar_bytes", "text_value"]

_fold = ics._fold_octets


def text_value(text: str) -> str:
    """An iCalendar TEXT value: cleaned as ``ics`` cleans text, then escaped per RFC 5545 section 3.3.11."""
    cleaned = ics._clean(text)
    return cleaned.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _day(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _utc(moment: dt.datetime) -> str:
    """A UTC date-time as icalendar writes one (``vDatetime``): ``YYYYMMDDTHHMMSSZ``."""
    return (
        f"{moment.year:04d}{moment.month:02d}{moment.day:02d}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z"
    )


def _dates(entry: Event | Withdrawal) -> tuple[bytes, bytes]:
    """DTSTART and DTEND lines; DTEND is exclusive, and refused past 9999 as ``ics`` refuses it."""
    first = ics.entry_days(entry.date)[0]
    end = ics._exclusive_end(entry)
    return f"DTSTART;VALUE=DATE:{_day(first)}".encode(), f"DTEND;VALUE=DATE:{_day(end)}".encode()


def _event_lines(event: Event, events: EventCollection, stamped: bytes, out: list[bytes]) -> None:
    """One VEVENT, its properties in the order icalendar writes them."""
    start, end = _dates(event)
    modified = ics.modified(event, events.info)
    append = out.append
    append(b"BEGIN:VEVENT")
    append(_fold(f"SUMMARY:{text_value(ics.summary(event))}".encode()))
    append(start)
    append(end)
    append(f"DTSTAMP:{_utc(modified)}".encode() if modified is not None else stamped)
    append(_fold(f"UID:{text_value(ics.uid(event))}".encode()))
    append(f"SEQUENCE:{event.revision}".encode())
    append(_fold(f"CATEGORIES:{text_value(event.category.value)}".encode()))
    append(b"CLASS:PUBLIC")
    append(_fold(f"DESCRIPTION:{text_value(ics.description(event, events))}".encode()))
    places = event.places
    point = next(((p.lat, p.lon) for p in places if p.lat is not None and p.lon is not None), None)
    if point is not None:
        append(f"GEO:{point[0]:.6f};{point[1]:.6f}".encode())
    if modified is not None:
        append(f"LAST-MODIFIED:{_utc(modified)}".encode())
    if places:
        append(_fold(f"LOCATION:{text_value('; '.join(place.name for place in places))}".encode()))
    status = ics.STATUS_MAP.get(event.status)
    if status is not None:
        append(f"STATUS:{status}".encode())
    append(b"TRANSP:TRANSPARENT")
    url = ics._url(event, events)
    if url is not None:
        append(_fold(f"URL:{url}".encode()))
    append(b"END:VEVENT")


def _cancelled_lines(withdrawal: Withdrawal, events: EventCollection, out: list[bytes]) -> None:
    """A withdrawn event as ``STATUS:CANCELLED``, one revision on (as ``ics`` builds it)."""
    start, end = _dates(withdrawal)
    when = _utc(dt.datetime.combine(withdrawal.withdrawn, dt.time(), dt.timezone.utc)).encode()
    out += [
        b"BEGIN:VEVENT",
        _fold(f"SUMMARY:{text_value('Withdrawn: ' + ics.summary(withdrawal))}".encode()),
        start,
        end,
        b"DTSTAMP:" + when,
        _fold(f"UID:{text_value(ics.uid(withdrawal))}".encode()),
        f"SEQUENCE:{withdrawal.revision + 1}".encode(),
        b"CLASS:PUBLIC",
        _fold(f"DESCRIPTION:{text_value(ics.cancelled_description(withdrawal, events))}".encode()),
        b"LAST-MODIFIED:" + when,
        b"STATUS:CANCELLED",
        b"TRANSP:TRANSPARENT",
        b"END:VEVENT",
    ]


def calendar_bytes(
    events: EventCollection,
    *,
    stamp: dt.datetime | None = None,
    refresh: dt.timedelta = dt.timedelta(days=1),
    calendar_name: str | None = None,
    calendar_description: str | None = None,
) -> bytes:
    """The whole feed, the bytes ``ics.to_bytes(ics.build(...))`` gives for the same arguments.

    The options are checked first, as :func:`~rnk_events.formats.ics.build` checks them, and
    the feed is built whole before it is returned, so a bad value raises before anything is written.
    """
    when, name, about = ics._checked_options(events, stamp, refresh, calendar_name, calendar_description)
    every: str = vDuration(refresh).to_ical().decode("ascii")  # type: ignore[no-untyped-call]
    name_text, about_text = text_value(name), text_value(about)
    out = [
        b"BEGIN:VCALENDAR",
        b"VERSION:2.0",
        _fold(f"PRODID:{text_value(ics.PRODID)}".encode()),
        b"CALSCALE:GREGORIAN",
        _fold(f"DESCRIPTION:{about_text}".encode()),
        _fold(f"X-WR-CALDESC:{about_text}".encode()),
        _fold(f"NAME:{name_text}".encode()),
        _fold(f"X-WR-CALNAME:{name_text}".encode()),
        _fold(f"REFRESH-INTERVAL;VALUE=DURATION:{every}".encode()),
        _fold(f"X-PUBLISHED-TTL:{every}".encode()),
    ]
    stamped = f"DTSTAMP:{_utc(when)}".encode()
    for event in events:
        _event_lines(event, events, stamped, out)
    for withdrawal in sorted(events.info.withdrawn, key=lambda item: (item.date.sort_key(), item.id)):
        _cancelled_lines(withdrawal, events, out)
    out += [b"END:VCALENDAR", b""]
    return b"\r\n".join(out)
