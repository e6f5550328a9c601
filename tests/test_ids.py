"""Event ids: published ids are stable (the list may grow, never lose or rename one); drafted ids are valid."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import DateSpan
from rnk_events.ids import draft_id, slug, slug_words, unique_id
from rnk_events.model import MAX_ID_LENGTH, SLUG
from tests.strategies import slugs, spans

PUBLISHED = Path(__file__).parent / "data" / "published_ids.txt"


def published_ids() -> list[str]:
    return [line.strip() for line in PUBLISHED.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_ids_are_unique() -> None:
    ids = rnk_events.load().ids
    assert len(ids) == len(set(ids))


def test_no_published_id_is_lost_or_renamed() -> None:
    current = set(rnk_events.load().ids)
    missing = [event_id for event_id in published_ids() if event_id not in current]
    assert not missing, f"published ids disappeared (ids are forever): {missing}"


def test_every_current_id_is_published() -> None:
    unpublished = sorted(set(rnk_events.load().ids) - set(published_ids()))
    assert not unpublished, f"add new ids to {PUBLISHED.name} when publishing them: {unpublished}"


@given(spans(), st.text(max_size=200), st.sets(slugs, max_size=5))
def test_drafted_ids_are_valid_unique_slugs(span: DateSpan, headline: str, taken: set[str]) -> None:
    before = set(taken)
    first = draft_id(span, headline, taken)
    second = draft_id(span, headline, taken)
    for new in (first, second):
        assert SLUG.fullmatch(new)
        assert len(new) <= MAX_ID_LENGTH
        assert new.startswith(str(span.start))
        assert new not in before
    assert first != second
    assert taken == before | {first, second}


@given(st.text(max_size=200))
def test_slug_is_a_valid_id_or_the_fallback(text: str) -> None:
    result = slug(text, "fallback")
    assert SLUG.fullmatch(result)
    assert len(result) <= MAX_ID_LENGTH
    assert (result == "fallback") == (not slug_words(text))


def test_slug_words_drop_apostrophes_and_dots() -> None:
    assert slug_words("Russia’s U.S.-drafted veto, Kim's") == ["russias", "us", "drafted", "veto", "kims"]
    assert unique_id("a" * 90, {"a" * 80}) == "a" * 78 + "-2"
