"""What ``rnk-events`` and its ``ingest`` command share: the program name, exit codes, argument types.

:mod:`rnk_events.cli` and :mod:`rnk_events.ingest` both import this, so an
argument reads and fails the same way in every subcommand. It imports no
format module.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from rnk_events.dates import DateError, DateSpan, parse_date

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_DATA",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROG",
    "date_arg",
    "one_of",
    "plural",
]

PROG = "rnk-events"

EXIT_OK = 0
EXIT_DATA = 1  # a data or file problem
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # what a shell reports for a process killed by SIGPIPE


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


def plural(count: int, noun: str) -> str:
    """``"1 event"``, ``"2 events"``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
