"""An event's date in any form of the grammar: one date, an interval, or one date of a set.

The forms mean different things, and the difference is kept everywhere:

- **one date** (``2024-05``): the event happened once, on some day inside it;
- **one of a set** (``[2024-06-10..2024-06-16]``, ``[2024-05-16,2024-05-17]``):
  it happened once, on one of these dates; still a point, not a duration;
- **an interval** (``2024-06-18/2024-06-19``, ``2023-09/..``): it lasted from
  the start to the end. Only an interval :attr:`~DateSpan.is_range`.

Bounds have one meaning for every form: :attr:`~DateSpan.first_day` and
:attr:`~DateSpan.last_day` are the earliest and latest day the event can
touch as written (``date.min``/``date.max`` for an open or unknown end);
the padded bounds add what a qualifier allows.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import itertools
from collections.abc import Iterable

import attrs

from rnk_events.dates.parts import DateError, PartialDate, Precision, Qualifier

__all__ = ["DateSpan", "End", "EventDate", "SetMember"]


class End(enum.Enum):
    """An interval end that is not a date: ``..`` open (still going, or since ever), or unknown."""

    OPEN = ".."
    UNKNOWN = ""


@attrs.frozen
class SetMember:
    """One member of a one-of set: a date, or a run of consecutive dates ``first..last``."""

    first: PartialDate
    last: PartialDate | None = None

    @property
    def first_day(self) -> dt.date:
        return self.first.first_day

    @property
    def last_day(self) -> dt.date:
        return (self.last or self.first).last_day

    def __str__(self) -> str:
        return str(self.first) if self.last is None else f"{self.first}..{self.last}"


def _to_partial(value: PartialDate | dt.date | str) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.date):
        return PartialDate.from_date(value)
    if isinstance(value, str):
        return PartialDate.parse(value)
    raise DateError(repr(value), f"expected a date, got {type(value).__name__}")


def _to_start(value: PartialDate | End | dt.date | str) -> PartialDate | End:
    return value if isinstance(value, End) else _to_partial(value)


def _to_end(value: PartialDate | End | dt.date | str | None) -> PartialDate | End | None:
    return None if value is None else _to_start(value)


def _check_interval(start: PartialDate | End, end: PartialDate | End) -> None:
    text = f"{start.value if isinstance(start, End) else start}/{end.value if isinstance(end, End) else end}"
    if isinstance(start, End) and isinstance(end, End):
        raise DateError(text, "an interval needs at least one date (write '2023-09/..', not '../..')")
    if isinstance(start, PartialDate) and isinstance(end, PartialDate):
        if (start.first_day, start.last_day) == (end.first_day, end.last_day):
            raise DateError(text, f"it has equal ends: write the single date {start}")
        if end.first_day < start.first_day or end.last_day < start.last_day:
            raise DateError(text, "the end is before the start (a reversed range)")


def _check_members(members: tuple[SetMember, ...]) -> None:
    text = "[" + ",".join(str(member) for member in members) + "]"
    if len(members) == 1 and members[0].last is None:
        raise DateError(text, f"a set of one date is that date: write {members[0].first}")
    for member in members:
        for part in (member.first, member.last):
            if part is not None and part.qualifier is not Qualifier.NONE:
                raise DateError(text, "qualifiers inside a set are EDTF level 2; qualify the event's note instead")
        if member.last is not None and not member.first.last_day < member.last.first_day:
            raise DateError(text, f"the run {member} is reversed or overlaps itself")
    for before, after in itertools.pairwise(members):
        if not before.last_day < after.first_day:
            raise DateError(text, f"members must be in ascending order without overlap ({before} then {after})")


@functools.total_ordering
@attrs.frozen(order=False, init=False)
class DateSpan:
    """An event's date: one date, an interval from ``start`` to ``end``, or one date of ``members``.

    ``DateSpan("2024-05")`` is one date and ``DateSpan("2024-06-18", "2024-06-19")``
    an interval (the version-1 constructor); :meth:`one_of` builds a set and
    :meth:`parse` reads any canonical EDTF text.
    """

    start: PartialDate | End
    end: PartialDate | End | None
    members: tuple[SetMember, ...]

    def __init__(
        self,
        start: PartialDate | End | dt.date | str,
        end: PartialDate | End | dt.date | str | None = None,
        members: Iterable[SetMember] = (),
    ) -> None:
        members = tuple(members)
        start, end = _to_start(start), _to_end(end)
        if members:
            _check_members(members)
            if end is not None or start != members[0].first:
                raise DateError(str(start), "a set's start is its first member, and a set has no end")
        elif end is None:
            if isinstance(start, End):
                raise DateError(start.value, "an open or unknown end belongs to an interval ('2023-09/..')")
        else:
            _check_interval(start, end)
        self.__attrs_init__(start, end, members)

    @classmethod
    def one_of(cls, *members: SetMember | PartialDate | str) -> DateSpan:
        """One date of a set: ``DateSpan.one_of("2024-05-16", "2024-05-17")``."""
        built = tuple(member if isinstance(member, SetMember) else SetMember(_to_partial(member)) for member in members)
        if not built:
            raise DateError("[]", "a one-of set needs at least one date")
        return cls(built[0].first, None, built)

    @classmethod
    def parse(cls, text: str) -> DateSpan:
        """Parse canonical EDTF: a date, an interval, or a one-of set."""
        from rnk_events.dates.edtf import parse_edtf

        return parse_edtf(text)

    # --- what kind of date -------------------------------------------------------------------

    @property
    def is_range(self) -> bool:
        """Whether the event lasted from a start to an end (an interval); a point is not a range."""
        return self.end is not None

    @property
    def is_set(self) -> bool:
        """Whether the date is one of a set of dates."""
        return bool(self.members)

    @property
    def kind(self) -> str:
        """``"date"``, ``"interval"`` or ``"one-of"``."""
        return "interval" if self.is_range else "one-of" if self.members else "date"

    def dates(self) -> tuple[PartialDate, ...]:
        """Every date written in it: the date, the interval's known ends, or each set member's dates."""
        if self.members:
            return tuple(part for member in self.members for part in (member.first, member.last) if part is not None)
        return tuple(part for part in (self.start, self.end) if isinstance(part, PartialDate))

    @property
    def precision(self) -> Precision:
        """The coarsest precision of the dates written in it."""
        return min((part.precision for part in self.dates()), key=lambda precision: precision.rank)

    @property
    def qualifier(self) -> Qualifier:
        """What the qualifiers of its dates say together (a set's members carry none)."""
        return Qualifier.combine(tuple(part.qualifier for part in self.dates()))

    @property
    def is_exact(self) -> bool:
        """Every date in it is known to the day, unqualified, and no end is open or unknown."""
        closed = not isinstance(self.start, End) and not isinstance(self.end, End)
        return closed and not self.members and all(part.is_exact for part in self.dates())

    def known_within(self, days: int) -> bool:
        """Whether each date in it is pinned to at most ``days`` days (1: known to the day).

        A point's window is all the days it may fall on; an interval's ends are
        judged one by one. A qualifier or an open or unknown end never counts as known.
        """
        if self.qualifier is not Qualifier.NONE or isinstance(self.start, End) or isinstance(self.end, End):
            return False
        if not self.is_range:
            return self.days <= days
        return all(part.days <= days for part in self.dates())

    # --- bounds ------------------------------------------------------------------------------

    @property
    def first_day(self) -> dt.date:
        """The earliest day the event can touch, as written (``date.min`` for an open or unknown start)."""
        if self.members:
            return self.members[0].first_day
        return dt.date.min if isinstance(self.start, End) else self.start.first_day

    @property
    def last_day(self) -> dt.date:
        """The latest day the event can touch, as written (``date.max`` for an open or unknown end)."""
        if self.members:
            return self.members[-1].last_day
        last = self.start if self.end is None else self.end
        return dt.date.max if isinstance(last, End) else last.last_day

    @property
    def padded_first_day(self) -> dt.date:
        """The earliest day it may touch, counting qualifiers."""
        if self.members:
            return self.first_day
        return dt.date.min if isinstance(self.start, End) else self.start.padded_first_day

    @property
    def padded_last_day(self) -> dt.date:
        """The latest day it may touch, counting qualifiers."""
        if self.members:
            return self.last_day
        last = self.start if self.end is None else self.end
        return dt.date.max if isinstance(last, End) else last.padded_last_day

    @property
    def days(self) -> int:
        """How many days lie between the bounds, both included (an open end counts to the calendar's end)."""
        return (self.last_day - self.first_day).days + 1

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` lies within the strict bounds."""
        return self.first_day <= day <= self.last_day

    def overlaps(self, other: DateSpan) -> bool:
        """Whether the strict bounds of the two share a day."""
        return self.first_day <= other.last_day and other.first_day <= self.last_day

    def possibly_within(self, first: dt.date, last: dt.date) -> bool:
        """Whether the event may touch a day of ``first..last`` (padded bounds overlap the window)."""
        return self.padded_first_day <= last and self.padded_last_day >= first

    def certainly_within(self, first: dt.date, last: dt.date) -> bool:
        """Whether the event certainly touches ``first..last``.

        A point: every day it could be on lies inside the window. An interval:
        its latest possible start is on or before ``last`` and its earliest
        possible end on or after ``first``; an open end counts as lasting.
        Qualified dates count by their padded bounds.
        """
        if not self.is_range:
            return first <= self.padded_first_day and self.padded_last_day <= last
        return self._latest_start() <= last and self._earliest_end() >= first

    def _latest_start(self) -> dt.date:
        if isinstance(self.start, PartialDate):
            return self.start.padded_last_day
        if self.start is End.OPEN:
            return dt.date.min  # it was already going
        assert isinstance(self.end, PartialDate)  # an interval has at least one date
        return self.end.padded_last_day  # unknown start: it may have begun as late as it ended

    def _earliest_end(self) -> dt.date:
        if isinstance(self.end, PartialDate):
            return self.end.padded_first_day
        if self.end is End.OPEN:
            return dt.date.max  # still going
        assert isinstance(self.start, PartialDate)
        return self.start.padded_first_day  # unknown end: it may have ended as soon as it began

    # --- text and order ----------------------------------------------------------------------

    # Text and display are cached: a record's date is read by every export and every sort,
    # and a span is immutable. The cache slots are not fields (no part of eq or hash).

    def __str__(self) -> str:
        """The canonical EDTF text."""
        return self._text

    @functools.cached_property
    def _text(self) -> str:
        if self.members:
            return "[" + ",".join(str(member) for member in self.members) + "]"
        if self.end is None:
            return str(self.start)
        start = self.start.value if isinstance(self.start, End) else str(self.start)
        end = self.end.value if isinstance(self.end, End) else str(self.end)
        return f"{start}/{end}"

    def display(self) -> str:
        """The date in AP style, in words that :func:`~rnk_events.dates.parse_date` reads back."""
        return self._display

    @functools.cached_property
    def _display(self) -> str:
        from rnk_events.dates.display import display_span

        return display_span(self)

    def sort_key(self) -> tuple[dt.date, dt.date, str]:
        """Written first day, then written last day, then the canonical text."""
        return (self.first_day, self.last_day, self._text)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, DateSpan):
            return NotImplemented
        return self.sort_key() < other.sort_key()


#: The name this type goes by in the docs: an event's date, in any form of the grammar.
EventDate = DateSpan
