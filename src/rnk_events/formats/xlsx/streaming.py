"""Write-only sheets with styles computed once per column, and a zip whose bytes depend only on its parts.

openpyxl's normal workbook keeps every cell in memory (about 18 KiB per
event with a style on each). Its write-only mode streams rows to a file, but
hashes each styled cell's style to find its index and serialises each cell as
an ElementTree element, which is most of its time. Here each column's few
styles (plain, formula-guarded, day; the header's bold) are registered once
and each cell names its style's index; each row is written as its XML text
(inline strings, escaped as openpyxl escapes them). Everything around the rows
stays openpyxl's: the sheet's size, columns and widths, frozen header, filter,
dropdowns, links, page setup, styles, the workbook and its parts. Memory stays
flat: nothing per row outlives its row.

openpyxl internals used, all present since openpyxl 3.0: a cell's ``_style``
(to register a style and learn its index), the workbook's ``_cell_styles``, a
write-only sheet's ``_writer`` (made here, with its file in a folder of ours,
so a failure leaves no file behind and its error names the temporary folder),
its ``write_row`` and the sheet's ``_values_to_row`` (replaced per sheet, to
take a row's XML), and the XML stream's ``_file`` (its write function).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

import attrs
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet import _writer as sheet_writer
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink

from rnk_events.errors import ExportError
from rnk_events.formats.xlsx.cells import FORMULA_STARTS

__all__ = [
    "DATE_FORMAT",
    "TEXT_FORMAT",
    "Column",
    "Dropdown",
    "Scratch",
    "StampedZip",
    "StreamedSheet",
    "new_workbook",
    "temporary_folder",
]

#: The number format of a day cell.
DATE_FORMAT = "yyyy-mm-dd"
#: Excel's "Text" number format: what is typed in such a cell stays text (``2000-07`` is not made a date).
TEXT_FORMAT = "@"
_BOLD = Font(name="Calibri", size=11, bold=True)  # the default font, bold
_TOP = Alignment(vertical="top")
_TOP_WRAPPED = Alignment(vertical="top", wrap_text=True)
#: Wide sheets print landscape, fitted to the page's width (as many pages down as it takes).
_LANDSCAPE_FROM = 8


@attrs.frozen
class Column:
    """One column of a streamed sheet: its header, width, how its cells look, and what they may hold.

    ``text`` gives the column (its written cells and the empty ones below)
    Excel's Text format, for columns of date text that a spreadsheet would
    otherwise turn into date cells when retyped.
    """

    name: str
    width: float
    wrapped: bool = False
    text: bool = False


@attrs.frozen
class Dropdown:
    """A list validation on one column: the values offered, and whether other text is allowed."""

    column: str
    values: tuple[str, ...]
    strict: bool
    prompt: str


@attrs.frozen
class _Styles:
    """A column's style indices, as the ``s`` attribute of its cells."""

    plain: str
    guarded: str  # text a spreadsheet would run as a formula: Excel's quote prefix
    day: str


def _style(workbook: Any, sheet: Any, **looks: Any) -> str:
    """The workbook's index of a style, registered once: what every cell of that look points to."""
    probe = Cell(sheet, row=1, column=1)
    for name, value in looks.items():
        setattr(probe, name, value)
    return str(workbook._cell_styles.add(probe._style))


def _column_styles(workbook: Any, sheet: Any, column: Column) -> _Styles:
    alignment = _TOP_WRAPPED if column.wrapped else _TOP
    number_format = TEXT_FORMAT if column.text else "General"
    return _Styles(
        plain=_style(workbook, sheet, alignment=alignment, number_format=number_format),
        guarded=_style(workbook, sheet, alignment=alignment, number_format=number_format, quotePrefix=True),
        day=_style(workbook, sheet, alignment=alignment, number_format=DATE_FORMAT),
    )


