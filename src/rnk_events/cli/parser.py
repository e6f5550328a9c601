"""The ``rnk-events`` argument parser: every command, flag and help text.

The format-related parts are read from the registry when the parser is built:
``export``'s FORMAT choices and formats list, one flag per format option (its
flag, metavar, help and text parser), and the readable extensions in the help
of ``--data`` and ``validate``. Building the parser imports no format module,
and of the command modules only those of the command it builds arguments for:
the one-line helps of the others are in :mod:`~rnk_events.cli.command_help`.
"""

from __future__ import annotations

import argparse
import ast
import enum
import importlib
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from rnk_events import __version__
from rnk_events.actors import ORGANISATIONS, is_actor
from rnk_events.cli import command_help, commands
from rnk_events.cli.common import (
    EXIT_USAGE,
    PROG,
    CliError,
    add_choice_option,
    add_input_format_option,
    date_arg,
    format_option_type,
    one_of,
)
from rnk_events.formats.registry import extensions_text, readable_formats
from rnk_events.model import Category, Status

__all__ = ["build_parser", "command_in"]

_MAIN_EPILOG = """\
examples:
  rnk-events list --from 2024 --actor rus
  rnk-events show 2024-06-18-putin-state-visit-to-north-korea
  rnk-events export ics -o rnk-events.ics --status planned
  rnk-events export --all exports/
  rnk-events validate my-timeline.csv --base bundled
  rnk-events merge bundled drafts.json -o merged.json

'-' reads standard input wherever a command reads a file (--data -, validate -).

exit codes: 0 ok, 1 data or file problem, 2 usage error, 130 interrupted
(diff and merge: 0 same / no conflicts, 1 different / conflicts, 2 trouble)
"""

