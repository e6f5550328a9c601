"""An immutable, chronological collection of events with chainable queries.

Date-range queries use a sorted index bucketed by span length, so a query on
millions of events looks only at events that can overlap it: a bucket holds
spans of 2**(b-1) to 2**b - 1 days, so an overlapping span in it starts at
most 2**b - 2 days before the query.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from rnk_events.actors import ORGANISATIONS, is_actor
from rnk_events.dates import DateSpan, PartialDate, Qualifier, parse_date
from rnk_events.errors import Problem, WithdrawnEventError, shorten
from rnk_events.model import Category, DatasetInfo, Event, Status, fold_text, to_enum

if TYPE_CHECKING:  # the frames methods' return types; pandas and pyarrow are optional
    import pandas as pd
    import pyarrow as pa

__all__ = ["DayLike", "EventCollection"]

#: Anything a query accepts as a date: a day, a partial date, or its text.
DayLike = dt.date | PartialDate | DateSpan | str


def _span_of(value: DayLike) -> DateSpan:
    """A query date: a span, a day, a partial date, or any text :func:`parse_date` reads."""
    if isinstance(value, DateSpan):
        return value
    if isinstance(value, str):
        return parse_date(value)
    if isinstance(value, (dt.date, PartialDate)):
        return DateSpan(value)
    raise TypeError(f"expected a date, a DateSpan or date text, got {type(value).__name__} {value!r}")


def _text_argument(query: str, value: object) -> str:
    """The text a name or search query takes, or a TypeError that says what was given instead."""
    if not isinstance(value, str):
        raise TypeError(f"{query} takes text, got {type(value).__name__} {shorten(value)}")
    return value


_fold = fold_text  # the queries fold their words as each event folds its text, once (Event._search_text)

#: Date queries a collection answers by a scan before it builds its index. A build costs a few
#: scans, so a collection asked once (a sub-collection, the CLI's --from/--to) never pays for it.
_SCANS_BEFORE_INDEX = 1


def _name_matcher(wanted: str) -> Callable[[Iterable[str]], bool]:
    """Whether ``wanted`` is one of the names or whole words of one: "putin" finds "Vladimir Putin".

    The names are the event's folded, space-padded ones (``Event._folded_people``), folded once per event.
    """
    query = f" {_fold(wanted)} "
    if not query.strip():
        return lambda padded_names: False
    return lambda padded_names: any(query in name for name in padded_names)


class _DateIndex:
    """Events bucketed by span length (powers of two days), each bucket sorted by first day.

    The spans are the events' padded bounds (:attr:`DateSpan.padded_first_day` to
    :attr:`DateSpan.padded_last_day`): every day an event may touch, qualifiers included.

    Bucket ``b`` holds the spans whose length in days has ``b`` bits, so none is longer
    than ``2**b - 1`` days; each bucket keeps that longest length, its first days and its rows.
    """

    def __init__(self, events: Sequence[Event]) -> None:
        buckets: dict[int, list[tuple[int, int, int]]] = {}
        for position, event in enumerate(events):
            first, last = event._first_ordinal, event._last_ordinal
            buckets.setdefault((last - first + 1).bit_length(), []).append((first, last, position))
        self._buckets = []
        for length_bits, rows in buckets.items():
            rows.sort()
            self._buckets.append(((1 << length_bits) - 1, [row[0] for row in rows], rows))

    def overlapping(self, first: dt.date, last: dt.date) -> list[int]:
        """Positions of events that may touch a day of first..last."""
        low, high = first.toordinal(), last.toordinal()
        found: list[int] = []
        for longest, starts, rows in self._buckets:
            begin = bisect.bisect_left(starts, low - longest + 1)  # a span that starts earlier ends before low
            end = bisect.bisect_right(starts, high)
            found.extend(position for _first, event_last, position in rows[begin:end] if event_last >= low)
        found.sort()
        return found


class EventCollection(Sequence[Event]):
    """Events in chronological order (see :meth:`DateSpan.sort_key`, then id).

    Every filter returns a new collection with the same :class:`DatasetInfo`,
    so filters chain: ``events.by_actor("USA").between("2023", "2024")``.
    Building a collection checks that ids are unique, that no event has an
    id its ``info`` lists as withdrawn, and, when ``info`` lists sources,
    that every source reference resolves.

    A collection is always chronological, whatever made it. A slice is a
    collection, so it picks the events a tuple slice would pick and keeps them
    in chronological order: ``events[::-1] == events``, and ``events[::-2]``
    is every other event counted from the newest, oldest first. For the
    events newest first, iterate ``reversed(events)`` (an iterator, not a
    collection), or take ``tuple(reversed(events))``.
    """

    def __init__(
        self, events: Iterable[Event] = (), info: DatasetInfo | None = None, *, notes: Iterable[Problem] = ()
    ) -> None:
        self._info = info if info is not None else DatasetInfo()
        self._notes = tuple(notes)
        items = tuple(events)
        for item in items:
            if not isinstance(item, Event):
                raise TypeError(f"expected Event, got {type(item).__name__} {item!r}")
        self._events = tuple(sorted(items, key=lambda event: (event.date.sort_key(), event.id)))
        self._by_id: dict[str, Event] = {}
        for event in self._events:
            if event.id in self._by_id:
                raise ValueError(f"duplicate event id {event.id!r}")
            self._by_id[event.id] = event
            withdrawal = self._info.withdrawal(event.id)
            if withdrawal is not None:
                raise ValueError(
                    f"event {event.id!r} was withdrawn on {withdrawal.withdrawn.isoformat()}, "
                    "so its id can never be used again; drop the event or its withdrawal entry"
                )
        if self._info.sources:
            known = {source.id for source in self._info.sources}
            for event in self._events:
                for ref in event.sources:
                    if ref.source not in known:
                        raise ValueError(f"event {event.id!r}: cites unknown source {ref.source!r}")

    @classmethod
    def _presorted(cls, events: tuple[Event, ...], info: DatasetInfo) -> EventCollection:
        """A sub-collection of already validated, sorted events; skips the checks."""
        new = cls.__new__(cls)
        new._events = events
        new._by_id = {event.id: event for event in events}
        new._info = info
        new._notes = ()
        return new

    @property
    def info(self) -> DatasetInfo:
        return self._info

    @property
    def notes(self) -> tuple[Problem, ...]:
        """What reading the file changed or set aside without refusing it, for ``validate`` to report.

        A reader adds one :class:`~rnk_events.errors.Problem` per change it made
        (``"May 2024"`` read as ``2024-05``) or per thing it left out (an extra
        column). Empty for a collection not read from a file, and for every
        sub-collection: a filter keeps the events, not the reading's report.
        """
        return self._notes

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __reversed__(self) -> Iterator[Event]:
        """The events newest first (the one way to get them in that order; a slice stays chronological)."""
        return reversed(self._events)

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> EventCollection: ...
    def __getitem__(self, index: int | slice) -> Event | EventCollection:
        if isinstance(index, slice):
            # The positions a tuple slice picks, in order: a collection is always chronological.
            positions = sorted(range(len(self._events))[index])
            return self._presorted(tuple(self._events[position] for position in positions), self._info)
        return self._events[index]

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return item in self._by_id
        return isinstance(item, Event) and self._by_id.get(item.id) == item

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EventCollection):
            return NotImplemented
        return self._events == other._events and self._info == other._info

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<EventCollection of {len(self)} events from {self._info.name!r}>"

    def get(self, event_id: str) -> Event:
        """The event with this id; KeyError names the id when there is none.

        An id the dataset withdrew raises :class:`~rnk_events.errors.WithdrawnEventError`
        (a KeyError) saying when and why, and which event replaces it.
        """
        try:
            return self._by_id[event_id]
        except KeyError:
            withdrawal = self._info.withdrawal(event_id) if isinstance(event_id, str) else None
            if withdrawal is not None:
                raise WithdrawnEventError(
                    withdrawal.id, withdrawal.reason, withdrawal.withdrawn, withdrawal.replaced_by
                ) from None
            raise KeyError(f"no event with id {event_id!r}") from None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(event.id for event in self._events)

    _date_queries = 0  # how many date queries this collection has answered (see _SCANS_BEFORE_INDEX)

    @functools.cached_property
    def _date_index(self) -> _DateIndex:
        return _DateIndex(self._events)

    def _overlapping(self, first: dt.date, last: dt.date) -> list[Event]:
        """The events that may touch a day of first..last: by a scan at first, then from the index."""
        self._date_queries += 1
        if self._date_queries <= _SCANS_BEFORE_INDEX and "_date_index" not in self.__dict__:
            return self._scan(first.toordinal(), last.toordinal())
        return [self._events[position] for position in self._date_index.overlapping(first, last)]

    def _scan(self, low: int, high: int) -> list[Event]:
        """The events whose padded ordinals touch low..high, by one pass, reading few of their slots.

        The events are in date order, so where the window ends after the middle event's first day,
        most events start before its end: testing the last day first then settles most of them
        with one read (and the first day first in the other half). The result is the same either way.
        """
        events = self._events
        if events and high >= events[len(events) // 2]._first_ordinal:
            return [event for event in events if event._last_ordinal >= low and event._first_ordinal <= high]
        return [event for event in events if event._first_ordinal <= high and event._last_ordinal >= low]

    def filter(self, predicate: Callable[[Event], bool]) -> EventCollection:
        """The events for which ``predicate(event)`` is true, in order."""
        if not callable(predicate):
            raise TypeError(f"filter takes a function of an event, got {type(predicate).__name__}")
        return self._presorted(tuple(event for event in self._events if predicate(event)), self._info)

    def between(
        self, start: DayLike | None = None, end: DayLike | None = None, *, certain: bool = False
    ) -> EventCollection:
        """Events that possibly (or, with ``certain``, certainly) touch ``start``..``end``, both inclusive.

        Possibly: the event may fall on a day of the window, counting what its
        qualifiers allow (``2024-05~`` may be in early June). Certainly: a point
        (a date, or one of a set) lies wholly inside the window; an interval's
        latest possible start is on or before the window's end and its earliest
        possible end on or after the window's start, an open end counting as
        lasting (see :meth:`DateSpan.certainly_within`). ``certain`` results are
        always a subset of the possible ones.

        ``start`` counts from its first day and ``end`` through its last day, so
        ``between("2023", "2023")`` is all of 2023. Either may be None for an
        open end: ``between(None, "1999")`` is everything that touches 1999 or
        earlier, ``between("2024")`` everything from 2024 on, ``between()`` all.
        A reversed window, whose end's last day comes before its start's first
        day (``between("2024", "2023")``), raises ValueError rather than
        quietly finding nothing; ``between("2024-06", "2024")`` is not reversed
        (June through December 2024).
        """
        first = _span_of(start).first_day if start is not None else dt.date.min
        last = _span_of(end).last_day if end is not None else dt.date.max
        if last < first:
            raise ValueError(f"the range ends ({last}) before it starts ({first})")
        chosen = self._overlapping(first, last)
        if certain:
            chosen = [event for event in chosen if event.date.certainly_within(first, last)]
        return self._presorted(tuple(chosen), self._info)

    def on(self, day: dt.date | str, *, certain: bool = False) -> EventCollection:
        """Events that possibly (or, with ``certain``, certainly) touch this day; see :meth:`between`."""
        span = _span_of(day)
        if span.days != 1 or span.qualifier is not Qualifier.NONE:
            raise ValueError(f"{day!r} is not a single day (use between() for a longer window)")
        return self.between(span, span, certain=certain)

    def in_year(self, year: int, *, certain: bool = False) -> EventCollection:
        """Events that possibly (or, with ``certain``, certainly) touch the calendar year."""
        if isinstance(year, bool) or not isinstance(year, int):
            raise TypeError(f"in_year takes a year as an int, got {type(year).__name__} {year!r}")
        span = DateSpan(PartialDate(year))
        return self.between(span, span, certain=certain)

    def known_within(self, days: int) -> EventCollection:
        """Events whose every date is pinned to at most ``days`` days (1: known to the day), unqualified.

        For a calendar or a story that must not show a guessed day:
        ``events.known_within(1)`` drops "May 2024", "c. June 2024" and "one day
        between June 10 and 16, 2024" alike. See :meth:`DateSpan.known_within`.
        """
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise ValueError(f"known_within takes a whole number of days, 1 or more, got {days!r}")
        return self.filter(lambda event: event.date.known_within(days))

    def by_actor(self, code: str) -> EventCollection:
        """Events involving a country (ISO 3166-1 alpha-3, any case: "rus") or organisation id."""
        wanted = _text_argument("by_actor", code).strip().upper()
        if not is_actor(wanted):
            raise ValueError(
                f"{code!r} is neither an ISO 3166-1 alpha-3 country code (e.g. RUS, PRK, USA) "
                f"nor an organisation id ({', '.join(sorted(ORGANISATIONS))})"
            )
        return self.filter(lambda event: wanted in event.actors)

    def by_person(self, name: str) -> EventCollection:
        """Events naming the person: the whole name or whole words of it ("putin", "Kim Jong-un").

        Case, accents and hyphens are ignored.
        """
        query = f" {_fold(_text_argument('by_person', name))} "
        if not query.strip():
            return self._presorted((), self._info)
        found = {position for person, positions in self._people.items() if query in person for position in positions}
        return self._presorted(tuple([self._events[position] for position in sorted(found)]), self._info)

    @functools.cached_property
    def _people(self) -> dict[str, list[int]]:
        """Each person's folded, padded name, with the positions of the events naming them.

        Far fewer names than events: a query compares each name once, not each event's.
        """
        people: dict[str, list[int]] = {}
        for position, event in enumerate(self._events):
            for person in event._folded_people:
                people.setdefault(person, []).append(position)
        return people

    def by_category(self, category: Category | str) -> EventCollection:
        """Events of a category (its value, any case); an unknown one lists the allowed values."""
        wanted = to_enum(Category, category.lower() if isinstance(category, str) else category)
        return self.filter(lambda event: event.category is wanted)

    def by_status(self, status: Status | str) -> EventCollection:
        """Events with a status (its value, any case); an unknown one lists the allowed values."""
        wanted = to_enum(Status, status.lower() if isinstance(status, str) else status)
        return self.filter(lambda event: event.status is wanted)

    def at_place(self, name: str) -> EventCollection:
        """Events at a place of this name, or whole words of it (case, accents, hyphens ignored)."""
        matches = _name_matcher(_text_argument("at_place", name))
        return self._presorted(tuple([event for event in self._events if matches(event._folded_places)]), self._info)

    def search(self, text: str) -> EventCollection:
        """Events whose text contains every word of ``text`` (case- and accent-insensitive)."""
        words = _fold(_text_argument("search", text)).split()
        chosen = [event for event in self._events if all(word in event._search_text for word in words)]
        return self._presorted(tuple(chosen), self._info)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per event: the date as EDTF text, first and last day as days; see :mod:`rnk_events.frames`."""
        from rnk_events.frames import to_records

        return to_records(self)

    def to_pandas(self) -> pd.DataFrame:
        """A pandas DataFrame, one row per event, days as ``datetime64[s]``; needs ``rnk_events[pandas]``."""
        from rnk_events.frames import to_pandas

        return to_pandas(self)

    def to_arrow(self) -> pa.Table:
        """A pyarrow Table, one row per event, days as ``date32``; needs ``rnk_events[arrow]``."""
        from rnk_events.frames import to_arrow

        return to_arrow(self)
