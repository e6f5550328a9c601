"""Export formats: one module per format, found through a lazy registry.

Each format module exposes ``write(events, stream, **options)`` and, where the
format can be read back, ``read(stream, origin)``. The registry knows every
format's name, extension and media type without importing the module, so a
format's heavy dependency (openpyxl, icalendar) loads only when it is used.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol, cast

import attrs

from rnk_events.collection import EventCollection

if TYPE_CHECKING:
    from rnk_events.model import Event

__all__ = ["FORMATS", "FormatInfo", "export", "format_for", "write_atomic"]


class FormatModule(Protocol):
    """What a format module provides."""

    def write(self, events: EventCollection, stream: IO[bytes], **options: Any) -> None: ...


@attrs.frozen
class FormatInfo:
    """A registered format: what it is called and where its code lives."""

    name: str
    extension: str
    media_type: str
    description: str
    module: str

    def load(self) -> FormatModule:
        return cast(FormatModule, importlib.import_module(self.module))

    @property
    def readable(self) -> bool:
        return hasattr(self.load(), "read")


FORMATS: dict[str, FormatInfo] = {
    info.name: info
    for info in (
        FormatInfo("json", ".json", "application/json", "the dataset with metadata and sources", f"{__name__}._json"),
        FormatInfo("csv", ".csv", "text/csv", "one row per event, flat columns", f"{__name__}._csv"),
        FormatInfo(
            "xlsx",
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel workbook: events, TimelineJS template sheet, sources, data dictionary",
            f"{__name__}._xlsx",
        ),
        FormatInfo("ics", ".ics", "text/calendar", "iCalendar feed of all-day events", f"{__name__}._ics"),
        FormatInfo(
            "timelinejs", ".timeline.json", "application/json", "TimelineJS3 JSON data", f"{__name__}._timelinejs"
        ),
        FormatInfo("html", ".html", "text/html", "standalone TimelineJS page", f"{__name__}._html"),
        FormatInfo(
            "datapackage",
            ".datapackage.zip",
            "application/zip",
            "Frictionless data package (CSV + datapackage.json), zipped",
            f"{__name__}._datapackage",
        ),
    )
}


def format_for(name_or_path: str | os.PathLike[str]) -> FormatInfo:
    """The format named, or the one whose extension the path ends with (longest match wins)."""
    text = os.fspath(name_or_path)
    if text in FORMATS:
        return FORMATS[text]
    lowered = text.lower()
    by_length = sorted(FORMATS.values(), key=lambda info: len(info.extension), reverse=True)
    for info in by_length:
        if lowered.endswith(info.extension):
            return info
    allowed = ", ".join(FORMATS)
    raise ValueError(f"unknown format {text!r}: use one of {allowed}, or a path ending in one of their extensions")


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0o666 minus the umask.

    A temporary file is private (0o600), which would stop a web server serving the feed.
    """
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def _temporary_beside(path: Path) -> Iterator[IO[bytes]]:
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed here, renamed after
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, _mode_for(path))
        os.replace(handle.name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(handle.name)
        raise


def write_atomic(path: str | os.PathLike[str], write: Callable[[IO[bytes]], None]) -> Path:
    """Write through a temporary file beside ``path``, renamed into place only on success.

    On any error no partial file is left and an existing file is untouched.
    """
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        reason = "is not a folder" if folder.exists() else "does not exist"
        raise FileNotFoundError(errno.ENOENT, f"the folder {folder} {reason}", str(target))
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(target))
    with _temporary_beside(target) as stream:
        write(stream)
    return target


def export(
    events: EventCollection | Iterable[Event],
    format: str | os.PathLike[str],  # noqa: A002 - the natural name for callers
    target: str | os.PathLike[str] | IO[bytes] | None = None,
    **options: Any,
) -> Path | None:
    """Write ``events`` in a format to a path (atomically) or a binary stream.

    ``events`` is a collection, or any iterable of events (wrapped in one).
    ``export(events, "ics", "out.ics")``, or ``export(events, "out.ics")`` to
    pick the format by extension.
    """
    if target is None:
        if os.fspath(format) in FORMATS:
            raise ValueError(f"export to {format!r} needs a target path or binary stream")
        info, target = format_for(format), format
    else:
        info = format_for(format)
    if not isinstance(events, EventCollection):
        events = EventCollection(events)  # a list of events, a generator...
    module = info.load()
    if isinstance(target, io.TextIOBase):
        raise TypeError(f"export writes bytes: open the file in binary mode ('wb'), not {type(target).__name__}")
    if isinstance(target, (str, os.PathLike)):
        return write_atomic(target, lambda stream: module.write(events, stream, **options))
    module.write(events, target, **options)
    return None
