"""Queries on collections: chronological order, lookups, chainable filters, the date index."""

from __future__ import annotations

import datetime as dt
import re

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import Category, DateSpan, Event, EventCollection, Status
from rnk_events.actors import ORGANISATIONS
from tests.strategies import dated_events, spans


@pytest.fixture(scope="module")
def events() -> EventCollection:
    return rnk_events.load()


def test_bundled_collection_is_chronological_and_complete(events: EventCollection) -> None:
    assert len(events) >= 25
    keys = [(event.date.sort_key(), event.id) for event in events]
    assert keys == sorted(keys)
    assert events.info.as_of == dt.date(2024, 6, 17)
    assert events.info.as_of == max(source.published for source in events.info.sources)


def test_lookup_by_id(events: EventCollection) -> None:
    first = events[0]
    assert events.get(first.id) is first
    assert first.id in events  # type: ignore[comparison-overlap]  # ids are accepted too
    assert first in events
    with pytest.raises(KeyError, match="no-such-event"):
        events.get("no-such-event")


def test_slices_and_filters_keep_type_and_info(events: EventCollection) -> None:
    assert isinstance(events[:3], EventCollection)
    assert events[:3].info == events.info
    assert events.by_actor("USA").info == events.info


def test_between_is_inclusive_at_both_ends(events: EventCollection) -> None:
    sanctions = events.get("2024-05-16-us-britain-sanctions-russian-entities")
    assert sanctions in events.between("2024-05-17", "2024-05-20")
    assert sanctions in events.between("2024-05-01", "2024-05-16")
    assert sanctions not in events.between("2024-05-18", "2024-05-31")
    assert sanctions in events.on("2024-05-17")
    assert sanctions not in events.on("2024-05-18")


def test_imprecise_events_match_any_day_they_cover(events: EventCollection) -> None:
    july_2000 = [event for event in events if str(event.date) == "2000-07"]
    assert july_2000
    assert set(july_2000) <= set(events.on(dt.date(2000, 7, 31)))
    assert not set(july_2000) & set(events.on("2000-08-01"))


def test_year_query_includes_spans_that_touch_the_year(events: EventCollection) -> None:
    in_2010 = events.in_year(2010)
    assert [event.date.first_day.year for event in in_2010] == [2006]  # the 2006-2017 UN votes
    assert all(event.date.overlaps(DateSpan.parse("2024")) for event in events.in_year(2024))


def test_chained_filters(events: EventCollection) -> None:
    result = events.by_actor("PRK").by_status("planned").between("2024-06", "2024-06")
    assert result.ids == ("2024-06-18-putin-state-visit-to-north-korea",)
    assert events.by_person("kim jong il").ids == events.by_person("Kim Jong Il").ids
    assert len(events.by_person("Kim Jong Il")) >= 2
    assert events.search("SATELLITE spy").ids == ("2023-11-21-north-korea-first-spy-satellite-in-orbit",)
    assert events.at_place("pyongyang")
    assert all(event.category.value == "sanctions" for event in events.by_category("sanctions"))


def test_bad_query_arguments(events: EventCollection) -> None:
    with pytest.raises(ValueError, match="before it starts"):
        events.between("2024", "2023")
    with pytest.raises(ValueError, match="single day"):
        events.on("2024-05")
    with pytest.raises(ValueError, match="rumoured"):
        events.by_status("rumoured")
    with pytest.raises(rnk_events.DateError):
        events.between("not a date")


def test_duplicate_ids_and_unknown_sources_are_rejected(events: EventCollection) -> None:
    with pytest.raises(ValueError, match="duplicate event id"):
        EventCollection([events[0], events[0]])
    stray = attrs.evolve(events[0], sources=(rnk_events.SourceRef("unknown-source", "words"),))
    with pytest.raises(ValueError, match="unknown-source"):
        EventCollection([stray], events.info)


