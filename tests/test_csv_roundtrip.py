"""The CSV survives a spreadsheet: BOM, the formula guard, derived and extra columns, forgiving cells, re-shown dates.

Each file is checked by a reader other than the one under test where that
applies (the csv module, pandas, LibreOffice), and every date form and hostile
text goes through CSV and back.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import DatasetError, Event, EventCollection, OptionError, rows
from rnk_events.formats import csv as csv_format
from tests.edtf_strategies import edtf_dates
from tests.strategies import event_lists, events, texts

BOM = b"\xef\xbb\xbf"
#: What a spreadsheet runs as a formula, written out here (not taken from the module).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def exported(events: EventCollection | list[Event], **options: Any) -> bytes:
    stream = io.BytesIO()
    collection = events if isinstance(events, EventCollection) else EventCollection(events)
    rnk_events.export(collection, "csv", stream, **options)
    return stream.getvalue()


def table(data: bytes) -> list[dict[str, str]]:
    """The file's rows by the csv module, as a script without this library reads it."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def write_table(path: Path, records: list[dict[str, str]], header: list[str] | None = None) -> Path:
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=header or list(records[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    path.write_text(text.getvalue(), encoding="utf-8", newline="")
    return path


def bundled_table() -> list[dict[str, str]]:
    return table(exported(rnk_events.load()))


def problems_of(path: Path) -> list[rnk_events.Problem]:
    with pytest.raises(DatasetError) as caught:
        rnk_events.load(path)
    return list(caught.value.problems)


# -- byte-order mark ------------------------------------------------------------------------------


def test_the_export_starts_with_a_bom_and_every_reader_takes_it(tmp_path: Path) -> None:
    events = rnk_events.load()
    data = exported(events)
    assert data.startswith(BOM)
    assert not data.startswith(BOM * 2)
    assert [row["id"] for row in table(data)] == list(events.ids)
    path = tmp_path / "events.csv"
    path.write_bytes(data)
    assert list(rnk_events.load(path)) == list(events)


def test_no_bom_leaves_it_out_and_still_loads(tmp_path: Path) -> None:
    events = rnk_events.load()
    data = exported(events, bom=False)
    assert data.startswith(b"id,date,")
    assert exported(events) == BOM + data  # nothing else differs
    path = tmp_path / "events.csv"
    path.write_bytes(data)
    assert list(rnk_events.load(path)) == list(events)


def test_pandas_reads_the_bom_file() -> None:
    pandas = pytest.importorskip("pandas")
    events = rnk_events.load()
    frame = pandas.read_csv(io.BytesIO(exported(events)), dtype=str, keep_default_na=False)
    assert list(frame.columns)[:2] == ["id", "date"]
    assert list(frame["id"]) == list(events.ids)


def test_bom_option_refuses_a_value_that_is_not_a_bool() -> None:
    with pytest.raises(OptionError, match="bom"):
        exported(rnk_events.load(), bom="no")


def test_the_data_package_tables_have_no_bom() -> None:
    assert not csv_format.encode_table(["a"], [["b"]]).startswith(BOM)
    assert csv_format.encode_table(["a"], [["b"]], bom=True) == BOM + b"a\r\nb\r\n"


# -- formula guard --------------------------------------------------------------------------------

raw_cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"])) | st.tuples(
    st.sampled_from(["'", "''", *TRIGGERS, *("'" + trigger for trigger in TRIGGERS)]), st.text()
).map("".join)


@given(raw_cells)
def test_restore_undoes_neutralise_exactly_and_only_that(cell: str) -> None:
    assert csv_format.restore(csv_format.neutralise(cell)) == cell
    assert not csv_format.neutralise(cell).startswith(TRIGGERS)
    if not (cell.startswith("'") and cell[1:2] and cell[1] in (*TRIGGERS, "'")):
        assert csv_format.restore(cell) == cell  # nothing the writer could have added


def test_a_hand_typed_apostrophe_loads_unchanged(tmp_path: Path) -> None:
    records = bundled_table()
    records[0]["title"] = "'Friendly' visit announced"
    records[1]["title"] = "'=guarded"
    path = write_table(tmp_path / "hand.csv", records)
    loaded = rnk_events.load(path)
    assert (loaded[0].title, loaded[1].title) == ("'Friendly' visit announced", "=guarded")


# -- round trips ----------------------------------------------------------------------------------


@given(event_lists(max_size=5))
def test_every_event_round_trips_through_csv(items: list[Event]) -> None:
    data = exported(items)
    assert list(csv_format.read(io.BytesIO(data), "mem.csv")) == list(EventCollection(items))


@given(events(), edtf_dates(), st.lists(texts, min_size=1, max_size=3))
def test_every_date_form_and_hostile_text_round_trips(event: Event, date: Any, hostile: list[str]) -> None:
    changed = attrs.evolve(event, date=date, title=hostile[0], people=tuple(dict.fromkeys(hostile)), note=hostile[-1])
    loaded = csv_format.read(io.BytesIO(exported([changed])), "mem.csv")
    assert list(loaded) == [changed]
    assert loaded.notes == ()  # the export's own cells need no normalising


@given(event_lists(max_size=5))
def test_table_rows_are_the_event_cells_and_guarding_free_text_is_enough(items: list[Event]) -> None:
    ordered = list(EventCollection(items))  # the export's order: chronological
    by_cells = [list(rows.event_cells(event).values()) for event in ordered]
    assert [list(row) for row in rows.table_rows(ordered)] == by_cells
    every_cell_guarded = csv_format.encode_table(rows.HEADER, by_cells, bom=True)
    assert exported(items) == every_cell_guarded


# -- derived columns ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "edited"),
    [
        ("display_date", "May 1, 2000"),
        ("first_day", "2000-02-01"),
        ("last_day", "2001-12-31"),
        ("is_range", "true"),
        ("precision", "day"),
        ("qualifier", "approximate"),
    ],
)
def test_an_edited_derived_cell_fails_naming_line_column_and_fix(tmp_path: Path, column: str, edited: str) -> None:
    records = bundled_table()
    assert records[0]["date"] == "2000"
    records[0][column] = edited
    (problem,) = problems_of(write_table(tmp_path / "edited.csv", records))
    assert (problem.line, problem.field) == (2, column)
    assert repr(edited) in problem.message
    assert "derived from date: edit date, and clear or fix this cell" in problem.message


