"""Loading datasets: the bundled timeline (lazily, once) or a user's JSON or CSV file."""

from __future__ import annotations

import functools
import importlib.resources
import os
from pathlib import Path

from rnk_events.collection import EventCollection
from rnk_events.errors import DatasetError, Problem
from rnk_events.formats import format_for

__all__ = ["load"]

BUNDLED = "data/events.json"


@functools.cache
def _bundled() -> EventCollection:
    from rnk_events.formats import json as json_format

    resource = importlib.resources.files("rnk_events").joinpath(BUNDLED)
    with resource.open("rb") as stream:
        return json_format.read(stream, f"rnk_events/{BUNDLED}")


def load(path: str | os.PathLike[str] | None = None) -> EventCollection:
    """The bundled Russia-North Korea timeline, or a user's ``.json``, ``.csv`` or ``.xlsx`` dataset.

    A format can be loaded when its module can read (JSON, CSV, and the Events
    sheet of the Excel export).

    Raises :class:`DatasetError` naming the file, record and field of every problem.
    """
    if path is None:
        return _bundled()
    target = Path(path)
    try:
        info = format_for(target)
    except ValueError:
        raise DatasetError([Problem(str(target), "", "", "expected a .json, .csv or .xlsx file")]) from None
    module = info.load()
    read = getattr(module, "read", None)
    if read is None:
        raise DatasetError([Problem(str(target), "", "", f"{info.name} files cannot be read back")])
    try:
        with target.open("rb") as stream:
            collection: EventCollection = read(stream, str(target))
    except OSError as error:
        raise DatasetError([Problem(str(target), "", "", error.strerror or str(error))]) from None
    return collection
