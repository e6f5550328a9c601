"""Imprecise dates and date spans, written canonically as EDTF level 0.

A news timeline rarely knows the day: "July, 2000" is a month, "2000" a year.
:class:`PartialDate` keeps that precision and exposes strict first and last
days; :class:`DateSpan` is an inclusive interval of two partial dates (or one).

Ordering is total: earliest first day, then earliest last day, then the
canonical EDTF text (so "2024" sorts before "2024-01-01/2024-12-31", which has
the same bounds).
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
import re

import attrs

__all__ = [
    "DateError",
    "DateSpan",
    "PartialDate",
    "Precision",
    "display_day",
    "parse_date",
]

MIN_YEAR = 1
MAX_YEAR = 9999


class DateError(ValueError):
    """Text that is not a date the library understands, or an impossible date."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{text!r} is not a valid date: {reason}")
        self.text = text
        self.reason = reason


class Precision(enum.Enum):
    """How much of a date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


def _validate_parts(year: int, month: int | None, day: int | None) -> str | None:
    """Return why the parts make no date, or None when they do."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"year {year} is outside {MIN_YEAR}..{MAX_YEAR}"
    if month is None:
        return None if day is None else "a day needs a month"
    if not 1 <= month <= 12:
        return f"month {month} is outside 1..12"
    if day is not None:
        days_in_month = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days_in_month:
            return f"day {day} is outside 1..{days_in_month} for {year:04d}-{month:02d}"
    return None


_optional_int = attrs.validators.optional(attrs.validators.instance_of(int))


def _check_parts(instance: PartialDate, _attribute: object, _value: object) -> None:
    reason = _validate_parts(instance.year, instance.month, instance.day)
    if reason is not None:
        raise DateError(_raw_text(instance.year, instance.month, instance.day), reason)


def _raw_text(year: int, month: int | None, day: int | None) -> str:
    """EDTF text: four-digit year, two-digit month and day (a day without a month shows it as XX)."""
    text = f"{year:04d}"
    if month is not None or day is not None:
        text += "-XX" if month is None else f"-{month:02d}"
    if day is not None:
        text += f"-{day:02d}"
    return text


