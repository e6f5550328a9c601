"""The read-only commands: ``list``, ``show`` and ``validate``.

Each takes the parsed arguments and returns the exit status; a failure is a
:class:`~rnk_events.cli.common.CliError`. ``export`` and ``ingest`` write
files and live in their own modules.
"""

from __future__ import annotations

import argparse
import difflib
import io
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from rnk_events.cli import common
from rnk_events.cli.common import EXIT_OK, PROG, CliError, one_line, plural, select, stderr, terminal_width
from rnk_events.cli.render import count_line, lint_line, render_event, render_table
from rnk_events.collection import EventCollection
from rnk_events.dataset import STDIN_NAME
from rnk_events.errors import DatasetError, WithdrawnEventError
from rnk_events.formats import FORMATS, export
from rnk_events.lint import lint, unmapped_places

__all__ = ["LIST_FORMATS", "run_list", "run_show", "run_validate"]

#: What ``list --format`` can print.
LIST_FORMATS = ("table", "json", "csv")


def _pipe_options(format_name: str) -> dict[str, Any]:
    """A pipe is read by tools, not a spreadsheet: no byte-order mark where the format can leave it out."""
    option = FORMATS[format_name].option("bom")
    return {"bom": False} if option is not None and option.type is bool else {}


def _export_to_stdout(events: EventCollection, format_name: str) -> None:
    """Write an export's bytes to stdout, or its text where stdout has no binary buffer."""
    sys.stdout.flush()
    options = _pipe_options(format_name)
    buffer: IO[bytes] | None = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        export(events, format_name, buffer, **options)
        buffer.flush()
        return
    data = io.BytesIO()
    export(events, format_name, data, **options)
    sys.stdout.write(data.getvalue().decode("utf-8"))


def run_list(args: argparse.Namespace) -> int:
    events = common.load_data(args)
    selected = select(events, args)
    if args.format == "table":
        headers = ["DATE", "TITLE", "CATEGORY", "STATUS"]
        rows = [[e.date.display(), e.title, e.category.value, e.status.value] for e in selected]
        if args.ids:
            headers.append("ID")
            rows = [[*row, event.id] for row, event in zip(rows, selected, strict=True)]
        if rows:
            print("\n".join(render_table(headers, rows, flexible=1, width=terminal_width())))
    else:
        _export_to_stdout(selected, args.format)
    sys.stdout.flush()  # a closed pipe shows up here, before the count line
    stderr(count_line(selected, events, common.filtered(args)))
    return EXIT_OK


def _unknown_id(wanted: str, ids: Sequence[str]) -> str:
    """The error for an id that is not there, suggesting close ids and ids holding every word typed."""
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


def run_show(args: argparse.Namespace) -> int:
    events = common.load_data(args)
    try:
        event = events.get(args.id)
    except WithdrawnEventError as error:  # say when, why and what replaces it, not "no such event"
        raise CliError(str(error)) from None
    except KeyError:
        raise CliError(_unknown_id(args.id, events.ids)) from None
    print(render_event(event, events.info, width=min(terminal_width(), 100)))
    return EXIT_OK


def run_validate(args: argparse.Namespace) -> int:
    """Every problem on stdout, one per line, then exit 1; else the lint warnings and ``OK: N events``."""
    path: Path = args.path
    shown = STDIN_NAME if str(path) == common.STDIN else str(path)
    common.check_one_stdin(path, args.base)
    base = common.load_base(args.base, args.input_format)
    try:
        events = common.read_dataset(path, base=base, input_format=args.input_format)
    except DatasetError as error:
        for problem in error.problems:
            print(one_line(str(problem)))
        sys.stdout.flush()
        raise CliError(f"{plural(len(error.problems), 'problem')} in {shown}") from None
    for note in events.notes:
        print(one_line(f"note: {note}"))
    for warning in lint(events):
        print(lint_line(warning, shown))
    unmapped = unmapped_places(events)  # not a mistake, a gap the geojson map shows: counted, not warned about
    if unmapped is not None:
        print(one_line(f"note: {unmapped.message}"))
    print(f"OK: {plural(len(events), 'event')}")
    return EXIT_OK
