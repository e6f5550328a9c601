"""Knight Lab TimelineJS sheets come in: the template recognised in CSV and xlsx, honest dates, drafted ids, notes.

The fixtures are one table typed by hand into the template
(``tests/data/knightlab/make_fixtures.py``); every expected date below is
written by hand, never computed by the reader.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import rnk_events
from rnk_events.cli import main
from rnk_events.collection import EventCollection
from rnk_events.errors import DatasetError, Problem
from rnk_events.formats import knightlab
from rnk_events.formats import xlsx as xlsx_format
from rnk_events.ids import IdPool
from rnk_events.model import Category, SourceRef, Status

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "data" / "knightlab"
TEMPLATE_CSV = HERE / "js" / "node_modules" / "@knight-lab" / "timelinejs" / "src" / "template" / "my-own-timeline.csv"


def _fixtures_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("knightlab_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKE = _fixtures_module()

#: Every event row of the fixture: headline -> (EDTF date, category). Written by hand.
EXPECTED = {
    "A year only": ("2000", Category.DIPLOMACY),
    "A month": ("2000-07", Category.SUMMIT),
    "A day": ("2019-04-25", Category.SUMMIT),
    "Days to days": ("2024-05-16/2024-05-17", Category.SANCTIONS),
    "Months to months": ("2023-09/2024-06", Category.ARMS_TRANSFER),
    "Years to years": ("2020/2022", Category.BORDER),
    "About May": ("2024-05~", Category.DIPLOMACY),
    "That week": ("[2024-06-10..2024-06-16]", Category.DIPLOMACY),
    "Since September": ("2023-09/..", Category.MILITARY),
    "Words disagree": ("2024-06", Category.DIPLOMACY),
    "With a time": ("2024-06-19", Category.SUMMIT),
    "Thousands comma": ("1950", Category.POLITICS),
}
#: The ids drafted for them, by hand: the known part of the date, then the headline's words.
EXPECTED_IDS = {
    "1950-thousands-comma",
    "2000-a-year-only",
    "2000-a-year-only-2",
    "2000-07-a-month",
    "2019-04-25-a-day",
    "2020-years-to-years",
    "2023-09-months-to-months",
    "2023-09-since-september",
    "2024-05-about-may",
    "2024-05-16-days-to-days",
    "2024-06-words-disagree",
    "2024-06-that-week",
    "2024-06-19-with-a-time",
}
#: Where each event row sits: the CSV line (the "With a time" cell holds a line break) and the sheet row.
EVENT_LINES = [3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 17, 18]
EVENT_ROWS = [3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17]


def fixture_path(name: str, tmp_path: Path) -> Path:
    """A committed CSV fixture, or the workbook of that variant built here (``*.xlsx``)."""
    if name.endswith(".xlsx"):
        header = MAKE.HEADER_19 if "19" in name else MAKE.HEADER_18
        path = tmp_path / name
        path.write_bytes(MAKE.xlsx_bytes(header))
        return path
    return FIXTURES / name


VARIANTS = ["template-18-bom-crlf.csv", "template-19.csv", "template-18.xlsx", "template-19.xlsx"]


# --- the template's header -----------------------------------------------------------------------


def test_the_template_columns_are_knight_labs() -> None:
    typed = "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,"
    typed += "Media Credit,Media Caption,Media Thumbnail,Type,Group,Background"
    assert list(knightlab.TEMPLATE_COLUMNS_18) == typed.split(",")
    assert list(knightlab.TEMPLATE_COLUMNS_19) == [*typed.split(",")[:15], "Alt Text", *typed.split(",")[15:]]
    assert [name for name, _ in xlsx_format.TIMELINEJS_COLUMNS] == list(knightlab.TEMPLATE_COLUMNS_19)


def test_the_18_columns_are_timelinejs_own_csv_template() -> None:
    if not TEMPLATE_CSV.exists():
        pytest.skip("the npm package @knight-lab/timelinejs is not installed in tests/js")
    header = next(csv.reader(io.StringIO(TEMPLATE_CSV.read_text("utf-8"))))
    assert header == list(knightlab.TEMPLATE_COLUMNS_18)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (MAKE.HEADER_18, True),
        (MAKE.HEADER_19, True),
        ([name.upper() for name in reversed(MAKE.HEADER_19)], True),  # TimelineJS reads columns by name
        ([f"  {name.lower()} " for name in MAKE.HEADER_18], True),
        ([name.replace(" ", "") for name in MAKE.HEADER_18], True),  # "EndYear"
        ([*MAKE.HEADER_18, "Owner", "Notes for desk", ""], True),
        (MAKE.HEADER_18[:-1], False),  # no Background
        ([name for name in MAKE.HEADER_19 if name != "Headline"], False),
        (["id", "date", "title", "summary", "category", "status"], False),
        ([], False),
    ],
)
def test_is_template_header(header: list[str], expected: bool) -> None:
    assert knightlab.is_template_header(header) is expected


# --- the fixtures: every row with the right date -------------------------------------------------


def test_the_committed_csv_fixtures_are_what_the_script_makes() -> None:
    for name, (header, bom, newline) in MAKE.CSV_FIXTURES.items():
        assert (FIXTURES / name).read_bytes() == MAKE.csv_bytes(header, bom=bom, newline=newline), name
    crlf = (FIXTURES / "template-18-bom-crlf.csv").read_bytes()
    assert crlf.startswith(b"\xef\xbb\xbfYear,Month,Day,")
    assert crlf.count(b"\r\n") >= len(MAKE.ROWS)


@pytest.mark.parametrize("name", VARIANTS)
def test_every_row_comes_in_with_the_right_date(name: str, tmp_path: Path) -> None:
    collection = rnk_events.load(fixture_path(name, tmp_path))
    got: dict[str, list[tuple[str, Category]]] = {}
    for event in collection:
        got.setdefault(event.title, []).append((str(event.date), event.category))
    assert {title: values[0] for title, values in got.items()} == EXPECTED
    assert got["A year only"] == [("2000", Category.DIPLOMACY)] * 2
    assert {event.id for event in collection} == EXPECTED_IDS
    assert collection.info.title == "The desk's Russia-North Korea timeline"  # the title row, tags stripped
    assert all(event.status is Status.HAPPENED and event.actors == () for event in collection)


@pytest.mark.parametrize("name", VARIANTS)
def test_text_comes_in_as_shown(name: str, tmp_path: Path) -> None:
    by_title = {event.title: event for event in rnk_events.load(fixture_path(name, tmp_path))}
    assert by_title["A day"].summary == "Vladivostok & the bridge."
    assert by_title["With a time"].summary == "Line one.\nLine two."


@pytest.mark.parametrize("name", VARIANTS)
def test_each_event_cites_the_sheet_and_a_note_says_it_needs_sources(name: str, tmp_path: Path) -> None:
    path = fixture_path(name, tmp_path)
    collection = rnk_events.load(path)
    stem = name.split(".")[0]
    assert all(event.sources == (SourceRef(stem, event.title),) for event in collection)
    needs = [note for note in collection.notes if "cites only the sheet itself" in note.message]
    unit = "line" if name.endswith(".csv") else "row"
    where = [note.line if unit == "line" else note.row for note in needs]
    assert where == (EVENT_LINES if unit == "line" else EVENT_ROWS)
    assert all(note.record == f"{unit} {number}" for note, number in zip(needs, where, strict=True))
    assert all("add the articles that report it" in note.message for note in needs)
    assert {note.message.rsplit("event ", 1)[1].rstrip(")") for note in needs} == EXPECTED_IDS


@pytest.mark.parametrize("name", VARIANTS)
def test_what_is_not_read_is_said(name: str, tmp_path: Path) -> None:
    notes = rnk_events.load(fixture_path(name, tmp_path)).notes
    unit = "line" if name.endswith(".csv") else "row"
    said = {(note.record, note.field) for note in notes if "cites only" not in note.message}
    time_at, era_at = (14, 16) if unit == "line" else (14, 15)
    expected = {(f"{unit} {time_at}", "Time"), (f"{unit} {era_at}", "Type"), (f"{unit} 1", "Media")}
    if "19" in name:
        expected.add((f"{unit} 1", "Alt Text"))  # the 18-column variant has no Alt Text to lose
    assert said == expected
    (time_note,) = [note for note in notes if note.field == "Time"]
    assert "'10:30' not kept: the dataset has no times of day" in time_note.message


# --- read_table directly: problems name line or row and column ------------------------------------


def table(*rows: dict[str, Any], header: list[str] | None = None) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    columns = header or MAKE.HEADER_19
    return columns, [(number, [row.get(c, "") for c in columns]) for number, row in enumerate(rows, start=2)]


def read(*rows: dict[str, Any], unit: str = "line", origin: str = "desk.csv") -> EventCollection:
    header, numbered = table(*rows)
    return knightlab.read_table(header, numbered, origin, unit=unit)


def problems_of(*rows: dict[str, Any], unit: str = "line") -> list[Problem]:
    with pytest.raises(DatasetError) as caught:
        read(*rows, unit=unit)
    return list(caught.value.problems)


EVENT = {"Headline": "H", "Text": "T", "Group": "summit"}


@pytest.mark.parametrize("unit", ["line", "row"])
def test_problems_name_the_line_or_row_and_the_column(unit: str) -> None:
    found = problems_of(
        {**EVENT, "Year": "2024"},
        {**EVENT, "Year": "-44"},
        {**EVENT, "Year": "2024", "Month": "13"},
        {**EVENT, "Year": "2024", "Day": "3"},
        {**EVENT, "End Year": "2024"},
        {**EVENT, "Year": "2024", "End Year": "2023"},
        {**EVENT, "Year": "2024", "Group": "weather"},
        {**EVENT, "Year": "2024", "End Month": "x"},
        unit=unit,
    )
    assert [(problem.record, problem.field) for problem in found] == [
        (f"{unit} 3", "Year"),
        (f"{unit} 4", "Month"),
        (f"{unit} 5", "Month"),
        (f"{unit} 6", "Year"),  # an end alone: the start is missing
        (f"{unit} 7", "End Year"),
        (f"{unit} 8", "Group"),
        (f"{unit} 9", "End Month"),
    ]
    numbers = [problem.line if unit == "line" else problem.row for problem in found]
    assert numbers == [int(problem.record.split()[1]) for problem in found]
    assert all((problem.row if unit == "line" else problem.line) is None for problem in found)
    assert "the year -44 is before 1 CE; the dataset's dates run from year 1 to 9999" in found[0].message


def test_a_table_that_is_not_the_template_is_refused_naming_what_is_missing() -> None:
    with pytest.raises(DatasetError) as caught:
        knightlab.read_table(["Year", "Headline"], [], "desk.csv", unit="line")
    (problem,) = caught.value.problems
    assert (problem.record, problem.line) == ("line 1", 1)
    assert problem.message.startswith("not Knight Lab's TimelineJS template: the header lacks 'Month', 'Day',")
    assert "'Background' (the template's columns: Year, Month," in problem.message


def test_a_template_column_twice_is_named_by_letter_in_a_sheet_and_number_in_a_csv() -> None:
    header = [*MAKE.HEADER_18, "HEADLINE"]
    for unit, columns in (("row", "J and S"), ("line", "10 and 19")):
        with pytest.raises(DatasetError) as caught:
            knightlab.read_table(header, [], "desk", unit=unit)
        assert [problem.message for problem in caught.value.problems] == [
            f"duplicate column 'Headline' in columns {columns}: keep one"
        ]


def test_extra_columns_and_values_without_a_header_are_noted_not_fatal() -> None:
    header = [*MAKE.HEADER_18, "Owner", ""]
    cells = {**EVENT, "Year": "2024", "Owner": "Ana"}
    rows = [(2, [*[cells.get(column, "") for column in header[:-1]], "scribble"])]
    collection = knightlab.read_table(header, rows, "desk.xlsx", unit="row")
    assert len(collection) == 1
    messages = [note.message for note in collection.notes if note.row == 1]
    assert "not read: 'Owner', not columns of Knight Lab's template" in messages
    assert "column T has no header; its values (row 2) were not read" in messages


def test_short_rows_blank_rows_and_a_bad_unit() -> None:
    header, _ = table()
    short = (5, ["2024", "6"])  # a CSV line cut short: the rest is empty, so no headline
    blank = (3, ["", " ", ""])
    with pytest.raises(DatasetError) as caught:
        knightlab.read_table(header, [blank, short], "desk.csv", unit="line")
    assert {(problem.record, problem.field) for problem in caught.value.problems} == {
        ("line 5", "Headline"),
        ("line 5", "Text"),
        ("line 5", "Group"),
    }
    with pytest.raises(ValueError, match="unit must be 'line' or 'row'"):
        knightlab.read_table(header, [], "desk.csv", unit="cell")


def test_only_the_first_title_row_names_the_timeline() -> None:
    collection = read(
        {"Type": "Title", "Headline": "First"}, {"Type": "title", "Headline": "Second"}, {**EVENT, "Year": "2024"}
    )
    assert collection.info.title == "First"
    assert [note.record for note in collection.notes if "second title row" in note.message] == ["line 3"]


# --- citations -----------------------------------------------------------------------------------

CITED = (
    "<p>Putin landed.</p><p><strong>Status:</strong> disputed</p>"
    "<p><strong>Sources:</strong></p><ul>"
    '<li>Reuters, “<a href="https://example.com/a">Putin lands</a>” (June 19, 2024): “Putin landed”</li>'
    "<li>AFP, “Kim greets Putin” (June 19, 2024): “Kim greeted him”</li>"
    '<li>Reuters, “<a href="https://example.com/a">Putin lands</a>” (June 19, 2024): “at the airport”</li>'
    "</ul>"
)


def test_a_sources_list_as_the_export_writes_it_becomes_citations() -> None:
    collection = read({**EVENT, "Year": "2024", "Month": "6", "Day": "19", "Text": CITED})
    (event,) = collection
    assert (event.summary, event.status) == ("Putin landed.", Status.DISPUTED)
    info = collection.info
    cited = [(info.source(ref.source), ref.evidence) for ref in event.sources]
    assert [(s.publisher, s.title, s.published, s.url, words) for s, words in cited] == [
        ("Reuters", "Putin lands", dt.date(2024, 6, 19), "https://example.com/a", "Putin landed"),
        ("AFP", "Kim greets Putin", dt.date(2024, 6, 19), None, "Kim greeted him"),
        ("Reuters", "Putin lands", dt.date(2024, 6, 19), "https://example.com/a", "at the airport"),
    ]
    assert len(info.sources) == 2  # one source per article, however often it is cited
    assert not [note for note in collection.notes if "cites only" in note.message]


def test_a_sources_paragraph_of_prose_stays_in_the_summary() -> None:
    text = "<p>Putin landed.</p><p>Sources:</p><ul><li>our reporter in Seoul</li></ul>"
    (event,) = read({**EVENT, "Year": "2024", "Text": text})
    assert event.summary == "Putin landed.\nSources:\nour reporter in Seoul"
    assert [ref.source for ref in event.sources] == ["desk"]


def test_citations_of_a_collection_without_source_metadata_keep_their_ids() -> None:
    text = "<p>Met.</p><p><strong>Sources:</strong></p><ul><li>reuters-timeline: “they met”</li></ul>"
    (event,) = read({**EVENT, "Year": "2024", "Text": text})
    assert event.sources == (SourceRef("reuters-timeline", "they met"),)
    assert event.summary == "Met."


def test_a_long_line_that_only_looks_like_citations_is_prose() -> None:
    hostile = "Sources:<br>" + "a, “b” (c): “" * 20_000  # no closing quote: never a citation
    (event,) = read({**EVENT, "Year": "2024", "Text": "Met.<br>" + hostile})
    assert event.summary.startswith("Met.\nSources:\na, “b” (c): “")
    assert event.sources == (SourceRef("desk", "H"),)


def test_a_huge_number_in_a_date_cell_is_a_short_problem() -> None:
    (problem,) = problems_of({**EVENT, "Year": "9" * 100_000})
    assert (problem.record, problem.field) == ("line 2", "Year")
    assert "is too large for a date part" in problem.message
    assert len(problem.message) < 200


def test_an_uncited_row_beside_cited_ones_is_a_problem_naming_it() -> None:
    found = problems_of({**EVENT, "Year": "2024", "Month": "6", "Day": "19", "Text": CITED}, {**EVENT, "Year": "2024"})
    assert [(problem.record, problem.field) for problem in found] == [("line 3", "Text")]
    assert "list this event's the same way" in found[0].message


def test_the_workbooks_timelinejs_sheet_round_trips_its_citations(tmp_path: Path) -> None:
    bundled = rnk_events.load()
    target = tmp_path / "rnk.xlsx"
    rnk_events.export(bundled, "xlsx", target, stamp=dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc))
    back = xlsx_format.read_timelinejs_sheet(io.BytesIO(target.read_bytes()), str(target))

    def citations(events: EventCollection) -> list[list[tuple[Any, ...]]]:
        info = events.info
        return [
            [
                (source.publisher, source.title, source.published, source.url, ref.evidence)
                for ref in event.sources
                for source in [info.source(ref.source)]
            ]
            for event in events
        ]

    assert citations(back) == citations(bundled)
    assert [(e.date, e.title, e.summary, e.status) for e in back] == [
        (e.date, e.title, e.summary, e.status) for e in bundled
    ]
    assert not back.notes


# --- dates, by property --------------------------------------------------------------------------


@st.composite
def typed_dates(draw: st.DrawFn) -> tuple[dict[str, str], str]:
    """Year/Month/Day cells as a desk types them, and the EDTF text they mean (formatted here, by hand)."""
    day = draw(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    cells = {"Year": str(day.year)}
    text = f"{day.year:04d}"
    if precision != "year":
        cells["Month"] = str(day.month)
        text += f"-{day.month:02d}"
    if precision == "day":
        cells["Day"] = str(day.day)
        text += f"-{day.day:02d}"
    return cells, text


@given(typed_dates(), st.sampled_from(["line", "row"]), st.booleans())
def test_date_parts_keep_exactly_their_precision(typed: tuple[dict[str, str], str], unit: str, numbers: bool) -> None:
    cells, text = typed
    values: dict[str, Any] = {name: int(value) for name, value in cells.items()} if numbers else cells
    (event,) = read({**EVENT, **values}, unit=unit)
    assert str(event.date) == text
    assert event.id.startswith(text.lower() + "-")


@given(typed_dates(), typed_dates())
def test_end_parts_make_an_interval(first: tuple[dict[str, str], str], second: tuple[dict[str, str], str]) -> None:
    (start, start_text), (end, end_text) = sorted([first, second], key=lambda pair: int(pair[0]["Year"]))
    assume(start["Year"] != end["Year"])  # a later year: after every day the start may fall on
    row = {**EVENT, **start, **{f"End {name}": value for name, value in end.items()}}
    (event,) = read(row)
    assert str(event.date) == f"{start_text}/{end_text}"


def test_an_end_equal_to_the_start_is_no_interval() -> None:
    (event,) = read({**EVENT, "Year": "2019", "Month": "4", "End Year": "2019", "End Month": "4"})
    assert str(event.date) == "2019-04"


# --- ids stay linear -----------------------------------------------------------------------------


class CountingPool(IdPool):
    """The reader's id pool (put in its place below), counting every "is this id taken?" check."""

    checks = 0

    def __contains__(self, item: object) -> bool:
        CountingPool.checks += 1
        return bool(super().__contains__(item))


