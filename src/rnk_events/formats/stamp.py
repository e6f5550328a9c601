"""The ``stamp`` option: when a file was made, the one check every format that records it shares.

A fixed ``stamp`` makes an export byte-identical from run to run; ``None``
means now. The check lives here once, so the JSON API, the CLI's ``--stamp``
and every format refuse the same values with the same :class:`OptionError`.
"""

from __future__ import annotations

import datetime as dt

from rnk_events.errors import OptionError

__all__ = ["check_stamp", "parse_stamp", "utc_seconds"]

_EXAMPLE = "2024-06-17T00:00:00Z"


def check_stamp(stamp: object) -> dt.datetime | None:
    """``stamp`` as an aware UTC datetime to the whole second, or None; OptionError if it can't be one."""
    if stamp is None:
        return None
    if not isinstance(stamp, dt.datetime):
        raise OptionError("stamp", f"expected a timezone-aware datetime, got {type(stamp).__name__}")
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise OptionError(
            "stamp",
            f"{stamp.isoformat()} has no time zone; give one, "
            "such as datetime(2024, 6, 17, tzinfo=timezone.utc) or --stamp " + _EXAMPLE,
        )
    try:
        return stamp.astimezone(dt.timezone.utc).replace(microsecond=0)
    except OverflowError:
        raise OptionError("stamp", f"{stamp.isoformat()} is outside the range of UTC times") from None


def parse_stamp(text: str) -> dt.datetime:
    """ISO 8601 date or date-time text as the stamp; a time without an offset is taken as UTC."""
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"  # fromisoformat reads "Z" only from Python 3.11
    try:
        stamp = dt.datetime.fromisoformat(cleaned)
    except ValueError:
        raise OptionError("stamp", f"{text!r} is not an ISO 8601 date-time (for example {_EXAMPLE})") from None
    aware = stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.timezone.utc)
    checked = check_stamp(aware)
    assert checked is not None  # an aware datetime is never None
    return checked


def utc_seconds(stamp: object) -> dt.datetime:
    """The checked ``stamp`` in UTC to the whole second; None means now."""
    checked = check_stamp(stamp)
    return checked if checked is not None else dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
