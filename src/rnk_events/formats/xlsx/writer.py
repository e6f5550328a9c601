"""The workbook writer: five sheets of data cells, never a formula, never cut short, in reproducible bytes."""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

import attrs
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from rnk_events import rows
from rnk_events.actors import actor_name
from rnk_events.collection import EventCollection
from rnk_events.dates import display_day
from rnk_events.errors import ExportError, OptionError
from rnk_events.formats import timelinejs as timelinejs_format
from rnk_events.formats._zip import EARLIEST, fixed_zip
from rnk_events.formats.stamp import utc_seconds
from rnk_events.formats.xlsx.cells import FORMULA_STARTS, MAX_CELL_TEXT, CellValue, excel_day, sheet_text, xml_legal
from rnk_events.formats.xlsx.layout import (
    ABOUT_COLUMNS,
    ABOUT_SHEET,
    DICTIONARY,
    EVENTS_COLUMNS,
    EVENTS_SHEET,
    SOURCES_COLUMNS,
    SOURCES_SHEET,
    TIMELINEJS_COLUMNS,
    TIMELINEJS_HEADER,
    TIMELINEJS_SHEET,
    WITHDRAWN_COLUMNS,
    WITHDRAWN_SHEET,
)
from rnk_events.model import DatasetInfo, Event, Status

__all__ = ["FORMAT_NAME", "write"]

#: The format name an :class:`~rnk_events.errors.ExportError` from this writer carries.
FORMAT_NAME = "xlsx"
_ZIP_LAST_YEAR = 2107  # a zip entry's year is 7 bits counted from 1980
#: Long columns: wrapped, at this width (in characters).
_WRAPPED = {"title": 40, "summary": 60, "note": 60, "sources": 60, "reason": 60, "Headline": 40, "Text": 60}
_DATE_FORMAT = "yyyy-mm-dd"
_BOLD = Font(name="Calibri", size=11, bold=True)  # the default font, bold
_TOP = Alignment(vertical="top")
_TOP_WRAPPED = Alignment(vertical="top", wrap_text=True)
_MAX_WIDTH = 40
_LINE_HEIGHT = 15  # points per line of 11-point Calibri


@attrs.frozen
class _Owner:
    """What a row of cells belongs to, so a refused cell names it: an event by id, or another thing by name."""

    event_id: str = ""
    description: str = ""


_NOBODY = _Owner()


def _too_long(sheet_name: str, owner: _Owner, column: str, length: int) -> ExportError:
    whose = f" for {owner.description}" if owner.description else ""
    message = (
        f"the {sheet_name} sheet's cell{whose} is {length:,} characters long; an Excel cell holds at most "
        f"{MAX_CELL_TEXT:,}, so the workbook is not written (cutting the text would lose data)"
    )
    return ExportError(FORMAT_NAME, owner.event_id, column, message)


def _put(
    sheet: Any,
    row: int,
    column: int,
    value: CellValue,
    *,
    wrapped: bool = False,
    owner: _Owner = _NOBODY,
    column_name: str = "",
) -> None:
    """Write one cell: text never as a formula, days as real dates, never cut short.

    ``owner`` and ``column_name`` say whose cell it is, for the ExportError when
    its text is too long for Excel.
    """
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        stored, length = sheet_text(value)
        if length > MAX_CELL_TEXT:
            raise _too_long(sheet.title, owner, column_name or cell.coordinate, length)
        cell.value = stored
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value
        if isinstance(value, dt.date):
            cell.number_format = _DATE_FORMAT
    cell.alignment = _TOP_WRAPPED if wrapped else _TOP


def _width(value: CellValue) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return len(_DATE_FORMAT)
    return max(len(line) for line in str(value).split("\n"))


def _lines(value: CellValue, width: int) -> int:
    """Lines a wrapped cell needs at ``width`` characters (a slight overestimate, never a clip)."""
    if not isinstance(value, str):
        return 1
    return sum(max(1, math.ceil(len(line) / width)) for line in value.split("\n"))


