"""Errors precise enough to fix by hand: which file, which record, which field, what was wrong.

Errors travel as objects, never as ``"field: message"`` strings to be split
apart again: a record's validator raises :class:`FieldError`, a format's
option check raises :class:`OptionError`, a writer that cannot write an event
raises :class:`ExportError`, a reader collects :class:`Problem` values
into one :class:`DatasetError`, and looking up an event that a data edition
withdrew raises :class:`WithdrawnEventError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

__all__ = [
    "DatasetError",
    "ExportError",
    "FieldError",
    "FieldTypeError",
    "OptionError",
    "Problem",
    "WithdrawnEventError",
    "shorten",
]

ECHO_LIMIT = 80
"""How much of a bad value an error message echoes, in characters (issue: a 10 MB id made a 20 MB error)."""


def shorten(value: object, limit: int = ECHO_LIMIT) -> str:
    """``repr(value)``, cut to about ``limit`` characters with the full length said."""
    text = repr(value)
    if len(text) <= limit:
        return text
    length = len(value) if isinstance(value, (str, bytes)) else len(text)
    return f"{text[: limit - 1]}… ({length:,} characters)"


class FieldError(ValueError):
    """A record field holds a value it cannot take; ``field`` names it (``"places[0].lat"``).

    ``str(error)`` is ``"field: message"``, or the message alone when ``field`` is empty.

    :ivar field: The field that holds the value: its name, or its path from an
        enclosing record (``"places[0].lat"``); ``""`` when the error is about
        the record as a whole. Type: ``str``. Example: ``"lat"``.
    :ivar message: What is wrong with the value, without the field's name.
        Type: ``str``. Example: ``"91.5 is outside -90.0..90.0"``.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message

    def within(self, parent: str) -> FieldError:
        """The same error, its field named from an enclosing record (``places[0]`` + ``lat``)."""
        if not parent:
            return self
        return FieldError(f"{parent}.{self.field}" if self.field else parent, self.message)


class FieldTypeError(FieldError, TypeError):
    """A record field holds a value of the wrong type; both a FieldError and a TypeError.

    :ivar field: The field that holds the value: its name, or its path from an
        enclosing record (``"places[0].name"``); ``""`` when the error is about
        the record as a whole. Type: ``str``. Example: ``"places"``.
    :ivar message: Which type was expected and which was given, without the
        field's name. Type: ``str``. Example: ``"expected Place, got dict"``.
    """


class OptionError(ValueError):
    """A format option (``stamp``, ``timelinejs_base``, ...) has a value that format cannot use.

    ``str(error)`` is ``"option: message"``.

    :ivar option: The option's name, as ``write`` takes it (the command-line
        flag is ``--`` and the name with hyphens). Type: ``str``.
        Example: ``"refresh"``.
    :ivar message: What is wrong with the value, without the option's name.
        Type: ``str``.
        Example: ``"'daily' is not an ISO 8601 duration such as P1D, PT12H or P1DT6H"``.
    """

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")
        self.option = option
        self.message = message


class ExportError(ValueError):
    """A writer cannot write one event: ``event_id`` and ``field`` (the column) say where.

    ``str(error)`` is ``"format_name: event 'event_id', field 'field': message"``,
    leaving out whichever of the event and the field is empty.

    :ivar format_name: The name of the format being written, as in
        :data:`~rnk_events.formats.FORMATS`. Type: ``str``. Example: ``"xlsx"``.
    :ivar event_id: The ``id`` of the event that cannot be written, or ``""``
        when the value is not an event's (a source's, a title row's).
        Type: ``str``. Example: ``"long-one"``.
    :ivar field: The column whose value cannot be written, by its header
        (``"title"`` on a workbook's Events sheet, ``"Headline"`` on its
        TimelineJS sheet), or ``""`` when no one column is to blame.
        Type: ``str``. Example: ``"title"``.
    :ivar message: What stops the value being written, without the event or
        the column. Type: ``str``.
        Example: ``"the Events sheet's cell is 40,000 characters long"``.
    """

    def __init__(self, format_name: str, event_id: str, field: str, message: str) -> None:
        where = ", ".join(
            part for part in (f"event {event_id!r}" if event_id else "", field and f"field {field!r}") if part
        )
        super().__init__(f"{format_name}: {where}: {message}" if where else f"{format_name}: {message}")
        self.format_name = format_name
        self.event_id = event_id
        self.field = field
        self.message = message


