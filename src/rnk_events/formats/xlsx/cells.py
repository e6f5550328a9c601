"""The cell codec: text as the sheet XML stores it and back, and any cell value as the text a person typed.

Text cells hold exactly the text of the data. Characters XML 1.0 forbids are
replaced with U+FFFD (such text does not round-trip; all other text does). A
carriage return is stored as Excel's escape ``_x000D_`` (XML readers would turn
a raw one into a newline), and an underscore that would start such an escape
(``_x0041_``) is itself escaped as ``_x005F_``, so Excel, LibreOffice and the
readers here all show the original text. Nothing here imports openpyxl.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rnk_events.formats._cells import typed_cell_text

__all__ = [
    "EXCEL_FIRST_DAY",
    "FORMULA_STARTS",
    "MAX_CELL_TEXT",
    "CellValue",
    "cell_text",
    "excel_day",
    "from_sheet_text",
    "sheet_text",
    "xml_legal",
]

#: Excel's limit on the text of one cell (Excel counts UTF-16 code units).
MAX_CELL_TEXT = 32_767
#: The first day Excel can store as a date; earlier days are written as ISO text.
EXCEL_FIRST_DAY = dt.date(1900, 1, 1)
#: Text a spreadsheet would run as a formula if typed: stored as text with Excel's quote prefix.
FORMULA_STARTS = ("=", "+", "-", "@")

#: What the writer puts in a cell.
CellValue = str | bool | int | float | dt.date | None

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Readers decode escapes left to right, each one consuming its closing "_"; so an underscore
# needs escaping when the stored text after it would read "xHHHH_". A lookahead, because that
# closing "_" may itself open the next look-alike ("_x0041_x0042_"), and a carriage return
# counts as "_" since it is stored as "_x000D_".
_LOOKS_ESCAPED = re.compile(r"_(?=x[0-9A-Fa-f]{4}[_\r])")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xml_legal(text: str) -> str:
    """The text with every character XML 1.0 forbids replaced by U+FFFD."""
    return _XML_ILLEGAL.sub("\ufffd", text)


def sheet_text(text: str) -> tuple[str, int]:
    """The text as stored in the sheet XML, and its length against :data:`MAX_CELL_TEXT`.

    The length is the longer of what Excel counts (UTF-16 units of the text)
    and what openpyxl cuts at (stored characters).
    """
    legal = xml_legal(text)
    stored = _LOOKS_ESCAPED.sub("_x005F_", legal).replace("\r", "_x000D_")
    return stored, max(len(legal.encode("utf-16-le")) // 2, len(stored))


def from_sheet_text(text: str) -> str:
    """Undo Excel's ``_xHHHH_`` escapes, which openpyxl leaves in place."""
    return _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


def excel_day(day: dt.date) -> dt.date | str:
    """A day as a date cell, or as ISO text when Excel cannot store it (before 1900)."""
    return day if day >= EXCEL_FIRST_DAY else day.isoformat()


def cell_text(value: Any) -> str:
    """A cell as text: what a person typed, whatever type Excel gave it."""
    if isinstance(value, str):
        return from_sheet_text(value)
    return typed_cell_text(value)
