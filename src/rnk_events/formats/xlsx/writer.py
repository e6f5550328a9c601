"""The workbook writer: five sheets of data cells, never a formula, never cut short, in reproducible bytes.

The sheets are streamed (openpyxl's write-only mode, each column's styles
shared by its cells: see :mod:`~rnk_events.formats.xlsx.streaming`), so
memory stays flat however many events there are.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

import attrs
from openpyxl.writer.excel import ExcelWriter

from rnk_events import rows
from rnk_events.actors import actor_name
from rnk_events.collection import EventCollection
from rnk_events.dates import display_day
from rnk_events.errors import ExportError, OptionError
from rnk_events.formats import timelinejs as timelinejs_format
from rnk_events.formats._zip import EARLIEST
from rnk_events.formats.stamp import utc_seconds
from rnk_events.formats.xlsx.cells import MAX_CELL_TEXT, CellValue, excel_day, sheet_text, xml_legal
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
from rnk_events.formats.xlsx.streaming import (
    DATE_FORMAT,
    Column,
    Dropdown,
    Scratch,
    StampedZip,
    StreamedSheet,
    new_workbook,
    temporary_folder,
)
from rnk_events.model import Category, DatasetInfo, Event, Status

__all__ = ["DROPDOWN_SPARE_ROWS", "FORMAT_NAME", "SPOOLED_IN_MEMORY", "TEXT_COLUMNS", "sources_paragraph", "write"]

#: The format name an :class:`~rnk_events.errors.ExportError` from this writer carries.
FORMAT_NAME = "xlsx"
_ZIP_LAST_YEAR = 2107  # a zip entry's year is 7 bits counted from 1980
#: Long columns: wrapped, at this width (in characters).
_WRAPPED = {"title": 40, "summary": 60, "note": 60, "sources": 60, "reason": 60, "Headline": 40, "Text": 60}
#: Every other column's width (in characters, before the margin): room for its usual content.
_WIDTHS = {
    "id": 40,
    "date": 14,
    "display_date": 24,
    "start": 14,
    "precision": 10,
    "qualifier": 10,
    "category": 14,
    "status": 10,
    "actors": 14,
    "actor_names": 24,
    "people": 24,
    "places": 30,
    "publisher": 20,
    "url": 40,
    "file": 30,
    "replaced_by": 30,
    "Display Date": 24,
}
_DAY_WIDTH = len(DATE_FORMAT)
_MARGIN = 2
#: Columns holding date text (EDTF, or a date in words): Excel's Text format, so a retyped ``2000-07``
#: stays text rather than becoming a date cell. (Sheet name -> columns.)
TEXT_COLUMNS: dict[str, frozenset[str]] = {
    EVENTS_SHEET: frozenset({"date", "display_date", "start"}),
    TIMELINEJS_SHEET: frozenset({"Display Date"}),
    WITHDRAWN_SHEET: frozenset({"date"}),
}
#: Empty rows below the data that the dropdowns also cover, for the rows a desk adds.
DROPDOWN_SPARE_ROWS = 10_000
_LIST_LIMIT = 255  # Excel's limit on a list validation's inline values, commas included
#: The finished workbook stays in memory up to this size, then goes to the temporary folder.
SPOOLED_IN_MEMORY = 1 << 20
_COPY_CHUNK = 1 << 20
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


def _stored(values: Sequence[CellValue], sheet_name: str, owner: _Owner, header: Sequence[str]) -> list[Any]:
    """The row as the sheet stores it: text escaped (never cut short: too long is an ExportError)."""
    stored: list[Any] = []
    for name, value in zip(header, values, strict=True):
        if isinstance(value, str):
            text, length = sheet_text(value)
            if length > MAX_CELL_TEXT:
                raise _too_long(sheet_name, owner, name, length)
            stored.append(text)
        else:
            stored.append(value)
    return stored


def _lines(value: CellValue, width: int) -> int:
    """Lines a wrapped cell needs at ``width`` characters (a slight overestimate, never a clip)."""
    if not isinstance(value, str):
        return 1
    return sum(max(1, math.ceil(len(line) / width)) for line in value.split("\n"))


def _columns(sheet_name: str, header: Sequence[str], days: Iterable[str] = ()) -> list[Column]:
    """Each column's width (its usual content, at least its name) and look."""
    text_columns = TEXT_COLUMNS.get(sheet_name, frozenset())
    day_columns = frozenset(days)
    found = []
    for name in header:
        width = _WRAPPED.get(name) or _WIDTHS.get(name) or (_DAY_WIDTH if name in day_columns else 0)
        found.append(Column(name, max(width, len(name)) + _MARGIN, wrapped=name in _WRAPPED, text=name in text_columns))
    return found


