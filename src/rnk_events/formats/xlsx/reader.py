"""Reading a workbook back: the Events sheet's flat rows, with the About, Sources and Withdrawn sheets.

The Events sheet is the one named "Events", or else the first whose row 1 is
the events header (a desk renamed it; a note says which sheet was read). A
workbook with neither, which is not one of this package's exports, is read as
a Knight Lab TimelineJS template when a sheet has that header. Date cells a
spreadsheet made in the ``date`` column are read with the precision their
number format shows (:mod:`~rnk_events.formats.xlsx.datecells`), with a note.
"""

from __future__ import annotations

import io
import re
from typing import IO, Any

import attrs

from rnk_events import rows
from rnk_events.collection import EventCollection
from rnk_events.dates import DateError
from rnk_events.errors import DatasetError, FieldError, Problem, shorten
from rnk_events.formats import knightlab
from rnk_events.formats._checks import Where, finish_read
from rnk_events.formats.xlsx.cells import cell_text
from rnk_events.formats.xlsx.datecells import date_cell_text
from rnk_events.formats.xlsx.knightlab import read_timelinejs_sheet
from rnk_events.formats.xlsx.layout import (
    ABOUT_LABELS,
    ABOUT_SHEET,
    DICTIONARY,
    EVENTS_COLUMNS,
    EVENTS_SHEET,
    SOURCES_COLUMNS,
    SOURCES_SHEET,
    WITHDRAWN_COLUMNS,
    WITHDRAWN_SHEET,
)
from rnk_events.formats.xlsx.sheets import (
    MAX_COLUMNS,
    MAX_INPUT_BYTES,
    MAX_PART_BYTES,
    MAX_SHARED_STRINGS,
    MAX_TOTAL_BYTES,
    Limits,
    SheetRow,
    cell_name,
    duplicate_columns,
    find_sheet,
    header_names,
    open_workbook,
    read_input,
    sheet_rows,
    sheet_table,
    stray_cells,
)
from rnk_events.model import DatasetInfo, Event, Source, Withdrawal

__all__ = ["read"]

_SOURCE_FIELDS = [name for name, _ in SOURCES_COLUMNS]
_WITHDRAWN_FIELDS = [name for name, _ in WITHDRAWN_COLUMNS]
#: The columns a sheet's row 1 must name for it to be read as the Events sheet under another name.
_EVENTS_HEADER = frozenset(name for name in rows.COLUMNS if name not in rows.OPTIONAL_COLUMNS)


def _record_problem(origin: str, label: str, error: Exception, converted: str, *, row: int | None) -> Problem:
    """A record's error as a Problem: a validator's FieldError names its field.

    Any other error comes from the record's one converter that can fail
    (``to_day``), so it is about the ``converted`` field.
    """
    if isinstance(error, FieldError):
        return Problem(origin, label, error.field, error.message, row=row)
    return Problem(origin, label, converted, str(error), row=row)


def _about_facts(workbook: Any, origin: str, limits: Limits) -> tuple[dict[str, Any], dict[str, int]]:
    """Dataset fields from the About sheet's label/value rows, and the row each came from."""
    fields: dict[str, Any] = {}
    rows_of: dict[str, int] = {}
    about = find_sheet(workbook, ABOUT_SHEET)
    if about is None:
        return fields, rows_of
    in_dictionary = False  # the whole sheet is read, so a formula or merge anywhere on it is refused
    for number, values in sheet_rows(about, origin, limits):
        label = cell_text(values[0]).strip() if values else ""
        in_dictionary = in_dictionary or label == DICTIONARY
        if not in_dictionary and label in ABOUT_LABELS and len(values) > 1:
            field, value = ABOUT_LABELS[label], values[1]
            fields[field] = None if field == "as_of" and value is None else cell_text(value)
            rows_of[field] = number
    return fields, rows_of


def _date_text(
    origin: str, sheet: str, row: SheetRow, index: int | None, notes: list[Problem]
) -> tuple[str, Problem | None]:
    """The text of an EDTF ``date`` cell at column ``index``, a note when a spreadsheet converted it, or a problem."""
    if index is None or index >= len(row.values):
        return "", None
    record = f"{sheet} row {row.number}"
    cell = cell_name(sheet, row.number, index + 1)
    try:
        text, converted = date_cell_text(row.values[index], row.formats.get(index, "General"))
    except ValueError as error:
        return "", Problem(origin, record, "date", f"{cell} {error}", row=row.number)
    if converted is not None:
        notes.append(Problem(origin, record, "date", f"{cell}: {converted}", row=row.number))
    return text, None


