"""Frictionless Data Package: the CSV export, sources and withdrawals tables and a Table Schema; reads back.

A data package lets a newsroom check the files before trusting them:
``frictionless validate datapackage.json`` checks every cell against the
schema (types, required cells, enums, patterns, unique ids) and every file
against its recorded size and SHA-256 hash, without this library.

Contents: ``events.csv`` is byte for byte the CSV export without its
byte-order mark (see :mod:`rnk_events.formats.csv`), ``sources.csv`` has one row per cited
article, ``withdrawn.csv`` one row per event withdrawn for good, and
``datapackage.json`` (Data Package and Table Schema v1) describes them and
carries the dataset's name, title, version and as-of date, so :func:`read`
(``rnk_events.load``) gets the whole dataset back. A spreadsheet opens the
CSV files, so text cells in all of them follow the CSV export's formula
guard (a leading ``'`` on cells a spreadsheet would run,
:func:`rnk_events.formats.csv.neutralise`), and every field description says
how to undo it; cells with a pattern, a type or an enum (ids, dates, enum
values, URLs) never start with such a character, so the guard never breaks a
constraint. A citation's source id sits inside a list cell, where Table Schema
cannot declare a foreign key; the field description says so (a collection
whose dataset lists sources checks it).

``write`` zips the four files (``datapackage.json`` at the root) with fixed
timestamps, so the same events give the same bytes; ``write_directory``
writes them as a folder, swapped in atomically
(:func:`rnk_events.publishing.swap.replace_folder`). No ``created`` time
is written unless the caller passes ``stamp`` (the name every format uses for "when this file was
made"), which keeps the output reproducible. The descriptor's ``version`` is
the data edition (:attr:`~rnk_events.model.DatasetInfo.version`), not the
package's version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
from pathlib import Path
from typing import IO, Any

from rnk_events.collection import EventCollection
from rnk_events.dates import Precision
from rnk_events.formats import csv as csv_format
from rnk_events.formats._zip import EARLIEST, fixed_zip
from rnk_events.formats.json import EDTF_PATTERN
from rnk_events.formats.stamp import utc_seconds
from rnk_events.model import MAX_ID_LENGTH, Category, DatasetInfo, Status
from rnk_events.rows import BOOLEAN_TEXT, HEADER, QUALIFIER_WORDS

__all__ = [
    "DESCRIPTOR",
    "MEMBERS",
    "SOURCE_COLUMNS",
    "WITHDRAWN_COLUMNS",
    "descriptor",
    "read",
    "read_directory",
    "write",
    "write_directory",
]

#: The files of a package, in the order they are written (and zipped).
MEMBERS = ("datapackage.json", "events.csv", "sources.csv", "withdrawn.csv")

#: The descriptor's file name, which marks a folder as a data package.
DESCRIPTOR = MEMBERS[0]

#: The date every zip entry carries: the earliest a zip can hold, so output depends only on the data.
ZIP_TIMESTAMP = EARLIEST

SOURCE_COLUMNS = ("id", "publisher", "title", "published", "url", "file", "note")
WITHDRAWN_COLUMNS = ("id", "reason", "withdrawn", "replaced_by", "date", "title", "revision")

# Table Schema patterns are XML Schema regular expressions, matched against the whole cell:
# no (?:...) groups, and [0-9] rather than \d, which would admit any Unicode digit.
_ID_PATTERN = "[a-z0-9]+(-[a-z0-9]+)*"
_URL_PATTERN = r"https?://\S+"
_NEUTRALISED = (
    "A cell starting with =, +, -, @, a tab, a carriage return or ' is written with one extra leading ' "
    "so a spreadsheet does not run it; strip exactly one leading ' to get the value."
)
_LISTS = "Items are separated by |; a literal \\, | or ; inside a value is escaped with a backslash."


def _field(name: str, kind: str, description: str, **constraints: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": kind}
    if kind == "date":
        field["format"] = "default"
    if kind == "boolean":  # only the two words the CSV writes, not Table Schema's default "1", "True", ...
        field["trueValues"] = [BOOLEAN_TEXT[True]]
        field["falseValues"] = [BOOLEAN_TEXT[False]]
    field["description"] = description
    if constraints:
        field["constraints"] = constraints
    return field


def _enum(kind: type[Category] | type[Status] | type[Precision]) -> list[str]:
    return [str(member.value) for member in kind]


_EVENT_FIELDS: dict[str, dict[str, Any]] = {
    "id": _field(
        "id",
        "string",
        "Stable slug of the event; never changes once published.",
        required=True,
        unique=True,
        pattern=_ID_PATTERN,
        maxLength=MAX_ID_LENGTH,
    ),
    "date": _field(
        "date",
        "string",
        "The date as EDTF level 1 plus level 2's one-of sets: a date (2024, 2024-05, 2024-05-16, a decade 195X, "
        "a season 2024-21, unspecified parts 2024-XX), perhaps qualified (? uncertain, ~ approximate, % both); "
        "an interval start/end with open (..) or unknown (empty) ends allowed (2023-09/.., /2024-06); or one "
        "date of a set ([2024-06-10..2024-06-16], [2024-05-16,2024-05-17]). The pattern checks the whole grammar "
        "and the calendar, but not what needs two dates compared (an end before its start, equal ends, set "
        "members out of order). The other date columns are derived from it.",
        required=True,
        pattern=EDTF_PATTERN,
    ),
    "display_date": _field(
        "display_date",
        "string",
        'The date as a news story writes it (AP style), e.g. "May 16-17, 2024", "one day between June 10 and 16, '
        '2024", "since September 2023".',
        required=True,
    ),
    "first_day": _field(
        "first_day",
        "date",
        "The earliest day the event can touch, as written (a qualifier does not widen it); "
        "empty when the start is open (..) or unknown.",
    ),
    "last_day": _field(
        "last_day",
        "date",
        "The latest day the event can touch, inclusive, as written; empty when the end is open (..) or unknown.",
    ),
    "is_range": _field(
        "is_range",
        "boolean",
        "true for an interval (it lasted from start to end); false for a single date or one of a set, "
        "which happened once, on one day (or in one period) between first_day and last_day.",
        required=True,
    ),
    "precision": _field(
        "precision",
        "string",
        "How much of the date is known: the coarsest precision of the dates written in it.",
        required=True,
        enum=_enum(Precision),
    ),
    "qualifier": _field(
        "qualifier",
        "string",
        "What the date's EDTF qualifiers say: uncertain (?), approximate (~), or uncertain and approximate "
        "(%, or ? and ~ on the two ends of an interval); empty when the date is unqualified.",
        enum=[words for words in QUALIFIER_WORDS.values() if words],
    ),
    "title": _field("title", "string", f"Headline. {_NEUTRALISED}", required=True),
    "summary": _field("summary", "string", f"What happened, in a sentence or two. {_NEUTRALISED}", required=True),
    "category": _field("category", "string", "What kind of event it is.", required=True, enum=_enum(Category)),
    "status": _field(
        "status",
        "string",
        "How sure the reporting is as of the package's as_of date (planned means planned as of then).",
        required=True,
        enum=_enum(Status),
    ),
    "actors": _field("actors", "string", f"ISO 3166-1 alpha-3 country codes or organisation ids (e.g. UNSC). {_LISTS}"),
    "people": _field("people", "string", f"People named in the event. {_LISTS} {_NEUTRALISED}"),
    "places": _field(
        "places",
        "string",
        "Places, each as name;country;lat;lon (country an ISO 3166-1 alpha-3 code, lat/lon WGS 84 degrees; "
        f"country and coordinates may be empty). {_LISTS} {_NEUTRALISED}",
    ),
    "sources": _field(
        "sources",
        "string",
        "Citations, each as source;evidence, where source is an id in sources.csv and evidence a few verbatim "
        "words from the article. Table Schema cannot declare a foreign key inside a list cell, so this "
        f"reference is not checked by frictionless. {_LISTS} {_NEUTRALISED}",
        required=True,
    ),
    "note": _field("note", "string", f"Editor's note on how the event was dated or sourced. {_NEUTRALISED}"),
    "revision": _field(
        "revision",
        "integer",
        "How many data editions changed the event substantively (its date, title, summary, status, actors, "
        "people, places or sources): 0 as first published, one more for each edition that changed it so.",
        required=True,
        minimum=0,
    ),
    "revised": _field(
        "revised",
        "date",
        "The day of the event's last substantive change; empty while it is as first published (revision 0).",
    ),
}

_SOURCE_FIELDS = [
    _field(
        "id",
        "string",
        "Stable slug of the source, cited in events.csv.",
        required=True,
        unique=True,
        pattern=_ID_PATTERN,
    ),
    _field("publisher", "string", f"Who published the article. {_NEUTRALISED}", required=True),
    _field("title", "string", f"The article's headline. {_NEUTRALISED}", required=True),
    _field("published", "date", "The day the article was published.", required=True),
    _field("url", "string", "Where the article is online, when known.", pattern=_URL_PATTERN),
    _field("file", "string", f"File name of the archived copy the dataset was built from. {_NEUTRALISED}"),
    _field("note", "string", f"Editor's note on the source. {_NEUTRALISED}"),
]

_WITHDRAWN_FIELDS = [
    _field(
        "id",
        "string",
        "The withdrawn event's id, never used again for another event.",
        required=True,
        unique=True,
        pattern=_ID_PATTERN,
        maxLength=MAX_ID_LENGTH,
    ),
    _field("reason", "string", f"Why it was withdrawn. {_NEUTRALISED}", required=True),
    _field("withdrawn", "date", "The day of the data edition that withdrew it.", required=True),
    _field(
        "replaced_by",
        "string",
        "The id of the event that replaces it; empty when none does.",
        pattern=_ID_PATTERN,
        maxLength=MAX_ID_LENGTH,
    ),
    _field(
        "date", "string", "The withdrawn event's date as it last stood (EDTF).", required=True, pattern=EDTF_PATTERN
    ),
    _field("title", "string", f"The withdrawn event's title as it last stood. {_NEUTRALISED}", required=True),
    _field(
        "revision",
        "integer",
        "The withdrawn event's last revision; a calendar cancels it with the next one.",
        required=True,
        minimum=0,
    ),
]

#: RFC 4180 as the CSV export writes it; these are the Table Dialect defaults, spelled out.
_DIALECT = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True}


def _package_name(info: DatasetInfo) -> str:
    """The dataset name as a Data Package name (lower case, digits, ``-._``)."""
    name = re.sub(r"[^a-z0-9._-]+", "-", info.name.lower()).strip("-")
    return name or "rnk-events"


def _sources_csv(info: DatasetInfo) -> bytes:
    table_rows = (
        (
            source.id,
            source.publisher,
            source.title,
            source.published.isoformat(),
            source.url or "",
            source.file or "",
            source.note,
        )
        for source in info.sources
    )
    return csv_format.encode_table(SOURCE_COLUMNS, table_rows)


def _withdrawn_csv(info: DatasetInfo) -> bytes:
    table_rows = (
        (
            withdrawal.id,
            withdrawal.reason,
            withdrawal.withdrawn.isoformat(),
            withdrawal.replaced_by or "",
            str(withdrawal.date),
            withdrawal.title,
            str(withdrawal.revision),
        )
        for withdrawal in info.withdrawn
    )
    return csv_format.encode_table(WITHDRAWN_COLUMNS, table_rows)


def _events_csv(events: EventCollection) -> bytes:
    """The CSV export without its byte-order mark: a package's tables are for tools, which expect none."""
    stream = io.BytesIO()
    csv_format.write(events, stream, bom=False)
    return stream.getvalue()