def test_empty_derived_cells_and_spreadsheet_spellings_are_fine(tmp_path: Path) -> None:
    records = bundled_table()
    for record in records[:5]:
        for column in rows.DERIVED_COLUMNS:
            record[column] = ""
    day = next(record for record in records if record["precision"] == "day" and record["is_range"] == "false")
    year, month, date = (int(part) for part in day["date"].split("-"))
    day["first_day"] = f"{month}/{date}/{year}"  # as Excel shows a day cell
    day["is_range"] = "FALSE"  # as a spreadsheet re-saves a boolean
    day["display_date"] = f"  {day['display_date'].upper()} "
    assert list(rnk_events.load(write_table(tmp_path / "ok.csv", records))) == list(rnk_events.load())


def test_the_derived_check_is_in_the_flat_row_for_every_table_reader() -> None:
    cells = {**rows.event_cells(rnk_events.load()[0]), "precision": "month"}
    event, problems = rows.event_from_cells(cells, "sheet.xlsx", "Events row 2", row=2)
    assert event is None
    assert [(problem.field, problem.row) for problem in problems] == [("precision", 2)]


# -- header: extra, missing, twice, too wide --------------------------------------------------------


def test_extra_columns_are_ignored_with_one_note_each(tmp_path: Path) -> None:
    records = [{**record, "owner": "ana", "notes for desk": "check"} for record in bundled_table()]
    loaded = rnk_events.load(write_table(tmp_path / "desk.csv", records))
    assert list(loaded) == list(rnk_events.load())
    assert [(note.field, note.line) for note in loaded.notes] == [("'owner'", 1), ("'notes for desk'", 1)]
    assert all("is not read, its cells ignored" in note.message for note in loaded.notes)


def test_missing_and_twice_named_columns_stay_fatal(tmp_path: Path) -> None:
    records = bundled_table()
    typo = {("sumary" if column == "summary" else column): cell for column, cell in records[0].items()}
    (problem,) = problems_of(write_table(tmp_path / "missing.csv", [typo]))
    assert "missing columns ['summary']" in problem.message
    assert "'sumary' (a typo?)" in problem.message
    path = tmp_path / "twice.csv"
    path.write_text(",".join([*rows.HEADER, "title"]) + "\r\n", encoding="utf-8")
    (problem,) = problems_of(path)
    assert "columns named twice ['title']" in problem.message


