"""iCalendar (RFC 5545): a feed of all-day events that a reader can subscribe to.

Every event is all-day: ``DTSTART;VALUE=DATE`` is the span's first day and an
explicit ``DTEND;VALUE=DATE`` the day after its last (iCalendar ends are
exclusive; Exchange rejects events without an end). A date known only to the
month or year therefore covers the whole month or year, and its SUMMARY says
"(July 2000)" so the reader never mistakes it for the 1st. UIDs are
``<id>@rnk-events``, so a re-published feed updates events in place.

Output is reproducible: pass ``stamp=`` and the bytes depend on nothing but
the events and the options. See ``docs/formats/icalendar.md``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import IO

from icalendar import Calendar, vDuration, vGeo, vText
from icalendar import Event as VEvent

from rnk_events.actors import actor_name
from rnk_events.collection import EventCollection
from rnk_events.errors import OptionError
from rnk_events.formats.stamp import utc_seconds
from rnk_events.model import Event, Status

__all__ = ["PRODID", "STATUS_MAP", "UID_DOMAIN", "build", "description", "summary", "uid", "write"]

#: The right-hand side of every UID: ``<event id>@rnk-events``.
UID_DOMAIN = "rnk-events"

#: No version in it, so upgrading the library alone does not change the bytes.
PRODID = "-//rnk_events//rnk_events iCalendar export//EN"

#: RFC 5545 STATUS for a VEVENT is about whether it takes place as scheduled;
#: "alleged" and "disputed" are about whether the reporting holds, which STATUS
#: cannot say, so those events carry no STATUS (the DESCRIPTION names it).
STATUS_MAP: dict[Status, str] = {
    Status.HAPPENED: "CONFIRMED",
    Status.PLANNED: "TENTATIVE",
}


class _Geo(vGeo):
    """GEO with fixed six decimals: ``str(float)`` can write ``1e-05``, which is not an RFC 5545 FLOAT."""

    def to_ical(self) -> str:
        return f"{self.latitude:.6f};{self.longitude:.6f}"


class _Text(vText):
    """TEXT escaped exactly as RFC 5545 section 3.3.11 says.

    icalendar's vText first turns a literal backslash-N into a line break (it
    reads ``\\N`` in the *input* as an escape), so "C:\\News" would lose its
    backslash; here only backslash, semicolon, comma and newline are escaped.
    It returns text, not bytes: icalendar decodes bytes as "utf-8-sig", which
    would drop a U+FEFF at the start of a value.
    """

    def to_ical(self) -> str:  # type: ignore[override]
        return str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _clean(text: str) -> str:
    """Text an iCalendar TEXT value can carry: line breaks as ``\\n``, no other control characters.

    RFC 5545 TEXT allows tab but no other control character, so those are dropped.
    (Lone surrogates never get this far: the records refuse them.)
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(char for char in text if char in "\t\n" or unicodedata.category(char) != "Cc")


def uid(event: Event) -> str:
    """The stable UID: the event id never changes once published, so neither does this."""
    return f"{event.id}@{UID_DOMAIN}"


def summary(event: Event) -> str:
    """The title, with the date as reported when it is not a single day: "... (July 2000)"."""
    span = event.date
    if span.days == 1:
        return event.title
    return f"{event.title} ({span.display()})"


def description(event: Event, events: EventCollection) -> str:
    """The date and its precision first, then summary, status, who, note and sources."""
    span = event.date
    as_of = events.info.as_of
    lines = [f"Date: {span.display()} ({span.precision.value} precision)", "", event.summary, ""]
    lines.append(f"Status: {event.status.value}" + (f" (as of {as_of.isoformat()})" if as_of else ""))
    if event.actors:
        lines.append("Actors: " + ", ".join(actor_name(code) for code in event.actors))
    if event.people:
        lines.append("People: " + ", ".join(event.people))
    if event.places:
        lines.append("Places: " + "; ".join(place.name for place in event.places))
    if event.note:
        lines.append(f"Note: {event.note}")
    lines.extend(["", "Sources:"])
    for ref in event.sources:
        try:
            source = events.info.source(ref.source)
        except KeyError:
            lines.append(f"- {ref.source}: “{ref.evidence}”")
            continue
        line = f"- {source.publisher}, “{source.title}” ({source.published.isoformat()}): “{ref.evidence}”"
        lines.append(line + (f" {source.url}" if source.url else ""))
    return "\n".join(lines)


