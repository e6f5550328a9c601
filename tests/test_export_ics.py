"""The iCalendar feed, read back by three parsers that did not write it.

icalendar wrote the feed, so it is only one of the readers: Mozilla's ical.js
(under node, ``tests/js/check_ics.mjs``) and vobject read it too, and the
byte-level rules (CRLF, 75-octet folding, no control characters) are checked
on the raw bytes here.

What each form of date becomes is checked three ways: a table worked out by
hand (``FORMS``), rules every entry must keep whatever its date
(:func:`assert_entry_claims_no_more`: nothing outside the date's strict bounds,
no year 1 or 9999 for an open end, the date's words in the SUMMARY of every
entry that is not one known day), applied to what each reader sees of the
bundled dataset and of generated dates of every form, and the docs' own table.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Component, vCategory, vGeo, vText

import rnk_events
from rnk_events import DatasetInfo, DateSpan, Event, EventCollection, PartialDate, Place, Source, SourceRef
from rnk_events.actors import actor_name
from rnk_events.cli import main as cli_main
from rnk_events.errors import OptionError
from rnk_events.formats import ics as ics_format
from tests.conftest import ROOT, skip_or_fail
from tests.edtf_strategies import edtf_dates, intervals
from tests.strategies import spans

STAMP = dt.datetime(2024, 6, 17, 12, 0, tzinfo=dt.timezone.utc)
JS_DIR = ROOT / "tests" / "js"
CHECK_ICS = JS_DIR / "check_ics.mjs"
MAX_OCTETS = 75


@pytest.fixture(scope="module")
def dataset() -> EventCollection:
    return rnk_events.load()


def ics_bytes(events: EventCollection, **options: Any) -> bytes:
    stream = io.BytesIO()
    rnk_events.export(events, "ics", stream, **{"stamp": STAMP, **options})
    return stream.getvalue()


def vevents(data: bytes) -> dict[str, Component]:
    """icalendar's reading, by UID."""
    calendar = Calendar.from_ical(data)
    return {str(component["UID"]): component for component in calendar.walk("VEVENT")}


def unfolded(data: bytes) -> list[str]:
    """Logical content lines (RFC 5545 section 3.1 unfolding), done by hand."""
    return data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def assert_wellformed(data: bytes) -> None:
    """CRLF everywhere, lines of at most 75 octets, folds between characters, no stray controls."""
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b""), "a bare LF"
    assert b"\r" not in data.replace(b"\r\n", b""), "a bare CR"
    lines = data.split(b"\r\n")[:-1]
    for number, line in enumerate(lines, start=1):
        assert len(line) <= MAX_OCTETS, f"line {number} has {len(line)} octets: {line!r}"
        # Each physical line decodes alone: folding never split a multibyte character.
        text = line.decode("utf-8")
        controls = [char for char in text if (ord(char) < 0x20 and char != "\t") or 0x7F <= ord(char) <= 0x9F]
        assert not controls, f"line {number} has control characters {controls!r}"
        assert line.startswith((b" ", b"\t")) or re.match(rb"[A-Z][A-Z0-9-]*[;:]", line), (
            f"line {number} is neither a property nor a continuation: {line!r}"
        )
    assert lines[0] == b"BEGIN:VCALENDAR"
    assert lines[-1] == b"END:VCALENDAR"


# --- ical.js ---------------------------------------------------------------------------


def ical_js(path: Path) -> dict[str, Any]:
    """What ical.js reads from ``path``; skips (or fails when CI requires it) without node."""
    node = shutil.which("node")
    if node is None or not (JS_DIR / "node_modules" / "ical.js").is_dir():
        skip_or_fail("RNK_EVENTS_REQUIRE_BROWSER", "node or tests/js/node_modules/ical.js is missing (npm ci)")
        raise AssertionError("unreachable")
    result = subprocess.run(
        [node, str(CHECK_ICS), str(path)], capture_output=True, text=True, encoding="utf-8", timeout=60, check=False
    )
    assert result.returncode == 0, f"ical.js could not read {path.name}: {result.stderr}"
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def js_date(parts: list[int]) -> dt.date:
    return dt.date(*parts)


# --- what an entry may claim, written out here rather than taken from the module -------

_ONE_KNOWN_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # the EDTF text of a date known to the day, unqualified
_EXACT_INTERVAL = re.compile(r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}")  # lasted between two known days
_NO_DATE = ("", "..")  # an unknown and an open interval end


