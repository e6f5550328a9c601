"""Imprecise dates, as EDTF says them: one date, an interval, or one date of a set.

Canonical text is EDTF level 1 (ISO 8601-2:2019) plus level 2's one-of sets;
:mod:`rnk_events.dates.edtf` has the grammar. Each value keeps what its text
says and no more: ``2024-05`` is some day in May, ``[2024-06-10..2024-06-16]``
one day that week, ``2023-09/..`` from September 2023 on.
"""

from __future__ import annotations

from rnk_events.dates.display import AP_MONTHS, display_day
from rnk_events.dates.edtf import parse_edtf
from rnk_events.dates.natural import MONTH_NAMES, parse_date
from rnk_events.dates.parts import MAX_YEAR, MIN_YEAR, SEASONS, DateError, PartialDate, Precision, Qualifier
from rnk_events.dates.span import DateSpan, End, EventDate, SetMember

# Tracebacks, reprs and the docs name the public module, not the file a class happens to live in.
for _public in (DateError, DateSpan, End, PartialDate, Precision, Qualifier, SetMember):
    _public.__module__ = __name__

__all__ = [
    "AP_MONTHS",
    "MAX_YEAR",
    "MIN_YEAR",
    "MONTH_NAMES",
    "SEASONS",
    "DateError",
    "DateSpan",
    "End",
    "EventDate",
    "PartialDate",
    "Precision",
    "Qualifier",
    "SetMember",
    "display_day",
    "parse_date",
    "parse_edtf",
]
