"""The workbook reader against hostile and hand-edited workbooks: nothing lost silently, bounded work, honest dates.

Each case edits a real export, either through openpyxl (what a script or a
desk's tool does) or in the sheet XML itself (what a hand-made or hostile
file holds), and the oracle is the file's own XML read with ElementTree, or
the value the test itself put there, never the reader's constants.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rnk_events
from rnk_events import DatasetError, EventCollection, OptionError, Precision, SourceRef
from rnk_events.formats import xlsx as xlsx_format
from rnk_events.model import Event
from tests.hostile import Case, run_case

STAMP = dt.datetime(2024, 6, 17, 12, 30, tzinfo=dt.timezone.utc)
EVENTS_PART = "xl/worksheets/sheet1.xml"
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: The Events sheet's column letters the tests edit (checked against the header in test_the_letters_are_right).
LETTER = {"id": "A", "date": "B", "title": "J", "people": "P", "places": "Q", "note": "S"}


def event(number: int, **changes: Any) -> Event:
    fields: dict[str, Any] = {
        "id": f"e{number}",
        "date": f"2024-06-{number:02d}",
        "title": f"Title {number}",
        "summary": f"Summary {number}.",
        "category": "summit",
        "status": "happened",
        "actors": ("RUS", "PRK"),
        "people": ("Vladimir Putin",),
        "sources": (SourceRef("src", "quoted words"),),
        "note": f"note {number}",
    }
    return Event(**{**fields, **changes})


def export(events: list[Event]) -> bytes:
    stream = io.BytesIO()
    xlsx_format.write(EventCollection(events), stream, stamp=STAMP)
    return stream.getvalue()


THREE = export([event(1), event(2), event(3)])


def read(data: bytes, **limits: Any) -> EventCollection:
    return xlsx_format.read(io.BytesIO(data), "desk.xlsx", **limits)


def problems_of(data: bytes, **limits: Any) -> list[rnk_events.Problem]:
    with pytest.raises(DatasetError) as caught:
        read(data, **limits)
    return list(caught.value.problems)


def edit(data: bytes, change: Callable[[Any], None]) -> bytes:
    """The workbook after ``change`` ran on it in openpyxl, saved as openpyxl saves it (no cached formula values)."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    change(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rezip(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == part else content)
    return out.getvalue()


def sub(pattern: str, replacement: str) -> Callable[[bytes], bytes]:
    def change(xml: bytes) -> bytes:
        changed, count = re.subn(pattern.encode(), replacement.encode(), xml, count=1)
        assert count == 1, pattern
        return changed

    return change


def renumber(old: int, new: str, *, cell_refs: bool = True) -> Callable[[bytes], bytes]:
    """Give the sheet XML's row ``old`` the number ``new`` (its cells' references too, unless told not to)."""

    def change(xml: bytes) -> bytes:
        start = xml.index(f'<row r="{old}"'.encode())
        end = xml.index(b"</row>", start)
        row = xml[start:end].replace(f'<row r="{old}"'.encode(), f'<row r="{new}"'.encode(), 1)
        if cell_refs:
            row = re.sub(rf'r="([A-Z]+){old}"'.encode(), rf'r="\g<1>{new}"'.encode(), row)
        else:
            row = re.sub(rb' r="[A-Z]+[0-9]+"', b"", row)
        return xml[:start] + row + xml[end:]

    return change