def _table(
    sheet: StreamedSheet,
    header: Sequence[str],
    table_rows: Iterable[tuple[_Owner, Sequence[CellValue]]],
    *,
    links: int | None = None,
) -> None:
    """The rows, each with an explicit height when its wrapped text needs more than one line.

    Not every spreadsheet re-fits row heights when it opens a file (LibreOffice
    does not). ``links`` is the index of a column of URLs, made hyperlinks.
    """
    wrapped = [(index, _WRAPPED[name]) for index, name in enumerate(header) if name in _WRAPPED]
    for owner, values in table_rows:
        lines = max((_lines(values[index], width) for index, width in wrapped), default=1)
        link = None
        if links is not None and isinstance(values[links], str):
            link = (links, str(values[links]))
        sheet.append(
            _stored(values, sheet.title, owner, header),
            height=lines * _LINE_HEIGHT if lines > 1 else None,
            link=link,
        )


_EVENT_DAYS = ("first_day", "last_day", "revised")


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


def sources_paragraph(event: Event, info: DatasetInfo) -> str:
    """The event's citations as its TimelineJS slide lists them: ``<p><strong>Sources:</strong></p><ul>...</ul>``.

    Each item comes from the TimelineJS export's own citation function, so
    the sheet and the JSON agree (publisher, linked title, day, quoted evidence).
    """
    items = "".join(timelinejs_format._source_item(ref, info) for ref in event.sources)
    return f"<p><strong>Sources:</strong></p><ul>{items}</ul>"


def _timeline_text(event: Event, info: DatasetInfo) -> str:
    """The summary (HTML-escaped), its status unless it plainly happened, when it was revised, and its citations."""
    summary = html.escape(event.summary, quote=False)
    status = "" if event.status is Status.HAPPENED else timelinejs_format.status_paragraph(event, info)
    updated = timelinejs_format.updated_paragraph(event)
    return f"<p>{summary}</p>{status}{updated}{sources_paragraph(event, info)}"


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


def _about(workbook: Any, scratch: Scratch, events: EventCollection, stamp: dt.datetime) -> None:
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
    header = ("sheet", "column", "meaning")
    columns = [Column("label", 16 + _MARGIN), Column("value", 24 + _MARGIN), Column("meaning", 90, wrapped=True)]
    sections = (
        (EVENTS_SHEET, EVENTS_COLUMNS),
        (TIMELINEJS_SHEET, TIMELINEJS_COLUMNS),
        (SOURCES_SHEET, SOURCES_COLUMNS),
        (WITHDRAWN_SHEET, WITHDRAWN_COLUMNS),
        (ABOUT_SHEET, ABOUT_COLUMNS),
    )
    size = len(facts) + 3 + sum(len(described) for _, described in sections)
    sheet = StreamedSheet(workbook, ABOUT_SHEET, columns, scratch, rows=size, header=False)
    for label, value in facts:
        sheet.append(_stored((label, value, None), ABOUT_SHEET, _NOBODY, (label, label, "")), bold=1)
    sheet.append([None, None, None])
    sheet.append([DICTIONARY, None, None], bold=1)
    sheet.append(list(header), bold=3)
    for sheet_name, described in sections:
        for column, meaning in described:
            sheet.append(_stored((sheet_name, column, meaning), ABOUT_SHEET, _NOBODY, header))


def _actor_codes(events: EventCollection) -> tuple[str, ...]:
    """The actor codes the events use, most used first, as many as fit in one list validation."""
    counts = Counter(code for event in events for code in event.actors)
    offered: list[str] = []
    room = _LIST_LIMIT
    for code, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if "," in code or '"' in code or len(code) + 1 > room:
            continue
        offered.append(code)
        room -= len(code) + 1
    return tuple(offered)


def _event_dropdowns(events: EventCollection) -> list[Dropdown]:
    """Category and status must be one of theirs; actors are offered, but any other code is let through."""
    found = [
        Dropdown("category", tuple(c.value for c in Category), True, "Pick the kind of event from the list."),
        Dropdown("status", tuple(s.value for s in Status), True, "Pick how sure the reporting is."),
    ]
    codes = _actor_codes(events)
    if codes:
        prompt = "Pick a code, or type several joined with | (any code is accepted)."
        found.append(Dropdown("actors", codes, False, prompt))
    return found


