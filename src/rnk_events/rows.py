"""Flat rows: one event as a row of text cells, the layout CSV, the workbook and the data package share.

Lists are joined with ``|``; the parts of a place (``name;country;lat;lon``)
and of a source reference (``source;evidence``) with ``;``. A literal ``\\``,
``|`` or ``;`` inside a value is escaped with a backslash. ``display_date``,
``first_day``, ``last_day`` and ``precision`` (:data:`DERIVED_COLUMNS`) are
derived from ``date`` for people sorting in a spreadsheet; reading ignores them.

Cells here are the data's own text. Keeping a spreadsheet from running a cell
as a formula is each file's job, done the way that file can undo it (a
leading ``'`` in CSV, a text cell in the workbook), so no guard is added here
for another layer to take off again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from rnk_events.errors import DatasetError, FieldError, Problem
from rnk_events.model import Event
from rnk_events.serialize import structure_event

__all__ = [
    "COLUMNS",
    "DERIVED_COLUMNS",
    "HEADER",
    "LIST_SEPARATOR",
    "PART_SEPARATOR",
    "cells_to_data",
    "check_header",
    "event_cells",
    "event_from_cells",
]

COLUMNS = (
    "id", "date", "title", "summary", "category", "status",
    "actors", "people", "places", "sources", "note",
)  # fmt: skip
"""The columns an event is read back from, in the order of its fields."""
DERIVED_COLUMNS = ("display_date", "first_day", "last_day", "precision")
"""Columns derived from ``date``: written for sorting and filtering, ignored when read."""
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


def event_cells(event: Event) -> dict[str, str]:
    """The event as flat text cells, one per column of :data:`HEADER`, in that order."""
    span = event.date
    return {
        "id": event.id,
        "date": str(span),
        "display_date": span.display(),
        "first_day": span.first_day.isoformat(),
        "last_day": span.last_day.isoformat(),
        "precision": span.precision.value,
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
    }


def _coordinate(text: str) -> float | None:
    if text == "":
        return None
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"{text!r} is not a number")
    return float(text)


def _place(parts: list[str]) -> dict[str, Any]:
    if len(parts) != 4:
        raise ValueError(f"expected name;country;lat;lon, got {PART_SEPARATOR.join(parts)!r}")
    name, country, lat, lon = parts
    return {"name": name, "country": country or None, "lat": _coordinate(lat), "lon": _coordinate(lon)}


def _source(parts: list[str]) -> dict[str, str]:
    if len(parts) != 2:
        raise ValueError(f"expected source;evidence, got {PART_SEPARATOR.join(parts)!r}")
    return {"source": parts[0], "evidence": parts[1]}


def cells_to_data(cells: Mapping[str, str]) -> dict[str, Any]:
    """The JSON-shaped event of a row's cells; a cell that cannot be split is a FieldError naming its column.

    Only :data:`COLUMNS` are read; every one of them must be present.
    """
    data: dict[str, Any] = {column: cells[column] for column in COLUMNS}
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
    """DatasetError when a column of :data:`COLUMNS` is missing, or one not in ``known`` or named twice is present."""
    allowed = set(known)
    missing = [column for column in COLUMNS if column not in header]
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
