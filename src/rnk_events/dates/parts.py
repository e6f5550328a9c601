"""One written date: a year, month or day, a season, a decade or century, perhaps qualified.

A :class:`PartialDate` says no more than its text: ``2024-05`` is some day in
May 2024, ``195X`` some time in the 1950s, ``2024-05~`` about May 2024. Its
strict bounds (:attr:`~PartialDate.first_day`, :attr:`~PartialDate.last_day`)
are the days the text covers; its padded bounds widen an approximate or
uncertain date by one unit of its precision on each side (two for ``%``),
which is python-edtf's default, for "possibly" matches.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools

import attrs
from dateutil.relativedelta import relativedelta

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "SEASONS",
    "DateError",
    "PartialDate",
    "Precision",
    "Qualifier",
]

MIN_YEAR = 1
MAX_YEAR = 9999

#: Season codes (EDTF level 1) and the months each covers, northern-hemisphere meteorological seasons.
#: Winter runs from December of its year to the end of February of the next.
SEASONS: dict[int, tuple[str, int, int]] = {
    21: ("spring", 3, 5),
    22: ("summer", 6, 8),
    23: ("autumn", 9, 11),
    24: ("winter", 12, 14),  # months 13 and 14 are January and February of the next year
}


class DateError(ValueError):
    """Text that is not a date the library understands, or an impossible date; ``reason`` says why."""

    def __init__(self, text: str, reason: str) -> None:
        shown = text if len(text) <= 80 else f"{text[:79]}… ({len(text):,} characters)"
        super().__init__(f"{shown!r} is not a valid date: {reason}")
        self.text = text
        self.reason = reason


class Precision(enum.Enum):
    """The unit a date is written to, coarsest first."""

    CENTURY = "century"
    DECADE = "decade"
    YEAR = "year"
    SEASON = "season"
    MONTH = "month"
    DAY = "day"

    @property
    def rank(self) -> int:
        """0 for the coarsest (century), 5 for day: for finding the coarsest of several dates."""
        return _PRECISION_ORDER.index(self)


_PRECISION_ORDER = tuple(Precision)


class Qualifier(enum.Enum):
    """EDTF's qualifiers on a whole date: none, ``?`` uncertain, ``~`` approximate, ``%`` both."""

    NONE = ""
    UNCERTAIN = "?"
    APPROXIMATE = "~"
    BOTH = "%"

    @property
    def is_uncertain(self) -> bool:
        return self in (Qualifier.UNCERTAIN, Qualifier.BOTH)

    @property
    def is_approximate(self) -> bool:
        return self in (Qualifier.APPROXIMATE, Qualifier.BOTH)

    @property
    def padding(self) -> int:
        """How many units of precision the padded bounds add on each side."""
        return {Qualifier.NONE: 0, Qualifier.UNCERTAIN: 1, Qualifier.APPROXIMATE: 1, Qualifier.BOTH: 2}[self]

    @classmethod
    def combine(cls, qualifiers: tuple[Qualifier, ...]) -> Qualifier:
        """The qualifier that says what all of these say together."""
        uncertain = any(q.is_uncertain for q in qualifiers)
        approximate = any(q.is_approximate for q in qualifiers)
        if uncertain and approximate:
            return cls.BOTH
        return cls.UNCERTAIN if uncertain else cls.APPROXIMATE if approximate else cls.NONE


_UNIT: dict[Precision, relativedelta] = {
    Precision.DAY: relativedelta(days=1),
    Precision.MONTH: relativedelta(months=1),
    Precision.SEASON: relativedelta(months=3),
    Precision.YEAR: relativedelta(years=1),
    Precision.DECADE: relativedelta(years=10),
    Precision.CENTURY: relativedelta(years=100),
}


def _shifted(day: dt.date, delta: relativedelta, end: dt.date) -> dt.date:
    """``day + delta``, held at the calendar's ``end`` (the end it moves towards) instead of overflowing."""
    try:
        return day + delta
    except (OverflowError, ValueError):
        return end