def _resource(name: str, data: bytes, description: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
        "dialect": dict(_DIALECT),
        "schema": {"fields": fields, "primaryKey": "id", "missingValues": [""]},
    }


def _timestamp(stamp: dt.datetime) -> str:
    return utc_seconds(stamp).isoformat().replace("+00:00", "Z")


def descriptor(
    info: DatasetInfo,
    events_csv: bytes,
    sources_csv: bytes,
    stamp: dt.datetime | None = None,
    withdrawn_csv: bytes | None = None,
) -> dict[str, Any]:
    """The ``datapackage.json`` content for these tables; ``stamp`` becomes its ``created``.

    ``dataset`` (a custom property) keeps the dataset's name exactly, since
    ``name`` must be a package name; ``withdrawn_csv`` defaults to the table
    of ``info``'s withdrawals.
    """
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": _package_name(info),
        "dataset": info.name,
        "title": info.title,
        "version": info.version,
    }
    if stamp is not None:
        package["created"] = _timestamp(stamp)
    if info.as_of is not None:
        package["as_of"] = info.as_of.isoformat()
    if info.sources:
        package["sources"] = [
            {"title": f"{source.publisher}: {source.title}", **({"path": source.url} if source.url else {})}
            for source in info.sources
        ]
    package["resources"] = [
        _resource(
            "events",
            events_csv,
            "One row per event, in chronological order: exactly the rnk_events CSV export (without a byte-order mark).",
            [_EVENT_FIELDS[column] for column in HEADER],
        ),
        _resource("sources", sources_csv, "The news articles the events cite, one row each.", _SOURCE_FIELDS),
        _resource(
            "withdrawn",
            _withdrawn_csv(info) if withdrawn_csv is None else withdrawn_csv,
            "Events taken out of the dataset for good, one row each; their ids are never used again.",
            _WITHDRAWN_FIELDS,
        ),
    ]
    return package


