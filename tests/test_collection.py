"""Queries on collections: chronological order, lookups, chainable filters, the date index."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import DateSpan, Event, EventCollection
from tests.strategies import event_lists, spans


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


@given(event_lists(1990, 2030, max_size=30), spans(1990, 2030), spans(1990, 2030))
def test_date_index_agrees_with_a_full_scan(items: list[Event], a: DateSpan, b: DateSpan) -> None:
    collection = EventCollection(items)
    start, end = sorted([a, b])  # end begins no earlier, so it also finishes no earlier than start begins
    found = collection.between(start, end)
    assert set(found.ids) == _brute_force(items, start.first_day, end.last_day)
    assert list(found.ids) == [event.id for event in collection if event.id in set(found.ids)]


@given(event_lists(1990, 2030, max_size=20), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
def test_on_agrees_with_contains(items: list[Event], day: dt.date) -> None:
    collection = EventCollection(items)
    assert set(collection.on(day).ids) == {event.id for event in items if event.date.contains(day)}


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


def test_every_slice_stays_chronological(events: EventCollection) -> None:
    assert events[::-1].ids == events.ids
    assert list(events[::-2].ids) == sorted(events[::-2].ids, key=events.ids.index)


def test_non_events_are_refused_clearly() -> None:
    with pytest.raises(TypeError, match="expected Event, got int"):
        EventCollection([1])  # type: ignore[list-item]