STRINGS_PART = "xl/sharedStrings.xml"
_SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def shared(data: bytes, strings: Callable[[Any, list[str]], None] | None = None) -> bytes:
    """The workbook with its sheets' inline strings moved to a shared-string part, as Excel saves text.

    ``strings(stream, texts)`` writes that part instead, when given (streamed, so it may be huge).
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        texts: list[str] = []

        def to_shared(match: re.Match[bytes]) -> bytes:
            texts.append(match.group(2).decode())
            return match.group(1) + b't="s"><v>' + str(len(texts) - 1).encode() + b"</v></c>"

        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                content = re.sub(rb'(<c [^>]*?)t="inlineStr"><is><t[^>]*>([^<]*)</t></is></c>', to_shared, content)
            elif info.filename == "[Content_Types].xml":
                override = f'<Override PartName="/{STRINGS_PART}" ContentType="application/vnd.openxmlformats-'
                override += 'officedocument.spreadsheetml.sharedStrings+xml"/>'
                content = content.replace(b"</Types>", override.encode() + b"</Types>")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                relation = '<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
                relation += 'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
                content = content.replace(b"</Relationships>", relation.encode() + b"</Relationships>")
            target.writestr(info.filename, content)
        with target.open(STRINGS_PART, "w", force_zip64=True) as stream:
            if strings is not None:
                strings(stream, texts)
            else:
                stream.write(_SST)
                for text in texts:
                    stream.write(f"<si><t>{text}</t></si>".encode())
                stream.write(b"</sst>")
    return out.getvalue()


def xml_rows(data: bytes, part: str = EVENTS_PART) -> list[ET.Element]:
    """The sheet's <row> elements, read by ElementTree: the oracle for how many rows the file holds."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return list(ET.fromstring(archive.read(part)).iter(f"{NS}row"))


def test_the_letters_are_right() -> None:
    header = [cell.value for cell in openpyxl.load_workbook(io.BytesIO(THREE))["Events"][1]]
    assert {name: header.index(name) for name in LETTER} == {
        name: ord(letter) - ord("A") for name, letter in LETTER.items()
    }
    assert len(xml_rows(THREE)) == 4
    assert len(read(THREE)) == 3


# --- 1. no rows lost: row numbers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "what"),
    [("3", "twice"), ("2", "backwards"), ("0", "zero"), ("-4", "negative"), ("1", "onto the header")],
)
@pytest.mark.parametrize("cell_refs", [True, False])
def test_a_row_numbered_twice_zero_negative_or_backwards_is_refused(new: str, what: str, cell_refs: bool) -> None:
    data = rezip(THREE, EVENTS_PART, renumber(4, new, cell_refs=cell_refs))
    assert len(xml_rows(data)) == 4  # the file still holds three event rows
    (problem,) = problems_of(data)
    assert problem.file == "desk.xlsx"
    assert problem.record.startswith("Events sheet")  # "A-4" is no cell reference: damage found after row 3
    assert new in problem.message or "'A-' is not a valid column name" in problem.message
    if int(new) >= 1:
        assert problem.record == "Events sheet"
        assert problem.row == int(new)
        assert "after row 3" in problem.message


def test_a_gap_of_empty_rows_is_legal_and_rows_keep_their_sheet_numbers() -> None:
    data = rezip(THREE, EVENTS_PART, renumber(4, "9"))
    assert [event.id for event in read(data)] == ["e1", "e2", "e3"]
    broken = rezip(data, EVENTS_PART, sub(r'(<c r="L9"[^>]*><is><t>)summit', r"\1weather"))
    (problem,) = problems_of(broken)
    assert (problem.row, problem.field) == (9, "category")


def test_a_cell_stored_in_another_row_or_twice_is_refused() -> None:
    moved = rezip(THREE, EVENTS_PART, sub(r'<c r="S3"', '<c r="S4"'))
    (problem,) = problems_of(moved)
    assert "Events!S4 is stored in row 3" in problem.message
    twice = rezip(THREE, EVENTS_PART, sub(r'<c r="S3"', '<c r="R3"'))
    (problem,) = problems_of(twice)
    assert "Events!R3 is stored twice or out of order" in problem.message


# --- 2. formulas, errors, merged ranges ------------------------------------------------------------


