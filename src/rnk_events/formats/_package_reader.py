"""Reading a data package back (zip or folder): the work behind ``datapackage.read`` and ``read_directory``.

The events go through the CSV reader (so their cells are checked by
:mod:`rnk_events.rows` exactly as a CSV export's are); ``sources.csv`` and
``withdrawn.csv`` become the dataset's sources and withdrawals, and the
descriptor gives its name, title, version and as-of date. A package written
before ``withdrawn.csv`` existed has no withdrawals. Every problem names the
member file (``timeline.datapackage.zip/sources.csv``), its line and column.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from rnk_events.collection import EventCollection
from rnk_events.dates import DateSpan
from rnk_events.errors import DatasetError, FieldError, Problem, shorten
from rnk_events.formats import csv as csv_format
from rnk_events.formats._checks import Where, base_info, checked_against, finish_read
from rnk_events.formats.datapackage import DESCRIPTOR, SOURCE_COLUMNS, WITHDRAWN_COLUMNS
from rnk_events.model import DatasetInfo, Source, Withdrawal, to_day

__all__ = ["MAX_MEMBER_BYTES", "read_folder", "read_zip"]

#: The largest member a package may unpack to; a zip bomb is refused before it is inflated.
MAX_MEMBER_BYTES = 256 * 1024 * 1024

_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")

#: Reads one member's bytes by name, or None when the package has no such member.
MemberReader = Callable[[str], bytes | None]


def _problem(origin: str, message: str, record: str = "", field: str = "", line: int | None = None) -> Problem:
    return Problem(origin, record, field, message, line=line)


def _descriptor(data: bytes | None, origin: str) -> dict[str, Any]:
    if data is None:
        raise DatasetError([_problem(origin, f"no {DESCRIPTOR}: this is not a data package")])
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise DatasetError([_problem(f"{origin}/{DESCRIPTOR}", f"not a JSON document: {error}")]) from None
    if not isinstance(document, dict):
        raise DatasetError([_problem(f"{origin}/{DESCRIPTOR}", "expected a JSON object")])
    return document


def _text(document: Mapping[str, Any], key: str, default: str) -> str:
    value = document.get(key, default)
    return value if isinstance(value, str) and value.strip() else default


def _edited_notes(document: Mapping[str, Any], members: Mapping[str, bytes | None], origin: str) -> list[Problem]:
    """A note for each table whose bytes no longer match the descriptor's hash (edited since export)."""
    notes = []
    resources = document.get("resources")
    for resource in resources if isinstance(resources, list) else []:
        if not isinstance(resource, dict) or not isinstance(resource.get("hash"), str):
            continue
        path, recorded = resource.get("path"), resource["hash"].removeprefix("sha256:")
        data = members.get(path) if isinstance(path, str) else None
        if data is not None and hashlib.sha256(data).hexdigest() != recorded:
            message = (
                f"{path} was edited after the package was written (its SHA-256 no longer matches {DESCRIPTOR}); "
                "read as it is now, but re-export before publishing, since frictionless will fail it"
            )
            notes.append(_problem(f"{origin}/{path}", message))
    return notes


