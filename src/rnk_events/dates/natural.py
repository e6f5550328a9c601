"""``parse_date``: EDTF, or a date the way a news story or a desk writes it, never guessing.

Reads every form :meth:`DateSpan.display` writes and the usual ways of typing
them: "July, 2000", "Sept. 13, 2023", "23 August 2002", "May 16-17, 2024",
"c. May 2024", "circa 2000", "May 2024?", "the 1950s", "spring 2024",
"since September 2023", "until June 2024", "some time between June 10 and
June 16, 2024", "May 16 or 17, 2024". A missing year is an error, never
"this year"; a range joined by a dash is an interval, a phrase with
"between ... and" or "or" is one date of a set.
"""

from __future__ import annotations

import calendar
import re

import attrs

from rnk_events.dates.edtf import parse_edtf
from rnk_events.dates.parts import SEASONS, DateError, PartialDate, Qualifier
from rnk_events.dates.span import DateSpan, End, SetMember

__all__ = ["MONTH_NAMES", "parse_date", "parse_words"]

MONTH_NAMES: dict[str, int] = {}
for _number in range(1, 13):
    MONTH_NAMES[calendar.month_name[_number].lower()] = _number
    MONTH_NAMES[calendar.month_abbr[_number].lower()] = _number
MONTH_NAMES["sept"] = 9

_SEASON_NAMES = {name: code for code, (name, _, _) in SEASONS.items()} | {"fall": 23}

_DASHES = re.compile(r"\s*(?:[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]|\bto\b|\bthrough\b|\buntil\b)\s*")
_TOKEN = re.compile(r"([A-Za-z]+)\.?|(\d{1,2})(?:st|nd|rd|th)\b|(\d+)|([,\s]+)", re.ASCII)
_EDTF_CHARACTERS = re.compile(r"[\dXxY/.?~%\[\]{},+-]+", re.ASCII)
_APPROXIMATE = re.compile(r"(?:c\.|ca\.|circa|about|around|approximately|approx\.)\s*", re.IGNORECASE)
_UNCERTAIN = re.compile(r"(?:perhaps|possibly|maybe)\s+", re.IGNORECASE)
_DECADE = re.compile(r"(?:the\s+)?(\d{3})0'?s(\s+decade)?", re.IGNORECASE | re.ASCII)
_UNKNOWN_YEAR = re.compile(r"an unknown year of the (\d{2})00'?s", re.IGNORECASE | re.ASCII)
_UNKNOWN = re.compile(r"an unknown (day|month) of (.+)", re.IGNORECASE)
_SEASON = re.compile(r"(spring|summer|autumn|fall|winter)(?:\s+of)?\s+(\d{4})", re.IGNORECASE | re.ASCII)
_BETWEEN = re.compile(r"(?:one day|some ?time|one date) between\s+(.+)\s+and\s+(.+)", re.IGNORECASE)
_OR = re.compile(r"\s+or\s+", re.IGNORECASE)


@attrs.define
class _Parts:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    qualifier: Qualifier = Qualifier.NONE


def _scan(text: str, part: str) -> _Parts:
    """Month, day and year tokens of one plain date, in any usual order."""
    parts = _Parts()
    position = 0
    kinds: list[str] = []
    while position < len(part):
        match = _TOKEN.match(part, position)
        if match is None:
            raise DateError(text, f"unexpected character {part[position]!r}")
        position = match.end()
        word, ordinal, plain, _space = match.groups()
        number = ordinal or plain
        if word is not None:
            month = MONTH_NAMES.get(word.lower())
            if month is None or parts.month is not None:
                raise DateError(text, f"{word!r} is not a month name")
            parts.month = month
            kinds.append("M")
        elif number is not None:
            if len(number) == 4 and parts.year is None:
                parts.year = int(number)
                kinds.append("Y")
            elif len(number) <= 2 and parts.day is None and "Y" not in kinds:
                parts.day = int(number)
                kinds.append("D")
            else:
                raise DateError(text, f"cannot place the number {number!r}")
    if "".join(kinds) not in {"Y", "M", "MY", "MD", "DM", "MDY", "DMY", "D", "DY"}:
        raise DateError(text, "date parts are in an unusual order")
    return parts


