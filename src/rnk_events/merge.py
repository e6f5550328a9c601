"""Fold draft events into an existing collection without overwriting anything.

A newsroom that ingests a new timeline (see :mod:`rnk_events.ingest`) needs to
know which drafts are news to its dataset and which it already has. A draft
*matches* an existing event when their dates overlap and they tell the same
story, scored as:

1. **Same source passage** (score 1.0): the existing event cites the draft's
   source, and that citation's evidence phrase occurs word for word in the
   draft's title or summary. Re-ingesting a timeline the dataset already cites
   is recognised whatever the dataset's own wording.
2. **Word overlap** otherwise: the overlap coefficient ``|D ∩ E| / min(|D|, |E|)``
   of the content words of the two events' title + summary (Unicode words in
   any script, casefolded, accents and English stop words removed, apostrophes
   and dots dropped so "U.S." is one word, each word cut to its first five
   letters so "sanctions" meets "sanctioned"). Overlap rather than Jaccard,
   because a curated summary is usually longer than the wire's one sentence.

A draft identical to an existing event (same id, same content) is matched to
it. Otherwise the best-scoring existing event (ties go to the same id, then
the same date) wins if its score reaches ``threshold``. A matching pair is
``matched`` when the fields in ``compare`` (by default just the date) are
equal, ``conflicting`` otherwise. A draft whose id an existing event already
has, but that matches nothing, is also ``conflicting``. All other drafts are
``new`` and join the collection, renamed with ``-2``, ``-3``... if their id is
taken. Existing events are never changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable

import attrs

from rnk_events.collection import EventCollection
from rnk_events.ids import IdPool, unique_id
from rnk_events.model import Event

__all__ = ["COMPARABLE_FIELDS", "Match", "MergeReport", "merge", "similarity"]

COMPARABLE_FIELDS = ("date", "category", "status", "actors", "people", "places", "sources")
"""The fields :func:`merge`'s ``compare`` may name: the structured ones (titles and summaries are wording)."""

_STOP_WORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "been", "being", "but", "by", "for", "from", "had", "has",
        "have", "he", "her", "his", "in", "into", "is", "it", "its", "of", "on", "or", "our", "over", "said",
        "says", "she", "than", "that", "the", "their", "them", "then", "they", "this", "those", "to", "was",
        "were", "which", "while", "who", "will", "with", "would", "also", "after", "before", "about", "later",
    }
)  # fmt: skip
_STEM = 5


@attrs.frozen
class Match:
    """A draft paired with the existing event it describes.

    ``differences`` names the compared fields that differ (empty for a
    match); ``reason`` says why they were paired. The examples are what
    ``merge(load(), [event])`` reports for an ``event`` of the bundled dataset.

    :ivar draft: The draft event as it was passed to :func:`merge`.
        Type: ``Event``.
        Example: ``load().get("2019-04-25-first-putin-kim-jong-un-summit-vladivostok")``.
    :ivar existing: The event of the existing collection that the draft
        describes, unchanged. Type: ``Event``.
        Example: ``load().get("2019-04-25-first-putin-kim-jong-un-summit-vladivostok")``.
    :ivar score: How alike the two stories are, from 0 to 1, as
        :func:`similarity` scores them; 1.0 for a draft identical to the
        existing event. Type: ``float``. Example: ``1.0``.
    :ivar reason: Why the two were paired, for people: ``"the same event"``,
        ``"the existing event cites the same source passage"``,
        ``"word overlap 0.76"`` or ``"same id, different content"``.
        Type: ``str``. Example: ``"the same event"``.
    :ivar differences: The names of the compared fields whose values differ,
        in :data:`COMPARABLE_FIELDS` order; for a draft that only shares the
        existing event's id, every :class:`~rnk_events.model.Event` field that
        differs. Empty (the default) for a matched pair.
        Type: ``tuple[str, ...]``. Example: ``()``.
    """

    draft: Event
    existing: Event
    score: float
    reason: str
    differences: tuple[str, ...] = ()


@attrs.frozen
class MergeReport:
    """The outcome of :func:`merge`: what is new, what agrees, what needs a human.

    ``collection`` is the existing events plus ``new`` (as added, ids made
    unique); matched and conflicting existing events are in it unchanged. The
    examples are what ``merge(load(), [event])`` reports for an ``event`` of
    the bundled dataset.

    :ivar collection: The existing events, unchanged, and the new drafts, with
        the existing collection's info; when that lists sources and the drafts
        are a collection, it also lists the sources the new drafts cite.
        Type: ``EventCollection``. Example: ``load()``.
    :ivar new: The drafts that match no existing event, in draft order, as
        added to ``collection``: an id that is already taken gets ``-2``,
        ``-3``... Type: ``tuple[Event, ...]``. Example: ``()``.
    :ivar matched: The pairs of a draft and the existing event it describes
        whose compared fields are equal, in draft order.
        Type: ``tuple[Match, ...]``.
        Example: ``(Match(load().get("2019-04-25-first-putin-kim-jong-un-summit-vladivostok"),
        load().get("2019-04-25-first-putin-kim-jong-un-summit-vladivostok"), 1.0, "the same event"),)``.
    :ivar conflicting: The pairs that need a human: the draft describes the
        existing event but a compared field differs, or it reuses the existing
        event's id for a different story; in draft order.
        Type: ``tuple[Match, ...]``. Example: ``()``.
    """

    collection: EventCollection
    new: tuple[Event, ...]
    matched: tuple[Match, ...]
    conflicting: tuple[Match, ...]


_WORD = re.compile(r"\w+")
_VANISHING = re.compile(r"['’.]")


