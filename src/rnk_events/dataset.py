"""Loading datasets: the bundled timeline (lazily, once) or a user's file in any format that reads back.

A file edited from an export (a CSV or workbook that went through a
spreadsheet) carries events only; ``load(path, base=collection)`` takes the
dataset's name, title, version, as-of date, sources and withdrawals from the
collection it was exported from, so a re-export differs only by the edits.
A stream (standard input) has no extension: its format is sniffed from its
first bytes (:func:`sniff_format`) unless it is named.
"""

from __future__ import annotations

import functools
import importlib.resources
import io
import os
import zipfile
from pathlib import Path
from typing import IO

from rnk_events.collection import EventCollection
from rnk_events.errors import DatasetError, Problem, shorten
from rnk_events.formats.registry import FORMATS, FormatInfo, extensions_text, format_for, readable_formats
from rnk_events.model import Event

__all__ = ["MAX_INPUT_BYTES", "STDIN_NAME", "is_bundled", "load", "sniff_format"]

BUNDLED = "data/events.json"

#: How problems name standard input.
STDIN_NAME = "<stdin>"
#: The largest file ``load`` reads (512 MiB), so a wrong or hostile file fails at once instead of
#: filling memory; ``load(path, max_bytes=...)`` raises it. A workbook has its own limits too.
MAX_INPUT_BYTES = 512 * 1024 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
_PACKAGE_DESCRIPTOR = "datapackage.json"


@functools.cache
def _bundled() -> EventCollection:
    from rnk_events.formats import json as json_format

    resource = importlib.resources.files("rnk_events").joinpath(BUNDLED)
    with resource.open("rb") as stream:
        return json_format.read(stream, f"rnk_events/{BUNDLED}")


def is_bundled(events: EventCollection) -> bool:
    """Whether ``events`` carry the bundled dataset's info (its name, edition, sources...)."""
    return events.info == _bundled().info


