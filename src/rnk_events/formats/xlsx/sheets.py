"""Reading sheets safely: a workbook opened within limits, its rows checked cell by cell, damage as a DatasetError.

Both readers (the Events sheet and a newsroom's TimelineJS sheet) go through
here, so a damaged, hostile or hand-made file is reported the same way by
each: a DatasetError naming the file, the sheet and the row or cell.

Nothing is lost without a word. openpyxl's own row iterator skips a ``<row>``
whose number repeats, is 0 or negative, or goes backwards, reads a formula
saved without a cached value as empty, an error cell (``#DIV/0!``) as text,
the hidden cells of a merged range as empty, and shared string ``-1`` as the
last string. So the rows are taken from openpyxl's sheet parser directly
(its public iterator hides these facts), each row number and cell is checked,
and every such cell is refused, named (``Events!F7``), with the fix. A gap of
empty rows is legal (Excel leaves one wherever a row was never typed in); row
numbers in messages are the sheet's own.

Limits (see :class:`Limits`) bound the work a small file can cause: the
input's size, each part's and all parts' uncompressed size (checked from the
zip directory before anything is inflated; zipfile refuses a part longer
than its entry says), the number of shared strings (counted before openpyxl
reads them), the sheet width and the text of a cell. openpyxl parses XML
with defusedxml, which this package requires (``openpyxl.xml.DEFUSEDXML``),
so entity expansion and external entities are refused; the shared-string
count is taken with defusedxml too.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from typing import IO, Any

import attrs
from defusedxml.ElementTree import iterparse as safe_iterparse
from openpyxl import load_workbook
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.packaging.manifest import Manifest
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import fromstring

from rnk_events import rows
from rnk_events.errors import DatasetError, OptionError, Problem, shorten
from rnk_events.formats.xlsx.cells import MAX_CELL_TEXT, cell_text

__all__ = [
    "MAX_COLUMNS",
    "MAX_INPUT_BYTES",
    "MAX_PART_BYTES",
    "MAX_ROWS",
    "MAX_SHARED_STRINGS",
    "MAX_TOTAL_BYTES",
    "PASTE_VALUES",
    "UNREADABLE",
    "Limits",
    "SheetRow",
    "cell_name",
    "check_input",
    "duplicate_columns",
    "find_sheet",
    "header_names",
    "open_workbook",
    "read_input",
    "sheet_rows",
    "sheet_table",
    "stray_cells",
]

#: Excel's last row.
MAX_ROWS = 1_048_576
#: Default limit on the workbook file's size, in bytes (a 100,000-event export is about 32 MB).
MAX_INPUT_BYTES = 256 * 1024 * 1024
#: Default limit on one zip part's uncompressed size, in bytes (the Events sheet of 100,000 events is under 100 MB).
MAX_PART_BYTES = 256 * 1024 * 1024
#: Default limit on all parts' uncompressed size together, in bytes.
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
#: Default limit on the number of shared strings (a 100,000-event export has under 1,000,000).
MAX_SHARED_STRINGS = 2_000_000
#: Default limit on a sheet's width in columns: the CSV's own (rows.MAX_COLUMNS); Excel's is 16,384.
MAX_COLUMNS = rows.MAX_COLUMNS
#: How many refused cells (formulas, errors...) one sheet lists before reading stops.
MAX_REFUSED = 100
#: The fix for a cell that holds a formula, an error or a merge: what a desk does in Excel or LibreOffice.
PASTE_VALUES = "copy the column and paste it back as values (Paste Special > Values), then save"

#: What zipfile, the XML parser and openpyxl raise for a damaged or hand-made file: a bad zip
#: (BadZipFile, zlib.error, EOFError, NotImplementedError for an unknown compression), a missing
#: part (KeyError, OSError), malformed XML (SyntaxError: the base of ElementTree's ParseError and
#: of lxml's, which openpyxl uses when installed), a bad value, style or cell reference
#: (ValueError, TypeError, OverflowError, IndexError; defusedxml's refusals are ValueErrors). Only
#: calls into openpyxl are guarded, so a bug in this package still surfaces as itself. Each kind
#: has a test with a file that raises it.
UNREADABLE: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    KeyError,
    OSError,
    SyntaxError,
    ValueError,
    TypeError,
    OverflowError,
    IndexError,
)
#: The formulas LibreOffice stores every TRUE and FALSE cell as: constants, read as the value they always give.
_CONSTANT_FORMULAS = {"=TRUE()": True, "=FALSE()": False}
_STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"
_TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
_RUN_TAG = f"{{{SHEET_MAIN_NS}}}r"
_VALUE_TAG = f"{{{SHEET_MAIN_NS}}}v"
_INDEX = re.compile("[0-9]+")


def _positive(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    """A limit is a whole number, 1 or more; named as the keyword argument of ``read`` that sets it."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise OptionError(f"max_{attribute.name}", f"must be a whole number, 1 or more; got {shorten(value)}")


