"""JSON: the whole dataset, metadata and sources included, as one document.

Layout: ``{"dataset", "title", "version", "as_of", "sources": [...],
"events": [...]}``; each event has its EDTF ``date``. Described by
``schema/events.schema.json``. This is also the layout of the bundled data.
"""

from __future__ import annotations

import json
from typing import IO, Any

from rnk_events.collection import EventCollection
from rnk_events.errors import DatasetError, Problem
from rnk_events.formats._checks import finish_read
from rnk_events.model import Event
from rnk_events.serialize import structure_event, structure_info, unstructure_event, unstructure_info

__all__ = ["dumps", "read", "write"]


def to_document(events: EventCollection) -> dict[str, Any]:
    document = unstructure_info(events.info)
    document["events"] = [unstructure_event(event) for event in events]
    return document


def dumps(events: EventCollection) -> str:
    return json.dumps(to_document(events), ensure_ascii=False, indent=2) + "\n"


def write(events: EventCollection, stream: IO[bytes], **options: Any) -> None:
    if options:
        raise TypeError(f"json export takes no options, got {sorted(options)}")
    stream.write(dumps(events).encode("utf-8"))


class _DuplicateKey(ValueError):
    """A JSON object names a key twice; json.loads would silently keep the last."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise _DuplicateKey(key)
        document[key] = value
    return document


def read(stream: IO[bytes], origin: str) -> EventCollection:
    """Read a dataset document; DatasetError lists every problem found."""
    try:
        document = json.loads(stream.read().decode("utf-8-sig"), object_pairs_hook=_no_duplicate_keys)
    except UnicodeDecodeError as error:
        raise DatasetError([Problem(origin, f"byte {error.start}", "", "not UTF-8 text")]) from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise DatasetError([Problem(origin, where, "", f"not valid JSON: {error.msg}")]) from None
    except _DuplicateKey as error:
        raise DatasetError(
            [Problem(origin, "document", str(error), "the same key appears twice in one object")]
        ) from None
    except (RecursionError, ValueError) as error:  # nesting too deep; a number too long to convert
        raise DatasetError(
            [Problem(origin, "document", "", f"not a JSON document this reader accepts: {error}")]
        ) from None
    if not isinstance(document, dict):
        raise DatasetError([Problem(origin, "document", "", "expected a JSON object with an 'events' list")])
    raw_events = document.get("events")
    if not isinstance(raw_events, list):
        raise DatasetError([Problem(origin, "document", "events", "expected a list of events")])
    header = {key: value for key, value in document.items() if key != "events"}
    info, problems = structure_info(header, origin)
    events: list[tuple[str, Event]] = []
    for index, raw in enumerate(raw_events):
        label = f"events[{index}]"
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            label += f" (id {raw['id']!r})"
        event, event_problems = structure_event(raw, origin, label)
        problems.extend(event_problems)
        if event is not None:
            events.append((label, event))
    return finish_read(events, info, origin, problems)