def _qualifier(piece: str) -> tuple[str, Qualifier]:
    """The piece without its qualifying words, and what they say: "perhaps c. May 2024" is ``%``."""
    found: list[Qualifier] = []
    rest = piece.strip()
    while True:
        for pattern, qualifier in ((_UNCERTAIN, Qualifier.UNCERTAIN), (_APPROXIMATE, Qualifier.APPROXIMATE)):
            match = pattern.match(rest)
            if match:
                found.append(qualifier)
                rest = rest[match.end() :]
                break
        else:
            break
    if rest.endswith("?"):
        found.append(Qualifier.UNCERTAIN)
        rest = rest[:-1].rstrip()
    return rest, Qualifier.combine(tuple(found))


def _special(text: str, piece: str, qualifier: Qualifier) -> PartialDate | None:
    """A decade, a season, or a date with an unknown part, written in words; None for a plain date."""
    if match := _DECADE.fullmatch(piece):
        if match[1].endswith("0") and not match[2]:
            raise DateError(
                text,
                f"'{piece}' could be a decade or a century: write 'the {match[1]}0s decade' "
                f"or 'an unknown year of the {match[1]}0s'",
            )
        return PartialDate(int(match[1]) * 10, qualifier=qualifier, year_digits_unknown=1)
    if match := _UNKNOWN_YEAR.fullmatch(piece):
        return PartialDate(int(match[1]) * 100, qualifier=qualifier, year_digits_unknown=2)
    if match := _SEASON.fullmatch(piece):
        return PartialDate(int(match[2]), _SEASON_NAMES[match[1].lower()], qualifier=qualifier)
    if match := _UNKNOWN.fullmatch(piece):
        known = _plain(text, _scan(text, match[2]))
        if match[1].lower() == "month":
            if known.month is not None:
                raise DateError(text, "an unknown month of a month makes no sense; write 'an unknown day of May 2024'")
            return PartialDate(known.year, qualifier=qualifier, month_unknown=True)
        if known.day is not None:
            raise DateError(text, "the day is given, so it is not unknown")
        return PartialDate(
            known.year, known.month, qualifier=qualifier, month_unknown=known.month is None, day_unknown=True
        )
    return None


def _plain(text: str, parts: _Parts) -> PartialDate:
    if parts.year is None:
        raise DateError(text, "no year (a date needs one; it is never taken to be this year)")
    return PartialDate(parts.year, parts.month, parts.day, qualifier=parts.qualifier)


def _side(text: str, piece: str) -> PartialDate | _Parts:
    """One date as written, complete (a decade, a season ...) or as parts still to be filled in."""
    rest, qualifier = _qualifier(piece.strip(" ,"))
    if not rest:
        raise DateError(text, "a qualifier with no date")
    special = _special(text, rest, qualifier)
    if special is not None:
        return special
    parts = _scan(text, rest)
    parts.qualifier = qualifier
    return parts


def _year_of(item: PartialDate | _Parts | SetMember) -> int | None:
    if isinstance(item, SetMember):
        return item.first.year
    return item.year


def _month_of(item: PartialDate | _Parts | SetMember) -> int | None:
    if isinstance(item, SetMember):
        return item.first.month
    return item.month if isinstance(item, _Parts) else None


def _filled(text: str, items: list[PartialDate | _Parts | SetMember]) -> list[PartialDate | SetMember]:
    """Complete each plain date from its neighbours: the year from the next that has one, a bare day's
    month from the previous (else the next), as "May 16 or 17, 2024" and "16-17 May 2024" need."""
    done: list[PartialDate | SetMember] = []
    for index, item in enumerate(items):
        if not isinstance(item, _Parts):
            done.append(item)
            continue
        if item.year is None:
            item.year = next((year for other in items[index + 1 :] if (year := _year_of(other)) is not None), None)
        if item.day is not None and item.month is None:
            earlier = [_month_of(other) for other in reversed(items[:index])]
            later = [_month_of(other) for other in items[index + 1 :]]
            item.month = next((month for month in (*earlier, *later) if month is not None), None)
            if item.month is None:
                raise DateError(text, f"the day {item.day} has no month")
        done.append(_plain(text, item))
    return done


