"""Making event and source ids: readable slugs that fit the id rules and do not collide.

Ingest and the TimelineJS-sheet reader draft ids from a date and a headline;
merge renames a draft whose id is taken. One implementation keeps the three
agreeing on what an id looks like.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rnk_events.dates import DateSpan, PartialDate
from rnk_events.model import MAX_ID_LENGTH

__all__ = ["IdPool", "date_prefix", "draft_id", "slug", "slug_words", "unique_id"]


def slug_words(text: str) -> list[str]:
    """Lower-case ASCII words; apostrophes and dots vanish ("Russia's U.S." -> russias, us)."""
    ascii_text = unicodedata.normalize("NFKD", re.sub(r"['’.]", "", text)).encode("ascii", "ignore").decode("ascii")
    return re.findall(r"[a-z0-9]+", ascii_text.casefold())


def slug(text: str, fallback: str) -> str:
    """``text`` as a slug of at most MAX_ID_LENGTH characters, cut at a word; ``fallback`` if empty."""
    result = ""
    for word in slug_words(text):
        if len(result) + len(word) + (1 if result else 0) > MAX_ID_LENGTH:
            break
        result = f"{result}-{word}" if result else word
    return result or fallback


class IdPool(set[str]):
    """The ids taken so far, and for each base the next suffix to try.

    With a plain set, the ten-thousandth draft sharing one base id would try
    ``-2`` up to ``-10000`` first (quadratic work in all); a pool starts where
    the last draft of that base left off, so drafting stays linear.
    """

    def __init__(self, ids: Iterable[str] = ()) -> None:
        super().__init__(ids)
        self.next_suffix: dict[str, int] = {}


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... (cut to fit) if taken; records the result in ``taken``.

    Pass an :class:`IdPool` when drafting many ids, so that each search starts
    after the suffixes already handed out for the same base.
    """
    candidate = base[:MAX_ID_LENGTH].strip("-")
    number = taken.next_suffix.get(base, 1) if isinstance(taken, IdPool) else 1
    if number > 1:
        candidate = _suffixed(base, number)
    while candidate in taken:
        number += 1
        candidate = _suffixed(base, number)
    taken.add(candidate)
    if isinstance(taken, IdPool):
        taken.next_suffix[base] = number
    return candidate


def _suffixed(base: str, number: int) -> str:
    suffix = f"-{number}"
    return base[: MAX_ID_LENGTH - len(suffix)].strip("-") + suffix


def date_prefix(span: DateSpan) -> str:
    """The part of a date an id may claim: only what is known, never a guessed day.

    An interval is named by its start (``2024-06-18`` for ``2024-06-18/2024-06-19``;
    its end for an open or unknown start). A point (a date, or one of a set) is
    named by what all its possible days share: ``2024-06`` for
    ``[2024-06-10..2024-06-16]``, ``2024`` for ``[2024-01-01..2024-06-16]``,
    ``195x`` for ``195X``. A qualifier claims nothing: ``2024-05~`` gives ``2024-05``.
    """
    if span.is_range:
        named = next(part for part in (span.start, span.end) if isinstance(part, PartialDate))
        return date_prefix(DateSpan(named.unqualified()))
    if span.kind == "date" and isinstance(span.start, PartialDate) and span.start.season is not None:
        return f"{span.start.year:04d}"  # a season is known to its year (winter runs into the next)
    first, last = span.first_day, span.last_day
    if first == last:
        return first.isoformat()
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.year:04d}-{first.month:02d}"
    if first.year == last.year:
        return f"{first.year:04d}"
    for digits in (3, 2):  # the decade, then the century, all its days share
        if f"{first.year:04d}"[:digits] == f"{last.year:04d}"[:digits]:
            return f"{first.year:04d}"[:digits] + "x" * (4 - digits)
    return f"{first.year:04d}"


def draft_id(span: DateSpan, headline: str, taken: set[str]) -> str:
    """``<known date>-<headline words>``, cut at a word to fit, unique among ``taken``; see :func:`date_prefix`."""
    base = date_prefix(span)
    for word in slug_words(headline):
        if len(base) + 1 + len(word) > MAX_ID_LENGTH:
            break
        base += "-" + word
    return unique_id(base, taken)
