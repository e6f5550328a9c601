"""Loading datasets: the bundled timeline (lazily, once) or a user's file in any format that reads back."""

from __future__ import annotations

import functools
import importlib.resources
import os
from pathlib import Path

from rnk_events.collection import EventCollection
from rnk_events.errors import DatasetError, Problem
from rnk_events.formats.registry import extensions_text, format_for, readable_formats

__all__ = ["load"]

BUNDLED = "data/events.json"


@functools.cache
def _bundled() -> EventCollection:
    from rnk_events.formats import json as json_format

    resource = importlib.resources.files("rnk_events").joinpath(BUNDLED)
    with resource.open("rb") as stream:
        return json_format.read(stream, f"rnk_events/{BUNDLED}")


def load(path: str | os.PathLike[str] | None = None) -> EventCollection:
    """The bundled Russia-North Korea timeline, or a user's dataset file.

    Any format whose registry entry ``reads`` can be loaded (see
    :func:`rnk_events.formats.readable_formats`: JSON, CSV and the Events
    sheet of the Excel export); the extension picks the format.

    Raises :class:`DatasetError` naming the file, record and field of every problem.
    """
    if path is None:
        return _bundled()
    target = Path(path)
    try:
        info = format_for(target)
    except ValueError:
        expected = extensions_text(readable_formats())
        raise DatasetError([Problem(str(target), "", "", f"expected a {expected} file")]) from None
    if not info.reads:
        expected = extensions_text(readable_formats())
        message = f"{info.name} files cannot be read back; load a {expected} file"
        raise DatasetError([Problem(str(target), "", "", message)])
    read = getattr(info.load(), "read")  # noqa: B009 - FormatModule declares write only
    try:
        with target.open("rb") as stream:
            collection: EventCollection = read(stream, str(target))
    except OSError as error:
        raise DatasetError([Problem(str(target), "", "", error.strerror or str(error))]) from None
    return collection
