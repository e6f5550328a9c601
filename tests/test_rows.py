"""The flat-row codec shared by CSV, the workbook and the data package: lossless, and with no formula guard."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given

from rnk_events import rows
from rnk_events.dates import DateSpan, End
from rnk_events.errors import DatasetError, FieldError
from rnk_events.model import Event, Place
from rnk_events.serialize import structure_event
from tests.edtf_strategies import edtf_dates
from tests.events import small_event
from tests.strategies import events


def event(**changes: Any) -> Event:
    """The small event over two days (an interval, so the derived cells say ``true``), with ``changes``."""
    return small_event(**{"date": "2024-05-16/2024-05-17", **changes})


@given(events())
def test_cells_give_back_the_event(item: Event) -> None:
    built, problems = structure_event(rows.cells_to_data(rows.event_cells(item)), "mem", "row")
    assert problems == []
    assert built == item


def test_cells_are_in_header_order_with_the_derived_columns() -> None:
    cells = rows.event_cells(event())
    assert tuple(cells) == rows.HEADER
    assert ",".join(rows.HEADER) == (
        "id,date,display_date,first_day,last_day,is_range,precision,qualifier,"
        "title,summary,category,status,actors,people,places,sources,note,revision,revised"
    )
    assert (cells["display_date"], cells["first_day"], cells["last_day"]) == (
        "May 16-17, 2024",
        "2024-05-16",
        "2024-05-17",
    )
    assert (cells["is_range"], cells["precision"], cells["qualifier"]) == ("true", "day", "")


# date, display_date, first_day, last_day, is_range, precision, qualifier: worked out by hand from the grammar.
DERIVED = [
    ("2024", "2024", "2024-01-01", "2024-12-31", "false", "year", ""),
    ("2024-05~", "c. May 2024", "2024-05-01", "2024-05-31", "false", "month", "approximate"),
    ("2024?", "perhaps 2024", "2024-01-01", "2024-12-31", "false", "year", "uncertain"),
    ("2024-05-10%", "perhaps c. May 10, 2024", "2024-05-10", "2024-05-10", "false", "day", "uncertain and approximate"),
    ("195X", "the 1950s", "1950-01-01", "1959-12-31", "false", "decade", ""),
    ("19XX", "an unknown year of the 1900s", "1900-01-01", "1999-12-31", "false", "century", ""),
    ("2024-05-XX", "an unknown day of May 2024", "2024-05-01", "2024-05-31", "false", "day", ""),
    ("2023-24", "winter 2023", "2023-12-01", "2024-02-29", "false", "season", ""),
    (
        "[2024-06-10..2024-06-16]", "one day between June 10 and 16, 2024", "2024-06-10", "2024-06-16", "false", "day",
        "",
    ),
    ("[2024-05-16,2024-05-17]", "May 16 or 17, 2024", "2024-05-16", "2024-05-17", "false", "day", ""),
    ("2024-05~/2024-06-17", "c. May 2024 - June 17, 2024", "2024-05-01", "2024-06-17", "true", "month", "approximate"),
    ("2024?/2025~", "perhaps 2024 - c. 2025", "2024-01-01", "2025-12-31", "true", "year", "uncertain and approximate"),
    ("2023-09/..", "since September 2023", "2023-09-01", "", "true", "month", ""),
    ("../2024-06", "until June 2024", "", "2024-06-30", "true", "month", ""),
    ("2023-09/", "from September 2023, end unknown", "2023-09-01", "", "true", "month", ""),
    ("/2024-06", "until June 2024, start unknown", "", "2024-06-30", "true", "month", ""),
    ("0001", "0001", "0001-01-01", "0001-12-31", "false", "year", ""),  # a real 1 January 0001, not an open start
    ("9999-12-31", "Dec. 31, 9999", "9999-12-31", "9999-12-31", "false", "day", ""),
]  # fmt: skip


@pytest.mark.parametrize(("date", "display", "first", "last", "is_range", "precision", "qualifier"), DERIVED)
def test_derived_columns_of_each_form(
    date: str, display: str, first: str, last: str, is_range: str, precision: str, qualifier: str
) -> None:
    cells = rows.event_cells(event(date=date))
    derived = tuple(cells[column] for column in rows.DERIVED_COLUMNS)
    assert (cells["date"], *derived) == (date, display, first, last, is_range, precision, qualifier)
    built, problems = structure_event(rows.cells_to_data(cells), "mem", "row")
    assert problems == []
    assert built is not None
    assert str(built.date) == date


@given(edtf_dates())
def test_derived_columns_say_what_the_date_says(date: DateSpan) -> None:
    cells = rows.event_cells(event(date=date))
    assert cells["date"] == str(date)
    assert cells["display_date"] == date.display()
    assert cells["is_range"] == ("true" if date.is_range else "false")
    assert cells["precision"] == date.precision.value
    words = {"": "", "?": "uncertain", "~": "approximate", "%": "uncertain and approximate"}
    assert cells["qualifier"] == words[date.qualifier.value]
    open_start, open_end = isinstance(date.start, End), isinstance(date.end, End)
    assert cells["first_day"] == ("" if open_start else date.first_day.isoformat())
    assert cells["last_day"] == ("" if open_end else date.last_day.isoformat())
    assert (cells["first_day"] == "") is (date.first_day == dt.date.min and open_start)
    assert (cells["last_day"] == "") is (date.last_day == dt.date.max and open_end)


@given(edtf_dates())
def test_every_form_gives_back_the_event(date: DateSpan) -> None:
    item = event(date=date)
    built, problems = structure_event(rows.cells_to_data(rows.event_cells(item)), "mem", "row")
    assert problems == []
    assert built == item


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "'quoted", "''twice"])
def test_cells_carry_no_formula_guard(text: str) -> None:
    """Guarding is the file's job (a ' in CSV, a text cell in the workbook), never the codec's."""
    cells = rows.event_cells(event(title=text, note=text, people=(text,)))
    assert (cells["title"], cells["note"], cells["people"]) == (text, text, text)
    data = rows.cells_to_data(cells)
    assert (data["title"], data["note"], data["people"]) == (text, text, [text])