def _members(events: EventCollection, stamp: dt.datetime | None) -> dict[str, bytes]:
    """Every file of the package, built in memory before anything touches the disk."""
    events_csv = _events_csv(events)
    sources_csv = _sources_csv(events.info)
    withdrawn_csv = _withdrawn_csv(events.info)
    document = descriptor(events.info, events_csv, sources_csv, stamp, withdrawn_csv)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return {
        "datapackage.json": text.encode("utf-8"),
        "events.csv": events_csv,
        "sources.csv": sources_csv,
        "withdrawn.csv": withdrawn_csv,
    }


def write(events: EventCollection, stream: IO[bytes], *, stamp: dt.datetime | None = None) -> None:
    """Write the package as a zip; ``stamp`` (timezone-aware) is recorded as ``created`` when given."""
    # Built whole, so an unseekable stream gets the same bytes; 0o100644: a regular file, rw-r--r--.
    stream.write(fixed_zip(_members(events, stamp).items(), ZIP_TIMESTAMP, 0o100644 << 16))


def _replaceable(target: Path) -> None:
    """Refuse to replace anything but a folder holding only package files (never a user's folder).

    A symbolic link to such a folder is replaceable too: the link is kept and
    repointed at the new folder.
    """
    folder = target.resolve() if target.is_symlink() else target
    if not folder.is_dir():
        raise FileExistsError(f"{target} exists and is not a data package folder")
    strangers = sorted(entry.name for entry in folder.iterdir() if entry.name not in MEMBERS)
    if strangers:
        raise FileExistsError(f"{target} holds files that are not part of a data package: {strangers}")