def _brute_force(items: list[Event], first: dt.date, last: dt.date) -> set[str]:
    return {event.id for event in items if event.date.first_day <= last and event.date.last_day >= first}


# The date-index properties need only ids and dates: dated_events builds nothing else, which
# makes them many times cheaper than full events (they were a fifth of the suite's time).


@given(dated_events(1990, 2030, max_size=30), spans(1990, 2030), spans(1990, 2030))
def test_date_index_agrees_with_a_full_scan(items: list[Event], a: DateSpan, b: DateSpan) -> None:
    collection = EventCollection(items)
    start, end = sorted([a, b])  # end begins no earlier, so it also finishes no earlier than start begins
    found = collection.between(start, end)
    assert set(found.ids) == _brute_force(items, start.first_day, end.last_day)
    assert list(found.ids) == [event.id for event in collection if event.id in set(found.ids)]


@given(dated_events(1990, 2030, max_size=20), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
def test_on_agrees_with_contains(items: list[Event], day: dt.date) -> None:
    collection = EventCollection(items)
    assert set(collection.on(day).ids) == {event.id for event in items if event.date.contains(day)}


@given(dated_events(1, 9999, max_size=20), spans())
def test_date_index_agrees_with_a_full_scan_across_the_calendar(items: list[Event], window: DateSpan) -> None:
    """Spans of every length (a day to centuries), at both ends of the calendar."""
    collection = EventCollection(items)
    assert set(collection.between(window, window).ids) == _brute_force(items, window.first_day, window.last_day)


@given(dated_events(1990, 2030, max_size=20), spans(1990, 2030))
def test_between_with_an_open_end(items: list[Event], bound: DateSpan) -> None:
    collection = EventCollection(items)
    everything = {event.id for event in items}
    from_bound = {event.id for event in items if event.date.last_day >= bound.first_day}
    until_bound = {event.id for event in items if event.date.first_day <= bound.last_day}
    assert set(collection.between(bound).ids) == from_bound
    assert set(collection.between(bound, None).ids) == from_bound
    assert set(collection.between(None, bound).ids) == until_bound
    assert set(collection.between().ids) == everything
    assert collection.between(None, None) == collection


def test_open_ends_reach_the_ends_of_the_calendar() -> None:
    ancient, late = _dated("ancient", "0001-01-01"), _dated("late", "9999-12-31")
    collection = EventCollection([ancient, late])
    assert collection.between(None, "0001-01-01").ids == ("ancient",)
    assert collection.between("9999-12-31", None).ids == ("late",)
    assert collection.between("0002", None).ids == ("late",)
    assert collection.between(None, "9998").ids == ("ancient",)
    assert collection.between().ids == ("ancient", "late")


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2024", "2023"),
        ("2024-05-17", "2024-05-16"),  # one day short
        ("2024-06", "2024-05-31"),
        (dt.date(2024, 1, 1), "2023-12-31"),
    ],
)
def test_a_reversed_window_raises(start: str | dt.date, end: str) -> None:
    """Documented in between(): a window whose end finishes before its start begins is an error."""
    collection = EventCollection([_dated("a", "2024-05-16/2024-05-17")])
    with pytest.raises(ValueError, match=r"the range ends \(\d{4}-\d\d-\d\d\) before it starts"):
        collection.between(start, end)


@pytest.mark.parametrize(
    ("start", "end", "found"),
    [
        ("2024-05-17", "2024-05-17", ("a",)),  # one day: not reversed
        ("2024-06", "2024", ()),  # June to December 2024: the end's last day is what counts
        ("2024", "2024-05", ("a",)),  # from the start's first day
        ("2024-05-18", "2024", ()),
        ("2024-05-16/2024-12-31", "2024-05", ("a",)),  # the start's first day, the end's last day
    ],
)
def test_windows_that_are_not_reversed(start: str, end: str, found: tuple[str, ...]) -> None:
    collection = EventCollection([_dated("a", "2024-05-16/2024-05-17")])
    assert collection.between(start, end).ids == found


