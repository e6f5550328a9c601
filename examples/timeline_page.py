"""Write an embeddable TimelineJS page (.html) and its data (.timeline.json).

Run it from a checkout, after ``pip install .``::

    python examples/timeline_page.py              # into ./out
    python examples/timeline_page.py public/timeline

The .html file is a standalone page: open it in a browser, or put it on your
site and embed it in a story with an iframe (the script prints one). It loads
TimelineJS from Knight Lab's CDN. The .timeline.json file is the same data for
pages that already load TimelineJS themselves:
``new TL.Timeline("timeline-embed", "rnk-events.timeline.json")``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import rnk_events


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a TimelineJS page (.html) and its .timeline.json data.")
    parser.add_argument("output", nargs="?", type=Path, default=Path("out"), help="directory to write into (./out)")
    args = parser.parse_args(argv)

    events = rnk_events.load()
    args.output.mkdir(parents=True, exist_ok=True)
    page = args.output / "rnk-events.html"
    data = args.output / "rnk-events.timeline.json"
    rnk_events.export(events, "html", page)
    rnk_events.export(events, "timelinejs", data)
    print(f"wrote {page}: a TimelineJS page with {len(events)} events")
    print(f"wrote {data}: the TimelineJS data on its own")
    print(f'embed: <iframe src="{page.name}" width="100%" height="650" style="border: 0"></iframe>')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
