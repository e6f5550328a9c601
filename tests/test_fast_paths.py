"""The faster paths of issue 14 write and read exactly what the plain ones do.

orjson (the optional ``fast`` extra) must give the stdlib's bytes or not be used;
``script_json`` escapes as before; a load builds records through a converter
without detailed validation first and still reports every problem; the load
pauses cyclic GC and always turns it back on.
"""

from __future__ import annotations

import gc
import io
import json
import unicodedata

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import EventCollection, Place
from rnk_events.errors import DatasetError
from rnk_events.formats import json as json_format
from rnk_events.formats import timelinejs
from rnk_events.webpage import script_json
from tests.strategies import event_lists


@pytest.fixture(scope="module")
def bundled() -> EventCollection:
    return rnk_events.load()


def _stdlib(document: object) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _written(events: EventCollection, name: str) -> bytes:
    stream = io.BytesIO()
    rnk_events.export(events, name, stream)
    return stream.getvalue()


@pytest.mark.parametrize("orjson_present", [True, False])
def test_json_and_timelinejs_bytes_are_the_stdlibs(
    bundled: EventCollection, orjson_present: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if orjson_present:
        pytest.importorskip("orjson")
    else:
        monkeypatch.setattr(json_format, "_orjson", lambda: None)
    assert _written(bundled, "json") == _stdlib(json_format.to_document(bundled))
    assert _written(bundled, "timelinejs") == _stdlib(timelinejs.to_timeline(bundled))


@given(event_lists(max_size=5))
def test_any_events_give_the_stdlibs_bytes(items: list[rnk_events.Event]) -> None:
    events = EventCollection({event.id: event for event in items}.values())
    assert _written(events, "json") == _stdlib(json_format.to_document(events))


@pytest.mark.parametrize("coordinate", [1e-05, -3e-07, 5e-324, 0.0, 12.5])
def test_a_tiny_coordinate_is_written_as_json_writes_it(bundled: EventCollection, coordinate: float) -> None:
    """orjson writes 1e-05 as 0.00001; such a file must still be the stdlib's bytes."""
    event = next(event for event in bundled if event.places)
    moved = attrs.evolve(event, places=(Place("Null Island", lat=coordinate, lon=coordinate),))
    events = EventCollection([moved], bundled.info)
    written = _written(events, "json")
    assert written == _stdlib(json_format.to_document(events))
    assert json.loads(written)["events"][0]["places"][0]["lat"] == coordinate


@given(st.floats(-90, 90) | st.sampled_from([1e-4, -1e-4, 0.99e-4, 5e-324, -0.0]))
def test_a_coordinate_orjson_is_trusted_with_is_one_it_writes_as_json_does(
    bundled: EventCollection, value: float
) -> None:
    """The check that picks orjson, against what the two encoders actually write for the value."""
    orjson = pytest.importorskip("orjson")
    place = Place("Somewhere", lat=value, lon=0.0)
    event = attrs.evolve(bundled[0], places=(place,))
    if json_format._floats_write_alike([event]):
        assert orjson.dumps(value) == json.dumps(value).encode()
    else:
        assert value != 0
        assert abs(value) < 1e-4


def test_the_streamed_export_writes_the_bytes_encode_indented_gives(bundled: EventCollection) -> None:
    stream = io.BytesIO()
    document = json_format.to_document(bundled)
    json_format.write_indented(stream, document, bundled)
    assert stream.getvalue() == json_format.encode_indented(document, bundled) == _stdlib(document)


def test_what_orjson_refuses_goes_to_the_stdlib(bundled: EventCollection) -> None:
    big = 2**70  # beyond orjson's 64-bit integers
    document = {"revision": big, "text": "é\u2028"}
    assert json_format.encode_indented(document, bundled) == _stdlib(document)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(), lambda inner: st.lists(inner, max_size=3)))
def test_script_json_escapes_exactly_the_five_characters(value: object) -> None:
    text = script_json(value)
    assert not any(character in text for character in "<>&\u2028\u2029")
    assert json.loads(text) == value
    plain = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert len(text) - len(plain) == 5 * sum(plain.count(character) for character in "<>&\u2028\u2029")


def test_script_json_of_markup() -> None:
    assert script_json({"a": "</script>&\u2028"}) == '{"a":"\\u003c/script\\u003e\\u0026\\u2028"}'


def test_a_bad_record_still_reports_every_problem(bundled: EventCollection) -> None:
    document = json_format.to_document(bundled)
    document["events"][1]["title"] = 7
    document["events"][1]["people"] = ["Ann", 3]
    document["events"][2]["places"] = ["Moscow"]
    stream = io.BytesIO(json.dumps(document).encode())
    with pytest.raises(DatasetError) as caught:
        json_format.read(stream, "broken.json")
    found = {(problem.record.split(" ")[0], problem.field) for problem in caught.value.problems}
    assert {("events[1]", "title"), ("events[1]", "people[1]"), ("events[2]", "places[0]")} <= found


@pytest.mark.parametrize("enabled", [True, False])
def test_a_load_leaves_cyclic_gc_as_it_found_it(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        rnk_events.load()
        assert gc.isenabled() is enabled
        with pytest.raises(DatasetError):
            json_format.read(io.BytesIO(b'{"events": [{"id": 1}]}'), "bad.json")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_a_repeated_key_is_still_refused() -> None:
    with pytest.raises(DatasetError, match="the same key appears twice"):
        json_format.read(io.BytesIO(b'{"events": [], "dataset": "a", "dataset": "b"}'), "twice.json")


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60))
def test_calendar_text_drops_exactly_the_control_characters(text: str) -> None:
    """What unicodedata calls Cc, less tab and line feed, after line breaks become line feeds."""
    from rnk_events.formats.ics import _clean

    broken = text.replace("\r\n", "\n").replace("\r", "\n")
    expected = "".join(c for c in broken if c in "\t\n" or unicodedata.category(c) != "Cc")
    assert _clean(text) == expected


_LINE_CHARACTERS = st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n") | st.sampled_from("\\^;,:")


@given(st.text(alphabet=_LINE_CHARACTERS, max_size=400) | st.text(alphabet="ab\\^", max_size=400))
def test_calendar_lines_fold_as_icalendar_folds_them(line: str) -> None:
    from icalendar.parser import _foldline

    from rnk_events.formats.ics import fold

    assert fold(line) == _foldline(line)


def test_calendar_bytes_are_icalendars(bundled: EventCollection) -> None:
    from rnk_events.formats.ics import build, to_bytes

    calendar = build(bundled, calendar_description="x" * 73 + "\\" + "y" * 200)
    assert to_bytes(calendar) == calendar.to_ical()
