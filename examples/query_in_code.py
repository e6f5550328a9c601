"""Query the timeline in your own code, print the answers, and write one of them as CSV.

Run it from a checkout, after ``pip install .``::

    python examples/query_in_code.py              # CSV into ./out
    python examples/query_in_code.py data

Three questions a desk asks: what happened in 2023 between Russia and the US,
what was still planned on the dataset's as-of date, and what mentions a
satellite. The first answer is also written as CSV, which
``rnk_events.load(path)`` reads back.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import rnk_events


def print_table(heading: str, events: rnk_events.EventCollection) -> None:
    """A heading, then one line per event: date as reported, status, title."""
    print(f"{heading} ({len(events)})")
    width = max((len(event.date.display()) for event in events), default=0)
    for event in events:
        print(f"  {event.date.display():<{width}}  {event.status.value:<9}  {event.title}")
    print()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Query the timeline and write a filtered CSV.")
    parser.add_argument("output", nargs="?", type=Path, default=Path("out"), help="directory to write into (./out)")
    args = parser.parse_args(argv)

    events = rnk_events.load()
    # Inclusive bounds: anything that touches 2023, including spans that run into 2024.
    russia_us_2023 = events.in_year(2023).by_actor("RUS").by_actor("USA")
    planned = events.by_status("planned")
    satellite = events.search("satellite")

    print_table("Russia and the United States, 2023", russia_us_2023)
    print_table(f"Planned as of {events.info.as_of}", planned)
    print_table('Mentioning "satellite"', satellite)

    args.output.mkdir(parents=True, exist_ok=True)
    path = args.output / "russia-us-2023.csv"
    rnk_events.export(russia_us_2023, "csv", path)
    print(f"wrote {path}: {len(russia_us_2023)} event{'' if len(russia_us_2023) == 1 else 's'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
