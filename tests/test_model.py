"""Records validate every field where the value enters, and stay immutable."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from rnk_events import Category, DateSpan, Place, Source, Status
from rnk_events.actors import actor_name
from tests.events import make_event

make = make_event


def test_converts_text_to_typed_values() -> None:
    event = make(people=["Vladimir Putin"], places=[Place("Pyongyang", "PRK", 39.0392, 125.7625)])
    assert event.date == DateSpan.parse("2000-07")
    assert event.category is Category.SUMMIT
    assert event.status is Status.HAPPENED
    assert event.actors == ("RUS", "PRK")
    assert isinstance(event.people, tuple)
    assert isinstance(event.places, tuple)


def test_is_frozen_and_evolves_by_copy() -> None:
    event = make()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.title = "changed"  # type: ignore[misc]
    assert attrs.evolve(event, title="changed").title == "changed"
    assert event.title == "Putin visits"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "Not A Slug"}, "id"),
        ({"id": "-leading"}, "id"),
        ({"id": "a" * 81}, "id"),
        ({"date": "2000-13"}, "2000-13"),
        ({"title": ""}, "title"),
        ({"title": " padded"}, "title"),
        ({"summary": "   "}, "summary"),
        ({"category": "war"}, "allowed: summit"),
        ({"status": "rumoured"}, "allowed: happened"),
        ({"actors": ["XYZ"]}, "actors"),
        ({"actors": ["Russia"]}, "actors"),
        ({"actors": ["RUS", "RUS"]}, "twice"),
        ({"actors": "RUS"}, "list"),
        ({"people": ["Kim", "Kim"]}, "twice"),
        ({"sources": []}, "at least one"),
        ({"sources": ["reuters"]}, "SourceRef"),
        ({"places": ["Pyongyang"]}, "Place"),
    ],
)
def test_rejects_bad_fields(changes: dict[str, Any], message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        make(**changes)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lat": 91.0, "lon": 0.0}, "lat"),
        ({"lat": 0.0, "lon": 181.0}, "lon"),
        ({"lat": 1.0}, "both"),
        ({"lat": float("nan"), "lon": 0.0}, "finite"),
        ({"country": "Russia"}, "country"),
        ({"country": "UNSC"}, "country"),
    ],
)
def test_place_validation(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Place("Somewhere", **kwargs)


def test_source_validation() -> None:
    source = Source("s", "Reuters", "Title", "2024-06-17", url="https://example.com/a")
    assert source.published == dt.date(2024, 6, 17)
    with pytest.raises(ValueError, match="url"):
        Source("s", "Reuters", "Title", "2024-06-17", url="ftp://x")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        Source("s", "Reuters", "Title", "17 June 2024")


def test_actor_names() -> None:
    assert actor_name("PRK") == "North Korea"
    assert actor_name("UNSC") == "United Nations Security Council"
    with pytest.raises(KeyError, match="XYZ"):
        actor_name("XYZ")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "a\ud800"}, "surrogate"),
        ({"note": "b\udfff"}, "surrogate"),
        ({"note": None}, "note"),
        ({"note": 5}, "note"),
        ({"note": "\n"}, "note"),
        ({"note": "padded "}, "whitespace"),
        ({"people": ["\ud800x"]}, "surrogate"),
    ],
)
def test_text_every_export_can_write(changes: dict[str, Any], message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        make(**changes)


def test_places_and_sources_refuse_what_exports_cannot_write() -> None:
    with pytest.raises(ValueError, match="country"):
        Place("Somewhere", country="ICC")  # an organisation id, not a country
    with pytest.raises(ValueError, match="outside"):
        Place("Somewhere", lat=10**400, lon=1)
    with pytest.raises(TypeError, match="file"):
        Source("s", "Reuters", "Title", "2024-06-17", file=5)  # type: ignore[arg-type]
    for almost_iso in ("20240617", "2024-W25-1", "2024-06-17T00:00"):
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            Source("s", "Reuters", "Title", almost_iso)


def test_a_day_or_partial_date_makes_a_span() -> None:
    assert make(date=dt.date(2024, 1, 1)).date == DateSpan.parse("2024-01-01")
