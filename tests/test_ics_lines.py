"""The calendar's content lines written directly are, byte for byte, what icalendar writes (issue 14).

``ics.write`` writes its lines itself (:mod:`rnk_events.formats.ics_lines`);
``ics._build_with_icalendar`` (icalendar's ``Calendar``, ``add`` and its
serialiser) is the oracle, over generated events of every date form, hostile
text (commas, semicolons, backslashes, control characters, line breaks,
non-ASCII letters that fall on a fold), revisions, withdrawn events,
coordinates and calendar options. The parsed calendar is checked by icalendar
too; ``tests/test_export_ics.py`` and ``tests/test_calendar_updates.py`` parse
the export with icalendar, vobject and ical.js.
"""

from __future__ import annotations

import datetime as dt
import io

import attrs
import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import EventCollection
from rnk_events.dates import DateSpan
from rnk_events.errors import OptionError
from rnk_events.formats import ics
from rnk_events.formats.ics_lines import calendar_bytes, text_value
from rnk_events.model import DatasetInfo, Event, Source, Withdrawal
from tests.strategies import event_lists, spans, texts, withdrawals

STAMP = dt.datetime(2026, 12, 1, 9, 30, 15, tzinfo=dt.timezone.utc)

#: Text that tests escaping and folding: every escaped character, controls, CR/LF, and wide characters.
hostile = texts | st.text(st.sampled_from(list("\\;,\n\r\t\x01\x7f\x85é€𝄞 aZ^:\"'")), min_size=1, max_size=200).filter(
    lambda text: text.strip() == text and text.strip() != ""
)


def _both(events: EventCollection, **options: object) -> tuple[bytes, bytes]:
    stream = io.BytesIO()
    rnk_events.export(events, "ics", stream, stamp=STAMP, **options)
    return stream.getvalue(), ics._build_with_icalendar(events, stamp=STAMP, **options)


def _collection(
    items: list[Event], gone: list[Withdrawal], as_of: dt.date | None, urls: list[str | None]
) -> EventCollection:
    unique = list({event.id: event for event in items}.values())
    ids = {event.id for event in unique}
    withdrawn = list({w.id: w for w in gone if w.id not in ids and w.replaced_by not in {w.id}}.values())
    cited = sorted({ref.source for event in unique for ref in event.sources})
    sources = tuple(
        Source(name, "Publisher, Inc.; \\ agency", f"Title {index}", dt.date(2024, 6, 17), url=urls[index % len(urls)])
        for index, name in enumerate(cited)
    )
    info = DatasetInfo(as_of=as_of, sources=sources, withdrawn=tuple(withdrawn))
    return EventCollection(unique, info)


_URL_CHOICES = ["https://example.org/a?b=1,2;c", "https://пример.рф/новости/1"]
_URLS = st.lists(st.none() | st.sampled_from(_URL_CHOICES), min_size=1, max_size=3)


@given(
    event_lists(max_size=6),
    st.lists(withdrawals(), max_size=2),
    st.none() | st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9998, 12, 31)),
    _URLS,
)
def test_direct_lines_are_icalendars_bytes(
    items: list[Event], gone: list[Withdrawal], as_of: dt.date | None, urls: list[str | None]
) -> None:
    events = _collection(items, gone, as_of, urls)
    try:
        oracle = ics._build_with_icalendar(events, stamp=STAMP)
    except ValueError as error:  # an entry through 9999-12-31: the direct writer refuses it the same way
        refused = str(error)
    else:
        refused = ""
    if refused:
        with pytest.raises(ValueError, match="iCalendar cannot write") as raised:
            rnk_events.export(events, "ics", io.BytesIO(), stamp=STAMP)
        assert str(raised.value) == refused
        return
    stream = io.BytesIO()
    rnk_events.export(events, "ics", stream, stamp=STAMP)
    assert stream.getvalue() == oracle
    parsed = icalendar.Calendar.from_ical(oracle)
    assert len(parsed.walk("VEVENT")) == len(events) + len(events.info.withdrawn)


@given(
    hostile,
    hostile,
    hostile,
    hostile,
    hostile,
    st.sampled_from([dt.timedelta(days=1), dt.timedelta(hours=12), dt.timedelta(days=1, hours=6, seconds=5)]),
)
def test_hostile_text_and_options_give_icalendars_bytes(
    title: str, summary: str, note: str, name: str, about: str, refresh: dt.timedelta
) -> None:
    bundled = rnk_events.load()
    edited = [attrs.evolve(bundled[0], title=title, summary=summary, note=note), *bundled[1:3]]
    events = EventCollection(edited, bundled.info)
    ours, theirs = _both(events, calendar_name=name, calendar_description=about, refresh=refresh)
    assert ours == theirs


@given(st.lists(spans(1, 9998), min_size=1, max_size=8))
def test_every_date_form_gives_icalendars_bytes(dates: list[DateSpan]) -> None:
    bundled = rnk_events.load()
    base = bundled[0]
    events = EventCollection(
        [attrs.evolve(base, id=f"e{index}", date=span) for index, span in enumerate(dates)], bundled.info
    )
    ours, theirs = _both(events)
    assert ours == theirs


def test_the_bundled_feed_and_its_options() -> None:
    bundled = rnk_events.load()
    for options in ({}, {"calendar_name": "Russia, North Korea; a\\b"}, {"refresh": dt.timedelta(hours=6)}):
        ours, theirs = _both(bundled, **options)
        assert ours == theirs
    without_as_of = EventCollection(bundled, attrs.evolve(bundled.info, as_of=None))
    ours, theirs = _both(without_as_of)
    assert ours == theirs
    assert b"DTSTAMP:20261201T093015Z" in ours  # the stamp, for an event with no day to take


@pytest.mark.parametrize(("option", "value"), [("calendar_name", " "), ("refresh", dt.timedelta(0)), ("stamp", "x")])
def test_a_bad_option_writes_nothing(option: str, value: object) -> None:
    stream = io.BytesIO()
    with pytest.raises((OptionError, TypeError, ValueError)):
        rnk_events.export(rnk_events.load(), "ics", stream, **{option: value})
    assert stream.getvalue() == b""
    with pytest.raises((OptionError, TypeError, ValueError)):
        calendar_bytes(rnk_events.load(), **{option: value})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a,b;c\\d", "a\\,b\\;c\\\\d"),
        ("one\r\ntwo\rthree\nfour", "one\\ntwo\\nthree\\nfour"),
        ("x\x00\x07\x9fy\tz", "xy\tz"),
    ],
)
def test_text_values_escape_as_rfc_5545_says(text: str, value: str) -> None:
    assert text_value(text) == value
