"""Partial dates and spans: parsing, canonical form, bounds, relations, ordering."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from rnk_events import DateError, DateSpan, PartialDate, Precision, parse_date
from tests.strategies import days, partial_dates, spans

# --- canonical EDTF -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("2000", "2000-01-01", "2000-12-31", Precision.YEAR),
        ("2000-07", "2000-07-01", "2000-07-31", Precision.MONTH),
        ("2000-07-15", "2000-07-15", "2000-07-15", Precision.DAY),
        ("2020-02", "2020-02-01", "2020-02-29", Precision.MONTH),
        ("1900-02", "1900-02-01", "1900-02-28", Precision.MONTH),
        ("2006-10-14/2017-12-22", "2006-10-14", "2017-12-22", Precision.DAY),
        ("2024-05-16/2024-05-17", "2024-05-16", "2024-05-17", Precision.DAY),
        ("2023-09/2024-06", "2023-09-01", "2024-06-30", Precision.MONTH),
        ("2006/2017-03-01", "2006-01-01", "2017-03-01", Precision.YEAR),
    ],
)
def test_edtf_bounds(text: str, first: str, last: str, precision: Precision) -> None:
    span = DateSpan.parse(text)
    assert str(span) == text
    assert span.first_day == dt.date.fromisoformat(first)
    assert span.last_day == dt.date.fromisoformat(last)
    assert span.precision is precision


@pytest.mark.parametrize(
    "text",
    [
        "", "200", "20000", "2000-7", "2000-13", "2000-00", "2000-02-30", "2023-02-29", "0000",
        "2000-07-15/", "/2000", "2000/2001/2002", "2017/2006", "2024-05-17/2024-05-16",
        "2024-05/2024-05-10", "2024-05-10/2024-05", " 2000", "2000-07-15T10:00", "2000?", "２０００",
    ],
)  # fmt: skip
def test_edtf_rejects(text: str) -> None:
    with pytest.raises(DateError) as info:
        DateSpan.parse(text)
    assert info.value.text == text
    assert repr(text) in str(info.value)


def test_a_coarser_end_that_finishes_later_is_allowed() -> None:
    span = DateSpan.parse("2024-05-10/2024-06")
    assert (span.first_day, span.last_day) == (dt.date(2024, 5, 10), dt.date(2024, 6, 30))


# --- natural forms ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("July, 2000", "2000-07"),
        ("July 2000", "2000-07"),
        ("February 2020", "2020-02"),
        ("February, 2020", "2020-02"),
        ("Oct. 14, 2006 - Dec. 22, 2017", "2006-10-14/2017-12-22"),
        ("Oct. 14, 2006 – Dec. 22, 2017", "2006-10-14/2017-12-22"),
        ("Oct. 14, 2006—Dec. 22, 2017", "2006-10-14/2017-12-22"),
        ("May 16-17, 2024", "2024-05-16/2024-05-17"),
        ("June 18-19, 2024", "2024-06-18/2024-06-19"),
        ("June 18–19, 2024", "2024-06-18/2024-06-19"),
        ("Sept. 13, 2023", "2023-09-13"),
        ("Sept 13, 2023", "2023-09-13"),
        ("September 13, 2023", "2023-09-13"),
        ("Sep. 13 2023", "2023-09-13"),
        ("Feb. 24, 2022", "2022-02-24"),
        ("March 30-April 2, 2024", "2024-03-30/2024-04-02"),
        ("Dec. 30, 2019 - Jan. 2, 2020", "2019-12-30/2020-01-02"),
        ("23 August 2002", "2002-08-23"),
        ("16-17 May 2024", "2024-05-16/2024-05-17"),
        ("30 March - 2 April 2024", "2024-03-30/2024-04-02"),
        ("July - Aug. 2000", "2000-07/2000-08"),
        ("2006-2017", "2006/2017"),
        ("2006 to 2017", "2006/2017"),
        ("1st May 2024", "2024-05-01"),
        ("2000-07", "2000-07"),
        ("  2024-05-16/2024-05-17 ", "2024-05-16/2024-05-17"),
    ],
)
def test_natural_forms(text: str, edtf: str) -> None:
    assert str(parse_date(text)) == edtf


@pytest.mark.parametrize(
    "text",
    [
        "hello", "May 16-17", "Tuesday", "last month", "Febtember 2020", "Feb. 30, 2023",
        "Dec. 30 - Jan. 2, 2020", "May 2024 - April 2024", "17, 2024", "2024 May", "May May 2024",
        "13/05/2024", "1 - 2 - 3 2024", "", "   ", "2000-13", "May 16-17, 2024!",
    ],
)  # fmt: skip
def test_natural_rejects_without_guessing(text: str) -> None:
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert repr(text) in str(info.value)


def test_non_string_is_a_date_error() -> None:
    with pytest.raises(DateError):
        parse_date(2000)  # type: ignore[arg-type]
    with pytest.raises(DateError):
        DateSpan.parse(None)  # type: ignore[arg-type]


# --- properties ---------------------------------------------------------------------


@given(spans())
def test_edtf_round_trip(span: DateSpan) -> None:
    assert DateSpan.parse(str(span)) == span
    assert parse_date(str(span)) == span


@given(spans())
def test_display_text_parses_back(span: DateSpan) -> None:
    # Year-only spans display as "2006 - 2017", which reads back the same.
    assert parse_date(span.display()) == span


@given(spans())
def test_bounds_are_ordered_and_cover_the_ends(span: DateSpan) -> None:
    assert span.first_day <= span.last_day
    assert span.first_day == span.start.first_day
    assert span.last_day == (span.end or span.start).last_day
    assert span.days == (span.last_day - span.first_day).days + 1


@given(partial_dates())
def test_partial_date_bounds_follow_the_calendar(date: PartialDate) -> None:
    first, last = date.first_day, date.last_day
    if date.precision is Precision.YEAR:
        assert (first, last) == (dt.date(date.year, 1, 1), dt.date(date.year, 12, 31))
    elif date.precision is Precision.MONTH:
        assert first == dt.date(date.year, date.month or 0, 1)
        assert last.day == calendar.monthrange(date.year, date.month or 0)[1]
        if last < dt.date.max:
            assert (last + dt.timedelta(days=1)).day == 1
    else:
        assert first == last


@given(st.integers(min_value=1, max_value=9999))
def test_february_29_only_in_leap_years(year: int) -> None:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    assert PartialDate(year, 2).last_day.day == (29 if leap else 28)
    if leap:
        assert PartialDate.parse(f"{year:04d}-02-29").day == 29
    else:
        with pytest.raises(DateError):
            PartialDate.parse(f"{year:04d}-02-29")


@given(spans(), days)
def test_contains_exactly_the_days_between_the_bounds(span: DateSpan, day: dt.date) -> None:
    assert span.contains(span.first_day)
    assert span.contains(span.last_day)
    assert span.contains(day) == (span.first_day <= day <= span.last_day)
    if span.first_day > dt.date.min:
        assert not span.contains(span.first_day - dt.timedelta(days=1))
    if span.last_day < dt.date.max:
        assert not span.contains(span.last_day + dt.timedelta(days=1))


@given(spans(1990, 2030), spans(1990, 2030))
def test_overlap_is_symmetric_and_agrees_with_shared_days(a: DateSpan, b: DateSpan) -> None:
    assert a.overlaps(b) == b.overlaps(a)
    shared_first, shared_last = max(a.first_day, b.first_day), min(a.last_day, b.last_day)
    assert a.overlaps(b) == (shared_first <= shared_last)
    if a.overlaps(b):
        assert a.contains(shared_first)
        assert b.contains(shared_first)
    assert a.overlaps(a)


@given(st.lists(spans(), max_size=20))
def test_sorting_agrees_with_the_bounds(items: list[DateSpan]) -> None:
    ordered = sorted(items)
    for earlier, later in itertools.pairwise(ordered):
        assert (earlier.first_day, earlier.last_day) <= (later.first_day, later.last_day)
        assert earlier <= later


@given(spans(), spans())
def test_ordering_is_total_and_consistent_with_equality(a: DateSpan, b: DateSpan) -> None:
    assert (a < b) + (b < a) + (a == b) == 1
    assert (a == b) == (str(a) == str(b))


@given(st.text(max_size=30))
def test_any_text_parses_or_raises_date_error(text: str) -> None:
    try:
        span = parse_date(text)
    except DateError:
        return
    assert span.first_day <= span.last_day


@given(st.text(alphabet="0123456789-/", max_size=25))
def test_edtf_garbage_raises_date_error(text: str) -> None:
    try:
        span = DateSpan.parse(text)
    except DateError:
        return
    assert str(span) == text


@given(partial_dates(), partial_dates())
def test_an_end_before_the_start_is_an_error(start: PartialDate, end: PartialDate) -> None:
    assume(end.first_day < start.first_day or end.last_day < start.last_day)
    with pytest.raises(DateError):
        DateSpan(start, end)


def test_display_uses_ap_style() -> None:
    assert parse_date("2006-10-14/2017-12-22").display() == "Oct. 14, 2006 - Dec. 22, 2017"
    assert parse_date("2000-07").display() == "July 2000"
    assert parse_date("2024-06-18/2024-06-19").display() == "June 18-19, 2024"
    assert parse_date("2024-03-30/2024-04-02").display() == "March 30-April 2, 2024"
    assert parse_date("2023-09/2024-06").display() == "September 2023 - June 2024"


def test_ordering_ties_break_on_text() -> None:
    year, explicit = DateSpan.parse("2024"), DateSpan.parse("2024-01-01/2024-12-31")
    assert (year.first_day, year.last_day) == (explicit.first_day, explicit.last_day)
    assert sorted([explicit, year]) == [year, explicit]


@pytest.mark.parametrize(
    ("text", "reason"),
    [("2024-6", "expected YYYY, YYYY-MM or YYYY-MM-DD"), ("Jun-2024", "drop the dash"), ("2024/6", "YYYY-MM")],
)
def test_near_misses_get_a_useful_reason(text: str, reason: str) -> None:
    with pytest.raises(DateError, match=reason):
        parse_date(text)
