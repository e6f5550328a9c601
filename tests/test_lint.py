"""Lint rules: what loads but looks wrong, as records the CLI prints and a newsroom's own checks can use."""

from __future__ import annotations

import datetime as dt
import doctest

import attrs
import pytest

import rnk_events
from rnk_events import DatasetInfo, EventCollection, Source, SourceRef, Status, parse_date
from rnk_events.lint import LintWarning, lint

AS_OF = dt.date(2024, 6, 17)


def event(event_id: str, date: str, status: Status = Status.HAPPENED, title: str = "") -> rnk_events.Event:
    return rnk_events.Event(
        id=event_id,
        date=parse_date(date),
        title=title or event_id.replace("-", " "),
        summary="Something happened.",
        category="diplomacy",
        status=status,
        actors=("RUS",),
        sources=(SourceRef("wire", "it happened"),),
    )


def collection(*events: rnk_events.Event, as_of: dt.date | None = AS_OF, sources: bool = True) -> EventCollection:
    listed = (Source(id="wire", publisher="Wire", title="A timeline", published=AS_OF),) if sources else ()
    return EventCollection(events, DatasetInfo(as_of=as_of, sources=listed))


def test_the_bundled_dataset_is_clean() -> None:
    assert lint(rnk_events.load()) == []


def test_the_module_example_runs() -> None:
    result = doctest.testmod(rnk_events.lint)
    assert (result.attempted > 0, result.failed) == (True, 0)


def test_happened_after_the_as_of_date() -> None:
    found = lint(collection(event("2024-06-18-a", "2024-06-18")))
    assert found == [
        LintWarning(
            "2024-06-18-a", "status", "status 'happened' but it starts after the dataset's as-of date 2024-06-17"
        )
    ]


def test_planned_but_already_over() -> None:
    found = lint(collection(event("2024-05-a", "2024-05", Status.PLANNED)))
    assert found == [
        LintWarning(
            "2024-05-a",
            "status",
            "stale: still 'planned', but its date ended before the dataset's as-of date 2024-06-17; "
            "the status is kept until a source says what happened",
        )
    ]


@pytest.mark.parametrize(
    ("date", "status"),
    [
        ("2024-06-17", Status.HAPPENED),  # on the as-of day itself
        ("2024-06-18", Status.PLANNED),
        ("2024-06", Status.PLANNED),  # still running on the as-of day
        ("2024-06-17", Status.PLANNED),
        ("2024-07", Status.ALLEGED),  # the rules are about happened and planned only
    ],
)
def test_statuses_consistent_with_the_as_of_date_are_clean(date: str, status: Status) -> None:
    assert lint(collection(event("x", date, status))) == []


def test_without_an_as_of_date_the_status_rules_do_not_apply() -> None:
    events = collection(event("a", "2030", Status.HAPPENED), event("b", "1990", Status.PLANNED), as_of=None)
    assert lint(events) == []


def test_the_same_title_twice_names_the_first_event() -> None:
    found = lint(collection(event("a", "2020", title="Putin  visits"), event("b", "2021", title="putin visits")))
    assert found == [LintWarning("b", "title", "same title as event 'a'; a duplicate?")]


def test_no_sources_listed_is_one_warning_for_the_whole_dataset() -> None:
    found = lint(collection(event("a", "2020"), event("b", "2021"), sources=False))
    assert found == [
        LintWarning("", "sources", "the file lists no sources, so the source ids its events cite were not checked")
    ]
    assert str(found[0]) == found[0].message
    assert lint(collection(sources=False)) == [], "no events cite anything, so nothing went unchecked"


def test_warnings_come_in_event_order_then_the_dataset() -> None:
    events = [event("b", "2024-07", title="same"), event("a", "2020", Status.PLANNED, title="same")]
    found = lint(collection(*events, sources=False))
    assert [(warning.event_id, warning.field) for warning in found] == [
        ("a", "status"),
        ("b", "status"),
        ("b", "title"),
        ("", "sources"),
    ]
    assert str(found[0]).startswith("event 'a': stale: still 'planned'")


def test_a_plain_list_of_events_is_linted_too() -> None:
    found = lint([event("a", "2020", title="t"), event("b", "2021", title="t")])
    assert [warning.field for warning in found] == ["title", "sources"]


def test_a_warning_is_a_frozen_record() -> None:
    warning = LintWarning("a", "title", "why")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        warning.message = "other"  # type: ignore[misc]
