"""The geojson export, read by shapely and python-geojson: RFC 7946 points, longitude first, one per mapped place."""

from __future__ import annotations

import io
import json
from typing import Any

import attrs
import geojson
import pytest
import shapely.geometry
from hypothesis import given

import rnk_events
from rnk_events import DateSpan, EventCollection, Place
from rnk_events.lint import lint, unmapped_places
from tests.edtf_strategies import edtf_dates
from tests.strategies import dated_event

#: Text a spreadsheet, a JSON writer or a map popup may trip on.
HOSTILE_TEXTS = [
    "'Friendly' visit announced",
    '=HYPERLINK("http://example.com")',
    '+7 rockets; -3 "launchers"',
    "tab\there, CR\rthere, LF\nthere",
    "Ким Чен Ын встретился с Путиным",
    "김정은, 푸틴과 회담",
    "<b>bold</b> & \\ \u2028 line separator",
]

#: Pyongyang as an atlas gives it, typed by hand: about 39.0 N, 125.8 E.
PYONGYANG = (125.7625, 39.0392)


def exported(events: EventCollection) -> dict[str, Any]:
    stream = io.BytesIO()
    rnk_events.export(events, "geojson", stream)
    text = stream.getvalue().decode("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def test_a_feature_collection_without_crs_every_feature_valid() -> None:
    stream = io.BytesIO()
    rnk_events.export(rnk_events.load(), "geojson", stream)
    parsed = geojson.loads(stream.getvalue().decode("utf-8"))
    assert isinstance(parsed, geojson.FeatureCollection)
    assert parsed.is_valid, parsed.errors()
    assert "crs" not in parsed
    # 6 of the bundled 19 event places have coordinates (counted by hand from the data).
    assert len(parsed["features"]) == 6
    for feature in parsed["features"]:
        point = shapely.geometry.shape(feature["geometry"])
        assert point.geom_type == "Point"
        assert point.is_valid
        assert -180 <= point.x <= 180
        assert -90 <= point.y <= 90


def test_longitude_comes_first() -> None:
    document = exported(rnk_events.load())
    pyongyang = [f for f in document["features"] if f["properties"]["place"] == "Pyongyang"]
    assert len(pyongyang) == 2  # the 2000 visit and Shoigu's in 2023
    point = shapely.geometry.shape(pyongyang[0]["geometry"])
    assert (point.x, point.y) == PYONGYANG
    vladivostok = next(f for f in document["features"] if f["properties"]["place"] == "Vladivostok")
    x, y = vladivostok["geometry"]["coordinates"]
    assert 131 < x < 133
    assert 42 < y < 44  # 43.1 N, 131.9 E


def test_properties_of_a_feature() -> None:
    (feature, *_) = exported(rnk_events.load())["features"]
    assert feature["id"] == "2000-07-putin-first-visit-to-north-korea#1"
    assert feature["properties"] == {
        "event_id": "2000-07-putin-first-visit-to-north-korea",
        "date": "2000-07",
        "display_date": "July 2000",
        "first_day": "2000-07-01",
        "last_day": "2000-07-31",
        "title": "Putin makes his first visit to North Korea",
        "category": "summit",
        "status": "happened",
        "place": "Pyongyang",
        "country": "PRK",
    }


def test_an_event_at_three_places_gives_one_feature_per_mapped_place() -> None:
    event = rnk_events.load().get("2019-04-25-first-putin-kim-jong-un-summit-vladivostok")
    features = exported(EventCollection([event]))["features"]
    places = [feature["properties"]["place"] for feature in features]
    assert places == ["Vladivostok", "Far Eastern Federal University, Russky Island"]  # not "Russian Far East"
    assert [f["id"].rsplit("#", 1)[1] for f in features] == ["1", "2"]


def placed(*places: Place, number: int = 0, date: str = "2024-06") -> rnk_events.Event:
    return attrs.evolve(dated_event(number, DateSpan.parse(date)), places=places)


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_hostile_text_reads_back_as_it_was(text: str) -> None:
    event = attrs.evolve(placed(Place(text, "PRK", 39.0, 125.7)), title=text)
    (feature,) = exported(EventCollection([event]))["features"]
    assert (feature["properties"]["title"], feature["properties"]["place"]) == (text, text)


@given(edtf_dates())
def test_days_of_every_edtf_form(span: DateSpan) -> None:
    event = attrs.evolve(dated_event(0, span), places=(Place("P", None, 0.0, 0.0),))
    (feature,) = exported(EventCollection([event]))["features"]
    properties = feature["properties"]
    text = str(span)
    open_start = text.startswith(("/", "../"))
    open_end = text.endswith(("/", "/.."))
    assert properties["date"] == text
    assert (properties["first_day"] is None) == open_start
    assert (properties["last_day"] is None) == open_end
    if not open_start:
        assert properties["first_day"] == span.first_day.isoformat()
    if not open_end:
        assert properties["last_day"] == span.last_day.isoformat()


# --- places without coordinates: counted, not silently dropped ---------------------------------


def test_places_without_coordinates_are_left_out_and_counted() -> None:
    events = EventCollection(
        [
            placed(Place("Pyongyang", "PRK", 39.0392, 125.7625), Place("North Korea", "PRK"), number=0),
            placed(Place("North Korea", "PRK"), Place("Amur region", "RUS"), number=1),
        ]
    )
    assert len(exported(events)["features"]) == 1
    warning = unmapped_places(events)
    assert warning is not None
    assert (warning.event_id, warning.field) == ("", "places")
    assert warning.message.startswith("3 of 4 event places have no coordinates")
    assert "'North Korea', 'Amur region'" in warning.message
    assert warning in lint(events, coordinates=True)
    assert warning not in lint(events)


def test_every_place_mapped_gives_no_warning() -> None:
    assert unmapped_places(EventCollection([placed(Place("P", None, 1.0, 2.0))])) is None
    assert unmapped_places(EventCollection()) is None


def test_many_unmapped_names_are_cut_short() -> None:
    events = EventCollection([placed(*(Place(f"Place {n}") for n in range(6)))])
    warning = unmapped_places(events)
    assert warning is not None
    assert "'Place 0', 'Place 1', 'Place 2' and 3 more" in warning.message


def test_the_bundled_dataset_counts_its_unmapped_places() -> None:
    warning = unmapped_places(rnk_events.load())
    assert warning is not None
    assert warning.message.startswith("13 of 19 event places")  # 19 places, 6 with coordinates


def test_empty_collection_is_an_empty_feature_collection() -> None:
    assert exported(EventCollection()) == {"type": "FeatureCollection", "features": []}