@attrs.frozen
class Limits:
    """How much a workbook may make the reader do; each bound fails fast, naming itself.

    Raise one with the keyword argument of the same name on
    :func:`rnk_events.formats.xlsx.read` (``max_part_bytes=...``); the text of
    one cell is bounded by Excel's own 32,767 characters and is not an option.
    """

    input_bytes: int = attrs.field(default=MAX_INPUT_BYTES, validator=_positive)
    part_bytes: int = attrs.field(default=MAX_PART_BYTES, validator=_positive)
    total_bytes: int = attrs.field(default=MAX_TOTAL_BYTES, validator=_positive)
    shared_strings: int = attrs.field(default=MAX_SHARED_STRINGS, validator=_positive)
    columns: int = attrs.field(default=MAX_COLUMNS, validator=_positive)


@attrs.frozen
class SheetRow:
    """One non-empty row: its sheet row number, its values, and the number format of each number or date cell."""

    number: int
    values: tuple[Any, ...]
    formats: Mapping[int, str]  # by 0-based column index


def _unreadable(origin: str, where: str, error: Exception) -> DatasetError:
    """A DatasetError saying the workbook is damaged, with the parser's own words."""
    detail = str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
    if not detail:
        detail = "the data ends too soon" if isinstance(error, EOFError) else "no detail"
    kind = "zlib.error" if isinstance(error, zlib.error) else type(error).__name__
    message = f"not an Excel .xlsx workbook, or a damaged one ({kind}: {detail})"
    return DatasetError([Problem(origin, where, "", message)])


def _over_limit(origin: str, where: str, what: str, limit: int, option: str) -> DatasetError:
    message = (
        f"{what}, over the limit of {limit:,}: if the file is trusted, read it with "
        f"rnk_events.formats.xlsx.read(stream, name, {option}=...) set higher"
    )
    return DatasetError([Problem(origin, where, "", message)])


def read_input(stream: IO[bytes], origin: str, limits: Limits) -> bytes:
    """The file's bytes, refused past ``limits.input_bytes`` without reading the rest."""
    data = stream.read(limits.input_bytes + 1)
    if len(data) > limits.input_bytes:
        raise _over_limit(origin, "", "the file is larger", limits.input_bytes, "max_input_bytes")
    return data


def _shared_strings(archive: zipfile.ZipFile, part: str, origin: str, limits: Limits) -> list[str]:
    """The shared strings as stored (Excel's ``_xHHHH_`` escapes still in place, for :func:`cell_text` to undo).

    Read here rather than taken from openpyxl, which deletes every ``x005F_``
    and so turns a stored ``_x005F_x0041_`` (the text "_x0041_") into "A".
    Too many strings, or one longer than a cell, are refused as they are met.
    A string is its plain text and its runs' text; phonetic runs are not part of it.
    """
    strings: list[str] = []
    with archive.open(part) as source:
        for _event, element in safe_iterparse(source, events=("end",)):
            if element.tag == _TEXT_TAG and element.text and len(element.text) > MAX_CELL_TEXT:
                message = f"shared string {len(strings)} holds {len(element.text):,} characters"
                raise DatasetError(
                    [Problem(origin, part, "", f"{message}, more than a cell can hold ({MAX_CELL_TEXT:,})")]
                )
            if element.tag == _STRING_TAG:
                plain = element.find(_TEXT_TAG)
                runs = [run.find(_TEXT_TAG) for run in element.iter(_RUN_TAG)]
                strings.append("".join(text.text or "" for text in [plain, *runs] if text is not None))
                element.clear()
                if len(strings) > limits.shared_strings:
                    what = f"more than {limits.shared_strings:,} shared strings"
                    raise _over_limit(origin, part, what, limits.shared_strings, "max_shared_strings")
    return strings