def write_directory(events: EventCollection, path: str | os.PathLike[str], *, stamp: dt.datetime | None = None) -> Path:
    """Write the package as a folder at ``path``, atomically.

    The files are written to a hidden folder beside ``path`` and swapped into
    place only when all are complete, so at every instant ``path`` holds the
    old package or the new one (:func:`~rnk_events.publishing.swap.replace_folder`);
    on any error nothing is left behind. An existing folder is replaced only if
    it holds nothing but package files; a link to one stays a link.
    """
    from rnk_events.publishing.swap import replace_folder

    target = Path(path)
    members = _members(events, stamp)
    if target.exists() or target.is_symlink():
        _replaceable(target)

    def build(folder: Path) -> None:
        for name, data in members.items():
            with (folder / name).open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())

    replace_folder(target, build)
    return target


def read(stream: IO[bytes], origin: str) -> EventCollection:
    """Read a zipped package back: events, sources, withdrawals and the dataset's metadata.

    Raises :class:`~rnk_events.errors.DatasetError` naming the member file,
    line and column of every problem. A table edited since the package was
    written (its hash no longer matches) is read, with a note saying so.
    """
    from rnk_events.formats import _package_reader

    return _package_reader.read_zip(stream, origin)


def read_directory(path: str | os.PathLike[str]) -> EventCollection:
    """Read an unzipped package: a folder holding ``datapackage.json``, or that file's path."""
    from rnk_events.formats import _package_reader

    return _package_reader.read_folder(Path(path))
