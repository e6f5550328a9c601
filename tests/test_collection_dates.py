"""Date queries over every form of the grammar: possible and certain matches, the index, precise-only."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import DateSpan, EventCollection
from tests.edtf_strategies import edtf_dates
from tests.strategies import dated_event

collections = st.lists(edtf_dates(), max_size=8).map(
    lambda dates: EventCollection(dated_event(number, date) for number, date in enumerate(dates))
)
windows = st.tuples(st.dates(), st.dates()).map(lambda pair: (min(pair), max(pair)))


@given(collections, windows)
def test_the_index_finds_exactly_the_possible_matches(events: EventCollection, window: tuple[dt.date, ...]) -> None:
    first, last = window
    brute = [event.id for event in events if event.date.possibly_within(first, last)]
    assert events.between(first, last).ids == tuple(brute)


@given(collections, windows)
def test_certain_results_are_a_subset_of_possible_ones(
    events: EventCollection, window: tuple[dt.date, dt.date]
) -> None:
    first, last = window
    possible = set(events.between(first, last).ids)
    certain = events.between(first, last, certain=True)
    assert set(certain.ids) <= possible
    assert [event.id for event in certain] == [e.id for e in events if e.date.certainly_within(first, last)]


def test_one_day_of_a_week_is_possible_on_each_day_but_certain_on_none() -> None:
    week = EventCollection([dated_event(0, DateSpan.parse("[2024-06-10..2024-06-16]"))])
    lasting = EventCollection([dated_event(1, DateSpan.parse("2024-06-10/2024-06-16"))])
    for day in range(10, 17):
        assert len(week.on(f"2024-06-{day}")) == 1
        assert len(week.on(f"2024-06-{day}", certain=True)) == 0
        assert len(lasting.on(f"2024-06-{day}", certain=True)) == 1
    assert len(week.between("2024-06", "2024-06", certain=True)) == 1
    assert len(week.on("2024-06-17")) == 0


def test_an_approximate_date_is_possible_beyond_its_strict_bounds() -> None:
    about_may = EventCollection([dated_event(0, DateSpan.parse("2024-05~"))])
    assert len(about_may.on("2024-06-05")) == 1
    assert len(about_may.on("2024-06-05", certain=True)) == 0
    assert len(about_may.on("2024-07-01")) == 0
    assert len(about_may.in_year(2024, certain=True)) == 1


def test_open_and_unknown_ends() -> None:
    since = EventCollection([dated_event(0, DateSpan.parse("2023-09/.."))])
    unknown = EventCollection([dated_event(0, DateSpan.parse("2023-09/"))])
    assert len(since.on("2030-01-01", certain=True)) == 1
    assert len(unknown.on("2030-01-01")) == 1
    assert len(unknown.on("2030-01-01", certain=True)) == 0
    assert len(unknown.between("2023-09", "2023-09", certain=True)) == 1


def test_the_bundled_week_remark_is_not_certainly_on_any_day_of_it() -> None:
    events = rnk_events.load()
    remark = "2024-06-10-kim-calls-russia-ties-unbreakable"
    assert remark in events.on("2024-06-12").ids
    assert remark not in events.on("2024-06-12", certain=True).ids
    assert remark in events.between("2024-06-10", "2024-06-16", certain=True).ids


def test_known_within_keeps_only_dates_pinned_that_closely() -> None:
    dates = ["2024-06-17", "2024-06", "[2024-05-16,2024-05-17]", "2024-06-18/2024-06-19", "2024-06-17~", "2023-09/.."]
    events = EventCollection(dated_event(number, DateSpan.parse(text)) for number, text in enumerate(dates))
    assert sorted(str(event.date) for event in events.known_within(1)) == ["2024-06-17", "2024-06-18/2024-06-19"]
    assert "[2024-05-16,2024-05-17]" in {str(event.date) for event in events.known_within(2)}
    assert "2024-06" in {str(event.date) for event in events.known_within(30)}
    assert "2024-06-17~" not in {str(event.date) for event in events.known_within(3650)}
    with pytest.raises(ValueError, match="whole number of days"):
        events.known_within(0)


def test_on_refuses_a_window_that_is_not_one_exact_day() -> None:
    with pytest.raises(ValueError, match="not a single day"):
        rnk_events.load().on("2024-06")
    with pytest.raises(ValueError, match="not a single day"):
        rnk_events.load().on("2024-06-12~")


def test_in_year_is_possible_by_default_and_certain_on_request() -> None:
    winter = EventCollection([dated_event(0, DateSpan.parse("2023-24"))])  # December 2023 to February 2024
    assert len(winter.in_year(2024)) == 1
    assert len(winter.in_year(2024, certain=True)) == 0
    assert len(winter.between("2023-12", "2024-02", certain=True)) == 1


def test_known_within_refuses_a_bool() -> None:
    with pytest.raises(ValueError, match="got True"):
        rnk_events.load().known_within(True)


@pytest.mark.parametrize(
    ("query", "argument", "message"),
    [
        ("search", None, "search takes text, got NoneType None"),
        ("by_person", 5, "by_person takes text, got int 5"),
        ("at_place", b"Pyongyang", "at_place takes text, got bytes b'Pyongyang'"),
        ("by_actor", None, "by_actor takes text, got NoneType None"),
        ("filter", "RUS", "filter takes a function of an event, got str"),
    ],
)
def test_wrong_typed_arguments_say_what_was_given(query: str, argument: object, message: str) -> None:
    with pytest.raises(TypeError) as caught:
        getattr(rnk_events.load(), query)(argument)
    assert str(caught.value) == message
