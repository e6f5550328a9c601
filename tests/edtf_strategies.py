"""Hypothesis strategies for the whole date grammar: every form, every qualifier, the calendar's edges."""

from __future__ import annotations

import calendar
import datetime as dt

from hypothesis import strategies as st

from rnk_events.dates import DateSpan, End, PartialDate, Qualifier, SetMember

__all__ = ["edtf_dates", "interval_ends", "intervals", "one_of_sets", "partial_dates", "plain_partial_dates"]

years = st.integers(min_value=1, max_value=9999)
qualifiers = st.sampled_from(list(Qualifier))


@st.composite
def _day_dates(draw: st.DrawFn, qualifier: st.SearchStrategy[Qualifier]) -> PartialDate:
    year = draw(years)
    month = draw(st.integers(1, 12))
    last = calendar.monthrange(year, month)[1]
    day = draw(st.one_of(st.just(last), st.just(1), st.integers(1, last)))  # month ends and leap days often
    return PartialDate(year, month, day, qualifier=draw(qualifier))


def partial_dates(qualifier: st.SearchStrategy[Qualifier] = qualifiers) -> st.SearchStrategy[PartialDate]:
    """One date of any precision: day, month, season, year, decade, century, unspecified parts."""
    return st.one_of(
        _day_dates(qualifier),
        st.builds(lambda y, m, q: PartialDate(y, m, qualifier=q), years, st.integers(1, 12), qualifier),
        st.builds(lambda y, q: PartialDate(y, qualifier=q), years, qualifier),
        st.builds(lambda y, s, q: PartialDate(y, s, qualifier=q), years, st.integers(21, 24), qualifier),
        st.builds(lambda d, q: PartialDate(d * 10, qualifier=q, year_digits_unknown=1), st.integers(0, 999), qualifier),
        st.builds(lambda c, q: PartialDate(c * 100, qualifier=q, year_digits_unknown=2), st.integers(0, 99), qualifier),
        st.builds(lambda y, q: PartialDate(y, qualifier=q, month_unknown=True), years, qualifier),
        st.builds(
            lambda y, m, q: PartialDate(y, m, qualifier=q, day_unknown=True), years, st.integers(1, 12), qualifier
        ),
        st.builds(lambda y, q: PartialDate(y, qualifier=q, month_unknown=True, day_unknown=True), years, qualifier),
    )


def plain_partial_dates() -> st.SearchStrategy[PartialDate]:
    return partial_dates(st.just(Qualifier.NONE))


interval_ends = st.one_of(partial_dates(), st.sampled_from(list(End)))


def _valid_interval(start: PartialDate | End, end: PartialDate | End) -> bool:
    if isinstance(start, End) or isinstance(end, End):
        return not (isinstance(start, End) and isinstance(end, End))
    same = (start.first_day, start.last_day) == (end.first_day, end.last_day)
    return not same and start.first_day <= end.first_day and start.last_day <= end.last_day


@st.composite
def intervals(draw: st.DrawFn) -> DateSpan:
    """A valid interval: two dates in order, or one date and an open or unknown end."""
    start, end = draw(interval_ends), draw(interval_ends)
    if isinstance(start, PartialDate) and isinstance(end, PartialDate) and end.first_day < start.first_day:
        start, end = end, start
    if not _valid_interval(start, end):
        start, end = draw(partial_dates()), draw(st.sampled_from(list(End)))
    return DateSpan(start, end)


@st.composite
def one_of_sets(draw: st.DrawFn) -> DateSpan:
    """A set of one or more ascending members (single dates and runs), at least two dates in all."""
    points = draw(st.lists(plain_partial_dates(), min_size=2, max_size=6))
    points.sort(key=lambda date: (date.first_day, date.last_day))
    chosen: list[PartialDate] = []
    for date in points:
        if not chosen or chosen[-1].last_day < date.first_day:
            chosen.append(date)
    if len(chosen) < 2:
        day = chosen[0].last_day
        if day >= dt.date(9999, 12, 31):
            chosen.insert(0, PartialDate.from_date(chosen[0].first_day - dt.timedelta(days=400)))
        else:
            chosen.append(
                PartialDate(9999, 12, 31) if day.year < 9999 else PartialDate.from_date(day + dt.timedelta(1))
            )
    members: list[SetMember] = []
    index = 0
    while index < len(chosen):
        if index + 1 < len(chosen) and draw(st.booleans()):
            members.append(SetMember(chosen[index], chosen[index + 1]))
            index += 2
        else:
            members.append(SetMember(chosen[index]))
            index += 1
    if len(members) == 1 and members[0].last is None:
        members = [SetMember(chosen[0]), SetMember(chosen[1])]
    return DateSpan.one_of(*members)


def edtf_dates() -> st.SearchStrategy[DateSpan]:
    """Any date of the grammar."""
    return st.one_of(partial_dates().map(DateSpan), intervals(), one_of_sets())