def _table_rows(
    workbook: Any, origin: str, name: str, fields: list[str], limits: Limits, notes: list[Problem]
) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """A sheet's rows as text cells by column, when there is the sheet; a header not ``fields`` is a problem."""
    sheet = find_sheet(workbook, name)
    if sheet is None:
        return [], []
    table_rows = sheet_table(sheet, origin, limits)
    first = next(table_rows, None)
    header = header_names(first.values) if first else []
    if first is not None and [column for column in header if column] != fields:
        return [], [Problem(origin, f"{name} row 1", "", f"bad header: expected {fields}", row=1)]
    date_index = header.index("date") if "date" in header else None
    found, problems = [], []
    for row in table_rows:
        cells = dict(zip(header, row.values, strict=False))
        text = {column: cell_text(cells.get(column)) for column in fields}
        if "date" in text:
            text["date"], problem = _date_text(origin, name, row, date_index, notes)
            problems.extend([problem] if problem else [])
        found.append((row.number, text))
    return found, problems


def _sources(workbook: Any, origin: str, limits: Limits) -> tuple[list[Source], list[Problem]]:
    """The articles of the Sources sheet, when there is one, and the problems with its rows."""
    found, problems = _table_rows(workbook, origin, SOURCES_SHEET, _SOURCE_FIELDS, limits, [])
    sources: list[Source] = []
    for number, text in found:
        try:
            source = Source(
                id=text["id"],
                publisher=text["publisher"],
                title=text["title"],
                published=text["published"],
                url=text["url"] or None,
                file=text["file"] or None,
                note=text["note"],
            )
        except (TypeError, ValueError) as error:
            problems.append(_record_problem(origin, f"{SOURCES_SHEET} row {number}", error, "published", row=number))
        else:
            sources.append(source)
    return sources, problems


def _withdrawals(
    workbook: Any, origin: str, limits: Limits, notes: list[Problem]
) -> tuple[list[Withdrawal], list[Problem]]:
    """The entries of the Withdrawn sheet, when there is one, and the problems with its rows."""
    found, problems = _table_rows(workbook, origin, WITHDRAWN_SHEET, _WITHDRAWN_FIELDS, limits, notes)
    entries = []
    for number, text in found:
        record = f"{WITHDRAWN_SHEET} row {number}"
        revision = text["revision"].strip()
        if revision and not re.fullmatch(r"[0-9]+", revision):
            message = f"{revision!r} is not a whole number, 0 or more"
            problems.append(Problem(origin, record, "revision", message, row=number))
            continue
        try:
            entry = Withdrawal(
                id=text["id"],
                reason=text["reason"],
                withdrawn=text["withdrawn"],
                replaced_by=text["replaced_by"] or None,
                date=text["date"],
                title=text["title"],
                revision=int(revision or "0"),
            )
        except (TypeError, ValueError) as error:
            converted = "date" if isinstance(error, DateError) else "withdrawn"  # the two converters that can fail
            problems.append(_record_problem(origin, record, error, converted, row=number))
        else:
            entries.append(entry)
    return entries, problems


def _info_problem(origin: str, error: Exception, rows_of: dict[str, int]) -> Problem:
    """The dataset's error, placed: an About field on its row, duplicate source ids on the Sources sheet."""
    problem = _record_problem(origin, ABOUT_SHEET, error, "as_of", row=None)
    if problem.field == "sources":  # two rows of the Sources sheet share an id
        return attrs.evolve(problem, record=SOURCES_SHEET, field="id")
    if problem.field == "withdrawn":  # two rows of the Withdrawn sheet share an id
        return attrs.evolve(problem, record=WITHDRAWN_SHEET, field="id")
    return attrs.evolve(problem, row=rows_of.get(problem.field))


def _read_info(workbook: Any, origin: str, limits: Limits, notes: list[Problem]) -> tuple[DatasetInfo, list[Problem]]:
    """Dataset facts from the About sheet, articles from the Sources sheet and withdrawals, when present."""
    fields, rows_of = _about_facts(workbook, origin, limits)
    sources, problems = _sources(workbook, origin, limits)
    withdrawn, withdrawn_problems = _withdrawals(workbook, origin, limits, notes)
    problems += withdrawn_problems
    try:
        return DatasetInfo(**fields, sources=sources, withdrawn=withdrawn), problems
    except (TypeError, ValueError) as error:
        problems.append(_info_problem(origin, error, rows_of))
    try:  # a stand-in, so the events are still checked; the problem makes the read fail
        return DatasetInfo(sources=sources), problems
    except FieldError:
        return DatasetInfo(), problems


def _check_events_header(origin: str, record: str, header: list[str]) -> list[Problem]:
    """The notes for extra columns; DatasetError for a header the sheet cannot be read by."""
    named = [name for name in header if name]  # cells under a blank header are reported per row
    problems = duplicate_columns(origin, record, header)
    notes: list[Problem] = []
    try:  # missing columns; duplicates are reported above, with their letters
        known = (name for name, _ in EVENTS_COLUMNS)
        found = rows.check_header(list(dict.fromkeys(named)), known, origin, record, row=1)
    except DatasetError as error:
        problems[:0] = error.problems
    else:
        notes.extend(found or [])
    if problems:
        raise DatasetError(problems)
    return notes


