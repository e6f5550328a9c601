"""The release check: what a new data edition must say about how it differs from the last one.

A correction reaches the people who already have the data only if the new
edition says so: each event changed substantively carries a higher
``revision`` and a later ``revised`` day (calendars update it by them), an
event taken out is listed in ``withdrawn`` (calendars cancel it), and any
difference at all comes with a higher data version. :func:`check_release`
compares two editions and returns every way the newer one fails to say so;
the test suite runs it on the bundled dataset against the last edition kept
in ``tests/data``, so a release without the bumps fails CI.

"Substantive" is :data:`rnk_events.changes.SUBSTANTIVE_FIELDS`, the rule
``diff`` reports, applied here to the same diff.

>>> from rnk_events import load
>>> check_release(load(), load())
()
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import re
from typing import Any

import attrs

from rnk_events.changes import DatasetDiff, WithdrawnEvent, diff
from rnk_events.collection import EventCollection
from rnk_events.dataset import load
from rnk_events.model import Event

__all__ = ["ReleaseProblem", "Rule", "check_release", "version_key"]

_VERSION = re.compile(r"[0-9]+(\.[0-9]+)*")


class Rule(enum.Enum):
    """Which rule of the release check an edition breaks.

    :cvar REVISION: ``"revision"``: An event changed substantively and its revision did not rise, or a revision
        went down.
    :cvar REVISED: ``"revised"``: An event changed substantively and its revised day did not move on, or the day
        moved back.
    :cvar WITHDRAWAL: ``"withdrawal"``: An event disappeared without a withdrawal entry, an entry was dropped, or
        one does not match the event it withdraws.
    :cvar VERSION: ``"version"``: The editions differ and the data version did not rise, or a version is not
        dotted numbers.
    """

    REVISION = "revision"
    REVISED = "revised"
    WITHDRAWAL = "withdrawal"
    VERSION = "version"


@attrs.frozen
class ReleaseProblem:
    """One way a new edition fails to say how it differs from the previous one.

    ``str(problem)`` is ``"event 'id': message"``, or the message alone for
    the dataset as a whole. The examples are what the check says of edition
    1.1.0 had the Kim remark's redating been released without a new revision.

    :ivar rule: The rule broken, one of :class:`Rule`.
        Type: ``Rule``. Example: ``Rule.REVISION``.
    :ivar event_id: The event concerned, or ``""`` for the dataset as a whole.
        Type: ``str``. Example: ``"2024-06-10-kim-calls-russia-ties-unbreakable"``.
    :ivar message: What is wrong and what to do, without the event id.
        Type: ``str``.
        Example: ``"changed substantively (date, title, summary) but its revision stayed at 0; make it 1"``.
    """

    rule: Rule
    event_id: str
    message: str

    def __str__(self) -> str:
        return f"event {self.event_id!r}: {self.message}" if self.event_id else self.message


def version_key(version: str) -> tuple[int, ...]:
    """A data version as numbers to compare: ``"1.10.0"`` is ``(1, 10, 0)``, later than ``"1.9.2"``.

    Trailing zeros do not count (``"1.1"`` equals ``"1.1.0"``). ValueError
    unless the version is numbers joined by dots.
    """
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        raise ValueError(f"{version!r} is not a data version (numbers joined by dots, such as 1.1.0)")
    numbers = [int(part) for part in version.split(".")]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def _loaded(edition: EventCollection | str | os.PathLike[str]) -> EventCollection:
    return edition if isinstance(edition, EventCollection) else load(edition)


def _last_day(event: Event, as_of: dt.date | None) -> dt.date | None:
    """The day the event last changed substantively: its revised day, or the edition's as-of day."""
    return event.revised if event.revised is not None else as_of


def _revision_problems(before: Event, after: Event, substantive: list[str]) -> list[str]:
    """Messages for the revision rule; ``substantive`` names the fields that changed substantively."""
    if after.revision < before.revision:
        return [f"its revision went down from {before.revision} to {after.revision}; revisions only rise"]
    if substantive and after.revision <= before.revision:
        return [
            f"changed substantively ({', '.join(substantive)}) but its revision stayed at {before.revision}; "
            f"make it {before.revision + 1}"
        ]
    return []


