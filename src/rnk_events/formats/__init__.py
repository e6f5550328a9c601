"""Export formats: one public module per format, found through a lazy registry.

Each format module exposes ``write(events, stream, **options)`` and, where the
format reads back, ``read(stream, origin)``; :data:`FORMATS` declares what each
one can do (see :mod:`rnk_events.formats.registry`) without importing it.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rnk_events.atomic import write_atomic
from rnk_events.collection import EventCollection
from rnk_events.formats.registry import (
    FORMATS,
    FormatInfo,
    FormatModule,
    FormatOption,
    UnavailableFormatError,
    format_for,
    formats_table,
    readable_formats,
)

if TYPE_CHECKING:
    from rnk_events.model import Event

__all__ = [
    "FORMATS",
    "FormatInfo",
    "FormatModule",
    "FormatOption",
    "UnavailableFormatError",
    "export",
    "format_for",
    "formats_table",
    "readable_formats",
    "write_atomic",
]


def _check_options(info: FormatInfo, options: dict[str, Any]) -> None:
    for name in options:
        if info.option(name) is None:
            takes = ", ".join(option.name for option in info.options) or "no options"
            raise TypeError(f"the {info.name} format takes no option {name!r} (it takes {takes})")


def export(
    events: EventCollection | Iterable[Event],
    format: str | os.PathLike[str],  # noqa: A002 - the natural name for callers
    target: str | os.PathLike[str] | IO[bytes] | None = None,
    **options: Any,
) -> Path | None:
    """Write ``events`` in a format to a path (atomically) or a binary stream.

    ``events`` is a collection, or any iterable of events (wrapped in one).
    ``export(events, "ics", "out.ics")``, or ``export(events, "out.ics")`` to
    pick the format by extension. ``options`` are the format's registered
    options (``FORMATS[name].options``); any other is a TypeError, as for
    any unexpected keyword.
    """
    if target is None:
        if os.fspath(format) in FORMATS:
            raise ValueError(f"export to {format!r} needs a target path or binary stream")
        info, target = format_for(format), format
    else:
        info = format_for(format)
    _check_options(info, options)
    if not isinstance(events, EventCollection):
        events = EventCollection(events)  # a list of events, a generator...
    module = info.load()
    if isinstance(target, io.TextIOBase):
        raise TypeError(f"export writes bytes: open the file in binary mode ('wb'), not {type(target).__name__}")
    if isinstance(target, (str, os.PathLike)):
        return write_atomic(target, lambda stream: module.write(events, stream, **options))
    module.write(events, target, **options)
    return None
