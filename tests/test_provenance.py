"""Every bundled event is traceable to the articles in ../shared/seeds, with honest dates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import rnk_events
from rnk_events import Precision

EVENTS = rnk_events.load()


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def articles(seeds_dir: Path) -> dict[str, str]:
    texts = {}
    for source in EVENTS.info.sources:
        assert source.file, f"source {source.id} names no file"
        path = seeds_dir / source.file
        assert path.is_file(), f"source {source.id}: {path} is missing"
        texts[source.id] = normalise(path.read_text(encoding="utf-8"))
    return texts


@pytest.mark.parametrize("event", EVENTS, ids=lambda event: event.id)
def test_every_evidence_phrase_occurs_in_its_article(event: rnk_events.Event, articles: dict[str, str]) -> None:
    for ref in event.sources:
        assert normalise(ref.evidence) in articles[ref.source], (
            f"{event.id}: evidence {ref.evidence!r} not found in source {ref.source!r}"
        )


def test_every_source_is_cited_and_every_event_cites_one() -> None:
    cited = {ref.source for event in EVENTS for ref in event.sources}
    assert cited == {source.id for source in EVENTS.info.sources}
    assert all(event.sources for event in EVENTS)


def test_events_reported_twice_cite_both_articles() -> None:
    timeline = [event for event in EVENTS if any(ref.source == "reuters-timeline" for ref in event.sources)]
    assert len(timeline) >= 14
    for event in timeline:
        if event.id != "2024-06-17-russia-north-korea-announce-putin-visit":
            assert "timeline-rewrite" in {ref.source for ref in event.sources}, event.id


def test_relative_dates_keep_their_precision() -> None:
    # "last month" in an article of 17 June 2024 is May 2024, a month, not a day.
    last_month = [event for event in EVENTS if "last month" in event.note]
    assert last_month
    for event in last_month:
        assert str(event.date) == "2024-05"
        assert event.date.precision is Precision.MONTH


def test_no_event_is_dated_after_it_could_be_known() -> None:
    as_of = EVENTS.info.as_of
    assert as_of is not None
    for event in EVENTS:
        if event.date.first_day > as_of:
            assert event.status is rnk_events.Status.PLANNED, event.id


def test_seeds_readme_is_not_cited(articles: dict[str, str]) -> None:
    assert "README" not in " ".join(source.file or "" for source in EVENTS.info.sources)