def _table(
    sheet: Any,
    header: Sequence[str],
    table_rows: Iterable[tuple[_Owner, Sequence[CellValue]]],
    *,
    filtered: bool = True,
) -> None:
    """Header (bold, frozen, filtered) and rows, with column widths fitted to the content.

    Rows with wrapped text get an explicit height: not every spreadsheet re-fits
    row heights when it opens a file (LibreOffice does not).
    """
    widths = [len(name) for name in header]
    for column, name in enumerate(header, start=1):
        _put(sheet, 1, column, name)
        sheet.cell(row=1, column=column).font = _BOLD
    last_row = 1
    for last_row, (owner, values) in enumerate(table_rows, start=2):
        lines = 1
        for column, (name, value) in enumerate(zip(header, values, strict=True), start=1):
            wrapped = name in _WRAPPED
            _put(sheet, last_row, column, value, wrapped=wrapped, owner=owner, column_name=name)
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


def _day_cell(day: dt.date | None) -> CellValue:
    return None if day is None else excel_day(day)


def _event_cells(event: Event) -> list[CellValue]:
    """The Events sheet row: the flat row's text, with real date and boolean cells and the actors' names beside it.

    ``start`` is a date cell only for one exact day: a one-of set, an unknown
    day (``2024-05-XX``) or a qualified day (``2024-05-10~``) is no known day.
    An open or unknown end leaves its bound's cell empty.
    """
    flat = rows.event_cells(event)
    span = event.date
    first, last = rows.written_bounds(span)
    one_day = span.is_exact and not span.is_range
    derived: dict[str, CellValue] = {
        "start": excel_day(span.first_day) if one_day else span.display(),
        "first_day": _day_cell(first),
        "last_day": _day_cell(last),
        "is_range": span.is_range,
        "actor_names": rows.LIST_SEPARATOR.join(actor_name(code) for code in event.actors),
        "revision": event.revision,
        "revised": _day_cell(event.revised),
    }
    return [derived[name] if name in derived else flat[name] for name, _ in EVENTS_COLUMNS]


def _as_of_text(info: DatasetInfo) -> str:
    return display_day(info.as_of) if info.as_of is not None else "an unrecorded date"


def _timeline_text(event: Event, info: DatasetInfo) -> str:
    """The summary, HTML-escaped; an event that is not plainly "happened" says its status too, a revised one when."""
    summary = html.escape(event.summary, quote=False)
    updated = timelinejs_format.updated_paragraph(event)
    if event.status is Status.HAPPENED and not updated:
        return summary
    status = "" if event.status is Status.HAPPENED else timelinejs_format.status_paragraph(event, info)
    return f"<p>{summary}</p>{status}{updated}"


def _timeline_rows(events: EventCollection) -> Iterator[tuple[_Owner, list[CellValue]]]:
    info = events.info
    count = f"{len(events)} event" + ("" if len(events) == 1 else "s")
    description = (
        f"{count}, each citing the reporting it rests on, as of {_as_of_text(info)} "
        f"(dataset {info.name}, version {info.version})."
    )
    columns: dict[str, CellValue] = dict.fromkeys(TIMELINEJS_HEADER)
    title = {"Headline": html.escape(info.title, quote=False), "Text": html.escape(description, quote=False)}
    yield _Owner(description="the title row"), list({**columns, **title, "Type": "title"}.values())
    for event in events:
        row = dict(columns)
        start, end = timelinejs_format.slide_dates(event.date, info.as_of)  # the TimelineJS export's own mapping
        row.update({part.title(): value for part, value in start.items()})  # "year" -> "Year"
        if end is not None:
            row.update({f"End {part.title()}": value for part, value in end.items()})
        row["Display Date"] = event.date.display()
        row["Headline"] = html.escape(event.title, quote=False)
        row["Text"] = _timeline_text(event, info)
        row["Group"] = event.category.value
        yield _Owner(event.id), list(row.values())


def _source_rows(info: DatasetInfo) -> Iterator[tuple[_Owner, list[CellValue]]]:
    for source in info.sources:
        cells: list[CellValue] = [source.id, source.publisher, source.title, excel_day(source.published)]
        yield _Owner(description=f"source {source.id!r}"), [*cells, source.url, source.file, source.note]


