"""Checks across records that no single record can make: unique ids, no withdrawn id reused, resolvable sources."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Sequence

import attrs

from rnk_events.collection import EventCollection
from rnk_events.errors import DatasetError, Problem
from rnk_events.model import DatasetInfo, Event

__all__ = ["Where", "base_info", "checked_against", "collection_problems", "finish_read"]


@attrs.frozen
class Where:
    """Where a record sits in its file: the label problems name it by, and its line or sheet row."""

    record: str
    line: int | None = attrs.field(default=None, kw_only=True)
    row: int | None = attrs.field(default=None, kw_only=True)

    def problem(self, origin: str, field: str, message: str) -> Problem:
        return Problem(origin, self.record, field, message, line=self.line, row=self.row)


def _where(label: str | Where) -> Where:
    return label if isinstance(label, Where) else Where(label)


def collection_problems(
    events: Sequence[tuple[str | Where, Event]], info: DatasetInfo | None, origin: str
) -> list[Problem]:
    """Problems with (record label or place, event) pairs taken together."""
    problems = []
    first_seen: dict[str, str] = {}
    known = {source.id for source in info.sources} if info is not None else set()
    for label, event in events:
        where = _where(label)
        if event.id in first_seen:
            problems.append(where.problem(origin, "id", f"{event.id!r} is already used by {first_seen[event.id]}"))
        first_seen.setdefault(event.id, where.record)
        withdrawal = info.withdrawal(event.id) if info is not None else None
        if withdrawal is not None:
            message = (
                f"{event.id!r} was withdrawn on {withdrawal.withdrawn.isoformat()} and can never be used again; "
                "drop the event, or its entry in the dataset's withdrawn list"
            )
            problems.append(where.problem(origin, "id", message))
        if known:
            for ref in event.sources:
                if ref.source not in known:
                    message = f"cites {ref.source!r}, which is not among the dataset's sources"
                    problems.append(where.problem(origin, "sources", message))
    return problems


#: The info a read's events are checked against and given, in place of the file's own (``load(path, base=...)``).
_BASE_INFO: contextvars.ContextVar[DatasetInfo | None] = contextvars.ContextVar("rnk_events_base_info", default=None)


def base_info() -> DatasetInfo | None:
    """The info reads are checked against just now (:func:`checked_against`), or None."""
    return _BASE_INFO.get()


@contextlib.contextmanager
def checked_against(info: DatasetInfo | None) -> Iterator[None]:
    """Reads inside take ``info`` for the file's own, so problems against it keep their line or row.

    A reader knows where each record sits; checked afterwards, a citation of
    an unknown source could name only the event's id. With None, reads keep
    what they had (their file's own info, or an outer ``checked_against``'s).
    """
    if info is None:
        yield
        return
    token = _BASE_INFO.set(info)
    try:
        yield
    finally:
        _BASE_INFO.reset(token)


def finish_read(
    events: Sequence[tuple[str | Where, Event]],
    info: DatasetInfo | None,
    origin: str,
    problems: Sequence[Problem],
    *,
    notes: Sequence[Problem] = (),
) -> EventCollection:
    """The collection a reader built, or DatasetError with every problem, its own and the cross-record ones.

    ``notes`` are what the reader changed or set aside without refusing the
    file; they become the collection's :attr:`~rnk_events.EventCollection.notes`.
    Inside :func:`checked_against`, its info replaces ``info``.
    """
    base = base_info()
    if base is not None:
        info = base
    found = [*problems, *collection_problems(events, info, origin)]
    if found or info is None:
        raise DatasetError(found)
    return EventCollection((event for _, event in events), info, notes=notes)