def _dated(event_id: str, date: str) -> Event:
    return Event(
        id=event_id,
        date=date,
        title="t",
        summary="s",
        category="diplomacy",
        status="happened",
        actors=(),
        sources=(rnk_events.SourceRef("s", "e"),),
    )


def test_queries_accept_what_people_type(events: EventCollection) -> None:
    assert events.by_actor("rus").ids == events.by_actor("RUS").ids
    assert events.by_actor(" prk ").ids == events.by_actor("PRK").ids
    assert events.by_category("Summit").ids == events.by_category("summit").ids
    assert events.by_status("PLANNED").ids == events.by_status("planned").ids
    assert events.between("June 2024").ids == events.between("2024-06").ids
    assert events.between("May 16-17, 2024", "2024-05-17").ids == events.between("2024-05-16", "2024-05-17").ids


def test_people_and_places_match_whole_words(events: EventCollection) -> None:
    putin = events.by_person("putin")
    assert putin
    assert all("Vladimir Putin" in event.people for event in putin)
    assert events.by_person("Kim Jong-un").ids == events.by_person("Kim Jong Un").ids
    assert not events.by_person("put")  # a word, not a fragment
    assert not events.by_person("")
    assert events.at_place("pyongyang ").ids == events.at_place("Pyongyang").ids


def test_bad_query_values_say_what_is_allowed(events: EventCollection) -> None:
    with pytest.raises(ValueError, match="alpha-3"):
        events.by_actor("Russia")
    with pytest.raises(ValueError, match="allowed: summit"):
        events.by_category("war")
    with pytest.raises(TypeError, match="int"):
        events.in_year("2024")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="date"):
        events.between(2024)  # type: ignore[arg-type]


# The rule (EventCollection's docstring): a collection is always chronological, so a slice,
# being a collection, keeps chronological order whatever its step; reversed() is the one way
# to get the events newest first.


def test_every_slice_stays_chronological(events: EventCollection) -> None:
    assert events[::-1].ids == events.ids
    assert events[::-1] == events
    assert list(events[::-2].ids) == sorted(events[::-2].ids, key=events.ids.index)


@given(dated_events(2000, 2003, max_size=12), st.integers(-4, 4).filter(bool), st.integers(-14, 14) | st.none())
def test_a_slice_picks_what_a_tuple_slice_picks_in_chronological_order(
    items: list[Event], step: int, begin: int | None
) -> None:
    collection = EventCollection(items)
    plain = tuple(collection)
    picked = collection[begin::step]
    assert isinstance(picked, EventCollection)
    assert set(picked) == set(plain[begin::step])
    assert len(picked) == len(plain[begin::step])
    chronological = sorted(picked, key=lambda event: (*span_key(event.date), event.id))
    assert list(picked) == chronological


def span_key(span: DateSpan) -> tuple[dt.date, dt.date, str]:
    return span.first_day, span.last_day, str(span)


def test_reversed_is_newest_first() -> None:
    a, b, c = _dated("a", "2001"), _dated("b", "2000-06"), _dated("c", "2000-06-30")
    collection = EventCollection([a, b, c])
    assert list(collection) == [b, c, a]  # by first day: June 1, June 30, then 2001
    assert list(reversed(collection)) == [a, c, b]
    assert collection[::-1] == collection
    assert list(collection[::-2]) == [b, a]  # a tuple slice picks a and b, newest first; kept oldest first
    assert collection[::-1].ids != tuple(event.id for event in reversed(collection))


def test_non_events_are_refused_clearly() -> None:
    with pytest.raises(TypeError, match="expected Event, got int"):
        EventCollection([1])  # type: ignore[list-item]


# --- lookups, equality and the query arguments ---------------------------------------------


