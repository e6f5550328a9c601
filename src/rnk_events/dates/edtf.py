"""The canonical text: EDTF level 1 (ISO 8601-2:2019) plus level 2's "one of a set".

Grammar, as every file stores it::

    date      = year ["-" (month | "XX") ["-" (day | "XX")]] [qualifier]
              | year "-" season [qualifier]
    year      = DDDD | DDDX | DDXX              (0001-9999; 195X a decade, 19XX a century)
    season    = "21" | "22" | "23" | "24"       (spring, summer, autumn, winter)
    qualifier = "?" | "~" | "%"                 (uncertain, approximate, both)
    interval  = (date | ".." | "") "/" (date | ".." | "")
    one-of    = "[" member ("," member)* "]"    (members ascending, unqualified)
    member    = date | date ".." date

Everything else is refused with a :class:`DateError` that says why, naming the
EDTF level a refused feature belongs to where that is the reason.
"""

from __future__ import annotations

import re

from rnk_events.dates.parts import DateError, PartialDate, Qualifier
from rnk_events.dates.span import DateSpan, End, SetMember

__all__ = ["parse_edtf", "parse_single"]

_DATE = re.compile(
    r"(?P<year>\d{2}(?:\d{2}|\dX|XX))"
    r"(?:-(?P<month>\d{2}|XX)(?:-(?P<day>\d{2}|XX))?)?"
    r"(?P<qualifier>[?~%])?",
    re.ASCII,
)
_LONG_YEAR = re.compile(r"[-+]?\d{5,}(?:-.*)?|[-+]?Y[-+]?\d+.*|E\d+.*|-\d{4}.*", re.ASCII)
_QUALIFIERS = "?~%"


def _refusal(text: str) -> str:
    """Why a text that is not a date of the grammar is refused, as specifically as can be said."""
    if _LONG_YEAR.fullmatch(text):
        return "the year is out of range: years run from 0001 to 9999 (no Y-prefixed, negative or 5-digit years)"
    if text.startswith("{"):
        return "'{...}' (all of a set) is not supported; write '[...]' for one of a set"
    stripped = text.rstrip(_QUALIFIERS)
    if len(text) - len(stripped) > 1:
        return "doubled qualifiers: use one of ?, ~ or % (% means both uncertain and approximate)"
    if any(mark in stripped for mark in _QUALIFIERS):
        return "a qualifier on one part of a date is EDTF level 2; qualify the whole date (2024-05~)"
    if "x" in stripped:
        return "unspecified digits are an upper-case X (195X, 2024-XX)"
    if re.fullmatch(r"\d{1,3}", stripped, re.ASCII):
        return "a year has four digits (0001-9999); a month is written after its year (2024-06)"
    if re.fullmatch(r"\d{4}-\d-.*|\d{4}-\d|\d{4}-\d{2}-\d", stripped, re.ASCII):
        return "months and days have two digits (2024-06-01)"
    if re.search(r"\d", stripped) and "X" in stripped:
        return "X can stand only for a year's last one or two digits, a whole month or a whole day"
    natural = _as_natural(text)
    if natural is not None:
        return f"that is a date in words; the canonical EDTF form is {natural}"
    if " " in text:
        return "EDTF has no spaces (for natural text, use parse_date)"
    return (
        "expected EDTF such as 2024, 2024-05, 2024-05-16, 2024-05~, 195X, 2024-21, 2024-05/2024-06 "
        "or [2024-05-16,2024-05-17]"
    )


def _as_natural(text: str) -> str | None:
    """The canonical text of a date written in words ("June 19, 2024"), or None if it is none."""
    from rnk_events.dates.natural import parse_words

    if len(text) > 200 or not re.search(r"[A-Za-z]", text):  # a refusal need not read a long text
        return None
    try:
        return str(parse_words(" ".join(text.split())))
    except DateError:
        return None


def _season_or_month(text: str, month: str | None) -> tuple[int | None, bool]:
    if month is None:
        return None, False
    if month == "XX":
        return None, True
    number = int(month)
    if 25 <= number <= 41:
        raise DateError(text, f"season code {number} is EDTF level 2 (hemispheres, quarters, ...); use 21-24")
    return number, False


def parse_single(text: str) -> PartialDate:
    """One EDTF date of the grammar (no interval, no set)."""
    if not isinstance(text, str):
        raise DateError(repr(text), f"expected a string, got {type(text).__name__}")
    match = _DATE.fullmatch(text)
    if match is None:
        raise DateError(text, _refusal(text))
    year_text, month_text, day_text = match["year"], match["month"], match["day"]
    unknown_digits = year_text.count("X")
    year = int(year_text.replace("X", "0"))
    month, month_unknown = _season_or_month(text, month_text)
    day_unknown = day_text == "XX"
    if month_unknown and day_text is not None and not day_unknown:
        raise DateError(text, "a known day in an unknown month (2024-XX-15) is EDTF level 2")
    if unknown_digits and month_text is not None:
        raise DateError(text, "a year with X digits takes no month or day (that is EDTF level 2)")
    day = None if day_text is None or day_unknown else int(day_text)
    return PartialDate(
        year,
        month,
        day,
        qualifier=Qualifier(match["qualifier"] or ""),
        year_digits_unknown=unknown_digits,
        month_unknown=month_unknown,
        day_unknown=day_unknown,
    )


def _interval_end(text: str, part: str) -> PartialDate | End:
    if part == "..":
        return End.OPEN
    if part == "":
        return End.UNKNOWN
    return _within(text, part)


def _within(text: str, part: str) -> PartialDate:
    try:
        return parse_single(part)
    except DateError as error:
        raise DateError(text, error.reason if part == text else f"{part!r}: {error.reason}") from None


def _set(text: str) -> DateSpan:
    body = text[1:-1]
    if not body:
        raise DateError(text, "an empty set names no date")
    members = []
    for item in body.split(","):
        first, dots, last = item.partition("..")
        if dots and (not first or not last):
            raise DateError(text, "open members ('[..2024]') are EDTF level 2; use an interval for an open end")
        members.append(SetMember(_within(text, first), _within(text, last) if dots else None))
    try:
        return DateSpan.one_of(*members)
    except DateError as error:
        raise DateError(text, error.reason) from None


def parse_edtf(text: str) -> DateSpan:
    """Parse canonical EDTF text into a :class:`DateSpan`; :class:`DateError` says why it can't be one."""
    if not isinstance(text, str):
        raise DateError(repr(text), f"expected a string, got {type(text).__name__}")
    if text.startswith("[") and text.endswith("]"):
        return _set(text)
    if text.startswith(("[", "{")) or text.endswith("]"):
        raise DateError(text, _refusal(text) if text.startswith("{") else "a set opens with [ and closes with ]")
    if re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", text, re.ASCII):
        raise DateError(text, "day/month/year (or month/day/year) is ambiguous; write YYYY-MM-DD, as 2024-05-16")
    pieces = text.split("/")
    if len(pieces) > 2:
        raise DateError(text, "an interval has exactly one '/'")
    if len(pieces) == 1:
        if text == "..":
            raise DateError(text, "'..' is an open end; it belongs to an interval ('2023-09/..')")
        return DateSpan(_within(text, text))
    start_text, end_text = pieces
    start, end = _interval_end(text, start_text), _interval_end(text, end_text)
    try:
        return DateSpan(start, end)
    except DateError as error:
        raise DateError(text, error.reason) from None
