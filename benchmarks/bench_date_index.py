"""Benchmark: date-range queries through the collection's index versus a fair scan.

The scan is what a caller without the index would write: each event's padded
bounds (the days it may touch, qualifiers included, as the index uses them)
computed once, outside the timing, as day ordinals, and each query a pass over
them that builds the same sub-collection. Two ways to ask:

- **one-shot**: each query on a fresh collection (a slice, made outside the
  timing), so the index's build is paid inside it, as the first query on any
  collection or sub-collection pays it (the CLI's ``--from/--to`` included);
- **repeated**: the same queries on a collection whose index is already built.

Both sides run in the same interleaved rounds with the same number of calls
(:mod:`benchmarks.timing`), and the ratio is the median of each round's
index / scan: below 1 the index wins. Times on a shared machine are noise; the
ratios of one run are what counts.

    python -m benchmarks.bench_date_index                       # 1k, 10k, 100k and 1M events
    python -m benchmarks.bench_date_index --sizes 1000,200000 --rounds 7
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a file: python benchmarks/bench_date_index.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import synth
from benchmarks.limits import subcollection, uncached_copies
from benchmarks.timing import Contender, Row, format_table, interleave, timed_row
from rnk_events import Event, EventCollection, parse_date

__all__ = ["QUERIES", "Bounds", "bounds", "contenders", "rows", "scan_between", "table_cost_row"]

#: (label, start, end): a day, a month and a year, each inside the synthetic data's years.
QUERIES: tuple[tuple[str, str, str], ...] = (
    ("one day", "2024-06-18", "2024-06-18"),
    ("one month", "2024-05", "2024-05"),
    ("one year", "2023", "2023"),
)

#: Each event's padded first and last day as ordinals, beside the event, in the collection's order.
Bounds = list[tuple[int, int, Event]]


def bounds(events: EventCollection) -> Bounds:
    """The precomputed bounds the scan reads: what the index is built from, before any sorting."""
    return [(e.date.padded_first_day.toordinal(), e.date.padded_last_day.toordinal(), e) for e in events]


def scan_between(events: EventCollection, rows: Bounds, start: str, end: str) -> EventCollection:
    """What ``events.between(start, end)`` returns, by one pass over precomputed bounds."""
    low, high = parse_date(start).first_day.toordinal(), parse_date(end).last_day.toordinal()
    return subcollection(events, tuple([event for first, last, event in rows if first <= high and last >= low]))


def contenders(
    events: EventCollection, queries: Sequence[tuple[str, str]], *, one_shot: bool, rows: Bounds | None = None
) -> tuple[Contender, Contender]:
    """The index and the scan, each answering ``queries`` (start, end) in turn.

    One-shot gives each query a fresh slice of ``events`` with no index yet; the
    scan gets the same (unused) slices, so both run with the same memory around them.
    """
    table = rows if rows is not None else bounds(events)
    if one_shot:

        def fresh() -> list[EventCollection]:
            return [events[:] for _ in queries]

        def indexed(collections: list[EventCollection]) -> list[EventCollection]:
            return [c.between(start, end) for c, (start, end) in zip(collections, queries, strict=True)]

        setup = fresh
    else:
        events.between(*queries[0])  # build the index now

        def indexed(collections: list[EventCollection]) -> list[EventCollection]:
            return [events.between(start, end) for start, end in queries]

        setup = None

    def scan(collections: list[EventCollection]) -> list[EventCollection]:
        return [scan_between(events, table, start, end) for start, end in queries]

    return Contender("index", indexed, setup), Contender("scan", scan, setup)


def rows(
    events: EventCollection,
    rounds: int,
    *,
    per_query: bool = False,
    path_prefix: str = "date index",
    min_batch: float = 0.02,
) -> list[Row]:
    """Table rows for one collection: one-shot and repeated, over all the queries or each one."""
    table = bounds(events)
    groups = [(label, [(start, end)]) for label, start, end in QUERIES] if per_query else [("", [])]
    if not per_query:
        groups[0][1].extend((start, end) for _, start, end in QUERIES)
    found: list[Row] = []
    for one_shot in (True, False):
        for label, queries in groups:
            index, scan = contenders(events, queries, one_shot=one_shot, rows=table)
            result = interleave([index, scan], rounds, min_batch=min_batch)
            for ours, theirs in zip(result.outputs["index"], result.outputs["scan"], strict=True):
                if ours.ids != theirs.ids:
                    raise AssertionError("the index and the scan disagree")
            mode = "one-shot (build included)" if one_shot else "repeated"
            what = f"{label}, {mode}" if label else f"day+month+year, {mode}"
            row = timed_row(
                f"{path_prefix}: {what}",
                len(events),
                "scan over precomputed bounds",
                result,
                "index",
                "scan",
                output="same events",
                rounds=rounds,
            )
            found.append(row)
    return found


def table_cost_row(events: EventCollection, rounds: int, *, min_batch: float = 0.02) -> Row:
    """What a compact bounds table like the scan's would add to making a collection.

    The one-shot query scans the events' own cached bounds; a table read as the
    limit reads its own would need the bounds of every event computed when the
    collection is made, queried or not. Both sides start from events with nothing cached.
    """
    info = events.info
    table = Contender("table", bounds, lambda: EventCollection(uncached_copies(events), info))
    build = Contender("build", lambda fresh: EventCollection(fresh, info), lambda: uncached_copies(events))
    result = interleave([table, build], rounds, min_batch=min_batch)
    path, label = "date index: a compact bounds table, built", "the collection's construction"
    return timed_row(path, len(events), label, result, "table", "build", output="fresh events", rounds=rounds)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000,1000000", help="comma-separated event counts")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=synth.SEED)
    args = parser.parse_args(argv)
    found: list[Row] = []
    for size in (int(text) for text in args.sizes.split(",")):
        events = synth.collection(size, args.seed)
        found.extend(rows(events, args.rounds, per_query=True))
        found.append(table_cost_row(events, args.rounds))
    print(format_table(found))
    print("\nours = the index; below 1× the index is faster. Ratios are medians of interleaved rounds.")


if __name__ == "__main__":
    main()
