"""What changed between two editions of a dataset: events added, withdrawn, removed and changed, field by field.

``diff(old, new)`` compares two collections (or two files that
:func:`~rnk_events.load` reads) and reports every difference with the old
and the new value, as plain JSON-ready data, so the report can be printed,
stored as JSON, written up as a correction note, and applied:
``apply_diff(old, diff(old, new)) == new`` for any two datasets.

An event the new edition no longer has is *withdrawn* when the new edition
lists its id in :attr:`~rnk_events.model.DatasetInfo.withdrawn` (with a
reason, a day and perhaps a replacement), and plainly *removed* otherwise,
which a released edition never does (the release check refuses it).

A change is *substantive* when it touches what a reader is told happened:
the date, title, summary, status, actors, people, places or sources
(:data:`SUBSTANTIVE_FIELDS`). A typo fixed in a note, or a new category, is
not; an event's ``revision`` and ``revised`` record the substantive ones, and
the release check (:mod:`rnk_events.release`) uses the same rule.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from rnk_events.collection import EventCollection
from rnk_events.model import DatasetInfo, Event
from rnk_events.serialize import converter, unstructure_event, unstructure_info

__all__ = [
    "SUBSTANTIVE_FIELDS",
    "DatasetDiff",
    "EventChange",
    "FieldChange",
    "WithdrawnEvent",
    "apply_diff",
    "diff",
]

SUBSTANTIVE_FIELDS = frozenset({"date", "title", "summary", "status", "actors", "people", "places", "sources"})
"""The event fields whose change tells readers something new about what happened."""


@attrs.frozen
class FieldChange:
    """One field that differs: its name and its old and new values, as they are written in JSON.

    :ivar field: The field's name in the JSON document. Type: ``str``. Example: ``"date"``.
    :ivar old: The value in the old edition (``None`` where the field was absent).
        Type: ``Any``. Example: ``"2024-06-10/2024-06-16"``.
    :ivar new: The value in the new edition (``None`` where the field is gone).
        Type: ``Any``. Example: ``"[2024-06-10..2024-06-16]"``.
    """

    field: str
    old: Any
    new: Any

    @property
    def substantive(self) -> bool:
        """Whether readers are told something new (see :data:`SUBSTANTIVE_FIELDS`)."""
        return self.field in SUBSTANTIVE_FIELDS


@attrs.frozen
class EventChange:
    """An event present in both editions whose fields differ.

    :ivar id: The event's id. Type: ``str``. Example: ``"2024-06-10-kim-calls-russia-ties-unbreakable"``.
    :ivar changes: Each field that differs, in the order of the event's fields.
        Type: ``tuple[FieldChange, ...]``. Example: ``(FieldChange("date", "...", "..."),)``.
    """

    id: str
    changes: tuple[FieldChange, ...]

    @property
    def substantive(self) -> bool:
        """Whether any of its changes is substantive."""
        return any(change.substantive for change in self.changes)


@attrs.frozen
class WithdrawnEvent:
    """An event of the old edition that the new one withdrew: the event as it was, and why it went.

    :ivar id: The withdrawn event's id. Type: ``str``. Example: ``"2024-06-18-putin-arrives-in-pyongyang"``.
    :ivar reason: Why it was withdrawn, from the new edition's withdrawal entry.
        Type: ``str``. Example: ``"A duplicate of the state visit, merged into it."``.
    :ivar withdrawn: The day of the withdrawal, ``YYYY-MM-DD`` as in JSON.
        Type: ``str``. Example: ``"2026-12-01"``.
    :ivar replaced_by: The id of the event that replaces it, or ``None``.
        Type: ``str | None``. Example: ``"2024-06-18-putin-state-visit-to-north-korea"``.
    :ivar record: The event as the old edition had it, as a JSON-ready record.
        Type: ``dict[str, Any]``. Example: ``{"id": "...", ...}``.
    """

    id: str
    reason: str
    withdrawn: str
    replaced_by: str | None
    record: dict[str, Any]

    def to_data(self) -> dict[str, Any]:
        """JSON-ready: the withdrawal's fields, and the old record under ``"event"``."""
        return {
            "id": self.id,
            "reason": self.reason,
            "withdrawn": self.withdrawn,
            "replaced_by": self.replaced_by,
            "event": self.record,
        }


