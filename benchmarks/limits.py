"""The limits the exports are measured against: the raw libraries writing the same cells or bytes.

Each limit starts from what the export wrote, read back outside the timing
(the JSON document, the CSV cells, the workbook's cells), so the limit follows
the export wherever its content goes and never needs the library's internals;
where the limit writes the same bytes, the suite checks that it does.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import importlib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from rnk_events import Event, EventCollection

__all__ = [
    "MSGSPEC",
    "ORJSON",
    "Sheet",
    "csv_cells",
    "csv_write",
    "fold",
    "html_split",
    "html_write",
    "json_write",
    "msgspec_records_write",
    "orjson_html_write",
    "orjson_json_write",
    "person_matcher",
    "read_workbook",
    "same_cells",
    "search_text",
    "subcollection",
    "uncached_copies",
    "write_only_workbook",
]

ORJSON: Any
try:  # not a dependency: measured when it happens to be importable
    ORJSON = importlib.import_module("orjson")
except ImportError:  # pragma: no cover - depends on the environment
    ORJSON = None

MSGSPEC: Any
try:  # nor is this: the one encoder here that reads attrs records itself, measured as a proposal
    MSGSPEC = importlib.import_module("msgspec")
except ImportError:  # pragma: no cover - depends on the environment
    MSGSPEC = None

# -- JSON, TimelineJS and HTML ---------------------------------------------------------------


def msgspec_records_write(events: Sequence[Event]) -> bytes:
    """The records encoded by msgspec straight from the attrs objects, indented: not the export's bytes.

    msgspec writes each attrs field as it is (the date as an object of its parts,
    not EDTF text), so this is the speed of an encoder that needs no document
    built first, not a replacement for the export.
    """
    data: bytes = MSGSPEC.json.format(MSGSPEC.json.encode(list(events)), indent=2) + b"\n"
    return data


def json_write(document: Any) -> bytes:
    """The JSON and TimelineJS exports' layout: two-space indent, UTF-8, a final newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def orjson_json_write(document: Any) -> bytes:
    """The same layout from orjson (only when it is importable)."""
    data: bytes = ORJSON.dumps(document, option=ORJSON.OPT_INDENT_2) + b"\n"
    return data


#: A JSON block of the page (the TimelineJS data, its options, the JSON-LD): opening tag, JSON, closing tag.
_JSON_SCRIPT = re.compile(rb'(<script type="application/(?:ld\+)?json"[^>]*>)(.*?)(</script>)', re.DOTALL)
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))
_SCRIPT_ESCAPES_BYTES = tuple((old.encode(), new.encode()) for old, new in _SCRIPT_ESCAPES)


def html_split(page: bytes) -> tuple[list[bytes], list[Any]]:
    """The page's JSON blocks, parsed, and the markup around them (one piece more than the blocks).

    A match that is not JSON (the words ``<script type="application/json">`` in
    a comment of the page's script, say) stays markup.
    """
    markup, documents, position = [], [], 0
    for match in _JSON_SCRIPT.finditer(page):
        try:
            document = json.loads(match.group(2))
        except ValueError:
            continue
        markup.append(page[position : match.end(1)])
        documents.append(document)
        position = match.start(3)
    markup.append(page[position:])
    return markup, documents


def html_write(markup: Sequence[bytes], documents: Sequence[Any]) -> bytes:
    """The page: each JSON block as compact JSON (the C encoder) made safe by five replacements, markup as is."""
    parts: list[bytes] = []
    for piece, document in zip(markup, documents, strict=False):
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        for old, new in _SCRIPT_ESCAPES:
            text = text.replace(old, new)
        parts += (piece, text.encode())
    parts.append(markup[-1])
    return b"".join(parts)


def orjson_html_write(markup: Sequence[bytes], documents: Sequence[Any]) -> bytes:
    """The same page with orjson writing the JSON blocks."""
    parts: list[bytes] = []
    for piece, document in zip(markup, documents, strict=False):
        data: bytes = ORJSON.dumps(document)
        for old, new in _SCRIPT_ESCAPES_BYTES:
            data = data.replace(old, new)
        parts += (piece, data)
    parts.append(markup[-1])
    return b"".join(parts)


# -- CSV --------------------------------------------------------------------------------------


def csv_cells(data: bytes) -> list[list[str]]:
    """The cells of a CSV file, exactly as written (formula guards included)."""
    return list(csv.reader(io.StringIO(data.decode(), newline="")))


def csv_write(table: Iterable[Sequence[str]]) -> bytes:
    """The stdlib writer on the same cells, with the export's CRLF rows."""
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerows(table)
    return text.getvalue().encode()


