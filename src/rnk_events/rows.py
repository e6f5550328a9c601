"""Flat rows: one event as a row of text cells, the layout CSV, the workbook and the data package share.

Lists are joined with ``|``; the parts of a place (``name;country;lat;lon``)
and of a source reference (``source;evidence``) with ``;``. A literal ``\\``,
``|`` or ``;`` inside a value is escaped with a backslash.

The columns of :data:`DERIVED_COLUMNS` are derived from ``date`` for people
sorting and filtering in a spreadsheet, and reading ignores them:

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

Cells here are the data's own text. Keeping a spreadsheet from running a cell
as a formula is each file's job, done the way that file can undo it (a
leading ``'`` in CSV, a text cell in the workbook), so no guard is added here
for another layer to take off again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from rnk_events.dates import DateSpan, End, Qualifier
from rnk_events.errors import DatasetError, FieldError, Problem, shorten
from rnk_events.model import Event
from rnk_events.serialize import structure_event

__all__ = [
    "BOOLEAN_TEXT",
    "COLUMNS",
    "DERIVED_COLUMNS",
    "HEADER",
    "LIST_SEPARATOR",
    "OPTIONAL_COLUMNS",
    "PART_SEPARATOR",
    "QUALIFIER_WORDS",
    "cells_to_data",
    "check_header",
    "event_cells",
    "event_from_cells",
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
"""Columns derived from ``date``: written for sorting and filtering, ignored when read."""
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
# float() would also take "1_0", " 1 ", "inf" and digits of other scripts.
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def _escape(text: str) -> str:
    return re.sub(r"([\\|;])", r"\\\1", text)


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


def _join(items: Iterable[Sequence[str]]) -> str:
    return LIST_SEPARATOR.join(PART_SEPARATOR.join(_escape(part) for part in item) for item in items)


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


def event_cells(event: Event) -> dict[str, str]:
    """The event as flat text cells, one per column of :data:`HEADER`, in that order."""
    span = event.date
    first, last = written_bounds(span)
    return {
        "id": event.id,
        "date": str(span),
        "display_date": span.display(),
        "first_day": _day_text(first),
        "last_day": _day_text(last),
        "is_range": BOOLEAN_TEXT[span.is_range],
        "precision": span.precision.value,
        "qualifier": QUALIFIER_WORDS[span.qualifier],
        "title": event.title,
        "summary": event.summary,
        "category": event.category.value,
        "status": event.status.value,
        "actors": _join([actor] for actor in event.actors),
        "people": _join([person] for person in event.people),
        "places": _join(
            [place.name, place.country or "", _number_text(place.lat), _number_text(place.lon)]
            for place in event.places
        ),
        "sources": _join([ref.source, ref.evidence] for ref in event.sources),
        "note": event.note,
        "revision": str(event.revision),
        "revised": _day_text(event.revised),
    }


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


def event_from_cells(
    cells: Mapping[str, str], origin: str, record: str, *, line: int | None = None, row: int | None = None
) -> tuple[Event | None, list[Problem]]:
    """One event from a row's cells, or every problem with it, each carrying the row's ``line`` or ``row``."""
    try:
        data = cells_to_data(cells)
    except FieldError as error:
        return None, [Problem(origin, record, error.field, error.message, line=line, row=row)]
    event, problems = structure_event(data, origin, record)
    return event, _placed(problems, line, row)


def check_header(
    header: Sequence[str],
    known: Iterable[str],
    origin: str,
    record: str,
    hint: str = "",
    *,
    line: int | None = None,
    row: int | None = None,
) -> None:
    """DatasetError when a column of :data:`COLUMNS` is missing, or one not in ``known`` or named twice is present.

    The columns of :data:`OPTIONAL_COLUMNS` may be missing.
    """
    allowed = set(known)
    missing = [column for column in COLUMNS if column not in header and column not in OPTIONAL_COLUMNS]
    unknown = [column for column in header if column not in allowed]
    duplicated = sorted({column for column in header if list(header).count(column) > 1})
    if missing or unknown or duplicated:
        parts = (
            missing and f"missing columns {missing}",
            unknown and f"unknown columns {unknown}",
            duplicated and f"columns named twice {duplicated}",
        )
        message = hint or "; ".join(part for part in parts if part)
        raise DatasetError([Problem(origin, record, "", f"bad header: {message}", line=line, row=row)])