@pytest.mark.parametrize("column", ["note", "people", "title"])
def test_a_formula_saved_without_a_value_is_refused_naming_the_cell(column: str) -> None:
    cell = f"{LETTER[column]}3"

    def change(workbook: Any) -> None:
        workbook["Events"][cell] = '=CONCATENATE("a","b")'

    data = edit(THREE, change)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # openpyxl saved the formula, and no value for it
        assert re.search(rf'<c r="{cell}"[^>]*><f>CONCATENATE'.encode(), archive.read(EVENTS_PART))
        assert not re.search(rf'<c r="{cell}"[^>]*><f>[^<]*</f><v>'.encode(), archive.read(EVENTS_PART))
    problems = problems_of(data)
    assert [problem.row for problem in problems] == [3]
    assert f"Events!{cell} holds a formula" in problems[0].message
    assert "Paste Special > Values" in problems[0].message


def test_a_formula_with_a_cached_value_is_refused_and_its_text_never_read() -> None:
    data = rezip(
        THREE, EVENTS_PART, sub(r'<c r="S3"[^>]*>.*?</c>', '<c r="S3" t="str"><f>UPPER(S2)</f><v>NOTE 1</v></c>')
    )
    (problem,) = problems_of(data)
    assert problem.message.startswith("Events!S3 holds a formula")


def test_an_error_cell_is_refused_not_read_as_text() -> None:
    data = rezip(THREE, EVENTS_PART, sub(r'<c r="S3"[^>]*>.*?</c>', '<c r="S3" t="e"><v>#DIV/0!</v></c>'))
    (problem,) = problems_of(data)
    assert problem.message.startswith("Events!S3 holds the error '#DIV/0!'")
    assert (problem.record, problem.row) == ("Events row 3", 3)


def test_a_merged_range_is_refused_naming_it() -> None:
    def change(workbook: Any) -> None:
        workbook["Events"].merge_cells("P3:Q4")

    problems = problems_of(edit(THREE, change))
    assert [(problem.row, problem.message.split(" is ")[0]) for problem in problems] == [(3, "Events!P3:Q4")]
    assert "Unmerge" in problems[0].message


@pytest.mark.parametrize("sheet", ["Sources", "Withdrawn", "About"])
def test_formulas_are_refused_on_the_other_sheets_too(sheet: str) -> None:
    def change(workbook: Any) -> None:
        workbook[sheet]["A30"] = "=1+1"

    problems = problems_of(edit(THREE, change))
    assert [problem.message.split(" holds")[0] for problem in problems] == [f"{sheet}!A30"]


# --- 3. shared strings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "shown"), [("-1", "'-1'"), ("99999", "99999"), ("", "''"), (" 0", "' 0'"), ("-0", "'-0'")]
)
def test_a_shared_string_index_the_file_lacks_is_refused(index: str, shown: str) -> None:
    data = rezip(shared(THREE), EVENTS_PART, sub(r'(<c r="S3"[^>]*t="s"[^>]*><v>)[0-9]+', rf"\g<1>{index}"))
    (problem,) = problems_of(data)
    assert problem.message.startswith(f"Events!S3 refers to shared string {shown}, which the file lacks")


# --- 4. limits -----------------------------------------------------------------------------------