def is_one_known_day(span: DateSpan) -> bool:
    return _ONE_KNOWN_DAY.fullmatch(str(span)) is not None


def expected_entry(span: DateSpan) -> tuple[dt.date, dt.date]:
    """The days the entry covers, last included, read from the EDTF text.

    An interval with an open or unknown end: only the date that is written, over its
    own extent. Anything else: its strict bounds, first possible day to last.
    """
    start, slash, end = str(span).partition("/")
    if slash and (start in _NO_DATE or end in _NO_DATE):
        written = PartialDate.parse(end if start in _NO_DATE else start)
        return written.first_day, written.last_day
    return span.first_day, span.last_day


def expected_summary(event: Event) -> str:
    """The title alone for one known day; otherwise the date's words, capitalised, then the title."""
    if is_one_known_day(event.date):
        return event.title
    words = event.date.display()
    return f"{words[0].upper()}{words[1:]}: {event.title}"


def assert_entry_claims_no_more(event: Event, start: dt.date, end: dt.date, summary: str) -> None:
    """The rules every entry keeps, from a reader's DTSTART, exclusive DTEND and SUMMARY.

    Nothing before or after the date's strict bounds; an open or unknown end never
    stretched to year 1 or 9999; a point (a date or one of a set) never more days
    than the window it may fall in; the date's words leading the SUMMARY whenever
    the entry is more than one day or the date is not one known day.
    """
    span = event.date
    days = (end - start).days
    assert days >= 1, f"{event.id}: DTEND is not after DTSTART"
    assert span.first_day <= start, f"{event.id}: starts before its date can"
    assert end - dt.timedelta(days=1) <= span.last_day, f"{event.id}: ends after its date can"
    if not span.is_range:
        assert days <= span.days, f"{event.id}: a point drawn longer than its window"
    written = [part for part in str(span).partition("/")[::2] if part not in _NO_DATE]
    if span.is_range and len(written) == 1:
        known = PartialDate.parse(written[0])
        assert known.first_day <= start
        assert end <= known.last_day + dt.timedelta(days=1), f"{event.id}: an open end stretched out"
    if days > 1 or not is_one_known_day(span):
        words = span.display()
        assert summary == f"{words[0].upper()}{words[1:]}: {event.title}", f"{event.id}: no date words in SUMMARY"
    else:
        assert summary == event.title


def assert_js_matches(parsed: dict[str, Any], events: EventCollection) -> None:
    """ical.js's view of every event agrees with the dataset, and claims no more than each date."""
    by_uid = {item["uid"]: item for item in parsed["events"]}
    assert len(by_uid) == len(parsed["events"]) == len(events), "UIDs are not one per event"
    for event in events:
        item = by_uid[f"{event.id}@rnk-events"]
        assert item["summary"] == expected_summary(event)
        assert item["description"] == ics_format.description(event, events)
        assert item["startIsDate"] is True
        assert item["endIsDate"] is True
        assert item["hasDtend"] is True
        assert item["recurring"] is False, "one entry per event, never repeated"
        start, end = js_date(item["dtstart"]), js_date(item["dtend"])
        first, last = expected_entry(event.date)
        assert (start, end) == (first, last + dt.timedelta(days=1))
        assert item["durationDays"] == (end - start).days
        assert_entry_claims_no_more(event, start, end, item["summary"])
        assert item["categories"] == [event.category.value]
        assert item["transp"] == "TRANSPARENT"


# --- hypothesis strategies -------------------------------------------------------------

# Text with what breaks naive writers: TEXT escapes, line breaks, tabs, quotes, and any
# non-control code point (4-byte emoji, combining marks, U+2028). Control characters other
# than tab and newline are dropped by design and tested separately.
_hostile = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")) | st.sampled_from(
    ["\n", "\t", ",", ";", "\\", ":", '"', "\\n", "\\,", "é", "😀", "한", "\u0301", "\u2028", "\ufeff", " "]
)


def _text(max_size: int = 120) -> st.SearchStrategy[str]:
    return st.lists(_hostile, min_size=1, max_size=max_size).map("".join).map(str.strip).filter(bool)


SOURCES = (
    Source("alpha", "Agence; \\ Presse, Inc.", "Title with\ttab, comma; semicolon", dt.date(2024, 6, 17)),
    Source("beta", "Радио Свобода", "조선 — 😀", dt.date(2024, 6, 18), url="https://example.org/ü?a=1,2;b"),
)
_slugs = st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,4}", fullmatch=True)
_points = st.none() | st.tuples(st.floats(-90, 90), st.floats(-180, 180))
_places = st.builds(lambda name, point: Place(name, lat=point and point[0], lon=point and point[1]), _text(40), _points)