def test_separators_and_backslashes_are_escaped() -> None:
    item = event(people=("Kim | Jong;Un\\", "B"), places=(Place("a;b|c", "PRK", 39.0, 125.75), Place("Nowhere")))
    cells = rows.event_cells(item)
    assert cells["people"] == "Kim \\| Jong\\;Un\\\\|B"
    assert cells["places"] == "a\\;b\\|c;PRK;39.0;125.75|Nowhere;;;"
    assert cells["actors"] == "RUS|PRK"
    assert cells["sources"] == "src;quoted words"
    assert rows.cells_to_data(cells)["people"] == ["Kim | Jong;Un\\", "B"]


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("places", "Seoul;KOR", "expected name;country;lat;lon, got 'Seoul;KOR'"),
        ("places", "Seoul;KOR;37_5;127", "'37_5' is not a number"),
        ("sources", "src", "expected source;evidence, got 'src'"),
    ],
)
def test_a_cell_that_cannot_be_split_is_a_field_error(column: str, cell: str, message: str) -> None:
    cells = {**rows.event_cells(event()), column: cell}
    with pytest.raises(FieldError) as caught:
        rows.cells_to_data(cells)
    assert (caught.value.field, caught.value.message) == (column, message)


def test_problems_carry_the_line_or_row_given() -> None:
    cells = {**rows.event_cells(event()), "category": "war", "places": "x"}
    for position in ({"line": 7}, {"row": 7}):
        built, problems = rows.event_from_cells(cells, "f", "here", line=position.get("line"), row=position.get("row"))
        assert built is None
        assert [(p.field, p.line, p.row) for p in problems] == [("places", position.get("line"), position.get("row"))]
        cells_ok_but_category = {**cells, "places": ""}
        built, problems = rows.event_from_cells(
            cells_ok_but_category, "f", "here", line=position.get("line"), row=position.get("row")
        )
        assert [(p.field, p.line, p.row) for p in problems] == [("category", position.get("line"), position.get("row"))]


def test_check_header_names_what_is_wrong_and_where() -> None:
    with pytest.raises(DatasetError) as caught:
        rows.check_header(["id", "date", "colour", "id"], rows.HEADER, "f.csv", "line 1", line=1)
    (problem,) = caught.value.problems
    assert problem.line == 1
    assert problem.message.startswith("bad header: missing columns ['title', ")
    assert "columns it does not know: 'colour' (a typo?)" in problem.message
    assert "columns named twice ['id']" in problem.message
    assert rows.check_header(rows.COLUMNS, rows.HEADER, "f.csv", "line 1") == []  # derived columns may be left out
