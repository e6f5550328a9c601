"""Excel workbook for a news desk: events, a TimelineJS template sheet, sources, a data dictionary.

Sheets: "Events" (one row per event, the CSV's columns plus real date cells
for sorting and filtering), "TimelineJS" (rows in Knight Lab's Google Sheets
template layout, ready to paste), "Sources" (the articles cited) and "About"
(what the workbook is, when it was made, and every column's meaning).

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
cut longer text silently, so :func:`write` refuses it with a ValueError naming
the event and the column instead.

With ``stamp`` fixed, two writes of the same events give identical bytes:
the document properties carry that time and every zip entry is stamped with it.
"""

from __future__ import annotations

import datetime as dt
import html
import html.parser
import io
import math
import re
import zipfile
import zlib
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from pathlib import PurePath
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from rnk_events.actors import actor_name
from rnk_events.collection import EventCollection
from rnk_events.dates import DateError, DateSpan, PartialDate, Precision, display_day
from rnk_events.errors import DatasetError, OptionError, Problem
from rnk_events.formats import csv as csv_format
from rnk_events.formats import timelinejs as timelinejs_format
from rnk_events.formats._checks import finish_read
from rnk_events.formats._zip import EARLIEST, fixed_zip
from rnk_events.formats.stamp import utc_seconds
from rnk_events.ids import draft_id, slug
from rnk_events.model import Category, DatasetInfo, Event, Source, SourceRef, Status

_ZIP_LAST_YEAR = 2107  # a zip entry's year is 7 bits counted from 1980

__all__ = [
    "ABOUT_SHEET",
    "EVENTS_COLUMNS",
    "EVENTS_SHEET",
    "MAX_CELL_TEXT",
    "SOURCES_COLUMNS",
    "SOURCES_SHEET",
    "TIMELINEJS_COLUMNS",
    "TIMELINEJS_SHEET",
    "read",
    "read_timelinejs_sheet",
    "sheet_title",
    "write",
]

MAX_SHEET_TITLE = 31
#: Excel's limit on the text of one cell (Excel counts UTF-16 code units).
MAX_CELL_TEXT = 32_767
_FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_legal(text: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", text)


def sheet_title(name: str) -> str:
    """A legal Excel sheet name: at most 31 characters, none of ``[]:*?/\\``.

    Forbidden characters become ``_``; a name may not start or end with ``'``
    nor be Excel's reserved "History", and an empty name becomes "Sheet".
    """
    title = _FORBIDDEN_IN_TITLE.sub("_", _xml_legal(name))[:MAX_SHEET_TITLE].strip("'")
    if title.casefold() == "history":
        title += "_"
    return title or "Sheet"


EVENTS_SHEET = sheet_title("Events")
TIMELINEJS_SHEET = sheet_title("TimelineJS")
SOURCES_SHEET = sheet_title("Sources")
ABOUT_SHEET = sheet_title("About")

_JOINED = "joined with | (a literal \\, | or ; is escaped with \\, as in the CSV)"

#: Events sheet columns and their meanings (also the data dictionary).
EVENTS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "Stable slug naming the event; it never changes once published."),
    ("date", "The date as EDTF text: 2024-06-19 (a day), 2024-06 (a month), 2024 (a year), start/end for a span."),
    ("display_date", 'The date as a news story writes it (AP style), e.g. "May 16-17, 2024".'),
    ("start", "A real date cell when the event is one known day; otherwise the display text."),
    ("first_day", "First day the date can mean (a date cell): sort and filter on this."),
    ("last_day", "Last day the date can mean, inclusive (a date cell)."),
    ("precision", "How much of the date is known: day, month or year (the coarser end of a span)."),
    ("title", "Short headline of the event."),
    ("summary", "What happened, as the sources report it."),
    ("category", "Kind of event, one of: " + ", ".join(c.value for c in Category) + "."),
    ("status", "How sure the reporting is as of the as-of date: " + ", ".join(s.value for s in Status) + "."),
    ("actors", f"ISO 3166-1 alpha-3 country codes and organisation ids involved, {_JOINED}."),
    ("actor_names", "Readable names of the actors, in the same order, joined with |."),
    ("people", f"People named in the event, {_JOINED}."),
    ("places", f"Places as name;country;lat;lon, {_JOINED}."),
    ("sources", f"Citations as source;evidence (a Sources sheet id; words quoted from it), {_JOINED}."),
    ("note", "Editor's note: caveats, conflicting reports."),
)
_READ_COLUMNS = frozenset(csv_format.COLUMNS)
#: Long columns: wrapped, at this width (in characters).
_WRAPPED = {"title": 40, "summary": 60, "note": 60, "sources": 60, "Headline": 40, "Text": 60}

