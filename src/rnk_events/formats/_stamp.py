"""The ``stamp`` option: when a file was made, as every format that records it writes it.

Each format checks ``stamp`` itself (its errors name what that format needs);
this is the conversion they share, so all of them record the same second.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["utc_seconds"]


def utc_seconds(stamp: dt.datetime | None) -> dt.datetime:
    """An aware ``stamp`` in UTC, to the whole second; None means now."""
    if stamp is None:
        stamp = dt.datetime.now(dt.timezone.utc)
    return stamp.astimezone(dt.timezone.utc).replace(microsecond=0)
