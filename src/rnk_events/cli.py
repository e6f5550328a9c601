"""The ``rnk-events`` command: list, show, export and validate events from a terminal.

argparse only, so the command adds no dependency, and nothing heavy loads
before a command needs it: ``--help`` and ``list`` never import openpyxl or
icalendar. Every failure is one line on stderr, ``rnk-events: error: ...``,
never a traceback. Data goes to stdout and commentary (counts, what was
written) to stderr, so ``--format json`` output stays pure JSON in a pipe.

Exit codes: 0 success, 1 a data or file problem, 2 a usage error,
130 interrupted (Ctrl-C), 141 the reader of stdout went away (``| head``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import inspect
import io
import os
import re
import shutil
import sys
import textwrap
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any, NoReturn

from rnk_events import __version__, ingest
from rnk_events._cli_common import (
    EXIT_BROKEN_PIPE,
    EXIT_DATA,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    date_arg,
    one_of,
    plural,
)
from rnk_events.actors import ORGANISATIONS, actor_name, is_actor
from rnk_events.collection import EventCollection
from rnk_events.dataset import load
from rnk_events.dates import display_day
from rnk_events.errors import DatasetError
from rnk_events.formats import FORMATS, FormatInfo, export, format_for
from rnk_events.model import Category, DatasetInfo, Event, Status

__all__ = [
    "DEBUG_VARIABLE",
    "EXIT_BROKEN_PIPE",
    "EXIT_DATA",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROG",
    "CliError",
    "build_parser",
    "main",
    "render_event",
    "render_table",
]

#: What ``list --format`` can print.
LIST_FORMATS = ("table", "json", "csv")

#: File names written by ``export --all``: ``rnk-events`` plus the format's extension.
ALL_STEM = "rnk-events"

#: Format-specific export flags: the ``write`` keyword (also the argparse dest) -> its flag.
#: A format takes a flag exactly when its ``write`` declares that keyword.
EXPORT_OPTIONS: dict[str, str] = {
    "timelinejs_base": "--timelinejs-base",
    "stamp": "--stamp",
}

#: ``export -o STDOUT`` writes the export to standard output.
STDOUT = "-"

#: Set this environment variable to see the traceback of an unexpected error.
DEBUG_VARIABLE = "RNK_EVENTS_DEBUG"

_FALLBACK_SIZE = (100, 24)  # when stdout is not a terminal and $COLUMNS is unset
_MIN_TITLE = 20
_LABEL = 10  # width of the labels in ``show``


class CliError(Exception):
    """A failure to report as one line on stderr; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_DATA) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage dump) and is raised, not exited."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see '{self.prog} --help')", EXIT_USAGE)


# --- argument types --------------------------------------------------------------------------


def _actor_arg(text: str) -> str:
    code = text.strip().upper()
    if not is_actor(code):
        organisations = ", ".join(ORGANISATIONS)
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an actor: use an ISO 3166-1 alpha-3 country code (RUS, PRK, ...) "
            f"or one of {organisations}"
        )
    return code


def _stamp_arg(text: str) -> dt.datetime:
    """ISO 8601 date or date-time; a time without an offset is taken as UTC."""
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"  # fromisoformat reads "Z" only from Python 3.11
    try:
        stamp = dt.datetime.fromisoformat(cleaned)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 date-time (for example 2024-06-17T00:00:00Z)"
        ) from None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.timezone.utc)


def _base_arg(text: str) -> str:
    """A URL or path; empty text would give a page that loads nothing."""
    if not text.strip():
        raise argparse.ArgumentTypeError("expected the URL or path of TimelineJS's dist folder, got empty text")
    return text


# --- the parser ------------------------------------------------------------------------------

_MAIN_EPILOG = """\
examples:
  rnk-events list --from 2024 --actor rus
  rnk-events show 2024-06-18-putin-state-visit-to-north-korea
  rnk-events export ics -o rnk-events.ics --status planned
  rnk-events export --all exports/
  rnk-events validate my-timeline.csv

exit codes: 0 ok, 1 data or file problem, 2 usage error, 130 interrupted
"""

