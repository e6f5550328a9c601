"""``rnk-events diff OLD NEW``: what changed between two editions, for a terminal, a tool or a changelog.

Exit status follows diff(1): 0 when the editions are the same, 1 when they
differ, 2 when something went wrong (a file that can't be read, a bad
option), so ``rnk-events diff old.json new.json && echo same`` works in a
script.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rnk_events.changes import diff
from rnk_events.cli.common import (
    BUNDLED,
    PROG,
    CliError,
    add_choice_option,
    add_input_format_option,
    check_one_stdin,
    load_events,
)

__all__ = ["DIFF_FORMATS", "EXIT_DIFFERENT", "EXIT_SAME", "EXIT_TROUBLE", "configure_parser", "run_diff"]

#: What ``diff --format`` prints.
DIFF_FORMATS = ("text", "json", "markdown")

EXIT_SAME = 0
EXIT_DIFFERENT = 1
EXIT_TROUBLE = 2

EPILOG = f"""\
OLD and NEW are any two files that 'rnk-events validate' reads (JSON, CSV,
workbook, data package), 'bundled' for the timeline this version ships, or
'-' for standard input (one of them). Events are
matched by id; one that NEW no longer has is withdrawn when NEW lists it as
withdrawn (with the reason and any replacement), removed otherwise. A change
is substantive when it touches the date, title, summary, status, actors,
people, places or sources.

exit status, as diff(1): 0 the same, 1 different, 2 trouble

examples:
  {PROG} diff old.json bundled
  {PROG} diff old.json new.json --format markdown >> CHANGES-DATA.md
  {PROG} diff old.json new.json --format json | jq '.changed[].id'
"""


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Add the ``diff`` arguments to a (sub)parser; :func:`run_diff` runs it."""
    parser.add_argument("old", metavar="OLD", help="the earlier edition: a file, 'bundled', or - for standard input")
    parser.add_argument("new", metavar="NEW", help="the later edition: a file, 'bundled', or - for standard input")
    add_choice_option(parser, "--format", "diff format", DIFF_FORMATS)
    parser.add_argument("--heading", metavar="TEXT", help="markdown: the heading (default: the edition)")
    add_input_format_option(parser)


def _edition(text: str) -> Path | None:
    return None if text == BUNDLED else Path(text)


def run_diff(args: argparse.Namespace) -> int:
    """Print the differences; the exit status says whether there were any."""
    try:
        check_one_stdin(args.old, args.new)
        old = load_events(_edition(args.old), input_format=args.input_format)
        new = load_events(_edition(args.new), input_format=args.input_format)
    except CliError as error:
        raise CliError(error.message, EXIT_TROUBLE) from None
    from rnk_events.changes_report import render_json, render_markdown, render_text  # here: only diff needs it

    changes = diff(old, new)
    if args.format == "json":
        sys.stdout.write(render_json(changes))
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(changes, args.heading))
    else:
        sys.stdout.write(render_text(changes))
    return EXIT_DIFFERENT if changes else EXIT_SAME