def sniff_format(data: bytes) -> FormatInfo:
    """The readable format of bytes without a file name: ``{`` is JSON, a zip a workbook or a data package, else CSV.

    A zip holding ``datapackage.json`` is a data package; any other zip is
    taken for a workbook (whose reader says so if it is not one).
    """
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        return FORMATS["datapackage"] if _PACKAGE_DESCRIPTOR in names else FORMATS["xlsx"]
    if data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{":
        return FORMATS["json"]
    return FORMATS["csv"]


def _refused(origin: str, message: str) -> DatasetError:
    return DatasetError([Problem(origin, "", "", message)])


def _named_format(name: str, origin: str) -> FormatInfo:
    info = FORMATS.get(name)
    if info is None or not info.reads:
        names = ", ".join(info.name for info in readable_formats())
        raise _refused(origin, f"{shorten(name)} is not a format that reads back; use one of {names}")
    return info


def _format_of(target: Path) -> FormatInfo:
    try:
        info = format_for(target)
    except ValueError:
        expected = extensions_text(readable_formats())
        raise _refused(str(target), f"expected a {expected} file, or a data package folder") from None
    if not info.reads:
        expected = extensions_text(readable_formats())
        raise _refused(str(target), f"{info.name} files cannot be read back; load a {expected} file")
    return info


def _read(info: FormatInfo, stream: IO[bytes], origin: str) -> EventCollection:
    read = getattr(info.load(), "read")  # noqa: B009 - FormatModule declares write only
    collection: EventCollection = read(stream, origin)
    return collection


def _bounded(stream: IO[bytes], origin: str, max_bytes: int) -> bytes:
    """The stream's bytes, refused past ``max_bytes`` without reading the rest."""
    data = stream.read(max_bytes + 1)
    if isinstance(data, bytes) and len(data) > max_bytes:
        message = (
            f"larger than {max_bytes:,} bytes, the most load reads; "
            "if the file is trusted, load it with max_bytes= set higher"
        )
        raise _refused(origin, message)
    return data


def _read_path(target: Path, format_name: str | None, max_bytes: int) -> EventCollection:
    if format_name is None and (target.is_dir() or target.name == _PACKAGE_DESCRIPTOR):
        from rnk_events.formats import datapackage

        return datapackage.read_directory(target)
    info = _named_format(format_name, str(target)) if format_name is not None else _format_of(target)
    try:
        with target.open("rb") as stream:
            data = _bounded(stream, str(target), max_bytes)
    except OSError as error:
        raise _refused(str(target), error.strerror or str(error)) from None
    return _read(info, io.BytesIO(data), str(target))


def _stream_origin(stream: IO[bytes]) -> str:
    name = getattr(stream, "name", None)
    return name if isinstance(name, str) and name not in ("", "<stdin>") else STDIN_NAME


def _read_stream(stream: IO[bytes], origin: str, format_name: str | None, max_bytes: int) -> EventCollection:
    try:
        data = _bounded(stream, origin, max_bytes)
    except OSError as error:
        raise _refused(origin, error.strerror or str(error)) from None
    if not isinstance(data, bytes):
        kind = type(stream).__name__
        raise TypeError(f"load reads bytes: open the file in binary mode ('rb') or use sys.stdin.buffer, not {kind}")
    info = _named_format(format_name, origin) if format_name is not None else sniff_format(data)
    return _read(info, io.BytesIO(data), origin)


def _on_base(events: EventCollection, base: EventCollection, origin: str) -> EventCollection:
    """The file's events under the base's info, for a reader that did not check them against it itself.

    The built-in readers do, inside :func:`~rnk_events.formats._checks.checked_against`,
    so their problems keep each record's line or row; a plugin format's reader
    may not, and then its events are checked here, named by id.
    """
    from rnk_events.formats._checks import Where, finish_read

    if events.info == base.info:
        return events
    labelled: list[tuple[str | Where, Event]] = [(Where(f"id {shorten(event.id)}"), event) for event in events]
    return finish_read(labelled, base.info, origin, [], notes=events.notes)


def load(
    path: str | os.PathLike[str] | IO[bytes] | None = None,
    *,
    base: EventCollection | None = None,
    format: str | None = None,  # noqa: A002 - the name export and the registry use
    max_bytes: int = MAX_INPUT_BYTES,
) -> EventCollection:
    """The bundled Russia-North Korea timeline, or a user's dataset file.

    Any format whose registry entry ``reads`` can be loaded (see
    :func:`rnk_events.formats.readable_formats`: JSON, CSV, the Events sheet
    of the Excel export, a data package); the extension picks the format, or
    ``format`` names it. A data package also loads unzipped, from its folder
    or its ``datapackage.json``. ``path`` may be a binary stream (standard
    input), whose format is sniffed unless ``format`` is given.

    With ``base`` (a collection, such as the one the file was exported from),
    the file gives the events and ``base`` everything else: name, title,
    version, as-of date, sources and withdrawals. Problems still name the file.

    A file larger than ``max_bytes`` (:data:`MAX_INPUT_BYTES`, 512 MiB) is
    refused before it is read.

    Raises :class:`DatasetError` naming the file, record and field of every problem.
    """
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise ValueError(f"max_bytes takes a whole number of bytes, 1 or more, got {max_bytes!r}")
    if path is None:
        if base is not None:
            raise TypeError("base goes with a path: load(path, base=collection)")
        return _bundled()
    if base is not None and not isinstance(base, EventCollection):
        raise TypeError(f"base must be an EventCollection (such as rnk_events.load()), got {type(base).__name__}")
    from rnk_events.formats._checks import checked_against

    with checked_against(base.info if base is not None else None):
        if isinstance(path, (str, os.PathLike)):
            origin = str(Path(path))
            events = _read_path(Path(path), format, max_bytes)
        else:
            origin = _stream_origin(path)
            events = _read_stream(path, origin, format, max_bytes)
    if base is None:
        return events
    return _on_base(events, base, origin)