def check_input(data: bytes, origin: str, limits: Limits) -> list[str]:
    """The shared strings; DatasetError for a workbook whose parts would inflate past the limits."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = 0
            for info in archive.infolist():
                total += info.file_size
                if info.file_size > limits.part_bytes:
                    what = f"{info.file_size:,} bytes uncompressed"
                    raise _over_limit(origin, info.filename, what, limits.part_bytes, "max_part_bytes")
                if total > limits.total_bytes:
                    what = f"the parts add up to more than {limits.total_bytes:,} bytes uncompressed"
                    raise _over_limit(origin, "", what, limits.total_bytes, "max_total_bytes")
            manifest = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
            strings = manifest.find(SHARED_STRINGS)
            return [] if strings is None else _shared_strings(archive, strings.PartName[1:], origin, limits)
    except DatasetError:  # a limit met: a ValueError too, but not damage
        raise
    except UNREADABLE as error:  # defusedxml's refusals are ValueErrors
        raise _unreadable(origin, "", error) from None


def open_workbook(stream: IO[bytes], origin: str, limits: Limits | None = None) -> Any:
    """The workbook, read-only, checked against ``limits``; a file that is not one is a DatasetError."""
    limits = limits or Limits()
    data = read_input(stream, origin, limits)
    strings = check_input(data, origin, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UNREADABLE as error:
        raise _unreadable(origin, "", error) from None
    for sheet in workbook.worksheets:  # the strings as stored, for the sheet parser (see _shared_strings)
        sheet._shared_strings = strings
    return workbook


def cell_name(sheet: str, row: int, column: int) -> str:
    """A cell as Excel names it across sheets: ``Events!F7``, ``'My events'!F7``."""
    quoted = sheet if sheet.replace("_", "").isalnum() else "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!{get_column_letter(column)}{row}"


class _MissingString:
    """What a cell's shared-string index resolves to when the file has no such string (or it is no index)."""

    __slots__ = ("index",)

    def __init__(self, index: int | str | None) -> None:
        self.index = index

    def __str__(self) -> str:
        return str(self.index) if isinstance(self.index, int) else shorten(self.index or "")


class _Parser(WorkSheetParser):  # type: ignore[misc]  # openpyxl is untyped
    """openpyxl's sheet parser, except that a shared-string cell whose index is not plain digits is refused.

    openpyxl reads an empty index as an empty cell, and `` 0`` or ``-0`` as string 0.
    """

    def parse_cell(self, element: Any) -> dict[str, Any]:
        if element.get("t") == "s":
            stored = element.find(_VALUE_TAG)
            raw = stored.text if stored is not None else None
            if raw is None or not _INDEX.fullmatch(raw):
                element.set("t", "n")  # parsed as an empty number cell, then marked
                if stored is not None:
                    element.remove(stored)
                cell: dict[str, Any] = super().parse_cell(element)
                cell["value"], cell["data_type"] = _MissingString(raw), "s"
                return cell
        parsed: dict[str, Any] = super().parse_cell(element)
        return parsed


class _CheckedStrings:
    """The shared strings, where an index of -1 or past the end is a _MissingString, not the last string."""

    def __init__(self, strings: Sequence[str]) -> None:
        self._strings = strings

    def __getitem__(self, index: int) -> str | _MissingString:
        if 0 <= index < len(self._strings):
            return self._strings[index]
        return _MissingString(index)


