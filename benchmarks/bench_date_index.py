"""Benchmark: date-range queries through the sorted index versus a full scan.

Builds a synthetic collection (default 1,000,000 events: mostly single days, some
months, years and multi-year spans), then times the same queries both ways in
one run and prints the ratios, because absolute times on shared machines are noise.

    python benchmarks/bench_date_index.py            # 1,000,000 events
    python benchmarks/bench_date_index.py --events 200000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Callable

from rnk_events import DateSpan, Event, EventCollection, PartialDate, SourceRef

SOURCES = (SourceRef("synthetic", "generated"),)


def synthetic_span(rng: random.Random) -> DateSpan:
    year = rng.randint(1900, 2030)
    month = rng.randint(1, 12)
    kind = rng.random()
    if kind < 0.80:
        return DateSpan(PartialDate(year, month, rng.randint(1, 28)))
    if kind < 0.95:
        return DateSpan(PartialDate(year, month))
    if kind < 0.99:
        return DateSpan(PartialDate(year))
    return DateSpan(PartialDate(year), PartialDate(min(year + rng.randint(1, 20), 9999)))


def build(count: int, seed: int) -> EventCollection:
    rng = random.Random(seed)
    events = (
        Event(
            id=f"e{number}",
            date=synthetic_span(rng),
            title="Synthetic event",
            summary="Generated for the benchmark.",
            category="diplomacy",
            status="happened",
            actors=("RUS",),
            sources=SOURCES,
        )
        for number in range(count)
    )
    return EventCollection(events)


def best_of(repeats: int, run: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    started = time.perf_counter()
    events = build(args.events, args.seed)
    print(f"built {len(events):,} events in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    events.between("2000", "2000")  # first query builds the index
    print(f"index built (with first query) in {time.perf_counter() - started:.2f} s")

    queries = [
        ("one day", "2024-06-18", "2024-06-18"),
        ("one month", "2024-05", "2024-05"),
        ("one year", "2023", "2023"),
    ]
    print(f"{'query':<10} {'matches':>9} {'index s':>9} {'scan s':>9} {'scan/index':>11}")
    for label, start, end in queries:
        first, last = DateSpan.parse(start).first_day, DateSpan.parse(end).last_day

        def scan(first: dt.date = first, last: dt.date = last) -> EventCollection:
            return events.filter(lambda e: e.date.first_day <= last and e.date.last_day >= first)

        indexed = events.between(start, end)
        assert indexed.ids == scan().ids, "index and scan disagree"

        def indexed_query(start: str = start, end: str = end) -> EventCollection:
            return events.between(start, end)

        index_time = best_of(args.repeats, indexed_query)
        scan_time = best_of(max(1, args.repeats // 2), scan)
        print(f"{label:<10} {len(indexed):>9,} {index_time:>9.4f} {scan_time:>9.4f} {scan_time / index_time:>10.0f}x")


if __name__ == "__main__":
    main()