def _withdrawn_rows(info: DatasetInfo) -> Iterator[tuple[_Owner, list[CellValue]]]:
    for entry in info.withdrawn:
        cells: list[CellValue] = [entry.id, entry.reason, excel_day(entry.withdrawn), entry.replaced_by]
        cells += [str(entry.date), entry.title, entry.revision]
        yield _Owner(description=f"withdrawn event {entry.id!r}"), cells


def _about(sheet: Any, events: EventCollection, stamp: dt.datetime) -> None:
    from rnk_events import __version__

    info = events.info
    facts: list[tuple[str, CellValue]] = [
        (
            "Workbook",
            f"An export of {info.name} for spreadsheet users: {EVENTS_SHEET} (one row per event), "
            f"{TIMELINEJS_SHEET} (rows to paste into Knight Lab's TimelineJS template), "
            f"{SOURCES_SHEET} (the articles cited), {WITHDRAWN_SHEET} (events taken out for good) and this sheet.",
        ),
        ("Dataset", info.name),
        ("Title", info.title),
        ("Data version", info.version),
        ("As of", excel_day(info.as_of) if info.as_of is not None else None),
        ("Events", len(events)),
        ("Sources", len(info.sources)),
        ("Withdrawn", len(info.withdrawn)),
        ("Generated", stamp.strftime("%Y-%m-%dT%H:%M:%SZ")),
        (
            "Written by",
            f"rnk_events {__version__} (the package's version, not the data's); "
            "the same events and generated time give the same bytes.",
        ),
    ]
    for row, (label, value) in enumerate(facts, start=1):
        _put(sheet, row, 1, label)
        sheet.cell(row=row, column=1).font = _BOLD
        _put(sheet, row, 2, value, column_name=label)
    top = len(facts) + 2
    _put(sheet, top, 1, DICTIONARY)
    sheet.cell(row=top, column=1).font = _BOLD
    header = ("sheet", "column", "meaning")
    for column, name in enumerate(header, start=1):
        _put(sheet, top + 1, column, name)
        sheet.cell(row=top + 1, column=column).font = _BOLD
    sections = (
        (EVENTS_SHEET, EVENTS_COLUMNS),
        (TIMELINEJS_SHEET, TIMELINEJS_COLUMNS),
        (SOURCES_SHEET, SOURCES_COLUMNS),
        (WITHDRAWN_SHEET, WITHDRAWN_COLUMNS),
        (ABOUT_SHEET, ABOUT_COLUMNS),
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
    A cell too long for Excel is an :class:`~rnk_events.errors.ExportError`
    naming the event and the column, and nothing is written.
    """
    when = _utc(stamp)
    workbook = Workbook()
    events_sheet = workbook.active
    events_sheet.title = EVENTS_SHEET
    event_rows = ((_Owner(event.id), _event_cells(event)) for event in events)
    _table(events_sheet, [name for name, _ in EVENTS_COLUMNS], event_rows)
    _table(workbook.create_sheet(TIMELINEJS_SHEET), TIMELINEJS_HEADER, _timeline_rows(events), filtered=False)
    sources_sheet = workbook.create_sheet(SOURCES_SHEET)
    _table(sources_sheet, [name for name, _ in SOURCES_COLUMNS], _source_rows(events.info))
    for row, source in enumerate(events.info.sources, start=2):
        if source.url is not None:
            sources_sheet.cell(row=row, column=5).hyperlink = source.url
    withdrawn_sheet = workbook.create_sheet(WITHDRAWN_SHEET)
    _table(withdrawn_sheet, [name for name, _ in WITHDRAWN_COLUMNS], _withdrawn_rows(events.info))
    _about(workbook.create_sheet(ABOUT_SHEET), events, when)
    properties = workbook.properties
    properties.title = xml_legal(events.info.title)
    properties.creator = "rnk_events"
    properties.created = properties.modified = when
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which would stamp "modified" with the wall clock.
    # Stored, not deflated: _stamped reads this copy back and deflates each part once.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        ExcelWriter(workbook, archive).save()
    stream.write(_stamped(buffer.getvalue(), when))
