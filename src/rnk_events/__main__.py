"""``python -m rnk_events``: the same command as ``rnk-events``."""

from __future__ import annotations

from rnk_events.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