def test_a_built_collection_finds_its_events_by_id() -> None:
    a, b = _dated("a", "2001"), _dated("b", "2000")
    collection = EventCollection([a, b])
    assert collection.get("a") is a
    assert collection.get("b") is b
    assert a in collection
    assert attrs.evolve(a, title="changed") not in collection  # same id, other content
    assert "a" in collection  # type: ignore[comparison-overlap]
    assert "c" not in collection  # type: ignore[comparison-overlap]


def test_collections_are_equal_when_events_and_info_are() -> None:
    a, b = _dated("a", "2001"), _dated("b", "2000")
    info = rnk_events.DatasetInfo(name="other")
    assert EventCollection([a, b]) == EventCollection([b, a])
    assert EventCollection([a]) != EventCollection([a], info)
    assert EventCollection([a], info) != EventCollection([b], info)
    assert EventCollection([a]) != EventCollection([a, b])
    assert EventCollection([a]) != [a]  # a collection equals only a collection
    assert EventCollection([a]).__eq__((a,)) is NotImplemented


def test_query_type_errors_name_the_value() -> None:
    collection = EventCollection([_dated("a", "2001")])
    with pytest.raises(TypeError, match=r"^in_year takes a year as an int, got str '2024'$"):
        collection.in_year("2024")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^in_year takes a year as an int, got bool True$"):
        collection.in_year(True)
    with pytest.raises(TypeError, match=r"^expected a date, a DateSpan or date text, got int 2024$"):
        collection.between(2024)  # type: ignore[arg-type]
    assert collection.in_year(2001).ids == ("a",)


def test_an_unknown_actor_lists_the_organisations() -> None:
    with pytest.raises(ValueError, match="alpha-3") as info:
        EventCollection().by_actor("Russia")
    listed = re.search(r"organisation id \(([^)]*)\)", str(info.value))
    assert listed is not None
    assert listed.group(1).split(", ") == sorted(ORGANISATIONS)


def test_category_and_status_queries_take_enums_and_text(events: EventCollection) -> None:
    sanctions = [event.id for event in events if event.category is Category.SANCTIONS]
    planned = [event.id for event in events if event.status is Status.PLANNED]
    assert sanctions
    assert planned
    assert list(events.by_category(Category.SANCTIONS).ids) == sanctions
    assert list(events.by_category("Sanctions").ids) == sanctions
    assert list(events.by_status(Status.PLANNED).ids) == planned
    assert list(events.by_status("planned").ids) == planned


def test_search_matches_within_the_event_text_only() -> None:
    event = attrs.evolve(_dated("a", "2001"), title="Kim visits", summary="Moscow talks")
    collection = EventCollection([event])
    assert collection.search("kim moscow").ids == ("a",)
    assert collection.search("visits moscow").ids == ("a",)
    assert collection.search("xx").ids == ()  # no such text, and nothing the fields are joined with
    assert collection.search("kimvisits").ids == ()


def test_a_query_without_words_finds_no_one() -> None:
    # A name that folds to no words ("-") must not be found by a query that folds to none.
    event = attrs.evolve(_dated("a", "2001"), people=("-",), places=(rnk_events.Place("-"),))
    collection = EventCollection([event])
    assert collection.by_person("").ids == ()
    assert collection.by_person("-").ids == ()
    assert collection.at_place(" ").ids == ()


@pytest.mark.parametrize("length", [1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 365, 366, 1023, 1024])
def test_the_index_finds_a_span_of_any_length_by_its_last_and_first_day(length: int) -> None:
    """Lengths at the edges of the index's buckets (2**b - 1 and 2**b days)."""
    last = dt.date(2024, 6, 30)
    first = last - dt.timedelta(days=length - 1)
    date = first.isoformat() if length == 1 else f"{first.isoformat()}/{last.isoformat()}"
    collection = EventCollection([_dated("span", date)])
    assert collection.on(last).ids == ("span",)
    assert collection.on(first).ids == ("span",)
    assert collection.on(last + dt.timedelta(days=1)).ids == ()
    assert collection.on(first - dt.timedelta(days=1)).ids == ()
    assert collection.between(last, None).ids == ("span",)
