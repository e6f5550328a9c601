"""What the queries cache (issue 14): the answers stay the same, and the costly work is done once.

Search and name queries compare text each event folds once (``Event._search_text``
and friends); a date query scans at first and uses the index from the next query
on. These tests check the answers against an oracle that folds and scans afresh
every time, and count the folding and the index builds, never time them.
"""

from __future__ import annotations

import datetime as dt
import pickle
import unicodedata

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
import rnk_events.collection as collection_module
import rnk_events.dates.display as display_module
import rnk_events.model as model_module
from rnk_events import DateSpan, Event, EventCollection
from tests.edtf_strategies import edtf_dates
from tests.strategies import dated_events, event_lists, spans


def _oracle_fold(text: str) -> str:
    """Folding written out again: NFKD, casefold, no combining marks, every dash a space."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return " ".join("".join(" " if c == "-" or "\u2010" <= c <= "\u2015" else c for c in plain).split())


def _oracle_search(events: list[Event], query: str) -> set[str]:
    words = _oracle_fold(query).split()
    found = set()
    for event in events:
        text = " ".join((event.title, event.summary, event.note, *event.people, *(p.name for p in event.places)))
        if all(word in _oracle_fold(text) for word in words):
            found.add(event.id)
    return found


def _oracle_names(names_of: dict[str, tuple[str, ...]], query: str) -> set[str]:
    wanted = f" {_oracle_fold(query)} "
    if not wanted.strip():
        return set()
    return {event_id for event_id, names in names_of.items() if any(wanted in f" {_oracle_fold(n)} " for n in names)}


@pytest.fixture(scope="module")
def bundled() -> EventCollection:
    return rnk_events.load()


def _unique(items: list[Event]) -> list[Event]:
    return list({event.id: event for event in items}.values())


@given(event_lists(max_size=6), st.data())
def test_search_and_names_agree_with_folding_every_time(items: list[Event], data: st.DataObject) -> None:
    items = _unique(items)
    collection = EventCollection(items)
    texts = [e.title for e in items] + [p for e in items for p in e.people] + [p.name for e in items for p in e.places]
    pick = st.sampled_from(texts) if texts else st.just("")
    # Whole texts, a word cut out of one, an accent or case changed, text no event has.
    query = data.draw(pick.flatmap(lambda text: st.sampled_from([text, text.upper(), text[1:4], "zzq nothing"])))
    for _ in range(2):  # a second time, from the cached folds
        assert set(collection.search(query).ids) == _oracle_search(items, query)
        people = {e.id: e.people for e in items}
        assert set(collection.by_person(query).ids) == _oracle_names(people, query)
        places = {e.id: tuple(p.name for p in e.places) for e in items}
        assert set(collection.at_place(query).ids) == _oracle_names(places, query)


def test_known_names_and_words(bundled: EventCollection) -> None:
    putin = bundled.by_person("putin")
    assert putin
    assert all(any("Putin" in person for person in event.people) for event in putin)
    assert set(bundled.by_person("KIM JONG-UN").ids) == set(bundled.by_person("kim jong un").ids)
    assert not bundled.by_person("puti")  # whole words only
    assert not bundled.by_person("   ")
    assert list(putin.ids) == [event.id for event in bundled if event.id in set(putin.ids)]  # in order


def test_each_event_folds_its_text_once_over_many_queries(
    bundled: EventCollection, monkeypatch: pytest.MonkeyPatch
) -> None:
    folded: list[str] = []
    real = model_module.fold_text

    def counting(text: str) -> str:
        folded.append(text)
        return real(text)

    monkeypatch.setattr(model_module, "fold_text", counting)
    fresh = EventCollection([attrs.evolve(event) for event in bundled], bundled.info)  # no cache yet
    for query in ("putin", "kim jong un", "security council", "no such words", "vladivostok"):
        fresh.search(query)
        fresh[::2].search(query)  # a sub-collection holds the same events, so the same folds
    assert len(folded) == len(fresh)  # one folded text per event; the queries' own words fold in the collection
    for name in ("putin", "kim", "Kim Jong Un", "zelensky", "lavrov"):
        fresh.by_person(name)
    assert len(folded) == len(fresh) + sum(len(event.people) for event in fresh)


def test_caches_stay_out_of_equality_hashing_and_pickles(bundled: EventCollection) -> None:
    event = attrs.evolve(bundled[0])
    copy = attrs.evolve(bundled[0])
    assert event._search_text
    assert event._first_ordinal <= event._last_ordinal
    assert event == copy
    assert hash(event) == hash(copy)
    state = pickle.dumps(event)
    assert b"_search_text" not in state
    assert pickle.loads(state) == event
    changed = attrs.evolve(event, title="Zzq headline")
    assert "zzq" in changed._search_text
    assert "zzq" not in event._search_text


@given(edtf_dates())
def test_a_dates_text_and_display_are_made_once_and_stay_out_of_equality(span: DateSpan) -> None:
    fresh = DateSpan.parse(str(span))  # nothing read from it yet
    assert str(span) == str(fresh)
    assert span.display() == fresh.display()
    assert fresh == span
    assert hash(fresh) == hash(span)
    assert b"_display" not in pickle.dumps(fresh)
    assert pickle.loads(pickle.dumps(fresh)) == span


def test_a_dates_text_is_built_once_however_often_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    show = display_module.display_span

    def counted(span: DateSpan) -> str:
        built.append("display")
        return show(span)

    monkeypatch.setattr(display_module, "display_span", counted)
    span = DateSpan.parse("[2024-06-10..2024-06-16]")
    for _ in range(3):
        assert str(span) == "[2024-06-10..2024-06-16]"
        assert span.display() == show(span)
        assert span.sort_key()[2] == "[2024-06-10..2024-06-16]"
    assert built == ["display"]
    assert str(attrs.evolve(span)) == str(span)


def _brute_force(items: list[Event], first: dt.date, last: dt.date) -> set[str]:
    return {e.id for e in items if e.date.padded_first_day <= last and e.date.padded_last_day >= first}


@given(dated_events(1, 9999, max_size=25), st.lists(spans(), min_size=1, max_size=4))
def test_scans_and_index_give_the_same_answers(items: list[Event], windows: list[DateSpan]) -> None:
    """The first query on a collection scans, the next ones use its index: each agrees with brute force."""
    collection = EventCollection(items)
    for window in [*windows, *windows]:
        found = collection.between(window, window)
        assert set(found.ids) == _brute_force(items, window.first_day, window.last_day)
        assert list(found.ids) == [event.id for event in collection if event.id in set(found.ids)]
        certain = collection.between(window, window, certain=True)
        assert set(certain.ids) <= set(found.ids)
        assert set(certain.ids) == {e.id for e in items if e.date.certainly_within(window.first_day, window.last_day)}


def test_one_query_builds_no_index_and_the_second_builds_one(
    bundled: EventCollection, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[int] = []
    real = collection_module._DateIndex.__init__

    def counting(self: collection_module._DateIndex, events: list[Event]) -> None:
        builds.append(len(events))
        real(self, events)

    monkeypatch.setattr(collection_module._DateIndex, "__init__", counting)
    fresh = bundled[:]
    first = fresh.between("2024", "2024")
    assert builds == []  # a one-shot query scans
    assert fresh.between("2024", "2024") == first
    assert builds == [len(fresh)]  # the second builds the index, once
    fresh.between("2019", "2023")
    fresh.in_year(2000)
    assert builds == [len(fresh)]
    assert fresh.between("2019-04-25", "2019-04-25").ids == ("2019-04-25-first-putin-kim-jong-un-summit-vladivostok",)
