"""Event ids: published ids are stable (the list may grow, never lose or rename one); drafted ids are valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import DateSpan, parse_date
from rnk_events.ids import IdPool, date_prefix, draft_id, slug, slug_words, unique_id
from rnk_events.model import MAX_ID_LENGTH, SLUG
from tests.strategies import slugs, spans

PUBLISHED = Path(__file__).parent / "data" / "published_ids.txt"


def published_ids() -> list[str]:
    return [line.strip() for line in PUBLISHED.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_ids_are_unique() -> None:
    ids = rnk_events.load().ids
    assert len(ids) == len(set(ids))


def test_no_published_id_is_lost_or_renamed() -> None:
    """An id stays, or is listed as withdrawn (with its reason and replacement): never silently gone."""
    bundled = rnk_events.load()
    current = set(bundled.ids) | {entry.id for entry in bundled.info.withdrawn}
    missing = [event_id for event_id in published_ids() if event_id not in current]
    assert not missing, f"published ids disappeared without a withdrawal entry (ids are forever): {missing}"


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


def test_a_numbered_id_never_doubles_a_hyphen() -> None:
    # The base is 80 characters: "2024-05-16-" (11) + 66 a's (to 77) + "-xx" (to 80). A "-2" suffix
    # leaves room for 78, and the 78th character is the hyphen before "xx": it must go, or the id
    # would end "a--2".
    span = DateSpan.parse("2024-05-16")
    headline = "a" * 66 + " xx"
    base = "2024-05-16-" + "a" * 66 + "-xx"
    assert len(base) == MAX_ID_LENGTH
    taken: set[str] = set()
    assert draft_id(span, headline, taken) == base
    second = draft_id(span, headline, taken)
    assert second == "2024-05-16-" + "a" * 66 + "-2"
    assert "--" not in second
    assert SLUG.fullmatch(second)


def test_a_long_base_cut_at_a_hyphen_loses_it() -> None:
    # 79 a's, a hyphen, a "b": cut to 80 characters, the base would end in the hyphen.
    assert unique_id("a" * 79 + "-b", set()) == "a" * 79
    # Taken, 80 characters: "-2" leaves room for 78, which end in the hyphen before "bc".
    assert unique_id("a" * 77 + "-bc", {"a" * 77 + "-bc"}) == "a" * 77 + "-2"


#: At least 40 words of 1-3 letters: always more than an id can hold, so every base is cut.
short_words = st.lists(st.from_regex(r"[a-z]{1,3}", fullmatch=True), min_size=40, max_size=60).map(" ".join)


@given(spans(), short_words, st.integers(min_value=2, max_value=6))
def test_numbered_ids_of_short_words_stay_valid(span: DateSpan, headline: str, copies: int) -> None:
    """Many short words: the cut for a suffix lands on a hyphen about one time in three."""
    taken: set[str] = set()
    first = draft_id(span, headline, taken)
    for number in range(2, copies + 1):
        numbered = draft_id(span, headline, taken)
        assert SLUG.fullmatch(numbered), numbered
        assert len(numbered) <= MAX_ID_LENGTH
        assert numbered.endswith(f"-{number}")
        stem = numbered.removesuffix(f"-{number}")
        assert first.startswith(stem)
        # The base is cut at a word, so it is within 3 characters of the limit (a word and its
        # hyphen take at most 4); cutting for the suffix drops at most one hyphen more.
        assert len(stem) >= MAX_ID_LENGTH - len(f"-{number}") - 4


def _longest_fitting(words: list[str], head: list[str]) -> str:
    """Oracle: the most leading words that, joined by hyphens after ``head``, fit in an id."""
    best = "-".join(head)
    for count in range(1, len(words) + 1):
        candidate = "-".join([*head, *words[:count]])
        if len(candidate) <= MAX_ID_LENGTH:
            best = candidate
    return best


word_lists = st.lists(st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True), min_size=1, max_size=30)


@given(word_lists)
def test_slug_keeps_the_most_whole_words_that_fit(words: list[str]) -> None:
    expected = _longest_fitting(words, [])
    assert slug(" ".join(words), "fallback") == (expected or "fallback")


@given(spans(), word_lists)
def test_draft_id_keeps_the_most_whole_words_that_fit(span: DateSpan, words: list[str]) -> None:
    assert draft_id(span, " ".join(words), set()) == _longest_fitting(words, [str(span.start)])


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["a" * 80], "a" * 80),  # exactly the limit
        (["a" * 79, "b"], "a" * 79),  # 79 + hyphen + 1 = 81: the second word does not fit
        (["a" * 78, "b"], "a" * 78 + "-b"),  # 78 + 1 + 1 = 80: it does
        (["a" * 81], "fallback"),  # no word fits
        (["a" * 40, "b" * 39], "a" * 40 + "-" + "b" * 39),  # 40 + 1 + 39 = 80
        (["a" * 40, "b" * 40], "a" * 40),  # 81
    ],
)
def test_slug_at_the_length_limit(words: list[str], expected: str) -> None:
    assert slug(" ".join(words), "fallback") == expected


def test_a_draft_id_drops_a_word_that_does_not_fit() -> None:
    # "2024-05-16-" (11) + 66 a's = 77; "-bcd" would make 81.
    span = DateSpan.parse("2024-05-16")
    assert draft_id(span, "a" * 66 + " bcd", set()) == "2024-05-16-" + "a" * 66
    assert draft_id(span, "a" * 66 + " bc", set()) == "2024-05-16-" + "a" * 66 + "-bc"  # 80 exactly


@pytest.mark.parametrize(
    ("text", "prefix"),
    [
        ("2024-06-17", "2024-06-17"),
        ("2024-06", "2024-06"),
        ("[2024-06-10..2024-06-16]", "2024-06"),  # one day that week: the month is all that is known
        ("[2024-01-01..2024-06-16]", "2024"),
        ("[2024-05-31,2024-06-01]", "2024"),
        ("[2023-12-31,2024-01-01]", "202x"),
        ("195X", "195x"),
        ("19XX", "19xx"),
        ("2024-05~", "2024-05"),  # a qualifier adds nothing to the id
        ("2024-24", "2024"),  # winter 2024 runs into 2025 but is named by its year
        ("2024-06-18/2024-06-19", "2024-06-18"),  # an interval is named by its start
        ("../2024-06", "2024-06"),
        ("2023-09/..", "2023-09"),
    ],
)
def test_a_drafted_id_claims_only_the_known_part_of_the_date(text: str, prefix: str) -> None:
    assert date_prefix(parse_date(text)) == prefix
    assert draft_id(parse_date(text), "Talks held", set()) == f"{prefix}-talks-held"


class _CountingSet(IdPool):
    """An id pool that counts membership tests: the work unique_id does."""

    def __init__(self) -> None:
        super().__init__()
        self.lookups = 0

    def __contains__(self, item: object) -> bool:
        self.lookups += 1
        return super().__contains__(item)


def test_drafting_many_ids_with_one_base_is_linear() -> None:
    """Counted lookups, not seconds: 2,000 drafts of one base cost about 2 lookups each, not 1,000."""
    counts = []
    for size in (500, 2000):
        pool = _CountingSet()
        ids = [unique_id("2024-06-17-talks", pool) for _ in range(size)]
        assert len(set(ids)) == size
        assert ids[:3] == ["2024-06-17-talks", "2024-06-17-talks-2", "2024-06-17-talks-3"]
        counts.append(pool.lookups)
    assert counts[1] / counts[0] < 4.5  # four times the drafts, about four times the work
    assert counts[1] <= 2 * 2000


def test_a_pool_still_skips_ids_taken_by_others() -> None:
    pool = IdPool({"a-b", "a-b-2", "a-b-4"})
    assert [unique_id("a-b", pool) for _ in range(3)] == ["a-b-3", "a-b-5", "a-b-6"]
