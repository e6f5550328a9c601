"""Errors precise enough to fix by hand: which file, which record, which field, what was wrong.

Errors travel as objects, never as ``"field: message"`` strings to be split
apart again: a record's validator raises :class:`FieldError`, a format's
option check raises :class:`OptionError`, a writer that cannot write an event
raises :class:`ExportError`, and a reader collects :class:`Problem` values
into one :class:`DatasetError`.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = ["DatasetError", "ExportError", "FieldError", "FieldTypeError", "OptionError", "Problem", "shorten"]

#: How much of a bad value an error message echoes (issue: a 10 MB id made a 20 MB error).
ECHO_LIMIT = 80


def shorten(value: object, limit: int = ECHO_LIMIT) -> str:
    """``repr(value)``, cut to about ``limit`` characters with the full length said."""
    text = repr(value)
    if len(text) <= limit:
        return text
    length = len(value) if isinstance(value, (str, bytes)) else len(text)
    return f"{text[: limit - 1]}… ({length:,} characters)"


class FieldError(ValueError):
    """A record field holds a value it cannot take; ``field`` names it (``"places[0].lat"``)."""

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
    """A record field holds a value of the wrong type; both a FieldError and a TypeError."""


class OptionError(ValueError):
    """A format option (``stamp``, ``timelinejs_base``, ...) has a value that format cannot use."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")
        self.option = option
        self.message = message


class ExportError(ValueError):
    """A writer cannot write one event: ``event_id`` and ``field`` (the column) say where."""

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

    ``record`` says where, in the file's own terms: ``"events[3]"`` in JSON,
    ``"line 5"`` in CSV, ``"Events!A7"`` or ``"row 7"`` in a workbook; ``field``
    is the field name or "" for the whole record. ``line`` (text files) and
    ``row`` (spreadsheet rows) give the same place as a number, for tools.
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
    """A dataset file could not be read; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        more = len(self.problems) - 1
        summary = str(self.problems[0]) if self.problems else "invalid dataset"
        if more > 0:
            summary += f" (and {more} more problem{'s' if more > 1 else ''})"
        super().__init__(summary)
