"""Merging drafts into a collection: new, matched and conflicting, nothing overwritten."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import Category, Event, EventCollection, SourceRef, Status
from rnk_events.ingest import ingest_text
from rnk_events.merge import COMPARABLE_FIELDS, merge, similarity
from tests.strategies import spans
from tests.wire_seeds import REUTERS, REWRITE

PUBLISHED = dt.date(2024, 6, 17)


def draft(event_id: str, date: str, title: str, summary: str = "", source: str = "reuters-timeline") -> Event:
    return Event(
        id=event_id,
        date=date,
        title=title,
        summary=summary or title + ".",
        category="diplomacy",
        status="happened",
        actors=(),
        sources=(SourceRef(source, date),),
    )


@pytest.fixture(scope="module")
def bundled() -> EventCollection:
    return rnk_events.load()


@pytest.mark.parametrize(
    ("file", "source", "by_passage"),
    [(REUTERS, "reuters-timeline", 14), (REWRITE, "timeline-rewrite", 13)],
)
def test_ingested_wire_timeline_matches_the_bundled_events(
    seeds_dir: Path, bundled: EventCollection, file: str, source: str, by_passage: int
) -> None:
    drafts = ingest_text((seeds_dir / file).read_text("utf-8"), published=PUBLISHED, source=source).events
    report = merge(bundled, drafts)
    assert (len(report.new), len(report.matched), len(report.conflicting)) == (0, 14, 0)
    for pair in report.matched:
        assert pair.draft.date == pair.existing.date
        assert source in {ref.source for ref in pair.existing.sources}
    assert len({pair.existing.id for pair in report.matched}) == 14
    assert (
        sum(pair.reason == "the existing event cites the same source passage" for pair in report.matched) == by_passage
    )
    assert report.collection == bundled, "nothing new, nothing changed"


def test_word_overlap_alone_matches_a_rewrite_from_an_unknown_source(seeds_dir: Path, bundled: EventCollection) -> None:
    text = (seeds_dir / REWRITE).read_text("utf-8")
    drafts = ingest_text(text, published=PUBLISHED, source="somebody-else").events
    report = merge(bundled, drafts)
    assert (len(report.new), len(report.matched), len(report.conflicting)) == (0, 14, 0)
    assert all(pair.reason.startswith("word overlap") for pair in report.matched)


def test_heavy_paraphrase_is_beyond_word_overlap(seeds_dir: Path, bundled: EventCollection) -> None:
    """The documented limit: without the source passage, one wire entry reads as new."""
    text = (seeds_dir / REUTERS).read_text("utf-8")
    drafts = ingest_text(text, published=PUBLISHED, source="somebody-else").events
    report = merge(bundled, drafts)
    assert [event.id for event in report.new] == [
        "2023-10-13-the-united-states-accuses-north-korea-of-sending-weapons-to-russia"
    ]
    assert len(report.matched) == 13
    assert min(pair.score for pair in report.matched) >= 0.6


def test_brand_new_draft_is_added(bundled: EventCollection) -> None:
    fresh = draft("2030-01-01-kim-visits-moscow", "2030-01-01", "Kim visits Moscow for a third summit")
    report = merge(bundled, [fresh])
    assert report.new == (fresh,)
    assert report.matched == ()
    assert report.conflicting == ()
    assert len(report.collection) == len(bundled) + 1
    assert report.collection.get(fresh.id) == fresh
    assert all(report.collection.get(event.id) == event for event in bundled)


def test_same_date_different_topic_is_new(bundled: EventCollection) -> None:
    rain = draft("2019-04-25-heavy-rain-floods-seoul", "2019-04-25", "Heavy rain floods streets across Seoul")
    assert bundled.on("2019-04-25"), "the bundled data has an event that day"
    report = merge(bundled, [rain])
    assert report.new == (rain,)
    assert report.matched == ()


def test_same_story_on_a_different_overlapping_date_conflicts(bundled: EventCollection) -> None:
    existing = bundled.get("2024-05-16-us-britain-sanctions-russian-entities")
    moved = draft(
        "2024-05-16-sanctions",
        "2024-05-16",
        "The U.S. and Britain impose sanctions on Russian entities accused of facilitating arms transfers",
    )
    report = merge(bundled, [moved])
    assert report.new == ()
    assert report.matched == ()
    (pair,) = report.conflicting
    assert pair.existing == existing
    assert pair.differences == ("date",)
    assert report.collection.get(existing.id) == existing, "the existing event is kept as it was"


def test_same_id_different_content_conflicts(bundled: EventCollection) -> None:
    existing = bundled[0]
    clash = draft(existing.id, "2031", "Something else entirely happens")
    report = merge(bundled, [clash])
    (pair,) = report.conflicting
    assert pair.existing == existing
    assert pair.reason == "same id, different content"
    assert "date" in pair.differences
    assert "title" in pair.differences
    assert report.collection == bundled


def test_an_existing_event_merged_again_is_matched(bundled: EventCollection) -> None:
    report = merge(bundled, bundled)
    assert report.new == ()
    assert report.conflicting == ()
    assert [pair.existing for pair in report.matched] == list(bundled)
    assert report.collection == bundled


def test_compare_more_fields(bundled: EventCollection, seeds_dir: Path) -> None:
    text = (seeds_dir / REUTERS).read_text("utf-8")
    drafts = ingest_text(text, published=PUBLISHED, source="reuters-timeline").events
    report = merge(bundled, drafts, compare=("date", "category", "status"))
    diplomacy = list(report.matched)
    assert all(pair.existing.category.value == "diplomacy" for pair in diplomacy)
    assert len(report.conflicting) == 14 - len(diplomacy) > 0
    assert all("category" in pair.differences for pair in report.conflicting)
    with pytest.raises(ValueError, match=r"cannot compare \['summary'\]"):
        merge(bundled, drafts, compare=("summary",))
    with pytest.raises(ValueError, match="threshold"):
        merge(bundled, drafts, threshold=0)


def test_sources_of_new_drafts_come_along(bundled: EventCollection) -> None:
    text = "July 2031\n\nKim visits Moscow.\n\nAug. 2031\n\nPutin visits Seoul.\n"
    drafts = ingest_text(text, published=PUBLISHED, source="wire-2031").events
    report = merge(bundled, drafts)
    assert [event.id for event in report.new] == ["2031-07-kim-visits-moscow", "2031-08-putin-visits-seoul"]
    assert report.collection.info.source("wire-2031") == drafts.info.source("wire-2031")
    assert report.collection.info.sources[: len(bundled.info.sources)] == bundled.info.sources
    with pytest.raises(ValueError, match=r"cites \['wire-2031'\]"):
        merge(bundled, list(drafts))


def test_duplicate_new_ids_get_a_number() -> None:
    first = draft("2031-07-kim-visits-moscow", "2031-07", "Kim visits Moscow")
    second = draft("2031-07-kim-visits-moscow", "2035-07", "Rain in Lisbon")
    report = merge(EventCollection(), [first, second])
    assert [event.id for event in report.new] == ["2031-07-kim-visits-moscow", "2031-07-kim-visits-moscow-2"]


def test_similarity_prefers_the_cited_passage() -> None:
    existing = draft("a", "2020", "Completely different words", source="wire")
    existing = attrs.evolve(existing, sources=(SourceRef("wire", "Kim visits Moscow"),))
    cited = draft("b", "2020", "Kim visits Moscow", source="wire")
    assert similarity(cited, existing) == (1.0, "the existing event cites the same source passage")
    uncited = draft("c", "2020", "Kim visits Moscow", source="other")
    assert similarity(uncited, existing)[0] == 0.0


words = st.lists(st.sampled_from(["kim", "putin", "visit", "summit", "talks", "rain", "Seoul", "veto"]), min_size=1)


@st.composite
def similar_events(draw: st.DrawFn) -> list[Event]:
    """Events crowded into a few years with words from a tiny vocabulary, so many pairs overlap and match."""
    ids = draw(st.lists(st.from_regex(r"[a-z]{1,6}", fullmatch=True), max_size=8, unique=True))
    return [
        Event(
            id=event_id,
            date=draw(spans(2000, 2002)),
            title=" ".join(draw(words)),
            summary=" ".join(draw(words)),
            category=draw(st.sampled_from(Category)),
            status=draw(st.sampled_from(Status)),
            actors=(),
            sources=(SourceRef(draw(st.sampled_from(["a", "b"])), " ".join(draw(words))),),
        )
        for event_id in ids
    ]


@given(similar_events())
def test_merging_a_collection_into_itself_adds_nothing(events: list[Event]) -> None:
    existing = EventCollection(events)
    report = merge(existing, existing, compare=COMPARABLE_FIELDS)
    assert report.new == ()
    assert report.conflicting == ()
    assert [(pair.draft, pair.existing) for pair in report.matched] == [(event, event) for event in existing]
    assert report.collection == existing


@given(similar_events(), similar_events())
def test_merge_keeps_every_existing_event_and_places_every_draft(old: list[Event], drafts: list[Event]) -> None:
    existing = EventCollection(old)
    report = merge(existing, drafts)
    assert len(report.new) + len(report.matched) + len(report.conflicting) == len(drafts)
    assert all(report.collection.get(event.id) == event for event in existing)
    assert len(report.collection) == len(existing) + len(report.new)
    for pair in (*report.matched, *report.conflicting):
        assert pair.existing in existing
        assert pair.draft.date.overlaps(pair.existing.date) or pair.draft.id == pair.existing.id


# --- scripts other than Latin ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Ким Чен Ын прибыл в Москву", "Лидер КНДР Ким Чен Ын прибыл в Москву на переговоры с Путиным."),
        ("김정은 위원장 모스크바 도착", "김정은 국무위원장이 푸틴 대통령과 회담하기 위해 모스크바에 도착했다."),
    ],
    ids=["cyrillic", "hangul"],
)
def test_identical_stories_in_other_scripts_match(title: str, summary: str) -> None:
    existing = attrs.evolve(draft("2023-09-13-existing", "2023-09-13", title, summary), sources=(SourceRef("a", "x"),))
    again = attrs.evolve(existing, id="2023-09-13-again", sources=(SourceRef("b", "y"),))
    # The same words on both sides: the overlap coefficient is 1 by definition.
    assert similarity(again, existing) == (1.0, "word overlap 1.00")
    report = merge(EventCollection([existing]), [again])
    assert report.new == ()
    (pair,) = report.matched
    assert (pair.draft, pair.existing, pair.score) == (again, existing, 1.0)


def test_other_scripts_are_compared_word_by_word() -> None:
    existing = draft("2023-09-13-a", "2023-09-13", "Ким Чен Ын прибыл в Москву", "Переговоры в Москве.")
    # Cut to five letters, the existing words are {ким, чен, ын, прибы, в, москв, перег} (7); the
    # draft's are {ким, чен, ын, уехал, домой} (5) and share 3: overlap 3 / min(5, 7) = 0.6.
    other = draft("2023-09-13-b", "2023-09-13", "Ким Чен Ын уехал домой", "Ким Чен Ын уехал домой")
    score, reason = similarity(other, existing)
    assert score == pytest.approx(0.6)
    assert reason == "word overlap 0.60"
    unrelated = draft("2023-09-13-c", "2023-09-13", "Дождь в Сеуле", "Дождь в Сеуле")
    assert similarity(unrelated, existing)[0] == pytest.approx(1 / 3)  # only в, of дождь, в, сеуле
    assert [event.id for event in merge(EventCollection([existing]), [unrelated]).new] == ["2023-09-13-c"]


def test_a_cited_passage_in_another_script_is_recognised() -> None:
    existing = attrs.evolve(
        draft("2023-09-13-a", "2023-09-13", "Kim arrives in Russia"),
        sources=(SourceRef("tass", "Ким Чен Ын прибыл на космодром Восточный"),),
    )
    cited = draft("2023-09-13-b", "2023-09-13", "Утром Ким Чен Ын прибыл на космодром «Восточный»", source="tass")
    assert similarity(cited, existing) == (1.0, "the existing event cites the same source passage")


# --- the documented tie-break: the same id, then the same date --------------------------------

STORY = "Kim and Putin meet at the Vostochny cosmodrome"


def test_a_tie_goes_to_the_same_id_before_the_same_date() -> None:
    same_id = draft("kim-putin", "2023-09", STORY)  # same id, different (overlapping) date
    same_date = draft("other", "2023-09-13", STORY)  # same date, different id
    incoming = draft("kim-putin", "2023-09-13", STORY)
    existing = EventCollection([same_id, same_date])
    assert similarity(incoming, same_id) == similarity(incoming, same_date) == (1.0, "word overlap 1.00")
    report = merge(existing, [incoming])
    # Module docs: "ties go to the same id, then the same date". The same-id event wins,
    # so the pair conflicts on the date; had the same date won, it would be a plain match.
    (pair,) = report.conflicting
    assert pair.existing == same_id
    assert pair.differences == ("date",)
    assert report.matched == ()


@pytest.mark.parametrize(
    "dates",
    [
        ("2023", "2023-09-13"),  # the same-date event sorts last
        ("2023-09-13", "2023-09-13/2023-09-14"),  # the same-date event sorts first
    ],
)
def test_a_tie_between_other_ids_goes_to_the_same_date(dates: tuple[str, str]) -> None:
    candidates = [draft(f"event-{number}", date, STORY) for number, date in enumerate(dates)]
    incoming = draft("incoming", "2023-09-13", STORY)
    report = merge(EventCollection(candidates), [incoming])
    (pair,) = report.matched
    assert str(pair.existing.date) == "2023-09-13"
    assert report.conflicting == ()


def test_a_higher_score_beats_the_same_id_and_date() -> None:
    same_id_and_date = draft("kim-putin", "2023-09-13", "Kim and Putin meet", "Kim and Putin meet somewhere in Russia")
    better = draft("better", "2023-09", STORY)
    incoming = draft("kim-putin", "2023-09-13", STORY)
    assert similarity(incoming, better)[0] > similarity(incoming, same_id_and_date)[0] >= 0.6
    (pair,) = merge(EventCollection([same_id_and_date, better]), [incoming]).conflicting
    assert pair.existing == better


# --- an evidence phrase with no words matches nothing -----------------------------------------


def test_an_evidence_phrase_without_words_is_not_a_cited_passage() -> None:
    # Neither side has a word: "found word for word" cannot hold for a phrase with no words,
    # and with nothing to compare the draft is new.
    existing = attrs.evolve(draft("wordless", "2023-09-13", "—", "…"), sources=(SourceRef("wire", "— …"),))
    incoming = attrs.evolve(draft("incoming", "2023-09-13", "…", "—"), sources=(SourceRef("wire", "—"),))
    assert similarity(incoming, existing) == (0.0, "no words to compare")
    report = merge(EventCollection([existing]), [incoming])
    assert report.new == (incoming,)
    assert report.matched == report.conflicting == ()


def test_a_wordless_phrase_does_not_match_a_draft_with_words() -> None:
    existing = attrs.evolve(draft("a", "2023-09-13", "Rain in Seoul"), sources=(SourceRef("wire", "—"),))
    incoming = draft("b", "2023-09-13", "Kim visits Moscow", source="wire")
    assert similarity(incoming, existing) == (0.0, "word overlap 0.00")
