"""The ``date`` and derived cells of the commonest dates, built straight from their parts, for a whole table.

A plain day, month or year (unqualified, nothing unknown, not a season), and
an interval from one plain day to another, are most events' dates; building
their cells here skips :meth:`~rnk_events.dates.DateSpan.display`, the bounds'
date objects and the canonical text's general path. :func:`rnk_events.rows.derived_cells`
stays the definition: ``tests/test_csv_speed_paths.py`` holds the two equal for
every date of the grammar, and every other date returns None, for the plain path.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence

from rnk_events.dates import AP_MONTHS, DateSpan, End, PartialDate, Qualifier

__all__ = ["plain_date_cells"]


def plain_date_cells(span: DateSpan, month_names: Sequence[str] | None = None) -> list[str] | None:
    """``date`` and the derived cells of a plain day, month or year, or of two plain days' interval, else None.

    Plain: unqualified, nothing unknown, not a season. The list is
    ``[date, *derived_cells(span).values()]``, in :data:`rnk_events.rows.HEADER` order.
    ``month_names`` is ``calendar.month_name`` copied once for a whole table
    (each look-up there formats a date with ``strftime``); read afresh when None.
    """
    start, end = span.start, span.end
    if end is not None:
        return _interval_cells(start, end)
    if span.members or not isinstance(start, PartialDate):
        return None
    if start.qualifier is not Qualifier.NONE or not start.is_plain:
        return None
    year, month, day = f"{start.year:04d}", start.month, start.day
    if month is None:
        return [year, year, f"{year}-01-01", f"{year}-12-31", "false", "year", ""]
    if day is None:
        text = f"{year}-{month:02d}"
        last = f"{text}-{calendar.monthrange(start.year, month)[1]:02d}"
        name = (calendar.month_name if month_names is None else month_names)[month]
        return [text, f"{name} {year}", f"{text}-01", last, "false", "month", ""]
    text = f"{year}-{month:02d}-{day:02d}"
    return [text, f"{AP_MONTHS[month - 1]} {day}, {year}", text, text, "false", "day", ""]


def _plain_day(date: PartialDate | End) -> bool:
    return isinstance(date, PartialDate) and date.day is not None and date.qualifier is Qualifier.NONE and date.is_plain


def _interval_cells(start: PartialDate | End, end: PartialDate | End) -> list[str] | None:
    """The cells of an interval from one plain day to another (a visit, a term), else None."""
    if not (_plain_day(start) and _plain_day(end)):
        return None
    assert isinstance(start, PartialDate)
    assert isinstance(end, PartialDate)
    assert start.month is not None  # a day has a month
    assert end.month is not None
    first = f"{start.year:04d}-{start.month:02d}-{start.day:02d}"
    last = f"{end.year:04d}-{end.month:02d}-{end.day:02d}"
    opening = f"{AP_MONTHS[start.month - 1]} {start.day}"
    closing = f"{AP_MONTHS[end.month - 1]} {end.day}, {end.year:04d}"
    if start.year != end.year:
        words = f"{opening}, {start.year:04d} - {closing}"
    elif start.month == end.month:
        words = f"{opening}-{end.day}, {end.year:04d}"
    else:
        words = f"{opening}-{closing}"
    return [f"{first}/{last}", words, first, last, "true", "day", ""]