def _url(event: Event, events: EventCollection) -> str | None:
    """The first cited source with a URL, non-ASCII percent-encoded (a URI is ASCII)."""
    for ref in event.sources:
        try:
            url = events.info.source(ref.source).url
        except KeyError:
            continue
        if url:
            return "".join(char if char.isascii() else "".join(f"%{b:02X}" for b in char.encode()) for char in url)
    return None


def _exclusive_end(event: Event) -> dt.date:
    """The day after the last: DTEND is exclusive, so "2000-07" ends on 2000-08-01."""
    if event.date.last_day == dt.date.max:
        raise ValueError(
            f"event {event.id!r}: its date {event.date} ends on 9999-12-31, so the exclusive DTEND "
            "would fall in year 10000, which iCalendar cannot write"
        )
    return event.date.last_day + dt.timedelta(days=1)


def _vevent(event: Event, events: EventCollection, stamp: dt.datetime) -> VEvent:
    component = VEvent()
    component.add("uid", uid(event))
    component.add("dtstamp", stamp)
    component.add("dtstart", event.date.first_day)
    component.add("dtend", _exclusive_end(event))
    component.add("summary", _Text(_clean(summary(event))))
    component.add("description", _Text(_clean(description(event, events))))
    component.add("categories", [event.category.value])
    if event.places:
        location = "; ".join(place.name for place in event.places)
        component.add("location", _Text(_clean(location)))
    point = next(((p.lat, p.lon) for p in event.places if p.lat is not None and p.lon is not None), None)
    if point is not None:
        component.add("geo", _Geo(point))
    url = _url(event, events)
    if url is not None:
        component.add("url", url)
    if event.status in STATUS_MAP:
        component.add("status", STATUS_MAP[event.status])
    component.add("transp", "TRANSPARENT")
    component.add("class", "PUBLIC")
    return component


def _default_description(events: EventCollection) -> str:
    info = events.info
    as_of = f", as of {info.as_of.isoformat()}" if info.as_of else ""
    return (
        f"{info.title}\n"
        f"{info.name} {info.version}{as_of}; {len(events)} sourced event{'' if len(events) == 1 else 's'}.\n"
        "All-day entries: a date known only to the month or year spans the whole month or year, "
        "and the title then shows the date as reported."
    )


def _option_text(option: str, value: str | None, default: str) -> str:
    if value is None:
        return default
    if not isinstance(value, str):
        raise OptionError(option, f"expected text, got {type(value).__name__}")
    if not value.strip():
        raise OptionError(option, "must not be empty")
    return value


def build(
    events: EventCollection,
    *,
    stamp: dt.datetime | None = None,
    refresh: dt.timedelta = dt.timedelta(days=1),
    calendar_name: str | None = None,
    calendar_description: str | None = None,
) -> Calendar:
    """The calendar as an icalendar object, for callers who want to add to it."""
    if not isinstance(refresh, dt.timedelta) or refresh < dt.timedelta(seconds=1) or refresh.microseconds:
        raise OptionError("refresh", f"expected a positive timedelta of whole seconds, got {refresh!r}")
    when = utc_seconds(stamp)
    name = _clean(_option_text("calendar_name", calendar_name, events.info.title))
    about = _clean(_option_text("calendar_description", calendar_description, _default_description(events)))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # icalendar types NAME and the X-WR-* names as "unknown" and writes them
    # raw: a newline would break the line. _Text escapes per RFC 5545 TEXT.
    for key in ("name", "x-wr-calname"):
        calendar.add(key, _Text(name))
    for key in ("description", "x-wr-caldesc"):
        calendar.add(key, _Text(about))
    calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    for event in events:
        calendar.add_component(_vevent(event, events, when))
    return calendar


def write(
    events: EventCollection,
    stream: IO[bytes],
    *,
    stamp: dt.datetime | None = None,
    refresh: dt.timedelta = dt.timedelta(days=1),
    calendar_name: str | None = None,
    calendar_description: str | None = None,
) -> None:
    """Write the feed; built whole first, so a bad value writes nothing.

    ``stamp`` (timezone-aware) fixes DTSTAMP for byte-identical output;
    ``refresh`` is how often subscribers should re-fetch.
    """
    calendar = build(
        events,
        stamp=stamp,
        refresh=refresh,
        calendar_name=calendar_name,
        calendar_description=calendar_description,
    )
    stream.write(calendar.to_ical())