def count_calls(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    calls: list[int] = []
    original = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_one_huge_shared_string_is_refused_from_the_zip_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's 800 MB string: here 300 MB of one letter, refused before a byte is inflated or parsed."""

    def huge(stream: Any, _texts: list[str]) -> None:
        stream.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
        chunk = b"a" * (1 << 20)
        for _ in range(300):
            stream.write(chunk)
        stream.write(b"</t></si></sst>")

    data = shared(THREE, huge)
    assert len(data) < 2_000_000
    parsed = count_calls(monkeypatch, openpyxl.reader.excel, "read_string_table")
    (problem,) = problems_of(data)
    assert problem.record == "xl/sharedStrings.xml"
    assert "bytes uncompressed, over the limit of 268,435,456" in problem.message
    assert "max_part_bytes" in problem.message
    assert parsed == []


def test_too_many_tiny_shared_strings_are_refused_before_openpyxl_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    count = 5_000

    def tiny(stream: Any, _texts: list[str]) -> None:
        stream.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        stream.write(b"<si><t>a</t></si>" * count)
        stream.write(b"</sst>")

    data = shared(THREE, tiny)
    parsed = count_calls(monkeypatch, openpyxl.reader.excel, "read_string_table")
    (problem,) = problems_of(data, max_shared_strings=count - 1)
    assert f"more than {count - 1:,} shared strings" in problem.message
    assert "max_shared_strings" in problem.message
    assert parsed == []
    assert len(problems_of(data, max_shared_strings=count)) >= 1  # allowed now: fails later, on the cells it broke


def test_a_shared_string_longer_than_a_cell_is_refused() -> None:
    def long(stream: Any, _texts: list[str]) -> None:
        stream.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
        stream.write(b"b" * 32_768)
        stream.write(b"</t></si></sst>")

    (problem,) = problems_of(shared(THREE, long))
    assert "32,768 characters, more than a cell can hold (32,767)" in problem.message


def test_an_inline_string_longer_than_a_cell_is_refused_naming_the_cell() -> None:
    data = rezip(THREE, EVENTS_PART, sub(r"<t>note 2</t>", "<t>" + "n" * 40_000 + "</t>"))
    (problem,) = problems_of(data)
    assert problem.message.startswith("Events!S3 holds 40,000 characters")


def test_entity_expansion_is_refused_by_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True

    def laughs(stream: Any, _texts: list[str]) -> None:
        stream.write(
            b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&c;</t></si></sst>'
        )

    (problem,) = problems_of(shared(THREE, laughs))
    assert "EntitiesForbidden" in problem.message


@pytest.mark.parametrize(
    ("limit", "value", "expected"),
    [
        ("max_input_bytes", 1_000, "the file is larger, over the limit of 1,000"),
        ("max_part_bytes", 2_000, "bytes uncompressed, over the limit of 2,000"),
        ("max_total_bytes", 20_000, "the parts add up to more than 20,000 bytes uncompressed"),
        ("max_columns", 20, "row 1 has a cell in column U (21), over the limit of 20"),
    ],
)
def test_each_limit_is_an_option_named_in_its_error(limit: str, value: int, expected: str) -> None:
    (problem,) = problems_of(THREE, **{limit: value})
    assert expected in problem.message
    assert f"rnk_events.formats.xlsx.read(stream, name, {limit}=...) set higher" in problem.message
    assert len(read(THREE, **{limit: 10**9})) == 3


def test_a_cell_far_to_the_right_is_refused_without_building_the_row() -> None:
    data = rezip(THREE, EVENTS_PART, sub(r'<c r="S3"', '<c r="XFD3"'))
    (problem,) = problems_of(data)
    assert "column XFD (16,384), over the limit of 1,000" in problem.message


@pytest.mark.parametrize("value", [0, -1, True, 2.5])
def test_a_bad_limit_is_an_option_error(value: Any) -> None:
    with pytest.raises(OptionError, match="max_columns: must be a whole number, 1 or more"):
        read(THREE, max_columns=value)


# --- 5. date cells a spreadsheet converted ---------------------------------------------------------


def with_date_cell(text: str, value: Any, number_format: str) -> bytes:
    """A one-event export dated ``text``, its date cell then retyped as Excel stores ``value`` in that format."""

    def change(workbook: Any) -> None:
        workbook["Events"]["B2"] = value
        workbook["Events"]["B2"].number_format = number_format

    return edit(export([event(1, date=text)]), change)


@pytest.mark.parametrize(
    ("number_format", "value", "expected"),
    [
        ("yyyy-mm-dd", dt.datetime(2002, 8, 23), "2002-08-23"),
        ("m/d/yyyy", dt.datetime(2002, 8, 23), "2002-08-23"),
        ("d-mmm-yy", dt.datetime(2002, 8, 23), "2002-08-23"),
        ("yyyy-mm-dd h:mm:ss", dt.datetime(2002, 8, 23), "2002-08-23"),
        ("mmm-yy", dt.datetime(2000, 7, 1), "2000-07"),
        ("mmmm yyyy", dt.datetime(2000, 7, 1), "2000-07"),
        ("yyyy-mm", dt.datetime(2000, 7, 1), "2000-07"),
        ("[$-409]mmm-yy;@", dt.datetime(2000, 7, 1), "2000-07"),
        ('mmm" of "yyyy', dt.datetime(2000, 7, 1), "2000-07"),
        ("yyyy", dt.datetime(2000, 1, 1), "2000"),
        ("General", 2000, "2000"),
        ("General", 987, "0987"),
    ],
)
def test_a_converted_date_cell_reads_with_the_precision_it_shows(number_format: str, value: Any, expected: str) -> None:
    collection = read(with_date_cell(expected, value, number_format))
    assert str(collection[0].date) == expected
    (note,) = [note for note in collection.notes if note.field == "date"]
    assert note.row == 2
    assert note.message.startswith("Events!B2: ")
    assert expected in note.message


@pytest.mark.parametrize(
    ("number_format", "value", "shown"),
    [
        ("d-mmm", dt.datetime(2000, 7, 10), "'d-mmm'"),  # no year shown: Excel made one up
        ("mmm", dt.datetime(2000, 7, 1), "'mmm'"),
        ("h:mm", dt.datetime(2000, 7, 1), "'h:mm'"),
        ("mm-dd-yy", dt.datetime(2000, 7, 1, 9, 30), "time of day"),
        ("0.00", 2000, "'0.00'"),
        ("General", 2000.5, "2000.5"),
        ("General", 10_000, "10000"),
        ("General", True, "TRUE or FALSE"),
    ],
)
def test_an_unclear_date_cell_is_refused_naming_the_cell_and_the_fix(
    number_format: str, value: Any, shown: str
) -> None:
    (problem,) = problems_of(with_date_cell("2000-07", value, number_format))
    assert (problem.record, problem.field, problem.row) == ("Events row 2 (id 'e1')", "date", 2)
    assert problem.message.startswith("Events!B2 ")
    assert shown in problem.message
    assert "format the date column as Text" in problem.message


@settings(max_examples=60)  # each example writes and reads a whole workbook
@given(day=st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)), number_format=st.sampled_from(["mmm-yy", "mmmm yyyy"]))
def test_a_month_cell_never_gains_a_day(day: dt.date, number_format: str) -> None:
    month = day.isoformat()[:7]
    collection = read(with_date_cell(month, dt.datetime(day.year, day.month, day.day), number_format))
    assert collection[0].date.precision is Precision.MONTH
    assert str(collection[0].date) == month


