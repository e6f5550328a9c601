"""Resolve relative time expressions ("last month", "on Friday") against a publication date.

News copy dates things relative to the day it was written. Resolving such an
expression must not claim more than the text says: "last month" is a month;
"last week" is one day, unknown, of the previous Monday-to-Sunday week
(``[2024-06-10..2024-06-16]``), not a week-long event; "earlier this year" is
one day between 1 January and the day before publication.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from typing import Literal

from dateutil.relativedelta import relativedelta

from rnk_events.dates import MAX_YEAR, MIN_YEAR, MONTH_NAMES, DateError, DateSpan, PartialDate, SetMember

__all__ = ["Tense", "resolve_relative"]

Tense = Literal["past", "future"]
"""Which way a bare weekday ("on Friday") points from the publication date.

``"past"`` is the last such day before it, ``"future"`` the next one after it.
"""

_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}


class _Empty(Exception):
    """The phrase names no day at all as of this publication date ("earlier this year" on 1 January)."""


def _month(day: dt.date) -> DateSpan:
    return DateSpan(PartialDate(day.year, day.month))


def _days(first: dt.date, last: dt.date) -> DateSpan:
    """A day, or one unknown day of an inclusive run of days (a point, never a duration)."""
    if last == first:
        return DateSpan(PartialDate.from_date(first))
    return DateSpan.one_of(SetMember(PartialDate.from_date(first), PartialDate.from_date(last)))


def _weekday(published: dt.date, weekday: int, tense: Tense) -> dt.date:
    """The nearest such weekday strictly before (past) or after (future) publication."""
    if tense == "past":
        return published - dt.timedelta(days=(published.weekday() - weekday - 1) % 7 + 1)
    return published + dt.timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)


def _named_month(published: dt.date, month: int, which: str) -> DateSpan:
    """'last September' is the latest September before this month; 'in May' may be this one."""
    year = published.year
    if which == "last" and month >= published.month:
        year -= 1
    elif which == "next" and month <= published.month:
        year += 1
    elif which == "in" and month > published.month:
        year -= 1
    return DateSpan(PartialDate(year, month))


def resolve_relative(text: str, published: dt.date, *, tense: Tense = "past") -> DateSpan:
    """Resolve a relative expression as of ``published``.

    ``tense`` decides whether a bare weekday ("on Friday") is the last one
    before publication or the next one after it; explicit "last"/"next" win.

    >>> str(resolve_relative("last month", dt.date(2024, 6, 17)))
    '2024-05'
    """
    phrase = re.sub(r"\s+", " ", text.strip().lower())
    phrase = re.sub(r"^(on|in|during) (?=(last|next|this) )", "", phrase)
    try:
        span = _resolve(phrase, published, tense)
    except _Empty as error:
        raise DateError(text, str(error)) from None
    except (OverflowError, ValueError):  # the calendar ran out (before year 1 or after 9999); DateError too
        reason = f"falls outside the years {MIN_YEAR}..{MAX_YEAR} when resolved against {published}"
        raise DateError(text, reason) from None
    if span is None:
        raise DateError(text, "not a relative date expression this library resolves")
    return span


def _resolve(phrase: str, published: dt.date, tense: Tense) -> DateSpan | None:
    """The span for a normalised phrase, or None when the phrase is not one this module knows."""
    one_day = dt.timedelta(days=1)
    monday = published - dt.timedelta(days=published.weekday())
    fixed: dict[str, Callable[[], DateSpan]] = {
        "today": lambda: _days(published, published),
        "yesterday": lambda: _days(published - one_day, published - one_day),
        "tomorrow": lambda: _days(published + one_day, published + one_day),
        "this week": lambda: _days(monday, monday + 6 * one_day),
        "last week": lambda: _days(monday - 7 * one_day, monday - one_day),
        "next week": lambda: _days(monday + 7 * one_day, monday + 13 * one_day),
        "this month": lambda: _month(published),
        "last month": lambda: _month(published - relativedelta(months=1)),
        "next month": lambda: _month(published + relativedelta(months=1)),
        "this year": lambda: DateSpan(PartialDate(published.year)),
        "last year": lambda: DateSpan(PartialDate(published.year - 1)),
        "next year": lambda: DateSpan(PartialDate(published.year + 1)),
    }
    if phrase in fixed:
        return fixed[phrase]()
    if phrase == "earlier this year":
        if published.month == 1 and published.day == 1:
            raise _Empty("nothing of the year lies before 1 January")
        return _days(dt.date(published.year, 1, 1), published - one_day)
    if phrase == "later this year":
        if published.month == 12 and published.day == 31:
            raise _Empty("nothing of the year lies after 31 December")
        return _days(published + one_day, dt.date(published.year, 12, 31))
    match = re.fullmatch(r"(?:(on|last|next|this) )?(\w+)", phrase)
    if match and match.group(2) in _WEEKDAYS:
        which, weekday = match.group(1), _WEEKDAYS[match.group(2)]
        if which == "this":  # the one in the publication's own Monday-to-Sunday week
            day = monday + dt.timedelta(days=weekday)
        else:
            direction: Tense = "past" if which == "last" else "future" if which == "next" else tense
            day = _weekday(published, weekday, direction)
        return _days(day, day)
    match = re.fullmatch(r"(last|next|in) (\w+)\.?", phrase)
    if match and match.group(2) in MONTH_NAMES:
        return _named_month(published, MONTH_NAMES[match.group(2)], match.group(1))
    match = re.fullmatch(r"(\d+) (year|month)s? ago", phrase, re.ASCII)
    if match:
        amount = int(match.group(1))
        if match.group(2) == "year":
            return DateSpan(PartialDate(published.year - amount))
        return _month(published - relativedelta(months=amount))
    return None
