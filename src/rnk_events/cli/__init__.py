"""The ``rnk-events`` command: list, show, export, validate, ingest and merge events from a terminal.

argparse only, so the command adds no dependency, and nothing heavy loads
before a command needs it: ``--help`` and ``list`` never import openpyxl or
icalendar. Every failure is one line on stderr, ``rnk-events: error: ...``,
never a traceback. Data goes to stdout and commentary (counts, what was
written) to stderr, so ``--format json`` output stays pure JSON in a pipe.

Exit codes: 0 success, 1 a data or file problem, 2 a usage error,
130 interrupted (Ctrl-C), 141 the reader of stdout went away (``| head``).

The package's modules, one job each: :mod:`~rnk_events.cli.parser` (the
arguments and help, derived from the format registry),
:mod:`~rnk_events.cli.commands` (``list``, ``show``, ``validate``),
:mod:`~rnk_events.cli.export_command`, :mod:`~rnk_events.cli.ingest_command`,
:mod:`~rnk_events.cli.merge_command`, :mod:`~rnk_events.cli.diff_command`,
:mod:`~rnk_events.cli.publish_command`, :mod:`~rnk_events.cli.serve_command`
(each loaded only for its command), :mod:`~rnk_events.cli.command_help` (every
command's one-line help), :mod:`~rnk_events.cli.render` (terminal text), :mod:`~rnk_events.cli.common`
(exit codes, :class:`CliError`, shared argument types) and
:mod:`~rnk_events.cli.app` (:func:`main`).
"""

from __future__ import annotations

from rnk_events.cli.app import DEBUG_VARIABLE, main
from rnk_events.cli.common import EXIT_BROKEN_PIPE, EXIT_DATA, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, PROG, CliError
from rnk_events.cli.parser import build_parser
from rnk_events.cli.render import render_event, render_table

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
