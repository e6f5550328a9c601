"""Reading a newsroom's own TimelineJS sheet: Knight Lab's Google Sheets template, filled in by hand."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import IO, Any

from rnk_events.collection import EventCollection
from rnk_events.dates import DateError, DateSpan, End, PartialDate, parse_date
from rnk_events.errors import DatasetError, FieldError, Problem
from rnk_events.formats._checks import Where, finish_read
from rnk_events.formats.timelinejs import slide_dates
from rnk_events.formats.xlsx.cells import cell_text
from rnk_events.formats.xlsx.htmltext import plain_text
from rnk_events.formats.xlsx.layout import TIMELINEJS_HEADER
from rnk_events.formats.xlsx.sheets import duplicate_columns, header_names, open_workbook, sheet_rows
from rnk_events.ids import draft_id, slug
from rnk_events.model import Category, DatasetInfo, Event, SourceRef, Status

__all__ = ["read_timelinejs_sheet"]

#: The plain text of :func:`rnk_events.formats.timelinejs.status_paragraph`, as the event rows carry it.
_STATUS_LINE = re.compile(r"Status: (\S+)(?: as of .*)?")
#: The plain text of :func:`rnk_events.formats.timelinejs.updated_paragraph`.
_UPDATED_LINE = re.compile(r"Updated (.{1,40})")
#: Display Date text longer than this is not read as a date (a set of six dates reads in under 200 characters).
_LONGEST_DISPLAY_DATE = 2_000
#: The template column each event field comes from, for an error the event itself raises.
_COLUMN_OF_FIELD = {"title": "Headline", "evidence": "Headline", "summary": "Text"}


def _event_problem(origin: str, where: Where, error: Exception) -> Problem:
    """An error the event itself raised, named by the template column its field came from."""
    if isinstance(error, FieldError):
        return where.problem(origin, _COLUMN_OF_FIELD.get(error.field, ""), error.message)
    return where.problem(origin, "", str(error))


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
    raise ValueError(f"{cell_text(value)!r} is not a whole number")


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


def _parts(date: PartialDate | None) -> dict[str, int] | None:
    """The Year/Month/Day cells of a date read from the row, as the TimelineJS export's date parts."""
    if date is None:
        return None
    parts = {"year": date.year, "month": date.month, "day": date.day}
    return {name: value for name, value in parts.items() if value is not None}


def _display_span(cells: dict[str, Any], start: PartialDate, end: PartialDate | None) -> DateSpan | None:
    """The date the Display Date's words name, when the row's number cells are exactly what it draws as.

    The number cells cannot say "about", "one day between", "since" or a season;
    the words can, and :func:`~rnk_events.dates.parse_date` reads what
    :meth:`~rnk_events.dates.DateSpan.display` writes. The words win only when
    the TimelineJS export would have put exactly these Year/Month/Day and End
    cells beside them (an open end drawn to an as-of day counts), so a
    Display Date that says something else never overrides the cells.
    """
    text = plain_text(cell_text(cells.get("Display Date")))
    if not text or len(text) > _LONGEST_DISPLAY_DATE:
        return None
    try:
        span = parse_date(text)
    except DateError:
        return None
    as_of = end.first_day if span.end is End.OPEN and end is not None and end.day is not None else None
    drawn = slide_dates(span, as_of)
    return span if drawn == (_parts(start), _parts(end)) else None


def _without_updated(text: str) -> str:
    """The text without the "Updated Dec. 1, 2026" line the workbook writer adds under a revised event."""
    body, _, last = text.rpartition("\n")
    match = _UPDATED_LINE.fullmatch(last)
    if not body or match is None:
        return text
    try:
        day = parse_date(match.group(1))
    except DateError:
        return text
    return body if day.days == 1 and day.is_exact else text


def _summary_and_status(text: str) -> tuple[str, Status]:
    """Split off the "Status: ..." line the workbook writer adds; without one an event happened."""
    text = _without_updated(text)
    body, _, last = text.rpartition("\n")
    match = _STATUS_LINE.fullmatch(last)
    if body and match and match.group(1) in {status.value for status in Status}:
        return body, Status(match.group(1))
    return text, Status.HAPPENED


