"""The formats' date mapping (TimelineJS date objects, iCalendar DTSTART/DTEND), against tests/oracles.py.

TimelineJS wants numeric parts only and no end when there is none; iCalendar wants an
all-day DTSTART and an exclusive DTEND, the day after the last. Both are derived here from
the EDTF text, not from the library's bounds.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given
from icalendar import Calendar

from rnk_events import DateSpan, Event, EventCollection, PartialDate, SourceRef
from rnk_events.formats import ics, timelinejs
from tests.edtf_strategies import partial_dates as edtf_partial_dates
from tests.oracles import span_bounds
from tests.strategies import partial_dates, spans

STAMP = dt.datetime(2024, 6, 17, 12, 0, tzinfo=dt.timezone.utc)


def edtf_parts(text: str) -> dict[str, int]:
    """Oracle: the TimelineJS date object of one EDTF date, read from its text."""
    return dict(zip(("year", "month", "day"), (int(part) for part in text.split("-")), strict=False))


def dated(date: str) -> Event:
    return Event(
        id="e",
        date=date,
        title="t",
        summary="s",
        category="diplomacy",
        status="happened",
        actors=(),
        sources=(SourceRef("s", "e"),),
    )


@given(partial_dates())
def test_timelinejs_date_parts_are_the_known_parts(date: PartialDate) -> None:
    parts = timelinejs.date_parts(date)
    assert parts == edtf_parts(str(date))
    assert all(type(value) is int for value in parts.values())


@given(edtf_partial_dates())
def test_timelinejs_date_parts_are_the_parts_its_first_and_last_day_share(date: PartialDate) -> None:
    """Any date of the grammar (seasons, X digits, qualifiers): the short cut for a plain date changes nothing."""
    assert timelinejs.date_parts(date) == timelinejs.common_parts(date.first_day, date.last_day)


@given(spans())
def test_timelinejs_slide_dates_have_an_end_only_for_a_range(span: DateSpan) -> None:
    start_text, _, end_text = str(span).partition("/")
    start, end = timelinejs.slide_dates(span)
    assert start == edtf_parts(start_text)
    if not end_text:
        assert end is None
        return
    written = edtf_parts(end_text)
    # TimelineJS drops an end that agrees with every part of the start, so the export leaves it out
    agrees = all(written.get(key) == value for key, value in start.items())
    assert end == (None if agrees else written)


@pytest.mark.parametrize(
    ("edtf", "start", "end"),
    [
        ("2024", {"year": 2024}, None),
        ("2024-02", {"year": 2024, "month": 2}, None),
        ("2024-02-29", {"year": 2024, "month": 2, "day": 29}, None),
        ("2006/2017-03-01", {"year": 2006}, {"year": 2017, "month": 3, "day": 1}),
        ("2024-05-16/2024-05-17", {"year": 2024, "month": 5, "day": 16}, {"year": 2024, "month": 5, "day": 17}),
    ],
)
def test_timelinejs_slide_dates_examples(edtf: str, start: dict[str, int], end: dict[str, int] | None) -> None:
    assert timelinejs.slide_dates(DateSpan.parse(edtf)) == (start, end)


def ics_dates(event: Event) -> tuple[dt.date, dt.date]:
    stream = io.BytesIO()
    ics.write(EventCollection([event]), stream, stamp=STAMP)
    (component,) = Calendar.from_ical(stream.getvalue()).walk("VEVENT")
    assert component["DTSTART"].params["VALUE"] == "DATE"
    assert component["DTEND"].params["VALUE"] == "DATE"
    return component.decoded("DTSTART"), component.decoded("DTEND")


@given(spans(1, 9998))
def test_ics_starts_on_the_first_day_and_ends_the_day_after_the_last(span: DateSpan) -> None:
    first, last = span_bounds(span)
    assert ics_dates(dated(str(span))) == (first, last + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("edtf", "dtstart", "dtend"),
    [
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 3, 1)),  # 29 days, exclusive end
        ("2023-12-31", dt.date(2023, 12, 31), dt.date(2024, 1, 1)),
        ("2024", dt.date(2024, 1, 1), dt.date(2025, 1, 1)),
        ("9999-11", dt.date(9999, 11, 1), dt.date(9999, 12, 1)),
        ("9999-12-30", dt.date(9999, 12, 30), dt.date(9999, 12, 31)),  # the last day an end can fall on
    ],
)
def test_ics_date_examples(edtf: str, dtstart: dt.date, dtend: dt.date) -> None:
    assert ics_dates(dated(edtf)) == (dtstart, dtend)


@pytest.mark.parametrize("edtf", ["9999", "9999-12", "9999-12-31", "9998/9999"])
def test_ics_refuses_a_date_ending_on_the_last_day_of_9999(edtf: str) -> None:
    """The exclusive DTEND would be 10000-01-01, which no iCalendar date can hold."""
    with pytest.raises(ValueError, match="year 10000") as info:
        ics.write(EventCollection([dated(edtf)]), io.BytesIO(), stamp=STAMP)
    message = str(info.value)
    assert "'e'" in message
    assert edtf in message
    assert message.endswith("which iCalendar cannot write")
