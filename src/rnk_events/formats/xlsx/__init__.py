"""Excel workbook for a news desk: events, a TimelineJS template sheet, sources, a data dictionary.

Sheets: "Events" (one row per event, the CSV's columns plus real date cells
for sorting and filtering), "TimelineJS" (rows in Knight Lab's Google Sheets
template layout, ready to paste), "Sources" (the articles cited), "Withdrawn"
(the events taken out of the dataset for good) and "About" (what the workbook
is, when it was made, and every column's meaning).

Text cells hold exactly the text of the data, with four rules that keep them
safe and lossless:

- A cell is never a formula. Text starting with ``=``, ``+``, ``-`` or ``@``
  is stored as a string cell (not with a leading ``'``, so it reads back
  unchanged) and carries Excel's "quote prefix" style, so editing it in Excel
  keeps it text.
- Characters XML 1.0 forbids (control characters other than tab, newline and
  carriage return; U+FFFE, U+FFFF) are replaced with U+FFFD. Such text does not
  round-trip; all other text does.
- A carriage return is written as Excel's escape ``_x000D_`` (XML readers
  would turn a raw one into a newline), and an underscore that would start
  such an escape (``_x0041_``) is itself escaped as ``_x005F_``, so Excel,
  LibreOffice and :func:`read` all show the original text.
- Days before 1900-01-01, which Excel cannot store as dates, are written as
  ISO text.

A cell holds at most 32,767 characters (:data:`MAX_CELL_TEXT`); openpyxl would
cut longer text silently, so :func:`write` refuses it with an
:class:`~rnk_events.errors.ExportError` naming the event and the column instead.

With ``stamp`` fixed, two writes of the same events give identical bytes:
the document properties carry that time and every zip entry is stamped with it.

Reading back refuses, naming the cell, what would otherwise be lost without a
word: rows numbered twice, 0 or backwards, formulas, error cells, merged
ranges, missing shared strings. Date cells a spreadsheet made in the ``date``
column read with the precision their number format shows. Limits on the
file's size, its parts' uncompressed size, the shared strings and the sheet
width (``MAX_*``, each a keyword argument of :func:`read`) keep a small file
from causing unbounded work; XML is parsed with defusedxml.

The package's modules: ``cells`` (the cell codec), ``layout`` (sheet names and
columns), ``writer``, ``sheets`` (rows read safely, within limits), ``datecells``
(date cells a spreadsheet converted), ``reader`` (the Events sheet),
``knightlab`` (a newsroom's TimelineJS sheet) and ``streaming`` (the row
writer). Only the names below are the format's interface. Importing this package imports openpyxl;
``rnk_events`` imports it only when the xlsx format is used.
"""

from __future__ import annotations

from rnk_events.formats.xlsx.cells import MAX_CELL_TEXT
from rnk_events.formats.xlsx.knightlab import read_timelinejs_sheet
from rnk_events.formats.xlsx.layout import (
    ABOUT_SHEET,
    EVENTS_COLUMNS,
    EVENTS_SHEET,
    SOURCES_COLUMNS,
    SOURCES_SHEET,
    TIMELINEJS_COLUMNS,
    TIMELINEJS_SHEET,
    WITHDRAWN_COLUMNS,
    WITHDRAWN_SHEET,
    sheet_title,
)
from rnk_events.formats.xlsx.reader import read
from rnk_events.formats.xlsx.sheets import (
    MAX_COLUMNS,
    MAX_INPUT_BYTES,
    MAX_PART_BYTES,
    MAX_SHARED_STRINGS,
    MAX_TOTAL_BYTES,
)
from rnk_events.formats.xlsx.writer import write

__all__ = [
    "ABOUT_SHEET",
    "EVENTS_COLUMNS",
    "EVENTS_SHEET",
    "MAX_CELL_TEXT",
    "MAX_COLUMNS",
    "MAX_INPUT_BYTES",
    "MAX_PART_BYTES",
    "MAX_SHARED_STRINGS",
    "MAX_TOTAL_BYTES",
    "SOURCES_COLUMNS",
    "SOURCES_SHEET",
    "TIMELINEJS_COLUMNS",
    "TIMELINEJS_SHEET",
    "WITHDRAWN_COLUMNS",
    "WITHDRAWN_SHEET",
    "read",
    "read_timelinejs_sheet",
    "sheet_title",
    "write",
]