class StreamedSheet:
    """A write-only sheet: header first, then rows, each cell styled by its column, rows forgotten once written.

    Widths, the frozen header, print titles and the page setup are set before
    the first row (openpyxl writes them at the top of the sheet); the filter
    and the dropdowns, which name the last row, when the sheet is finished.
    """

    def __init__(
        self,
        workbook: Any,
        title: str,
        columns: Sequence[Column],
        scratch: Scratch,
        *,
        rows: int,
        header: bool = True,
    ) -> None:
        """``rows`` is how many rows will follow the header: the sheet's stated size, written before them."""
        sheet = workbook.create_sheet(title)
        scratch.sheets.append(self)
        self._sheet = sheet
        self._columns = tuple(columns)
        self._styles = [_column_styles(workbook, sheet, column) for column in columns]
        self._header = _style(workbook, sheet, alignment=_TOP, font=_BOLD)
        self.rows_written = 0
        for index, column in enumerate(columns, start=1):
            dimension = sheet.column_dimensions[get_column_letter(index)]
            dimension.width = column.width
            if column.text:
                dimension.number_format = TEXT_FORMAT
        if header:
            sheet.freeze_panes = "A2"
            sheet.print_title_rows = "1:1"
        if len(columns) >= _LANDSCAPE_FROM:
            sheet.page_setup.orientation = "landscape"
            sheet.page_setup.fitToWidth = 1
            sheet.page_setup.fitToHeight = 0
            sheet.sheet_properties.pageSetUpPr.fitToPage = True
        # The sheet's XML goes to a file in our folder, not to one openpyxl names in the temporary folder.
        out = str(scratch.path / f"sheet{len(workbook.worksheets)}.xml")
        sheet._writer = sheet_writer.WorksheetWriter(sheet, out=out)
        sheet_writer.ALL_TEMP_FILES.append(out)  # openpyxl's cleanup after saving the sheet takes it off this list
        # Its stated size: without one, openpyxl's read-only reader parses the whole sheet on opening.
        size = f"A1:{get_column_letter(len(columns))}{max(1, rows + header)}"
        sheet.calculate_dimension = lambda: size
        sheet._writer.write_top()
        self._letters = [get_column_letter(index) for index in range(1, len(columns) + 1)]
        self._epoch = workbook.epoch
        # Each appended row arrives as its XML: openpyxl's per-cell objects and serialiser are the
        # slow part of a write-only sheet (each cell an ElementTree element), so rows are written whole.
        sheet._values_to_row = self._placed
        sheet._writer.write_row = self._write_row
        if header:
            self.append([column.name for column in columns], bold=len(columns))

    @property
    def title(self) -> str:
        return str(self._sheet.title)

    def _placed(self, row: tuple[str], row_number: int) -> tuple[str]:
        """What openpyxl's write-only sheet makes of an appended row: here, the row is already its XML."""
        return row

    def _write_row(self, xf: Any, row: tuple[str], row_number: int) -> None:
        """Write the row's XML into the sheet's stream, in place of openpyxl's cell-by-cell serialiser."""
        xf._file(row[0])

    def append(
        self,
        values: Sequence[Any],
        *,
        height: float | None = None,
        link: tuple[int, str] | None = None,
        bold: int = 0,
    ) -> None:
        """One row of cell values (text already in its stored form), with a height for wrapped text.

        ``link`` is (column index from 0, URL): that cell becomes a hyperlink;
        the first ``bold`` cells are labels, in the header's bold.
        """
        number = str(self.rows_written + 1)
        parts = [f'<row r="{number}" ht="{height:g}" customHeight="1">' if height else f'<row r="{number}">']
        for index, (value, styles, letter) in enumerate(zip(values, self._styles, self._letters, strict=True)):
            if value is None:
                continue
            where = letter + number
            if index < bold:
                style = self._header
            elif isinstance(value, str):
                style = styles.guarded if value.startswith(FORMULA_STARTS) else styles.plain
            else:
                style = styles.day if isinstance(value, dt.date) else styles.plain
            if isinstance(value, str):
                parts.append(_text_cell(where, style, value))
            else:
                parts.append(_number_cell(where, style, value, self._epoch))
        parts.append("</row>")
        if link is not None and values[link[0]] is not None:
            self._sheet._hyperlinks.append(Hyperlink(ref=self._letters[link[0]] + number, target=link[1]))
        self._sheet.append(("".join(parts),))  # a tuple, as append wants
        self.rows_written += 1

    def abandon(self) -> None:
        """Stop writing: close the row stream, then the XML file under it; any error now is beside the point."""
        for stream in (getattr(self._sheet, "_rows", None), getattr(self._sheet._writer, "xf", None)):
            if stream is not None:
                with suppress(Exception):
                    stream.close()

    def finish(self, *, filtered: bool, dropdowns: Sequence[Dropdown] = (), spare_rows: int = 0) -> None:
        """The header's filter over the written rows, and each dropdown over them plus ``spare_rows`` below."""
        last_column = get_column_letter(len(self._columns))
        if filtered:
            self._sheet.auto_filter.ref = f"A1:{last_column}{self.rows_written}"
        names = [column.name for column in self._columns]
        last_row = self.rows_written + spare_rows
        for dropdown in dropdowns:
            letter = get_column_letter(names.index(dropdown.column) + 1)
            self._sheet.data_validations.append(_validation(dropdown, f"{letter}2:{letter}{max(last_row, 2)}"))


