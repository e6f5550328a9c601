"""What every ``rnk-events`` command shares: the program name, exit codes, the one error type, argument types.

Each command module imports this, so an argument reads and fails the same way
in every subcommand and every failure leaves as a :class:`CliError`. It
imports no format module.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from rnk_events.collection import EventCollection
from rnk_events.dataset import load
from rnk_events.dates import DateError, DateSpan, parse_date
from rnk_events.errors import DatasetError, OptionError
from rnk_events.formats.registry import FormatOption, readable_formats
from rnk_events.model import Category, Status

__all__ = [
    "BUNDLED",
    "EXIT_BROKEN_PIPE",
    "EXIT_DATA",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROG",
    "STDIN",
    "CliError",
    "add_choice_option",
    "add_input_format_option",
    "check_one_stdin",
    "date_arg",
    "filtered",
    "format_option_type",
    "load_base",
    "load_data",
    "load_events",
    "one_line",
    "one_of",
    "plural",
    "read_dataset",
    "select",
    "stderr",
    "stdin_stream",
    "terminal_width",
]

PROG = "rnk-events"

EXIT_OK = 0
EXIT_DATA = 1  # a data or file problem
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # what a shell reports for a process killed by SIGPIPE

#: A file argument of ``-`` reads standard input.
STDIN = "-"
#: ``--base bundled`` (and ``diff``'s ``bundled``) names the timeline this version ships.
BUNDLED = "bundled"

_FALLBACK_SIZE = (100, 24)  # when stdout is not a terminal and $COLUMNS is unset
_FILTERS = ("start", "end", "known_within", "actors", "people", "places", "categories", "statuses", "search")


class CliError(Exception):
    """A failure to report as one line on stderr; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_DATA) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def date_arg(text: str) -> DateSpan:
    """Any date :func:`~rnk_events.dates.parse_date` reads; its message when it reads none."""
    try:
        return parse_date(text)
    except DateError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def one_of(noun: str, values: Sequence[str]) -> Callable[[str], str]:
    """A case-insensitive choice whose error names every allowed value.

    argparse's own "invalid choice" wording changes between Python versions;
    this one matches the library's message for a bad enum value.
    """

    def convert(text: str) -> str:
        value = text.strip().lower()
        if value not in values:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {noun}; allowed: {', '.join(values)}")
        return value

    convert.__name__ = noun
    return convert


def add_choice_option(
    parser: argparse.ArgumentParser, flag: str, noun: str, values: Sequence[str], default: str = "text"
) -> None:
    """A ``--flag`` taking one of ``values`` (see :func:`one_of`), its help listing them and the default."""
    parser.add_argument(
        flag,
        type=one_of(noun, values),
        choices=values,
        default=default,
        help="%(choices)s (default: %(default)s)",
    )


def add_input_format_option(parser: argparse.ArgumentParser, sniffing: str = "") -> None:
    """``--input-format``: the format of standard input, one of the readable formats.

    ``sniffing`` (e.g. ``": { is json, ..."``) follows "sniffed from its first bytes"
    in the help, for a command that explains how the format is guessed.
    """
    names = [info.name for info in readable_formats()]
    parser.add_argument(
        "--input-format",
        dest="input_format",
        metavar="FORMAT",
        type=one_of("readable format", names),
        choices=names,
        help=f"the format of standard input ('-'): %(choices)s (default: sniffed from its first bytes{sniffing})",
    )


def plural(count: int, noun: str) -> str:
    """``"1 event"``, ``"2 events"``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def one_line(text: str) -> str:
    """Whitespace (newlines included) collapsed, so an error stays one line."""
    return " ".join(text.split())


def stderr(line: str) -> None:
    """Commentary goes to stderr, so stdout carries only data."""
    print(line, file=sys.stderr)


def terminal_width() -> int:
    return max(shutil.get_terminal_size(_FALLBACK_SIZE).columns, 40)


def stdin_stream() -> IO[bytes]:
    """Standard input as bytes, for an argument of ``-``; one line if there is none."""
    stream: IO[bytes] | None = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise CliError("standard input is closed; pipe a dataset in, or give a file instead of '-'")
    return stream


def read_dataset(
    path: Path, *, base: EventCollection | None = None, input_format: str | None = None
) -> EventCollection:
    """The dataset at ``path`` (``-``: standard input, read as ``input_format`` or sniffed); DatasetError if broken."""
    if str(path) == STDIN:
        return load(stdin_stream(), base=base, format=input_format)
    return load(path, base=base)


def load_events(
    path: Path | None, *, base: EventCollection | None = None, input_format: str | None = None
) -> EventCollection:
    """The dataset at ``path`` (``-`` for stdin, the bundled one for None), its info from ``base`` if given.

    A broken file is one line pointing at ``validate``.
    """
    if path is None:
        return load() if base is None else base
    try:
        return read_dataset(path, base=base, input_format=input_format)
    except DatasetError as error:
        shown = "-" if str(path) == STDIN else str(path)
        hint = f" (run '{PROG} validate {shown}' to list every problem)" if len(error.problems) > 1 else ""
        raise CliError(one_line(str(error)) + hint) from None


def load_base(path: Path | None, input_format: str | None = None) -> EventCollection | None:
    """The collection ``--base PATH`` names: a dataset file, ``-``, or ``bundled``; None without one."""
    if path is None:
        return None
    if str(path) == BUNDLED:
        return load()
    return load_events(path, input_format=input_format)


def load_data(args: argparse.Namespace, path: Path | None = None) -> EventCollection:
    """The dataset a command's ``--data`` (or ``path``), ``--base`` and ``--input-format`` name."""
    given = args.data if path is None else path
    base_path: Path | None = getattr(args, "base", None)
    check_one_stdin(given, base_path)
    input_format: str | None = getattr(args, "input_format", None)
    return load_events(given, base=load_base(base_path, input_format), input_format=input_format)


def check_one_stdin(*paths: object) -> None:
    """Standard input can be read once: refuse two ``-`` arguments in one command."""
    if sum(str(path) == STDIN for path in paths if path is not None) > 1:
        raise CliError("only one argument can be '-' (standard input)", EXIT_USAGE)


def select(events: EventCollection, args: argparse.Namespace) -> EventCollection:
    """The events that pass every filter given on the command line (``list`` and ``export`` share them)."""
    selected = events
    if args.certain and args.start is None and args.end is None:
        raise CliError("--certain goes with --from and/or --to, the range to be certain about", EXIT_USAGE)
    if args.start is not None or args.end is not None:
        try:
            selected = selected.between(args.start, args.end, certain=args.certain)
        except ValueError as error:
            raise CliError(f"--from/--to: {error}", EXIT_USAGE) from None
    if args.known_within is not None:
        selected = selected.known_within(args.known_within)
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


def filtered(args: argparse.Namespace) -> bool:
    """Whether any filter was given, so a count can say "7 of 30"."""
    return any(getattr(args, name) for name in _FILTERS)


def format_option_type(option: FormatOption) -> Callable[[str], Any]:
    """An argparse ``type`` for a format option: its own text parser, an OptionError shown as a bad value."""

    def convert(text: str) -> Any:
        try:
            return option.from_text(text)
        except OptionError as error:
            raise argparse.ArgumentTypeError(error.message) from None

    convert.__name__ = option.name  # argparse names the type in "invalid <name> value"
    return convert
