"""Date properties checked against the oracles of tests/oracles.py, not against :mod:`rnk_events.dates`.

The oracle reads a date's bounds straight from its EDTF text: a year runs from 1 January
to 31 December, a month from its 1st to the day before the next month's 1st, a day is
itself. It never calls ``calendar.monthrange`` or the library's ``first_day``/``last_day``.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnk_events import DateSpan, PartialDate, Precision
from tests.oracles import PARTS, count_days, span_bounds, text_bounds
from tests.strategies import partial_dates, spans


def test_the_oracle_itself() -> None:
    assert text_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert text_bounds("1900-02") == (dt.date(1900, 2, 1), dt.date(1900, 2, 28))
    assert text_bounds("9999-12") == (dt.date(9999, 12, 1), dt.date(9999, 12, 31))
    assert count_days(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == 366
    assert count_days(dt.date(9999, 12, 31), dt.date.max) == 1


# --- PartialDate ordering -----------------------------------------------------------


@given(partial_dates())
def test_partial_date_bounds_agree_with_the_text(date: PartialDate) -> None:
    assert (date.first_day, date.last_day) == text_bounds(str(date))
    assert date.precision is PARTS[len(str(date).split("-"))]


@given(partial_dates(), partial_dates())
def test_partial_date_ordering_is_total_and_follows_the_bounds(a: PartialDate, b: PartialDate) -> None:
    # A partial date is fixed by its bounds, so ordering them by (first day, last day) is a total order.
    key_a, key_b = text_bounds(str(a)), text_bounds(str(b))
    assert (a < b) + (b < a) + (a == b) == 1
    assert (a == b) == (key_a == key_b) == (str(a) == str(b))
    assert (a < b) == (key_a < key_b)
    assert (a <= b) == (key_a <= key_b)
    assert (a > b) == (key_a > key_b)
    assert (a >= b) == (key_a >= key_b)
    assert not a < a
    assert a <= a


@given(partial_dates(2000, 2003), partial_dates(2000, 2003))
def test_partial_date_ordering_on_crowded_dates(a: PartialDate, b: PartialDate) -> None:
    """Few years, so equal first days with different last days (2024 vs 2024-01) come up."""
    key_a, key_b = text_bounds(str(a)), text_bounds(str(b))
    assert (a < b) == (key_a < key_b)
    assert (b < a) == (key_b < key_a)


@given(st.lists(partial_dates(1999, 2001), max_size=12))
def test_sorted_partial_dates_follow_first_then_last_day(items: list[PartialDate]) -> None:
    ordered = sorted(items)
    assert [text_bounds(str(date)) for date in ordered] == sorted(text_bounds(str(date)) for date in items)
    for earlier, later in itertools.pairwise(ordered):
        assert earlier <= later


@pytest.mark.parametrize(
    "chronological",
    [
        ["2024-01-01", "2024-01", "2024"],  # one first day, three last days
        ["2023-12-31", "2024-01-01", "2024", "2024-01-31", "2024-02"],
    ],
)
def test_partial_date_ordering_examples(chronological: list[str]) -> None:
    # Worked by hand: equal first days order by last day, earliest first.
    # 2024-01-01 (ends 1 Jan) < 2024-01 (ends 31 Jan) < 2024 (ends 31 Dec).
    dates = [PartialDate.parse(text) for text in chronological]
    assert sorted(dates, key=lambda date: text_bounds(str(date))) == dates
    assert sorted([dates[-1], *dates[:-1]]) == dates
    assert sorted(dates[1::2] + dates[::2]) == dates


def test_partial_date_ordering_by_hand() -> None:
    day, month, year = PartialDate.parse("2024-01-01"), PartialDate.parse("2024-01"), PartialDate.parse("2024")
    assert day < month < year
    assert sorted([year, day, month]) == [day, month, year]
    assert PartialDate.parse("2023-12-31") < day
    assert year < PartialDate.parse("2024-01-02")  # a later first day wins over an earlier last day


def test_partial_dates_do_not_compare_with_other_types() -> None:
    with pytest.raises(TypeError):
        _ = PartialDate(2024) < dt.date(2024, 1, 1)
    with pytest.raises(TypeError):
        _ = PartialDate(2024) < DateSpan.parse("2024")
    text: object = "2024"
    assert PartialDate(2024) != text


# --- DateSpan ordering, precision and length ------------------------------------------


@given(spans(), spans())
def test_span_ordering_follows_the_bounds_then_the_text(a: DateSpan, b: DateSpan) -> None:
    key_a, key_b = (*span_bounds(a), str(a)), (*span_bounds(b), str(b))
    assert (a < b) == (key_a < key_b)
    assert (a <= b) == (key_a <= key_b)
    assert (a > b) == (key_a > key_b)
    assert (a == b) == (key_a == key_b)


def test_spans_do_not_compare_with_other_types() -> None:
    with pytest.raises(TypeError):
        _ = DateSpan.parse("2024") < PartialDate(2024)


@given(spans())
def test_span_precision_is_the_coarser_end(span: DateSpan) -> None:
    ends = str(span).split("/")
    expected = PARTS[min(len(end.split("-")) for end in ends)]
    assert span.precision is expected


@pytest.mark.parametrize(
    ("text", "precision"),
    [
        ("2006/2017-03-01", Precision.YEAR),  # coarse start
        ("2024-05-10/2025", Precision.YEAR),  # coarse end
        ("2024-05-10/2024-06", Precision.MONTH),
        ("2024-05/2024-06-30", Precision.MONTH),
        ("2024-05-10/2024-05-12", Precision.DAY),
        ("2023/2024", Precision.YEAR),
        ("2024-05", Precision.MONTH),
    ],
)
def test_span_precision_examples(text: str, precision: Precision) -> None:
    assert DateSpan.parse(text).precision is precision


@given(spans(2000, 2003))
def test_days_is_a_brute_force_count(span: DateSpan) -> None:
    first, last = span_bounds(span)
    assert (span.first_day, span.last_day) == (first, last)
    assert span.days == count_days(first, last)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("2024", 366),
        ("2023", 365),
        ("1900", 365),  # not a leap year: divisible by 100
        ("2000", 366),  # a leap year: divisible by 400
        ("2024-02", 29),
        ("2023-02", 28),
        ("2024-05-16", 1),
        ("2024-05-16/2024-05-17", 2),
        ("2024-03-30/2024-04-02", 4),  # 30, 31 March, 1, 2 April
        ("2023-09/2024-06", 304),  # 30+31+30+31 (Sep-Dec) + 31+29+31+30+31+30 (Jan-Jun, leap)
        ("9999-12-31", 1),
        ("0001", 365),
    ],
)
def test_days_examples(text: str, days: int) -> None:
    assert DateSpan.parse(text).days == days


@given(spans(1, 9999))
def test_days_anywhere_in_the_calendar(span: DateSpan) -> None:
    """Across the whole calendar, by ordinal count (brute force is too slow for 9,999 years)."""
    first, last = span_bounds(span)
    assert span.days == last.toordinal() - first.toordinal() + 1