#: Knight Lab's TimelineJS Google Sheets template header, in its order, with meanings.
TIMELINEJS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Year", "Start year (a number)."),
    ("Month", "Start month 1-12, only when the month is known."),
    ("Day", "Start day of the month, only when the day is known."),
    ("Time", "Left empty: the data has no times of day."),
    ("End Year", "End year, only for a span."),
    ("End Month", "End month, only for a span whose end month is known."),
    ("End Day", "End day, only for a span whose end day is known."),
    ("End Time", "Left empty."),
    ("Display Date", 'The date as shown on the slide (AP style), e.g. "July 2000".'),
    ("Headline", "The event's title (HTML-escaped: TimelineJS reads this column as HTML)."),
    (
        "Text",
        "The summary (HTML-escaped), plus its status unless it happened; title row: the timeline and its as-of date.",
    ),
    ("Media", "Left empty for your newsroom's photo or embed URL."),
    ("Media Credit", "Left empty."),
    ("Media Caption", "Left empty."),
    ("Media Thumbnail", "Left empty."),
    ("Alt Text", "Left empty."),
    ("Type", '"title" on the title row; empty on event rows.'),
    ("Group", "The event's category; TimelineJS groups slides by it."),
    ("Background", "Left empty."),
)
TIMELINEJS_HEADER = tuple(name for name, _ in TIMELINEJS_COLUMNS)

#: Sources sheet columns and their meanings.
SOURCES_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "Source id, as cited in the Events sheet's sources column."),
    ("publisher", "Who published the article."),
    ("title", "The article's headline."),
    ("published", "Publication date (a date cell)."),
    ("url", "Web address, when known (a link)."),
    ("file", "File name of the archived copy the dataset was built from."),
    ("note", "Editor's note on the source."),
)

_ABOUT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("item / value", "Top rows: facts about this workbook, a label in column A and its value in column B."),
    ("sheet / column / meaning", "This data dictionary: every column of every sheet, one line each."),
)
_ABOUT_LABELS = {"Dataset": "name", "Title": "title", "Version": "version", "As of": "as_of"}
_DICTIONARY = "Data dictionary"

_DATE_FORMAT = "yyyy-mm-dd"
_MAX_ROWS = 1_048_576  # Excel's last row
_EXCEL_FIRST_DAY = dt.date(1900, 1, 1)
_BOLD = Font(name="Calibri", size=11, bold=True)  # the default font, bold
_TOP = Alignment(vertical="top")
_TOP_WRAPPED = Alignment(vertical="top", wrap_text=True)
_MAX_WIDTH = 40
_LINE_HEIGHT = 15  # points per line of 11-point Calibri

# Readers decode escapes left to right, each one consuming its closing "_"; so an underscore
# needs escaping when the stored text after it would read "xHHHH_". A lookahead, because that
# closing "_" may itself open the next look-alike ("_x0041_x0042_"), and a carriage return
# counts as "_" since it is stored as "_x000D_".
_LOOKS_ESCAPED = re.compile(r"_(?=x[0-9A-Fa-f]{4}[_\r])")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_FORMULA_STARTS = ("=", "+", "-", "@")

_Cell = str | int | float | dt.date | None