def _text_cell(where: str, style: str, text: str) -> str:
    """An inline string cell, as openpyxl writes one (``xml:space`` kept when the ends are spaces)."""
    if not text:
        return f'<c r="{where}" s="{style}" t="inlineStr"/>'
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{where}" s="{style}" t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'


def _number_cell(where: str, style: str, value: Any, epoch: dt.datetime) -> str:
    """A number, boolean or day cell; a day is Excel's serial number, as openpyxl computes it."""
    if isinstance(value, bool):
        return f'<c r="{where}" s="{style}" t="b"><v>{int(value)}</v></c>'
    number = to_excel(value, epoch) if isinstance(value, dt.date) else value
    return f'<c r="{where}" s="{style}" t="n"><v>{safe_string(number)}</v></c>'


def _escape(text: str) -> str:
    """XML character data: ``&``, ``<`` and ``>`` escaped (the text is already XML-legal)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _validation(dropdown: Dropdown, cells: str) -> DataValidation:
    listed = ",".join(dropdown.values)
    validation = DataValidation(
        type="list",
        formula1=f'"{listed}"',
        allow_blank=True,
        showDropDown=False,  # (sic) False shows the in-cell arrow
        showInputMessage=True,
        showErrorMessage=True,
        errorStyle="stop" if dropdown.strict else "information",
        promptTitle=dropdown.column,
        prompt=dropdown.prompt,
        errorTitle=dropdown.column,
        error=dropdown.prompt,
    )
    validation.add(cells)
    return validation


def _folder_error(folder: str, error: OSError) -> ExportError:
    reason = error.strerror or str(error)
    if error.errno == errno.ENOSPC:
        reason = "no space left"
    return ExportError(
        "xlsx",
        "",
        "",
        f"cannot use the temporary folder {folder} for the workbook's sheets ({reason}); the target was not "
        "touched. Free space there, or point TMPDIR at a folder with room",
    )


class Scratch:
    """The private folder where the sheets' XML is streamed, and the sheets streaming there."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sheets: list[StreamedSheet] = []

    def abandon(self) -> None:
        """Close every sheet's half-written XML (inner generator first), so nothing writes to it later."""
        for streamed in self.sheets:
            streamed.abandon()


@contextmanager
def temporary_folder() -> Iterator[Scratch]:
    """A private folder in the temporary folder for the sheets' XML, removed afterwards, failure or not.

    Any OSError inside it is the temporary folder's (the sheets are the only
    files written there), so it becomes an ExportError naming that folder.
    """
    parent = tempfile.gettempdir()
    try:
        folder = tempfile.mkdtemp(prefix="rnk-xlsx-")
    except OSError as error:
        raise _folder_error(parent, error) from error
    scratch = Scratch(Path(folder))
    try:
        yield scratch
    except OSError as error:
        scratch.abandon()
        raise _folder_error(parent, error) from error
    except BaseException:
        scratch.abandon()
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class StampedZip(zipfile.ZipFile):
    """A zip whose every entry carries one fixed time, Unix as its system and mode 644, deflated.

    openpyxl's ExcelWriter adds parts by name (``writestr``) and sheets by file
    (``write``); both are stamped here, so the same workbook gives the same bytes.
    """

    def __init__(self, stream: IO[bytes], date_time: tuple[int, int, int, int, int, int]) -> None:
        super().__init__(stream, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._date_time = date_time

    def _entry(self, name: str) -> zipfile.ZipInfo:
        entry = zipfile.ZipInfo(name, date_time=self._date_time)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.create_system = 3  # Unix, whatever system writes it
        entry.external_attr = 0o644 << 16
        return entry

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        super().writestr(self._entry(name), data)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        entry = self._entry(arcname if arcname is not None else os.path.basename(filename))
        entry.file_size = os.path.getsize(filename)
        with open(filename, "rb") as source, self.open(entry, "w") as target:
            shutil.copyfileobj(source, target, 1 << 16)


def new_workbook() -> Any:
    """A write-only workbook with no sheets yet."""
    return Workbook(write_only=True)
