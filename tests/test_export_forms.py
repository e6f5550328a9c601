"""Every form of the date grammar through every flat export: JSON, CSV, the workbook and the data package.

Each file is written by this library and read back twice: by this library's
reader, which must give the same collection, and by a reader that is not this
library's (jsonschema for the JSON, the csv module for the CSV, python-calamine
for the workbook openpyxl wrote, frictionless for the data package), whose
cells must say what the date says: the canonical text, and the derived columns
(bounds as written, empty for an open or unknown end; whether it is a range;
the precision; the qualifier). The dates are :func:`tests.edtf_strategies.edtf_dates`,
the whole grammar; the other fields are plain, since text is tested elsewhere.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.resources
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import frictionless
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

import rnk_events
from rnk_events import rows as flat_rows
from rnk_events.collection import EventCollection
from rnk_events.dates import DateSpan, End
from rnk_events.formats import csv as csv_format
from rnk_events.formats import json as json_format
from rnk_events.formats import xlsx as xlsx_format
from rnk_events.model import Category, DatasetInfo, Event, SourceRef, Status
from rnk_events.serialize import structure_event
from tests.edtf_strategies import edtf_dates

SCHEMA = jsonschema.Draft202012Validator(
    json.loads(importlib.resources.files("rnk_events").joinpath("schema/events.schema.json").read_text("utf-8"))
)
#: The derived columns' words, written out here rather than taken from the module.
QUALIFIER = {"": "", "?": "uncertain", "~": "approximate", "%": "uncertain and approximate"}
STAMP = dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)


def event(number: int, date: DateSpan, category: Category, revised: dt.date | None = None) -> Event:
    return Event(
        id=f"e{number}",
        date=date,
        title=f"Event {number}",
        summary=f"What happened, {number}.",
        category=category,
        status=Status.HAPPENED,
        actors=("RUS",),
        sources=(SourceRef("src", "words"),),
        revision=0 if revised is None else number + 1,
        revised=revised,
    )


#: A revised day, or None for an event as first published: every file must keep both.
REVISED = st.none() | st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@st.composite
def collections(draw: st.DrawFn, max_size: int = 6) -> EventCollection:
    """Events of any dates, some revised, with or without an as-of day (TimelineJS draws an open end to it)."""
    dates = draw(st.lists(edtf_dates(), min_size=1, max_size=max_size))
    categories = st.sampled_from(Category)
    events = [event(number, date, draw(categories), draw(REVISED)) for number, date in enumerate(dates)]
    as_of = draw(st.none() | st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
    return EventCollection(events, DatasetInfo(name="forms", title="Forms", as_of=as_of))


def written(date: DateSpan) -> tuple[dt.date | None, dt.date | None]:
    """The bounds as the files write them: None where an end is open or unknown."""
    return (
        None if isinstance(date.start, End) else date.first_day,
        None if isinstance(date.end, End) else date.last_day,
    )


def export(events: EventCollection, name: str, **options: Any) -> bytes:
    stream = io.BytesIO()
    rnk_events.export(events, name, stream, **options)
    return stream.getvalue()


def rebuilt(cells: dict[str, str]) -> Event:
    """An event from a row's text cells, through the flat-row codec only (no file reader of this library)."""
    built, problems = structure_event(flat_rows.cells_to_data(cells), "cells", "row")
    assert problems == []
    assert built is not None
    return built


# --- JSON -----------------------------------------------------------------------------------------


@given(collections())
def test_json_round_trips_every_form_and_validates(events: EventCollection) -> None:
    data = export(events, "json")
    assert json_format.read(io.BytesIO(data), "forms.json") == events
    document = json.loads(data)
    SCHEMA.validate(document)
    for stored, item in zip(document["events"], events, strict=True):
        assert stored["date"] == str(item.date)  # the canonical text, and nothing derived from it
        assert set(stored) == {"id", "date", "title", "summary", "category", "status", "actors", "people"} | {
            "places",
            "sources",
            "note",
            "revision",
            "revised",
        }
        assert (stored["revision"], stored["revised"]) == (
            item.revision,
            None if item.revised is None else item.revised.isoformat(),
        )


# --- CSV ------------------------------------------------------------------------------------------


@given(collections())
def test_csv_round_trips_every_form(events: EventCollection) -> None:
    data = export(events, "csv")
    assert list(csv_format.read(io.BytesIO(data), "forms.csv")) == list(events)  # CSV carries no dataset info
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    for row, item in zip(table, events, strict=True):
        first, last = written(item.date)
        assert row["date"] == str(item.date)
        assert row["display_date"] == item.date.display()
        assert (row["first_day"], row["last_day"]) == (
            "" if first is None else first.isoformat(),
            "" if last is None else last.isoformat(),
        )
        assert row["is_range"] == ("true" if item.date.is_range else "false")
        assert row["precision"] == item.date.precision.value
        assert row["qualifier"] == QUALIFIER[item.date.qualifier.value]
        assert (row["revision"], row["revised"]) == (str(item.revision), day_text(item.revised))
        assert rebuilt({key: csv_format.restore(value) for key, value in row.items()}) == item


# --- the workbook -----------------------------------------------------------------------------------


def sheet(data: bytes, name: str) -> list[dict[str, Any]]:
    """A sheet's rows as python-calamine (not openpyxl, which wrote the file) reads the cells."""
    table = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name).to_python(skip_empty_area=False)
    header = [str(name) for name in table[0]]
    return [dict(zip(header, values, strict=True)) for values in table[1:]]


