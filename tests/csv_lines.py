"""Where a record of a CSV file starts, as the csv module counts lines: the oracle for problems naming a line."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

__all__ = ["record_line"]


def record_line(path: Path, column: str, wanted: Callable[[str], bool]) -> int:
    """The line (the header is line 1) on which the first record whose ``column`` cell is ``wanted`` starts."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        index = next(reader).index(column)
        ended = reader.line_num
        for row in reader:
            if wanted(row[index]):
                return ended + 1
            ended = reader.line_num
    raise AssertionError(f"no record of {path} has such a {column!r} cell")