def _table(data: bytes, origin: str, columns: Sequence[str]) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """The rows of a side table, each with its line and its cells restored; or the problem with its shape."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [_problem(origin, f"not UTF-8 text (byte {error.start})")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        return [], [_problem(origin, f"not valid CSV: {error}", f"line {start}", line=start)]
    header = records[0][1] if records else []
    if list(header) != list(columns):
        message = f"bad header: expected the columns {list(columns)}, got {[shorten(cell) for cell in header[:20]]}"
        return [], [_problem(origin, message, "line 1", line=1)]
    rows, problems = [], []
    for line, cells in records[1:]:
        if len(cells) != len(columns):
            problems.append(_problem(origin, f"{len(cells)} cells where the header has {len(columns)}", line=line))
            continue
        rows.append((line, {column: csv_format.restore(cell) for column, cell in zip(columns, cells, strict=True)}))
    return rows, problems


def _record(origin: str, line: int, cells: Mapping[str, str]) -> str:
    return f"line {line}" + (f" (id {shorten(cells['id'])})" if cells.get("id") else "")


def _build(
    kind: type[Any], origin: str, line: int, cells: Mapping[str, str], values: dict[str, Any]
) -> tuple[Any, list[Problem]]:
    """``kind(**values)``, or the problem naming the column that made it fail."""
    record = _record(origin, line, cells)
    try:
        return kind(**values), []
    except FieldError as error:
        return None, [_problem(origin, error.message, record, error.field, line)]
    except (ValueError, TypeError) as error:
        return None, [_problem(origin, str(error), record, "", line)]


def _converted(
    origin: str, line: int, cells: Mapping[str, str], column: str, convert: Callable[[str], Any]
) -> tuple[Any, list[Problem]]:
    try:
        return convert(cells[column]), []
    except ValueError as error:
        return None, [_problem(origin, str(error), _record(origin, line, cells), column, line)]


def _whole_number(text: str) -> int:
    if not _WHOLE_NUMBER.fullmatch(text):
        raise ValueError(f"{shorten(text)} is not a whole number, 0 or more")
    return int(text)


def _sources(data: bytes | None, origin: str) -> tuple[list[Source], list[Problem]]:
    if data is None:
        return [], []
    rows, problems = _table(data, origin, SOURCE_COLUMNS)
    sources = []
    for line, cells in rows:
        published, found = _converted(origin, line, cells, "published", to_day)
        problems.extend(found)
        if found:
            continue
        values = {**cells, "published": published, "url": cells["url"] or None, "file": cells["file"] or None}
        source, found = _build(Source, origin, line, cells, values)
        problems.extend(found)
        if source is not None:
            sources.append(source)
    return sources, problems


def _withdrawals(data: bytes | None, origin: str) -> tuple[list[Withdrawal], list[Problem]]:
    if data is None:  # written before withdrawn.csv existed
        return [], []
    rows, problems = _table(data, origin, WITHDRAWN_COLUMNS)
    withdrawals = []
    for line, cells in rows:
        withdrawn, day_problems = _converted(origin, line, cells, "withdrawn", to_day)
        date, date_problems = _converted(origin, line, cells, "date", DateSpan.parse)
        revision, number_problems = _converted(origin, line, cells, "revision", _whole_number)
        found = [*day_problems, *date_problems, *number_problems]
        problems.extend(found)
        if found:
            continue
        values = {
            **cells,
            "withdrawn": withdrawn,
            "date": date,
            "revision": revision,
            "replaced_by": cells["replaced_by"] or None,
        }
        withdrawal, found = _build(Withdrawal, origin, line, cells, values)
        problems.extend(found)
        if withdrawal is not None:
            withdrawals.append(withdrawal)
    return withdrawals, problems


def _package(read_member: MemberReader, origin: str) -> EventCollection:
    """The collection a package's members make, or DatasetError with every problem in any member."""
    document = _descriptor(read_member(DESCRIPTOR), origin)
    members = {name: read_member(name) for name in ("events.csv", "sources.csv", "withdrawn.csv")}
    problems: list[Problem] = []
    sources, found = _sources(members["sources.csv"], f"{origin}/sources.csv")
    problems.extend(found)
    withdrawals, found = _withdrawals(members["withdrawn.csv"], f"{origin}/withdrawn.csv")
    problems.extend(found)
    info: DatasetInfo | None = None
    try:
        info = DatasetInfo(
            name=_text(document, "dataset", _text(document, "name", "events")),
            title=_text(document, "title", "Events"),
            version=_text(document, "version", "0"),
            as_of=document.get("as_of") or None,
            sources=sources,
            withdrawn=withdrawals,
        )
    except FieldError as error:
        problems.append(_problem(f"{origin}/{DESCRIPTOR}", error.message, "dataset", error.field))
    except ValueError as error:
        problems.append(_problem(f"{origin}/{DESCRIPTOR}", str(error), "dataset", "as_of"))
    events_origin = f"{origin}/events.csv"
    events: EventCollection | None = None
    events_data = members["events.csv"]
    if events_data is None:
        problems.append(_problem(origin, "no events.csv: the package has no events table"))
    else:
        # Checked against the package's own sources and withdrawals as the table is read, so a
        # citation problem names its line (a base given to load takes their place, as everywhere).
        try:
            with checked_against(base_info() or info):
                events = csv_format.read(io.BytesIO(events_data), events_origin)
        except DatasetError as error:
            problems.extend(error.problems)
    if problems or events is None or info is None:
        raise DatasetError(problems)
    labelled: list[tuple[str | Where, Any]] = [(Where(f"id {shorten(event.id)}"), event) for event in events]
    notes = [*events.notes, *_edited_notes(document, members, origin)]
    return finish_read(labelled, info, events_origin, [], notes=notes)


def read_zip(stream: IO[bytes], origin: str) -> EventCollection:
    """A zipped package; members over :data:`MAX_MEMBER_BYTES` unpacked are refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(stream.read()))
    except (zipfile.BadZipFile, ValueError) as error:
        raise DatasetError([_problem(origin, f"not a zip file ({error})")]) from None
    with archive:
        names = set(archive.namelist())

        def read_member(name: str) -> bytes | None:
            if name not in names:
                return None
            entry = archive.getinfo(name)
            if entry.file_size > MAX_MEMBER_BYTES:
                message = f"{entry.file_size:,} bytes unpacked, over the limit of {MAX_MEMBER_BYTES:,}"
                raise DatasetError([_problem(f"{origin}/{name}", message)])
            try:
                with archive.open(entry) as member:
                    data = member.read(MAX_MEMBER_BYTES + 1)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
                raise DatasetError([_problem(f"{origin}/{name}", f"cannot be unpacked: {error}")]) from None
            if len(data) > MAX_MEMBER_BYTES:
                raise DatasetError([_problem(f"{origin}/{name}", f"over the limit of {MAX_MEMBER_BYTES:,} bytes")])
            return data

        return _package(read_member, origin)


def read_folder(path: Path) -> EventCollection:
    """A folder holding ``datapackage.json``, or the descriptor's own path; problems name the files."""
    folder = path.parent if path.name == DESCRIPTOR and not path.is_dir() else path

    def read_member(name: str) -> bytes | None:
        member = folder / name
        if not member.is_file():
            return None
        try:
            return member.read_bytes()
        except OSError as error:
            raise DatasetError([_problem(str(member), error.strerror or str(error))]) from None

    return _package(read_member, str(folder))