_LIST_EPILOG = """\
Filters combine: an event must match all of them. Repeat --actor, --person or
--place to require every one; repeat --category or --status to accept any one.
--from and --to take any date the library reads ("2024", "May 2024",
"Sept. 13, 2023", "2023-09-13") and are inclusive: --from counts from its first
day, --to through its last day, and an event counts if it may fall in the range
(an imprecise date counts if any day it could be on is inside). With --certain,
only events certainly in the range count: a point wholly inside it, or an
interval that certainly overlaps it.

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
Reads a dataset ({extensions}, in the library's layout) and prints
every problem, one per line (file, record, field, message), then exits 1; a
clean file prints "OK: N events" and exits 0. Lines starting "warning:" point
at things that are legal but look wrong; they do not fail the check.

With --base PATH (a dataset file, - or 'bundled'), the file's events are
checked against that dataset's sources and withdrawals, as they load with it.
PATH - reads standard input (its format sniffed, or named by --input-format).

examples:
  rnk-events validate my-timeline.json
  rnk-events validate my-timeline.csv
  rnk-events validate edited.xlsx --base bundled
  rnk-events export csv -o - | rnk-events validate -
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage dump) and is raised, not exited."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see '{self.prog} --help')", EXIT_USAGE)


def _actor_arg(text: str) -> str:
    code = text.strip().upper()
    if not is_actor(code):
        organisations = ", ".join(ORGANISATIONS)
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an actor: use an ISO 3166-1 alpha-3 country code (RUS, PRK, ...) "
            f"or one of {organisations}"
        )
    return code


def _readable_extensions() -> str:
    return extensions_text(readable_formats())


def _formats_help() -> str:
    from rnk_events.cli import export_command

    formats = export_command.writable_formats().values()
    return "\n".join(f"  {info.name:<12} {info.extension:<17} {info.description}" for info in formats)


def _add_input_options(parser: argparse.ArgumentParser, *, data: bool = True, base: bool = True) -> None:
    """``--data`` (where the command reads a dataset), ``--base`` and ``--input-format``."""
    if data:
        parser.add_argument(
            "--data",
            metavar="PATH",
            type=Path,
            help=f"read this dataset ({_readable_extensions()}) instead of the bundled timeline "
            "(also a data package folder, or - for standard input)",
        )
    if base:
        parser.add_argument(
            "--base",
            metavar="PATH",
            type=Path,
            help="take the dataset's name, title, version, as-of date, sources and withdrawals from this dataset "
            "(a file, -, or 'bundled'); the file read gives only the events (for a CSV or workbook edited "
            "from an export)",
        )
    add_input_format_option(
        parser, ": { is json, a zip with datapackage.json datapackage, another zip xlsx, anything else csv"
    )


def _days_arg(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = 0
    if days < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of days, 1 or more, got {text!r}")
    return days


def _add_enum_filter(group: Any, name: str, dest: str, kind: type[enum.Enum], help_text: str) -> None:
    """``--category`` / ``--status``: repeatable, any case, the allowed values in the help."""
    values = [member.value for member in kind]
    group.add_argument(
        f"--{name}",
        dest=dest,
        metavar=name.upper(),
        action="append",
        type=one_of(name, values),
        choices=values,
        help=f"{help_text}: %(choices)s",
    )


def _add_filters(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters")
    group.add_argument("--from", dest="start", metavar="DATE", type=date_arg, help="events on or after DATE")
    group.add_argument("--to", dest="end", metavar="DATE", type=date_arg, help="events on or before DATE")
    group.add_argument(
        "--certain",
        action="store_true",
        help="with --from/--to: only events certainly in the range, not those that only may be "
        "(a date 'one day between June 10 and 16' is certainly in June, not certainly on June 12)",
    )
    group.add_argument(
        "--known-within",
        dest="known_within",
        metavar="DAYS",
        type=_days_arg,
        help="only events whose every date is known to within DAYS days, unqualified (1: known to the day)",
    )
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
    _add_enum_filter(group, "category", "categories", Category, "of this category")
    _add_enum_filter(group, "status", "statuses", Status, "with this status")
    group.add_argument("--search", metavar="TEXT", help="whose text contains every word of TEXT")


def _add_format_options(parser: argparse.ArgumentParser) -> None:
    """One flag per option the registry declares, its help prefixed by the formats that take it.

    A ``bool`` option is a switch that takes no value: its flag sets the
    opposite of the option's default (``--no-bom`` for ``bom=True``).
    """
    from rnk_events.cli import export_command

    for name, entry in export_command.export_options().items():
        option = entry.option
        help_text = f"{', '.join(entry.formats)}: {option.help}".replace("%", "%%")
        if option.type is bool:  # a switch: the flag turns the default over
            parser.add_argument(
                *option.flags,
                dest=export_command.option_dest(name),
                action="store_const",
                const=not option.default,
                default=None,
                help=help_text,
            )
            continue
        parser.add_argument(
            *option.flags,
            dest=export_command.option_dest(name),
            metavar=option.metavar,
            type=format_option_type(option),
            help=help_text,
        )


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


def _add_export(subparsers: Any) -> None:
    from rnk_events.cli import export_command

    epilog = _EXPORT_EPILOG.format(formats=_formats_help())
    exporting = _subparser(subparsers, "export", command_help.EXPORT, epilog, export_command.run_export)
    names = list(export_command.writable_formats())
    exporting.add_argument(
        "format", metavar="FORMAT", nargs="?", type=one_of("format", names), choices=names, help="one of %(choices)s"
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
        "--all",
        dest="all_dir",
        metavar="DIR",
        type=Path,
        help=f"write every format into DIR as NAME.<ext>: {export_command.ALL_STEM} for the bundled timeline, "
        "the dataset's name (as a slug) for your own",
    )
    _add_format_options(exporting)
    _add_input_options(exporting)
    _add_filters(exporting)


def _module_docstring(name: str) -> str | None:
    """A module's docstring read from its source, without importing the module (and what it imports).

    The ``ingest`` help is :mod:`rnk_events.ingest`'s docstring, its rules;
    importing the ingester to read it would cost every command 7 ms.
    """
    spec = importlib.util.find_spec(name)
    loader = spec.loader if spec else None
    source = loader.get_source(name) if loader and hasattr(loader, "get_source") else None
    body = (source or "").lstrip()
    quote = body[:3]
    end = body.find(quote, 3) if quote in ('"""', "'''") else -1
    try:
        docstring = ast.literal_eval(body[: end + 3]) if end > 0 else None
    except (SyntaxError, ValueError):  # a docstring this shortcut cannot cut out: import the module after all
        docstring = None
    if not isinstance(docstring, str):
        docstring = importlib.import_module(name).__doc__
    return docstring


def _ingest_summary(rules: str | None) -> str:
    """The ingest command's one-line help: the first sentence of the ingester's docstring."""
    first_line = (rules or "draft events from a news timeline").strip().splitlines()[0]
    summary = first_line.split(":")[0].rstrip(".")
    return summary[:1].lower() + summary[1:]


