"""Flat rows: one event as a row of text cells, the layout CSV, the workbook and the data package share.

Lists are joined with ``|``; the parts of a place (``name;country;lat;lon``)
and of a source reference (``source;evidence``) with ``;``. A literal ``\\``,
``|`` or ``;`` inside a value is escaped with a backslash.

The columns of :data:`DERIVED_COLUMNS` are derived from ``date`` for people
sorting and filtering in a spreadsheet. Reading never takes a date from them,
but a non-empty one must agree with ``date`` (:func:`derived_problems`), so an
edit made there is reported instead of lost:

- ``display_date``: :meth:`~rnk_events.dates.DateSpan.display`, the AP-style words;
- ``first_day``, ``last_day``: the earliest and latest day the event can touch
  as written (``YYYY-MM-DD``), empty for an open (``..``) or unknown end, so no
  cell pretends the calendar starts in year 1 or ends in 9999
  (:func:`written_bounds`);
- ``is_range``: ``true`` for an interval (the event lasted from start to end),
  ``false`` for a point, a single date or one of a set, which happened once,
  on some day within the bounds;
- ``precision``: the coarsest precision written (``century`` ... ``day``);
- ``qualifier``: ``uncertain`` (``?``), ``approximate`` (``~``) or
  ``uncertain and approximate`` (``%``, or both marks on the ends of an
  interval); empty when unqualified (:data:`QUALIFIER_WORDS`).

``revision`` is a whole number (``0`` as first published) and ``revised``
a ``YYYY-MM-DD`` day, empty while the event is as first published. They are
the last columns, and the only ones a file may leave out
(:data:`OPTIONAL_COLUMNS`): a file made before they existed reads as every
event as first published, and an empty cell means the default.

Reading is forgiving where a spreadsheet or a person is (:func:`event_from_cells`):
``category`` and ``status`` in any case with surrounding spaces; natural date
text ("May 2024") and the dates a spreadsheet re-showed (``8/23/2002``) read
as their EDTF, each with a note; columns the layout does not know are set
aside with a note (:func:`check_header`), up to :data:`MAX_COLUMNS`.

Cells here are the data's own text. Keeping a spreadsheet from running a cell
as a formula is each file's job, done the way that file can undo it (a
leading ``'`` in CSV, a text cell in the workbook), so no guard is added here
for another layer to take off again.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from rnk_events._fast_cells import plain_date_cells
from rnk_events.dates import (
    AP_MONTHS,
    MONTH_NAMES,
    DateError,
    DateSpan,
    End,
    Precision,
    Qualifier,
    parse_date,
)
from rnk_events.errors import DatasetError, FieldError, Problem, shorten
from rnk_events.model import Event
from rnk_events.serialize import structure_event

__all__ = [
    "BOOLEAN_TEXT",
    "COLUMNS",
    "DERIVED_COLUMNS",
    "HEADER",
    "LIST_SEPARATOR",
    "MAX_COLUMNS",
    "OPTIONAL_COLUMNS",
    "PART_SEPARATOR",
    "QUALIFIER_WORDS",
    "cells_to_data",
    "check_header",
    "derived_cells",
    "derived_problems",
    "event_cells",
    "event_from_cells",
    "read_date",
    "table_rows",
    "written_bounds",
]

COLUMNS = (
    "id", "date", "title", "summary", "category", "status",
    "actors", "people", "places", "sources", "note", "revision", "revised",
)  # fmt: skip
"""The columns an event is read back from, in the order of its fields."""
OPTIONAL_COLUMNS = ("revision", "revised")
"""The columns of :data:`COLUMNS` a file may leave out (it predates them): each event is then as first published."""
DERIVED_COLUMNS = ("display_date", "first_day", "last_day", "is_range", "precision", "qualifier")
"""Columns derived from ``date``: written for sorting and filtering; when read, a non-empty one must match ``date``."""
QUALIFIER_WORDS = {
    Qualifier.NONE: "",
    Qualifier.UNCERTAIN: "uncertain",
    Qualifier.APPROXIMATE: "approximate",
    Qualifier.BOTH: "uncertain and approximate",
}
"""The ``qualifier`` column's text for each qualifier: words a spreadsheet filter shows, empty for none."""
BOOLEAN_TEXT = {False: "false", True: "true"}
"""The ``is_range`` column's two values (Table Schema's ``boolean`` reads them)."""
HEADER = ("id", "date", *DERIVED_COLUMNS, *COLUMNS[2:])
"""Every column, in the order a row is written: the derived ones beside ``date``."""
LIST_SEPARATOR = "|"
"""Joins the items of a list cell (actors, people, places, sources)."""
PART_SEPARATOR = ";"
"""Joins the parts of one item: a place's ``name;country;lat;lon``, a source's ``source;evidence``."""
MAX_COLUMNS = 1000
"""The widest header a file may have; a wider one is refused before any row is read (the layout has 19)."""
# float() would also take "1_0", " 1 ", "inf" and digits of other scripts.
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def _escape(text: str) -> str:
    # Three str.replace calls: several times faster than one re.sub on every list part of an export.
    return text.replace("\\", "\\\\").replace("|", "\\|").replace(";", "\\;")


