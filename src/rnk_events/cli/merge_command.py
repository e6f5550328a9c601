"""``rnk-events merge DATASET DRAFTS -o OUT``: fold drafts into a dataset and say which are new, matched or conflicting.

The command line around :func:`rnk_events.merge.merge`. The report goes to
stdout (to stderr when ``-o -`` puts the merged dataset there); OUT is
written atomically, in the format its extension names.

Exit status, as ``diff``'s: 0 no conflicts (OUT written), 1 conflicts that
need a person (OUT is still written: the existing events unchanged plus the
new drafts; conflicting drafts are left out), 2 trouble (a file that can't
be read or written, a bad option).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rnk_events.cli import command_help
from rnk_events.cli.common import (
    BUNDLED,
    PROG,
    STDIN,
    CliError,
    add_choice_option,
    add_input_format_option,
    check_one_stdin,
    load_events,
    one_line,
    plural,
    stderr,
)
from rnk_events.cli.render import clean
from rnk_events.formats import export, format_for

if TYPE_CHECKING:  # the merger loads only when the merge command is set up or run (3 ms for every command)
    from rnk_events.merge import Match, MergeReport

__all__ = [
    "EPILOG",
    "EXIT_CONFLICTS",
    "EXIT_MERGED",
    "EXIT_TROUBLE",
    "HELP",
    "REPORT_FORMATS",
    "configure_parser",
    "render_report",
    "report_document",
    "run_merge",
]

HELP = command_help.MERGE

EXIT_MERGED = 0
EXIT_CONFLICTS = 1
EXIT_TROUBLE = 2

#: What ``merge --report`` prints.
REPORT_FORMATS = ("text", "json")

EPILOG = f"""\
DATASET is a dataset file, 'bundled', or - for standard input; DRAFTS is a
file of draft events (what '{PROG} ingest' writes), or -. A draft is new when
it matches no event of DATASET, matched when it describes one and agrees on
the compared fields (--compare, default: the date), conflicting when it
describes one but differs, or reuses an id for a different story. OUT gets
DATASET's events, unchanged, plus the new drafts (an id already taken gets
-2, -3...); it is written atomically, in the format its extension names.

exit status: 0 merged with no conflicts, 1 conflicts to resolve by hand
(OUT is still written, without the conflicting drafts), 2 trouble

examples:
  {PROG} ingest wire.txt --published 2024-06-17 -o drafts.json
  {PROG} merge bundled drafts.json -o merged.json
  {PROG} merge my-timeline.json drafts.json -o merged.json --compare date,status
  {PROG} ingest wire.txt --published 2024-06-17 | {PROG} merge my-timeline.json - -o merged.json
"""


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number above 0 and at most 1, got {text!r}")
    return value


def _fields(text: str) -> tuple[str, ...]:
    from rnk_events.merge import COMPARABLE_FIELDS

    names = tuple(name.strip().lower() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in COMPARABLE_FIELDS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"{text!r}: compare a comma-separated list of {', '.join(COMPARABLE_FIELDS)}")
    return names


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Add the ``merge`` arguments to a (sub)parser; :func:`run_merge` runs it."""
    from rnk_events.merge import COMPARABLE_FIELDS

    parser.add_argument("dataset", metavar="DATASET", help="the dataset to merge into: a file, 'bundled', or -")
    parser.add_argument("drafts", metavar="DRAFTS", help="the draft events: a file, or -")
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        required=True,
        help="write the merged dataset here (atomically, in the format its extension names), or - for JSON on stdout",
    )
    parser.add_argument(
        "--compare",
        metavar="FIELDS",
        type=_fields,
        default=("date",),
        help=f"the fields a matched pair must agree on, comma-separated, from {', '.join(COMPARABLE_FIELDS)} "
        "(default: date)",
    )
    parser.add_argument(
        "--threshold",
        metavar="SCORE",
        type=_threshold,
        default=0.6,
        help="how alike two stories must be to be the same event, above 0 and at most 1 (default: %(default)s)",
    )
    add_choice_option(parser, "--report", "report format", REPORT_FORMATS)
    add_input_format_option(parser)