def _words(text: str) -> list[str]:
    """Casefolded words of any script, accents removed: "Ким Чен Ын", "김정은", "Russia's U.S." -> russias, us."""
    decomposed = unicodedata.normalize("NFKD", _VANISHING.sub("", text).casefold())
    plain = unicodedata.normalize("NFC", "".join(char for char in decomposed if not unicodedata.combining(char)))
    return _WORD.findall(plain)


def _content(words: Iterable[str]) -> frozenset[str]:
    return frozenset(word[:_STEM] for word in words if word not in _STOP_WORDS)


@attrs.frozen
class _Draft:
    """What comparing a draft needs, worked out once however many events it is compared with."""

    event: Event
    text: str  # the words of title and summary, space-separated, with a space at each end
    cited: frozenset[str]  # the source ids it cites
    content: frozenset[str]

    @classmethod
    def of(cls, event: Event) -> _Draft:
        words = _words(f"{event.title} {event.summary}")
        cited = frozenset(ref.source for ref in event.sources)
        return cls(event, f" {' '.join(words)} ", cited, _content(words))


def _cites_passage(draft: _Draft, existing: Event) -> bool:
    for ref in existing.sources:
        phrase = " ".join(_words(ref.evidence))
        if ref.source in draft.cited and phrase and f" {phrase} " in draft.text:
            return True
    return False


def _similarity(draft: _Draft, existing: Event) -> tuple[float, str]:
    if _cites_passage(draft, existing):
        return 1.0, "the existing event cites the same source passage"
    ours, theirs = draft.content, _content(_words(f"{existing.title} {existing.summary}"))
    if not ours or not theirs:
        return 0.0, "no words to compare"
    score = len(ours & theirs) / min(len(ours), len(theirs))
    return score, f"word overlap {score:.2f}"


def similarity(draft: Event, existing: Event) -> tuple[float, str]:
    """How alike two events' stories are (0..1, dates aside), and why: see the module docs."""
    return _similarity(_Draft.of(draft), existing)


def _differences(draft: Event, existing: Event, fields: Iterable[str]) -> tuple[str, ...]:
    return tuple(name for name in fields if getattr(draft, name) != getattr(existing, name))


def _best_match(draft: _Draft, existing: EventCollection) -> tuple[Event, float, str] | None:
    """The most similar overlapping event; ties go to the same id, then the same date."""
    best: tuple[tuple[float, bool, bool], Event, str] | None = None
    event = draft.event
    for candidate in existing.between(event.date, event.date):
        score, reason = _similarity(draft, candidate)
        rank = (score, candidate.id == event.id, candidate.date == event.date)
        if best is None or rank > best[0]:
            best = (rank, candidate, reason)
    return None if best is None else (best[1], best[0][0], best[2])


def merge(
    existing: EventCollection,
    drafts: Iterable[Event],
    *,
    threshold: float = 0.6,
    compare: Collection[str] = ("date",),
) -> MergeReport:
    """Sort drafts into new, matched and conflicting against ``existing`` (see the module docs).

    ``compare`` names the fields (from :data:`COMPARABLE_FIELDS`) that must be
    equal for a pair to count as matched; the default compares dates only,
    because ingested drafts carry placeholder categories, statuses and actors.
    When ``drafts`` is an :class:`EventCollection` and ``existing`` lists its
    sources, the sources that new drafts cite are added to the result's info.
    """
    if not isinstance(existing, EventCollection):
        raise TypeError(f"merge takes the existing events as an EventCollection, got {type(existing).__name__}")
    if isinstance(drafts, (str, bytes)) or not isinstance(drafts, Iterable):
        raise TypeError(f"merge takes the drafts as an iterable of events, got {type(drafts).__name__}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    unknown = sorted(set(compare) - set(COMPARABLE_FIELDS))
    if unknown:
        raise ValueError(f"cannot compare {unknown}; choose from {list(COMPARABLE_FIELDS)}")
    fields = [name for name in COMPARABLE_FIELDS if name in compare]
    all_fields = [field.name for field in attrs.fields(Event)]
    existing_ids = frozenset(existing.ids)
    taken = IdPool(existing_ids)
    new: list[Event] = []
    matched: list[Match] = []
    conflicting: list[Match] = []
    for draft in drafts:
        if draft.id in existing_ids and existing.get(draft.id) == draft:
            matched.append(Match(draft, draft, 1.0, "the same event"))
            continue
        story = _Draft.of(draft)
        best = _best_match(story, existing)
        if best is not None and best[1] >= threshold:
            other, score, reason = best
            differences = _differences(draft, other, fields)
            (conflicting if differences else matched).append(Match(draft, other, score, reason, differences))
        elif draft.id in existing_ids:
            other = existing.get(draft.id)
            score, _reason = _similarity(story, other)
            differences = _differences(draft, other, all_fields)
            conflicting.append(Match(draft, other, score, "same id, different content", differences))
        else:
            new.append(attrs.evolve(draft, id=unique_id(draft.id, taken)))
    info = existing.info
    if info.sources and isinstance(drafts, EventCollection):
        known = {source.id for source in info.sources}
        cited = {ref.source for event in new for ref in event.sources}
        extra = tuple(source for source in drafts.info.sources if source.id in cited - known)
        info = attrs.evolve(info, sources=(*info.sources, *extra))
    if info.sources:
        known = {source.id for source in info.sources}
        for event in new:
            missing = sorted({ref.source for ref in event.sources} - known)
            if missing:
                raise ValueError(
                    f"draft {event.id!r} cites {missing}, which the existing dataset does not list; "
                    "pass the drafts as an EventCollection whose info lists their sources"
                )
    return MergeReport(EventCollection([*existing, *new], info), tuple(new), tuple(matched), tuple(conflicting))
