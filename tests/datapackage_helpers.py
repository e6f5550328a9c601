"""Shared by the data package tests: sample collections, the frictionless round-trip check, the zip export."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import frictionless
from hypothesis import strategies as st

import rnk_events
from rnk_events import DatasetInfo, Event, EventCollection, Place, Source, SourceRef, Withdrawal
from rnk_events import rows as flat_rows
from rnk_events.dates import End, Qualifier
from rnk_events.formats import csv as csv_format
from rnk_events.formats import datapackage as datapackage_format
from rnk_events.serialize import structure_event
from tests import strategies

__all__ = [
    "COLLECTIONS",
    "check_package",
    "datasets",
    "errors",
    "hostile",
    "package_rows",
    "zipped",
]


def hostile() -> EventCollection:
    """Cells a spreadsheet would run, CSV metacharacters, list separators, newlines and non-Latin text."""
    info = DatasetInfo(
        name="Hostile Set!",
        title='=HYPERLINK("http://evil.invalid"), "quoted"',
        version="2.0-rc.1",
        as_of="2024-06-17",
        sources=(
            Source(
                id="src-a",
                publisher="=cmd|' /C calc'!A0",
                title='Headline, with "quotes"\nand a second line',
                published="2024-01-02",
                url='https://example.com/a?b=1,2&c="x"',
                file="-file.txt",
                note="@note ünïcödé 北朝鮮 🇰🇵",
            ),
            Source(id="src-b", publisher="+plus", title="'already quoted", published="2023-12-31"),
        ),
    )
    events = [
        Event(
            id="hostile-one",
            date="2024-05-16/2024-05-17",
            title="=1+1",
            summary='Commas, "quotes",\r\nCRLF and\nnewline — Пхеньян 평양',
            category="summit",
            status="alleged",
            actors=("RUS", "PRK", "UN-PANEL"),
            people=("-Minus Person", "Kim | Jong;Un\\"),
            places=(Place("@home;base|x\\y", "PRK", 39.0, 125.75), Place("Nowhere")),
            sources=(SourceRef("src-a", "-evidence; with | bars"), SourceRef("src-b", '"quoted"')),
            note="+starts with a plus",
        ),
        Event(
            id="hostile-two",
            date="2023",
            title="+plus",
            summary="@at sign",
            category="arms-transfer",
            status="disputed",
            actors=(),
            sources=(SourceRef("src-b", "x"),),
            note="'starts with a quote",
        ),
        Event(
            id="hostile-three",
            date="2006-10-14/2017-12",
            title="-minus",
            summary="\u200bzero width, then text",
            category="sanctions",
            status="planned",
            actors=("UNSC",),
            sources=(SourceRef("src-a", "'"),),
        ),
    ]
    return EventCollection(events, info)


COLLECTIONS: dict[str, Callable[[], EventCollection]] = {
    "bundled": rnk_events.load,
    "empty": EventCollection,
    "empty-with-info": lambda: EventCollection((), rnk_events.load().info),
    "hostile": hostile,
}


def errors(report: Any) -> list[list[str]]:
    """A frictionless report's errors as [type, message] pairs, so a failed assert shows them."""
    flat: list[list[str]] = report.flatten(["type", "message"])
    return flat


def package_rows(source: Path) -> dict[str, list[dict[str, Any]]]:
    """Every resource's rows as frictionless reads them (typed by the schema)."""
    package = frictionless.Package(str(source))
    resources: list[Any] = package.resources
    return {resource.name: [row.to_dict() for row in resource.read_rows()] for resource in resources}


def rebuilt_events(rows: list[dict[str, Any]]) -> list[Event]:
    """Events rebuilt from frictionless' cells: the package round-trips without this library's CSV reader."""
    rebuilt = []
    for number, row in enumerate(rows):
        cells = {key: "" if value is None else csv_format.restore(str(value)) for key, value in row.items()}
        event, problems = structure_event(flat_rows.cells_to_data(cells), "events.csv", f"row {number}")
        assert problems == []
        assert event is not None
        rebuilt.append(event)
    return rebuilt


def rebuilt_sources(rows: list[dict[str, Any]]) -> list[Source]:
    def text(value: Any) -> str:
        return "" if value is None else csv_format.restore(str(value))

    return [
        Source(
            id=text(row["id"]),
            publisher=text(row["publisher"]),
            title=text(row["title"]),
            published=row["published"],
            url=text(row["url"]) or None,
            file=text(row["file"]) or None,
            note=text(row["note"]),
        )
        for row in rows
    ]


def rebuilt_withdrawals(rows: list[dict[str, Any]]) -> list[Withdrawal]:
    """Withdrawals rebuilt from frictionless' typed cells (dates as datetime.date, revision as int)."""

    def text(value: Any) -> str:
        return "" if value is None else csv_format.restore(str(value))

    return [
        Withdrawal(
            id=row["id"],
            reason=text(row["reason"]),
            withdrawn=row["withdrawn"],
            replaced_by=row["replaced_by"],
            date=row["date"],
            title=text(row["title"]),
            revision=row["revision"],
        )
        for row in rows
    ]


def check_package(source: Path, events: EventCollection) -> None:
    report = frictionless.validate(str(source))
    assert errors(report) == []
    assert report.valid
    rows = package_rows(source)
    assert sorted(rows) == ["events", "sources", "withdrawn"]
    assert [row["id"] for row in rows["events"]] == [event.id for event in events]
    assert rebuilt_events(rows["events"]) == list(events)
    assert rebuilt_sources(rows["sources"]) == list(events.info.sources)
    assert rebuilt_withdrawals(rows["withdrawn"]) == list(events.info.withdrawn)
    for row, event in zip(rows["events"], events, strict=True):
        date = event.date
        assert (row["first_day"], row["last_day"]) == (
            None if isinstance(date.start, End) else date.first_day,  # open or unknown: an empty cell
            None if isinstance(date.end, End) else date.last_day,
        )
        assert row["is_range"] is date.is_range  # a boolean, as frictionless types it
        assert row["precision"] == date.precision.value
        assert row["qualifier"] == QUALIFIER_CELLS[date.qualifier]


#: The qualifier column as frictionless reads it, written out here rather than taken from the module.
QUALIFIER_CELLS = {
    Qualifier.NONE: None,  # an empty cell, a missing value
    Qualifier.UNCERTAIN: "uncertain",
    Qualifier.APPROXIMATE: "approximate",
    Qualifier.BOTH: "uncertain and approximate",
}


def zipped(events: EventCollection, **options: Any) -> bytes:
    """The zip export's bytes, written in memory so a test can save, compare or read them back."""
    stream = io.BytesIO()
    datapackage_format.write(events, stream, **options)
    return stream.getvalue()


@st.composite
def datasets(draw: st.DrawFn) -> EventCollection:
    """Events with arbitrary text, and a source row (arbitrary text too) for every id they cite."""
    events = draw(strategies.event_lists(max_size=5))
    cited = sorted({ref.source for event in events for ref in event.sources})
    sources = [
        Source(
            id=source_id,
            publisher=draw(strategies.texts),
            title=draw(strategies.texts),
            published=draw(strategies.days),
            url=draw(st.none() | st.just(f"https://example.com/{source_id}?q=a,b")),
            file=draw(st.none() | strategies.texts),
            note=draw(st.just("") | strategies.texts),
        )
        for source_id in cited
    ]
    return EventCollection(events, DatasetInfo(name=draw(strategies.texts), sources=sources))
