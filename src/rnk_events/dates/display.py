"""Dates in words, AP style, so that a story can quote them and :func:`parse_date` reads them back.

A point is never written as a duration: ``[2024-06-10..2024-06-16]`` is "one
day between June 10 and 16, 2024", not "June 10-16, 2024", which is how an
interval that lasted the week is written.
"""

from __future__ import annotations

import calendar
import datetime as dt

from rnk_events.dates.parts import SEASONS, PartialDate, Precision, Qualifier
from rnk_events.dates.span import DateSpan, End, SetMember

__all__ = ["AP_MONTHS", "display_day", "display_partial", "display_span"]

AP_MONTHS = (
    "Jan.", "Feb.", "March", "April", "May", "June",
    "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
)  # fmt: skip

#: How a qualifier is said: before the date, in the order "perhaps c. May 2024".
_QUALIFIER_WORDS = {
    Qualifier.NONE: "",
    Qualifier.APPROXIMATE: "c. ",
    Qualifier.UNCERTAIN: "perhaps ",
    Qualifier.BOTH: "perhaps c. ",
}


def display_day(day: dt.date) -> str:
    """A day as a news story writes it: "June 17, 2024"."""
    return f"{AP_MONTHS[day.month - 1]} {day.day}, {day.year:04d}"


def _plain(date: PartialDate) -> str:
    """The date's words without its qualifier."""
    year = f"{date.year:04d}"
    if date.year_digits_unknown == 1:
        return f"the {year}s decade" if date.year % 100 == 0 else f"the {year}s"  # "the 1900s" alone says century
    if date.year_digits_unknown == 2:
        return f"an unknown year of the {year}s"
    if date.month_unknown:
        return f"an unknown day of {year}" if date.day_unknown else f"an unknown month of {year}"
    if date.month is None:
        return year
    if date.month in SEASONS:
        return f"{SEASONS[date.month][0]} {year}"
    month = calendar.month_name[date.month]
    if date.day_unknown:
        return f"an unknown day of {month} {year}"
    if date.day is None:
        return f"{month} {year}"
    return f"{AP_MONTHS[date.month - 1]} {date.day}, {year}"


def display_partial(date: PartialDate) -> str:
    """One date in words: "May 2024", "c. May 2024", "perhaps 2024", "the 1950s", "spring 2024"."""
    return _QUALIFIER_WORDS[date.qualifier] + _plain(date)


def _is_plain_day(date: PartialDate) -> bool:
    return date.precision is Precision.DAY and not date.day_unknown and date.qualifier is Qualifier.NONE


def _day_pair(first: PartialDate, last: PartialDate, joiner: str) -> str | None:
    """Two days of one year in the compact AP form: "June 10-16, 2024", "May 30 and June 2, 2024"."""
    if not (_is_plain_day(first) and _is_plain_day(last)) or first.year != last.year:
        return None
    assert first.month is not None
    assert last.month is not None
    if first.month == last.month:
        return f"{AP_MONTHS[first.month - 1]} {first.day}{joiner}{last.day}, {last.year:04d}"
    return f"{AP_MONTHS[first.month - 1]} {first.day}{joiner}{AP_MONTHS[last.month - 1]} {last.day}, {last.year:04d}"


def _interval(start: PartialDate | End, end: PartialDate | End) -> str:
    if end is End.OPEN:
        assert isinstance(start, PartialDate)
        return f"since {display_partial(start)}"
    if start is End.OPEN:
        assert isinstance(end, PartialDate)
        return f"until {display_partial(end)}"
    if end is End.UNKNOWN:
        assert isinstance(start, PartialDate)
        return f"from {display_partial(start)}, end unknown"
    if start is End.UNKNOWN:
        assert isinstance(end, PartialDate)
        return f"until {display_partial(end)}, start unknown"
    return _day_pair(start, end, "-") or f"{display_partial(start)} - {display_partial(end)}"


def _run(member: SetMember) -> str:
    """A run of dates of which the event took one: "one day between June 10 and 16, 2024"."""
    first, last = member.first, member.last
    assert last is not None
    if _is_plain_day(first) and _is_plain_day(last):
        compact = _day_pair(first, last, " and ")
        between = compact or f"{display_partial(first)} and {display_partial(last)}"
        return f"one day between {between}"
    plain_month = first.precision is Precision.MONTH and not first.month_unknown and first.season is None
    if plain_month and first.year == last.year and first.month is not None:
        return f"some time between {calendar.month_name[first.month]} and {display_partial(last)}"  # one year
    return f"some time between {display_partial(first)} and {display_partial(last)}"


def _joined(words: list[str]) -> str:
    """ "A, B or C"; with " or " throughout when an item has a comma of its own."""
    if any("," in word for word in words):
        return " or ".join(words)
    return f"{', '.join(words[:-1])} or {words[-1]}"  # two words: "A or B"


def _listed(dates: list[PartialDate]) -> str:
    """Single dates of which the event took one: "May 16 or 17, 2024", "2019, 2020 or 2021"."""
    first, *_ = dates
    if all(_is_plain_day(date) and date.year == first.year for date in dates):
        if all(date.month == first.month for date in dates):
            assert first.month is not None
            days = [str(date.day) for date in dates]
            return f"{AP_MONTHS[first.month - 1]} {_joined(days)}, {first.year:04d}"
        days = [f"{AP_MONTHS[date.month - 1]} {date.day}" for date in dates if date.month is not None]
        return f"{_joined(days)}, {first.year:04d}"
    return _joined([display_partial(date) for date in dates])


def _one_of(members: tuple[SetMember, ...]) -> str:
    if all(member.last is None for member in members):
        return _listed([member.first for member in members])
    return " or ".join(_run(member) if member.last is not None else display_partial(member.first) for member in members)


def display_span(span: DateSpan) -> str:
    """Any date of the grammar in words that :func:`parse_date` reads back to the same date."""
    if span.members:
        return _one_of(span.members)
    if span.end is None:
        assert isinstance(span.start, PartialDate)
        return display_partial(span.start)
    return _interval(span.start, span.end)
