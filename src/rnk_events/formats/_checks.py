"""Checks across records that no single record can make: unique ids, resolvable sources."""

from __future__ import annotations

from collections.abc import Sequence

from rnk_events.collection import EventCollection
from rnk_events.errors import DatasetError, Problem
from rnk_events.model import DatasetInfo, Event


def collection_problems(events: Sequence[tuple[str, Event]], info: DatasetInfo | None, origin: str) -> list[Problem]:
    """Problems with (record label, event) pairs taken together."""
    problems = []
    first_seen: dict[str, str] = {}
    known = {source.id for source in info.sources} if info is not None else set()
    for label, event in events:
        if event.id in first_seen:
            problems.append(Problem(origin, label, "id", f"{event.id!r} is already used by {first_seen[event.id]}"))
        first_seen.setdefault(event.id, label)
        if known:
            for ref in event.sources:
                if ref.source not in known:
                    problems.append(
                        Problem(
                            origin, label, "sources", f"cites {ref.source!r}, which is not among the dataset's sources"
                        )
                    )
    return problems


def finish_read(
    events: Sequence[tuple[str, Event]], info: DatasetInfo | None, origin: str, problems: Sequence[Problem]
) -> EventCollection:
    """The collection a reader built, or DatasetError with every problem, its own and the cross-record ones."""
    found = [*problems, *collection_problems(events, info, origin)]
    if found or info is None:
        raise DatasetError(found)
    return EventCollection((event for _, event in events), info)