@settings(max_examples=60)  # each example writes and reads a whole workbook
@given(year=st.integers(1, 9999))
def test_a_year_typed_as_a_number_reads_as_that_year(year: int) -> None:
    collection = read(with_date_cell(f"{year:04d}", year, "General"))
    assert collection[0].date.precision is Precision.YEAR
    assert collection[0].date.first_day == dt.date(year, 1, 1)


# --- 6. a renamed sheet; a Knight Lab sheet --------------------------------------------------------


def test_a_renamed_events_sheet_is_found_by_its_header_with_a_note() -> None:
    def change(workbook: Any) -> None:
        workbook["Events"].title = "Desk copy"
        workbook.move_sheet("Desk copy", offset=2)

    collection = read(edit(THREE, change))
    assert [event.id for event in collection] == ["e1", "e2", "e3"]
    (note,) = collection.notes
    assert note.record == "Desk copy"
    assert "read 'Desk copy'" in note.message


def test_problems_on_a_renamed_sheet_name_it() -> None:
    def change(workbook: Any) -> None:
        workbook["Events"].title = "Mine"
        workbook["Mine"]["L3"] = "weather"

    (problem,) = problems_of(edit(THREE, change))
    assert (problem.record, problem.field, problem.row) == ("Mine row 3 (id 'e2')", "category", 3)


KNIGHT_LAB = [
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
    "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group", "Background",
]  # fmt: skip