_LIST_EPILOG = """\
Filters combine: an event must match all of them. Repeat --actor, --person or
--place to require every one; repeat --category or --status to accept any one.
--from and --to take any date the library reads ("2024", "May 2024",
"Sept. 13, 2023", "2023-09-13") and are inclusive: --from counts from its first
day, --to through its last day, and an event counts if any of its days falls
in the range.

examples:
  rnk-events list
  rnk-events list --from 2023 --to "May 2024" --actor rus --actor prk
  rnk-events list --person "Kim Jong Un" --category summit --ids
  rnk-events list --status planned --format json > planned.json
  rnk-events list --data my-timeline.csv --search satellite
"""

_SHOW_EPILOG = """\
The id is the event's slug; 'rnk-events list --ids' shows them.

example:
  rnk-events show 2019-04-25-first-putin-kim-jong-un-summit-vladivostok
"""

_EXPORT_EPILOG = """\
formats:
{formats}

Without FORMAT, the extension of -o PATH picks it. '-o -' writes to stdout.
The filters of 'rnk-events list' apply. Files are written atomically: on any
error nothing is left half-written and an existing file is untouched.

examples:
  rnk-events export xlsx -o timeline.xlsx
  rnk-events export -o timeline.ics
  rnk-events export json -o - --status planned | jq '.events[].title'
  rnk-events export ics -o putin-visit.ics --from 2024-06 --stamp 2024-06-17T00:00:00Z
  rnk-events export html -o timeline.html --timelinejs-base ./timeline3
  rnk-events export --all exports/ --actor PRK
"""

_VALIDATE_EPILOG = """\
Reads a dataset (.json, .csv or .xlsx, in the library's layout) and prints
every problem, one per line (file, record, field, message), then exits 1; a
clean file prints "OK: N events" and exits 0. Lines starting "warning:" point
at things that are legal but look wrong; they do not fail the check.

examples:
  rnk-events validate my-timeline.json
  rnk-events validate my-timeline.csv
"""


def _formats_help() -> str:
    return "\n".join(f"  {info.name:<12} {info.extension:<17} {info.description}" for info in FORMATS.values())


def _add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        metavar="PATH",
        type=Path,
        help="read this dataset (.json, .csv or .xlsx) instead of the bundled timeline",
    )