def _revised_problems(before: Event, after: Event, substantive: list[str], as_of: dt.date | None) -> list[str]:
    """Messages for the revised rule: the day moves on with a substantive change, and never back."""
    previous = _last_day(before, as_of)
    if before.revised is not None and (after.revised is None or after.revised < before.revised):
        return [f"its revised day went back from {before.revised} to {after.revised}"]
    if not substantive:
        return []
    if after.revised is None:
        return ["changed substantively but has no revised day; set it to the day of this edition"]
    if previous is not None and after.revised <= previous:
        return [f"changed substantively but its revised day {after.revised} is not after {previous}"]
    return []


def _withdrawal_problems(event: WithdrawnEvent, before: Event, current: EventCollection) -> list[str]:
    """A withdrawal entry must keep what a calendar needs to cancel the event as subscribers have it."""
    withdrawal = current.info.withdrawal(event.id)
    assert withdrawal is not None  # the diff lists only ids the new edition withdraws
    problems = []
    recorded: dict[str, Any] = {"date": withdrawal.date, "title": withdrawal.title, "revision": withdrawal.revision}
    for name, value in recorded.items():
        if getattr(before, name) != value:
            problems.append(
                f"its withdrawal entry gives {name} {str(value)!r}, but the previous edition had "
                f"{str(getattr(before, name))!r}; copy the event's last {name}"
            )
    if withdrawal.replaced_by is not None and withdrawal.replaced_by not in current.ids:
        problems.append(f"its replacement {withdrawal.replaced_by!r} is not an event of the new edition")
    return problems


def _event_problems(changes: DatasetDiff, previous: EventCollection, current: EventCollection) -> list[ReleaseProblem]:
    problems = []
    as_of = previous.info.as_of
    substantive_fields = {
        change.id: [field.field for field in change.changes if field.substantive] for change in changes.changed
    }
    for change in changes.changed:
        before, after = previous.get(change.id), current.get(change.id)
        fields = substantive_fields[change.id]
        for message in _revision_problems(before, after, fields):
            problems.append(ReleaseProblem(Rule.REVISION, change.id, message))
        for message in _revised_problems(before, after, fields, as_of):
            problems.append(ReleaseProblem(Rule.REVISED, change.id, message))
    for event in changes.withdrawn:
        messages = _withdrawal_problems(event, previous.get(event.id), current)
        problems += [ReleaseProblem(Rule.WITHDRAWAL, event.id, message) for message in messages]
    for record in changes.removed:
        message = (
            "is gone without a withdrawal entry; list it in the dataset's withdrawn events "
            "(with the reason, the day and any replacement), since published ids are forever"
        )
        problems.append(ReleaseProblem(Rule.WITHDRAWAL, record["id"], message))
    return problems


def _dataset_problems(
    changes: DatasetDiff, previous: EventCollection, current: EventCollection
) -> list[ReleaseProblem]:
    problems = []
    kept = {withdrawal.id for withdrawal in current.info.withdrawn}
    for withdrawal in previous.info.withdrawn:
        if withdrawal.id not in kept:
            message = f"the withdrawal of {withdrawal.id!r} is no longer listed; a withdrawal is for good"
            problems.append(ReleaseProblem(Rule.WITHDRAWAL, "", message))
    old, new = previous.info.version, current.info.version
    try:
        raised = version_key(new) > version_key(old)
    except ValueError as error:
        return [*problems, ReleaseProblem(Rule.VERSION, "", str(error))]
    if changes and not raised:
        message = f"the editions differ but the data version went from {old} to {new}; raise it"
        problems.append(ReleaseProblem(Rule.VERSION, "", message))
    return problems


def check_release(
    previous: EventCollection | str | os.PathLike[str], current: EventCollection | str | os.PathLike[str]
) -> tuple[ReleaseProblem, ...]:
    """Every way ``current`` fails to say how it differs from ``previous``; empty when it can be released.

    Either edition is a collection or a file that :func:`~rnk_events.load`
    reads. The rules:

    - an event that changed substantively has a higher ``revision`` and a
      ``revised`` day after its previous one (or after the previous
      edition's as-of day, when it had none); no revision or revised day
      ever goes back;
    - an event that is gone is listed in ``current.info.withdrawn``, with
      the date, title and revision the previous edition gave it and a
      replacement that exists, and no withdrawal is ever dropped;
    - when anything differs, the data version is higher, compared as
      numbers (:func:`version_key`).

    Problems come event by event in the new edition's order, withdrawn and
    removed events next, then the dataset's.
    """
    before, after = _loaded(previous), _loaded(current)
    changes = diff(before, after)
    return (*_event_problems(changes, before, after), *_dataset_problems(changes, before, after))
