"""Independent oracles for dates: bounds read from EDTF text by hand, days counted one by one.

They never call ``calendar.monthrange`` or the library's ``first_day``/``last_day``, so a
test that compares the library with them checks the library against a second derivation.
"""

from __future__ import annotations

import datetime as dt

from rnk_events import DateSpan, Precision

__all__ = ["PARTS", "count_days", "span_bounds", "text_bounds"]


def text_bounds(text: str) -> tuple[dt.date, dt.date]:
    """First and last day of an EDTF date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``), from its text."""
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        if month == 12:  # December has 31 days (and the next month may be past 9999)
            return dt.date(year, 12, 1), dt.date(year, 12, 31)
        return dt.date(year, month, 1), dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    (year,) = parts
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def span_bounds(span: DateSpan) -> tuple[dt.date, dt.date]:
    start_text, _, end_text = str(span).partition("/")
    return text_bounds(start_text)[0], text_bounds(end_text or start_text)[1]


def count_days(first: dt.date, last: dt.date) -> int:
    """Brute force: step through the calendar one day at a time."""
    count, day = 0, first
    while day <= last:
        count += 1
        if day == dt.date.max:
            break
        day += dt.timedelta(days=1)
    return count


#: Precision by how many parts the EDTF text has.
PARTS = {1: Precision.YEAR, 2: Precision.MONTH, 3: Precision.DAY}