@attrs.frozen
class Problem:
    """One thing wrong in a dataset file.

    ``str(problem)`` is ``"file, record, field 'field': message"``, leaving out
    whichever of the file, the record and the field is empty.

    :ivar file: The file the problem is in, as the reader was given it, or a
        label for text that is not a file (``"<text>"``). Type: ``str``.
        Example: ``"events.csv"``.
    :ivar record: Where in the file, in the file's own terms: ``"events[3]"``
        in JSON, ``"line 5"`` in CSV, ``"Events!A7"`` or ``"row 7"`` in a
        workbook; ``""`` for the file as a whole. Type: ``str``.
        Example: ``"line 5 (id 'summit-2024')"``.
    :ivar field: The name of the field that is wrong, or ``""`` for the whole
        record. Type: ``str``. Example: ``"date"``.
    :ivar message: What is wrong, without the place. Type: ``str``.
        Example: ``"'2024-13' is not a valid date: month 13 is outside 1..12"``.
    :ivar line: The same place as a line number, 1 for the first line, in a
        text file; ``None`` (the default) otherwise. Keyword-only.
        Type: ``int | None``. Example: ``5``.
    :ivar row: The same place as a sheet row number, 1 for the first row, in
        a workbook; ``None`` (the default) otherwise. Keyword-only.
        Type: ``int | None``. Example: ``None``.
    """

    file: str
    record: str
    field: str
    message: str
    line: int | None = attrs.field(default=None, kw_only=True)
    row: int | None = attrs.field(default=None, kw_only=True)

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.file, self.record, self.field and f"field {self.field!r}") if part)
        return f"{where}: {self.message}"


class DatasetError(ValueError):
    """A dataset file could not be read; ``problems`` lists every problem found.

    ``str(error)`` is the first problem and how many more there are.

    :ivar problems: Every problem found, in the order the reader found them.
        Type: ``tuple[Problem, ...]``.
        Example: ``(Problem("events.csv", "line 5", "date", "'2024-13' is not a valid date", line=5),)``.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        more = len(self.problems) - 1
        summary = str(self.problems[0]) if self.problems else "invalid dataset"
        if more > 0:
            summary += f" (and {more} more problem{'s' if more > 1 else ''})"
        super().__init__(summary)


class WithdrawnEventError(KeyError):
    """The event asked for was withdrawn from the dataset: when, why, and what replaces it.

    A :class:`KeyError`, as for an id that never existed, so code that
    catches that keeps working; ``str(error)`` says it all:
    ``"event 'old-id' was withdrawn on 2026-12-01: A duplicate. Its
    replacement is 'new-id'."``. The examples are a duplicate merged into the
    state visit.

    :ivar event_id: The id asked for. Type: ``str``.
        Example: ``"2024-06-18-putin-arrives-in-pyongyang"``.
    :ivar reason: Why the data edition withdrew it. Type: ``str``.
        Example: ``"A duplicate of the state visit, merged into it."``.
    :ivar withdrawn: The day of the edition that withdrew it.
        Type: ``datetime.date``. Example: ``datetime.date(2026, 12, 1)``.
    :ivar replaced_by: The id of the event that replaces it, or ``None``
        when nothing does. Type: ``str | None``.
        Example: ``"2024-06-18-putin-state-visit-to-north-korea"``.
    """

    def __init__(self, event_id: str, reason: str, withdrawn: dt.date, replaced_by: str | None = None) -> None:
        why = reason if reason.endswith((".", "!", "?")) else f"{reason}."
        instead = f"Its replacement is {replaced_by!r}." if replaced_by else "Nothing replaces it."
        super().__init__(f"event {event_id!r} was withdrawn on {withdrawn.isoformat()}: {why} {instead}")
        self.event_id = event_id
        self.reason = reason
        self.withdrawn = withdrawn
        self.replaced_by = replaced_by

    def __str__(self) -> str:
        return str(self.args[0])  # KeyError would show the message's repr, quotes and all