def _match_line(mark: str, match: Match) -> str:
    pair = match.draft.id if match.draft.id == match.existing.id else f"{match.draft.id} -> {match.existing.id}"
    differs = f"; differs in {', '.join(match.differences)}" if match.differences else ""
    return f"  {mark} " + clean(f"{pair} ({match.reason}{differs})")


def render_report(report: MergeReport) -> str:
    """The report as text: a section each for new, matched and conflicting drafts, one line per draft."""
    lines = [f"new: {len(report.new)}"]
    lines += [f"  + {event.id}  {clean(event.date.display())}  {clean(event.title)}" for event in report.new]
    lines.append(f"matched: {len(report.matched)}")
    lines += [_match_line("=", match) for match in report.matched]
    lines.append(f"conflicting: {len(report.conflicting)}")
    lines += [_match_line("!", match) for match in report.conflicting]
    return "\n".join(lines) + "\n"


def _match_data(match: Match) -> dict[str, Any]:
    return {
        "draft": match.draft.id,
        "existing": match.existing.id,
        "score": match.score,
        "reason": match.reason,
        "differences": list(match.differences),
    }


def report_document(report: MergeReport) -> dict[str, Any]:
    """The report as a JSON document: ``new`` ids, and ``matched`` and ``conflicting`` pairs."""
    return {
        "new": [event.id for event in report.new],
        "matched": [_match_data(match) for match in report.matched],
        "conflicting": [_match_data(match) for match in report.conflicting],
    }


def _input(text: str, input_format: str | None) -> Any:
    path = None if text == BUNDLED else Path(text)
    return load_events(path, input_format=input_format)


def _write(report: MergeReport, output: str) -> int:
    """Write the merged collection; the number of bytes written."""
    try:
        format_for(output)
    except ValueError as error:
        raise CliError(one_line(str(error)), EXIT_TROUBLE) from None
    try:
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        export(report.collection, path)
        return path.stat().st_size
    except OSError as error:
        raise CliError(f"cannot write {output}: {error.strerror or error}", EXIT_TROUBLE) from None
    except ValueError as error:
        raise CliError(f"cannot write {output}: {one_line(str(error))}", EXIT_TROUBLE) from None


def _to_stdout(report: MergeReport) -> int:
    data = io.BytesIO()
    export(report.collection, "json", data)
    sys.stdout.flush()
    sys.stdout.buffer.write(data.getvalue())
    sys.stdout.buffer.flush()
    return len(data.getvalue())


def run_merge(args: argparse.Namespace) -> int:
    """Merge, write OUT, print the report; the exit status says whether any draft conflicts."""
    try:
        check_one_stdin(args.dataset, args.drafts)
        existing = _input(args.dataset, args.input_format)
        drafts = _input(args.drafts, args.input_format)
    except CliError as error:
        raise CliError(error.message, EXIT_TROUBLE) from None
    from rnk_events.merge import merge

    try:
        report = merge(existing, drafts, threshold=args.threshold, compare=args.compare)
    except ValueError as error:
        raise CliError(one_line(str(error)), EXIT_TROUBLE) from None
    if args.report == "json":
        text = json.dumps(report_document(report), ensure_ascii=False, indent=2) + "\n"
    else:
        text = render_report(report)
    report_stream: IO[str] = sys.stderr if args.output == STDIN else sys.stdout
    size = _to_stdout(report) if args.output == STDIN else _write(report, args.output)
    report_stream.write(text)
    report_stream.flush()
    where = "stdout" if args.output == STDIN else args.output
    stderr(
        f"{plural(len(report.new), 'new draft')}, {len(report.matched)} matched, {len(report.conflicting)} "
        f"conflicting; wrote {where} ({plural(len(report.collection), 'event')}, {size:,} bytes)"
    )
    return EXIT_CONFLICTS if report.conflicting else EXIT_MERGED
