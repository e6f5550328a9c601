"""Reading the Excel workbook back: round trips, problems that name their sheet, row and field,
and damaged files refused as one DatasetError (as the Excel page quotes it).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import assume, given
from openpyxl.utils import get_column_letter

from rnk_events import DatasetError, Event, EventCollection
from rnk_events.formats import xlsx as xlsx_format
from rnk_events.serialize import converter, unstructure_event
from tests.strategies import event_lists
from tests.workbooks import workbook_bytes
from tests.xlsx_helpers import COLUMN, EVENTS_HEADER, LETTER, XML_ILLEGAL, event, rows, tricky_collection

AFTER_NOTE = get_column_letter(len(EVENTS_HEADER) + 1)


# --- reading back ---------------------------------------------------------------------------------


def test_bundled_round_trip(bundled: EventCollection, bundled_xlsx: bytes) -> None:
    back = xlsx_format.read(io.BytesIO(bundled_xlsx), "bundled.xlsx")
    assert list(back) == list(bundled)
    assert back.info == bundled.info
    assert back == bundled


def test_tricky_round_trip() -> None:
    collection = tricky_collection()
    assert xlsx_format.read(io.BytesIO(workbook_bytes(collection)), "t.xlsx") == collection


def xml_legal(item: Event) -> Event:
    """The event with XML-illegal characters swapped for "x" (they cannot round-trip)."""

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return XML_ILLEGAL.sub("x", value)
        if isinstance(value, list):
            return [clean(part) for part in value]
        if isinstance(value, dict):
            return {key: clean(part) for key, part in value.items()}
        return value

    try:
        return converter.structure(clean(unstructure_event(item)), Event)
    except Exception:  # e.g. two people who differ only in an illegal character
        assume(False)
        raise


@given(event_lists(max_size=4))
def test_round_trip_property(items: list[Event]) -> None:
    collection = EventCollection(xml_legal(item) for item in items)
    assert xlsx_format.read(io.BytesIO(workbook_bytes(collection)), "p.xlsx") == collection


@pytest.mark.parametrize(
    "edtf",
    ["0001", "1899-12", "2000", "2000-07", "2019-04-25", "2006-10-14/2017-12-22", "2023-09/2024-06", "2020/2024-02-29"],
)
def test_every_precision_round_trips(edtf: str) -> None:
    collection = EventCollection([event(date=edtf)])
    back = xlsx_format.read(io.BytesIO(workbook_bytes(collection)), "p.xlsx")
    assert str(back[0].date) == edtf


def test_values_typed_in_excel_are_read_as_text(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    sheet = workbook["Events"]
    sheet["B2"] = dt.datetime(2000, 5, 7)  # someone typed a date into the date column
    sheet["B3"] = 2001  # ... and a year, which Excel stores as a number
    for column in ("display_date", "start", "first_day", "last_day", "is_range", "precision", "qualifier"):
        for row in (2, 3):  # derived from date: a desk that retypes the date clears them (or they must match)
            sheet[f"{LETTER[column]}{row}"] = None
    edited = io.BytesIO()
    workbook.save(edited)
    back = xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    assert str(back.get("2000-putin-becomes-president").date) == "2000-05-07"
    assert str(back.get("2000-07-putin-first-visit-to-north-korea").date) == "2001"


def test_read_errors_name_row_and_field(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    sheet = workbook["Events"]
    sheet[f"{LETTER['category']}3"] = "weather"
    sheet["B4"] = "2024-13"
    sheet[f"{LETTER['sources']}5"] = "no-such-source;words"
    sheet[f"{AFTER_NOTE}6"] = "stray"
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    found = {(problem.record.split(" (")[0], problem.field) for problem in caught.value.problems}
    assert found == {
        ("Events row 3", "category"),
        ("Events row 4", "date"),
        ("Events row 5", "sources"),
        ("Events row 6", ""),
    }
    assert all(problem.file == "edited.xlsx" for problem in caught.value.problems)
    assert "weather" in str(caught.value)


def test_sources_and_about_errors_name_their_sheet(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    workbook["Sources"]["D3"] = "last week"
    workbook["About"]["B3"] = ""  # the title
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    found = {(problem.record, problem.field, problem.row) for problem in caught.value.problems}
    assert ("Sources row 3", "published", 3) in found
    assert ("About", "title", 3) in found


def test_read_rejects_a_bad_header_and_a_file_that_is_not_a_workbook(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    workbook["Events"][f"{LETTER['title']}1"] = "headline"
    edited = io.BytesIO()
    workbook.save(edited)
    typo = r"missing columns \['title'\]; columns it does not know: 'headline' \(a typo\?\)"
    with pytest.raises(DatasetError, match=typo):
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    with pytest.raises(DatasetError, match=r"not an Excel \.xlsx workbook"):
        xlsx_format.read(io.BytesIO(b"id,date\n"), "events.csv")
    del workbook["Events"]
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError, match="no sheet named 'Events'"):
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")


def test_a_column_named_twice_is_a_problem_naming_both_columns(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    workbook["Events"][f"{AFTER_NOTE}1"] = "title"  # a second title column, after note
    workbook["Events"][f"{AFTER_NOTE}2"] = "Another title"
    workbook["Events"][f"{get_column_letter(len(EVENTS_HEADER) + 2)}1"] = "headline"
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    messages = [problem.message for problem in caught.value.problems]
    assert messages == [  # the extra 'headline' column alone would be a note, not a problem
        f"duplicate column 'title' in columns {LETTER['title']} and {AFTER_NOTE}: keep one",
    ]
    assert {problem.record for problem in caught.value.problems} == {"Events row 1"}


def test_every_reader_problem_carries_its_sheet_row(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    sheet = workbook["Events"]
    sheet[f"{LETTER['category']}3"] = "weather"
    sheet[f"{LETTER['places']}4"] = "Seoul;KOR"  # a place needs four parts: found before the event is built
    sheet["A6"] = sheet["A5"].value  # the same id twice: found across records
    sheet[f"{AFTER_NOTE}7"] = "stray"
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    found = {
        (problem.record.split(" (")[0], problem.field, problem.row, problem.line) for problem in caught.value.problems
    }
    assert found == {
        ("Events row 3", "category", 3, None),
        ("Events row 4", "places", 4, None),
        ("Events row 6", "id", 6, None),
        ("Events row 7", "", 7, None),
    }


def test_header_problems_are_on_row_1(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    workbook["Events"][f"{LETTER['title']}1"] = "headline"
    workbook["Events"][f"{AFTER_NOTE}1"] = "note"
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    assert [problem.row for problem in caught.value.problems] == [1, 1]


def test_issue_source_id_used_twice_is_a_problem_not_a_crash(bundled_xlsx: bytes) -> None:
    """Two Sources rows with one id made the reader raise the validator's FieldError instead of a DatasetError."""
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    workbook["Sources"]["A3"] = workbook["Sources"]["A2"].value
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    (problem,) = caught.value.problems
    assert (problem.record, problem.field) == ("Sources", "id")
    assert problem.message.startswith("duplicate source ids [")