def id_checks(rows: int, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(knightlab, "IdPool", CountingPool)
    CountingPool.checks = 0
    header, numbered = table(*[{**EVENT, "Year": "2024", "Month": "6"}] * rows)
    assert len(knightlab.read_table(header, numbered, "desk.csv", unit="line")) == rows
    return CountingPool.checks


def test_a_sheet_of_identical_rows_drafts_ids_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = id_checks(1_000, monkeypatch), id_checks(10_000, monkeypatch)
    assert small >= 1_000  # every draft asks at least once
    assert large <= 10.5 * small  # linear: 10x the rows, 10x the checks (quadratic would be 100x)
    assert large <= 3 * 10_000


# --- the command line ----------------------------------------------------------------------------


def test_validate_prints_the_needs_sources_notes_and_export_gives_a_dataset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = FIXTURES / "template-18-bom-crlf.csv"
    assert main(["validate", str(sheet)]) == 0
    out = capsys.readouterr().out
    assert out.count("cites only the sheet itself; add the articles that report it") == len(EVENT_LINES)
    assert f"{sheet}, line 3: cites only the sheet itself" in out
    target = tmp_path / "out.json"
    assert main(["export", "json", "--data", str(sheet), "-o", str(target)]) == 0
    capsys.readouterr()
    document = json.loads(target.read_text("utf-8"))
    assert len(document["events"]) == len(EXPECTED_IDS)
    assert main(["validate", str(target)]) == 0
    # the dataset keeps no reader notes; its validate says instead that nothing it cites is described
    assert "the file lists no sources, so the source ids its events cite were not checked" in capsys.readouterr().out
    assert rnk_events.load(target) == rnk_events.load(sheet)


def test_a_workbook_without_the_template_header_names_the_header() -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Year", "Headline"])
    stream = io.BytesIO()
    workbook.save(stream)
    with pytest.raises(DatasetError, match="Alt Text may be left out"):
        xlsx_format.read_timelinejs_sheet(io.BytesIO(stream.getvalue()), "desk.xlsx")


def test_the_format_neutral_reader_does_not_import_openpyxl() -> None:
    """A CSV sheet is read without the workbook library."""
    code = "import sys, rnk_events.formats.knightlab; print(sorted(m for m in sys.modules if m.startswith('openpyxl')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_docs_dates_table_is_what_the_reader_does() -> None:
    """Each row of docs/formats/timelinejs.md's Knight Lab dates table, read from its own cells."""
    page = (HERE.parent / "docs" / "formats" / "timelinejs.md").read_text("utf-8")
    section = page.split("## Bringing in a Knight Lab sheet", 1)[1].split("\n## ", 1)[0]
    table_text = section.split("| cells | `date` |\n|---|---|\n", 1)[1].split("\n\n", 1)[0]
    checked = 0
    for line in table_text.splitlines():
        cells_text, expected = (part.strip() for part in line.strip("|").split("|"))
        cells: dict[str, str] = {}
        named = r'((?:End )?(?:Year|Month|Day)|Display Date) ("[^"]*"|-?\d+)'
        for match in re.finditer(named, cells_text):
            cells[match.group(1)] = match.group(2).strip('"')
        assert not re.sub(named, "", cells_text).replace(", ", "").replace("; ", ""), line  # every cell was read
        if expected.startswith("refused"):
            with pytest.raises(DatasetError):
                read({**EVENT, **cells})
        else:
            (event,) = read({**EVENT, **cells})
            assert f"`{event.date}`" == expected.split(" ", 1)[0], line
        checked += 1
    assert checked == 10
