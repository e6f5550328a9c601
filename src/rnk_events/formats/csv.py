"""CSV: one row per event in flat columns, UTF-8 with a byte-order mark, RFC 4180 quoting, CRLF rows.

The columns and how lists are joined are the flat rows of :mod:`rnk_events.rows`.
``date`` is the canonical EDTF text, the one column a date is read back from;
``display_date``, ``first_day``, ``last_day``, ``is_range``, ``precision`` and
``qualifier`` are derived from it for people sorting and filtering in a
spreadsheet; reading checks that a non-empty one agrees with ``date``
(:func:`rnk_events.rows.derived_problems`). ``first_day`` and ``last_day`` are
``YYYY-MM-DD``, empty for an open or unknown end; ``is_range`` is ``true`` or
``false``; ``qualifier`` is ``uncertain``, ``approximate``,
``uncertain and approximate`` or empty.

A cell that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return) is written with a leading ``'``, as is
a cell that already starts with ``'``; reading strips a leading ``'`` only
where it stands before one of those, so a hand-made ``'Friendly' visit``
reads unchanged. That guard belongs to the CSV file, which is what a spreadsheet opens;
the data package's CSV files share it (:func:`neutralise`, :func:`restore`).
The CSV carries events only: dataset metadata and sources live in JSON.

The byte-order mark (option ``bom``, on by default) is what makes Excel open
the file as UTF-8 on a double-click; the data package's tables go without it.
Reading skips one, takes extra columns with a note each, and reads a
TimelineJS template sheet (Knight Lab's header) through
:mod:`rnk_events.formats.knightlab`.
"""

from __future__ import annotations

import contextlib
import csv
import importlib
import io
import operator
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import PurePath
from types import ModuleType
from typing import IO

from rnk_events import rows
from rnk_events.collection import EventCollection
from rnk_events.errors import DatasetError, OptionError, Problem, shorten
from rnk_events.formats._checks import Where, finish_read
from rnk_events.ids import slug
from rnk_events.model import DatasetInfo, Event
from rnk_events.rows import COLUMNS, DERIVED_COLUMNS, HEADER