def _two_digits(value: object) -> str:
    """A month or day as EDTF writes it; a wrong-typed value as itself, for the refusal that names it."""
    return f"{value:02d}" if isinstance(value, int) else repr(value)


def validate_parts(year: int, month: int | None, day: int | None) -> str | None:
    """Why the parts make no calendar date (a season counts as a month here), or None when they do."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"the year {year} is out of range (years run from {MIN_YEAR:04d} to {MAX_YEAR})"
    if month is None:
        return None if day is None else "a day needs a month"
    if month in SEASONS:
        return None if day is None else "a season has no days"
    if not 1 <= month <= 12:
        return f"month {month} is outside 1..12 (seasons are 21-24)"
    if day is not None:
        days_in_month = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days_in_month:
            return f"day {day} is outside 1..{days_in_month} for {year:04d}-{month:02d}"
    return None


def _check(instance: PartialDate, _attribute: object, _value: object) -> None:
    reason = instance._problem()
    if reason is not None:
        raise DateError(instance._text(), reason)


@functools.total_ordering
@attrs.frozen(order=False)
class PartialDate:
    """A date known to the day, month, season, year, decade or century, possibly qualified.

    ``year`` is the first year the date can be in (1950 for ``195X``);
    ``year_digits_unknown`` counts its trailing ``X`` digits (1 for a decade,
    2 for a century). ``month`` is 1-12 or a season code 21-24.
    ``month_unknown``/``day_unknown`` mark ``XX`` in those places
    (``2024-XX``: some month of 2024). ``qualifier`` applies to the whole date.
    """

    year: int = attrs.field(validator=attrs.validators.instance_of(int))
    month: int | None = attrs.field(default=None)
    day: int | None = attrs.field(default=None)
    qualifier: Qualifier = attrs.field(default=Qualifier.NONE, converter=Qualifier, kw_only=True)
    year_digits_unknown: int = attrs.field(default=0, kw_only=True)
    month_unknown: bool = attrs.field(default=False, kw_only=True)
    day_unknown: bool = attrs.field(default=False, kw_only=True, validator=_check)

    def _problem(self) -> str | None:
        for name, value in (("month", self.month), ("day", self.day)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                return f"the {name} must be a whole number, got {type(value).__name__}"
        if self.year_digits_unknown not in (0, 1, 2):
            return "only the last one or two digits of a year can be X (195X, 19XX)"
        if self.year_digits_unknown and (self.month is not None or self.day is not None):
            return "a year with X digits takes no month or day (that is EDTF level 2)"
        if self.year_digits_unknown and self.year % 10**self.year_digits_unknown:
            return "a year with X digits must be stored as its first year (1950 for 195X)"
        if self.month_unknown and (self.month is not None or (self.day is not None and not self.day_unknown)):
            return "an unknown month (XX) takes no month number, and only an unknown day (XX)"
        if self.day_unknown and (self.day is not None or (self.month is None and not self.month_unknown)):
            return "an unknown day (XX) needs a month (or XX) and no day number"
        if self.month_unknown or self.day_unknown:  # no day number is left by now
            if self.month in SEASONS:
                return "a season has no days"
            return validate_parts(self.year, self.month, None)
        low_year = max(self.year, MIN_YEAR) if self.year_digits_unknown else self.year
        return validate_parts(low_year, self.month, self.day)

    # --- what it says ------------------------------------------------------------------------

    @classmethod
    def from_date(cls, day: dt.date) -> PartialDate:
        """The day-precision date of a :class:`datetime.date`."""
        return cls(day.year, day.month, day.day)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse one EDTF date (``2024``, ``2024-05~``, ``195X``, ``2024-21``, ``2024-05-XX``)."""
        from rnk_events.dates.edtf import parse_single

        return parse_single(text)

    @property
    def season(self) -> int | None:
        """The season code 21-24, or None when the date is not a season."""
        return self.month if self.month in SEASONS else None

    @property
    def precision(self) -> Precision:
        if self.year_digits_unknown:
            return Precision.CENTURY if self.year_digits_unknown == 2 else Precision.DECADE
        if self.day is not None or self.day_unknown:
            return Precision.DAY
        if self.month_unknown:
            return Precision.MONTH
        if self.month is None:
            return Precision.YEAR
        return Precision.SEASON if self.month in SEASONS else Precision.MONTH

    @property
    def is_plain(self) -> bool:
        """A year, a month or a day, with no digit or part unknown and no season (a qualifier aside).

        Its ``year``, ``month`` and ``day`` are then exactly what it says, so
        exports can write them without working out its first and last days.
        """
        return not (self.year_digits_unknown or self.month_unknown or self.day_unknown) and self.month not in SEASONS

    @property
    def is_exact(self) -> bool:
        """Known to the day, with nothing unknown and no qualifier."""
        return self.day is not None and self.qualifier is Qualifier.NONE

    # --- bounds ------------------------------------------------------------------------------

    @property
    def first_day(self) -> dt.date:
        """The earliest day the text covers."""
        year = max(self.year, MIN_YEAR)
        if self.month in SEASONS:
            return dt.date(year, SEASONS[self.month][1], 1)
        return dt.date(year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """The latest day the text covers."""
        if self.year_digits_unknown:
            return dt.date(self.year + 10**self.year_digits_unknown - 1, 12, 31)
        if self.day is not None:
            return self.first_day
        if self.month in SEASONS:
            last_month = SEASONS[self.month][2]
            year, month = self.year + (last_month - 1) // 12, (last_month - 1) % 12 + 1
            if year > MAX_YEAR:
                return dt.date.max
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def padded_first_day(self) -> dt.date:
        """The first day it may be on, counting its qualifier: one unit of precision earlier (two for ``%``)."""
        steps = self.qualifier.padding
        return _shifted(self.first_day, -steps * _UNIT[self.precision], dt.date.min) if steps else self.first_day

    @property
    def padded_last_day(self) -> dt.date:
        """The last day it may be on, counting its qualifier: one unit of precision later (two for ``%``)."""
        steps = self.qualifier.padding
        return _shifted(self.last_day, steps * _UNIT[self.precision], dt.date.max) if steps else self.last_day

    @property
    def days(self) -> int:
        """How many days the text covers."""
        return (self.last_day - self.first_day).days + 1

    def unqualified(self) -> PartialDate:
        """The same date without its qualifier."""
        return attrs.evolve(self, qualifier=Qualifier.NONE)

    # --- text --------------------------------------------------------------------------------

    def _text(self) -> str:
        digits = f"{self.year:04d}" if self.year >= 0 else str(self.year)  # "-5" stays "-5" in a refusal
        if self.year_digits_unknown:
            digits = digits[: -self.year_digits_unknown] + "X" * self.year_digits_unknown
        parts = [digits]
        if self.month_unknown or (self.month is None and self.day is not None):
            parts.append("XX")  # a day without a month shows where the month is missing
        elif self.month is not None:
            parts.append(_two_digits(self.month))
        if self.day_unknown:
            parts.append("XX")
        elif self.day is not None:
            parts.append(_two_digits(self.day))
        return "-".join(parts) + self.qualifier.value

    def __str__(self) -> str:
        """The canonical EDTF text."""
        return self._text()

    def display(self) -> str:
        """The date as a news story writes it (AP style): "Oct. 14, 2006", "c. May 2024", "the 1950s"."""
        from rnk_events.dates.display import display_partial

        return display_partial(self)

    def sort_key(self) -> tuple[dt.date, dt.date, str]:
        return (self.first_day, self.last_day, str(self))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key() < other.sort_key()