class _SheetReader:
    """One pass over a sheet's XML: rows checked, refused cells collected, merged ranges found at the end."""

    def __init__(self, sheet: Any, origin: str, limits: Limits) -> None:
        self.sheet = sheet
        self.title: str = sheet.title
        self.origin = origin
        self.limits = limits
        self.refused: list[Problem] = []
        self._formats: dict[int, str] = {}

    def _format(self, style_id: int) -> str:
        if style_id not in self._formats:
            self._formats[style_id] = ReadOnlyCell(self.sheet, 1, 1, None, "n", style_id).number_format
        return self._formats[style_id]

    def _refuse(self, row: int, column: int, message: str) -> None:
        where = cell_name(self.title, row, column)
        self.refused.append(Problem(self.origin, f"{self.title} row {row}", "", f"{where} {message}", row=row))
        if len(self.refused) >= MAX_REFUSED:  # enough to see what is wrong; a million formulas need not be listed
            raise DatasetError(self.refused)

    def _damaged(self, message: str, row: int | None = None) -> DatasetError:
        return DatasetError([Problem(self.origin, f"{self.title} sheet", "", message, row=row)])

    def _value(self, number: int, cell: dict[str, Any]) -> Any:
        """The cell's value, or None (and a refusal) for a formula, an error, a missing string, an overlong text."""
        value, kind, column = cell["value"], cell["data_type"], cell["column"]
        if kind == "f" and isinstance(value, str) and value.upper() in _CONSTANT_FORMULAS:
            return _CONSTANT_FORMULAS[value.upper()]
        if kind == "f":
            self._refuse(number, column, f"holds a formula ({shorten(value)}), not a value: {PASTE_VALUES}")
            return None
        if kind == "e":
            self._refuse(number, column, f"holds the error {shorten(value)}, not a value: fix it, or {PASTE_VALUES}")
            return None
        if isinstance(value, _MissingString):
            have = len(self.sheet._shared_strings)
            self._refuse(number, column, f"refers to shared string {value}, which the file lacks ({have:,})")
            return None
        if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
            self._refuse(number, column, f"holds {len(value):,} characters, more than a cell can ({MAX_CELL_TEXT:,})")
            return None
        return value

    def _row(self, number: int, cells: list[dict[str, Any]]) -> SheetRow:
        """A parsed row as values by column; a cell out of its row or out of order is damage."""
        values: list[Any] = []
        formats: dict[int, str] = {}
        for cell in cells:
            row, column = cell["row"], cell["column"]
            if row != number:
                raise self._damaged(f"cell {cell_name(self.title, row, column)} is stored in row {number}", number)
            if column <= len(values):
                where = cell_name(self.title, number, column)
                raise self._damaged(f"cell {where} is stored twice or out of order in its row", number)
            if column > self.limits.columns:
                what = f"row {number} has a cell in column {get_column_letter(column)} ({column:,})"
                raise _over_limit(self.origin, f"{self.title} sheet", what, self.limits.columns, "max_columns")
            values.extend([None] * (column - 1 - len(values)))
            value = self._value(number, cell)
            values.append(value)
            if isinstance(value, (int, float, dt.datetime, dt.date, dt.time, dt.timedelta)):
                formats[column - 1] = self._format(cell["style_id"])
        return SheetRow(number, tuple(values), formats)

    def rows(self) -> Iterator[SheetRow]:
        # openpyxl's read-only iterator hides repeated and backward row numbers; its parser shows them.
        workbook = self.sheet.parent
        strings = _CheckedStrings(self.sheet._shared_strings)  # the reader's list; the workbook's stays empty
        previous = 0
        try:
            source = workbook._archive.open(self.sheet._worksheet_path)
        except UNREADABLE as error:
            raise _unreadable(self.origin, f"{self.title} sheet", error) from None
        with source:
            parser = _Parser(
                source, strings, False, workbook.epoch, workbook._date_formats, workbook._timedelta_formats
            )
            parsed = parser.parse()
            while True:
                try:
                    number, cells = next(parsed)
                except StopIteration:
                    break
                except DatasetError:  # a limit met while parsing: a ValueError too, but not damage
                    raise
                except UNREADABLE as error:
                    where = f"{self.title} sheet" + (f", after row {previous}" if previous else "")
                    raise _unreadable(self.origin, where, error) from None
                if number < 1:
                    raise self._damaged(f"a row numbered {number}: rows are numbered from 1")
                if number <= previous:
                    message = f"row {number} comes after row {previous}: a row numbered twice or out of order"
                    raise self._damaged(message, number)
                if number > MAX_ROWS:
                    raise self._damaged(f"a row numbered beyond Excel's last row, {MAX_ROWS:,}")
                previous = number
                row = self._row(number, cells)
                if any(value is not None and cell_text(value).strip() for value in row.values):
                    yield row
        merged = parser.merged_cells.mergeCell if parser.merged_cells is not None else []
        for cells in merged:
            try:
                left, top, _right, _bottom = range_boundaries(str(cells.ref))
            except UNREADABLE as error:
                raise _unreadable(self.origin, f"{self.title} sheet", error) from None
            _first, colon, last = str(cells.ref).partition(":")
            where = cell_name(self.title, top or 1, left or 1) + colon + last
            message = (
                f"{where} is a merged range, whose other cells would read as empty: "
                "unmerge it (Merge & Center > Unmerge Cells) and fill in each cell"
            )
            self.refused.append(Problem(self.origin, f"{self.title} row {top}", "", message, row=top))
        if self.refused:
            raise DatasetError(self.refused)


