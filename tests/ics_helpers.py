"""What the iCalendar export tests share: writing a feed, the readers, and the rules every entry keeps.

``ics_bytes`` writes with one fixed stamp; ``vevents``, ``unfolded``,
``ical_js`` and ``_assert_vobject_matches`` read the result back with
icalendar, by hand, with Mozilla's ical.js (under node,
``tests/js/check_ics.mjs``) and with vobject. The rules an entry keeps whatever
its date (:func:`assert_entry_claims_no_more`) are written out here rather than
taken from the module under test. Used by ``test_export_ics.py``,
``test_ics_date_forms.py`` and ``test_ics_docs.py``; no tests of its own.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st
from icalendar import Calendar, Component

import rnk_events
from rnk_events import DatasetInfo, DateSpan, Event, EventCollection, PartialDate, Place, Source, SourceRef
from rnk_events.formats import ics as ics_format
from tests.conftest import ROOT, skip_or_fail
from tests.strategies import spans

STAMP = dt.datetime(2024, 6, 17, 12, 0, tzinfo=dt.timezone.utc)
JS_DIR = ROOT / "tests" / "js"
CHECK_ICS = JS_DIR / "check_ics.mjs"
MAX_OCTETS = 75

__all__ = [
    "SOURCES",
    "STAMP",
    "_EXACT_INTERVAL",
    "_assert_vobject_matches",
    "_plain_event",
    "assert_entry_claims_no_more",
    "assert_js_matches",
    "assert_wellformed",
    "collections",
    "dataset",
    "expected_entry",
    "expected_summary",
    "ical_js",
    "ics_bytes",
    "is_one_known_day",
    "unfolded",
    "vevents",
    "writable",
]


@pytest.fixture(scope="module")
def dataset() -> EventCollection:
    """The bundled dataset, once per module; a test module shares it with ``dataset = ics_helpers.dataset``."""
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
    """Whether the entry's exclusive DTEND can be written: one through 9999-12-31 cannot (test_ics_date_forms.py)."""
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
        # Up to 9998: a span ending 9999-12-31 has no exclusive DTEND, and is refused (test_ics_date_forms.py).
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
