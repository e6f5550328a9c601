"""Reading sheets safely: a workbook opened, its non-empty rows and headers, damage as a DatasetError.

Both readers (the Events sheet and a newsroom's TimelineJS sheet) go through
here, so a damaged or hand-made file is reported the same way by each: a
DatasetError naming the file, and the sheet and last row read when the damage
is found while reading a sheet, quoting what the zip or XML reader said.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Container, Iterator, Sequence
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from rnk_events.errors import DatasetError, Problem
from rnk_events.formats.xlsx.cells import cell_text

__all__ = [
    "MAX_ROWS",
    "UNREADABLE",
    "duplicate_columns",
    "find_sheet",
    "header_names",
    "open_workbook",
    "sheet_rows",
    "stray_cells",
]

#: Excel's last row.
MAX_ROWS = 1_048_576

#: What zipfile, the XML parser and openpyxl raise for a damaged or hand-made file: a bad zip
#: (BadZipFile, zlib.error, EOFError, NotImplementedError for an unknown compression), a missing
#: part (KeyError, OSError), malformed XML (SyntaxError: the base of ElementTree's ParseError and
#: of lxml's, which openpyxl uses when installed), a bad value, style or cell reference
#: (ValueError, TypeError, OverflowError, IndexError). Only calls into openpyxl are guarded, so a
#: bug in this package still surfaces as itself. Each kind has a test with a file that raises it.
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


def _unreadable(origin: str, where: str, error: Exception) -> DatasetError:
    """A DatasetError saying the workbook is damaged, with the parser's own words."""
    detail = str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
    if not detail:
        detail = "the data ends too soon" if isinstance(error, EOFError) else "no detail"
    kind = "zlib.error" if isinstance(error, zlib.error) else type(error).__name__
    message = f"not an Excel .xlsx workbook, or a damaged one ({kind}: {detail})"
    return DatasetError([Problem(origin, where, "", message)])


def open_workbook(stream: IO[bytes], origin: str) -> Any:
    """The workbook, read-only with cached values; a file that is not one is a DatasetError."""
    data = stream.read()
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UNREADABLE as error:
        raise _unreadable(origin, "", error) from None


def sheet_rows(sheet: Any, origin: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Non-empty rows with their sheet row numbers.

    The sheet's stored dimensions are ignored: some writers get them wrong. A
    read-only workbook parses a sheet only here, row by row, so damage found
    on the way is a DatasetError naming the sheet and the last row read.
    """
    sheet.reset_dimensions()
    values_of = sheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(values_of)
        except StopIteration:
            return
        except UNREADABLE as error:
            where = f"{sheet.title} sheet" + (f", after row {number}" if number else "")
            raise _unreadable(origin, where, error) from None
        number += 1
        if number > MAX_ROWS:  # openpyxl pads the gap before a row numbered, say, 99999999999
            message = f"a row numbered beyond Excel's last row, {MAX_ROWS:,}"
            raise DatasetError([Problem(origin, f"{sheet.title} sheet", "", message)])
        if any(value is not None and cell_text(value).strip() for value in values):
            yield number, tuple(values)


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