__all__ = [
    "COLUMNS",
    "DERIVED_COLUMNS",
    "FORMULA_TRIGGERS",
    "FREE_TEXT_COLUMNS",
    "HEADER",
    "QUOTABLE_COLUMNS",
    "csv_line",
    "encode_table",
    "export_text",
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


_GUARDED = (*FORMULA_TRIGGERS, "'")


def restore(cell: str) -> str:
    """Undo :func:`neutralise`: strip a leading ``'`` only where it guards a trigger or another ``'``.

    So ``restore(neutralise(cell)) == cell`` for every cell, and a hand-typed
    ``'Friendly' visit`` keeps its apostrophe.
    """
    return cell[1:] if cell.startswith("'") and cell.startswith(_GUARDED, 1) else cell


def encode_table(
    header: Sequence[str],
    table_rows: Iterable[Sequence[str]],
    *,
    bom: bool = False,
    may_trigger: Sequence[str] | None = None,
) -> bytes:
    """A CSV file as UTF-8 bytes: the header as it is, then every row's cells formula-guarded.

    The definition of a guarded CSV table, for the data package's tables (the
    export's :func:`export_text` writes the same bytes in one pass per row, and
    a property test holds the two equal); ``bom`` puts a UTF-8 byte-order mark
    first (the export's default, for Excel; the data package's tables go without). ``may_trigger``
    names the only columns whose cells can start with a trigger (the others
    are ids, dates, words and numbers); every column is checked when it is None.
    """
    checked = range(len(header)) if may_trigger is None else [header.index(column) for column in may_trigger]
    lines = [("\ufeff" if bom else "") + csv_line(header)]
    lines += [csv_line(cells) for cells in _guarded(table_rows, checked)]
    lines.append("")  # the last row's CRLF
    return "\r\n".join(lines).encode("utf-8")


def csv_line(cells: Sequence[str]) -> str:
    """One record as :func:`csv.writer` writes it (RFC 4180, minimal quoting, no line terminator).

    A cell holding a comma, a double quote, CR or LF is quoted, its quotes
    doubled; a record of one empty cell is ``""``, so it is not a blank line.
    The export's own writer because the stdlib's costs twice as much per row:
    each test of a cell here is one ``in`` scan in C. ``tests/test_csv_speed_paths.py``
    holds it to :func:`csv.writer` for any cells.
    """
    if len(cells) == 1 and cells[0] == "":
        return '""'
    return ",".join(
        [
            ('"' + cell.replace('"', '""') + '"')
            if ("," in cell or '"' in cell or "\n" in cell or "\r" in cell)
            else cell
            for cell in cells
        ]
    )


def _guarded(table_rows: Iterable[Sequence[str]], checked: Sequence[int]) -> Iterator[Sequence[str]]:
    """Each row with :func:`neutralise` applied to the cells at ``checked``, copying only a row it changes.

    The checked cells are taken in one ``itemgetter`` call per row and the
    row is copied only when one of them starts with a trigger (rarely).
    """
    if not checked:
        yield from table_rows
        return
    first = checked[0]
    pick: Callable[[Sequence[str]], tuple[str, ...]] = (
        operator.itemgetter(*checked) if len(checked) > 1 else lambda cells: (cells[first],)
    )
    for cells in table_rows:
        for cell in pick(cells):
            if cell.startswith(_GUARDED):
                cells = list(cells)
                for index in checked:
                    if cells[index].startswith(_GUARDED):
                        cells[index] = "'" + cells[index]
                break
        yield cells


#: The export's columns whose cells are free text, so can start with a formula trigger.
FREE_TEXT_COLUMNS = ("title", "summary", "people", "places", "sources", "note")


def write(events: EventCollection, stream: IO[bytes], *, bom: bool = True) -> None:
    """Write a header and one row per event, every cell formula-guarded, as UTF-8; ``bom`` puts a BOM first."""
    if not isinstance(bom, bool):
        raise OptionError("bom", f"expected True or False, got {type(bom).__name__} {shorten(repr(bom))}")
    stream.write(export_text(rows.table_rows(events), bom=bom).encode("utf-8"))


#: The export's columns whose cells can hold a comma, a quote or a line break: the others are ids,
#: days, numbers, enum words and actor codes, which the model's validators keep free of them.
QUOTABLE_COLUMNS = ("date", "display_date", *FREE_TEXT_COLUMNS)


def export_text(table_rows: Iterable[list[str]], *, bom: bool) -> str:
    """The export's text: :func:`encode_table`'s, in one pass over each row's guarded or quotable cells.

    Each row (a fresh list from :func:`rnk_events.rows.table_rows`, changed in
    place) has only its :data:`QUOTABLE_COLUMNS` cells looked at: guarded when
    free text, then quoted as :func:`csv_line` quotes. ``tests/test_csv_speed_paths.py``
    holds it to ``encode_table`` and to :func:`csv.writer`.
    """
    checks = [(HEADER.index(column), column in FREE_TEXT_COLUMNS) for column in QUOTABLE_COLUMNS]
    lines = [("\ufeff" if bom else "") + csv_line(HEADER)]
    append = lines.append
    for cells in table_rows:
        for index, free in checks:
            cell = cells[index]
            if free and cell.startswith(_GUARDED):
                cell = cells[index] = "'" + cell
            if "," in cell or '"' in cell or "\n" in cell or "\r" in cell:
                cells[index] = '"' + cell.replace('"', '""') + '"'
        append(",".join(cells))
    append("")  # the last row's CRLF
    return "\r\n".join(lines)


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


def _decoded(stream: IO[bytes], origin: str) -> str:
    try:
        return stream.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = stream_line(error.object, error.start)
        message = "not UTF-8 text (in a spreadsheet, save as 'CSV UTF-8')"
        raise _problem(origin, line, message, f"line {line} (byte {error.start})") from None


def _knightlab() -> ModuleType:
    """The Knight Lab sheet reader, imported only when a CSV is read."""
    return importlib.import_module("rnk_events.formats.knightlab")


def read(stream: IO[bytes], origin: str) -> EventCollection:
    """Read events from CSV; DatasetError lists every problem (file, line, field).

    What reading changed or set aside (an extra column, a date read from
    natural text or from a spreadsheet's re-showing) is in the collection's
    ``notes``.
    """
    records = _records(_decoded(stream, origin), origin)
    header = records[0][1] if records else []
    template = _knightlab()
    if template.is_template_header(header):
        collection: EventCollection = template.read_table(header, records[1:], origin, unit="line")
        return collection
    hint = ""
    if len(header) == 1 and ";" in header[0]:
        hint = "the file looks semicolon-separated; save it as comma-separated CSV (UTF-8)"
    notes = rows.check_header(header, HEADER, origin, "line 1", hint, line=1)
    problems: list[Problem] = []
    events: list[tuple[str | Where, Event]] = []
    for line, record in records[1:]:
        if len(record) != len(header):
            raise _problem(origin, line, f"{len(record)} cells where the header has {len(header)}")
        cells = {column: restore(cell) for column, cell in zip(header, record, strict=True)}
        where = Where(f"line {line}" + (f" (id {shorten(cells['id'])})" if cells.get("id") else ""), line=line)
        event, event_problems = rows.event_from_cells(cells, origin, where.record, line=line, notes=notes)
        problems.extend(event_problems)
        if event is not None:
            events.append((where, event))
    return finish_read(events, info_for_file(origin), origin, problems, notes=notes)


def info_for_file(origin: str) -> DatasetInfo:
    """Metadata for a file that carries none: named after the file, no sources, no as-of date."""
    stem = PurePath(origin).name.split(".")[0].strip()
    return DatasetInfo(name=slug(stem, "events"), title=stem or "Events")
