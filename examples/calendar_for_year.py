"""Write an iCalendar file (.ics) of one year's events, to import or subscribe to.

Run it from a checkout, after ``pip install .``::

    python examples/calendar_for_year.py                 # 2024 into ./out
    python examples/calendar_for_year.py feeds --year 2023

Every event that touches the year is one all-day entry. Dates known only to
the month or year span the whole month or year (the entry's title then shows
the date as reported). UIDs come from the stable event ids, so a calendar that
subscribes to the file updates entries in place when you re-publish it.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import rnk_events


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a calendar (.ics) of one year's events.")
    parser.add_argument("output", nargs="?", type=Path, default=Path("out"), help="directory to write into (./out)")
    parser.add_argument("--year", type=int, default=2024, help="the calendar year (default: %(default)s)")
    args = parser.parse_args(argv)

    events = rnk_events.load().in_year(args.year)
    if not events:
        parser.error(f"no events in {args.year}")
    args.output.mkdir(parents=True, exist_ok=True)
    path = args.output / f"rnk-events-{args.year}.ics"
    rnk_events.export(events, "ics", path)
    print(f"wrote {path}: {len(events)} event{'' if len(events) == 1 else 's'} touching {args.year}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