def _utc(stamp: dt.datetime | None) -> dt.datetime:
    """The stamp as a naive UTC time: openpyxl drops a document time's zone and writes it with "Z"."""
    when = utc_seconds(stamp)
    if when.year > _ZIP_LAST_YEAR:
        raise OptionError("stamp", f"{when.isoformat()} is after {_ZIP_LAST_YEAR}, the last year a zip entry records")
    return when.replace(tzinfo=None)


def _fill(spool: IO[bytes], events: EventCollection, when: dt.datetime, scratch: Scratch) -> None:
    """Stream every sheet into ``scratch`` and zip the workbook into ``spool``."""
    info = events.info
    workbook = new_workbook()
    header = [name for name, _ in EVENTS_COLUMNS]
    sheet = StreamedSheet(
        workbook, EVENTS_SHEET, _columns(EVENTS_SHEET, header, _EVENT_DAYS), scratch, rows=len(events)
    )
    _table(sheet, header, ((_Owner(event.id), _event_cells(event)) for event in events))
    sheet.finish(filtered=True, dropdowns=_event_dropdowns(events), spare_rows=DROPDOWN_SPARE_ROWS)
    sheet = StreamedSheet(
        workbook, TIMELINEJS_SHEET, _columns(TIMELINEJS_SHEET, TIMELINEJS_HEADER), scratch, rows=len(events) + 1
    )
    _table(sheet, TIMELINEJS_HEADER, _timeline_rows(events))
    sheet.finish(filtered=False)
    header = [name for name, _ in SOURCES_COLUMNS]
    sheet = StreamedSheet(
        workbook, SOURCES_SHEET, _columns(SOURCES_SHEET, header, ["published"]), scratch, rows=len(info.sources)
    )
    _table(sheet, header, _source_rows(info), links=header.index("url"))
    sheet.finish(filtered=True)
    header = [name for name, _ in WITHDRAWN_COLUMNS]
    sheet = StreamedSheet(
        workbook,
        WITHDRAWN_SHEET,
        _columns(WITHDRAWN_SHEET, header, ["withdrawn"]),
        scratch,
        rows=len(info.withdrawn),
    )
    _table(sheet, header, _withdrawn_rows(info))
    sheet.finish(filtered=True)
    _about(workbook, scratch, events, when)
    properties = workbook.properties
    properties.title = xml_legal(info.title)
    properties.creator = "rnk_events"
    properties.created = properties.modified = when
    zip_time = max((when.year, when.month, when.day, when.hour, when.minute, when.second), EARLIEST)
    # ExcelWriter rather than Workbook.save, which would stamp "modified" with the wall clock.
    ExcelWriter(workbook, StampedZip(spool, zip_time)).save()


def write(events: EventCollection, stream: IO[bytes], *, stamp: dt.datetime | None = None) -> None:
    """Write the workbook to a binary stream, only once it is complete.

    The finished file is spooled (in memory up to :data:`SPOOLED_IN_MEMORY`,
    then in the temporary folder) and copied to ``stream`` in chunks, so memory
    stays flat however many events there are. A temporary folder that is full
    or unusable is an :class:`~rnk_events.errors.ExportError` naming it, and
    ``stream`` is not touched.

    ``stamp`` (an aware datetime; default now) is the time the file was made: it
    is shown on the About sheet and stamped in the file; fix it to make the
    output byte-reproducible. (iCalendar and the data package take the same name.)
    A cell too long for Excel is an :class:`~rnk_events.errors.ExportError`
    naming the event and the column, and nothing is written.
    """
    when = _utc(stamp)
    info = events.info
    # The few rows of these sheets are checked first, so a source's overlong title is named as the
    # source's, not as the citation in an event's TimelineJS text.
    for sheet_name, columns, sheet_rows in (
        (SOURCES_SHEET, SOURCES_COLUMNS, _source_rows(info)),
        (WITHDRAWN_SHEET, WITHDRAWN_COLUMNS, _withdrawn_rows(info)),
    ):
        for owner, values in sheet_rows:
            _stored(values, sheet_name, owner, [name for name, _ in columns])
    with temporary_folder() as scratch:
        # Spooled in the scratch folder: if it fills the temporary folder, the error names that folder.
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOLED_IN_MEMORY, dir=str(scratch.path))  # noqa: SIM115
        try:
            _fill(spool, events, when, scratch)
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
    with spool:  # still readable once its folder is gone (an open file outlives its name)
        shutil.copyfileobj(spool, stream, _COPY_CHUNK)