def _split(text: str, separator: str) -> list[str]:
    """Split on unescaped separators, keeping escapes for the next level."""
    parts, current, chars = [], [], iter(text)
    for char in chars:
        if char == "\\":
            current.append(char + next(chars, ""))
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def _items(cell: str) -> list[list[str]]:
    if cell == "":
        return []
    return [[_unescape(part) for part in _split(item, PART_SEPARATOR)] for item in _split(cell, LIST_SEPARATOR)]


def _number_text(value: float | None) -> str:
    return "" if value is None else repr(value)


def written_bounds(span: DateSpan) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day the date can touch as written, None for an open or unknown end.

    Unlike :attr:`~rnk_events.dates.DateSpan.first_day`, which is ``date.min``
    for ``../2024-06``, this tells an end that is not written from a date that
    really starts on 0001-01-01 (``0001``) or ends on 9999-12-31.
    """
    first = None if isinstance(span.start, End) else span.first_day
    last = None if isinstance(span.end, End) else span.last_day
    return first, last


def _day_text(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


def derived_cells(span: DateSpan) -> dict[str, str]:
    """The cells of :data:`DERIVED_COLUMNS` that ``span`` gives, in that order."""
    first, last = written_bounds(span)
    return {
        "display_date": span.display(),
        "first_day": _day_text(first),
        "last_day": _day_text(last),
        "is_range": BOOLEAN_TEXT[span.is_range],
        "precision": span.precision.value,
        "qualifier": QUALIFIER_WORDS[span.qualifier],
    }


def _join_texts(items: tuple[str, ...]) -> str:
    """A list cell of one-part items; escaping only when a separator or a backslash is there to escape."""
    joined = LIST_SEPARATOR.join(items)
    if "\\" in joined or PART_SEPARATOR in joined or joined.count(LIST_SEPARATOR) != max(len(items) - 1, 0):
        return LIST_SEPARATOR.join(map(_escape, items))
    return joined


def _cells_after_derived(event: Event) -> list[str]:
    """The cells of the columns after the derived ones, in :data:`HEADER` order.

    Written for a whole table's worth of calls: enum members' ``_value_`` read
    directly, a list cell joined raw and escaped only when its text holds
    something to escape (:func:`_join_texts`, :func:`_escape_if_needed`).
    """
    revised = event.revised
    return [
        event.title,
        event.summary,
        event.category._value_,
        event.status._value_,
        LIST_SEPARATOR.join(event.actors),  # codes: letters, digits and hyphens only
        _join_texts(event.people),
        LIST_SEPARATOR.join(
            [
                f"{_escape_if_needed(place.name)};{place.country or ''};"
                f"{'' if place.lat is None else repr(place.lat)};{'' if place.lon is None else repr(place.lon)}"
                for place in event.places
            ]
        ),
        # A source id is a slug (the model refuses anything else), so only the evidence can need escaping.
        LIST_SEPARATOR.join([f"{ref.source};{_escape_if_needed(ref.evidence)}" for ref in event.sources]),
        event.note,
        str(event.revision),
        "" if revised is None else revised.isoformat(),
    ]


def _escape_if_needed(text: str) -> str:
    """:func:`_escape`, skipping the three replacements for text with nothing to escape (most of it)."""
    if "\\" in text or "|" in text or ";" in text:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace(";", "\\;")
    return text


def table_rows(events: Iterable[Event]) -> Iterator[list[str]]:
    """Each event's cells in :data:`HEADER` order, as :func:`event_cells` gives them, for a whole table.

    A plain day, month or year has its cells built straight from its parts
    (:func:`plain_date_cells`); any other date's derived cells are worked out
    once per distinct date text (canonical, so equal text is an equal date).
    """
    derived_of: dict[str, list[str]] = {}
    month_names = tuple(calendar.month_name)  # once: each look-up of calendar.month_name runs strftime
    for event in events:
        span = event.date
        dated = plain_date_cells(span, month_names)
        if dated is None:
            date = str(span)
            derived = derived_of.get(date)
            if derived is None:
                derived = derived_of[date] = list(derived_cells(span).values())
            dated = [date, *derived]
        yield [event.id, *dated, *_cells_after_derived(event)]


def event_cells(event: Event) -> dict[str, str]:
    """The event as flat text cells, one per column of :data:`HEADER`, in that order."""
    span = event.date
    after = dict(zip(HEADER[2 + len(DERIVED_COLUMNS) :], _cells_after_derived(event), strict=True))
    return {"id": event.id, "date": str(span), **derived_cells(span), **after}


def _coordinate(text: str) -> float | None:
    if text == "":
        return None
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"{shorten(text)} is not a number")
    return float(text)


def _place(parts: list[str]) -> dict[str, Any]:
    if len(parts) != 4:
        raise ValueError(f"expected name;country;lat;lon, got {shorten(PART_SEPARATOR.join(parts))}")
    name, country, lat, lon = parts
    return {"name": name, "country": country or None, "lat": _coordinate(lat), "lon": _coordinate(lon)}


def _source(parts: list[str]) -> dict[str, str]:
    if len(parts) != 2:
        raise ValueError(f"expected source;evidence, got {shorten(PART_SEPARATOR.join(parts))}")
    return {"source": parts[0], "evidence": parts[1]}


_WHOLE_NUMBER = re.compile(r"[0-9]+")


def _revision(text: str) -> int:
    if not _WHOLE_NUMBER.fullmatch(text):
        raise FieldError("revision", f"{shorten(text)} is not a whole number, 0 or more")
    return int(text)


def cells_to_data(cells: Mapping[str, str]) -> dict[str, Any]:
    """The JSON-shaped event of a row's cells; a cell that cannot be split is a FieldError naming its column.

    Only :data:`COLUMNS` are read; every one of them must be present but
    those of :data:`OPTIONAL_COLUMNS`, whose empty or missing cell leaves the
    field at its default.
    """
    data: dict[str, Any] = {column: cells[column] for column in COLUMNS if column not in OPTIONAL_COLUMNS}
    revision, revised = cells.get("revision", "").strip(), cells.get("revised", "").strip()
    if revision:
        data["revision"] = _revision(revision)
    if revised:
        data["revised"] = revised
    for column in ("actors", "people"):
        data[column] = [item[0] if len(item) == 1 else PART_SEPARATOR.join(item) for item in _items(cells[column])]
    for column, build in (("places", _place), ("sources", _source)):
        try:
            data[column] = [build(item) for item in _items(cells[column])]
        except ValueError as error:
            raise FieldError(column, str(error)) from None
    return data


def _placed(problems: Iterable[Problem], line: int | None, row: int | None) -> list[Problem]:
    return [attrs.evolve(problem, line=line, row=row) for problem in problems]


# -- dates as a person or a spreadsheet left them -------------------------------------------------

_MONTH_WORD = r"(?P<word>[A-Za-z]{3,9})"
_SHOWN_DAYS = re.compile(r"(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,2})/(?P<year>[0-9]{4}|[0-9]{2})")
_SHOWN_ISO_SLASHES = re.compile(r"(?P<year>[0-9]{4})/(?P<month>[0-9]{1,2})/(?P<day>[0-9]{1,2})")
# Excel's d-mmm-yy and mmm-yy; with spaces ("Jul 2000") it is news text, which parse_date reads.
_SHOWN_WORD_DAY = re.compile(r"(?P<day>[0-9]{1,2})-" + _MONTH_WORD + r"-(?P<year>[0-9]{4}|[0-9]{2})")
_SHOWN_WORD_MONTH = re.compile(_MONTH_WORD + r"-(?P<year>[0-9]{4}|[0-9]{2})")
_SHOWN_MONTH = re.compile(r"(?P<month>[0-9]{1,2})/(?P<year>[0-9]{4})")
_TEXT_COLUMN_FIX = "type the date as EDTF text (e.g. {example}) in a column formatted as Text, and save again"


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _ambiguous(text: str, what: str, readings: Sequence[str]) -> FieldError:
    message = (
        f"{shorten(text)} looks like a date a spreadsheet re-showed, {what}: it could be "
        f"{' or '.join(dict.fromkeys(readings))}; " + _TEXT_COLUMN_FIX.format(example=readings[0])
    )
    return FieldError("date", message)


def _two_digit_year(text: str, year: str, shown: Sequence[tuple[int, int | None]]) -> FieldError:
    """The error for a date whose year a spreadsheet cut to two digits: ``shown`` are its (month, day) readings."""
    readings = []
    for century in (2000, 1900):
        for month, day in shown:
            if day is None:
                readings.append(f"{century + int(year):04}-{month:02}")
            elif (found := _day(century + int(year), month, day)) is not None:
                readings.append(found.isoformat())
    return _ambiguous(text, "with a two-digit year (the century is lost)", readings)


def _spreadsheet_date(text: str) -> DateSpan | None:
    """The date a spreadsheet's re-showing stands for, None when the text is not one; FieldError when ambiguous.

    Only the precision shown is read: ``8/23/2002`` is a day, ``Jul-2000`` a month.
    """
    if match := _SHOWN_DAYS.fullmatch(text):
        a, b, year = int(match["a"]), int(match["b"]), match["year"]
        readings: list[tuple[int, int | None]] = list(
            dict.fromkeys((month, day) for month, day in ((a, b), (b, a)) if _day(2000, month, day) is not None)
        )
        if not readings:
            return None
        if len(year) == 2:
            raise _two_digit_year(text, year, readings)
        days = [found for month, day in readings if day is not None and (found := _day(int(year), month, day))]
        if len(days) == 2:
            shown = [str(DateSpan(day)) for day in days]
            raise _ambiguous(text, "in an order of month and day that depends on its locale", shown)
        return DateSpan(days[0]) if days else None
    if match := _SHOWN_ISO_SLASHES.fullmatch(text):
        found = _day(int(match["year"]), int(match["month"]), int(match["day"]))
        return None if found is None else DateSpan(found)
    for pattern in (_SHOWN_WORD_DAY, _SHOWN_WORD_MONTH):
        if (match := pattern.fullmatch(text)) and match["word"].lower() in MONTH_NAMES:
            month = MONTH_NAMES[match["word"].lower()]
            day = int(match["day"]) if "day" in pattern.groupindex else None
            if len(match["year"]) == 2:
                raise _two_digit_year(text, match["year"], [(month, day)])
            if day is None:
                return DateSpan.parse(f"{match['year']}-{month:02}")
            found = _day(int(match["year"]), month, day)
            return None if found is None else DateSpan(found)
    if (match := _SHOWN_MONTH.fullmatch(text)) and 1 <= int(match["month"]) <= 12:
        return DateSpan.parse(f"{match['year']}-{int(match['month']):02}")
    return None


def read_date(text: str) -> tuple[DateSpan | None, str | None]:
    """The date a ``date`` cell holds, and a note when the text was not its canonical EDTF.

    Canonical EDTF reads as itself. A date a spreadsheet re-showed
    (``8/23/2002``, ``23/08/2002``, ``Jul-2000``) reads with the precision it
    shows, never a day more; one that is ambiguous (``8/7/2002``, ``Jul-00``)
    raises a FieldError naming the readings and the fix. Natural text
    ("May 2024", "c. 2019") reads as :func:`~rnk_events.dates.parse_date` reads
    it. ``(None, None)`` when none of these read it: the usual date check then
    reports the cell.
    """
    try:
        span = DateSpan.parse(text)
    except DateError:
        pass
    else:
        canonical = str(span)
        return span, None if canonical == text else f"read {shorten(text)} as {canonical}"
    stripped = text.strip()
    shown = _spreadsheet_date(stripped)
    if shown is not None:
        fix = _TEXT_COLUMN_FIX.format(example=shown)
        return shown, f"read {shorten(text)} as {shown} (a spreadsheet had re-shown the date; to keep it, {fix})"
    try:
        span = parse_date(stripped)
    except DateError:
        return None, None
    return span, f"read {shorten(text)} as {span}"


# -- derived columns --------------------------------------------------------------------------------


def _shown_days(day: dt.date) -> set[str]:
    """How a spreadsheet may re-show a ``YYYY-MM-DD`` day cell: still the same day."""
    m, d, y, yy, mon = day.month, day.day, day.year, day.year % 100, AP_MONTHS[day.month - 1][:3]
    return {
        form.casefold()
        for form in (
            *(f"{a}/{b}/{year}" for a, b in ((m, d), (d, m)) for year in (y, f"{yy:02}")),
            *(f"{a:02}/{b:02}/{year}" for a, b in ((m, d), (d, m)) for year in (y, f"{yy:02}")),
            f"{y}/{m:02}/{d:02}",
            *(f"{day_text}-{mon}-{year}" for day_text in (str(d), f"{d:02}") for year in (y, f"{yy:02}")),
        )
    }


def _shown_months(year: int, month: int) -> set[str]:
    """How a spreadsheet may re-show a month ("May 2024", ``2024-05``) as a month."""
    mon = AP_MONTHS[month - 1][:3]
    return {form.casefold() for form in (f"{mon}-{year % 100:02}", f"{mon}-{year}", f"{month:02}/{year}")}


def _also_matching(column: str, span: DateSpan, expected: str) -> set[str]:
    """Texts besides ``expected`` that still match: the same date as a spreadsheet re-showed it."""
    if column in ("first_day", "last_day") and expected:
        return _shown_days(dt.date.fromisoformat(expected))
    if column == "display_date" and not span.is_range and not span.is_set and span.qualifier is Qualifier.NONE:
        first, last = written_bounds(span)
        if span.precision is Precision.DAY and first is not None:
            return _shown_days(first)
        if span.precision is Precision.MONTH and first is not None and last is not None and first.month == last.month:
            # A spreadsheet reads "May 2024" as the day 2024-05-01 and may show it so (05/01/24).
            return _shown_months(first.year, first.month) | _shown_days(first)
    return set()


def derived_problems(
    cells: Mapping[str, str],
    span: DateSpan,
    origin: str,
    record: str,
    *,
    line: int | None = None,
    row: int | None = None,
) -> list[Problem]:
    """A problem for each non-empty derived cell that ``span`` (the row's date) does not give.

    Case and runs of spaces do not count, nor a day a spreadsheet re-showed
    (``4/25/2019`` for ``2019-04-25``); an empty cell always matches.
    """
    problems = []
    for column, expected in derived_cells(span).items():
        cell = " ".join(cells.get(column, "").split()).casefold()
        if not cell or cell == expected.casefold() or cell in _also_matching(column, span, expected):
            continue
        gives = repr(expected) if expected else "an empty cell"
        message = (
            f"{shorten(cells[column])} does not match the date {str(span)!r}, which gives {gives}; "
            "this column is derived from date: edit date, and clear or fix this cell"
        )
        problems.append(Problem(origin, record, column, message, line=line, row=row))
    return problems


# -- one row ----------------------------------------------------------------------------------------


def _note(origin: str, record: str, field: str, message: str, line: int | None, row: int | None) -> Problem:
    return Problem(origin, record, field, message, line=line, row=row)


def event_from_cells(
    cells: Mapping[str, str],
    origin: str,
    record: str,
    *,
    line: int | None = None,
    row: int | None = None,
    notes: list[Problem] | None = None,
) -> tuple[Event | None, list[Problem]]:
    """One event from a row's cells, or every problem with it, each carrying the row's ``line`` or ``row``.

    ``category`` and ``status`` are read in any case, with surrounding spaces;
    ``date`` as :func:`read_date` reads it, each normalisation appended to
    ``notes`` (when given); the derived columns present must match it
    (:func:`derived_problems`).
    """
    cells = dict(cells)
    for column in ("category", "status"):
        if column in cells:
            cells[column] = cells[column].strip().lower()
    try:
        span, normalised = read_date(cells.get("date", ""))
    except FieldError as error:
        return None, [_note(origin, record, error.field, error.message, line, row)]
    problems: list[Problem] = []
    if span is not None:
        if normalised is not None:
            cells["date"] = str(span)
            if notes is not None:
                notes.append(_note(origin, record, "date", normalised, line, row))
        problems = derived_problems(cells, span, origin, record, line=line, row=row)
    try:
        data = cells_to_data(cells)
    except FieldError as error:
        return None, [*problems, _note(origin, record, error.field, error.message, line, row)]
    event, event_problems = structure_event(data, origin, record)
    problems.extend(_placed(event_problems, line, row))
    return (None if problems else event), problems


def _header_problem(origin: str, record: str, message: str, line: int | None, row: int | None) -> DatasetError:
    return DatasetError([Problem(origin, record, "", f"bad header: {message}", line=line, row=row)])


def check_header(
    header: Sequence[str],
    known: Iterable[str],
    origin: str,
    record: str,
    hint: str = "",
    *,
    line: int | None = None,
    row: int | None = None,
) -> list[Problem]:
    """The notes for columns not in ``known``, which reading ignores; DatasetError for a header it cannot read.

    That is one wider than :data:`MAX_COLUMNS`, one missing a column of
    :data:`COLUMNS` (those of :data:`OPTIONAL_COLUMNS` may be missing), or one
    naming a known column twice. Linear in the header's width.
    """
    if len(header) > MAX_COLUMNS:
        message = f"{len(header)} columns, more than the {MAX_COLUMNS} a file may have; delete the columns you added"
        raise _header_problem(origin, record, message, line, row)
    allowed, at = set(known), (line, row)
    counts = Counter(header)
    extra = [column for column in counts if column not in allowed]
    missing = [column for column in COLUMNS if column not in counts and column not in OPTIONAL_COLUMNS]
    duplicated = sorted(column for column, count in counts.items() if count > 1 and column in allowed)
    if missing or duplicated:
        parts = (
            missing and f"missing columns {missing}",
            missing and extra and f"columns it does not know: {', '.join(map(shorten, extra[:5]))} (a typo?)",
            duplicated and f"columns named twice {duplicated}",
        )
        raise _header_problem(origin, record, hint or "; ".join(part for part in parts if part), line, row)
    return [
        _note(origin, record, shorten(column), f"extra column {shorten(column)} is not read, its cells ignored", *at)
        for column in extra
    ]
