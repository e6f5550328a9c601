"""A spreadsheet cell's value as the text a person typed, for every reader of sheets.

The workbook reader (:mod:`rnk_events.formats.xlsx.cells`) and the Knight Lab
template reader (:mod:`rnk_events.formats.knightlab`) both get cells typed by
whatever read the file; this turns them back into text the same way. It
imports nothing under ``formats/xlsx/``, so the Knight Lab reader never
imports openpyxl.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["typed_cell_text"]


def typed_cell_text(value: Any) -> str:
    """A cell as text: a whole float without ".0", a midnight datetime as its day, booleans as Excel shows them.

    Text comes back unchanged; a caller with escapes to undo handles ``str`` first.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)
