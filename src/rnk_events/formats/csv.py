"""CSV: one row per event in flat columns, UTF-8, RFC 4180 quoting, CRLF rows.

The columns and how lists are joined are the flat rows of :mod:`rnk_events.rows`.
``date`` is the canonical EDTF text, the one column a date is read back from;
``display_date``, ``first_day``, ``last_day``, ``is_range``, ``precision`` and
``qualifier`` are derived from it for people sorting and filtering in a
spreadsheet, and reading ignores them. ``first_day`` and ``last_day`` are
``YYYY-MM-DD``, empty for an open or unknown end; ``is_range`` is ``true`` or
``false``; ``qualifier`` is ``uncertain``, ``approximate``,
``uncertain and approximate`` or empty.

A cell that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return) is written with a leading ``'``, as is
a cell that already starts with ``'``; reading strips exactly one leading
``'``. That guard belongs to the CSV file, which is what a spreadsheet opens;
the data package's CSV files share it (:func:`neutralise`, :func:`restore`).
The CSV carries events only: dataset metadata and sources live in JSON.
"""

from __future__ import annotations

import contextlib
import csv
import io
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePath
from typing import IO, Any

from rnk_events import rows
from rnk_events.collection import EventCollection
from rnk_events.errors import DatasetError, Problem, shorten
from rnk_events.formats._checks import Where, finish_read
from rnk_events.ids import slug
from rnk_events.model import DatasetInfo, Event
from rnk_events.rows import COLUMNS, DERIVED_COLUMNS, HEADER

__all__ = [
    "COLUMNS",
    "DERIVED_COLUMNS",
    "FORMULA_TRIGGERS",
    "HEADER",
    "encode_table",
    "info_for_file",
    "neutralise",
    "read",
    "restore",
    "write",
]

#: What a spreadsheet runs as a formula when a cell starts with it.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Make a cell inert in a spreadsheet; :func:`restore` undoes it exactly."""
    return "'" + cell if cell.startswith((*FORMULA_TRIGGERS, "'")) else cell


def restore(cell: str) -> str:
    """Undo :func:`neutralise`: strip exactly one leading ``'``."""
    return cell[1:] if cell.startswith("'") else cell


def encode_table(header: Sequence[str], table_rows: Iterable[Iterable[str]]) -> bytes:
    """A CSV file as UTF-8 bytes: the header as it is, then every row's cells formula-guarded.

    The one place CSV cells are guarded, for the export and the data package's tables alike.
    """
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in cells] for cells in table_rows)
    return text.getvalue().encode("utf-8")


def write(events: EventCollection, stream: IO[bytes], **options: Any) -> None:
    """Write a header and one row per event, every cell formula-guarded, as UTF-8."""
    if options:
        raise TypeError(f"csv export takes no options, got {sorted(options)}")
    table_rows = ([cells[column] for column in HEADER] for cells in map(rows.event_cells, events))
    stream.write(encode_table(HEADER, table_rows))


def stream_line(data: bytes, offset: int) -> int:
    """The 1-based line of a byte offset, for errors found before the text is decoded."""
    return data.count(b"\n", 0, offset) + 1


def _problem(origin: str, line: int, message: str, record: str = "") -> DatasetError:
    return DatasetError([Problem(origin, record or f"line {line}", "", message, line=line)])


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
            raise _problem(origin, start, f"not valid CSV: {error}") from None
    return records


def _rows(stream: IO[bytes], origin: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Each record after the header, with the line it starts on, its cells restored by column."""
    try:
        text = stream.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = stream_line(error.object, error.start)
        message = "not UTF-8 text (in a spreadsheet, save as 'CSV UTF-8')"
        raise _problem(origin, line, message, f"line {line} (byte {error.start})") from None
    records = _records(text, origin)
    header = records[0][1] if records else []
    hint = ""
    if len(header) == 1 and ";" in header[0]:
        hint = "the file looks semicolon-separated; save it as comma-separated CSV (UTF-8)"
    rows.check_header(header, HEADER, origin, "line 1", hint, line=1)
    for line, cells in records[1:]:
        if len(cells) != len(header):
            raise _problem(origin, line, f"{len(cells)} cells where the header has {len(header)}")
        yield line, {column: restore(cell) for column, cell in zip(header, cells, strict=True)}


def read(stream: IO[bytes], origin: str) -> EventCollection:
    """Read events from CSV; DatasetError lists every problem (file, line, field)."""
    problems: list[Problem] = []
    events: list[tuple[str | Where, Event]] = []
    for line, cells in _rows(stream, origin):
        where = Where(f"line {line}" + (f" (id {shorten(cells['id'])})" if cells.get("id") else ""), line=line)
        event, event_problems = rows.event_from_cells(cells, origin, where.record, line=line)
        problems.extend(event_problems)
        if event is not None:
            events.append((where, event))
    return finish_read(events, info_for_file(origin), origin, problems)


def info_for_file(origin: str) -> DatasetInfo:
    """Metadata for a file that carries none: named after the file, no sources, no as-of date."""
    stem = PurePath(origin).name.split(".")[0].strip()
    return DatasetInfo(name=slug(stem, "events"), title=stem or "Events")
