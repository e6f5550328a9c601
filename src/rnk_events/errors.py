"""Errors about a dataset file, precise enough to fix by hand: file, record, field, what."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = ["DatasetError", "Problem"]


@attrs.frozen
class Problem:
    """One thing wrong in a dataset file.

    ``record`` says where, in the file's own terms: ``"events[3]"`` in JSON,
    ``"line 5"`` in CSV; ``field`` is the field name or "" for the whole record.
    """

    file: str
    record: str
    field: str
    message: str

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