def _sheet_text(text: str) -> tuple[str, int]:
    """The text as stored in the sheet XML (see the module docstring), and its length against the limit.

    The length is the longer of what Excel counts (UTF-16 units of the text)
    and what openpyxl cuts at (stored characters).
    """
    legal = _xml_legal(text)
    stored = _LOOKS_ESCAPED.sub("_x005F_", legal).replace("\r", "_x000D_")
    return stored, max(len(legal.encode("utf-16-le")) // 2, len(stored))


def _from_sheet_text(text: str) -> str:
    """Undo Excel's ``_xHHHH_`` escapes, which openpyxl leaves in place."""
    return _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


def _day(day: dt.date) -> dt.date | str:
    return day if day >= _EXCEL_FIRST_DAY else day.isoformat()


# --- writing ----------------------------------------------------------------------------------


def _put(sheet: Any, row: int, column: int, value: _Cell, *, wrapped: bool = False, where: str = "") -> None:
    """Write one cell: text never as a formula, days as real dates, never cut short.

    ``where`` names the cell for the error when its text is too long for Excel.
    """
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        stored, length = _sheet_text(value)
        if length > MAX_CELL_TEXT:
            where = where or f"{sheet.title} cell {cell.coordinate}"
            raise ValueError(
                f"{where} is {length:,} characters long; an Excel cell holds at most {MAX_CELL_TEXT:,}, "
                "so the workbook is not written (cutting the text would lose data)"
            )
        cell.value = stored
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        if value.startswith(_FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value
        if isinstance(value, dt.date):
            cell.number_format = _DATE_FORMAT
    cell.alignment = _TOP_WRAPPED if wrapped else _TOP


def _width(value: _Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return len(_DATE_FORMAT)
    return max(len(line) for line in str(value).split("\n"))


def _lines(value: _Cell, width: int) -> int:
    """Lines a wrapped cell needs at ``width`` characters (a slight overestimate, never a clip)."""
    if not isinstance(value, str):
        return 1
    return sum(max(1, math.ceil(len(line) / width)) for line in value.split("\n"))


def _table(
    sheet: Any, header: Sequence[str], rows: Iterable[tuple[str, Sequence[_Cell]]], *, filtered: bool = True
) -> None:
    """Header (bold, frozen, filtered) and rows, with column widths fitted to the content.

    Each row comes with a label ("event 'e1'") that errors name it by.

    Rows with wrapped text get an explicit height: not every spreadsheet re-fits
    row heights when it opens a file (LibreOffice does not).
    """
    widths = [len(name) for name in header]
    for column, name in enumerate(header, start=1):
        _put(sheet, 1, column, name)
        sheet.cell(row=1, column=column).font = _BOLD
    last_row = 1
    for last_row, (label, values) in enumerate(rows, start=2):
        lines = 1
        for column, (name, value) in enumerate(zip(header, values, strict=True), start=1):
            wrapped = name in _WRAPPED
            _put(sheet, last_row, column, value, wrapped=wrapped, where=f"{label}: {sheet.title} column {name!r}")
            widths[column - 1] = max(widths[column - 1], _width(value))
            if wrapped:
                lines = max(lines, _lines(value, _WRAPPED[name]))
        if lines > 1:
            sheet.row_dimensions[last_row].height = lines * _LINE_HEIGHT
    for column, (name, width) in enumerate(zip(header, widths, strict=True), start=1):
        fitted = _WRAPPED.get(name, min(width, _MAX_WIDTH))
        sheet.column_dimensions[get_column_letter(column)].width = max(fitted, len(name)) + 2
    sheet.freeze_panes = "A2"
    if filtered:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{last_row}"


def _event_cells(event: Event) -> list[_Cell]:
    flat = csv_format.event_row(event)
    span = event.date
    start: _Cell = _day(span.first_day) if not span.is_range and span.precision is Precision.DAY else span.display()
    derived: dict[str, _Cell] = {
        "start": start,
        "first_day": _day(span.first_day),
        "last_day": _day(span.last_day),
        "actor_names": "|".join(actor_name(code) for code in event.actors),
    }
    return [derived[name] if name in derived else flat[name] for name, _ in EVENTS_COLUMNS]


def _as_of_text(info: DatasetInfo) -> str:
    return display_day(info.as_of) if info.as_of is not None else "an unrecorded date"


def _timeline_text(event: Event, info: DatasetInfo) -> str:
    """The summary, HTML-escaped; an event that is not plainly "happened" says its status too."""
    summary = html.escape(event.summary, quote=False)
    if event.status is Status.HAPPENED:
        return summary
    return f"<p>{summary}</p>{timelinejs_format.status_paragraph(event, info)}"


def _timeline_rows(events: EventCollection) -> Iterator[tuple[str, list[_Cell]]]:
    info = events.info
    count = f"{len(events)} event" + ("" if len(events) == 1 else "s")
    description = (
        f"{count}, each citing the reporting it rests on, as of {_as_of_text(info)} "
        f"(dataset {info.name}, version {info.version})."
    )
    columns: dict[str, _Cell] = dict.fromkeys(TIMELINEJS_HEADER)
    title = {"Headline": html.escape(info.title, quote=False), "Text": html.escape(description, quote=False)}
    yield "the title row", list({**columns, **title, "Type": "title"}.values())
    for event in events:
        row = dict(columns)
        start, end = timelinejs_format.slide_dates(event.date)
        row.update({part.title(): value for part, value in start.items()})  # "year" -> "Year"
        if end is not None:
            row.update({f"End {part.title()}": value for part, value in end.items()})
        row["Display Date"] = event.date.display()
        row["Headline"] = html.escape(event.title, quote=False)
        row["Text"] = _timeline_text(event, info)
        row["Group"] = event.category.value
        yield f"event {event.id!r}", list(row.values())


def _source_rows(info: DatasetInfo) -> Iterator[tuple[str, list[_Cell]]]:
    for source in info.sources:
        cells: list[_Cell] = [source.id, source.publisher, source.title, _day(source.published)]
        yield f"source {source.id!r}", [*cells, source.url, source.file, source.note]


def _about(sheet: Any, events: EventCollection, stamp: dt.datetime) -> None:
    from rnk_events import __version__

    info = events.info
    facts: list[tuple[str, _Cell]] = [
        (
            "Workbook",
            f"An export of {info.name} for spreadsheet users: {EVENTS_SHEET} (one row per event), "
            f"{TIMELINEJS_SHEET} (rows to paste into Knight Lab's TimelineJS template), "
            f"{SOURCES_SHEET} (the articles cited) and this sheet.",
        ),
        ("Dataset", info.name),
        ("Title", info.title),
        ("Version", info.version),
        ("As of", _day(info.as_of) if info.as_of is not None else None),
        ("Events", len(events)),
        ("Sources", len(info.sources)),
        ("Generated", stamp.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("Written by", f"rnk_events {__version__}; the same events and generated time give the same bytes."),
    ]
    for row, (label, value) in enumerate(facts, start=1):
        _put(sheet, row, 1, label)
        sheet.cell(row=row, column=1).font = _BOLD
        _put(sheet, row, 2, value, where=f"{label!r} on the {ABOUT_SHEET} sheet")
    top = len(facts) + 2
    _put(sheet, top, 1, _DICTIONARY)
    sheet.cell(row=top, column=1).font = _BOLD
    header = ("sheet", "column", "meaning")
    for column, name in enumerate(header, start=1):
        _put(sheet, top + 1, column, name)
        sheet.cell(row=top + 1, column=column).font = _BOLD
    sections = (
        (EVENTS_SHEET, EVENTS_COLUMNS),
        (TIMELINEJS_SHEET, TIMELINEJS_COLUMNS),
        (SOURCES_SHEET, SOURCES_COLUMNS),
        (ABOUT_SHEET, _ABOUT_COLUMNS),
    )
    entries = [(sheet_name, column, meaning) for sheet_name, columns in sections for column, meaning in columns]
    for row, entry in enumerate(entries, start=top + 2):
        for column, value in enumerate(entry, start=1):
            _put(sheet, row, column, value, wrapped=column == 3)
    for letter, width in (("A", 16), ("B", 24), ("C", 90)):
        sheet.column_dimensions[letter].width = width


def _utc(stamp: dt.datetime | None) -> dt.datetime:
    """The stamp as a naive UTC time: openpyxl drops a document time's zone and writes it with "Z"."""
    when = utc_seconds(stamp)
    if when.year > _ZIP_LAST_YEAR:
        raise OptionError("stamp", f"{when.isoformat()} is after {_ZIP_LAST_YEAR}, the last year a zip entry records")
    return when.replace(tzinfo=None)


def _stamped(data: bytes, when: dt.datetime) -> bytes:
    """The zip rewritten with every entry's time and permissions fixed, for identical bytes."""
    stamp = max((when.year, when.month, when.day, when.hour, when.minute, when.second), EARLIEST)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return fixed_zip(((info.filename, source.read(info)) for info in source.infolist()), stamp, 0o644 << 16)


def write(events: EventCollection, stream: IO[bytes], *, stamp: dt.datetime | None = None) -> None:
    """Write the workbook to a binary stream, in one write once it is complete.

    ``stamp`` (an aware datetime; default now) is the time the file was made: it
    is shown on the About sheet and stamped in the file; fix it to make the
    output byte-reproducible. (iCalendar and the data package take the same name.)
    """
    when = _utc(stamp)
    workbook = Workbook()
    events_sheet = workbook.active
    events_sheet.title = EVENTS_SHEET
    event_rows = ((f"event {event.id!r}", _event_cells(event)) for event in events)
    _table(events_sheet, [name for name, _ in EVENTS_COLUMNS], event_rows)
    _table(workbook.create_sheet(TIMELINEJS_SHEET), TIMELINEJS_HEADER, _timeline_rows(events), filtered=False)
    sources_sheet = workbook.create_sheet(SOURCES_SHEET)
    _table(sources_sheet, [name for name, _ in SOURCES_COLUMNS], _source_rows(events.info))
    for row, source in enumerate(events.info.sources, start=2):
        if source.url is not None:
            sources_sheet.cell(row=row, column=5).hyperlink = source.url
    _about(workbook.create_sheet(ABOUT_SHEET), events, when)
    properties = workbook.properties
    properties.title = _xml_legal(events.info.title)
    properties.creator = "rnk_events"
    properties.created = properties.modified = when
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which would stamp "modified" with the wall clock.
    # Stored, not deflated: _stamped reads this copy back and deflates each part once.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        ExcelWriter(workbook, archive).save()
    stream.write(_stamped(buffer.getvalue(), when))


# --- reading ----------------------------------------------------------------------------------


#: What zipfile, the XML parser and openpyxl raise for a damaged or hand-made file: a bad zip
#: (BadZipFile, zlib.error, EOFError, NotImplementedError for an unknown compression), a missing
#: part (KeyError, OSError), malformed XML (SyntaxError: the base of ElementTree's ParseError and
#: of lxml's, which openpyxl uses when installed), a bad value, style or cell reference
#: (ValueError, TypeError, OverflowError, IndexError). Only calls into openpyxl are guarded, so a
#: bug in this module still surfaces as itself. Each kind has a test with a file that raises it.
_UNREADABLE: tuple[type[Exception], ...] = (
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


def _open(stream: IO[bytes], origin: str) -> Any:
    data = stream.read()
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _UNREADABLE as error:
        raise _unreadable(origin, "", error) from None


def _text(value: Any) -> str:
    """A cell as text: what a person typed, whatever type Excel gave it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _from_sheet_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _rows(sheet: Any, origin: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
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
        except _UNREADABLE as error:
            where = f"{sheet.title} sheet" + (f", after row {number}" if number else "")
            raise _unreadable(origin, where, error) from None
        number += 1
        if number > _MAX_ROWS:  # openpyxl pads the gap before a row numbered, say, 99999999999
            message = f"a row numbered beyond Excel's last row, {_MAX_ROWS:,}"
            raise DatasetError([Problem(origin, f"{sheet.title} sheet", "", message)])
        if any(value is not None and _text(value).strip() for value in values):
            yield number, tuple(values)


def _header(values: Sequence[Any]) -> list[str]:
    return [_text(value).strip() for value in values]


def _duplicate_columns(
    origin: str,
    record: str,
    header: Sequence[str],
    key: Callable[[str], str] = str,
    among: Container[str] | None = None,
) -> list[Problem]:
    """A problem for each column name (compared by ``key``) heading two columns: reading would keep only one."""
    columns: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        if name and (among is None or key(name) in among):
            columns.setdefault(key(name), []).append(index)
    problems = []
    for indexes in columns.values():
        if len(indexes) > 1:
            letters = [get_column_letter(index + 1) for index in indexes]
            where = f"{', '.join(letters[:-1])} and {letters[-1]}"
            name = header[indexes[0]]
            problems.append(Problem(origin, record, "", f"duplicate column {name!r} in columns {where}: keep one"))
    return problems


def _stray_cells(origin: str, label: str, header: Sequence[str], values: Sequence[Any]) -> list[Problem]:
    return [
        Problem(origin, label, "", f"a value in column {get_column_letter(index + 1)}, which has no header")
        for index, value in enumerate(values)
        if (index >= len(header) or not header[index]) and _text(value).strip()
    ]


def _sheet(workbook: Any, name: str) -> Any | None:
    return workbook[name] if name in workbook.sheetnames else None


def _read_info(workbook: Any, origin: str) -> tuple[DatasetInfo, list[Problem]]:
    """Dataset facts from the About sheet and articles from the Sources sheet, when present."""
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    about = _sheet(workbook, ABOUT_SHEET)
    if about is not None:
        for _number, values in _rows(about, origin):
            label = _text(values[0]).strip()
            if label == _DICTIONARY:
                break
            if label in _ABOUT_LABELS and len(values) > 1:
                value = values[1]
                if _ABOUT_LABELS[label] == "as_of":
                    fields["as_of"] = None if value is None else _text(value)
                else:
                    fields[_ABOUT_LABELS[label]] = _text(value)
    sources: list[Source] = []
    sheet = _sheet(workbook, SOURCES_SHEET)
    if sheet is not None:
        rows = _rows(sheet, origin)
        first = next(rows, None)
        header = _header(first[1]) if first else []
        expected = [name for name, _ in SOURCES_COLUMNS]
        if first is not None and [name for name in header if name] != expected:
            problems.append(Problem(origin, f"{SOURCES_SHEET} row 1", "", f"bad header: expected {expected}"))
        else:
            for number, values in rows:
                label = f"{SOURCES_SHEET} row {number}"
                cells = dict(zip(header, values, strict=False))
                text = {name: _text(cells.get(name)) for name in expected}
                try:
                    sources.append(
                        Source(
                            id=text["id"],
                            publisher=text["publisher"],
                            title=text["title"],
                            published=text["published"],
                            url=text["url"] or None,
                            file=text["file"] or None,
                            note=text["note"],
                        )
                    )
                except (TypeError, ValueError) as error:
                    problems.append(_problem(origin, label, error, expected, "published"))
    try:
        info = DatasetInfo(**fields, sources=sources)
    except (TypeError, ValueError) as error:
        problems.append(_problem(origin, ABOUT_SHEET, error, list(_ABOUT_LABELS.values()), ""))
        info = DatasetInfo(sources=sources)
    return info, problems


def _problem(origin: str, label: str, error: Exception, fields: Sequence[str], default: str) -> Problem:
    """A validator's "field: message" as a Problem naming the field."""
    head, colon, rest = str(error).partition(": ")
    if colon and head in fields:
        return Problem(origin, label, head, rest)
    return Problem(origin, label, default, str(error))


def read(stream: IO[bytes], origin: str) -> EventCollection:
    """Read the Events sheet (with About and Sources, when present) back into a collection.

    Columns derived from ``date`` (display_date, start, first_day, last_day,
    precision) and actor_names are ignored; DatasetError lists every problem, and
    is also what a damaged file or one that is not a workbook raises.
    """
    workbook = _open(stream, origin)
    try:
        sheet = _sheet(workbook, EVENTS_SHEET)
        if sheet is None:
            message = f"no sheet named {EVENTS_SHEET!r} (sheets: {', '.join(workbook.sheetnames)})"
            raise DatasetError([Problem(origin, "", "", message)])
        info, problems = _read_info(workbook, origin)
        rows = _rows(sheet, origin)
        first = next(rows, None)
        header = _header(first[1]) if first is not None else []
        named = [name for name in header if name]  # cells under a blank header are reported per row
        record = f"{EVENTS_SHEET} row 1"
        header_problems = _duplicate_columns(origin, record, header)
        try:  # missing and unknown columns; duplicates are reported above, with their letters
            csv_format.check_header(list(dict.fromkeys(named)), (name for name, _ in EVENTS_COLUMNS), origin, record)
        except DatasetError as error:
            header_problems[:0] = error.problems
        if header_problems:
            raise DatasetError(header_problems)
        events: list[tuple[str, Event]] = []
        for number, values in rows:
            cells = {name: _text(value) for name, value in zip(header, values, strict=False) if name in _READ_COLUMNS}
            cells.update({name: "" for name in _READ_COLUMNS if name not in cells})
            label = f"{EVENTS_SHEET} row {number}" + (f" (id {cells['id']!r})" if cells["id"] else "")
            problems.extend(_stray_cells(origin, label, header, values))
            # The CSV reader strips one leading "'" formula guard; cells here carry none,
            # so add it first and every text comes through exactly.
            guarded = {name: csv_format.neutralise(text) for name, text in cells.items()}
            event, event_problems = csv_format.event_from_cells(guarded, origin, label)
            problems.extend(event_problems)
            if event is not None:
                events.append((label, event))
    finally:
        workbook.close()
    return finish_read(events, info, origin, problems)


# --- reading a newsroom's TimelineJS sheet ------------------------------------------------------


class _PlainText(html.parser.HTMLParser):
    """The visible text of an HTML fragment, block elements as line breaks."""

    _BLOCKS = frozenset({"br", "p", "div", "li", "ul", "ol", "tr", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"})
    _HIDDEN = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _plain_text(fragment: str) -> str:
    """Strip tags and entities; collapse spaces within lines, drop blank lines."""
    parser = _PlainText()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _whole_number(value: Any) -> int | None:
    """A date part: None when blank; ValueError when not a whole number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    raise ValueError(f"{_text(value)!r} is not a whole number")


def _timeline_date(cells: dict[str, Any], prefix: str) -> tuple[PartialDate | None, list[tuple[str, str]]]:
    """One end of a date from its Year/Month/Day cells: (date or None, [(column, problem)])."""
    parts: dict[str, int | None] = {}
    problems: list[tuple[str, str]] = []
    for part in ("Year", "Month", "Day"):
        try:
            parts[part] = _whole_number(cells.get(prefix + part))
        except ValueError as error:
            problems.append((prefix + part, str(error)))
    if problems:
        return None, problems
    year, month, day = parts["Year"], parts["Month"], parts["Day"]
    if year is None:
        if month is not None or day is not None:
            return None, [(prefix + "Year", "a month or day needs a year")]
        return None, []
    if day is not None and month is None:
        return None, [(prefix + "Month", "a day needs a month")]
    try:
        return PartialDate(year, month, day), []
    except DateError as error:
        part = next((name for name in ("Month", "Day") if error.reason.startswith(name.lower())), "Year")
        return None, [(prefix + part, error.reason)]


#: The plain text of :func:`timelinejs_format.status_paragraph`, as the event rows carry it.
_STATUS_LINE = re.compile(r"Status: (\S+)(?: as of .*)?")


def _summary_and_status(text: str) -> tuple[str, Status]:
    """Split off the "Status: ..." line this module writes; without one an event happened."""
    body, _, last = text.rpartition("\n")
    match = _STATUS_LINE.fullmatch(last)
    if body and match and match.group(1) in {status.value for status in Status}:
        return body, Status(match.group(1))
    return text, Status.HAPPENED


def _timeline_header(workbook: Any, origin: str) -> tuple[Any, list[str]] | None:
    wanted = {name.casefold() for name in TIMELINEJS_HEADER}
    for sheet in workbook.worksheets:
        first = next(_rows(sheet, origin), None)
        header = _header(first[1]) if first is not None and first[0] == 1 else []
        if wanted <= {name.casefold() for name in header}:
            return sheet, header
    return None


def read_timelinejs_sheet(stream: IO[bytes], origin: str) -> EventCollection:
    """Events from a filled-in TimelineJS template: the first sheet with the template's header.

    Dates come from Year/Month/Day and End Year/Month/Day, the title from
    Headline and the summary from Text (tags stripped), the category from
    Group. Ids are slugs of date and headline. Status is "happened" unless the
    text ends with a "Status: ..." line as this module writes it. Each event
    cites the file (source id: a slug of its name) with its headline as
    evidence. The title row and era rows are skipped; Time, Media and
    Background are not kept. DatasetError lists every problem by row and column.
    """
    workbook = _open(stream, origin)
    try:
        found = _timeline_header(workbook, origin)
        if found is None:
            message = f"no sheet has the TimelineJS template header ({', '.join(TIMELINEJS_HEADER)})"
            raise DatasetError([Problem(origin, "row 1", "", message)])
        sheet, header = found
        names = {name.casefold(): name for name in TIMELINEJS_HEADER}
        duplicates = _duplicate_columns(origin, "row 1", header, str.casefold, names)
        if duplicates:
            raise DatasetError(duplicates)
        rows = [
            (
                number,
                {
                    names[name.casefold()]: value
                    for name, value in zip(header, values, strict=False)
                    if name.casefold() in names
                },
            )
            for number, values in _rows(sheet, origin)
            if number > 1
        ]
    finally:
        workbook.close()
    source_id = slug(PurePath(origin).name.split(".")[0], "timelinejs-sheet")
    title = None
    problems: list[Problem] = []
    events: list[tuple[str, Event]] = []
    taken: set[str] = set()
    for number, cells in rows:
        label = f"row {number}"
        kind = _text(cells.get("Type")).strip().casefold()
        if kind == "title":
            title = _plain_text(_text(cells.get("Headline"))) or title
            continue
        if kind == "era":
            continue
        row_problems: list[tuple[str, str]] = []
        start, start_problems = _timeline_date(cells, "")
        end, end_problems = _timeline_date(cells, "End ")
        row_problems += start_problems + end_problems
        if start is None and not start_problems:
            row_problems.append(("Year", "empty: TimelineJS needs at least a year"))
        headline = _plain_text(_text(cells.get("Headline")))
        summary, status = _summary_and_status(_plain_text(_text(cells.get("Text"))))
        if not headline:
            row_problems.append(("Headline", "empty: an event needs a headline"))
        if not summary:
            row_problems.append(("Text", "empty: an event needs a summary"))
        group = _text(cells.get("Group")).strip()
        category = next((c for c in Category if c.value == "-".join(group.casefold().split())), None)
        if category is None:
            allowed = ", ".join(c.value for c in Category)
            row_problems.append(("Group", f"{group!r} is not a category; allowed: {allowed}"))
        span = None
        if start is not None:
            try:
                span = DateSpan(start, end if end != start else None)
            except DateError as error:
                row_problems.append(("End Year", error.reason))
        problems.extend(Problem(origin, label, field, message) for field, message in row_problems)
        if row_problems or span is None or category is None:
            continue
        event_id = draft_id(span, headline, taken)
        try:
            event = Event(
                id=event_id,
                date=span,
                title=headline,
                summary=summary,
                category=category,
                status=status,
                actors=(),
                sources=(SourceRef(source_id, headline),),
            )
        except (TypeError, ValueError) as error:
            problems.append(Problem(origin, label, "", str(error)))
            continue
        events.append((label, event))
    info = DatasetInfo(name=source_id, title=title) if title else DatasetInfo(name=source_id)
    return finish_read(events, info, origin, problems)