def writable(span: DateSpan) -> bool:
    """Whether the entry's exclusive DTEND can be written: an entry through 9999-12-31 cannot (tested below)."""
    return expected_entry(span)[1] < dt.date.max


@st.composite
def events(
    draw: st.DrawFn,
    ids: st.SearchStrategy[str] = _slugs,
    min_year: int = 1,
    dates: st.SearchStrategy[DateSpan] | None = None,
) -> Event:
    return Event(
        id=draw(ids),
        # Up to 9998: a span ending 9999-12-31 has no exclusive DTEND, and is refused (tested below).
        date=draw(spans(min_year, 9998) if dates is None else dates),
        title=draw(_text(300)),
        summary=draw(_text(300)),
        category=draw(st.sampled_from(list(rnk_events.Category))),
        status=draw(st.sampled_from(list(rnk_events.Status))),
        actors=draw(st.lists(st.sampled_from(["RUS", "PRK", "KOR", "USA", "UNSC"]), unique=True, max_size=3)),
        people=draw(st.lists(_text(40), unique=True, max_size=3)),
        places=draw(st.lists(_places, max_size=3)),
        sources=[
            SourceRef(source, draw(_text(80)))
            for source in draw(st.lists(st.sampled_from(["alpha", "beta"]), min_size=1, max_size=2))
        ],
        note=draw(st.just("") | _text(200)),
    )


def collections(
    min_year: int = 1, max_size: int = 4, dates: st.SearchStrategy[DateSpan] | None = None
) -> st.SearchStrategy[EventCollection]:
    drawn = events(min_year=min_year, dates=dates)
    return st.lists(drawn, max_size=max_size, unique_by=lambda event: event.id).map(
        lambda items: EventCollection(items, DatasetInfo(version="9.9", sources=SOURCES))
    )


#: Every form of the grammar (tests/edtf_strategies.py) that iCalendar can hold.
every_form = edtf_dates().filter(writable)
#: The same from the year 1000: ical.js's date arithmetic goes wrong before then.
every_form_from_1000 = every_form.filter(lambda span: expected_entry(span)[0].year >= 1000)


# --- the bundled dataset ---------------------------------------------------------------


def test_dataset_feed_is_wellformed(dataset: EventCollection) -> None:
    assert_wellformed(ics_bytes(dataset))


def test_every_event_is_all_day_with_an_exclusive_end(dataset: EventCollection) -> None:
    data = ics_bytes(dataset)
    parsed = vevents(data)
    assert set(parsed) == {f"{event.id}@rnk-events" for event in dataset}
    assert len(Calendar.from_ical(data).walk("VEVENT")) == len(dataset), "duplicate UIDs"
    for event in dataset:
        component = parsed[f"{event.id}@rnk-events"]
        assert component["DTSTART"].params["VALUE"] == "DATE"
        assert component["DTEND"].params["VALUE"] == "DATE"
        start, end = component.decoded("DTSTART"), component.decoded("DTEND")
        assert type(start) is dt.date
        assert type(end) is dt.date
        first, last = expected_entry(event.date)
        assert (start, end) == (first, last + dt.timedelta(days=1))
        assert "RRULE" not in component
        assert "RDATE" not in component
        assert str(component["TRANSP"]) == "TRANSPARENT"


def test_no_bundled_entry_claims_more_than_its_date(dataset: EventCollection) -> None:
    """icalendar's reading of every bundled event keeps the rules; vobject and ical.js are checked below."""
    parsed = vevents(ics_bytes(dataset))
    for event in dataset:
        component = parsed[f"{event.id}@rnk-events"]
        start, end = component.decoded("DTSTART"), component.decoded("DTEND")
        assert_entry_claims_no_more(event, start, end, str(component["SUMMARY"]))
        assert start.year != 1
        assert end.year < 9999, "an end stretched to the calendar's edge"


def test_the_bundled_dataset_has_the_forms_that_matter() -> None:
    """The rules above are only as good as the dates they meet: the bundled data has a set and an interval."""
    kinds = {event.date.kind for event in rnk_events.load()}
    assert kinds == {"date", "interval", "one-of"}


