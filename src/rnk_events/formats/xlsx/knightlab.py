"""Reading a newsroom's own TimelineJS sheet from a workbook: Knight Lab's template, filled in by hand.

The template itself (its columns, dates, citations, notes) is
:mod:`rnk_events.formats.knightlab`, shared with the CSV reader; this module
only finds the sheet and hands it the rows.
"""

from __future__ import annotations

from typing import IO, Any

from rnk_events.collection import EventCollection
from rnk_events.errors import DatasetError, Problem
from rnk_events.formats import knightlab
from rnk_events.formats.xlsx.cells import from_sheet_text
from rnk_events.formats.xlsx.sheets import header_names, open_workbook, sheet_rows

__all__ = ["read_timelinejs_sheet"]


def _value(value: Any) -> Any:
    """A cell value as :func:`~rnk_events.formats.knightlab.read_table` takes it: text with Excel's escapes undone."""
    return from_sheet_text(value) if isinstance(value, str) else value


def _template_sheet(workbook: Any, origin: str) -> tuple[list[str], list[tuple[int, list[Any]]]] | None:
    """The header and rows of the first sheet whose row 1 is the template header, or None."""
    for sheet in workbook.worksheets:
        rows = sheet_rows(sheet, origin)
        first = next(rows, None)
        header = header_names(first[1]) if first is not None and first[0] == 1 else []
        if knightlab.is_template_header(header):
            return header, [(number, [_value(value) for value in values]) for number, values in rows]
    return None


def read_timelinejs_sheet(stream: IO[bytes], origin: str) -> EventCollection:
    """Events from the first sheet with Knight Lab's TimelineJS template header (18 or 19 columns).

    What each column becomes, and the notes and problems, are
    :func:`rnk_events.formats.knightlab.read_table`'s, with problems named by
    sheet row. DatasetError when no sheet has the header.
    """
    workbook = open_workbook(stream, origin)
    try:
        found = _template_sheet(workbook, origin)
    finally:
        workbook.close()
    if found is None:
        columns = ", ".join(knightlab.TEMPLATE_COLUMNS_19)
        message = f"no sheet has the TimelineJS template header ({columns}; Alt Text may be left out)"
        raise DatasetError([Problem(origin, "row 1", "", message, row=1)])
    header, rows = found
    return knightlab.read_table(header, rows, origin, unit="row")