def _pair(text: str, left_text: str, right_text: str) -> tuple[PartialDate, PartialDate]:
    left, right = _side(text, left_text), _side(text, right_text)
    both_plain = isinstance(left, _Parts) and isinstance(right, _Parts)
    if both_plain and left.year is None and left.month is not None and (right.month, right.day) == (None, None):
        raise DateError(text, "a range needs a month or day on both sides (for a month, drop the dash: 'June 2024')")
    first, second = _filled(text, [left, right])
    assert isinstance(first, PartialDate)
    assert isinstance(second, PartialDate)
    return first, second


def _interval(text: str) -> DateSpan | None:
    """The open, unknown-ended and dash-joined forms; None when the text is not an interval."""
    lowered = text.lower()
    for prefix, suffix, start, end in (
        ("since ", "", None, End.OPEN),
        ("from ", ", end unknown", None, End.UNKNOWN),
        ("until ", ", start unknown", End.UNKNOWN, None),
        ("until ", "", End.OPEN, None),
    ):
        if lowered.startswith(prefix) and lowered.endswith(suffix):
            body = text[len(prefix) : len(text) - len(suffix)]
            if not _DASHES.search(body):
                date = _single(text, body)
                return DateSpan(start or date, end or date)
    body = text[5:] if lowered.startswith("from ") else text
    pieces = _DASHES.split(body)
    if len(pieces) == 1:
        return None
    if len(pieces) > 2 or any(not piece.strip(" ,") for piece in pieces):
        raise DateError(text, "expected a date or two dates joined by a dash")
    return DateSpan(*_pair(text, pieces[0], pieces[1]))


def _single(text: str, piece: str) -> PartialDate:
    (date,) = _filled(text, [_side(text, piece)])
    assert isinstance(date, PartialDate)
    return date


def _run(text: str, match: re.Match[str]) -> SetMember:
    first, last = _pair(text, match[1], match[2])
    return SetMember(first, last)


def _one_of(text: str) -> DateSpan | None:
    """ "one day between X and Y", "A or B", "A, B or C"; None when the text names no set."""
    body = re.sub(r"^either\s+", "", text, flags=re.IGNORECASE)
    if re.match(r"(?:one day|some ?time|one date) between\b", body, re.IGNORECASE) and " and " not in body:
        raise DateError(text, "expected 'one day between DATE and DATE'")
    chunks = _OR.split(body)
    if len(chunks) == 1 and not _BETWEEN.fullmatch(body):
        return None
    items: list[PartialDate | _Parts | SetMember] = []
    for chunk in chunks:
        if match := _BETWEEN.fullmatch(chunk):
            items.append(_run(text, match))
            continue
        for piece in chunk.split(","):
            if not piece.strip():
                raise DateError(text, "an empty item in a list of dates")
            side = _side(text, piece)
            bare_year = isinstance(side, _Parts) and (side.month, side.day) == (None, None)
            if bare_year and items and isinstance(items[-1], _Parts) and items[-1].year is None:
                items[-1].year = side.year  # "May 16, 2024": the year of the date before it
            else:
                items.append(side)
    return DateSpan.one_of(*_filled(text, items))


def parse_date(text: str) -> DateSpan:
    """Parse EDTF or a date as news text writes it, never guessing missing parts.

    Accepts canonical EDTF (see :mod:`rnk_events.dates.edtf`) and the natural
    forms in this module's description, with any kind of dash.
    """
    if not isinstance(text, str):
        raise DateError(repr(text), f"expected a string, got {type(text).__name__}")
    stripped = " ".join(text.split())  # one space between words: linear work for the patterns below
    if not stripped:
        raise DateError(text, "empty text")
    if _EDTF_CHARACTERS.fullmatch(stripped) and not re.fullmatch(r"[0-9]{4}-[0-9]{4}", stripped):
        # Only EDTF's characters: EDTF (or a mistake in it, "2024-6"), except a range of years "2006-2017".
        try:
            return parse_edtf(stripped)
        except DateError as error:
            raise DateError(text, error.reason) from None
    return parse_words(stripped, text)


def parse_words(stripped: str, text: str | None = None) -> DateSpan:
    """A date written in words (never EDTF): the natural half of :func:`parse_date`."""
    shown = stripped if text is None else text
    try:
        for form in (_one_of, _interval):
            found = form(stripped)
            if found is not None:
                return found
        return DateSpan(_single(stripped, stripped))
    except DateError as error:
        raise DateError(shown, error.reason) from None
