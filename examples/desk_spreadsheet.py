"""Write a desk spreadsheet (.xlsx) of the events one country or organisation takes part in.

Run it from a checkout, after ``pip install .``::

    python examples/desk_spreadsheet.py                   # the US into ./out
    python examples/desk_spreadsheet.py desk --actor KOR   # South Korea into ./desk

``--actor`` is an ISO 3166-1 alpha-3 country code (USA, KOR, CHN, ...) or an
organisation id (UNSC, UN, ...; see ``rnk_events.actors.ORGANISATIONS``).
The workbook has an "Events" sheet with one row per event, a "TimelineJS"
sheet to paste into Knight Lab's template, the sources, and a data dictionary.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import rnk_events
from rnk_events.actors import actor_name, is_actor


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a desk spreadsheet (.xlsx) filtered by actor.")
    parser.add_argument("output", nargs="?", type=Path, default=Path("out"), help="directory to write into (./out)")
    parser.add_argument("--actor", default="USA", help="country code or organisation id (default: %(default)s)")
    args = parser.parse_args(argv)

    actor = args.actor.strip().upper()
    if not is_actor(actor):
        parser.error(f"{args.actor!r} is neither an ISO 3166-1 alpha-3 country code nor an organisation id")
    events = rnk_events.load().by_actor(actor)
    if not events:
        parser.error(f"no events involve {actor} ({actor_name(actor)})")
    args.output.mkdir(parents=True, exist_ok=True)
    path = args.output / f"rnk-events-{actor.lower()}.xlsx"
    rnk_events.export(events, "xlsx", path)
    print(f"wrote {path}: {len(events)} event{'' if len(events) == 1 else 's'} involving {actor_name(actor)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
