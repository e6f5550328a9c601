"""Date cells a spreadsheet made out of typed dates, read back with only the precision they show.

The Events sheet's ``date`` column is text, but Excel turns a retyped
``2000-07`` into a date cell shown as ``Jul-00`` (number format ``mmm-yy``), and
a ``2000`` into a number. Such a cell holds a whole day (the 1st of the
month), so reading its value would invent a day the source never gave. Its
number format says what the person saw: ``yyyy-mm-dd``, ``m/d/yyyy`` or
``d-mmm-yy`` show a day; ``mmm-yy``, ``mmmm yyyy`` or ``yyyy-mm`` a month;
``yyyy`` a year. A whole number 1..9999 in General or Text format (it shows
its digits) is a year. Anything
else (a format that hides the year, an unknown one, a time of day) is refused
with the fix: format the column as Text and type the date.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

__all__ = ["TYPE_AS_TEXT", "date_cell_text", "shown_precision"]

#: The fix for a date cell that cannot be read honestly.
TYPE_AS_TEXT = "format the date column as Text (Format Cells > Text) and type the date as EDTF, e.g. 2000-07"

# Parts of a number format that show no date part: quoted text, escaped characters, [Red] or
# [$-409] sections, padding (_x) and fill (*x).
_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_TOKEN = re.compile(r"am/pm|a/p|y+|m+|d+|h+|s+|e+|b+|g+", re.IGNORECASE)
_GENERAL = {"general", ""}
#: Formats that show a number as its digits: General, and Text (``@``, which the export gives the column).
_AS_DIGITS = _GENERAL | {"@"}


def shown_precision(number_format: str) -> str | None:
    """``"day"``, ``"month"`` or ``"year"``: the date parts a number format shows; None when unclear."""
    section = _LITERAL.sub("", number_format).split(";")[0].casefold()
    tokens = _TOKEN.findall(section)
    kinds: list[str] = []
    for index, token in enumerate(tokens):
        kind = token[0]
        if kind == "m":  # minutes when beside an hour or a second, as Excel reads it
            before = kinds[-1] if kinds else ""
            after = tokens[index + 1][0] if index + 1 < len(tokens) else ""
            kind = "minute" if before == "h" or after == "s" else "m"
        elif kind == "d" and len(token) > 2:
            kind = "weekday"
        elif kind == "a":
            kind = "h"
        kinds.append(kind)
    shown = set(kinds) - {"h", "s", "minute", "weekday"}
    if shown == {"y", "m", "d"}:
        return "day"
    if shown == {"y", "m"}:
        return "month"
    if shown == {"y"}:
        return "year"
    return None


def _as_day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def date_cell_text(value: Any, number_format: str) -> tuple[str, str | None]:
    """The EDTF text of a ``date`` cell, and a note when a spreadsheet had converted it.

    Raises ValueError, saying what the cell shows and the fix, for a cell that
    cannot be read without inventing or dropping part of a date.
    """
    if value is None or isinstance(value, str):
        return ("" if value is None else value), None
    shown = repr(number_format or "General")
    if isinstance(value, bool):
        raise ValueError(f"is TRUE or FALSE, not a date: {TYPE_AS_TEXT}")
    if isinstance(value, (int, float)):
        if number_format.strip().casefold() in _AS_DIGITS and float(value).is_integer() and 1 <= value <= 9999:
            year = f"{int(value):04d}"
            return year, f"a number cell ({int(value)}) read as the year {year}"
        raise ValueError(f"is a number ({value!r}, shown as {shown}), not a date: {TYPE_AS_TEXT}")
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        raise ValueError(f"is a date cell with a time of day ({value.isoformat(sep=' ')}): {TYPE_AS_TEXT}")
    if not isinstance(value, dt.date):  # a time of day or a duration
        raise ValueError(f"is a time or a duration ({value}), not a date: {TYPE_AS_TEXT}")
    day = _as_day(value)
    precision = shown_precision(number_format)
    if precision is None:
        raise ValueError(
            f"is a date cell shown as {shown}, which does not show a clear day, month or year: {TYPE_AS_TEXT}"
        )
    text = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[precision]
    return text, f"a date cell shown as {shown} read as {text} ({precision}, as the cell shows it)"