def day_cell(day: dt.date | None) -> Any:
    """A bound as the Events sheet holds it: a date cell, ISO text before 1900 (Excel's first day), or empty."""
    if day is None:
        return ""
    return day if day >= dt.date(1900, 1, 1) else day.isoformat()


def day_text(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


def cell_text(value: Any) -> str:
    """A cell python-calamine read, as the text a person would type: a whole number without ".0"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def blank(value: Any) -> bool:
    return value in ("", None)


@settings(max_examples=30)
@given(collections())
def test_workbook_round_trips_every_form(events: EventCollection) -> None:
    data = export(events, "xlsx", stamp=STAMP)
    assert xlsx_format.read(io.BytesIO(data), "forms.xlsx") == events
    for row, item in zip(sheet(data, "Events"), events, strict=True):
        date = item.date
        first, last = written(date)
        assert row["date"] == str(date)
        assert (row["first_day"], row["last_day"]) == (day_cell(first), day_cell(last))
        assert row["is_range"] is date.is_range  # a boolean cell
        assert (row["precision"], row["qualifier"]) == (date.precision.value, QUALIFIER[date.qualifier.value])
        one_exact_day = date.kind == "date" and date.is_exact
        assert row["start"] == (day_cell(date.first_day) if one_exact_day else date.display())
        assert (row["revision"], row["revised"]) == (item.revision, day_cell(item.revised))  # a number, a date cell
        assert rebuilt({column: cell_text(row[column]) for column in flat_rows.COLUMNS}) == item


@settings(max_examples=30)
@given(collections())
def test_timelinejs_sheet_draws_points_as_markers_and_reads_back(events: EventCollection) -> None:
    """A point, one of a set included, has no End cells; Display Date has the words, which read back exactly."""
    data = export(events, "xlsx", stamp=STAMP)
    slides = sheet(data, "TimelineJS")[1:]  # after the title row
    for row, item in zip(slides, events, strict=True):
        assert row["Display Date"] == item.date.display()
        if not item.date.is_range:
            assert all(blank(row[column]) for column in ("End Year", "End Month", "End Day")), item.date
        # the slide starts in a year that one of the written dates covers: never year 1 or 9999 for an open end
        assert any(part.first_day.year <= row["Year"] <= part.last_day.year for part in item.date.dates())
    back = xlsx_format.read_timelinejs_sheet(io.BytesIO(data), "forms.xlsx")
    assert sorted((item.date, item.title) for item in back) == sorted((item.date, item.title) for item in events)


# --- the data package -----------------------------------------------------------------------------


@settings(max_examples=15)
@given(collections(max_size=8))
def test_data_package_validates_and_round_trips_every_form(events: EventCollection) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "forms.datapackage.zip"
        path.write_bytes(export(events, "datapackage"))
        report = frictionless.validate(str(path))
        assert report.flatten(["rowNumber", "fieldName", "type", "message"]) == []
        resource: Any = frictionless.Package(str(path)).get_resource("events")
        table = [row.to_dict() for row in resource.read_rows()]
        with zipfile.ZipFile(path) as archive:
            assert archive.read("events.csv") == export(events, "csv", bom=False)  # a package table has no BOM
    for row, item in zip(table, events, strict=True):
        date = item.date
        assert row["date"] == str(date)
        assert (row["first_day"], row["last_day"]) == written(date)  # typed by the schema: dates, or None
        assert row["is_range"] is date.is_range
        assert row["precision"] == date.precision.value
        assert row["qualifier"] == (QUALIFIER[date.qualifier.value] or None)
        assert (row["revision"], row["revised"]) == (item.revision, item.revised)  # typed: an integer, a date or None
        cells = {key: "" if value is None else csv_format.restore(str(value)) for key, value in row.items()}
        assert rebuilt(cells) == item


# --- the bundled edition's one-of sets, by hand ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("[2024-06-10..2024-06-16]", dt.date(2024, 6, 10), dt.date(2024, 6, 16)),
        ("[2024-01..2024-06-17]", dt.date(2024, 1, 1), dt.date(2024, 6, 17)),
    ],
)
def test_the_bundled_sets_are_points_in_every_file(text: str, first: dt.date, last: dt.date) -> None:
    bundled = rnk_events.load()
    (item,) = [item for item in bundled if str(item.date) == text]
    csv_row = next(
        row
        for row in csv.DictReader(io.StringIO(export(bundled, "csv").decode("utf-8-sig"), newline=""))
        if row["id"] == item.id
    )
    assert (csv_row["first_day"], csv_row["last_day"], csv_row["is_range"]) == (
        first.isoformat(),
        last.isoformat(),
        "false",
    )
    workbook = export(bundled, "xlsx", stamp=STAMP)
    events_row = next(row for row in sheet(workbook, "Events") if row["id"] == item.id)
    assert (events_row["first_day"], events_row["last_day"], events_row["is_range"]) == (first, last, False)
    assert events_row["start"] == item.date.display()  # no day is made up
    timeline_row = next(row for row in sheet(workbook, "TimelineJS") if row["Headline"] == item.title)
    assert all(blank(timeline_row[column]) for column in ("End Year", "End Month", "End Day"))
    assert timeline_row["Display Date"] == item.date.display()