def _timeline_header(workbook: Any, origin: str) -> tuple[Any, list[str]] | None:
    wanted = {name.casefold() for name in TIMELINEJS_HEADER}
    for sheet in workbook.worksheets:
        first = next(sheet_rows(sheet, origin), None)
        header = header_names(first[1]) if first is not None and first[0] == 1 else []
        if wanted <= {name.casefold() for name in header}:
            return sheet, header
    return None


def _template_rows(stream: IO[bytes], origin: str) -> list[tuple[int, dict[str, Any]]]:
    """The rows under the template header, as {template column: value}; other columns are dropped."""
    workbook = open_workbook(stream, origin)
    try:
        found = _timeline_header(workbook, origin)
        if found is None:
            message = f"no sheet has the TimelineJS template header ({', '.join(TIMELINEJS_HEADER)})"
            raise DatasetError([Problem(origin, "row 1", "", message, row=1)])
        sheet, header = found
        names = {name.casefold(): name for name in TIMELINEJS_HEADER}
        duplicates = duplicate_columns(origin, "row 1", header, str.casefold, names)
        if duplicates:
            raise DatasetError(duplicates)
        return [
            (
                number,
                {
                    names[name.casefold()]: value
                    for name, value in zip(header, values, strict=False)
                    if name.casefold() in names
                },
            )
            for number, values in sheet_rows(sheet, origin)
            if number > 1
        ]
    finally:
        workbook.close()


def _row_problems(
    cells: dict[str, Any], headline: str, summary: str
) -> tuple[list[tuple[str, str]], DateSpan | None, Category | None]:
    """What is wrong with one event row, as (column, problem), and its span and category when they are right."""
    start, start_problems = _timeline_date(cells, "")
    end, end_problems = _timeline_date(cells, "End ")
    problems = start_problems + end_problems
    if start is None and not start_problems:
        problems.append(("Year", "empty: TimelineJS needs at least a year"))
    if not headline:
        problems.append(("Headline", "empty: an event needs a headline"))
    if not summary:
        problems.append(("Text", "empty: an event needs a summary"))
    group = cell_text(cells.get("Group")).strip()
    category = next((c for c in Category if c.value == "-".join(group.casefold().split())), None)
    if category is None:
        allowed = ", ".join(c.value for c in Category)
        problems.append(("Group", f"{group!r} is not a category; allowed: {allowed}"))
    span = None
    if start is not None and not start_problems and not end_problems:
        span = _display_span(cells, start, end)
    if start is not None and span is None:
        try:
            span = DateSpan(start, end if end != start else None)
        except DateError as error:
            problems.append(("End Year", error.reason))
    return problems, span, category


def read_timelinejs_sheet(stream: IO[bytes], origin: str) -> EventCollection:
    """Events from a filled-in TimelineJS template: the first sheet with the template's header.

    Dates come from Year/Month/Day and End Year/Month/Day; when Display Date
    names a date those cells are exactly the TimelineJS export's cells for
    ("c. May 2024", "one day between June 10 and 16, 2024"), that date,
    which the cells alone cannot say. The title comes from
    Headline and the summary from Text (tags stripped), the category from
    Group. Ids are slugs of date and headline. Status is "happened" unless the
    text ends with a "Status: ..." line as the workbook export writes it. Each
    event cites the file (source id: a slug of its name) with its headline as
    evidence. The title row and era rows are skipped; Time, Media and
    Background are not kept. DatasetError lists every problem by row and column.
    """
    source_id = slug(PurePath(origin).name.split(".")[0], "timelinejs-sheet")
    title = None
    problems: list[Problem] = []
    events: list[tuple[str | Where, Event]] = []
    taken: set[str] = set()
    for number, cells in _template_rows(stream, origin):
        where = Where(f"row {number}", row=number)
        kind = cell_text(cells.get("Type")).strip().casefold()
        if kind == "title":
            title = plain_text(cell_text(cells.get("Headline"))) or title
            continue
        if kind == "era":
            continue
        headline = plain_text(cell_text(cells.get("Headline")))
        summary, status = _summary_and_status(plain_text(cell_text(cells.get("Text"))))
        row_problems, span, category = _row_problems(cells, headline, summary)
        problems.extend(where.problem(origin, column, message) for column, message in row_problems)
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
            problems.append(_event_problem(origin, where, error))
            continue
        events.append((where, event))
    info = DatasetInfo(name=source_id, title=title) if title else DatasetInfo(name=source_id)
    return finish_read(events, info, origin, problems)
