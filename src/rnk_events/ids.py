"""Making event and source ids: readable slugs that fit the id rules and do not collide.

Ingest and the TimelineJS-sheet reader draft ids from a date and a headline;
merge renames a draft whose id is taken. One implementation keeps the three
agreeing on what an id looks like.
"""

from __future__ import annotations

import re
import unicodedata

from rnk_events.dates import DateSpan
from rnk_events.model import MAX_ID_LENGTH

__all__ = ["draft_id", "slug", "slug_words", "unique_id"]


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


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... (cut to fit) if taken; records the result in ``taken``."""
    candidate, number = base[:MAX_ID_LENGTH].strip("-"), 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = base[: MAX_ID_LENGTH - len(suffix)].strip("-") + suffix
    taken.add(candidate)
    return candidate


def draft_id(span: DateSpan, headline: str, taken: set[str]) -> str:
    """``<EDTF start>-<headline words>``, cut at a word to fit, unique among ``taken``."""
    base = str(span.start)
    for word in slug_words(headline):
        if len(base) + 1 + len(word) > MAX_ID_LENGTH:
            break
        base += "-" + word
    return unique_id(base, taken)
