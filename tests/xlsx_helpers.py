"""What the Excel workbook tests share: the sheets' headers written by hand, a reader other than openpyxl, events."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from rnk_events import EventCollection
from tests.events import small_event as event  # a valid event with only the fields a test is about changed

__all__ = [
    "COLUMN",
    "EVENTS_HEADER",
    "LETTER",
    "TIMELINEJS_HEADER",
    "TRICKY",
    "XML_ILLEGAL",
    "calamine",
    "event",
    "rows",
    "tricky_collection",
]

EVENTS_HEADER = [
    "id", "date", "display_date", "start", "first_day", "last_day", "is_range", "precision", "qualifier",
    "title", "summary", "category", "status", "actors", "actor_names", "people", "places", "sources", "note",
    "revision", "revised",
]  # fmt: skip
#: Each Events column's index in a row and its letter in the sheet: tests name columns, not positions.
COLUMN = {name: index for index, name in enumerate(EVENTS_HEADER)}
LETTER = {name: get_column_letter(index + 1) for name, index in COLUMN.items()}
TIMELINEJS_HEADER = [
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
    "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Alt Text",
    "Type", "Group", "Background",
]  # fmt: skip
#: Characters XML 1.0 cannot hold, so no workbook cell can.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def calamine(data: bytes) -> CalamineWorkbook:
    """The workbook opened by python-calamine (a Rust reader), so the checks do not trust openpyxl."""
    return CalamineWorkbook.from_filelike(io.BytesIO(data))


def rows(data: bytes, sheet: str) -> list[list[Any]]:
    """One sheet's cells as calamine reads them, empty cells included."""
    return calamine(data).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


#: Text a spreadsheet would take for a formula, or would strip a quote from.
TRICKY = ["=1+1", "+CMD", "-3 degrees", "@SUM(A1)", "'quoted", '=HYPERLINK("http://x")']


def tricky_collection() -> EventCollection:
    """One event per TRICKY text, in its title, summary and note."""
    return EventCollection(
        [event(id=f"e{index}", title=text, summary=f"{text} again", note=text) for index, text in enumerate(TRICKY)]
    )
