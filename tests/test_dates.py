"""Partial dates and spans: parsing, canonical form, bounds, relations, ordering."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import json
import re
from collections.abc import Callable
from importlib import resources

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
        "",
        "200",
        "20000",
        "2000-7",
        "2000-13",
        "2000-00",
        "2000-02-30",
        "2023-02-29",
        "0000",
        "/",
        "../..",
        "2000/2001/2002",
        "2017/2006",
        "2024-05-17/2024-05-16",
        "2024-05/2024-05-10",
        "2024-05-10/2024-05",
        " 2000",
        "2000-07-15T10:00",
        "2000??",
        "２０００",
    ],
)  # fmt: skip  (level 1 accepts "2000-07-15/", "/2000" and "2000?": see test_edtf.py)
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
    assert isinstance(span.start, PartialDate)  # spans() draws closed level-0 spans
    assert span.end is None or isinstance(span.end, PartialDate)
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
    [
        ("2024-6", "months and days have two digits (2024-06-01)"),
        ("Jun-2024", "drop the dash"),
        ("2024/6", "a year has four digits (0001-9999); a month is written after its year (2024-06)"),
    ],
)
def test_near_misses_get_a_useful_reason(text: str, reason: str) -> None:
    with pytest.raises(DateError, match=re.escape(reason)):
        parse_date(text)


# --- spans with equal ends --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "single"),
    [
        ("2024-05-16/2024-05-16", "2024-05-16"),
        ("2024-05/2024-05", "2024-05"),
        ("2024/2024", "2024"),
        ("May 16-16, 2024", "2024-05-16"),
        ("16-16 May 2024", "2024-05-16"),
        ("2024 - 2024", "2024"),
    ],
)
def test_a_span_with_equal_ends_is_refused_with_the_single_date(text: str, single: str) -> None:
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert info.value.text == text
    assert str(info.value) == f"{text!r} is not a valid date: it has equal ends: write the single date {single}"
    assert str(parse_date(single)) == single  # the hint is a date that parses


def test_equal_ends_are_refused_however_the_span_is_built() -> None:
    with pytest.raises(DateError, match="has equal ends: write the single date 2024-05-16") as info:
        DateSpan(PartialDate(2024, 5, 16), PartialDate(2024, 5, 16))
    assert info.value.text == "2024-05-16/2024-05-16"
    with pytest.raises(DateError, match="has equal ends"):
        DateSpan("2024-05", "2024-05")
    with pytest.raises(DateError, match="'2024-05-16/2024-05-16' is not a valid date: it has equal ends"):
        DateSpan.parse("2024-05-16/2024-05-16")
    # Same bounds written differently are not equal ends: the text keeps the precision.
    assert DateSpan.parse("2024-05-01/2024-05-31").days == 31


def test_no_bundled_event_has_a_span_with_equal_ends() -> None:
    raw = json.loads(resources.files("rnk_events").joinpath("data/events.json").read_text("utf-8"))
    dates = [record["date"] for record in raw["events"]]
    spans_written = [text.split("/") for text in dates if "/" in text]
    assert spans_written, "the bundled data has spans"
    assert all(start != end for start, end in spans_written)


@given(spans())
def test_a_span_never_displays_a_range_of_one_day(span: DateSpan) -> None:
    """Before equal ends were refused, 2024-05-16/2024-05-16 displayed as "May 16-16, 2024"."""
    text = span.display()
    assert not re.search(r"\b(\d+)-\1\b", text), text
    assert (" - " in text or re.search(r"\d-[A-Z\d]", text) is not None) == span.is_range


# --- what an error says ------------------------------------------------------------------
# The reason is the part of the message a user acts on, so each is spelled out here: it
# names the offending piece and, where it can, the fix.


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("   ", "empty text"),
        ("2024-6", "months and days have two digits (2024-06-01)"),
        ("2024-13", "month 13 is outside 1..12 (seasons are 21-24)"),
        ("2023-02-29", "day 29 is outside 1..28 for 2023-02"),
        ("0000", "the year 0 is out of range (years run from 0001 to 9999)"),
        ("2024-05-17/2024-05-16", "the end is before the start (a reversed range)"),
        ("May 16", "no year (a date needs one; it is never taken to be this year)"),
        ("２０２４", "unexpected character '２'"),  # fullwidth digits are not digits here
        ("Febtember 2020", "'Febtember' is not a month name"),
        ("May May 2024", "'May' is not a month name"),  # a second month name
        ("May 123, 2024", "cannot place the number '123'"),
        ("May 16 17 2024", "cannot place the number '17'"),  # a second day
        ("May 2024 16", "cannot place the number '16'"),  # a day after the year
        ("2024 May", "date parts are in an unusual order"),
        ("May 2024 - ,", "expected a date or two dates joined by a dash"),
        ("2024 - X", "'X' is not a month name"),  # one letter is still a word to read
        ("May - June - July 2024", "expected a date or two dates joined by a dash"),
        ("Jun-2024", "a range needs a month or day on both sides (for a month, drop the dash: 'June 2024')"),
        ("Feb. 30, 2023", "day 30 is outside 1..28 for 2023-02"),
        ("May 2024 - April 2024", "the end is before the start (a reversed range)"),
    ],
)
def test_each_refusal_names_the_text_and_the_reason(text: str, reason: str) -> None:
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert (info.value.text, info.value.reason) == (text, reason)
    assert str(info.value) == f"{text!r} is not a valid date: {reason}"


@pytest.mark.parametrize(
    ("make", "text", "reason"),
    [
        (lambda: PartialDate.parse("2024-6"), "2024-6", "months and days have two digits (2024-06-01)"),
        (lambda: PartialDate(2024, 13), "2024-13", "month 13 is outside 1..12 (seasons are 21-24)"),
        (lambda: PartialDate(2023, 2, 29), "2023-02-29", "day 29 is outside 1..28 for 2023-02"),
        (lambda: PartialDate(2024, None, 5), "2024-XX-05", "a day needs a month"),  # XX: EDTF's unknown digits
        (lambda: PartialDate(10000), "10000", "the year 10000 is out of range (years run from 0001 to 9999)"),
        (
            lambda: DateSpan(PartialDate(2024, 5, 17), PartialDate(2024, 5, 16)),
            "2024-05-17/2024-05-16",
            "the end is before the start (a reversed range)",
        ),
        (lambda: DateSpan.parse(2024), "2024", "expected a string, got int"),  # type: ignore[arg-type]
        (lambda: parse_date(2024), "2024", "expected a string, got int"),  # type: ignore[arg-type]
        (lambda: parse_date(None), "None", "expected a string, got NoneType"),  # type: ignore[arg-type]
    ],
)
def test_refusals_by_the_constructors_name_the_date(make: Callable[[], object], text: str, reason: str) -> None:
    with pytest.raises(DateError) as info:
        make()
    assert (info.value.text, info.value.reason) == (text, reason)


# --- display --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edtf", "shown"),
    [
        # One day, AP months: abbreviated Jan., Feb., Aug., Sept., Oct., Nov., Dec.; spelled out otherwise.
        ("2024-09-13", "Sept. 13, 2024"),
        ("2024-07-04", "July 4, 2024"),
        ("2000-07", "July 2000"),  # a month alone is spelled out
        ("2000", "2000"),
        # Two days in one month and year share both: "May 16-17, 2024".
        ("2024-05-16/2024-05-17", "May 16-17, 2024"),
        # Two months, one year: the year once, at the end.
        ("2024-09-29/2024-10-01", "Sept. 29-Oct. 1, 2024"),
        # Anything else shows both ends in full, joined by " - ".
        ("2024-12-30/2025-01-02", "Dec. 30, 2024 - Jan. 2, 2025"),
        ("2024-05-10/2024-06", "May 10, 2024 - June 2024"),  # the end is a month
        ("2024-05/2024-06-15", "May 2024 - June 15, 2024"),  # the start is a month
        ("2006/2017", "2006 - 2017"),
        ("2006/2017-03-01", "2006 - March 1, 2017"),
    ],
)
def test_display_examples(edtf: str, shown: str) -> None:
    assert DateSpan.parse(edtf).display() == shown
    assert parse_date(shown) == DateSpan.parse(edtf)
