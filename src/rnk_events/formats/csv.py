"""CSV: one row per event in flat columns, UTF-8, RFC 4180 quoting, CRLF rows.

Lists are joined with ``|``; the parts of a place (``name;country;lat;lon``)
and of a source reference (``source;evidence``) with ``;``. A literal ``\\``,
``|`` or ``;`` inside a value is escaped with a backslash. A cell that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) is written with a leading ``'``, as is a cell that
already starts with ``'``; reading strips exactly one leading ``'``.

``display_date``, ``first_day``, ``last_day`` and ``precision`` are derived
from ``date`` for people sorting in a spreadsheet; reading ignores them.
The CSV carries events only: dataset metadata and sources live in JSON.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePath
from typing import IO, Any

from rnk_events.collection import EventCollection
from rnk_events.errors import DatasetError, Problem
from rnk_events.formats._checks import finish_read
from rnk_events.ids import slug
from rnk_events.model import DatasetInfo, Event
from rnk_events.serialize import structure_event

__all__ = [
    "COLUMNS",
    "DERIVED_COLUMNS",
    "HEADER",
    "check_header",
    "event_from_cells",
    "event_row",
    "neutralise",
    "read",
    "restore",
    "row_to_data",
    "write",
]

COLUMNS = (
    "id", "date", "title", "summary", "category", "status",
    "actors", "people", "places", "sources", "note",
)  # fmt: skip
DERIVED_COLUMNS = ("display_date", "first_day", "last_day", "precision")
LIST_SEPARATOR = "|"
PART_SEPARATOR = ";"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def neutralise(cell: str) -> str:
    """Make a cell inert in a spreadsheet; :func:`restore` undoes it exactly."""
    return "'" + cell if cell.startswith((*FORMULA_TRIGGERS, "'")) else cell


def restore(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


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


def _join(items: list[list[str]]) -> str:
    return LIST_SEPARATOR.join(PART_SEPARATOR.join(_escape(part) for part in item) for item in items)


def _items(cell: str) -> list[list[str]]:
    if cell == "":
        return []
    return [[_unescape(part) for part in _split(item, PART_SEPARATOR)] for item in _split(cell, LIST_SEPARATOR)]


def _number(value: float | None) -> str:
    return "" if value is None else repr(value)


def event_row(event: Event) -> dict[str, str]:
    """The event as CSV cells (before formula neutralisation)."""
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
        "actors": _join([[actor] for actor in event.actors]),
        "people": _join([[person] for person in event.people]),
        "places": _join([[p.name, p.country or "", _number(p.lat), _number(p.lon)] for p in event.places]),
        "sources": _join([[ref.source, ref.evidence] for ref in event.sources]),
        "note": event.note,
    }


HEADER = ("id", "date", *DERIVED_COLUMNS, *COLUMNS[2:])


def write(events: EventCollection, stream: IO[bytes], **options: Any) -> None:
    if options:
        raise TypeError(f"csv export takes no options, got {sorted(options)}")
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=HEADER, lineterminator="\r\n")
    writer.writeheader()
    for event in events:
        writer.writerow({key: neutralise(value) for key, value in event_row(event).items()})
    stream.write(text.getvalue().encode("utf-8"))


def _place(parts: list[str]) -> dict[str, Any]:
    if len(parts) != 4:
        raise ValueError(f"expected name;country;lat;lon, got {PART_SEPARATOR.join(parts)!r}")
    name, country, lat, lon = parts

    def number(text: str) -> float | None:
        if text == "":
            return None
        if not _NUMBER.fullmatch(text):  # float() would also take "1_0", " 1 " and other digits
            raise ValueError(f"{text!r} is not a number")
        return float(text)

    return {"name": name, "country": country or None, "lat": number(lat), "lon": number(lon)}


def _source(parts: list[str]) -> dict[str, str]:
    if len(parts) != 2:
        raise ValueError(f"expected source;evidence, got {PART_SEPARATOR.join(parts)!r}")
    return {"source": parts[0], "evidence": parts[1]}


def row_to_data(row: dict[str, str]) -> dict[str, Any]:
    """Turn CSV cells back into the JSON-shaped event; ValueError names the column."""
    cells = {key: restore(value) for key, value in row.items() if key in COLUMNS}
    data: dict[str, Any] = dict(cells)
    for column in ("actors", "people"):
        data[column] = [item[0] if len(item) == 1 else PART_SEPARATOR.join(item) for item in _items(cells[column])]
    for column, build in (("places", _place), ("sources", _source)):
        try:
            data[column] = [build(item) for item in _items(cells[column])]
        except ValueError as error:
            raise ValueError(f"{column}: {error}") from None
    return data


def stream_line(data: bytes, offset: int) -> int:
    """The 1-based line of a byte offset, for errors found before the text is decoded."""
    return data.count(b"\n", 0, offset) + 1


def check_header(header: Sequence[str], known: Iterable[str], origin: str, record: str, hint: str = "") -> None:
    """Raise DatasetError when required columns are missing or unknown ones are present."""
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
        raise DatasetError([Problem(origin, record, "", f"bad header: {message}")])


def event_from_cells(cells: dict[str, str], origin: str, label: str) -> tuple[Event | None, list[Problem]]:
    """One event from flat (formula-guarded) cells, or every problem with it."""
    try:
        data = row_to_data(cells)
    except ValueError as error:
        field, _, message = str(error).partition(": ")
        return None, [Problem(origin, label, field, message)]
    return structure_event(data, origin, label)


@contextlib.contextmanager
def _no_field_limit() -> Iterator[None]:
    """Lift the csv module's 128 KiB cell limit while reading: the writer puts no limit on cells."""
    previous = csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _records(text: str, origin: str) -> list[tuple[int, list[str]]]:
    """Every record with the line it starts on; a CSV syntax error names that line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records, start = [], 1
    with _no_field_limit():
        try:
            for cells in reader:
                records.append((start, cells))
                start = reader.line_num + 1
        except csv.Error as error:
            raise DatasetError([Problem(origin, f"line {start}", "", f"not valid CSV: {error}")]) from None
    return records


def _rows(stream: IO[bytes], origin: str) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        text = stream.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = stream_line(error.object, error.start)
        message = "not UTF-8 text (in a spreadsheet, save as 'CSV UTF-8')"
        raise DatasetError([Problem(origin, f"line {line} (byte {error.start})", "", message)]) from None
    records = _records(text, origin)
    header = records[0][1] if records else []
    hint = ""
    if len(header) == 1 and ";" in header[0]:
        hint = "the file looks semicolon-separated; save it as comma-separated CSV (UTF-8)"
    check_header(header, HEADER, origin, "line 1", hint)
    for line, cells in records[1:]:
        if len(cells) != len(header):
            message = f"{len(cells)} cells where the header has {len(header)}"
            raise DatasetError([Problem(origin, f"line {line}", "", message)])
        yield line, dict(zip(header, cells, strict=True))


def read(stream: IO[bytes], origin: str) -> EventCollection:
    """Read events from CSV; DatasetError lists every problem (file, line, field)."""
    problems: list[Problem] = []
    events: list[tuple[str, Event]] = []
    for line, row in _rows(stream, origin):
        label = f"line {line}" + (f" (id {row['id']!r})" if row.get("id") else "")
        event, event_problems = event_from_cells(row, origin, label)
        problems.extend(event_problems)
        if event is not None:
            events.append((label, event))
    return finish_read(events, info_for_file(origin), origin, problems)


def info_for_file(origin: str) -> DatasetInfo:
    """Metadata for a file that carries none: named after the file, no sources, no as-of date."""
    stem = PurePath(origin).name.split(".")[0].strip()
    return DatasetInfo(name=slug(stem, "events"), title=stem or "Events")