# Each form of date, worked out by hand: EDTF, DTSTART, DTEND (exclusive), SUMMARY (title "A plain
# event"), and the DESCRIPTION's opening lines. TRANSP is TRANSPARENT for every one of them.
FORMS: list[tuple[str, str, str, str, list[str]]] = [
    ("2002-08-23", "20020823", "20020824", "A plain event", ["Date: Aug. 23, 2002 (day precision, EDTF 2002-08-23)"]),
    (
        "2000-07",
        "20000701",
        "20000801",
        "July 2000: A plain event",
        [
            "Date: July 2000 (month precision, EDTF 2000-07)",
            "The calendar entry spans the 31 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "2020-02",
        "20200201",
        "20200301",  # leap year: all 29 days
        "February 2020: A plain event",
        [
            "Date: February 2020 (month precision, EDTF 2020-02)",
            "The calendar entry spans the 29 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "2024-21",
        "20240301",
        "20240601",  # spring: March to May
        "Spring 2024: A plain event",
        [
            "Date: spring 2024 (season precision, EDTF 2024-21)",
            "The calendar entry spans the 92 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "2023-24",
        "20231201",
        "20240301",  # winter 2023: December to February 2024, a leap February
        "Winter 2023: A plain event",
        [
            "Date: winter 2023 (season precision, EDTF 2023-24)",
            "The calendar entry spans the 91 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "2000",
        "20000101",
        "20010101",
        "2000: A plain event",
        [
            "Date: 2000 (year precision, EDTF 2000)",
            "The calendar entry spans the 366 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "195X",
        "19500101",
        "19600101",
        "The 1950s: A plain event",
        [
            "Date: the 1950s (decade precision, EDTF 195X)",
            "The calendar entry spans the 3,652 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "2024-05-XX",
        "20240501",
        "20240601",
        "An unknown day of May 2024: A plain event",
        [
            "Date: an unknown day of May 2024 (day precision, EDTF 2024-05-XX)",
            "The calendar entry spans the 31 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "2024-05~",
        "20240501",
        "20240601",  # the strict bounds: April and June are only possible
        "C. May 2024: A plain event",
        [
            "Date: c. May 2024 (month precision, EDTF 2024-05~)",
            "The calendar entry spans the 31 days the date allows: where the event falls, not how long it lasted. "
            "The date is approximate: it may fall as early as April 1, 2024 or as late as June 30, 2024; "
            "the calendar shows only the days written.",
        ],
    ),
    (
        "2024?",
        "20240101",
        "20250101",
        "Perhaps 2024: A plain event",
        [
            "Date: perhaps 2024 (year precision, EDTF 2024?)",
            "The calendar entry spans the 366 days the date allows: where the event falls, not how long it lasted. "
            "The date is uncertain: it may fall as early as Jan. 1, 2023 or as late as Dec. 31, 2025; "
            "the calendar shows only the days written.",
        ],
    ),
    (
        "2024-05-10%",
        "20240510",
        "20240511",  # one day, but not a known one: the words lead
        "Perhaps c. May 10, 2024: A plain event",
        [
            "Date: perhaps c. May 10, 2024 (day precision, EDTF 2024-05-10%)",
            "The date is uncertain and approximate: it may fall as early as May 8, 2024 or as late as "
            "May 12, 2024; the calendar shows only the days written.",
        ],
    ),
    (
        "[2024-06-10..2024-06-16]",
        "20240610",
        "20240617",
        "One day between June 10 and 16, 2024: A plain event",
        [
            "Date: one day between June 10 and 16, 2024 (day precision, EDTF [2024-06-10..2024-06-16])",
            "The calendar entry spans the 7 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "[2024-05-16,2024-05-17]",
        "20240516",
        "20240518",
        "May 16 or 17, 2024: A plain event",
        [
            "Date: May 16 or 17, 2024 (day precision, EDTF [2024-05-16,2024-05-17])",
            "The calendar entry spans the 2 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "[2024-05-16,2024-05-20]",
        "20240516",
        "20240521",  # the days between are inside the window, though the event cannot be on them
        "May 16 or 20, 2024: A plain event",
        [
            "Date: May 16 or 20, 2024 (day precision, EDTF [2024-05-16,2024-05-20])",
            "The calendar entry spans the 5 days from its first possible date to its last; the event falls on "
            "one of the dates written, and the entry is not how long it lasted.",
        ],
    ),
    (
        "2024-05-16/2024-05-17",
        "20240516",
        "20240518",  # an interval lasted: a bar is the truth, and no note is needed
        "May 16-17, 2024: A plain event",
        ["Date: May 16-17, 2024 (day precision, EDTF 2024-05-16/2024-05-17)"],
    ),
    (
        "2023-09/2024-06-17",
        "20230901",
        "20240618",
        "September 2023 - June 17, 2024: A plain event",
        [
            "Date: September 2023 - June 17, 2024 (month precision, EDTF 2023-09/2024-06-17)",
            "The calendar entry runs from the first day it may have begun to the last day it may have ended "
            "(291 days).",
        ],
    ),
    (
        "2024-05~/2024-06-17",
        "20240501",
        "20240618",
        "C. May 2024 - June 17, 2024: A plain event",
        [
            "Date: c. May 2024 - June 17, 2024 (month precision, EDTF 2024-05~/2024-06-17)",
            "The calendar entry runs from the first day it may have begun to the last day it may have ended "
            "(48 days). Its start is approximate; the calendar shows only the days written.",
        ],
    ),
    (
        "2023-09/..",
        "20230901",
        "20231001",  # the start's own extent, not on to 9999
        "Since September 2023: A plain event",
        [
            "Date: since September 2023 (month precision, EDTF 2023-09/..)",
            "The calendar entry covers only September 2023, when it began; it had not ended when written "
            "(an open end).",
        ],
    ),
    (
        "2024-05-10/..",
        "20240510",
        "20240511",
        "Since May 10, 2024: A plain event",
        [
            "Date: since May 10, 2024 (day precision, EDTF 2024-05-10/..)",
            "The calendar entry covers only May 10, 2024, when it began; it had not ended when written (an open end).",
        ],
    ),
    (
        "../2024-06",
        "20240601",
        "20240701",  # the end's own extent, not back to year 1
        "Until June 2024: A plain event",
        [
            "Date: until June 2024 (month precision, EDTF ../2024-06)",
            "The calendar entry covers only June 2024, when it ended; it was already going before that "
            "(an open start).",
        ],
    ),
    (
        "2023-09/",
        "20230901",
        "20231001",
        "From September 2023, end unknown: A plain event",
        [
            "Date: from September 2023, end unknown (month precision, EDTF 2023-09/)",
            "The calendar entry covers only September 2023, when it began; when it ended is not known.",
        ],
    ),
    (
        "/2024-06",
        "20240601",
        "20240701",
        "Until June 2024, start unknown: A plain event",
        [
            "Date: until June 2024, start unknown (month precision, EDTF /2024-06)",
            "The calendar entry covers only June 2024, when it ended; when it began is not known.",
        ],
    ),
    (
        "2023-09?/..",
        "20230901",
        "20231001",
        "Since perhaps September 2023: A plain event",
        [
            "Date: since perhaps September 2023 (month precision, EDTF 2023-09?/..)",
            "The calendar entry covers only September 2023, when it began; it had not ended when written "
            "(an open end). Its start is uncertain; the calendar shows only the days written.",
        ],
    ),
]


@pytest.mark.parametrize(("edtf", "dtstart", "dtend", "summary", "opening"), FORMS, ids=[form[0] for form in FORMS])
def test_each_form_of_date_as_worked_out_by_hand(
    edtf: str, dtstart: str, dtend: str, summary: str, opening: list[str]
) -> None:
    event = attrs.evolve(_plain_event(), date=edtf)
    data = ics_bytes(EventCollection([event]))
    assert_wellformed(data)
    lines = unfolded(data)
    assert f"DTSTART;VALUE=DATE:{dtstart}" in lines
    assert f"DTEND;VALUE=DATE:{dtend}" in lines
    assert "TRANSP:TRANSPARENT" in lines
    component = vevents(data)["plain@rnk-events"]
    assert str(component["SUMMARY"]) == summary
    description = str(component["DESCRIPTION"])
    assert description.startswith("\n".join(opening) + "\n\n" + event.summary + "\n")
    assert ics_format.date_lines(event.date) == opening
    start, end = component.decoded("DTSTART"), component.decoded("DTEND")
    assert_entry_claims_no_more(event, start, end, summary)


def test_the_hand_worked_table_has_every_form() -> None:
    spans_ = [DateSpan.parse(form[0]) for form in FORMS]
    assert {span.kind for span in spans_} == {"date", "interval", "one-of"}
    assert {span.precision.value for span in spans_} >= {"day", "month", "season", "year", "decade"}
    assert {span.qualifier.value for span in spans_} == {"", "~", "?", "%"}
    ends = {str(span).partition("/")[2] for span in spans_} | {str(span).partition("/")[0] for span in spans_}
    assert {"", ".."} <= ends  # open and unknown, at either end


@pytest.mark.parametrize(
    ("event_id", "dtstart", "dtend", "summary_start"),
    [
        ("2002-08-23-putin-meets-kim-jong-il-in-vladivostok", "20020823", "20020824", "Putin meets Kim Jong Il"),
        ("2000-07-putin-first-visit-to-north-korea", "20000701", "20000801", "July 2000: Putin makes"),
        ("2000-putin-becomes-president", "20000101", "20010101", "2000: Putin becomes"),
        ("2020-02-north-korea-closes-borders-over-covid", "20200201", "20200301", "February 2020: "),
        ("2006-10-14-russia-backs-nine-unsc-resolutions-on-north-korea", "20061014", "20171223", "Oct. 14, 2006 - "),
        ("2024-05-16-us-britain-sanctions-russian-entities", "20240516", "20240518", "May 16-17, 2024: "),
        ("2024-06-10-kim-calls-russia-ties-unbreakable", "20240610", "20240617", "One day between June 10 and 16, "),
        ("2024-01-01-russia-detains-south-korean-baek-won-soon", "20240101", "20240617", "One day between Jan. 1 "),
        ("2024-01-un-monitors-trace-missile-fired-at-ukraine-to-north-korea", "20240101", "20240618", "Some time "),
        (
            "2023-09-russian-officials-visit-north-korea-to-prepare-putin-trip",
            "20230901",
            "20240618",
            "September 2023 - June 17, 2024: ",
        ),
    ],
)
def test_bundled_events_as_worked_out_by_hand(
    dataset: EventCollection, event_id: str, dtstart: str, dtend: str, summary_start: str
) -> None:
    event = dataset.get(event_id)
    lines = unfolded(ics_bytes(EventCollection([event], dataset.info)))
    assert f"DTSTART;VALUE=DATE:{dtstart}" in lines
    assert f"DTEND;VALUE=DATE:{dtend}" in lines
    component = vevents(ics_bytes(dataset))[f"{event_id}@rnk-events"]
    assert str(component["SUMMARY"]).startswith(summary_start)
    assert str(component["SUMMARY"]).endswith(event.title)
    first_line = str(component["DESCRIPTION"]).split("\n")[0]
    assert first_line == f"Date: {event.date.display()} ({event.date.precision.value} precision, EDTF {event.date})"


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


@pytest.mark.parametrize("edtf", ["9999-12", "[9999-12-30,9999-12-31]", "999X", "9999-12/..", "../9999-12-31"])
def test_an_end_on_the_last_writable_day_is_an_error(edtf: str) -> None:
    """The entry would end on 9999-12-31, so its exclusive DTEND would be 10000-01-01."""
    event = attrs.evolve(_plain_event(), date=edtf)
    stream = io.BytesIO()
    with pytest.raises(ValueError, match=r"'plain'.*shown through 9999-12-31.*year 10000"):
        ics_format.write(EventCollection([event]), stream, stamp=STAMP)
    assert stream.getvalue() == b""
    assert not writable(event.date)


@pytest.mark.parametrize(
    ("edtf", "dtstart", "dtend"),
    [
        ("9999-11/..", "99991101", "99991201"),  # open, yet the entry is only the start's month
        ("0001-05/..", "00010501", "00010601"),
        ("../0001-05", "00010501", "00010601"),  # year 1 only because it is the year written
        ("/9999-11-30", "99991130", "99991201"),
    ],
)
def test_open_and_unknown_ends_are_written_near_the_calendars_edges(edtf: str, dtstart: str, dtend: str) -> None:
    """Before, an open end ran to 9999-12-31 and could not be written at all."""
    lines = unfolded(ics_bytes(EventCollection([attrs.evolve(_plain_event(), date=edtf)])))
    assert f"DTSTART;VALUE=DATE:{dtstart}" in lines
    assert f"DTEND;VALUE=DATE:{dtend}" in lines


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


def _assert_vobject_matches(calendar: Any, events: EventCollection) -> None:
    read = calendar.contents.get("vevent", [])
    assert len(read) == len(events)
    by_uid = {item.uid.value: item for item in read}
    assert len(by_uid) == len(events)
    for event in events:
        item = by_uid[f"{event.id}@rnk-events"]
        assert item.summary.value == expected_summary(event)
        assert item.description.value == ics_format.description(event, events)
        first, last = expected_entry(event.date)
        assert (item.dtstart.value, item.dtend.value) == (first, last + dt.timedelta(days=1))
        assert type(item.dtstart.value) is dt.date
        assert type(item.dtend.value) is dt.date
        assert item.transp.value == "TRANSPARENT"
        assert_entry_claims_no_more(event, item.dtstart.value, item.dtend.value, item.summary.value)


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


@settings(max_examples=min(300, settings().max_examples))
@given(span=every_form | intervals().filter(writable))  # intervals twice: open and unknown ends at either side
def test_every_form_of_date_claims_no_more_in_icalendar_and_vobject(span: DateSpan) -> None:
    """Generated dates of every form: what each reader sees keeps the rules, and the words say the rest."""
    event = attrs.evolve(_plain_event(), date=span)
    events = EventCollection([event])
    data = ics_bytes(events)
    assert_wellformed(data)
    component = vevents(data)["plain@rnk-events"]
    start, end = component.decoded("DTSTART"), component.decoded("DTEND")
    first, last = expected_entry(span)
    assert (start, end) == (first, last + dt.timedelta(days=1))
    assert_entry_claims_no_more(event, start, end, str(component["SUMMARY"]))
    assert str(component["TRANSP"]) == "TRANSPARENT"
    text = str(component["DESCRIPTION"])
    assert text.startswith(f"Date: {span.display()} ({span.precision.value} precision, EDTF {span})")
    # A second line says what the entry covers, unless the days shown are simply the days the event took.
    note = text.split("\n\n")[0].partition("\n")[2]
    assert bool(note) == (not is_one_known_day(span) and _EXACT_INTERVAL.fullmatch(str(span)) is None)
    _assert_vobject_matches(vobject.readOne(data.decode("utf-8")), events)


@settings(max_examples=5)
@given(collection=collections(min_year=1000, max_size=12, dates=every_form_from_1000))
def test_every_form_of_date_read_by_ical_js(
    collection: EventCollection, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("ics") / "forms.ics"
    path.write_bytes(ics_bytes(collection))
    assert_js_matches(ical_js(path), collection)


def test_every_hand_worked_form_read_by_ical_js(tmp_path: Path) -> None:
    events = EventCollection(
        [attrs.evolve(_plain_event(), id=f"form-{number}", date=form[0]) for number, form in enumerate(FORMS)]
    )
    path = tmp_path / "forms.ics"
    path.write_bytes(ics_bytes(events))
    parsed = ical_js(path)
    assert_js_matches(parsed, events)
    by_uid = {item["uid"]: item for item in parsed["events"]}
    for number, (_edtf, dtstart, dtend, summary, _opening) in enumerate(FORMS):
        item = by_uid[f"form-{number}@rnk-events"]
        assert (_ics_date(item["dtstart"]), _ics_date(item["dtend"])) == (dtstart, dtend)
        assert item["summary"] == summary


def _ics_date(parts: list[int]) -> str:
    year, month, day = parts
    return f"{year:04d}{month:02d}{day:02d}"


def test_every_hand_worked_form_read_by_vobject() -> None:
    events = EventCollection(
        [attrs.evolve(_plain_event(), id=f"form-{number}", date=form[0]) for number, form in enumerate(FORMS)]
    )
    calendar = vobject.readOne(ics_bytes(events).decode("utf-8"))
    assert calendar.validate(raiseException=True)
    _assert_vobject_matches(calendar, events)
    by_uid = {item.uid.value: item for item in calendar.contents["vevent"]}
    for number, (_edtf, dtstart, dtend, summary, _opening) in enumerate(FORMS):
        item = by_uid[f"form-{number}@rnk-events"]
        assert (item.dtstart.value.strftime("%Y%m%d"), item.dtend.value.strftime("%Y%m%d")) == (dtstart, dtend)
        assert item.summary.value == summary


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


def _plain_event() -> Event:
    return Event(
        id="plain",
        date="2024-06-18",
        title="A plain event",
        summary="Nothing unusual.",
        category="summit",
        status="happened",
        actors=["RUS"],
        sources=[SourceRef("somewhere", "some words")],
    )


# --- the format's documentation page ---------------------------------------------------

DOC = ROOT / "docs" / "formats" / "icalendar.md"


def _doc_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", DOC.read_text("utf-8"), re.MULTILINE | re.DOTALL)


def test_doc_python_snippets_run(dataset: EventCollection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for snippet in _doc_blocks("python"):
        exec(compile(snippet, str(DOC), "exec"), {})  # the page's own examples
    as_of = dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)
    assert (tmp_path / "reproducible.ics").read_bytes() == ics_bytes(dataset, stamp=as_of)
    assert len(vevents((tmp_path / "russia-north-korea.ics").read_bytes())) == len(dataset)
    desk = unfolded((tmp_path / "desk.ics").read_bytes())
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in desk
    assert r"X-WR-CALDESC:Sourced events.\nQuestions: the data desk." in desk
    # The precise-only feed: every date known to the day, or an interval between two such days.
    precise = vevents((tmp_path / "precise.ics").read_bytes())
    expected = {
        event.id for event in dataset if is_one_known_day(event.date) or _EXACT_INTERVAL.fullmatch(str(event.date))
    }
    assert {key.removesuffix("@rnk-events") for key in precise} == expected
    assert all(str(c["DESCRIPTION"]).split("\n")[1] == "" for c in precise.values()), "no coverage note needed"
    within_a_month = vevents((tmp_path / "within-a-month.ics").read_bytes())
    assert set(precise) < set(within_a_month)
    for component in within_a_month.values():
        event = dataset.get(str(component["UID"]).removesuffix("@rnk-events"))
        assert event.date.qualifier.value == ""
        assert all(part.days <= 31 for part in event.date.dates())
    assert "2024-06-10-kim-calls-russia-ties-unbreakable@rnk-events" in within_a_month
    assert "2000-putin-becomes-president@rnk-events" not in within_a_month


def test_the_precise_feed_from_the_command_line(
    dataset: EventCollection, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The page's command writes what ``export(events.known_within(1), ...)`` does."""
    target = tmp_path / "precise.ics"
    code = cli_main(["export", "ics", "-o", str(target), "--known-within", "1", "--stamp", "2024-06-17"])
    assert code == 0, capsys.readouterr().err
    as_of = dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)
    assert target.read_bytes() == ics_bytes(dataset.known_within(1), stamp=as_of)
    assert "--known-within 1" in DOC.read_text("utf-8")


def test_doc_example_event_is_what_the_export_writes(dataset: EventCollection) -> None:
    shown = _doc_blocks("text")[0]
    written = ics_bytes(dataset, stamp=dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)).decode("utf-8")
    uid_line = next(line for line in shown.splitlines() if line.startswith("UID:"))
    block = next(part for part in written.split("BEGIN:VEVENT\r\n") if f"\r\n{uid_line}\r\n" in part)
    expected = "BEGIN:VEVENT\r\n" + block.split("END:VEVENT\r\n")[0] + "END:VEVENT\r\n"
    assert shown.replace("\n", "\r\n") == expected


def test_doc_date_table_is_what_the_export_writes() -> None:
    section = DOC.read_text("utf-8").split("### Dates: what a subscriber sees", 1)[1].split("###", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "| `" in line][1:]  # after the header
    assert len(rows) == 18
    for row in rows:
        _form, edtf, start, end, ending, _what = (cell.strip() for cell in row.strip("|").split("|"))
        edtf, start, end = (cell.strip("`") for cell in (edtf, start, end))
        event = attrs.evolve(_plain_event(), date=edtf)
        lines = unfolded(ics_bytes(EventCollection([event])))
        assert f"DTSTART;VALUE=DATE:{start}" in lines, row
        assert f"DTEND;VALUE=DATE:{end}" in lines, row
        summary = next(line for line in lines if line.startswith("SUMMARY:")).replace("\\,", ",")
        shown = "A plain event" if ending == "the title alone" else ending.strip("`").replace("…", "A plain event")
        assert summary == f"SUMMARY:{shown}", row


def test_doc_description_examples_are_what_the_export_writes() -> None:
    section = DOC.read_text("utf-8").split("### Dates: what a subscriber sees", 1)[1].split("###", 1)[0]
    (example,) = re.findall(r"^```text\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)
    for opening in example.strip().split("\n\n"):
        edtf = re.search(r"EDTF (\S+)\)$", opening.splitlines()[0])
        assert edtf is not None, opening
        assert ics_format.date_lines(DateSpan.parse(edtf.group(1))) == opening.splitlines()


def test_doc_calendar_table_names_the_prodid() -> None:
    assert f"| `PRODID` | `{ics_format.PRODID}` |" in DOC.read_text("utf-8")