# -- Excel ------------------------------------------------------------------------------------

#: A sheet's title and its rows of cell values, as read back from the workbook.
Sheet = tuple[str, list[list[Any]]]

# The export's formatting, copied from its layout: these columns wrap, all cells align top.
_WRAPPED = {"title": 40, "summary": 60, "note": 60, "sources": 60, "Headline": 40, "Text": 60}
_DATE_FORMAT = "yyyy-mm-dd"


def read_workbook(data: bytes) -> list[Sheet]:
    """Every sheet's cell values, days as dates (openpyxl reads date cells back as midnight datetimes)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets: list[Sheet] = []
    for sheet in workbook.worksheets:
        table = [
            [value.date() if isinstance(value, dt.datetime) and value.time() == dt.time() else value for value in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        sheets.append((sheet.title, table))
    workbook.close()
    return sheets


def same_cells(first: Sequence[Sheet], second: Sequence[Sheet]) -> bool:
    """Whether two workbooks hold the same values, a row's trailing empty cells aside."""

    def trimmed(sheets: Sequence[Sheet]) -> list[tuple[str, list[list[Any]]]]:
        result = []
        for title, table in sheets:
            rows = []
            for row in table:
                cells = list(row)
                while cells and cells[-1] is None:
                    cells.pop()
                rows.append(cells)
            result.append((title, rows))
        return result

    return trimmed(first) == trimmed(second)


def write_only_workbook(sheets: Sequence[Sheet], *, styled: bool) -> bytes:
    """openpyxl's write-only workbook of the same cells: unstyled, or with the export's formatting.

    Unstyled is the floor: every value as it is (a day still needs a date
    format to be a date). Styled gives every cell the export's alignment (top,
    long columns wrapped), a bold header, ``yyyy-mm-dd`` days, column widths
    and a frozen header, which makes openpyxl hash each cell's style.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    top, wrapped, bold = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True), Font(bold=True)
    workbook = Workbook(write_only=True)
    for title, table in sheets:
        sheet = workbook.create_sheet(title)
        header = [str(name) for name in table[0]] if table else []
        if not styled:
            for row in table:
                if any(isinstance(value, str) and value.startswith("=") for value in row):
                    row = [_text_cell(sheet, value) for value in row]  # text, never a formula
                sheet.append(row)
            continue
        alignments = [wrapped if name in _WRAPPED else top for name in header]
        for column, name in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = _WRAPPED.get(name, 20) + 2
        sheet.freeze_panes = "A2"
        for number, row in enumerate(table):
            cells = []
            for value, alignment in zip(row, alignments, strict=False):
                cell = _text_cell(sheet, value) if isinstance(value, str) else WriteOnlyCell(sheet, value)
                cell.alignment = alignment
                if number == 0:
                    cell.font = bold
                elif isinstance(value, dt.date):
                    cell.number_format = _DATE_FORMAT
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


# -- search and by_person ---------------------------------------------------------------------

_DASHES = re.compile(r"[-‐-―]")


def fold(text: str) -> str:
    """The collection's search folding: case, accents and hyphens ignored, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_DASHES.sub(" ", plain).split())


def search_text(event: Event) -> str:
    """What ``search`` looks in: title, summary, note, people and place names, folded."""
    return fold(" ".join((event.title, event.summary, event.note, *event.people, *(p.name for p in event.places))))


def person_matcher(name: str) -> Callable[[Sequence[str]], bool]:
    """Whether a person's folded name (padded with spaces) contains the query's whole words."""
    query = f" {fold(name)} "
    blank = query.strip() == ""
    return lambda padded: not blank and any(query in person for person in padded)


def uncached_copies(events: Iterable[Event]) -> tuple[Event, ...]:
    """Copies of the events and their dates with nothing cached yet: no ordinals, no folded or date text.

    Records cache what they compute from themselves (an event its folded text
    and bounds, a date its EDTF and display text), so a timing of a first use
    needs records nothing has read.
    """
    return tuple(attrs.evolve(event, date=copy.copy(event.date)) for event in events)


def subcollection(events: EventCollection, chosen: tuple[Event, ...]) -> EventCollection:
    """A sub-collection of already sorted events, built the way the collection's own queries build one."""
    presorted: Callable[[tuple[Event, ...], Any], EventCollection] | None = getattr(events, "_presorted", None)
    if presorted is None:  # pragma: no cover - only if the collection drops its fast path
        return EventCollection(chosen, events.info)
    return presorted(chosen, events.info)
