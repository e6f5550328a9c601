"""Published event ids are stable: the list may grow but never loses or renames an id."""

from __future__ import annotations

from pathlib import Path

import rnk_events

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
