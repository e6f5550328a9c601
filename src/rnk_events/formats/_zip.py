"""Zip archives whose bytes depend only on their members: the workbook and the data package.

zipfile stamps each entry with the current time and the writing system's
permissions; here every entry gets the same given time, Unix as its system
and the given permissions, so the same members always give the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

__all__ = ["EARLIEST", "fixed_zip"]

#: The earliest time a zip entry can carry (the zip format counts from 1980).
EARLIEST = (1980, 1, 1, 0, 0, 0)


def fixed_zip(
    members: Iterable[tuple[str, bytes]], date_time: tuple[int, int, int, int, int, int], external_attr: int
) -> bytes:
    """``(name, data)`` pairs deflated in order, each stamped with ``date_time`` and ``external_attr``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            entry = zipfile.ZipInfo(name, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, whatever system writes it
            entry.external_attr = external_attr
            archive.writestr(entry, data)
    return buffer.getvalue()