@attrs.frozen
class DatasetDiff:
    """Every difference between two editions.

    :ivar dataset: Changes to the dataset's own metadata (name, title, version,
        as-of date) and to its list of sources, field by field; ``sources``
        compares the whole list. Type: ``tuple[FieldChange, ...]``.
        Example: ``(FieldChange("version", "1.0.0", "1.1.0"),)``.
    :ivar added: The events only the new edition has, as JSON-ready records.
        Type: ``tuple[dict[str, Any], ...]``. Example: ``({"id": "...", ...},)``.
    :ivar removed: The events only the old edition has and the new one does
        not list as withdrawn, as JSON-ready records.
        Type: ``tuple[dict[str, Any], ...]``. Example: ``({"id": "...", ...},)``.
    :ivar changed: The events in both whose fields differ.
        Type: ``tuple[EventChange, ...]``. Example: ``(EventChange("...", (...)),)``.
    :ivar withdrawn: The events only the old edition has that the new one
        lists as withdrawn, with the reason and any replacement.
        Type: ``tuple[WithdrawnEvent, ...]``. Example: ``(WithdrawnEvent("...", "...", "2026-12-01", None, {...}),)``.
    """

    dataset: tuple[FieldChange, ...] = ()
    added: tuple[dict[str, Any], ...] = ()
    removed: tuple[dict[str, Any], ...] = ()
    changed: tuple[EventChange, ...] = ()
    withdrawn: tuple[WithdrawnEvent, ...] = ()

    def __bool__(self) -> bool:
        """True when the editions differ at all."""
        return bool(self.dataset or self.added or self.removed or self.changed or self.withdrawn)

    @property
    def substantive(self) -> tuple[EventChange, ...]:
        """The changed events whose changes include a substantive one."""
        return tuple(change for change in self.changed if change.substantive)

    def to_data(self) -> dict[str, Any]:
        """The diff as JSON-ready data (what ``rnk-events diff --format json`` prints)."""
        return {
            "dataset": [attrs.asdict(change) for change in self.dataset],
            "added": list(self.added),
            "withdrawn": [event.to_data() for event in self.withdrawn],
            "removed": list(self.removed),
            "changed": [
                {
                    "id": change.id,
                    "substantive": change.substantive,
                    "changes": [
                        {**attrs.asdict(field_change), "substantive": field_change.substantive}
                        for field_change in change.changes
                    ],
                }
                for change in self.changed
            ],
        }


def _loaded(edition: EventCollection | str | os.PathLike[str]) -> EventCollection:
    if isinstance(edition, EventCollection):
        return edition
    from rnk_events.dataset import load

    return load(edition)


def _field_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    names = [*old, *(name for name in new if name not in old)]
    return tuple(FieldChange(name, old.get(name), new.get(name)) for name in names if old.get(name) != new.get(name))


def diff(old: EventCollection | str | os.PathLike[str], new: EventCollection | str | os.PathLike[str]) -> DatasetDiff:
    """Every difference between two editions: collections, or paths of files that ``load`` reads.

    Events are matched by id; an id only the new edition has is added, and
    one only the old edition has is withdrawn when the new edition lists it
    as withdrawn, and removed otherwise. Events are listed in the new
    edition's order (withdrawn and removed ones in the old's).
    """
    before, after = _loaded(old), _loaded(new)
    old_events = {event.id: unstructure_event(event) for event in before}
    new_events = {event.id: unstructure_event(event) for event in after}
    changed = []
    for event_id, record in new_events.items():
        if event_id in old_events and old_events[event_id] != record:
            changed.append(EventChange(event_id, _field_changes(old_events[event_id], record)))
    gone = [(event_id, record) for event_id, record in old_events.items() if event_id not in new_events]
    withdrawn = []
    for event_id, record in gone:
        withdrawal = after.info.withdrawal(event_id)
        if withdrawal is not None:
            when = withdrawal.withdrawn.isoformat()
            withdrawn.append(WithdrawnEvent(event_id, withdrawal.reason, when, withdrawal.replaced_by, record))
    return DatasetDiff(
        dataset=_field_changes(unstructure_info(before.info), unstructure_info(after.info)),
        added=tuple(record for event_id, record in new_events.items() if event_id not in old_events),
        removed=tuple(record for event_id, record in gone if after.info.withdrawal(event_id) is None),
        changed=tuple(changed),
        withdrawn=tuple(withdrawn),
    )


def _applied(record: Mapping[str, Any], changes: Sequence[FieldChange]) -> dict[str, Any]:
    updated = dict(record)
    for change in changes:
        if change.new is None:
            updated.pop(change.field, None)
        else:
            updated[change.field] = change.new
    return updated


def apply_diff(old: EventCollection, changes: DatasetDiff) -> EventCollection:
    """The new edition, rebuilt from the old one and a diff of the two (the diff's own check)."""
    records = {event.id: unstructure_event(event) for event in old}
    removed = {record["id"] for record in changes.removed} | {event.id for event in changes.withdrawn}
    for change in changes.changed:
        records[change.id] = _applied(records[change.id], change.changes)
    events = [converter.structure(record, Event) for event_id, record in records.items() if event_id not in removed]
    events += [converter.structure(record, Event) for record in changes.added]
    info = converter.structure(_applied(unstructure_info(old.info), changes.dataset), DatasetInfo)
    return EventCollection(events, info)