def test_a_header_wider_than_the_limit_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join([*rows.HEADER, *(f"c{number}" for number in range(40_000))]) + "\r\n", encoding="utf-8")
    (problem,) = problems_of(path)
    assert problem.line == 1
    assert f"40019 columns, more than the {rows.MAX_COLUMNS}" in problem.message


class CountingName(str):
    """A column name that counts the comparisons and hashes made with it."""

    operations = 0

    def __eq__(self, other: object) -> bool:
        CountingName.operations += 1
        return str.__eq__(self, other)

    def __hash__(self) -> int:
        CountingName.operations += 1
        return str.__hash__(self)


def _header_operations(width: int) -> int:
    header = [CountingName(column) for column in rows.HEADER]
    header += [CountingName(f"extra {number}") for number in range(width - len(header))]
    CountingName.operations = 0
    notes = rows.check_header(header, rows.HEADER, "f.csv", "line 1", line=1)
    assert len(notes) == width - len(rows.HEADER)
    return CountingName.operations


def test_the_header_check_is_linear_in_its_width() -> None:
    small, large = _header_operations(400), _header_operations(800)
    assert large / small < 2.2  # list.count per column (quadratic) gives about 4


# -- enum cells, natural and re-shown dates -------------------------------------------------------


def test_category_and_status_take_any_case_and_spaces(tmp_path: Path) -> None:
    records = bundled_table()
    records[0]["category"] = records[0]["category"].title()
    records[0]["status"] = f" {records[0]['status'].upper()} "
    assert list(rnk_events.load(write_table(tmp_path / "case.csv", records))) == list(rnk_events.load())


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("May 2024", "2024-05"), ("May 10-12, 2024", "2024-05-10/2024-05-12"), ("c. 2019", "2019~")],
)
def test_natural_date_text_loads_as_its_edtf_with_a_note(tmp_path: Path, typed: str, canonical: str) -> None:
    records = bundled_table()
    records[0]["date"] = typed
    for column in rows.DERIVED_COLUMNS:
        records[0][column] = ""
    records[0]["precision"] = "month" if canonical == "2024-05" else ""  # checked against the normalised date
    loaded = rnk_events.load(write_table(tmp_path / "natural.csv", records))
    assert str(loaded.get(records[0]["id"]).date) == canonical
    (note,) = loaded.notes
    assert (note.line, note.field, note.message) == (2, "date", f"read {typed!r} as {canonical}")


def test_derived_cells_are_checked_against_the_normalised_date(tmp_path: Path) -> None:
    records = bundled_table()
    records[0]["date"] = "May 2024"  # the other derived cells still say 2000
    problems = problems_of(write_table(tmp_path / "stale.csv", records))
    assert {problem.field for problem in problems} == {"display_date", "first_day", "last_day", "precision"}


@pytest.mark.parametrize(
    ("shown", "canonical"),
    [("8/23/2002", "2002-08-23"), ("23/08/2002", "2002-08-23"), ("8/8/2002", "2002-08-08"), ("Jul-2000", "2000-07")],
)
def test_a_date_a_spreadsheet_re_showed_reads_with_its_shown_precision(shown: str, canonical: str) -> None:
    span, note = rows.read_date(shown)
    assert str(span) == canonical
    assert note is not None
    assert note.startswith(f"read {shown!r} as {canonical} (a spreadsheet")


@pytest.mark.parametrize(
    ("shown", "readings"),
    [
        ("8/7/2002", ["2002-08-07", "2002-07-08"]),
        ("Jul-00", ["2000-07", "1900-07"]),
        ("23-Aug-02", ["2002-08-23", "1902-08-23"]),
        ("8/23/02", ["2002-08-23", "1902-08-23"]),
    ],
)
def test_an_ambiguous_re_shown_date_names_the_cell_and_fix(tmp_path: Path, shown: str, readings: list[str]) -> None:
    records = bundled_table()
    records[2]["date"] = shown
    (problem,) = problems_of(write_table(tmp_path / "excel.csv", records))
    assert (problem.line, problem.field) == (4, "date")
    assert " or ".join(readings) in problem.message
    assert "type the date as EDTF text" in problem.message
    assert "in a column formatted as Text" in problem.message


def _as_excel_shows(record: dict[str, str]) -> dict[str, str]:
    """The row as Excel (US) re-saves it: days as M/D/YYYY, months as Mmm-YY, booleans in capitals."""
    shown = dict(record)
    for column in ("date", "first_day", "last_day"):
        parts = shown[column].split("-")
        if len(parts) == 3 and all(part.isdigit() for part in parts):
            shown[column] = f"{int(parts[1])}/{int(parts[2])}/{parts[0]}"
        elif len(parts) == 2 and all(part.isdigit() for part in parts):
            shown[column] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][
                int(parts[1]) - 1
            ] + f"-{parts[0][2:]}"
    shown["is_range"] = shown["is_range"].upper()
    return shown