def _add_filters(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters")
    group.add_argument("--from", dest="start", metavar="DATE", type=date_arg, help="events on or after DATE")
    group.add_argument("--to", dest="end", metavar="DATE", type=date_arg, help="events on or before DATE")
    group.add_argument(
        "--actor",
        dest="actors",
        metavar="CODE",
        action="append",
        type=_actor_arg,
        help="involving this country code or organisation id (any case: rus = RUS)",
    )
    group.add_argument(
        "--person",
        dest="people",
        metavar="NAME",
        action="append",
        help="naming this person (whole words of the name: putin, 'kim jong un')",
    )
    group.add_argument(
        "--place", dest="places", metavar="NAME", action="append", help="at this place (whole words of its name)"
    )
    group.add_argument(
        "--category",
        dest="categories",
        metavar="CATEGORY",
        action="append",
        type=one_of("category", [member.value for member in Category]),
        choices=[member.value for member in Category],
        help="of this category: %(choices)s",
    )
    group.add_argument(
        "--status",
        dest="statuses",
        metavar="STATUS",
        action="append",
        type=one_of("status", [member.value for member in Status]),
        choices=[member.value for member in Status],
        help="with this status: %(choices)s",
    )
    group.add_argument("--search", metavar="TEXT", help="whose text contains every word of TEXT")


def _subparser(
    subparsers: Any, name: str, help_text: str, epilog: str, handler: Callable[[argparse.Namespace], int]
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=help_text,
        description=help_text[:1].upper() + help_text[1:] + ".",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The full command-line parser; imports no format module."""
    parser = _Parser(
        prog=PROG,
        description="A sourced timeline of Russia-North Korea relations: list, show, export and validate events.",
        epilog=_MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subparsers = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")

    listing = _subparser(subparsers, "list", "list events as a table, JSON or CSV", _LIST_EPILOG, _run_list)
    listing.add_argument(
        "--format",
        type=one_of("list format", LIST_FORMATS),
        choices=LIST_FORMATS,
        default="table",
        help="%(choices)s (default: %(default)s)",
    )
    listing.add_argument("--ids", action="store_true", help="add a column with each event's id")
    _add_data_option(listing)
    _add_filters(listing)

    show = _subparser(subparsers, "show", "show one event in full, with its sources", _SHOW_EPILOG, _run_show)
    show.add_argument("id", metavar="ID", help="the event's id")
    _add_data_option(show)

    exporting = _subparser(
        subparsers,
        "export",
        "write events to a file in one format, or in every format",
        _EXPORT_EPILOG.format(formats=_formats_help()),
        _run_export,
    )
    exporting.add_argument(
        "format",
        metavar="FORMAT",
        nargs="?",
        type=one_of("format", list(FORMATS)),
        choices=list(FORMATS),
        help="one of %(choices)s",
    )
    exporting.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        type=Path,
        help="the file to write, or - for stdout (for datapackage, a folder unless PATH ends in .zip); "
        "parent folders are created",
    )
    exporting.add_argument(
        "--all", dest="all_dir", metavar="DIR", type=Path, help=f"write every format into DIR as {ALL_STEM}.<ext>"
    )
    exporting.add_argument(
        "--timelinejs-base",
        metavar="URL",
        type=_base_arg,
        help="html: load TimelineJS from this copy of its dist folder instead of Knight Lab's CDN",
    )
    exporting.add_argument(
        "--stamp",
        metavar="DATETIME",
        type=_stamp_arg,
        help="ics, xlsx, datapackage: record this as the time the file was made (ISO 8601; UTC if no offset), "
        "so the same events give byte-identical files",
    )
    _add_data_option(exporting)
    _add_filters(exporting)

    validate = _subparser(
        subparsers, "validate", "check a dataset file and report every problem", _VALIDATE_EPILOG, _run_validate
    )
    validate.add_argument("path", metavar="PATH", type=Path, help="the .json, .csv or .xlsx file to check")

    _add_ingest(subparsers)
    parser.set_defaults(commands=tuple(subparsers.choices))
    return parser


def _add_ingest(subparsers: Any) -> None:
    """Register ``ingest``, whose options and handler live in :mod:`rnk_events.ingest`.

    That module is imported with this one; it loads no format module, so
    ``--help`` and ``list`` still import neither openpyxl nor icalendar.
    """
    first_line = (ingest.__doc__ or "draft events from a news timeline").strip().splitlines()[0]
    summary = first_line.split(":")[0].rstrip(".")
    parser = subparsers.add_parser(
        "ingest",
        help=summary[:1].lower() + summary[1:],
        description=ingest.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ingest.configure_parser(parser)
    parser.set_defaults(handler=ingest.run_cli)


# --- shared helpers --------------------------------------------------------------------------


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


def _terminal_width() -> int:
    return max(shutil.get_terminal_size(_FALLBACK_SIZE).columns, 40)


def _load(path: Path | None) -> EventCollection:
    try:
        return load(path)
    except DatasetError as error:
        hint = f" (run '{PROG} validate {path}' to list every problem)" if len(error.problems) > 1 else ""
        raise CliError(_one_line(str(error)) + hint) from None


def _select(events: EventCollection, args: argparse.Namespace) -> EventCollection:
    """The events that pass every filter given on the command line."""
    selected = events
    if args.start is not None or args.end is not None:
        try:
            selected = selected.between(args.start, args.end)
        except ValueError as error:
            raise CliError(f"--from/--to: {error}", EXIT_USAGE) from None
    for code in args.actors or ():
        selected = selected.by_actor(code)
    for person in args.people or ():
        selected = selected.by_person(person)
    for place in args.places or ():
        selected = selected.at_place(place)
    if args.categories:
        categories = {Category(value) for value in args.categories}
        selected = selected.filter(lambda event: event.category in categories)
    if args.statuses:
        statuses = {Status(value) for value in args.statuses}
        selected = selected.filter(lambda event: event.status in statuses)
    if args.search:
        selected = selected.search(args.search)
    return selected


def _filtered(args: argparse.Namespace) -> bool:
    names = ("start", "end", "actors", "people", "places", "categories", "statuses", "search")
    return any(getattr(args, name) for name in names)


def _count_line(selected: EventCollection, total: EventCollection, filtered: bool) -> str:
    if filtered:
        return f"{len(selected)} of {plural(len(total), 'event')}"
    return plural(len(selected), "event")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _clean(text: str) -> str:
    """Text safe to print: one line, and no control characters a terminal would obey."""
    return "".join("\ufffd" if unicodedata.category(char) == "Cc" else char for char in _one_line(text))


def _export_to_stdout(events: EventCollection, format_name: str) -> None:
    """Write an export's bytes to stdout, or its text where stdout has no binary buffer."""
    sys.stdout.flush()
    buffer: IO[bytes] | None = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        export(events, format_name, buffer)
        buffer.flush()
        return
    data = io.BytesIO()
    export(events, format_name, data)
    sys.stdout.write(data.getvalue().decode("utf-8"))


# --- list ------------------------------------------------------------------------------------


def _cell_width(text: str) -> int:
    """Columns the text takes in a terminal: wide East Asian characters take two, accents none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _truncate(text: str, width: int) -> str:
    if _cell_width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        step = _cell_width(char)
        if used + step > width - 1:
            break
        kept.append(char)
        used += step
    return "".join(kept).rstrip() + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _cell_width(text))


def render_table(headers: Sequence[str], rows: Iterable[Sequence[str]], flexible: int, width: int) -> list[str]:
    """Rows as aligned lines no wider than ``width``, shortening only column ``flexible``.

    The flexible column keeps at least a readable minimum, so on a very narrow
    terminal lines may wrap rather than lose the title altogether.
    """
    table = [list(headers), *([_clean(cell) for cell in row] for row in rows)]
    widths = [max(_cell_width(row[column]) for row in table) for column in range(len(headers))]
    gap = "  "
    others = sum(widths) - widths[flexible] + len(gap) * (len(widths) - 1)
    widths[flexible] = min(widths[flexible], max(width - others, _MIN_TITLE))
    lines = []
    for row in table:
        cells = [_pad(_truncate(cell, widths[i]), widths[i]) for i, cell in enumerate(row)]
        lines.append(gap.join(cells).rstrip())
    return lines


def _run_list(args: argparse.Namespace) -> int:
    events = _load(args.data)
    selected = _select(events, args)
    if args.format == "table":
        headers = ["DATE", "TITLE", "CATEGORY", "STATUS"]
        rows = [[e.date.display(), e.title, e.category.value, e.status.value] for e in selected]
        if args.ids:
            headers.append("ID")
            rows = [[*row, event.id] for row, event in zip(rows, selected, strict=True)]
        if rows:
            print("\n".join(render_table(headers, rows, flexible=1, width=_terminal_width())))
    else:
        _export_to_stdout(selected, args.format)
    sys.stdout.flush()  # a closed pipe shows up here, before the count line
    _stderr(_count_line(selected, events, _filtered(args)))
    return EXIT_OK


# --- show ------------------------------------------------------------------------------------


def _field(label: str, value: str, width: int) -> list[str]:
    """A labelled value, wrapped under itself."""
    indent = " " * _LABEL
    return textwrap.wrap(
        _clean(value),
        width=max(width, _LABEL + 20),
        initial_indent=f"{label:<{_LABEL}}",
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [label]


def _actor(code: str) -> str:
    try:
        return f"{code} ({actor_name(code)})"
    except KeyError:
        return code


def _source_lines(event: Event, info: DatasetInfo, width: int) -> list[str]:
    lines = ["sources"]
    indent = "    "
    for number, ref in enumerate(event.sources, start=1):
        head = f"{number}. "
        try:
            source = info.source(ref.source)
        except KeyError:
            lines.append(f"  {head}{_clean(ref.source)} (not described in this dataset)")
        else:
            lines.extend(
                textwrap.wrap(
                    _clean(f"{source.publisher}: {source.title}"),
                    width=width,
                    initial_indent=f"  {head}",
                    subsequent_indent="     ",
                )
            )
            lines.append(f"     published {display_day(source.published)}; id {source.id}")
            if source.url:
                lines.append(f"     {_clean(source.url)}")
            elif source.file:
                lines.append(f"     no URL; captured as {_clean(source.file)}")
        lines.extend(
            textwrap.wrap(
                _clean(f'evidence: "{ref.evidence}"'),
                width=width,
                initial_indent=indent + " ",
                subsequent_indent=indent + " ",
            )
        )
    return lines


def render_event(event: Event, info: DatasetInfo, width: int = 100) -> str:
    """Everything the dataset knows about one event, as text for a terminal."""
    span = event.date
    days = plural(span.days, "day")
    status = event.status.value
    if event.status is not Status.HAPPENED and info.as_of is not None:
        status += f" (as of {display_day(info.as_of)})"
    lines = [*textwrap.wrap(_clean(event.title), width=width), ""]
    lines += _field("id", event.id, width)
    lines += _field("date", span.display(), width)
    lines += _field("", f"EDTF {span}, {span.precision.value} precision", width)
    lines += _field("", f"{span.first_day.isoformat()} to {span.last_day.isoformat()} ({days})", width)
    lines += _field("category", event.category.value, width)
    lines += _field("status", status, width)
    lines += _field("actors", ", ".join(_actor(code) for code in event.actors), width)
    if event.people:
        lines += _field("people", "; ".join(event.people), width)
    for number, place in enumerate(event.places):
        where = place.name + (f", {place.country}" if place.country else "")
        if place.has_point:
            where += f" (lat {place.lat}, lon {place.lon})"
        lines += _field("places" if number == 0 else "", where, width)
    lines += ["", *_field("summary", event.summary, width)]
    if event.note:
        lines += _field("note", event.note, width)
    lines += ["", *_source_lines(event, info, width)]
    return "\n".join(lines)


def _unknown_id(wanted: str, ids: Sequence[str]) -> str:
    needle = wanted.strip().lower()
    close = difflib.get_close_matches(needle, ids, n=3, cutoff=0.75)
    words = [word for word in re.split(r"[^a-z0-9]+", needle) if word]
    containing = [event_id for event_id in ids if words and all(word in event_id for word in words)]
    suggestions = list(dict.fromkeys([*close, *containing]))[:5]
    message = f"no event with id {wanted!r}"
    if suggestions:
        choices = suggestions[0] if len(suggestions) == 1 else f"{', '.join(suggestions[:-1])} or {suggestions[-1]}"
        return f"{message}; did you mean {choices}?"
    return f"{message} (see '{PROG} list --ids')"


def _run_show(args: argparse.Namespace) -> int:
    events = _load(args.data)
    if args.id not in events:
        raise CliError(_unknown_id(args.id, events.ids))
    print(render_event(events.get(args.id), events.info, width=min(_terminal_width(), 100)))
    return EXIT_OK


# --- export ----------------------------------------------------------------------------------


def _format_options(info: FormatInfo, given: dict[str, Any]) -> dict[str, Any]:
    """The given options this format's ``write`` takes.

    Only parameters that ``write`` names count: ``**options`` is not a promise to use them.
    """
    try:
        module = info.load()
    except ImportError as error:
        raise CliError(f"{info.name}: this format is unavailable ({error})") from None
    parameters = inspect.signature(module.write).parameters
    return {keyword: value for keyword, value in given.items() if keyword in parameters}


def _is_package_folder(info: FormatInfo, path: Path) -> bool:
    """A data package goes to a folder unless the path names a zip file."""
    return info.name == "datapackage" and not path.name.lower().endswith(".zip")


def _summary(info: FormatInfo, where: str, size: int, count: int, path_width: int) -> str:
    return f"{info.name:<11}  {where:<{path_width}}  {size:>9,} bytes  {plural(count, 'event')}"


def _write(events: EventCollection, info: FormatInfo, path: Path, options: dict[str, Any], path_width: int) -> str:
    """Export atomically; return the summary line (format, path, size, events)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if _is_package_folder(info, path):
            from rnk_events.formats import datapackage as datapackage_format

            datapackage_format.write_directory(events, path, **options)
            size = sum(member.stat().st_size for member in path.iterdir())
        else:
            export(events, info.name, path, **options)
            size = path.stat().st_size
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror or error}") from None
    except ValueError as error:
        raise CliError(f"{info.name}: {_one_line(str(error))}") from None
    return _summary(info, str(path), size, len(events), path_width)


def _write_stdout(events: EventCollection, info: FormatInfo, options: dict[str, Any]) -> str:
    """Export to stdout's binary buffer, built whole first so a failure writes nothing."""
    data = io.BytesIO()
    try:
        export(events, info.name, data, **options)
    except ValueError as error:
        raise CliError(f"{info.name}: {_one_line(str(error))}") from None
    sys.stdout.flush()
    sys.stdout.buffer.write(data.getvalue())
    sys.stdout.buffer.flush()  # a closed pipe shows up here, before the summary line
    return _summary(info, "stdout", len(data.getvalue()), len(events), len("stdout"))


def _format_from_path(path: Path) -> FormatInfo:
    """The format whose extension ``-o PATH`` ends with, as ``rnk_events.export`` picks it."""
    if str(path) == STDOUT:
        raise CliError("export -o - (stdout) needs a FORMAT, for example 'export json -o -'", EXIT_USAGE)
    try:
        if path.name in FORMATS:  # "-o json": a FORMAT put after -o, not a file name
            raise ValueError(path.name)
        return format_for(path.name)
    except ValueError:
        raise CliError(
            f"cannot tell the format of {str(path)!r} from its extension; "
            f"give a FORMAT: {', '.join(FORMATS)} (see '{PROG} export --help')",
            EXIT_USAGE,
        ) from None


def _run_export(args: argparse.Namespace) -> int:
    if args.all_dir is not None and (args.format is not None or args.output is not None):
        raise CliError("--all DIR writes every format; leave out FORMAT and -o", EXIT_USAGE)
    if args.all_dir is None and args.output is None:
        if args.format is None:
            raise CliError("give a FORMAT and -o PATH, or --all DIR (see 'rnk-events export --help')", EXIT_USAGE)
        raise CliError(f"export {args.format} needs -o PATH, the file to write (or -o - for stdout)", EXIT_USAGE)
    given = {name: getattr(args, name) for name in EXPORT_OPTIONS if getattr(args, name) is not None}

    if args.output is not None:
        info = FORMATS[args.format] if args.format is not None else _format_from_path(args.output)
        options = _format_options(info, given)
        unused = sorted(given.keys() - options.keys())
        if unused:
            raise CliError(f"{EXPORT_OPTIONS[unused[0]]} does not apply to the {info.name} format", EXIT_USAGE)
        events = _load(args.data)
        selected = _select(events, args)
        _warn_if_empty(selected)
        if str(args.output) == STDOUT:
            _stderr(_write_stdout(selected, info, options))
            return EXIT_OK
        if not args.output.name.lower().endswith(info.extension) and not _is_package_folder(info, args.output):
            _stderr(f"{PROG}: warning: {args.output} does not end in {info.extension}")
        _stderr(_write(selected, info, args.output, options, len(str(args.output))))
        return EXIT_OK

    events = _load(args.data)
    selected = _select(events, args)
    _warn_if_empty(selected)
    try:
        args.all_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CliError(f"cannot create {args.all_dir}: {error.strerror or error}") from None
    paths = {name: args.all_dir / f"{ALL_STEM}{info.extension}" for name, info in FORMATS.items()}
    path_width = max(len(str(path)) for path in paths.values())
    failures, used = 0, set[str]()
    for name, info in FORMATS.items():
        try:
            options = _format_options(info, given)
            used.update(options)
            _stderr(_write(selected, info, paths[name], options, path_width))
        except CliError as error:
            failures += 1
            _stderr(f"{PROG}: error: {error.message}")
    for name in sorted(given.keys() - used):
        _stderr(f"{PROG}: warning: no format used {EXPORT_OPTIONS[name]}")
    if failures:
        raise CliError(f"{failures} of {plural(len(FORMATS), 'format')} failed; the others were written")
    return EXIT_OK


def _warn_if_empty(selected: EventCollection) -> None:
    if not selected:
        _stderr(f"{PROG}: warning: no events match the filters; writing an empty export")


# --- validate --------------------------------------------------------------------------------


def _warnings(events: EventCollection, origin: str) -> list[str]:
    """Things that are legal but usually a mistake in a hand-made dataset."""
    found = []
    as_of = events.info.as_of
    titles: dict[str, str] = {}
    for event in events:
        where = f"{origin}, event {event.id!r}"
        if as_of is not None and event.status is Status.HAPPENED and event.date.first_day > as_of:
            found.append(f"{where}: status 'happened' but it starts after the dataset's as-of date {as_of}")
        if as_of is not None and event.status is Status.PLANNED and event.date.last_day < as_of:
            found.append(f"{where}: status 'planned' but it ended before the dataset's as-of date {as_of}")
        title = " ".join(event.title.casefold().split())
        if title in titles:
            found.append(f"{where}: same title as event {titles[title]!r}; a duplicate?")
        titles.setdefault(title, event.id)
    if not events.info.sources and any(event.sources for event in events):
        found.append(f"{origin}: the file lists no sources, so the source ids its events cite were not checked")
    return found


def _run_validate(args: argparse.Namespace) -> int:
    path: Path = args.path
    try:
        events = load(path)
    except DatasetError as error:
        for problem in error.problems:
            print(_one_line(str(problem)))
        sys.stdout.flush()
        raise CliError(f"{plural(len(error.problems), 'problem')} in {path}") from None
    for warning in _warnings(events, str(path)):
        print(f"warning: {warning}")
    print(f"OK: {plural(len(events), 'event')}")
    return EXIT_OK


# --- entry point -----------------------------------------------------------------------------


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status instead of exiting."""
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as done:  # --help and --version
            return done.code if isinstance(done.code, int) else EXIT_OK
        handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
        if handler is None:
            commands = ", ".join(args.commands)
            raise CliError(f"choose a command: {commands} (see '{PROG} --help')", EXIT_USAGE)
        status = handler(args)
        sys.stdout.flush()
        return status
    except CliError as error:
        _stderr(f"{PROG}: error: {error.message}")
        return error.code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except OSError as error:
        _stderr(f"{PROG}: error: {_one_line(str(error))}")
        return EXIT_DATA
    except Exception as error:  # a bug still gets one line; the traceback on request
        if os.environ.get(DEBUG_VARIABLE):
            raise
        _stderr(
            f"{PROG}: internal error: {type(error).__name__}: {_one_line(str(error))} "
            f"(set {DEBUG_VARIABLE}=1 to see the traceback, and please report it)"
        )
        return EXIT_DATA