def _flat_cells(header: list[str], values: tuple[Any, ...]) -> dict[str, str]:
    """A row's cells as the flat row's text, by column (derived ones included, to be checked against date)."""
    cells = dict.fromkeys(rows.COLUMNS, "")
    cells.update({name: cell_text(value) for name, value in zip(header, values, strict=False) if name in _READ})
    return cells


_READ = frozenset(rows.HEADER)


def _first_row(sheet: Any, origin: str, limits: Limits) -> SheetRow | None:
    first = next(sheet_table(sheet, origin, limits), None)
    return first if first is not None and first.number == 1 else None


def _events_sheet(workbook: Any, origin: str, limits: Limits) -> tuple[Any | None, list[Problem]]:
    """The sheet named Events, or else the first whose row 1 is the events header (with a note saying so)."""
    sheet = find_sheet(workbook, EVENTS_SHEET)
    if sheet is not None:
        return sheet, []
    for candidate in workbook.worksheets:
        first = _first_row(candidate, origin, limits)
        if first is not None and set(header_names(first.values)) >= _EVENTS_HEADER:
            message = f"no sheet is named {EVENTS_SHEET!r}: read {candidate.title!r}, whose row 1 is the events header"
            return candidate, [Problem(origin, candidate.title, "", message)]
    return None, []


def _is_template(workbook: Any, origin: str, limits: Limits) -> bool:
    """Whether a sheet's row 1 is Knight Lab's TimelineJS template header."""
    for sheet in workbook.worksheets:
        first = _first_row(sheet, origin, limits)
        if first is not None and knightlab.is_template_header(header_names(first.values)):
            return True
    return False


def _no_events_sheet(workbook: Any, origin: str) -> DatasetError:
    message = (
        f"no sheet named {EVENTS_SHEET!r}, and no sheet whose row 1 is the events header "
        f"(sheets: {', '.join(workbook.sheetnames)})"
    )
    return DatasetError([Problem(origin, "", "", message)])


def _read_events(workbook: Any, sheet: Any, origin: str, limits: Limits, notes: list[Problem]) -> EventCollection:
    title = sheet.title
    info, problems = _read_info(workbook, origin, limits, notes)
    event_rows = sheet_table(sheet, origin, limits)
    first = next(event_rows, None)
    header = header_names(first.values) if first is not None else []
    notes.extend(_check_events_header(origin, f"{title} row 1", header))
    date_index = header.index("date") if "date" in header else None
    events: list[tuple[str | Where, Event]] = []
    for row in event_rows:
        number, values = row.number, row.values
        cells = _flat_cells(header, values)
        date, date_problem = _date_text(origin, title, row, date_index, notes)
        cells["date"] = date
        where = Where(f"{title} row {number}" + (f" (id {shorten(cells['id'])})" if cells["id"] else ""), row=number)
        problems.extend(stray_cells(origin, where.record, number, header, values))
        if date_problem is not None:
            problems.append(attrs.evolve(date_problem, record=where.record))
            continue
        event, event_problems = rows.event_from_cells(cells, origin, where.record, row=number, notes=notes)
        problems.extend(event_problems)
        if event is not None:
            events.append((where, event))
    return finish_read(events, info, origin, problems, notes=notes)


def read(
    stream: IO[bytes],
    origin: str,
    *,
    max_input_bytes: int = MAX_INPUT_BYTES,
    max_part_bytes: int = MAX_PART_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_shared_strings: int = MAX_SHARED_STRINGS,
    max_columns: int = MAX_COLUMNS,
) -> EventCollection:
    """Read the Events sheet (with About, Sources and Withdrawn, when present) back into a collection.

    Derived columns present (display_date, first_day, last_day, is_range,
    precision, qualifier) must match ``date``; start and actor_names are
    ignored. DatasetError lists every problem, each with its sheet row, and is
    also what a damaged file, one past a limit (each ``max_*`` argument; see
    :class:`~rnk_events.formats.xlsx.sheets.Limits`), or one that is not a
    workbook raises. A workbook without an events sheet that is not one of
    this package's exports (no About sheet) but has a Knight Lab TimelineJS
    sheet is read by :func:`~rnk_events.formats.xlsx.read_timelinejs_sheet`.
    """
    limits = Limits(max_input_bytes, max_part_bytes, max_total_bytes, max_shared_strings, max_columns)
    data = read_input(stream, origin, limits)
    workbook = open_workbook(io.BytesIO(data), origin, limits)
    try:
        sheet, notes = _events_sheet(workbook, origin, limits)
        if sheet is not None:
            return _read_events(workbook, sheet, origin, limits, notes)
        if find_sheet(workbook, ABOUT_SHEET) is not None or not _is_template(workbook, origin, limits):
            # an export of ours whose Events sheet was deleted: its TimelineJS sheet has no ids or sources
            raise _no_events_sheet(workbook, origin)
    finally:
        workbook.close()
    return read_timelinejs_sheet(io.BytesIO(data), origin)
