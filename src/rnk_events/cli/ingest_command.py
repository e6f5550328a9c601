"""``rnk-events ingest``: the command line around :func:`rnk_events.ingest.ingest_file`.

The library drafts and reports; this module reads the arguments, writes the
drafts (stdout or ``-o``, atomically) and prints the library's problems and
notes as ``FILE:LINE: error|note: message``, in line order, on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from rnk_events.cli.common import (
    EXIT_DATA,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    STDIN,
    date_arg,
    one_of,
    plural,
    stdin_stream,
)
from rnk_events.collection import EventCollection
from rnk_events.dataset import STDIN_NAME
from rnk_events.errors import DatasetError, Problem
from rnk_events.formats import export
from rnk_events.ids import slug
from rnk_events.model import MAX_ID_LENGTH, SLUG, Category

if TYPE_CHECKING:  # the ingester loads only when a command ingests (it costs every command 7 ms)
    from rnk_events.ingest import IngestResult

__all__ = ["OUTPUT_FORMATS", "configure_parser", "problem_line", "run_ingest"]

#: What ``ingest --format`` writes: the text formats a reviewer reads and ``rnk_events.load`` reads back.
OUTPUT_FORMATS = ("json", "csv")


def _published_arg(text: str) -> dt.date:
    """Any date ``parse_date`` reads ("2024-06-17", "June 17, 2024"), as long as it is one day."""
    span = date_arg(text)
    if span.is_range or span.first_day != span.last_day:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a single day; give the article's publication day, such as 2024-06-17 or 'June 17, 2024'"
        )
    return span.first_day


_category_value = one_of("category", [member.value for member in Category])


def _category_arg(text: str) -> Category:
    """Case-insensitive and with the same message for a bad value as ``list --category``."""
    return Category(_category_value(text))


def _source_id_arg(text: str) -> str:
    if SLUG.fullmatch(text) and len(text) <= MAX_ID_LENGTH:
        return text
    raise argparse.ArgumentTypeError(
        f"{text!r} is not a slug (lower-case letters, digits and single hyphens, at most {MAX_ID_LENGTH} "
        f"characters), such as {slug(text, 'my-source')!r}"
    )


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Add the ``ingest`` arguments to a (sub)parser; :func:`run_ingest` runs it."""
    if not parser.description:
        parser.description = "Draft events from a wire-style timeline (a date heading, then a paragraph)."
    parser.add_argument("file", metavar="FILE", help="the timeline as UTF-8 plain text, or - for standard input")
    parser.add_argument(
        "--published",
        required=True,
        type=_published_arg,
        metavar="DATE",
        help="the article's publication day: 2024-06-17, 'June 17, 2024' or any single day parse_date reads",
    )
    parser.add_argument(
        "--source-id",
        metavar="ID",
        type=_source_id_arg,
        help="slug the drafts cite the article by (default: from the file name; 'stdin' for standard input)",
    )
    parser.add_argument("--publisher", default="unknown", help="who published the article (default: unknown)")
    parser.add_argument(
        "--category",
        default=Category.DIPLOMACY,
        type=_category_arg,
        metavar="CAT",
        help=f"placeholder category for every draft, any case, one of: {', '.join(m.value for m in Category)} "
        "(default: diplomacy); review each draft",
    )
    parser.add_argument("--format", default="json", choices=list(OUTPUT_FORMATS), help="output format (default: json)")
    parser.add_argument("-o", "--output", metavar="PATH", help="write here (atomically) instead of standard output")


def problem_line(problem: Problem, kind: str) -> str:
    """``FILE:LINE: kind: message``, as compilers write it (``FILE: kind: ...`` when no line applies)."""
    where = f"{problem.file}:{problem.line}" if problem.line is not None else problem.file
    return f"{where}: {kind}: {problem.message}"


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _ingest_stdin(args: argparse.Namespace) -> IngestResult:
    """``ingest -``: the text from standard input, cited as ``--source-id`` (``stdin`` by default)."""
    from rnk_events import ingest

    text = stdin_stream().read().decode("utf-8-sig")
    cited = args.source_id or "stdin"
    result = ingest.ingest_text(text, published=args.published, source=cited, origin=STDIN_NAME, category=args.category)
    info = result.events.info
    source = attrs.evolve(info.source(cited), publisher=args.publisher)
    return attrs.evolve(result, events=EventCollection(result.events, attrs.evolve(info, sources=(source,))))


def run_ingest(args: argparse.Namespace) -> int:
    """Run ``rnk-events ingest``: drafts to stdout or ``-o``, problems and notes to stderr.

    Exit status: 0 when the text is a timeline and every heading was read; 1
    when there were problems (the drafts that could be made are still
    written) or the file cannot be read or written; 2 for an invalid argument.
    """
    path = Path(args.file) if args.file != STDIN else Path(STDIN_NAME)
    try:
        if args.file == STDIN:
            result = _ingest_stdin(args)
        else:
            from rnk_events import ingest

            result = ingest.ingest_file(
                path,
                published=args.published,
                source_id=args.source_id,
                publisher=args.publisher,
                category=args.category,
            )
    except OSError as error:
        _error(f"{path}: {error.strerror or error}")
        return EXIT_DATA
    except UnicodeDecodeError as error:
        _error(f"{path} (byte {error.start}): not UTF-8 text (save it as UTF-8 plain text)")
        return EXIT_DATA
    except DatasetError as error:  # the input itself (too large): a data problem, not a usage one
        _error(str(error))
        return EXIT_DATA
    except ValueError as error:
        _error(str(error))
        return EXIT_USAGE
    events = result.events
    if args.output:
        try:
            export(events, args.format, args.output)
        except OSError as error:
            _error(f"cannot write {args.output}: {error.strerror or error}")
            return EXIT_DATA
    else:
        sys.stdout.flush()
        export(events, args.format, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    messages = [(note, "note") for note in result.notes] + [(problem, "error") for problem in result.problems]
    for problem, kind in sorted(messages, key=lambda message: message[0].line or 0):
        print(problem_line(problem, kind), file=sys.stderr)
    where = args.output or "standard output"
    drafted = plural(len(events), "draft event")
    print(f"{drafted} from {path} written to {where}; review each before publishing", file=sys.stderr)
    return EXIT_DATA if result.problems else EXIT_OK