def _add_ingest(subparsers: Any) -> None:
    """Register ``ingest``, described by the library module's docstring (its rules)."""
    from rnk_events.cli import ingest_command

    rules = _module_docstring("rnk_events.ingest")
    parser = subparsers.add_parser(
        "ingest",
        help=_ingest_summary(rules),
        description=rules,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ingest_command.configure_parser(parser)
    parser.set_defaults(handler=ingest_command.run_ingest)


def _add_list(subparsers: Any) -> None:
    listing = _subparser(subparsers, "list", command_help.LIST, _LIST_EPILOG, commands.run_list)
    add_choice_option(listing, "--format", "list format", commands.LIST_FORMATS, default="table")
    listing.add_argument("--ids", action="store_true", help="add a column with each event's id")
    _add_input_options(listing)
    _add_filters(listing)


def _add_show(subparsers: Any) -> None:
    show = _subparser(subparsers, "show", command_help.SHOW, _SHOW_EPILOG, commands.run_show)
    show.add_argument("id", metavar="ID", help="the event's id")
    _add_input_options(show)


def _add_validate(subparsers: Any) -> None:
    epilog = _VALIDATE_EPILOG.format(extensions=_readable_extensions())
    validate = _subparser(subparsers, "validate", command_help.VALIDATE, epilog, commands.run_validate)
    validate.add_argument(
        "path",
        metavar="PATH",
        type=Path,
        help=f"the {_readable_extensions()} file to check (or a data package folder, or - for standard input)",
    )
    _add_input_options(validate, data=False)


def _add_diff(subparsers: Any) -> None:
    from rnk_events.cli import diff_command

    comparing = _subparser(subparsers, "diff", command_help.DIFF, diff_command.EPILOG, diff_command.run_diff)
    diff_command.configure_parser(comparing)


def _add_merge(subparsers: Any) -> None:
    from rnk_events.cli import merge_command

    merging = _subparser(subparsers, "merge", command_help.MERGE, merge_command.EPILOG, merge_command.run_merge)
    merge_command.configure_parser(merging)


def _add_publish(subparsers: Any) -> None:
    from rnk_events.cli import publish_command

    publishing = _subparser(
        subparsers, "publish", command_help.PUBLISH, publish_command.EPILOG, publish_command.run_publish
    )
    publish_command.configure_parser(publishing)
    _add_input_options(publishing)
    _add_filters(publishing)


def _add_serve(subparsers: Any) -> None:
    from rnk_events.cli import serve_command

    serving = _subparser(subparsers, "serve", command_help.SERVE, serve_command.EPILOG, serve_command.run_serve)
    serve_command.configure_parser(serving)


def _ingest_help() -> str:
    return _ingest_summary(_module_docstring("rnk_events.ingest"))


#: Every command, in the order ``--help`` lists them: its one-line help (a function: the ingest
#: help is read from a file) and what adds its arguments.
_COMMANDS: tuple[tuple[str, Callable[[], str], Callable[[Any], None]], ...] = (
    ("list", lambda: command_help.LIST, _add_list),
    ("show", lambda: command_help.SHOW, _add_show),
    ("export", lambda: command_help.EXPORT, _add_export),
    ("validate", lambda: command_help.VALIDATE, _add_validate),
    ("ingest", _ingest_help, _add_ingest),
    ("diff", lambda: command_help.DIFF, _add_diff),
    ("merge", lambda: command_help.MERGE, _add_merge),
    ("publish", lambda: command_help.PUBLISH, _add_publish),
    ("serve", lambda: command_help.SERVE, _add_serve),
)


def command_in(argv: list[str]) -> str | None:
    """The command ``argv`` runs (its first word that is not an option), ``""`` for none, None when unsure.

    The main parser's own options (``--help``, ``--version``) take no value,
    so the first other word is the command. ``--`` leaves it to argparse.
    """
    for word in argv:
        if word == "--":
            return None
        if not word.startswith("-"):
            return word
    return ""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full command-line parser, from the registry as it is now; imports no format module.

    With ``only`` (a command's name, as :func:`command_in` finds it; ``""`` for
    none) the other commands are listed with their help but get no arguments:
    the command line then builds only what it runs (every command's arguments
    cost ``list`` 5 ms).
    """
    parser = _Parser(
        prog=PROG,
        description="A sourced timeline of Russia-North Korea relations: list, show, export and validate events.",
        epilog=_MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subparsers = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    known = {name for name, _, _ in _COMMANDS}
    for name, help_text, add in _COMMANDS:
        if only is None or name == only or (only and only not in known):  # an unknown name: argparse says so
            add(subparsers)
        else:
            subparsers.add_parser(name, help=help_text())
    parser.set_defaults(commands=tuple(subparsers.choices))
    return parser
