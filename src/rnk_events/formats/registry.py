"""What each format can do, declared once: the single source for the CLI, docs, tests and ``load``.

Reading this module imports no format module, so a format's heavy dependency
(openpyxl, icalendar) loads only when that format is used. To add a format,
write one module with ``write`` (and ``read`` if it reads back) and add one
:class:`FormatInfo` line to :data:`FORMATS`; the CLI's flags and help, the
README's and docs' format tables, ``load()``'s readable formats, the golden
files' options and the test parametrisation all follow from here.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import re
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import IO, Any, Protocol, cast

import attrs

from rnk_events.errors import OptionError

__all__ = [
    "FORMATS",
    "FormatInfo",
    "FormatModule",
    "FormatOption",
    "UnavailableFormatError",
    "format_for",
    "formats_table",
    "readable_formats",
]


class FormatModule(Protocol):
    """What a format module provides: ``write`` always, ``read(stream, origin)`` where it reads back."""

    def write(self, events: Any, stream: IO[bytes], **options: Any) -> None:
        """Write ``events`` (an :class:`~rnk_events.collection.EventCollection`) to the binary ``stream``.

        ``options`` are the format's registered :attr:`FormatInfo.options`, by
        name; a value the format cannot use is an
        :class:`~rnk_events.errors.OptionError`, and an event it cannot write an
        :class:`~rnk_events.errors.ExportError`.
        """
        ...


class UnavailableFormatError(ImportError):
    """A format whose optional dependency is not installed; the message names the extra to install."""


def _text_option(option: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not text.strip():
            raise OptionError(option, "must not be empty")
        return text

    return parse


def _stamp_text(text: str) -> dt.datetime:
    from rnk_events.formats.stamp import parse_stamp

    return parse_stamp(text)


@attrs.frozen
class FormatOption:
    """A keyword a format's ``write`` takes, and how the command line offers it.

    The examples are the ``ics`` format's ``calendar_name`` option.

    :ivar name: The keyword's name in ``write``'s signature, which ``export``
        takes too. Type: ``str``. Example: ``"calendar_name"``.
    :ivar type: The Python type ``write`` expects the value to be.
        Type: ``type``. Example: ``str``.
    :ivar help: What the option does, for the command line's ``--help``: a
        lower-case phrase without a final full stop. Type: ``str``.
        Example: ``"the calendar's name in subscribers' apps (default: the dataset's title)"``.
    :ivar default: The value ``write`` uses when the option is not given (its
        keyword's default); ``None`` by default. Type: ``Any``.
        Example: ``None``.
    :ivar metavar: The placeholder for the value in the command line's
        ``--help``; ``"VALUE"`` by default. Type: ``str``. Example: ``"TEXT"``.
    :ivar parse: Turns command-line text into a value of ``type``, raising
        :class:`~rnk_events.errors.OptionError` for text it cannot use; ``None``
        (the default) takes the text as it is, refusing empty text. Not compared
        by ``==``. Type: ``Callable[[str], Any] | None``. Example: ``None``.
    :ivar flag: The command-line flag; by default ``--`` and the name with
        hyphens for underscores. Keyword-only. Type: ``str``.
        Example: ``"--calendar-name"``.
    :ivar aliases: Other command-line flags for the same option, shorter
        ones a command offers too; none by default. Keyword-only.
        Type: ``tuple[str, ...]``. Example: ``("--name",)``.
    """

    name: str
    type: type
    help: str
    default: Any = None
    metavar: str = "VALUE"
    parse: Callable[[str], Any] | None = attrs.field(default=None, eq=False, repr=False)
    flag: str = attrs.field(kw_only=True)
    aliases: tuple[str, ...] = attrs.field(default=(), kw_only=True)

    @flag.default
    def _flag_from_name(self) -> str:
        """The command-line flag: ``timelinejs_base`` is ``--timelinejs-base``."""
        return "--" + self.name.replace("_", "-")

    @property
    def flags(self) -> tuple[str, ...]:
        """Every command-line flag of the option: :attr:`flag`, then :attr:`aliases`."""
        return (self.flag, *self.aliases)

    def from_text(self, text: str) -> Any:
        """The value a command-line argument gives this option."""
        parse = self.parse or _text_option(self.name)
        return parse(text)


STAMP = FormatOption(
    "stamp",
    dt.datetime,
    "record this as the time the file was made (ISO 8601; UTC if no offset), "
    "so the same events give byte-identical files",
    metavar="DATETIME",
    parse=_stamp_text,
)
"""The ``stamp`` option of the formats that record when the file was made (``xlsx``, ``ics``, ``datapackage``)."""


def _base_text(text: str) -> str:
    if not text.strip():
        raise OptionError("timelinejs_base", "expected the URL or path of TimelineJS's dist folder, got empty text")
    return text


TIMELINEJS_BASE = FormatOption(
    "timelinejs_base",
    str,
    "load TimelineJS from this copy of its dist folder (a URL, or a path absolute or relative to the page) "
    "instead of the pinned release on Knight Lab's CDN",
    metavar="URL",
    parse=_base_text,
)
"""The ``html`` format's ``timelinejs_base`` option: where the page loads TimelineJS from."""


_DURATION = re.compile(r"P(?:(?P<days>\d{1,4})D)?(?:T(?:(?P<hours>\d{1,5})H)?(?:(?P<minutes>\d{1,6})M)?)?", re.ASCII)


def _duration_text(text: str) -> dt.timedelta:
    """An ISO 8601 duration in days, hours and minutes: ``P1D``, ``PT12H``, ``P1DT6H``."""
    match = _DURATION.fullmatch(text.strip().upper())
    if match is None or not any(match.groupdict().values()):
        raise OptionError("refresh", f"{text!r} is not an ISO 8601 duration such as P1D, PT12H or P1DT6H")
    parts = {unit: int(value) for unit, value in match.groupdict().items() if value}
    return dt.timedelta(**parts)


CALENDAR_NAME = FormatOption(
    "calendar_name",
    str,
    "the calendar's name in subscribers' apps (default: the dataset's title)",
    metavar="TEXT",
    aliases=("--name",),
)
"""The ``ics`` format's ``calendar_name`` option: the calendar's name in subscribers' apps."""
CALENDAR_DESCRIPTION = FormatOption(
    "calendar_description",
    str,
    "the calendar's description (default: what the dataset is, its version and event count)",
    metavar="TEXT",
    aliases=("--description",),
)
"""The ``ics`` format's ``calendar_description`` option: the calendar's description."""
REFRESH = FormatOption(
    "refresh",
    dt.timedelta,
    "how often subscribers should re-fetch the feed, as an ISO 8601 duration (default: P1D)",
    default=dt.timedelta(days=1),
    metavar="DURATION",
    parse=_duration_text,
)
"""The ``ics`` format's ``refresh`` option: how often subscribers should re-fetch the feed."""
CSV_BOM = FormatOption(
    "bom",
    bool,
    "leave out the UTF-8 byte-order mark that makes Excel read the file as UTF-8",
    default=True,
    flag="--no-bom",
)
"""The ``csv`` format's ``bom`` option: a UTF-8 byte-order mark first (the default), or none (``--no-bom``)."""
PLAIN_TEXT = FormatOption(
    "plain_text",
    bool,
    "write plain text with no Markdown markup, for a CMS field that takes none",
    default=False,
    flag="--plain-text",
)
"""The ``markdown`` format's ``plain_text`` option: the same list as plain text, no markup and no escapes."""


@attrs.frozen
class FormatInfo:
    """A registered format: its names, what it can do, the options it takes and where its code lives.

    The examples are the ``json`` format's entry.

    :ivar name: The format's name, which ``export``, the command line's
        ``--format`` and :data:`FORMATS` know it by. Type: ``str``.
        Example: ``"json"``.
    :ivar extensions: The endings of the file names that are in this format,
        lower case with the dot, the one a written file gets first; an ending
        may have two parts (``".timeline.json"``). Type: ``tuple[str, ...]``.
        Example: ``(".json",)``.
    :ivar media_type: The IANA media type (MIME type) of a file in this
        format. Type: ``str``. Example: ``"application/json"``.
    :ivar description: What the format is, as a lower-case phrase for the
        command line's help and the docs' format tables. Type: ``str``.
        Example: ``"the whole dataset with metadata and sources"``.
    :ivar module: The import path of the module with the format's ``write``
        and ``read``, imported only by :meth:`load`. Type: ``str``.
        Example: ``"rnk_events.formats.json"``.
    :ivar reads: Whether the module has ``read`` too, so ``rnk_events.load``
        reads the format back; ``False`` by default. Type: ``bool``.
        Example: ``True``.
    :ivar writes: Whether the module has ``write``, so ``export`` and the
        command line's ``export`` write the format; ``True`` by default.
        Type: ``bool``. Example: ``True``.
    :ivar options: The keywords the module's ``write`` takes besides the
        events and the stream; empty (the default) for none.
        Type: ``tuple[FormatOption, ...]``. Example: ``()``.
    :ivar extra: The ``rnk_events`` extra that installs the format's optional
        dependency (``pip install 'rnk_events[extra]'``), or ``None`` (the
        default) when it needs none. Type: ``str | None``. Example: ``None``.
    :ivar docs: The docs page about the format, relative to the docs folder,
        which the format tables link to; ``""`` (the default) for none.
        Type: ``str``. Example: ``"formats/json-csv.md"``.
    """

    name: str
    extensions: tuple[str, ...]
    media_type: str
    description: str
    module: str
    reads: bool = False
    writes: bool = True
    options: tuple[FormatOption, ...] = ()
    extra: str | None = None
    docs: str = ""

    @property
    def extension(self) -> str:
        """The extension a written file gets (the first of :attr:`extensions`)."""
        return self.extensions[0]

    @property
    def readable(self) -> bool:
        """Same as :attr:`reads` (the name version 1 used)."""
        return self.reads

    def option(self, name: str) -> FormatOption | None:
        """The option of that name this format takes, or ``None`` if it takes none of that name."""
        return next((option for option in self.options if option.name == name), None)

    def available(self) -> bool:
        """Whether the format's optional dependency is installed (always, for a format without :attr:`extra`).

        Imports the format's module to find out, as :meth:`load` would.
        """
        try:
            self.load()
        except UnavailableFormatError:
            return False
        return True

    def load(self) -> FormatModule:
        """The format's module, imported now; names the extra to install if a dependency is missing."""
        try:
            module: ModuleType = importlib.import_module(self.module)
        except ImportError as error:
            if self.extra is None:
                raise
            raise UnavailableFormatError(
                f"the {self.name} format needs {error.name or 'an optional dependency'}: "
                f"pip install 'rnk_events[{self.extra}]'"
            ) from error
        return cast(FormatModule, module)


def _entry(
    name: str,
    extensions: str | tuple[str, ...],
    media_type: str,
    description: str,
    *,
    docs: str,
    reads: bool = False,
    options: Iterable[FormatOption] = (),
    extra: str | None = None,
) -> FormatInfo:
    return FormatInfo(
        name,
        (extensions,) if isinstance(extensions, str) else extensions,
        media_type,
        description,
        f"rnk_events.formats.{name}",
        reads=reads,
        options=tuple(options),
        extra=extra,
        docs=docs,
    )


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
"""The IANA media type of an Excel workbook (``.xlsx``)."""
PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet"
"""The IANA media type of an Apache Parquet file (``.parquet``)."""

FORMATS: dict[str, FormatInfo] = {
    info.name: info
    for info in (
        _entry(
            "json",
            ".json",
            "application/json",
            "the whole dataset with metadata and sources",
            docs="formats/json-csv.md",
            reads=True,
        ),
        _entry(
            "csv",
            ".csv",
            "text/csv",
            "one row per event in flat columns",
            docs="formats/json-csv.md",
            reads=True,
            options=[CSV_BOM],
        ),
        _entry(
            "xlsx",
            ".xlsx",
            XLSX_MEDIA_TYPE,
            "an Excel workbook for the desk: events, a TimelineJS template sheet, sources, data dictionary",
            docs="formats/excel.md",
            reads=True,
            options=[STAMP],
        ),
        _entry(
            "ics",
            ".ics",
            "text/calendar",
            "an iCalendar feed of all-day events with stable UIDs",
            docs="formats/icalendar.md",
            options=[STAMP, CALENDAR_NAME, CALENDAR_DESCRIPTION, REFRESH],
        ),
        _entry(
            "timelinejs",
            ".timeline.json",
            "application/json",
            "TimelineJS3 JSON for Knight Lab's embeddable timeline",
            docs="formats/timelinejs.md",
        ),
        _entry(
            "html",
            ".html",
            "text/html",
            "a standalone page: every event as an accessible list, with TimelineJS on top",
            docs="formats/timelinejs.md",
            options=[TIMELINEJS_BASE],
        ),
        _entry(
            "datapackage",
            ".datapackage.zip",
            "application/zip",
            "a Frictionless data package (CSV + datapackage.json), zipped",
            docs="formats/datapackage.md",
            reads=True,
            options=[STAMP],
        ),
        _entry(
            "parquet",
            ".parquet",
            PARQUET_MEDIA_TYPE,
            "one row per event in typed columns (real dates, lists) for pandas, Polars, DuckDB or R",
            docs="dataframes.md",
            extra="arrow",
        ),
        _entry(
            "geojson",
            ".geojson",
            "application/geo+json",
            "a map layer: one point per event place with coordinates (RFC 7946)",
            docs="formats/geojson.md",
        ),
        _entry(
            "markdown",
            ".md",
            "text/markdown",
            "a dated list in AP style with summaries and citations, to paste into a CMS",
            docs="formats/markdown.md",
            options=[PLAIN_TEXT],
        ),
    )
}
"""Every format, by name, in the order the docs and ``export --all`` list them."""


def readable_formats() -> list[FormatInfo]:
    """The formats ``rnk_events.load`` reads."""
    return [info for info in FORMATS.values() if info.reads]


def extensions_text(formats: Iterable[FormatInfo]) -> str:
    """``".json, .csv or .xlsx"``: the extensions of these formats, for messages and help."""
    names = [extension for info in formats for extension in info.extensions]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def format_for(name_or_path: str | os.PathLike[str]) -> FormatInfo:
    """The format named, or the one whose extension the path ends with (longest match wins)."""
    text = os.fspath(name_or_path)
    if text in FORMATS:
        return FORMATS[text]
    lowered = text.lower()
    pairs = sorted(
        ((extension, info) for info in FORMATS.values() for extension in info.extensions),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    for extension, info in pairs:
        if lowered.endswith(extension):
            return info
    allowed = ", ".join(FORMATS)
    raise ValueError(f"unknown format {text!r}: use one of {allowed}, or a path ending in one of their extensions")


def formats_table(docs_prefix: str = "") -> str:
    """The Markdown table of formats the README and the docs carry; ``scripts/sync_docs.py`` writes it.

    ``docs_prefix`` is the path from the page to the docs folder (``"docs/"`` from the README).
    """
    lines = ["| format | extension | reads back | options | what it is |", "|---|---|---|---|---|"]
    for info in FORMATS.values():
        extensions = ", ".join(f"`{extension}`" for extension in info.extensions)
        reads = "yes" if info.reads else "no"
        options = ", ".join(f"`{option.name}`" for option in info.options) or "none"
        what = f"[{info.description}]({docs_prefix}{info.docs})" if info.docs else info.description
        extra = f" (needs `pip install 'rnk_events[{info.extra}]'`)" if info.extra else ""
        lines.append(f"| `{info.name}` | {extensions} | {reads} | {options} | {what}{extra} |")
    return "\n".join(lines) + "\n"
