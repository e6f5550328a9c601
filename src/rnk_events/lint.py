"""Lint rules: things a dataset may legally say but that are usually a mistake.

:func:`~rnk_events.dataset.load` refuses what is wrong; these rules flag what
loads but looks wrong in a hand-made dataset (a "planned" event that is already
over on the as-of date, which is stale: its status is kept, since no source
says it happened, and a calendar still shows it as tentative; a duplicated
title), so ``rnk-events validate`` and a newsroom's own
checks can point at it without failing. The rules never change the events.

One rule is not a mistake but a gap a map shows: a place without coordinates,
which the geojson export leaves out. :func:`unmapped_places` counts them, and
``lint(events, coordinates=True)`` adds its warning to the others.

>>> from rnk_events import load
>>> lint(load())
[]
>>> counted, named = str(unmapped_places(load())).split(": ")
>>> counted
'13 of 19 event places have no coordinates, so the geojson map leaves them out'
>>> named
"'Russian Far East', 'Ukraine', 'North Korea' and 4 more; give a place lat and lon to map it"
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from rnk_events.collection import EventCollection
from rnk_events.model import Event, Status

__all__ = ["LintWarning", "lint", "unmapped_places"]


@attrs.frozen
class LintWarning:
    """One thing that looks wrong: in which event (``""`` for the whole dataset), which field, and why.

    ``str(warning)`` is ``"event 'id': message"``, or just the message for the
    dataset as a whole. The examples are what :func:`lint` reports for the
    bundled dataset's Pyongyang visit if its status is changed to "happened".

    :ivar event_id: The id of the event that looks wrong, or ``""`` for a
        warning about the dataset as a whole. Type: ``str``.
        Example: ``"2024-06-18-putin-state-visit-to-north-korea"``.
    :ivar field: The name of the event field the warning is about
        (``"status"``, ``"title"``), or of the dataset part (``"sources"``).
        Type: ``str``. Example: ``"status"``.
    :ivar message: What looks wrong, without the event id. Type: ``str``.
        Example: ``"status 'happened' but it starts after the dataset's as-of date 2024-06-17"``.
    """

    event_id: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"event {self.event_id!r}: {self.message}" if self.event_id else self.message


def _stale(as_of: dt.date) -> str:
    """A plan whose date is over: the status stays (no source says it happened), and the warning says so."""
    return (
        f"stale: still 'planned', but its date ended before the dataset's as-of date {as_of}; "
        "the status is kept until a source says what happened"
    )


#: How many place names :func:`unmapped_places` quotes before it says "and N more".
_NAMED_PLACES = 3


def unmapped_places(events: Iterable[Event]) -> LintWarning | None:
    """One dataset-level warning counting the event places without coordinates, naming a few; None if all have them.

    Counted per event: a place three events name is three places the map leaves out.
    """
    places = [place for event in events for place in event.places]
    missing = [place.name for place in places if place.lat is None or place.lon is None]
    if not missing:
        return None
    names = list(dict.fromkeys(sorted(missing, key=missing.count, reverse=True)))  # most often named first
    shown = ", ".join(repr(name) for name in names[:_NAMED_PLACES])
    if len(names) > _NAMED_PLACES:
        shown += f" and {len(names) - _NAMED_PLACES} more"
    message = (
        f"{len(missing)} of {len(places)} event places have no coordinates, so the geojson map leaves them out: "
        f"{shown}; give a place lat and lon to map it"
    )
    return LintWarning("", "places", message)


def lint(events: EventCollection | Iterable[Event], *, coordinates: bool = False) -> list[LintWarning]:
    """Every warning for these events, in event order, then the withdrawn ones', then the dataset's as a whole.

    The as-of rules need the collection's ``info.as_of``; a plain iterable of
    events is wrapped in a collection without one, so only the title and
    sources rules apply to it. ``coordinates`` adds :func:`unmapped_places`'s
    warning, for a dataset meant for a map.
    """
    if not isinstance(events, EventCollection):
        events = EventCollection(events)
    found: list[LintWarning] = []
    as_of = events.info.as_of
    titles: dict[str, str] = {}
    for event in events:
        if as_of is not None and event.status is Status.HAPPENED and event.date.first_day > as_of:
            message = f"status 'happened' but it starts after the dataset's as-of date {as_of}"
            found.append(LintWarning(event.id, "status", message))
        if as_of is not None and event.status is Status.PLANNED and event.date.last_day < as_of:
            found.append(LintWarning(event.id, "status", _stale(as_of)))
        title = " ".join(event.title.casefold().split())
        if title in titles:
            found.append(LintWarning(event.id, "title", f"same title as event {titles[title]!r}; a duplicate?"))
        titles.setdefault(title, event.id)
    present = set(events.ids)
    for withdrawal in events.info.withdrawn:
        if withdrawal.replaced_by is not None and withdrawal.replaced_by not in present:
            message = f"withdrawn, and its replacement {withdrawal.replaced_by!r} is not an event of this dataset"
            found.append(LintWarning(withdrawal.id, "replaced_by", message))
    if not events.info.sources and any(event.sources for event in events):
        message = "the file lists no sources, so the source ids its events cite were not checked"
        found.append(LintWarning("", "sources", message))
    unmapped = unmapped_places(events) if coordinates else None
    if unmapped is not None:
        found.append(unmapped)
    return found
