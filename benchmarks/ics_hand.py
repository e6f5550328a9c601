"""The iCalendar limit: the library's feed written by hand, as string formatting.

The same VEVENT lines as :mod:`rnk_events.formats.ics`, in the order icalendar
writes them (its canonical order, then the other names alphabetically), with
RFC 5545 TEXT escaping (backslash, semicolon, comma, newline) and line folding
at 75 octets exactly as icalendar folds (a line holds at most 74 octets before
the fold, a fold never splits a UTF-8 character, and never leaves a backslash
or caret at the end of a line). The words of each entry come from the format's
public helpers (``summary``, ``description``, ``entry_days``, ``uid``), so this
times the writing, not the wording. The suite checks the bytes are identical to
the export before it times them; if the export changes what it writes, the
table says "not identical" and times this anyway.
"""

from __future__ import annotations

import datetime as dt
import re

from rnk_events import EventCollection
from rnk_events.formats import ics

__all__ = ["CONTROL", "duration", "escape_text", "fold", "write"]

#: Unicode category Cc less tab and newline: what an iCalendar TEXT value cannot carry.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LIMIT = 74  # icalendar folds when a line would reach 75 octets
_CONTINUATION_MASK, _CONTINUATION = 0xC0, 0x80
_HELD_BACK = (0x5C, 0x5E)  # "\\" and "^" never end a folded line


def escape_text(text: str) -> str:
    """RFC 5545 TEXT: line breaks as ``\\n``, control characters dropped, ``\\ ; ,`` and newline escaped."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROL.sub("", text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> bytes:
    """One content line as UTF-8, folded the way icalendar folds it, without the final CRLF."""
    data = line.encode()
    if len(data) <= _LIMIT:
        return data
    parts = []
    start, size = 0, len(data)
    while size - start > _LIMIT:
        end = start + _LIMIT
        while data[end] & _CONTINUATION_MASK == _CONTINUATION:  # never split a character
            end -= 1
        if data[end - 1] in _HELD_BACK and end - start > 1:
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def duration(refresh: dt.timedelta) -> str:
    """A positive duration as icalendar writes it: ``P1D``, ``PT12H``, ``P1DT6H``."""
    hours, minutes, seconds = refresh.seconds // 3600, refresh.seconds % 3600 // 60, refresh.seconds % 60
    time = ""
    if refresh.seconds:
        time = "T" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes or (hours and seconds) else "")
        time += f"{seconds}S" if seconds else ""
    return f"P{time}" if refresh.days == 0 and time else f"P{refresh.days}D{time}"


def _day(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _url(event_sources: tuple[str, ...], urls: dict[str, str | None]) -> str | None:
    for source in event_sources:
        url = urls.get(source)
        if url:
            return (
                url
                if url.isascii()
                else "".join(c if c.isascii() else "".join(f"%{b:02X}" for b in c.encode()) for c in url)
            )
    return None


def _utc(moment: dt.datetime) -> str:
    return f"{moment.strftime('%Y%m%dT%H%M%S')}Z"


#: Whether the format writes revisions (SEQUENCE, LAST-MODIFIED, withdrawn events) and no METHOD.
REVISIONS = hasattr(ics, "modified")


def write(
    events: EventCollection,
    *,
    stamp: dt.datetime,
    calendar_name: str,
    calendar_description: str,
    refresh: dt.timedelta = dt.timedelta(days=1),
) -> bytes:
    """The feed ``ics.write`` writes for these options (a UTC ``stamp`` in whole seconds)."""
    every = duration(refresh)
    name, about = escape_text(calendar_name), escape_text(calendar_description)
    out = [b"BEGIN:VCALENDAR", b"VERSION:2.0", fold(f"PRODID:{escape_text(ics.PRODID)}"), b"CALSCALE:GREGORIAN"]
    if not REVISIONS:
        out.append(b"METHOD:PUBLISH")
    out += [
        fold(f"DESCRIPTION:{about}"),
        fold(f"X-WR-CALDESC:{about}"),
        fold(f"NAME:{name}"),
        fold(f"X-WR-CALNAME:{name}"),
        fold(f"REFRESH-INTERVAL;VALUE=DURATION:{every}"),
        fold(f"X-PUBLISHED-TTL:{every}"),
    ]
    append = out.append
    info = events.info
    stamped = f"DTSTAMP:{_utc(stamp)}".encode()
    urls = {source.id: source.url for source in info.sources}
    statuses = ics.STATUS_MAP
    one_day = dt.timedelta(days=1)
    for event in events:
        first, last = ics.entry_days(event.date)
        append(b"BEGIN:VEVENT")
        append(fold(f"SUMMARY:{escape_text(ics.summary(event))}"))
        append(f"DTSTART;VALUE=DATE:{_day(first)}".encode())
        append(f"DTEND;VALUE=DATE:{_day(last + one_day)}".encode())
        modified = ics.modified(event, info) if REVISIONS else None
        append(f"DTSTAMP:{_utc(modified)}".encode() if modified is not None else stamped)
        append(fold(f"UID:{ics.uid(event)}"))
        if REVISIONS:
            append(f"SEQUENCE:{event.revision}".encode())
        append(fold(f"CATEGORIES:{event.category.value}"))
        append(b"CLASS:PUBLIC")
        append(fold(f"DESCRIPTION:{escape_text(ics.description(event, events))}"))
        places = event.places
        point = next(((p.lat, p.lon) for p in places if p.lat is not None and p.lon is not None), None)
        if point is not None:
            append(f"GEO:{point[0]:.6f};{point[1]:.6f}".encode())
        if modified is not None:
            append(f"LAST-MODIFIED:{_utc(modified)}".encode())
        if places:
            append(fold(f"LOCATION:{escape_text('; '.join(place.name for place in places))}"))
        status = statuses.get(event.status)
        if status is not None:
            append(f"STATUS:{status}".encode())
        append(b"TRANSP:TRANSPARENT")
        url = _url(tuple(ref.source for ref in event.sources), urls)
        if url is not None:
            append(fold(f"URL:{url}"))
        append(b"END:VEVENT")
    if REVISIONS:
        for withdrawal in sorted(info.withdrawn, key=lambda item: (item.date.sort_key(), item.id)):
            first, last = ics.entry_days(withdrawal.date)
            when = _utc(dt.datetime.combine(withdrawal.withdrawn, dt.time(), dt.timezone.utc))
            append(b"BEGIN:VEVENT")
            append(fold(f"SUMMARY:{escape_text('Withdrawn: ' + ics.summary(withdrawal))}"))
            append(f"DTSTART;VALUE=DATE:{_day(first)}".encode())
            append(f"DTEND;VALUE=DATE:{_day(last + one_day)}".encode())
            append(f"DTSTAMP:{when}".encode())
            append(fold(f"UID:{ics.uid(withdrawal)}"))
            append(f"SEQUENCE:{withdrawal.revision + 1}".encode())
            append(b"CLASS:PUBLIC")
            append(fold(f"DESCRIPTION:{escape_text(ics.cancelled_description(withdrawal, events))}"))
            append(f"LAST-MODIFIED:{when}".encode())
            append(b"STATUS:CANCELLED")
            append(b"TRANSP:TRANSPARENT")
            append(b"END:VEVENT")
    append(b"END:VCALENDAR")
    append(b"")
    return b"\r\n".join(out)
