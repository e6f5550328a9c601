"""``rnk-events export``: one format to a file or stdout, or every format into a folder.

What a format is called, which extension it writes and which options it takes
all come from :data:`~rnk_events.formats.FORMATS`, read when the command runs,
so a format added to the registry is exported, offered and checked here with
no edit to this module.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

import attrs

from rnk_events.cli import common
from rnk_events.cli.common import EXIT_OK, EXIT_USAGE, PROG, CliError, one_line, plural, select, stderr
from rnk_events.collection import EventCollection
from rnk_events.dataset import is_bundled
from rnk_events.errors import ExportError
from rnk_events.formats import FORMATS, FormatInfo, FormatOption, export, format_for
from rnk_events.ids import slug

__all__ = [
    "ALL_STEM",
    "STDOUT",
    "ExportOption",
    "all_stem",
    "export_options",
    "option_dest",
    "run_export",
    "writable_formats",
]

#: File names ``export --all`` gives the bundled dataset: ``rnk-events`` plus the format's extension.
#: A user's own dataset names its files after its ``info.name`` instead (see :func:`all_stem`).
ALL_STEM = "rnk-events"

#: ``export -o STDOUT`` writes the export to standard output.
STDOUT = "-"


@attrs.frozen
class ExportOption:
    """One command-line flag for a format option, and the formats that take it (in registry order)."""

    option: FormatOption
    formats: tuple[str, ...]


def writable_formats() -> dict[str, FormatInfo]:
    """The registered formats that write, by name, in registry order."""
    return {name: info for name, info in FORMATS.items() if info.writes}


def export_options() -> dict[str, ExportOption]:
    """Every option some format declares, once by name, with the formats that take it."""
    found: dict[str, tuple[FormatOption, list[str]]] = {}
    for info in writable_formats().values():
        for option in info.options:
            found.setdefault(option.name, (option, []))[1].append(info.name)
    return {name: ExportOption(option, tuple(formats)) for name, (option, formats) in found.items()}


def option_dest(name: str) -> str:
    """The argparse dest of a format option, apart from the command's own (a format may call one ``search``)."""
    return f"format_option_{name}"


def all_stem(events: EventCollection) -> str:
    """The file name stem of ``export --all``: ``rnk-events`` for the bundled dataset, else its name as a slug."""
    if is_bundled(events):
        return ALL_STEM
    return slug(events.info.name, ALL_STEM)


def _available(info: FormatInfo) -> None:
    """Load the format's module now, so a missing dependency is one line naming the extra to install."""
    try:
        info.load()
    except ImportError as error:
        raise CliError(f"{info.name}: this format is unavailable ({error})") from None


def _is_package_folder(info: FormatInfo, path: Path) -> bool:
    """A data package goes to a folder unless the path names a zip file."""
    return info.name == "datapackage" and not path.name.lower().endswith(".zip")


def _summary(info: FormatInfo, where: str, size: int, count: int, path_width: int) -> str:
    return f"{info.name:<11}  {where:<{path_width}}  {size:>9,} bytes  {plural(count, 'event')}"


def _format_error(info: FormatInfo, error: ValueError) -> str:
    """One line naming the format once: an ExportError's text already starts with it."""
    text = one_line(str(error))
    return text if isinstance(error, ExportError) else f"{info.name}: {text}"


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
        raise CliError(_format_error(info, error)) from None
    return _summary(info, str(path), size, len(events), path_width)


def _write_stdout(events: EventCollection, info: FormatInfo, options: dict[str, Any]) -> str:
    """Export to stdout's binary buffer, built whole first so a failure writes nothing."""
    data = io.BytesIO()
    try:
        export(events, info.name, data, **options)
    except ValueError as error:
        raise CliError(_format_error(info, error)) from None
    sys.stdout.flush()
    sys.stdout.buffer.write(data.getvalue())
    sys.stdout.buffer.flush()  # a closed pipe shows up here, before the summary line
    return _summary(info, "stdout", len(data.getvalue()), len(events), len("stdout"))