def test_load_reads_a_knight_lab_sheet(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "od1"
    sheet.append(KNIGHT_LAB)
    row = dict.fromkeys(KNIGHT_LAB)
    sheet.append([{**row, "Year": 2024, "Month": 6, "Day": 19, "Headline": "Summit", "Text": "They met.",
                   "Group": "summit"}[name] for name in KNIGHT_LAB])  # fmt: skip
    sheet.append([{**row, "Year": 2000, "Month": 7, "Headline": "Visit", "Text": "A visit.",
                   "Group": "summit"}[name] for name in KNIGHT_LAB])  # fmt: skip
    path = tmp_path / "timeline.xlsx"
    workbook.save(path)
    collection = rnk_events.load(path)
    assert [(str(item.date), item.title) for item in collection] == [("2000-07", "Visit"), ("2024-06-19", "Summit")]


def test_an_export_without_its_events_sheet_is_refused_not_read_as_timelinejs() -> None:
    def change(workbook: Any) -> None:
        del workbook["Events"]

    (problem,) = problems_of(edit(THREE, change))
    assert problem.message.startswith("no sheet named 'Events', and no sheet whose row 1 is the events header")


# --- hostile: generated edits of the sheet XML -------------------------------------------------------


def _mutations(count: int) -> list[tuple[str, bytes]]:
    """Edits of the Events sheet XML from a fixed seed: row numbers, cell kinds, shared-string indexes, merges."""
    generator = random.Random(20240617)
    saved = shared(THREE)
    cases = []
    for number in range(count):
        target = generator.randint(2, 4)
        kind = generator.choice(["row", "formula", "error", "index", "merge", "cell ref", "drop r"])
        if kind == "row":
            change = renumber(
                target, str(generator.choice([-1, 0, 1, 2, 3, 4, 5, 40])), cell_refs=generator.random() < 0.5
            )
        elif kind == "formula":
            change = sub(rf'(<c r="[A-Z]{target}")[^>]*>.*?</c>', r"\1><f>1/0</f></c>")
        elif kind == "error":
            change = sub(rf'(<c r="[A-Z]{target}")[^>]*>.*?</c>', r'\1 t="e"><v>#N/A</v></c>')
        elif kind == "index":
            change = sub(rf'(<c r="[A-Z]{target}"[^>]*t="s"[^>]*><v>)[0-9]+', rf"\g<1>{generator.choice([-1, 10**6])}")
        elif kind == "merge":
            change = sub(
                r"</sheetData>",
                f'</sheetData><mergeCells count="1"><mergeCell ref="P{target}:S{target}"/></mergeCells>',
            )
        elif kind == "cell ref":
            change = sub(rf'<c r="([A-Z]){target}"', rf'<c r="\g<1>{generator.randint(1, 6)}"')
        else:
            change = sub(r' r="[A-Z]+[0-9]+"', "")
        try:
            cases.append((f"{number}: {kind} at row {target}", rezip(saved, EVENTS_PART, change)))
        except AssertionError:  # the pattern did not occur in this row
            continue
    return cases


def _nothing_lost(data: bytes) -> Callable[[Any], bool]:
    """An accepted file must give one event per non-empty <row> under the header, as ElementTree counts them."""
    expected = sum(1 for row in xml_rows(data)[1:] if any(cell.find(f"{NS}v") is not None for cell in row))

    def verify(collection: Any) -> bool:
        return isinstance(collection, EventCollection) and len(collection) == expected

    return verify


def test_generated_hostile_sheets_end_in_a_clean_error_or_lose_nothing() -> None:
    cases = _mutations(80)
    assert len(cases) >= 50
    outcomes = [
        run_case(Case(name, functools.partial(read, data), "either", (DatasetError,), _nothing_lost(data)))
        for name, data in cases
    ]
    bad = [outcome for outcome in outcomes if not outcome.ok]
    assert bad == []
    assert sum(outcome.kind == "clean error" for outcome in outcomes) >= len(cases) // 2
