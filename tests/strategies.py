"""Hypothesis strategies for dates, spans and events, shared by every test module."""

from __future__ import annotations

import calendar
import datetime as dt

from hypothesis import strategies as st

from rnk_events.actors import ORGANISATIONS, countries
from rnk_events.dates import DateSpan, PartialDate, Precision
from rnk_events.model import Category, Event, Place, SourceRef, Status, Withdrawal

__all__ = [
    "dated_event",
    "dated_events",
    "days",
    "event_lists",
    "events",
    "partial_dates",
    "places",
    "revisions",
    "slugs",
    "spans",
    "texts",
    "withdrawals",
]

years = st.integers(min_value=1, max_value=9999)

#: How a day-precision date picks its day: anywhere in the month, its last day (30, 31, or
#: 28/29 in February), or 29 February of a leap year; the last two are rare in a uniform draw.
_DAY_KINDS = ("any", "month-end", "leap-day")


def _leap_year_near(year: int, min_year: int, max_year: int) -> int | None:
    """A leap year in min_year..max_year, the nearest at or after ``year`` if any (else before)."""
    later = range(year, min(max_year, year + 8) + 1)
    earlier = range(year - 1, max(min_year, year - 8) - 1, -1)
    return next((candidate for candidate in (*later, *earlier) if calendar.isleap(candidate)), None)


@st.composite
def partial_dates(draw: st.DrawFn, min_year: int = 1, max_year: int = 9999) -> PartialDate:
    """A valid partial date of any precision; month ends and 29 February are drawn often."""
    year = draw(st.integers(min_value=min_year, max_value=max_year))
    precision = draw(st.sampled_from(Precision))
    if precision is Precision.YEAR:
        return PartialDate(year)
    kind = draw(st.sampled_from(_DAY_KINDS)) if precision is Precision.DAY else "any"
    leap_year = _leap_year_near(year, min_year, max_year) if kind == "leap-day" else None
    if leap_year is not None:
        return PartialDate(leap_year, 2, 29)
    month = draw(st.integers(min_value=1, max_value=12))
    if precision is Precision.MONTH:
        return PartialDate(year, month)
    days_in_month = calendar.monthrange(year, month)[1]
    if kind == "any":
        return PartialDate(year, month, draw(st.integers(min_value=1, max_value=days_in_month)))
    return PartialDate(year, month, days_in_month)


def _valid_end(start: PartialDate, end: PartialDate) -> bool:
    return end != start and end.first_day >= start.first_day and end.last_day >= start.last_day


@st.composite
def spans(draw: st.DrawFn, min_year: int = 1, max_year: int = 9999) -> DateSpan:
    """A valid span: a single partial date, or a start and a different end that does not precede it."""
    start = draw(partial_dates(min_year, max_year))
    if not draw(st.booleans()):
        return DateSpan(start)
    end = draw(partial_dates(start.year, min(max_year, start.year + draw(st.sampled_from([0, 1, 5, 100])))))
    if not _valid_end(start, end):
        return DateSpan(start)
    return DateSpan(start, end)


days = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))

#: Non-empty text without leading/trailing whitespace; unicode, quotes, commas, newlines,
#: separators and formula-like starts included, surrogates and NUL excluded.
texts = (
    (
        st.text(
            alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
            min_size=1,
            max_size=40,
        )
        | st.sampled_from(["=1+1", "+CMD", "-3", "@SUM(A1)", "'quoted", 'a "quote", comma', "line\nbreak", "a|b;c\\d"])
    )
    .map(str.strip)
    .filter(bool)
)

slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)
actor_codes = st.sampled_from(sorted(countries()) + sorted(ORGANISATIONS))
coordinates = st.one_of(
    st.tuples(st.none(), st.none()),
    st.tuples(
        st.floats(min_value=-90, max_value=90, allow_nan=False),
        st.floats(min_value=-180, max_value=180, allow_nan=False),
    ),
)


@st.composite
def places(draw: st.DrawFn) -> Place:
    lat, lon = draw(coordinates)
    country = draw(st.none() | st.sampled_from(sorted(countries())))
    return Place(name=draw(texts), country=country, lat=lat, lon=lon)


source_refs = st.builds(SourceRef, source=slugs, evidence=texts)


#: An event's (revision, revised): as first published (0, None), or revised on some day.
revisions = st.just((0, None)) | st.tuples(st.integers(min_value=1, max_value=50), days)


@st.composite
def events(draw: st.DrawFn, min_year: int = 1, max_year: int = 9999) -> Event:
    """An arbitrary valid event, as first published or revised."""
    revision, revised = draw(revisions)
    return Event(
        id=draw(slugs),
        date=draw(spans(min_year, max_year)),
        title=draw(texts),
        summary=draw(texts),
        category=draw(st.sampled_from(Category)),
        status=draw(st.sampled_from(Status)),
        actors=draw(st.lists(actor_codes, max_size=3, unique=True)),
        people=draw(st.lists(texts, max_size=3, unique=True)),
        places=draw(st.lists(places(), max_size=2)),
        sources=draw(st.lists(source_refs, min_size=1, max_size=3)),
        note=draw(st.just("") | texts),
        revision=revision,
        revised=revised,
    )


@st.composite
def withdrawals(draw: st.DrawFn, min_year: int = 1, max_year: int = 9999) -> Withdrawal:
    """An arbitrary valid withdrawal, with or without a replacement."""
    withdrawn_id = draw(slugs)
    replacement = draw(st.none() | slugs.filter(lambda other: other != withdrawn_id))
    return Withdrawal(
        id=withdrawn_id,
        reason=draw(texts),
        withdrawn=draw(days),
        replaced_by=replacement,
        date=draw(spans(min_year, max_year)),
        title=draw(texts),
        revision=draw(st.integers(min_value=0, max_value=50)),
    )


def event_lists(min_year: int = 1, max_year: int = 9999, max_size: int = 8) -> st.SearchStrategy[list[Event]]:
    """Events with unique ids."""
    return st.lists(events(min_year, max_year), max_size=max_size, unique_by=lambda event: event.id)


def dated_event(number: int, span: DateSpan) -> Event:
    """An event that differs from others only in its id (``e<number>``) and date: cheap, for date queries."""
    return Event(
        id=f"e{number}",
        date=span,
        title="t",
        summary="s",
        category=Category.DIPLOMACY,
        status=Status.HAPPENED,
        actors=(),
        sources=(SourceRef("s", "e"),),
    )


def dated_events(min_year: int = 1, max_year: int = 9999, max_size: int = 8) -> st.SearchStrategy[list[Event]]:
    """Events that differ only in their dates (ids e0, e1, ...): cheap, for tests of date queries."""
    return st.lists(spans(min_year, max_year), max_size=max_size).map(
        lambda items: [dated_event(number, span) for number, span in enumerate(items)]
    )