def sheet_table(sheet: Any, origin: str, limits: Limits | None = None) -> Iterator[SheetRow]:
    """Non-empty rows with their sheet row numbers, values and number formats.

    The sheet's stored dimensions are ignored: some writers get them wrong.
    Damage (a row numbered twice, 0 or backwards; a cell outside its row) is a
    DatasetError as soon as it is met. Cells holding a formula, an error, a
    missing shared string or overlong text read as empty, and once the whole
    sheet is read (merged ranges are listed at its end) one DatasetError names
    every such cell with its fix.
    """
    return _SheetReader(sheet, origin, limits or Limits()).rows()


def sheet_rows(sheet: Any, origin: str, limits: Limits | None = None) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Non-empty rows as (sheet row number, values): :func:`sheet_table` without the number formats."""
    for row in sheet_table(sheet, origin, limits):
        yield row.number, row.values


def header_names(values: Sequence[Any]) -> list[str]:
    """A header row's cells as column names (stripped text; "" under a blank cell)."""
    return [cell_text(value).strip() for value in values]


def duplicate_columns(
    origin: str,
    record: str,
    header: Sequence[str],
    key: Callable[[str], str] = str,
    among: Container[str] | None = None,
) -> list[Problem]:
    """A problem for each column name (compared by ``key``) heading two columns: reading would keep only one.

    The header is the sheet's first row, and each problem says so (``row=1``).
    """
    columns: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        if name and (among is None or key(name) in among):
            columns.setdefault(key(name), []).append(index)
    problems = []
    for indexes in columns.values():
        if len(indexes) > 1:
            letters = [get_column_letter(index + 1) for index in indexes]
            where = f"{', '.join(letters[:-1])} and {letters[-1]}"
            message = f"duplicate column {header[indexes[0]]!r} in columns {where}: keep one"
            problems.append(Problem(origin, record, "", message, row=1))
    return problems


def stray_cells(origin: str, label: str, row: int, header: Sequence[str], values: Sequence[Any]) -> list[Problem]:
    """A problem for each value in a column without a header: it would be dropped without a word."""
    return [
        Problem(origin, label, "", f"a value in column {get_column_letter(index + 1)}, which has no header", row=row)
        for index, value in enumerate(values)
        if (index >= len(header) or not header[index]) and cell_text(value).strip()
    ]


def find_sheet(workbook: Any, name: str) -> Any | None:
    """The sheet of that name, or None."""
    return workbook[name] if name in workbook.sheetnames else None