def test_a_file_excel_re_saved_loads_right_or_fails_only_with_the_hint(tmp_path: Path) -> None:
    """Issue 12: such a file failed with 22 problems and no hint."""
    bundled = rnk_events.load()
    records = [_as_excel_shows(record) for record in bundled_table()]
    problems = problems_of(write_table(tmp_path / "excel.csv", records))
    shown = {record["date"] for record in records}
    assert problems
    for problem in problems:
        assert problem.field == "date"
        assert problem.line is not None
        assert "looks like a date a spreadsheet re-showed" in problem.message
        assert "type the date as EDTF text" in problem.message
        assert records[problem.line - 2]["date"] in shown
    unambiguous = [
        record
        for record, event in zip(records, bundled, strict=True)
        if rows.event_from_cells(record, "f", "r")[0] == event
    ]
    assert len(unambiguous) + len(problems) == len(records)  # every row either loads right or is one problem
    loaded = rnk_events.load(write_table(tmp_path / "fine.csv", unambiguous))
    assert all(event == bundled.get(event.id) for event in loaded)
    assert all("a spreadsheet had re-shown the date" in note.message for note in loaded.notes if note.field == "date")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_libreoffice_re_save_loads_back_unchanged(tmp_path: Path) -> None:
    """Opened in LibreOffice (en-US, detecting dates and numbers) and saved as CSV again."""
    source = tmp_path / "in" / "events.csv"
    source.parent.mkdir()
    rnk_events.export(rnk_events.load(), "csv", source)
    command = [
        "soffice",
        f"-env:UserInstallation=file://{tmp_path / 'profile'}",
        "--headless",
        "--infilter=CSV:44,34,76,1,,1033,false,true",
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76,1",
        "--outdir",
        str(tmp_path / "out"),
        str(source),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    resaved = tmp_path / "out" / "events.csv"
    assert resaved.read_bytes() != source.read_bytes()  # LibreOffice did re-show cells (quotes, FALSE, dates)
    assert list(rnk_events.load(resaved)) == list(rnk_events.load())


# -- Knight Lab sheets ------------------------------------------------------------------------------


def test_a_timelinejs_template_header_goes_to_the_knight_lab_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    answer = EventCollection([])

    def read_table(header: Any, table_rows: Any, origin: str, *, unit: str) -> EventCollection:
        seen.update(header=list(header), rows=[(line, list(cells)) for line, cells in table_rows], unit=unit)
        return answer

    fake = types.ModuleType("rnk_events.formats.knightlab")
    fake.is_template_header = lambda header: list(header)[:2] == ["Year", "Month"]  # type: ignore[attr-defined]
    fake.read_table = read_table  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "rnk_events.formats.knightlab", fake)
    data = "\ufeffYear,Month,Headline\r\n2019,4,Summit\r\n\r\n2024,6,Visit\r\n".encode()
    assert csv_format.read(io.BytesIO(data), "sheet.csv") is answer
    assert seen == {
        "header": ["Year", "Month", "Headline"],
        "rows": [(2, ["2019", "4", "Summit"]), (3, []), (4, ["2024", "6", "Visit"])],
        "unit": "line",
    }


#: Knight Lab's TimelineJS template header, written out from its Google Sheet.
TEMPLATE = (
    "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,"
    "Media Caption,Media Thumbnail,Alt Text,Type,Group,Background"
)


def test_a_knight_lab_sheet_saved_as_csv_loads_with_honest_dates(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    lines = [
        TEMPLATE,
        "2019,4,25,,,,,,,Putin and Kim meet,They met in Vladivostok.,,,,,,,summit,",
        "2000,7,,,,,,,,Putin visits Pyongyang,The first visit.,,,,,,,diplomacy,",
    ]
    path.write_bytes(BOM + "\r\n".join(lines).encode() + b"\r\n")
    loaded = rnk_events.load(path)
    assert [(str(event.date), event.title) for event in loaded] == [
        ("2000-07", "Putin visits Pyongyang"),  # a month stays a month
        ("2019-04-25", "Putin and Kim meet"),
    ]
    assert {note.line for note in loaded.notes} == {2, 3}  # each says which line still needs sources
