"""The workbook as a desk edits and prints it: text-formatted date columns, dropdowns, print setup, a full $TMPDIR.

Checked with openpyxl reading the styles, the raw sheet XML, LibreOffice (a
headless re-save) and the command line in a subprocess.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from hypothesis import given, settings

import rnk_events
from rnk_events import EventCollection, ExportError
from tests.conftest import skip_or_fail
from tests.edtf_strategies import edtf_dates
from tests.workbooks import workbook_bytes

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: Excel's built-in number format 49 is "@", Text.
TEXT_FORMAT_ID = "49"
# Written here by hand (Category and Status in the model), not read from the code under test.
CATEGORIES = "summit,diplomacy,conflict,military,arms-transfer,sanctions,space,border,justice,politics"
STATUSES = "happened,planned,alleged,disputed"


def sheet_xml(data: bytes, number: int) -> ElementTree.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return ElementTree.fromstring(archive.read(f"xl/worksheets/sheet{number}.xml"))


def cell_formats(data: bytes) -> list[ElementTree.Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    return list(styles.find(f"{MAIN}cellXfs") or [])


def letters(header: list[Any]) -> dict[str, str]:
    return {name: openpyxl.utils.get_column_letter(index) for index, name in enumerate(header, start=1)}


# --- date text columns are Text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "columns"),
    [("Events", ["date", "display_date"]), ("TimelineJS", ["Display Date"]), ("Withdrawn", ["date"])],
)
def test_date_text_columns_are_text_formatted_cells_and_column(
    bundled_xlsx: bytes, sheet: str, columns: list[str]
) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    table = workbook[sheet]
    where = letters([cell.value for cell in table[1]])
    for name in columns:
        letter = where[name]
        assert table.column_dimensions[letter].number_format == "@", (sheet, name)  # the empty cells below too
        values = table[letter][1:]
        assert all(cell.number_format == "@" for cell in values if cell.value is not None), (sheet, name)
    assert table[where[columns[0]]][0].font.bold  # the header keeps its own look


def test_text_format_is_in_the_sheet_xml(bundled_xlsx: bytes) -> None:
    formats = cell_formats(bundled_xlsx)
    root = sheet_xml(bundled_xlsx, 1)
    columns = {col.get("min"): col for col in root.iter(f"{MAIN}col")}
    date_column = columns["2"]  # B: date
    assert formats[int(date_column.get("style", "0"))].get("numFmtId") == TEXT_FORMAT_ID
    first_row = next(row for row in root.iter(f"{MAIN}row") if row.get("r") == "2")
    date_cell = next(cell for cell in first_row if cell.get("r") == "B2")
    assert date_cell.get("t") == "inlineStr"
    assert formats[int(date_cell.get("s", "0"))].get("numFmtId") == TEXT_FORMAT_ID
    # a real date cell keeps its date format: first_day (E) is a day
    day_cell = next(cell for cell in first_row if cell.get("r") == "E2")
    assert cell_formats(bundled_xlsx)[int(day_cell.get("s", "0"))].get("numFmtId") != TEXT_FORMAT_ID


@settings(max_examples=25, deadline=None)
@given(edtf_dates())
def test_any_edtf_date_is_written_as_text_in_a_text_cell(date: rnk_events.DateSpan) -> None:
    event = rnk_events.Event(
        id="e1",
        date=date,
        title="T",
        summary="S.",
        category="summit",
        status="happened",
        actors=("RUS",),
        sources=(rnk_events.SourceRef("src", "words"),),
    )
    data = workbook_bytes(EventCollection([event]))
    table = openpyxl.load_workbook(io.BytesIO(data))["Events"]
    assert (table["B2"].value, table["B2"].data_type, table["B2"].number_format) == (str(event.date), "s", "@")


def _soffice(tmp_path: Path, source: Path, target: str) -> Path:
    if shutil.which("soffice") is None:
        skip_or_fail("RNK_EVENTS_REQUIRE_LIBREOFFICE", "LibreOffice (soffice) is not installed")
    out = tmp_path / "out"
    command = [
        "soffice",
        f"-env:UserInstallation=file://{tmp_path / 'profile'}",
        "--headless",
        "--convert-to",
        target,
        "--outdir",
        str(out),
        str(source),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=240)
    (found,) = out.iterdir()
    return found


def test_libreoffice_keeps_month_and_year_dates_as_text(tmp_path: Path, bundled: EventCollection) -> None:
    """LibreOffice reads the Events sheet (the first) and writes it as CSV: ``2000-07`` is still ``2000-07``."""
    source = tmp_path / "events.xlsx"
    source.write_bytes(workbook_bytes(bundled))
    converted = _soffice(tmp_path, source, "csv:Text - txt - csv (StarCalc):44,34,76,1")  # comma, quote, UTF-8
    with converted.open(encoding="utf-8", newline="") as stream:
        table = list(csv.reader(stream))
    dates = {row[0]: row[1] for row in table[1:]}
    assert dates["2000-07-putin-first-visit-to-north-korea"] == "2000-07"
    assert dates["2000-putin-becomes-president"] == "2000"
    assert [dates[item.id] for item in bundled] == [str(item.date) for item in bundled]


def test_a_libreoffice_re_save_keeps_the_text_format_and_loads_back(tmp_path: Path, bundled: EventCollection) -> None:
    source = tmp_path / "events.xlsx"
    source.write_bytes(workbook_bytes(bundled))
    resaved = _soffice(tmp_path, source, "xlsx")
    table = openpyxl.load_workbook(resaved)["Events"]
    assert table.column_dimensions["B"].number_format == "@"
    dates = table["B"][1 : len(bundled) + 1]
    assert all(cell.data_type == "s" and cell.number_format == "@" for cell in dates)
    assert [cell.value for cell in dates] == [str(item.date) for item in bundled]
    assert list(rnk_events.load(resaved)) == list(bundled)


# --- dropdowns ------------------------------------------------------------------------------------


def test_dropdowns_for_category_status_and_actors(bundled: EventCollection, bundled_xlsx: bytes) -> None:
    table = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))["Events"]
    where = letters([cell.value for cell in table[1]])
    found = {str(validation.sqref): validation for validation in table.data_validations.dataValidation}
    last = len(bundled) + 1 + 10_000  # the docs promise 10,000 empty rows below the data
    category = found[f"{where['category']}2:{where['category']}{last}"]
    status = found[f"{where['status']}2:{where['status']}{last}"]
    actors = found[f"{where['actors']}2:{where['actors']}{last}"]
    assert (category.type, category.formula1, category.errorStyle) == ("list", f'"{CATEGORIES}"', "stop")
    assert (status.type, status.formula1, status.errorStyle) == ("list", f'"{STATUSES}"', "stop")
    assert actors.type == "list"
    assert actors.errorStyle in ("information", "warning")  # offered, but any text is let through
    offered = actors.formula1.strip('"').split(",")
    used = {code for item in bundled for code in item.actors}
    assert set(offered) == used  # the bundled data's codes fit Excel's 255 characters
    assert offered[:2] == ["RUS", "PRK"]  # most used first
    assert all(validation.showErrorMessage and validation.allow_blank for validation in found.values())


def test_dropdowns_in_the_sheet_xml(bundled_xlsx: bytes) -> None:
    validations = list(sheet_xml(bundled_xlsx, 1).iter(f"{MAIN}dataValidation"))
    assert len(validations) == 3
    lists = {item.findtext(f"{MAIN}formula1") for item in validations}
    assert f'"{CATEGORIES}"' in lists
    assert f'"{STATUSES}"' in lists
    assert all(item.get("type") == "list" for item in validations)
    # Excel refuses a list longer than 255 characters
    assert all(len(text or "") - 2 <= 255 for text in lists)


def test_many_actor_codes_are_cut_to_what_excel_takes() -> None:
    codes = sorted(rnk_events.actors.countries())[:120]
    events = [
        rnk_events.Event(
            id=f"e{index}",
            date=rnk_events.parse_date("2024"),
            title="T",
            summary="S.",
            category="summit",
            status="happened",
            actors=(code,),
            sources=(rnk_events.SourceRef("src", "words"),),
        )
        for index, code in enumerate(codes)
    ]
    table = openpyxl.load_workbook(io.BytesIO(workbook_bytes(EventCollection(events))))["Events"]
    (actors,) = [item for item in table.data_validations.dataValidation if item.errorStyle != "stop"]
    assert len(actors.formula1) - 2 <= 255
    assert set(actors.formula1.strip('"').split(",")) < set(codes)


# --- printing -------------------------------------------------------------------------------------


def test_print_titles_frozen_header_and_page_setup(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    for name in ("Events", "TimelineJS", "Sources", "Withdrawn"):
        table = workbook[name]
        assert table.print_title_rows == "$1:$1", name
        assert table.freeze_panes == "A2", name
        widths = {cell.value: table.column_dimensions[cell.column_letter].width for cell in table[1]}
        assert all(len(header) + 2 <= width <= 62 for header, width in widths.items()), (name, widths)
    for name in ("Events", "TimelineJS"):  # wide sheets: landscape, one page wide
        table = workbook[name]
        assert table.page_setup.orientation == "landscape"
        assert (table.page_setup.fitToWidth, table.page_setup.fitToHeight) == (1, 0)
        assert table.sheet_properties.pageSetUpPr.fitToPage
    with zipfile.ZipFile(io.BytesIO(bundled_xlsx)) as archive:
        book = archive.read("xl/workbook.xml").decode()
    assert "_xlnm.Print_Titles" in book


# --- the temporary folder ---------------------------------------------------------------------------


def test_an_unusable_temporary_folder_is_named_and_the_target_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("a file, so nothing can be made under it")
    monkeypatch.setattr(tempfile, "tempdir", str(blocker / "sub"))
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"the old workbook")
    with pytest.raises(ExportError) as caught:
        rnk_events.export(rnk_events.load(), "xlsx", target)
    message = str(caught.value)
    assert f"temporary folder {blocker / 'sub'}" in message
    assert str(target) not in message
    assert target.read_bytes() == b"the old workbook"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["afile", "out.xlsx"]


@pytest.fixture
def full_tmpfs(tmp_path: Path) -> Any:
    """A 64 KiB tmpfs: room for Python's check that the folder is usable, not for the sheets."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root and mount")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_full_temporary_folder_is_one_clear_line_from_the_cli(tmp_path: Path, full_tmpfs: Path) -> None:
    target = tmp_path / "out.xlsx"
    done = subprocess.run(
        [sys.executable, "-m", "rnk_events", "export", "-o", str(target)],
        env={**os.environ, "TMPDIR": str(full_tmpfs)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert f"temporary folder {full_tmpfs}" in line
    assert "no space left" in line
    assert f"cannot write {target}" not in line
    assert not target.exists()
    assert list(full_tmpfs.iterdir()) == []  # nothing left behind


# --- the rows' XML ----------------------------------------------------------------------------------

AWKWARD = ["a & <b> > c", "#N/A", "=1+1", "TRUE", "2000-07", "0012", "tab\there", "two  spaces", "line\nbreak"]


def test_awkward_text_is_text_to_two_independent_readers() -> None:
    events = EventCollection(
        [
            rnk_events.Event(
                id=f"e{index}",
                date=rnk_events.parse_date("2024"),
                title="T",
                summary="S.",
                note=text,
                category="summit",
                status="happened",
                actors=("RUS",),
                sources=(rnk_events.SourceRef("src", "words"),),
            )
            for index, text in enumerate(AWKWARD)
        ]
    )
    data = workbook_bytes(events)
    table = openpyxl.load_workbook(io.BytesIO(data))["Events"]
    column = letters([cell.value for cell in table[1]])["note"]
    cells = table[column][1:]
    assert [(cell.value, cell.data_type) for cell in cells] == [(text, "s") for text in AWKWARD]
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Events").to_python()
    note = rows[0].index("note")
    assert [row[note] for row in rows[1:]] == AWKWARD


def test_each_sheet_states_its_true_size(bundled_xlsx: bytes) -> None:
    """Readers use the stated size (openpyxl's read-only mode parses a whole sheet without it)."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(bundled_xlsx))
    for number, name in enumerate(workbook.sheet_names, start=1):
        (dimension,) = sheet_xml(bundled_xlsx, number).iter(f"{MAIN}dimension")
        table = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        width = max(len(row) for row in table)
        assert dimension.get("ref") == f"A1:{openpyxl.utils.get_column_letter(width)}{len(table)}", name
