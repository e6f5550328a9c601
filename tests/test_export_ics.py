"""The iCalendar feed, read back by three parsers that did not write it.

icalendar wrote the feed, so it is only one of the readers: Mozilla's ical.js
(under node, ``tests/js/check_ics.mjs``) and vobject read it too, and the
byte-level rules (CRLF, 75-octet folding, no control characters) are checked
on the raw bytes. Here: the fields and calendar properties, reproducible bytes,
options and edge cases, hostile text, and the dataset and generated events as
each reader sees them. What each form of date becomes is in
``test_ics_date_forms.py``; the docs page, in ``test_ics_docs.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
import vobject
from hypothesis import given, settings
from icalendar import Calendar, vCategory, vGeo, vText

import rnk_events
from rnk_events import DatasetInfo, EventCollection, Place, SourceRef
from rnk_events.actors import actor_name
from rnk_events.errors import OptionError
from rnk_events.formats import ics as ics_format
from tests import ics_helpers
from tests.ics_helpers import (
    SOURCES,
    STAMP,
    _assert_vobject_matches,
    _plain_event,
    assert_js_matches,
    assert_wellformed,
    collections,
    expected_entry,
    expected_summary,
    ical_js,
    ics_bytes,
    unfolded,
    vevents,
)

#: The bundled dataset, loaded once per module (shared from tests/ics_helpers.py).
dataset = ics_helpers.dataset


# --- the bundled dataset ---------------------------------------------------------------


def test_dataset_feed_is_wellformed(dataset: EventCollection) -> None:
    assert_wellformed(ics_bytes(dataset))


def test_description_carries_the_record_in_order(dataset: EventCollection) -> None:
    event = dataset.get("2019-04-25-first-putin-kim-jong-un-summit-vladivostok")
    text = str(vevents(ics_bytes(dataset))[f"{event.id}@rnk-events"]["DESCRIPTION"])
    assert text.startswith("Date: April 25, 2019 (day precision, EDTF 2019-04-25)\n\n" + event.summary + "\n")
    markers = [
        event.summary,
        "Status: happened (as of 2024-06-17)",
        "Actors: " + ", ".join(actor_name(code) for code in event.actors),
        "People: " + ", ".join(event.people),
        "Sources:",
    ]
    if event.note:
        markers.insert(4, f"Note: {event.note}")
    positions = [text.index(marker) for marker in markers]
    assert positions == sorted(positions)
    for ref in event.sources:
        source = dataset.info.source(ref.source)
        assert f"- {source.publisher}, “{source.title}” ({source.published.isoformat()}): “{ref.evidence}”" in text


def test_field_mapping(dataset: EventCollection) -> None:
    parsed = vevents(ics_bytes(dataset))
    summit = parsed["2019-04-25-first-putin-kim-jong-un-summit-vladivostok@rnk-events"]
    # Three places; the first with coordinates gives GEO, all names give LOCATION.
    assert str(summit["LOCATION"]) == "Vladivostok; Far Eastern Federal University, Russky Island; Russian Far East"
    vladivostok = dataset.get("2019-04-25-first-putin-kim-jong-un-summit-vladivostok").places[0]
    geo, categories = summit["GEO"], summit["CATEGORIES"]
    assert isinstance(geo, vGeo)
    assert isinstance(categories, vCategory)
    assert geo.latitude == pytest.approx(vladivostok.lat, abs=1e-6)
    assert geo.longitude == pytest.approx(vladivostok.lon, abs=1e-6)
    assert categories.cats == ["summit"]
    assert str(summit["STATUS"]) == "CONFIRMED"
    assert str(summit["TRANSP"]) == "TRANSPARENT"
    assert str(summit["CLASS"]) == "PUBLIC"
    assert "URL" not in summit  # none of its sources has a URL
    # The only source with a URL is cited fifth here: the URL still comes through.
    visit = parsed["2000-07-putin-first-visit-to-north-korea@rnk-events"]
    assert str(visit["URL"]) == dataset.info.source("moscow-times-afp").url
    no_places = parsed["2000-putin-becomes-president@rnk-events"]
    assert "LOCATION" not in no_places
    assert "GEO" not in no_places
    # A place without coordinates: a LOCATION but no GEO.
    ukraine = parsed["2022-02-24-russia-invades-ukraine-north-korea-backs-moscow@rnk-events"]
    assert str(ukraine["LOCATION"]) == "Ukraine"
    assert "GEO" not in ukraine


@pytest.mark.parametrize(
    ("event_id", "status"),
    [
        ("2024-06-18-putin-state-visit-to-north-korea", "TENTATIVE"),  # planned
        ("2023-07-25-shoigu-visits-pyongyang", "CONFIRMED"),  # happened
        ("2023-10-13-us-accuses-north-korea-of-arms-supplies-to-russia", None),  # disputed
    ],
)
def test_status_mapping(dataset: EventCollection, event_id: str, status: str | None) -> None:
    component = vevents(ics_bytes(dataset))[f"{event_id}@rnk-events"]
    assert (str(component["STATUS"]) if "STATUS" in component else None) == status
    assert f"Status: {dataset.get(event_id).status.value}" in str(component["DESCRIPTION"])


def test_alleged_events_carry_no_status() -> None:
    event = attrs.evolve(_plain_event(), status="alleged")
    component = vevents(ics_bytes(EventCollection([event])))["plain@rnk-events"]
    assert "STATUS" not in component
    assert "\nStatus: alleged\n" in str(component["DESCRIPTION"])


def test_calendar_properties(dataset: EventCollection) -> None:
    lines = unfolded(ics_bytes(dataset))
    for line in (
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"PRODID:{ics_format.PRODID}",
        "REFRESH-INTERVAL;VALUE=DURATION:P1D",
        "X-PUBLISHED-TTL:P1D",
        f"NAME:{dataset.info.title}",
        f"X-WR-CALNAME:{dataset.info.title}",
    ):
        assert line in lines
    # Calendar properties come before the first event.
    first_event = lines.index("BEGIN:VEVENT")
    assert all(lines.index(line) < first_event for line in ("NAME:" + dataset.info.title, "X-PUBLISHED-TTL:P1D"))
    # No METHOD: a feed is a snapshot (RFC 5545 section 3.7.2), so DTSTAMP is when each event was last revised.
    assert not [line for line in lines if line.startswith("METHOD")]
    assert sum(line.startswith("DTSTAMP:") for line in lines) == len(dataset)
    # the as-of day for events as first published, edition 1.1.0's day for those it revised; never the stamp
    assert {line for line in lines if line.startswith("DTSTAMP:")} == {
        "DTSTAMP:20240617T000000Z",
        "DTSTAMP:20261201T000000Z",
    }


def test_refresh_interval_option(dataset: EventCollection) -> None:
    lines = unfolded(ics_bytes(dataset, refresh=dt.timedelta(hours=12)))
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in lines
    assert "X-PUBLISHED-TTL:PT12H" in lines


HOSTILE_DESCRIPTION = "First line\nsecond, with a comma; a semicolon \\ and a backslash"
HOSTILE_NAME = "Name, with; all \\ kinds\nof trouble"


def test_calendar_name_and_description_are_escaped() -> None:
    """icalendar writes X-WR-* and NAME raw; the exporter escapes them as RFC 5545 TEXT."""
    data = ics_bytes(EventCollection(), calendar_name=HOSTILE_NAME, calendar_description=HOSTILE_DESCRIPTION)
    assert_wellformed(data)
    lines = unfolded(data)
    escaped_description = r"First line\nsecond\, with a comma\; a semicolon \\ and a backslash"
    escaped_name = r"Name\, with\; all \\ kinds\nof trouble"
    assert f"X-WR-CALDESC:{escaped_description}" in lines
    assert f"DESCRIPTION:{escaped_description}" in lines
    assert f"X-WR-CALNAME:{escaped_name}" in lines
    assert f"NAME:{escaped_name}" in lines
    calendar = Calendar.from_ical(data)
    assert str(calendar["DESCRIPTION"]) == HOSTILE_DESCRIPTION
    # icalendar reads NAME and X-WR-* as "unknown" and keeps them raw; raw, they match the
    # escaped TEXT of DESCRIPTION (vobject and ical.js decode them below).
    assert calendar["X-WR-CALDESC"].to_ical() == vText(HOSTILE_DESCRIPTION).to_ical()
    assert calendar["X-WR-CALNAME"].to_ical() == calendar["NAME"].to_ical() == vText(HOSTILE_NAME).to_ical()


def test_calendar_name_and_description_read_by_vobject() -> None:
    data = ics_bytes(EventCollection(), calendar_name=HOSTILE_NAME, calendar_description=HOSTILE_DESCRIPTION)
    calendar = vobject.readOne(data.decode("utf-8"))
    assert calendar.contents["x-wr-caldesc"][0].value == HOSTILE_DESCRIPTION
    assert calendar.contents["description"][0].value == HOSTILE_DESCRIPTION
    assert calendar.contents["x-wr-calname"][0].value == HOSTILE_NAME
    assert calendar.contents["name"][0].value == HOSTILE_NAME


def test_calendar_name_and_description_read_by_ical_js(tmp_path: Path) -> None:
    path = tmp_path / "hostile.ics"
    path.write_bytes(ics_bytes(EventCollection(), calendar_name=HOSTILE_NAME, calendar_description=HOSTILE_DESCRIPTION))
    calendar = ical_js(path)["calendar"]
    assert calendar["xWrCaldesc"] == calendar["description"] == HOSTILE_DESCRIPTION
    assert calendar["xWrCalname"] == calendar["name"] == HOSTILE_NAME


def test_default_name_and_description(dataset: EventCollection) -> None:
    calendar = vobject.readOne(ics_bytes(dataset).decode("utf-8"))
    assert calendar.contents["x-wr-calname"][0].value == dataset.info.title
    description = calendar.contents["description"][0].value
    assert description.startswith(dataset.info.title + "\n")
    assert f"{dataset.info.version}, as of 2024-06-17; {len(dataset)} sourced events." in description
    assert calendar.contents["x-wr-caldesc"][0].value == description


# --- reproducibility -------------------------------------------------------------------


def test_same_stamp_same_bytes(dataset: EventCollection) -> None:
    assert ics_bytes(dataset) == ics_bytes(dataset)


def test_bytes_do_not_depend_on_input_order(dataset: EventCollection) -> None:
    shuffled_info = attrs.evolve(dataset.info, sources=tuple(reversed(dataset.info.sources)))
    shuffled = EventCollection(reversed(list(dataset)), shuffled_info)
    assert ics_bytes(shuffled) == ics_bytes(dataset)


def test_bytes_do_not_depend_on_hash_seed(tmp_path: Path) -> None:
    """Two interpreters with different string hashing write the same bytes."""
    script = (
        "import datetime as dt, sys, rnk_events\n"
        "rnk_events.export(rnk_events.load(), 'ics', sys.argv[1],"
        " stamp=dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc))\n"
    )
    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"seed{seed}.ics"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(target)], check=True, env=env, timeout=120)
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_stamp_is_converted_to_utc_and_truncated() -> None:
    """The stamp is the DTSTAMP only of an event with no day to take: unrevised, in a dataset without an as-of day."""
    undated = EventCollection([_plain_event()])
    seoul = dt.timezone(dt.timedelta(hours=9))
    data = ics_bytes(undated, stamp=dt.datetime(2024, 6, 17, 21, 0, 0, 987654, tzinfo=seoul))
    assert "DTSTAMP:20240617T120000Z" in unfolded(data)
    assert not [line for line in unfolded(data) if line.startswith("LAST-MODIFIED")], "no day to say"
    assert data == ics_bytes(undated)


def test_default_stamp_is_now_in_utc() -> None:
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    stream = io.BytesIO()
    ics_format.write(EventCollection([_plain_event()]), stream)
    after = dt.datetime.now(dt.timezone.utc)
    stamp = vevents(stream.getvalue())["plain@rnk-events"].decoded("DTSTAMP")
    assert stamp.tzinfo is not None
    assert stamp.utcoffset() == dt.timedelta(0)
    assert before <= stamp <= after


# --- export(), errors and edge cases ----------------------------------------------------


def test_export_to_path(dataset: EventCollection, tmp_path: Path) -> None:
    target = tmp_path / "feed.ics"
    assert rnk_events.export(dataset, "ics", target, stamp=STAMP) == target
    assert target.read_bytes() == ics_bytes(dataset)
    by_extension = tmp_path / "by-extension.ics"
    rnk_events.export(dataset, str(by_extension), stamp=STAMP)
    assert by_extension.read_bytes() == target.read_bytes()


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"stamp": dt.datetime(2024, 6, 17)}, OptionError, r"stamp: .* has no time zone"),
        ({"stamp": dt.date(2024, 6, 17)}, OptionError, "stamp: expected a timezone-aware datetime"),
        ({"refresh": dt.timedelta(0)}, OptionError, "positive timedelta"),
        ({"refresh": "P1D"}, OptionError, "positive timedelta"),
        ({"refresh": dt.timedelta(seconds=1.5)}, OptionError, "whole seconds"),
        ({"calendar_name": "  "}, OptionError, "calendar_name: must not be empty"),
        ({"calendar_description": 3}, OptionError, "calendar_description: expected text"),
        ({"colour": "red"}, TypeError, "colour"),
    ],
)
def test_bad_options_fail_clearly_and_write_nothing(
    dataset: EventCollection, tmp_path: Path, options: dict[str, Any], error: type[Exception], message: str
) -> None:
    target = tmp_path / "feed.ics"
    target.write_bytes(b"previous feed")
    with pytest.raises(error, match=message):
        rnk_events.export(dataset, "ics", target, **options)
    assert target.read_bytes() == b"previous feed"
    assert [path.name for path in tmp_path.iterdir()] == ["feed.ics"]
    stream = io.BytesIO()
    with pytest.raises(error):
        ics_format.write(dataset, stream, **options)
    assert stream.getvalue() == b""


def test_control_characters_are_dropped_and_line_breaks_kept() -> None:
    event = attrs.evolve(_plain_event(), title="A\x00B\x1bC\x7fD\x85E\tF", summary="one\r\ntwo\rthree\nfour\x0bfive")
    data = ics_bytes(EventCollection([event]))
    assert_wellformed(data)
    component = vevents(data)["plain@rnk-events"]
    assert str(component["SUMMARY"]) == "ABCDE\tF"
    assert "\n\none\ntwo\nthree\nfourfive\n\n" in str(component["DESCRIPTION"])


def test_empty_collection_is_a_valid_calendar() -> None:
    data = ics_bytes(EventCollection())
    assert_wellformed(data)
    calendar = Calendar.from_ical(data)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["PRODID"]) == ics_format.PRODID
    parsed = vobject.readOne(data.decode("utf-8"))
    assert parsed.validate(raiseException=True)
    assert "vevent" not in parsed.contents


def test_empty_collection_read_by_ical_js(tmp_path: Path) -> None:
    path = tmp_path / "empty.ics"
    path.write_bytes(ics_bytes(EventCollection()))
    js = ical_js(path)
    assert js["events"] == []
    assert js["calendar"]["version"] == "2.0"


def _hostile_events() -> EventCollection:
    """Hand-picked trouble for writers: literal backslash-N, folds inside emoji, a leading U+FEFF."""
    source = SourceRef("alpha", "evidence with \\N and \\n; a, b")
    base = attrs.evolve(_plain_event(), sources=[source])
    return EventCollection(
        [
            attrs.evolve(base, id="backslash-n", title="C:\\News\\N is not a line break"),
            attrs.evolve(base, id="emoji", date="2023", title="😀" * 60 + " and 한국어" * 10),
            attrs.evolve(
                base,
                id="mixed",
                date="2023-09/2024-06-02",
                title='Tab\there, comma, semicolon; quote " colon: end',
                summary="Line one\nline two\u2028same paragraph e\u0301",
                note="Note \\ with \\, escapes \\;",
                places=[Place("Place, with; marks"), Place("Pyongyang", lat=39.0392, lon=125.7625)],
                sources=[source, SourceRef("beta", "second")],
            ),
            attrs.evolve(base, id="leap", date="2024-02", title="\ufeffLeap February, after a U+FEFF"),
        ],
        DatasetInfo(version="9.9", sources=SOURCES),
    )


def test_hostile_text_survives_icalendar_and_vobject() -> None:
    events = _hostile_events()
    data = ics_bytes(events)
    assert_wellformed(data)
    assert "SUMMARY:C:\\\\News\\\\N is not a line break" in unfolded(data)
    parsed = vevents(data)
    for event in events:
        component = parsed[f"{event.id}@rnk-events"]
        assert str(component["SUMMARY"]) == expected_summary(event)
        assert str(component["DESCRIPTION"]) == ics_format.description(event, events)
    assert str(parsed["mixed@rnk-events"]["LOCATION"]) == "Place, with; marks; Pyongyang"
    assert str(parsed["mixed@rnk-events"]["URL"]) == "https://example.org/%C3%BC?a=1,2;b"
    assert parsed["leap@rnk-events"].decoded("DTEND") == dt.date(2024, 3, 1)
    _assert_vobject_matches(vobject.readOne(data.decode("utf-8")), events)


def test_hostile_text_survives_ical_js(tmp_path: Path) -> None:
    events = _hostile_events()
    path = tmp_path / "hostile.ics"
    path.write_bytes(ics_bytes(events))
    parsed_js = ical_js(path)
    assert_js_matches(parsed_js, events)
    mixed = next(item for item in parsed_js["events"] if item["uid"] == "mixed@rnk-events")
    assert mixed["location"] == "Place, with; marks; Pyongyang"
    assert mixed["geo"] == pytest.approx([39.0392, 125.7625])
    assert mixed["url"] == "https://example.org/%C3%BC?a=1,2;b"


# --- independent readers on the dataset --------------------------------------------------


def test_ical_js_reads_the_dataset(dataset: EventCollection, tmp_path: Path) -> None:
    path = tmp_path / "rnk.ics"
    rnk_events.export(dataset, "ics", path, stamp=STAMP)
    parsed = ical_js(path)
    assert_js_matches(parsed, dataset)
    calendar = parsed["calendar"]
    assert calendar["method"] is None
    assert calendar["calscale"] == "GREGORIAN"
    assert calendar["refreshInterval"] == "P1D"
    assert calendar["refreshIntervalType"] == "duration"
    assert calendar["publishedTtl"] == "P1D"
    assert calendar["name"] == calendar["xWrCalname"] == dataset.info.title
    by_uid = {item["uid"]: item for item in parsed["events"]}
    visit = by_uid["2000-07-putin-first-visit-to-north-korea@rnk-events"]
    assert visit["dtstart"] == [2000, 7, 1]
    assert visit["dtend"] == [2000, 8, 1]
    assert visit["summary"] == "July 2000: Putin makes his first visit to North Korea"
    assert visit["description"].startswith("Date: July 2000 (month precision, EDTF 2000-07)\n")
    assert visit["durationDays"] == 31
    remark = by_uid["2024-06-10-kim-calls-russia-ties-unbreakable@rnk-events"]
    assert (remark["dtstart"], remark["dtend"], remark["durationDays"]) == ([2024, 6, 10], [2024, 6, 17], 7)
    assert remark["summary"].startswith("One day between June 10 and 16, 2024: Kim Jong Un")
    assert visit["geo"] == pytest.approx([39.0392, 125.7625])
    assert visit["status"] == "CONFIRMED"
    assert visit["dtstamp"] == "2024-06-17T00:00:00Z"  # as first published: the as-of day, not the stamp


def test_vobject_reads_and_validates_the_dataset(dataset: EventCollection) -> None:
    components = list(vobject.readComponents(ics_bytes(dataset).decode("utf-8"), validate=True))
    assert len(components) == 1
    calendar = components[0]
    assert calendar.validate(raiseException=True)
    _assert_vobject_matches(calendar, dataset)


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=min(200, settings().max_examples))
@given(collections())
def test_arbitrary_events_survive_icalendar_and_vobject(collection: EventCollection) -> None:
    events = collection
    data = ics_bytes(events)
    assert_wellformed(data)
    parsed = vevents(data)
    assert len(parsed) == len(events)
    for event in events:
        component = parsed[f"{event.id}@rnk-events"]
        assert str(component["SUMMARY"]) == expected_summary(event)
        text = str(component["DESCRIPTION"])
        assert text == ics_format.description(event, events)
        date_line = f"Date: {event.date.display()} ({event.date.precision.value} precision, EDTF {event.date})"
        assert text.startswith(date_line + "\n")
        assert f"\n\n{event.summary}\n" in text
        assert all(ref.evidence in text for ref in event.sources)
        assert event.note in text
        first, last = expected_entry(event.date)
        assert component.decoded("DTSTART") == first
        assert component.decoded("DTEND") == last + dt.timedelta(days=1)
        if event.places:
            assert str(component["LOCATION"]) == "; ".join(place.name for place in event.places)
    _assert_vobject_matches(vobject.readOne(data.decode("utf-8")), events)


@settings(max_examples=5)
@given(collection=collections(min_year=1000, max_size=12))
def test_arbitrary_events_survive_ical_js(
    collection: EventCollection, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Few examples (one node process each), many events per example.

    Years from 1000: ical.js's date arithmetic goes wrong before then (JavaScript's
    Date maps two-digit years to the 1900s), though it reads the dates right.
    """
    path = tmp_path_factory.mktemp("ics") / "arbitrary.ics"
    path.write_bytes(ics_bytes(collection))
    assert_js_matches(ical_js(path), collection)