def _format_from_path(path: Path) -> FormatInfo:
    """The format whose extension ``-o PATH`` ends with, as ``rnk_events.export`` picks it."""
    if str(path) == STDOUT:
        raise CliError("export -o - (stdout) needs a FORMAT, for example 'export json -o -'", EXIT_USAGE)
    names = ", ".join(writable_formats())
    try:
        if path.name in FORMATS:  # "-o json": a FORMAT put after -o, not a file name
            raise ValueError(path.name)
        info = format_for(path.name)
    except ValueError:
        info = None
    if info is None or not info.writes:
        raise CliError(
            f"cannot tell the format of {str(path)!r} from its extension; "
            f"give a FORMAT: {names} (see '{PROG} export --help')",
            EXIT_USAGE,
        )
    return info


def _warn_if_empty(selected: EventCollection) -> None:
    if not selected:
        stderr(f"{PROG}: warning: no events match the filters; writing an empty export")


def _taken(info: FormatInfo, given: dict[str, Any]) -> dict[str, Any]:
    """The given options this format declares in the registry."""
    return {name: value for name, value in given.items() if info.option(name) is not None}


def run_export(args: argparse.Namespace) -> int:
    if args.all_dir is not None and (args.format is not None or args.output is not None):
        raise CliError("--all DIR writes every format; leave out FORMAT and -o", EXIT_USAGE)
    if args.all_dir is None and args.output is None:
        if args.format is None:
            raise CliError(f"give a FORMAT and -o PATH, or --all DIR (see '{PROG} export --help')", EXIT_USAGE)
        raise CliError(f"export {args.format} needs -o PATH, the file to write (or -o - for stdout)", EXIT_USAGE)
    flags = export_options()
    given = {
        name: getattr(args, option_dest(name)) for name in flags if getattr(args, option_dest(name), None) is not None
    }
    if args.output is not None:
        return _export_one(args, given, flags)
    return _export_all(args, given, flags)


def _export_one(args: argparse.Namespace, given: dict[str, Any], flags: dict[str, ExportOption]) -> int:
    info = FORMATS[args.format] if args.format is not None else _format_from_path(args.output)
    _available(info)
    options = _taken(info, given)
    unused = sorted(given.keys() - options.keys())
    if unused:
        raise CliError(f"{flags[unused[0]].option.flag} does not apply to the {info.name} format", EXIT_USAGE)
    events = common.load_data(args)
    selected = select(events, args)
    _warn_if_empty(selected)
    if str(args.output) == STDOUT:
        stderr(_write_stdout(selected, info, options))
        return EXIT_OK
    if not args.output.name.lower().endswith(info.extension) and not _is_package_folder(info, args.output):
        stderr(f"{PROG}: warning: {args.output} does not end in {info.extension}")
    stderr(_write(selected, info, args.output, options, len(str(args.output))))
    return EXIT_OK


def _export_all(args: argparse.Namespace, given: dict[str, Any], flags: dict[str, ExportOption]) -> int:
    events = common.load_data(args)
    selected = select(events, args)
    _warn_if_empty(selected)
    try:
        args.all_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CliError(f"cannot create {args.all_dir}: {error.strerror or error}") from None
    formats = writable_formats()
    stem = all_stem(events)
    paths = {name: args.all_dir / f"{stem}{info.extension}" for name, info in formats.items()}
    path_width = max(len(str(path)) for path in paths.values())
    failures, used = 0, set[str]()
    for name, info in formats.items():
        if not info.available():  # an optional extra not installed: every other format is still wanted
            stderr(f"{PROG}: note: {name} skipped: it needs pip install 'rnk_events[{info.extra}]'")
            continue
        try:
            options = _taken(info, given)
            used.update(options)
            stderr(_write(selected, info, paths[name], options, path_width))
        except CliError as error:
            failures += 1
            stderr(f"{PROG}: error: {error.message}")
    for name in sorted(given.keys() - used):
        stderr(f"{PROG}: warning: no format used {flags[name].option.flag}")
    if failures:
        raise CliError(f"{failures} of {plural(len(formats), 'format')} failed; the others were written")
    return EXIT_OK
