"""Reading a workbook back: the Events sheet's flat rows, with the About, Sources and Withdrawn sheets."""

from __future__ import annotations

import re
from typing import IO, Any

import attrs

from rnk_events import rows
from rnk_events.collection import EventCollection
from rnk_events.dates import DateError
from rnk_events.errors import DatasetError, FieldError, Problem, shorten
from rnk_events.formats._checks import Where, finish_read
from rnk_events.formats.xlsx.cells import cell_text
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
    duplicate_columns,
    find_sheet,
    header_names,
    open_workbook,
    sheet_rows,
    stray_cells,
)
from rnk_events.model import DatasetInfo, Event, Source, Withdrawal

__all__ = ["read"]

_SOURCE_FIELDS = [name for name, _ in SOURCES_COLUMNS]
_WITHDRAWN_FIELDS = [name for name, _ in WITHDRAWN_COLUMNS]


def _record_problem(origin: str, label: str, error: Exception, converted: str, *, row: int | None) -> Problem:
    """A record's error as a Problem: a validator's FieldError names its field.

    Any other error comes from the record's one converter that can fail
    (``to_day``), so it is about the ``converted`` field.
    """
    if isinstance(error, FieldError):
        return Problem(origin, label, error.field, error.message, row=row)
    return Problem(origin, label, converted, str(error), row=row)


def _about_facts(workbook: Any, origin: str) -> tuple[dict[str, Any], dict[str, int]]:
    """Dataset fields from the About sheet's label/value rows, and the row each came from."""
    fields: dict[str, Any] = {}
    rows_of: dict[str, int] = {}
    about = find_sheet(workbook, ABOUT_SHEET)
    if about is None:
        return fields, rows_of
    for number, values in sheet_rows(about, origin):
        label = cell_text(values[0]).strip()
        if label == DICTIONARY:
            break
        if label in ABOUT_LABELS and len(values) > 1:
            field, value = ABOUT_LABELS[label], values[1]
            fields[field] = None if field == "as_of" and value is None else cell_text(value)
            rows_of[field] = number
    return fields, rows_of


def _table_rows(
    workbook: Any, origin: str, name: str, fields: list[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """A sheet's rows as text cells by column, when there is the sheet; a header not ``fields`` is a problem."""
    sheet = find_sheet(workbook, name)
    if sheet is None:
        return [], []
    table_rows = sheet_rows(sheet, origin)
    first = next(table_rows, None)
    header = header_names(first[1]) if first else []
    if first is not None and [column for column in header if column] != fields:
        return [], [Problem(origin, f"{name} row 1", "", f"bad header: expected {fields}", row=1)]
    found = []
    for number, values in table_rows:
        cells = dict(zip(header, values, strict=False))
        found.append((number, {column: cell_text(cells.get(column)) for column in fields}))
    return found, []


def _sources(workbook: Any, origin: str) -> tuple[list[Source], list[Problem]]:
    """The articles of the Sources sheet, when there is one, and the problems with its rows."""
    found, problems = _table_rows(workbook, origin, SOURCES_SHEET, _SOURCE_FIELDS)
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


def _withdrawals(workbook: Any, origin: str) -> tuple[list[Withdrawal], list[Problem]]:
    """The entries of the Withdrawn sheet, when there is one, and the problems with its rows."""
    found, problems = _table_rows(workbook, origin, WITHDRAWN_SHEET, _WITHDRAWN_FIELDS)
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


def _read_info(workbook: Any, origin: str) -> tuple[DatasetInfo, list[Problem]]:
    """Dataset facts from the About sheet, articles from the Sources sheet and withdrawals, when present."""
    fields, rows_of = _about_facts(workbook, origin)
    sources, problems = _sources(workbook, origin)
    withdrawn, withdrawn_problems = _withdrawals(workbook, origin)
    problems += withdrawn_problems
    try:
        return DatasetInfo(**fields, sources=sources, withdrawn=withdrawn), problems
    except (TypeError, ValueError) as error:
        problems.append(_info_problem(origin, error, rows_of))
    try:  # a stand-in, so the events are still checked; the problem makes the read fail
        return DatasetInfo(sources=sources), problems
    except FieldError:
        return DatasetInfo(), problems


def _check_events_header(origin: str, header: list[str]) -> None:
    record = f"{EVENTS_SHEET} row 1"
    named = [name for name in header if name]  # cells under a blank header are reported per row
    problems = duplicate_columns(origin, record, header)
    try:  # missing and unknown columns; duplicates are reported above, with their letters
        rows.check_header(list(dict.fromkeys(named)), (name for name, _ in EVENTS_COLUMNS), origin, record, row=1)
    except DatasetError as error:
        problems[:0] = error.problems
    if problems:
        raise DatasetError(problems)


def _flat_cells(header: list[str], values: tuple[Any, ...]) -> dict[str, str]:
    """A row's cells as the flat row's text, by column; a column the row stops short of is empty."""
    cells = dict.fromkeys(rows.COLUMNS, "")
    cells.update({name: cell_text(value) for name, value in zip(header, values, strict=False) if name in cells})
    return cells


def read(stream: IO[bytes], origin: str) -> EventCollection:
    """Read the Events sheet (with About, Sources and Withdrawn, when present) back into a collection.

    Columns derived from ``date`` (display_date, start, first_day, last_day,
    precision) and actor_names are ignored; DatasetError lists every problem,
    each with its sheet row, and is also what a damaged file or one that is not
    a workbook raises.
    """
    workbook = open_workbook(stream, origin)
    try:
        sheet = find_sheet(workbook, EVENTS_SHEET)
        if sheet is None:
            message = f"no sheet named {EVENTS_SHEET!r} (sheets: {', '.join(workbook.sheetnames)})"
            raise DatasetError([Problem(origin, "", "", message)])
        info, problems = _read_info(workbook, origin)
        event_rows = sheet_rows(sheet, origin)
        first = next(event_rows, None)
        header = header_names(first[1]) if first is not None else []
        _check_events_header(origin, header)
        events: list[tuple[str | Where, Event]] = []
        for number, values in event_rows:
            cells = _flat_cells(header, values)
            where = Where(
                f"{EVENTS_SHEET} row {number}" + (f" (id {shorten(cells['id'])})" if cells["id"] else ""), row=number
            )
            problems.extend(stray_cells(origin, where.record, number, header, values))
            event, event_problems = rows.event_from_cells(cells, origin, where.record, row=number)
            problems.extend(event_problems)
            if event is not None:
                events.append((where, event))
    finally:
        workbook.close()
    return finish_read(events, info, origin, problems)