@functools.total_ordering
@attrs.frozen(order=False)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int = attrs.field(validator=attrs.validators.instance_of(int))
    month: int | None = attrs.field(default=None, validator=_optional_int)
    day: int | None = attrs.field(default=None, validator=[_optional_int, _check_parts])

    @classmethod
    def from_date(cls, day: dt.date) -> PartialDate:
        """The day-precision partial date of a :class:`datetime.date`."""
        return cls(day.year, day.month, day.day)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse EDTF level 0 ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        match = _EDTF_DATE.fullmatch(text)
        if match is None:
            raise DateError(text, "expected YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g is not None else None for g in match.groups())
        assert year is not None
        return cls(year, month, day)  # the validator names the text, which is the canonical form here

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        return Precision.YEAR if self.month is None else Precision.MONTH

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day is not None:
            return self.first_day
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def display(self) -> str:
        """The date as a news story writes it (AP style): "Oct. 14, 2006"."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{calendar.month_name[self.month]} {self.year:04d}"
        return f"{_AP_MONTHS[self.month - 1]} {self.day}, {self.year:04d}"

    def sort_key(self) -> tuple[dt.date, dt.date, str]:
        return (self.first_day, self.last_day, str(self))

    def __str__(self) -> str:
        return _raw_text(self.year, self.month, self.day)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key() < other.sort_key()


def display_day(day: dt.date) -> str:
    """A day as a news story writes it (AP style): "June 17, 2024"."""
    return PartialDate.from_date(day).display()


def _to_partial(value: PartialDate | dt.date | str) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.date):
        return PartialDate.from_date(value)
    return PartialDate.parse(value)


def _to_optional_partial(value: PartialDate | dt.date | str | None) -> PartialDate | None:
    return None if value is None else _to_partial(value)


def _check_end(instance: DateSpan, _attribute: object, end: PartialDate | None) -> None:
    if end is None:
        return
    start = instance.start
    if end == start:
        raise DateError(f"{start}/{end}", f"it has equal ends: write the single date {start}")
    if end.first_day < start.first_day or end.last_day < start.last_day:
        raise DateError(f"{start}/{end}", "the end is before the start")


@functools.total_ordering
@attrs.frozen(order=False)
class DateSpan:
    """An inclusive span from ``start`` to ``end`` (or just ``start``).

    The span covers ``start.first_day`` through ``end.last_day``, both days
    included. An end must neither begin before the start begins nor finish
    before the start finishes, and must differ from the start: a span with
    equal ends (``2024-05-16/2024-05-16``) is refused with a :class:`DateError`
    that says to write the single date (``2024-05-16``) instead.
    """

    start: PartialDate = attrs.field(converter=_to_partial)
    end: PartialDate | None = attrs.field(default=None, converter=_to_optional_partial, validator=_check_end)

    @classmethod
    def parse(cls, text: str) -> DateSpan:
        """Parse canonical EDTF level 0: a date or ``start/end``."""
        if not isinstance(text, str):
            raise DateError(repr(text), "expected a string")
        start_text, slash, end_text = text.partition("/")
        try:
            start = PartialDate.parse(start_text)
            end = PartialDate.parse(end_text) if slash else None
            return cls(start, end)
        except DateError as error:
            raise DateError(text, error.reason) from None

    @property
    def first_day(self) -> dt.date:
        return self.start.first_day

    @property
    def last_day(self) -> dt.date:
        return (self.end or self.start).last_day

    @property
    def is_range(self) -> bool:
        return self.end is not None

    @property
    def precision(self) -> Precision:
        """The coarsest precision of the two ends."""
        if self.end is None:
            return self.start.precision
        order = list(Precision)
        return min(self.start.precision, self.end.precision, key=order.index)

    @property
    def days(self) -> int:
        """How many days the span covers, both ends included."""
        return (self.last_day - self.first_day).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day

    def overlaps(self, other: DateSpan) -> bool:
        return self.first_day <= other.last_day and other.first_day <= self.last_day

    def display(self) -> str:
        """Human text the natural parser reads back: "May 16-17, 2024"."""
        start, end = self.start, self.end
        if end is None:
            return start.display()
        if start.day is None or end.day is None or end.month is None or start.year != end.year:
            return f"{start.display()} - {end.display()}"
        month = _AP_MONTHS[end.month - 1]
        if start.month == end.month:
            return f"{month} {start.day}-{end.day}, {end.year:04d}"
        return f"{_AP_MONTHS[start.first_day.month - 1]} {start.day}-{month} {end.day}, {end.year:04d}"

    def sort_key(self) -> tuple[dt.date, dt.date, str]:
        return (self.first_day, self.last_day, str(self))

    def __str__(self) -> str:
        return str(self.start) if self.end is None else f"{self.start}/{self.end}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, DateSpan):
            return NotImplemented
        return self.sort_key() < other.sort_key()


_EDTF_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)

_AP_MONTHS = (
    "Jan.", "Feb.", "March", "April", "May", "June",
    "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
)  # fmt: skip

MONTH_NAMES: dict[str, int] = {}
for _number in range(1, 13):
    MONTH_NAMES[calendar.month_name[_number].lower()] = _number
    MONTH_NAMES[calendar.month_abbr[_number].lower()] = _number
MONTH_NAMES["sept"] = 9

_DASHES = re.compile(r"\s*(?:[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]|\bto\b|\bthrough\b)\s*")
_TOKEN = re.compile(r"([A-Za-z]+)\.?|(\d{1,2})(?:st|nd|rd|th)\b|(\d+)|([,\s]+)", re.ASCII)


@attrs.define
class _Parts:
    year: int | None = None
    month: int | None = None
    day: int | None = None


class _Unreadable(Exception):
    """Why natural text is not a date; :func:`parse_date` turns it into a DateError naming the text."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _scan(part: str) -> _Parts:
    """Read one side of a range: month, day and year tokens in any usual order."""
    parts = _Parts()
    position = 0
    kinds: list[str] = []
    while position < len(part):
        match = _TOKEN.match(part, position)
        if match is None:
            raise _Unreadable(f"unexpected character {part[position]!r}")
        position = match.end()
        word, ordinal, plain, _space = match.groups()
        number = ordinal or plain
        if word is not None:
            month = MONTH_NAMES.get(word.lower())
            if month is None or parts.month is not None:
                raise _Unreadable(f"{word!r} is not a month name")
            parts.month = month
            kinds.append("M")
        elif number is not None:
            if len(number) == 4 and parts.year is None:
                parts.year = int(number)
                kinds.append("Y")
            elif len(number) <= 2 and parts.day is None and "Y" not in kinds:
                parts.day = int(number)
                kinds.append("D")
            else:
                raise _Unreadable(f"cannot place the number {number!r}")
    if "".join(kinds) not in {"Y", "M", "MY", "MD", "DM", "MDY", "DMY", "D", "DY"}:
        raise _Unreadable("date parts are in an unusual order")
    return parts


def _partial(parts: _Parts) -> PartialDate:
    """The partial date of the parts; an impossible one raises the validator's DateError."""
    if parts.year is None:
        raise _Unreadable("no year")
    return PartialDate(parts.year, parts.month, parts.day)


def _parse_natural(text: str) -> DateSpan:
    pieces = _DASHES.split(text.strip())
    if len(pieces) > 2 or any(not piece.strip(" ,") for piece in pieces):
        raise _Unreadable("expected a date or two dates joined by a dash")
    if len(pieces) == 1:
        return DateSpan(_partial(_scan(pieces[0])))
    left, right = (_scan(piece) for piece in pieces)
    if left.year is None and left.month is not None and (right.month, right.day) == (None, None):
        raise _Unreadable("a range needs a month or day on both sides (for a month, drop the dash: 'June 2024')")
    if right.day is not None and right.month is None:
        right.month = left.month  # "May 16-17, 2024"
    if left.day is not None and left.month is None:
        left.month = right.month  # "16-17 May 2024"
    if left.year is None:
        left.year = right.year
    return DateSpan(_partial(left), _partial(right))


def parse_date(text: str) -> DateSpan:
    """Parse EDTF or a date as news text writes it, never guessing missing parts.

    Accepts ``2000-07``, ``2006-10-14/2017-12-22``, ``July, 2000``,
    ``Sept. 13, 2023``, ``23 August 2002``, ``May 16-17, 2024``,
    ``March 30-April 2, 2024`` and ``Dec. 30, 2019 - Jan. 2, 2020``, with any
    kind of dash. A missing year is an error, never "this year".
    """
    if not isinstance(text, str):
        raise DateError(repr(text), "expected a string")
    stripped = " ".join(text.split())  # one space between words: linear work for the patterns below
    if not stripped:
        raise DateError(text, "empty text")
    if re.fullmatch(r"[\d/-]+", stripped, re.ASCII) and not re.fullmatch(r"\d{4}-\d{4}", stripped, re.ASCII):
        # Digits, hyphens and slashes are EDTF (or a mistake in it: "2024-6"), except "2006-2017".
        try:
            return DateSpan.parse(stripped)
        except DateError as error:
            raise DateError(text, error.reason) from None
    try:
        return _parse_natural(stripped)
    except (DateError, _Unreadable) as error:
        raise DateError(text, error.reason) from None
