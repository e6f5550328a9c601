"""Relative expressions resolve against the publication date with honest precision."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnk_events import DateError, Precision, resolve_relative

MONDAY = dt.date(2024, 6, 17)  # the sources' publication day


@pytest.mark.parametrize(
    ("text", "tense", "edtf"),
    [
        ("last month", "past", "2024-05"),
        ("last week", "past", "[2024-06-10..2024-06-16]"),
        ("this week", "past", "[2024-06-17..2024-06-23]"),
        ("on Friday", "past", "2024-06-14"),
        ("Friday", "past", "2024-06-14"),
        ("on Tuesday", "future", "2024-06-18"),
        ("on Monday", "past", "2024-06-10"),
        ("next Tuesday", "past", "2024-06-18"),
        ("last Tuesday", "future", "2024-06-11"),
        ("earlier this year", "past", "[2024-01-01..2024-06-16]"),
        ("later this year", "past", "[2024-06-18..2024-12-31]"),
        ("tomorrow", "past", "2024-06-18"),
        ("yesterday", "past", "2024-06-16"),
        ("today", "past", "2024-06-17"),
        ("last September", "past", "2023-09"),
        ("last June", "past", "2023-06"),
        ("last May", "past", "2024-05"),
        ("in May", "past", "2024-05"),
        ("in June", "past", "2024-06"),
        ("in July", "past", "2023-07"),
        ("in January", "past", "2024-01"),
        ("next January", "past", "2025-01"),
        ("last year", "past", "2023"),
        ("this year", "past", "2024"),
        ("24 years ago", "past", "2000"),
        ("nine months ago", "past", None),
        ("  Last   Month ", "past", "2024-05"),
    ],
)
def test_resolves_against_publication(text: str, tense: str, edtf: str | None) -> None:
    if edtf is None:
        with pytest.raises(DateError):
            resolve_relative(text, MONDAY)
        return
    assert str(resolve_relative(text, MONDAY, tense=tense)) == edtf  # type: ignore[arg-type]


def test_last_month_crosses_the_year() -> None:
    assert str(resolve_relative("last month", dt.date(2024, 1, 15))) == "2023-12"


def test_precision_is_not_inflated() -> None:
    assert resolve_relative("last month", MONDAY).precision is Precision.MONTH
    assert resolve_relative("last year", MONDAY).precision is Precision.YEAR


@given(st.dates(min_value=dt.date(2, 1, 1), max_value=dt.date(9998, 12, 31)))
def test_past_expressions_lie_before_publication(published: dt.date) -> None:
    for text in ("yesterday", "last week", "last month", "on Friday", "last September", "last year"):
        span = resolve_relative(text, published)
        assert span.last_day < published, text
    week = resolve_relative("last week", published)
    assert week.days == 7
    assert week.first_day.weekday() == 0
    assert not week.is_range, "one day of that week, not a week-long event"


@given(st.dates(min_value=dt.date(2, 1, 1), max_value=dt.date(9998, 12, 31)))
def test_future_expressions_lie_after_publication(published: dt.date) -> None:
    for text in ("tomorrow", "next week", "next month", "next year"):
        assert resolve_relative(text, published).first_day > published, text
    tuesday = resolve_relative("on Tuesday", published, tense="future")
    assert tuesday.first_day.weekday() == 1
    assert 1 <= (tuesday.first_day - published).days <= 7


def test_unknown_expression_names_the_text() -> None:
    with pytest.raises(DateError, match="'a while back'"):
        resolve_relative("a while back", MONDAY)


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (dt.date(1, 1, 1), "today", "0001-01-01"),
        (dt.date(1, 1, 1), "yesterday", None),
        (dt.date(1, 1, 1), "last year", None),
        (dt.date(1, 6, 1), "next year", "0002"),
        (dt.date(9999, 1, 1), "today", "9999-01-01"),
        (dt.date(9999, 1, 1), "next year", None),
        (dt.date(9999, 12, 31), "tomorrow", None),
        (dt.date(9999, 12, 31), "yesterday", "9999-12-30"),
        (dt.date(2024, 6, 1), "99999999999 months ago", None),
    ],
)
def test_the_calendar_edges(published: dt.date, text: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(DateError, match=r"outside the years 1\.\.9999"):
            resolve_relative(text, published)
    else:
        assert str(resolve_relative(text, published)) == expected


def test_empty_periods_say_why() -> None:
    with pytest.raises(DateError, match="before 1 January"):
        resolve_relative("earlier this year", dt.date(2024, 1, 1))
    with pytest.raises(DateError, match="after 31 December"):
        resolve_relative("later this year", dt.date(2024, 12, 31))


@pytest.mark.parametrize(
    ("published", "expected"), [(dt.date(2024, 6, 12), "2024-06-14"), (dt.date(2024, 6, 16), "2024-06-14")]
)
def test_this_weekday_is_in_the_publication_week(published: dt.date, expected: str) -> None:
    assert str(resolve_relative("this Friday", published)) == expected