def test_a_bad_as_of_day_names_its_field_and_row(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    about = workbook["About"]
    (row,) = [cell.row for cell in about["A"] if cell.value == "As of"]
    about.cell(row=row, column=2).value = "last week"
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    (problem,) = caught.value.problems
    assert (problem.record, problem.field, problem.row) == ("About", "as_of", row)
    assert problem.message == "'last week' is not a YYYY-MM-DD date"


def test_text_that_starts_with_a_quote_reads_back_as_it_is() -> None:
    """The workbook keeps text as it is: no ' is added on writing, and none is taken off on reading."""
    texts = ["'quoted", "''twice", "'", "=1+1"]
    collection = EventCollection([event(id=f"e{i}", title=text, note=text) for i, text in enumerate(texts)])
    data = workbook_bytes(collection)
    assert [row[COLUMN["title"]] for row in rows(data, "Events")[1:]] == texts
    assert xlsx_format.read(io.BytesIO(data), "t.xlsx") == collection


# --- damaged workbooks ----------------------------------------------------------------------------


def rezip(data: bytes, part: str, change: Callable[[bytes], bytes], *, stored: bool = False) -> bytes:
    """The workbook with one part changed (and, if ``stored``, that part last and uncompressed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info.filename, source.read(info))
        method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        target.writestr(part, change(source.read(part)), compress_type=method)
    return out.getvalue()


def replace(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def change(xml: bytes) -> bytes:
        assert old in xml, old
        return xml.replace(old, new, 1)

    return change


def without(data: bytes, part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info))
    return out.getvalue()


def patch_directory(data: bytes, part: str, changes: dict[int, int]) -> bytes:
    """The zip with fields of ``part``'s central directory entry overwritten: {offset: 4-byte or 2-byte value}."""
    raw = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        index = list(archive.namelist()).index(part)
        start = raw.index(b"PK\x05\x06")  # end of central directory: where the directory starts
        position = struct.unpack_from("<I", raw, start + 16)[0]
    for _ in range(index):
        name, extra, comment = struct.unpack_from("<HHH", raw, position + 28)
        position += 46 + name + extra + comment
    for offset, value in changes.items():
        struct.pack_into("<H" if offset == 10 else "<I", raw, position + offset, value)
    return bytes(raw)


def corrupt_deflate(data: bytes, part: str) -> bytes:
    """The zip with ``part``'s deflate stream starting with a reserved block type."""
    raw = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        header = archive.getinfo(part).header_offset
    name, extra = struct.unpack_from("<HH", raw, header + 26)
    raw[header + 30 + name + extra] = 0xFF
    return bytes(raw)


@pytest.fixture(scope="module")
def small_xlsx() -> bytes:
    return workbook_bytes(EventCollection([event()]))


#: Reader, the sheet part it parses lazily, that sheet's name and its first event row.
READERS = {
    "read": (xlsx_format.read, "xl/worksheets/sheet1.xml", "Events", 2),
    "read_timelinejs_sheet": (xlsx_format.read_timelinejs_sheet, "xl/worksheets/sheet2.xml", "TimelineJS", 3),
}
STYLES = "xl/styles.xml"

Damage = Callable[[bytes, str, int], bytes]

#: Damage done to a workbook, given the reader's sheet part and first event row; the error type
#: zipfile, the XML parser or openpyxl raises for it; where the DatasetError says it is. Opening a
#: workbook reads the start of each sheet (up to 16 KiB), so damage to the zip entry of a small
#: sheet is found then, before any sheet is named.
DAMAGE: dict[str, tuple[Damage, str, str]] = {}


def damage(name: str, kind: str, where: str = "") -> Callable[[Damage], Damage]:
    def register(make: Damage) -> Damage:
        DAMAGE[name] = (make, kind, where)
        return make

    return register


@damage("not a zip", "BadZipFile")
def _not_a_zip(data: bytes, part: str, row: int) -> bytes:
    return b"id,date\n"


@damage("sheet cut in half", "ParseError", "{sheet} sheet")
def _cut_sheet(data: bytes, part: str, row: int) -> bytes:
    return rezip(data, part, lambda xml: xml[: len(xml) // 2])


@damage("cell reference past column ZZZ", "ValueError", "{sheet} sheet, after row {previous}")
def _far_column(data: bytes, part: str, row: int) -> bytes:
    return rezip(data, part, replace(f'r="A{row}"'.encode(), f'r="ZZZZZZ{row}"'.encode()))


@damage("number cell with a letter", "ValueError", "{sheet} sheet, after row {previous}")
def _letter_in_number(data: bytes, part: str, row: int) -> bytes:
    """The row's first number (a date serial in Events, the Year in TimelineJS) as "x45462"."""
    return rezip(data, part, lambda xml: re.sub(rf'(<row r="{row}".*?<v>)'.encode(), rb"\1x", xml, count=1))


@damage("sheet fails its CRC", "BadZipFile")
def _bad_crc(data: bytes, part: str, row: int) -> bytes:
    return patch_directory(data, part, {16: 12345})


@damage("sheet's deflate data corrupt", "zlib.error")
def _bad_deflate(data: bytes, part: str, row: int) -> bytes:
    return corrupt_deflate(data, part)


@damage("sheet shorter than its directory entry says", "EOFError")
def _short_sheet(data: bytes, part: str, row: int) -> bytes:
    return patch_directory(rezip(data, part, lambda xml: xml, stored=True), part, {20: 10**6, 24: 10**6})


@damage("sheet in an unknown compression", "NotImplementedError")
def _unknown_compression(data: bytes, part: str, row: int) -> bytes:
    return patch_directory(data, part, {10: 99})


@damage("styles cut in half", "ParseError")
def _cut_styles(data: bytes, part: str, row: int) -> bytes:
    return rezip(data, STYLES, lambda xml: xml[: len(xml) // 2])


@damage("no workbook part", "KeyError")
def _no_workbook(data: bytes, part: str, row: int) -> bytes:
    return without(data, "xl/workbook.xml")


@damage("no workbook content type", "OSError")
def _no_content_type(data: bytes, part: str, row: int) -> bytes:
    return rezip(data, "[Content_Types].xml", replace(b"spreadsheetml.sheet.main+xml", b"unknown"))


@damage("font size not a number", "TypeError")
def _bad_font_size(data: bytes, part: str, row: int) -> bytes:
    return rezip(data, STYLES, replace(b'<sz val="11"', b'<sz val="x"'))


@damage("style points past the fonts", "IndexError")
def _bad_font_index(data: bytes, part: str, row: int) -> bytes:
    return rezip(data, STYLES, replace(b'fontId="0"', b'fontId="99999999999"'))


@damage("number format id too big", "OverflowError")
def _huge_format_id(data: bytes, part: str, row: int) -> bytes:
    return rezip(data, STYLES, replace(b'numFmtId="164" fontId', b'numFmtId="99999999999" fontId'))


@pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl warns about some damage before failing
@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_workbook_is_a_dataset_error_naming_file_and_sheet(
    small_xlsx: bytes, reader: str, damage: str
) -> None:
    read, part, sheet, row = READERS[reader]
    make, kind, where = DAMAGE[damage]
    data = make(small_xlsx, part, row)
    with pytest.raises(DatasetError) as caught:
        read(io.BytesIO(data), "desk/damaged.xlsx")
    (problem,) = caught.value.problems
    assert problem.file == "desk/damaged.xlsx"
    assert problem.record == where.format(sheet=sheet, previous=row - 1)
    assert problem.message.startswith(f"not an Excel .xlsx workbook, or a damaged one ({kind}: ")
    assert caught.value.__cause__ is None  # one traceback, not openpyxl's too
    assert caught.value.__suppress_context__


def test_the_damage_cases_start_from_a_readable_workbook(small_xlsx: bytes) -> None:
    assert len(xlsx_format.read(io.BytesIO(small_xlsx), "ok.xlsx")) == 1
    assert len(xlsx_format.read_timelinejs_sheet(io.BytesIO(small_xlsx), "ok.xlsx")) == 1


def test_damage_found_while_reading_a_long_sheet_names_the_sheet(bundled: EventCollection) -> None:
    """A sheet longer than what opening reads is checked (here: its CRC) only as its rows are read."""
    copies = [attrs.evolve(item, id=f"{item.id}-{copy}") for copy in range(8) for item in bundled]
    long_xlsx = workbook_bytes(EventCollection(copies, bundled.info))
    with zipfile.ZipFile(io.BytesIO(long_xlsx)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").compress_size > 2 * 16 * 1024  # twice what opening reads
    data = patch_directory(long_xlsx, "xl/worksheets/sheet1.xml", {16: 12345})
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(data), "long.xlsx")
    (problem,) = caught.value.problems
    assert re.fullmatch(r"Events sheet, after row \d+", problem.record)
    assert "(BadZipFile: Bad CRC-32 for file 'xl/worksheets/sheet1.xml')" in problem.message


def test_a_row_past_excels_last_row_is_refused(small_xlsx: bytes) -> None:
    """openpyxl pads the gap with empty rows: row 99999999999 would take hours to reach."""
    part = READERS["read"][1]
    far = rezip(small_xlsx, part, lambda xml: re.sub(rb'r="([A-Z]*)2"', rb'r="\g<1>2000000"', xml))
    assert b'<c r="A2000000"' in zipfile.ZipFile(io.BytesIO(far)).read(part)
    with pytest.raises(DatasetError, match=r"Events sheet: a row numbered beyond Excel's last row, 1,048,576"):
        xlsx_format.read(io.BytesIO(far), "far.xlsx")


def test_the_excel_page_quotes_a_damaged_file_error_as_it_is(small_xlsx: bytes) -> None:
    page = Path(__file__).resolve().parent.parent / "docs" / "formats" / "excel.md"
    (quoted,) = re.findall(r"^```text\n(.*?)\n^```$", page.read_text("utf-8"), re.MULTILINE | re.DOTALL)
    damaged = _far_column(small_xlsx, "xl/worksheets/sheet1.xml", 2)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(damaged), "desk.xlsx")
    assert str(caught.value) == quoted
