"""The workbook the xlsx tests read: one fixed stamp, so the bytes depend only on the events."""

from __future__ import annotations

import datetime as dt
import io

from rnk_events import EventCollection
from rnk_events.formats import xlsx as xlsx_format

__all__ = ["STAMP", "workbook_bytes"]

#: The export time written into every test workbook.
STAMP = dt.datetime(2024, 6, 17, 12, 30, tzinfo=dt.timezone.utc)


def workbook_bytes(events: EventCollection, stamp: dt.datetime = STAMP) -> bytes:
    """The events as an xlsx file, written with ``stamp``."""
    stream = io.BytesIO()
    xlsx_format.write(events, stream, stamp=stamp)
    return stream.getvalue()
