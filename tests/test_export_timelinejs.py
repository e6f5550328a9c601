"""TimelineJS3 JSON and the standalone HTML page: date parts, ids, escaping, embedding.

The JSON is read back with Python's json module and its HTML fields with
html.parser (not with anything from rnk_events); the browser test
(test_browser.py) has TimelineJS itself draw it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import DatasetInfo, DateSpan, Event, EventCollection, Precision, Source, SourceRef
from rnk_events.dates import End, PartialDate, Qualifier
from rnk_events.formats import html as html_format
from rnk_events.formats import timelinejs as timelinejs_format
from tests.edtf_strategies import edtf_dates
from tests.strategies import days, events, texts

SCRIPT_BREAKER = "</script><script>alert(1)</script>"
IMG_PAYLOAD = "<img src=x onerror=alert(1)>"
MARKUP_TITLE = "Tom & Jerry say \"hi\" <b>bold</b> 'quoted'"
HOSTILE_TITLES = (SCRIPT_BREAKER, IMG_PAYLOAD, MARKUP_TITLE)
DIST_TAGS = {"p", "strong", "ul", "li", "a"}  # the only markup the exporter itself writes in text


def hostile_collection() -> EventCollection:
    """Events whose every text field tries to become markup or script."""
    source = Source(
        id="hostile-source",
        publisher=f"Publisher {IMG_PAYLOAD} & Sons",
        title=f'"Quoted" {SCRIPT_BREAKER}',
        published="2024-06-17",
        url='https://example.test/"><script>alert(1)</script>',
    )
    info = DatasetInfo(
        name="hostile",
        title=f"Timeline {SCRIPT_BREAKER} & {IMG_PAYLOAD}",
        version="1",
        as_of="2024-06-17",
        sources=(source,),
    )
    common: dict[str, Any] = {"actors": ("RUS",), "sources": (SourceRef("hostile-source", SCRIPT_BREAKER),)}
    return EventCollection(
        [
            Event(
                id="hostile-script",
                date="2024-06-18",
                title=SCRIPT_BREAKER,
                summary=f"{IMG_PAYLOAD} \"double\" & 'single' line\u2028separator\u2029paragraph",
                category="summit",
                status="planned",
                people=(IMG_PAYLOAD, "O'Brien & <Co>"),
                **common,
            ),
            Event(
                id="hostile-img",
                date="2024-05-16/2024-05-17",
                title=IMG_PAYLOAD,
                summary=SCRIPT_BREAKER,
                category="sanctions",
                status="alleged",
                **common,
            ),
            Event(
                id="hostile-markup",
                date="2024-05",
                title=MARKUP_TITLE,
                summary="<!-- comment --> ]]> <![CDATA[ x ]]>",
                category="diplomacy",
                status="happened",
                **common,
            ),
        ],
        info,
    )


class _Markup(HTMLParser):
    """Tags, attributes and text of an HTML fragment, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append("!--")


def markup(fragment: str) -> _Markup:
    parser = _Markup()
    parser.feed(fragment)
    parser.close()
    return parser


def exported(collection: EventCollection, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "out.timeline.json"
    rnk_events.export(collection, "timelinejs", path)
    document: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return document


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return exported(rnk_events.load(), tmp_path_factory.mktemp("timelinejs"))


# --- dates -----------------------------------------------------------------------

AS_OF = dt.date(2024, 6, 17)  # the bundled dataset's as-of day, used by every case below

#: The hand-worked table: (EDTF, start_date, end_date or None, display_date), exported with
#: as_of = June 17, 2024. docs/formats/timelinejs.md shows the same rows.
FORMS: list[tuple[str, dict[str, int], dict[str, int] | None, str]] = [
    # one date: the parts every day it covers shares
    ("2019-04-25", {"year": 2019, "month": 4, "day": 25}, None, "April 25, 2019"),
    ("2000-07", {"year": 2000, "month": 7}, None, "July 2000"),
    ("2000", {"year": 2000}, None, "2000"),
    ("2024-21", {"year": 2024}, None, "spring 2024"),
    ("2024-24", {"year": 2024}, None, "winter 2024"),  # Dec. 2024 to Feb. 2025: no shared year, the first
    ("195X", {"year": 1950}, None, "the 1950s"),
    ("2024-XX", {"year": 2024}, None, "an unknown month of 2024"),
    ("2024-05-XX", {"year": 2024, "month": 5}, None, "an unknown day of May 2024"),
    ("2024-05~", {"year": 2024, "month": 5}, None, "c. May 2024"),
    ("2024?", {"year": 2024}, None, "perhaps 2024"),
    ("2024-05-10%", {"year": 2024, "month": 5, "day": 10}, None, "perhaps c. May 10, 2024"),
    # one date of a set: one marker, the parts all its possible days share
    ("[2024-06-10..2024-06-16]", {"year": 2024, "month": 6}, None, "one day between June 10 and 16, 2024"),
    ("[2024-05-16,2024-05-17]", {"year": 2024, "month": 5}, None, "May 16 or 17, 2024"),
    ("[2024-01..2024-06-17]", {"year": 2024}, None, "some time between January and June 17, 2024"),
    ("[2023-12-30,2024-01-02]", {"year": 2023}, None, "Dec. 30, 2023 or Jan. 2, 2024"),
    # an interval: a bar from start to end
    (
        "2024-05-16/2024-05-17",
        {"year": 2024, "month": 5, "day": 16},
        {"year": 2024, "month": 5, "day": 17},
        "May 16-17, 2024",
    ),
    (
        "2023-09/2024-06-17",
        {"year": 2023, "month": 9},
        {"year": 2024, "month": 6, "day": 17},
        "September 2023 - June 17, 2024",
    ),
    (
        "2024-05~/2024-06-17",
        {"year": 2024, "month": 5},
        {"year": 2024, "month": 6, "day": 17},
        "c. May 2024 - June 17, 2024",
    ),
    # TimelineJS would drop this end (it agrees with every start part), so the export leaves it out
    ("2024-01/2024-01-31", {"year": 2024, "month": 1}, None, "January 2024 - Jan. 31, 2024"),
    # open and unknown ends: an open end is drawn to the as-of day; the others are a marker at the known end
    ("2023-09/..", {"year": 2023, "month": 9}, {"year": 2024, "month": 6, "day": 17}, "since September 2023"),
    ("../2024-06", {"year": 2024, "month": 6}, None, "until June 2024"),
    ("2023-09/", {"year": 2023, "month": 9}, None, "from September 2023, end unknown"),
    ("/2024-06", {"year": 2024, "month": 6}, None, "until June 2024, start unknown"),
]  # fmt: skip


def dated(*dates: str | DateSpan, as_of: dt.date | None = AS_OF) -> EventCollection:
    """One event per date, ids ``e0``, ``e1``, ... in the order given, titled by their EDTF text."""
    common: dict[str, Any] = {"summary": "s", "category": "summit", "status": "happened", "actors": ("RUS",)}
    events_ = [
        Event(id=f"e{number}", date=date, title=f"form {date}", sources=(SourceRef("s", "e"),), **common)
        for number, date in enumerate(dates)
    ]
    return EventCollection(events_, DatasetInfo(as_of=as_of))


def slide_of(date: str | DateSpan, as_of: dt.date | None = AS_OF) -> dict[str, Any]:
    """The date's slide as the JSON export writes it, read back with json."""
    slide: dict[str, Any] = json.loads(timelinejs_format.dumps(dated(date, as_of=as_of)))["events"][0]
    return slide


@pytest.mark.parametrize(("edtf", "start", "end", "display"), FORMS, ids=[row[0] for row in FORMS])
def test_each_form(edtf: str, start: dict[str, int], end: dict[str, int] | None, display: str) -> None:
    slide = slide_of(edtf)
    assert slide["start_date"] == start
    assert slide.get("end_date") == end
    assert slide["display_date"] == display == DateSpan.parse(edtf).display()


def test_the_table_covers_every_form() -> None:
    spans_ = [DateSpan.parse(edtf) for edtf, *_ in FORMS]
    assert {span.kind for span in spans_} == {"date", "interval", "one-of"}
    assert {span.precision for span in spans_} >= set(Precision) - {Precision.CENTURY}
    assert {span.qualifier for span in spans_} == set(Qualifier)
    ends = {type(part).__name__ if not isinstance(part, End) else part for s in spans_ for part in (s.start, s.end)}
    assert {End.OPEN, End.UNKNOWN} <= ends
    assert any(s.members and all(m.last is None for m in s.members) for s in spans_)  # a list
    assert any(s.members and any(m.last is not None for m in s.members) for s in spans_)  # a run


@pytest.mark.parametrize(
    ("edtf", "as_of", "end"),
    [
        ("2023-09/..", None, None),  # no as-of day: nothing to end the bar at, so no bar
        ("2023-09/..", dt.date(2023, 8, 31), None),  # the as-of day is before the start
        ("2023-09/..", dt.date(2023, 9, 1), None),  # the as-of day agrees with every start part
        ("2023-09/..", dt.date(2023, 10, 2), {"year": 2023, "month": 10, "day": 2}),
        ("2023-09/2024", None, {"year": 2024}),  # a closed interval needs no as-of day
        ("2023-09/", AS_OF, None),  # an unknown end is never drawn to the as-of day
    ],
)
def test_an_open_end_ends_at_the_as_of_day(edtf: str, as_of: dt.date | None, end: dict[str, int] | None) -> None:
    slide = slide_of(edtf, as_of)
    assert slide["start_date"] == {"year": 2023, "month": 9}
    assert slide.get("end_date") == end
    assert slide["display_date"] == DateSpan.parse(edtf).display()


@pytest.mark.parametrize(
    ("edtf", "start"),
    [
        ("19XX", {"year": 1900}),  # a century: its first year
        ("000X", {"year": 1}),  # the first decade begins in year 1; TimelineJS never gets year 0
        ("2024-XX-XX", {"year": 2024}),
        ("[2024-05-16,2024-06..2024-07]", {"year": 2024}),  # a mix of a day and a run of months
        ("[2019,2020,2021]", {"year": 2019}),
    ],
)
def test_more_points_are_single_markers(edtf: str, start: dict[str, int]) -> None:
    slide = slide_of(edtf)
    assert slide["start_date"] == start
    assert "end_date" not in slide
    assert slide["display_date"] == DateSpan.parse(edtf).display()


def test_bundled_points_have_no_end_and_say_their_words(bundled: dict[str, Any]) -> None:
    collection = rnk_events.load()
    assert len(bundled["events"]) == len(collection) == 30
    kinds = {event.date.kind for event in collection}
    assert kinds == {"date", "interval", "one-of"}
    for event, slide in zip(collection, bundled["events"], strict=True):
        assert slide["display_date"] == event.date.display(), event.id
        for parts in (slide["start_date"], slide.get("end_date", {})):
            assert all(type(value) is int for value in parts.values()), event.id
        if not event.date.is_range:
            assert "end_date" not in slide, event.id
    sets = [slide for event, slide in zip(collection, bundled["events"], strict=True) if event.date.is_set]
    assert len(sets) == 3
    assert all("between" in slide["display_date"] for slide in sets)


@pytest.mark.parametrize(
    ("event_id", "start", "end", "display"),
    [
        ("2000-putin-becomes-president", {"year": 2000}, None, "2000"),
        ("2000-07-putin-first-visit-to-north-korea", {"year": 2000, "month": 7}, None, "July 2000"),
        ("2024-06-14-south-korea-us-emergency-call-on-putin-visit", {"year": 2024, "month": 6, "day": 14}, None, None),
        (
            "2024-05-16-us-britain-sanctions-russian-entities",
            {"year": 2024, "month": 5, "day": 16},
            {"year": 2024, "month": 5, "day": 17},
            "May 16-17, 2024",
        ),
        (
            "2023-09-russian-officials-visit-north-korea-to-prepare-putin-trip",
            {"year": 2023, "month": 9},
            {"year": 2024, "month": 6, "day": 17},
            "September 2023 - June 17, 2024",
        ),
        (
            "2024-06-10-kim-calls-russia-ties-unbreakable",
            {"year": 2024, "month": 6},
            None,
            "one day between June 10 and 16, 2024",
        ),
        (
            "2024-01-01-russia-detains-south-korean-baek-won-soon",
            {"year": 2024},
            None,
            "one day between Jan. 1 and June 16, 2024",
        ),
        (
            "2024-01-un-monitors-trace-missile-fired-at-ukraine-to-north-korea",
            {"year": 2024},
            None,
            "some time between January and June 17, 2024",
        ),
    ],
)
def test_known_dates(
    bundled: dict[str, Any], event_id: str, start: dict[str, int], end: dict[str, int] | None, display: str | None
) -> None:
    slide = next(slide for slide in bundled["events"] if slide["unique_id"] == event_id)
    assert slide["start_date"] == start
    assert slide.get("end_date") == end
    if display is not None:
        assert slide["display_date"] == display


PART_NAMES = ("year", "month", "day")


def _unit(parts: dict[str, int]) -> tuple[dt.date, dt.date]:
    """The first and last day of the calendar unit the parts name (a year, a month or a day)."""
    assert list(parts) == list(PART_NAMES[: len(parts)]), parts  # year, then month, then day
    year, month = parts["year"], parts.get("month")
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if "day" in parts:
        day = dt.date(year, month, parts["day"])
        return day, day
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _check_honest(parts: dict[str, int], first: dt.date, last: dt.date) -> None:
    """The parts name the smallest calendar unit holding every day from first to last (or, without one,
    the first day's year), so the marker claims no day, month or year that is not known."""
    unit_first, unit_last = _unit(parts)
    if first.year != last.year:
        assert parts == {"year": first.year}
        return
    assert unit_first <= first <= last <= unit_last
    finer = (first.year, first.month, first.day)[: len(parts) + 1]
    assert len(parts) == 3 or finer != (last.year, last.month, last.day)[: len(parts) + 1]


def _agrees(start: dict[str, int], end: dict[str, int]) -> bool:
    """TimelineJS's test for a redundant end date: it agrees with every part of the start."""
    return all(end.get(name) == value for name, value in start.items())


@given(edtf_dates(), st.one_of(st.none(), days))
def test_every_form_of_the_grammar(span: DateSpan, as_of: dt.date | None) -> None:
    slide = slide_of(span, as_of)
    start, end = slide["start_date"], slide.get("end_date")
    assert slide["display_date"] == span.display()
    for parts in (start, end or {}):
        assert all(type(value) is int for value in parts.values())
        assert parts == {} or parts["year"] >= 1
    if end is not None:
        assert span.is_range  # only an interval is ever a bar
        assert not _agrees(start, end)  # TimelineJS keeps every end_date that is written
        assert _unit(start)[0] <= _unit(end)[0]  # equal for 2024-01/2024: TimelineJS keeps it
    if not span.is_range:
        _check_honest(start, span.first_day, span.last_day)
        return
    known = [part for part in (span.start, span.end) if isinstance(part, PartialDate)]
    if isinstance(span.start, End) or span.end is End.UNKNOWN:
        assert end is None  # a marker at the one known end
        _check_honest(start, known[0].first_day, known[0].last_day)
        return
    assert isinstance(span.start, PartialDate)
    _check_honest(start, span.start.first_day, span.start.last_day)
    if isinstance(span.end, PartialDate):
        end_parts = timelinejs_format.date_parts(span.end)
        _check_honest(end_parts, span.end.first_day, span.end.last_day)
        # TimelineJS draws missing parts as the first month or day: an end drawn before the start is left out
        drawn_before = (end_parts["year"], end_parts.get("month", 1), end_parts.get("day", 1)) < (
            start["year"],
            start.get("month", 1),
            start.get("day", 1),
        )
        assert end == (None if _agrees(start, end_parts) or drawn_before else end_parts)
    else:  # open: drawn to the as-of day, never to a stand-in year
        assert end is None or (as_of is not None and end == _day(as_of))
        assert end is not None or as_of is None or as_of < span.start.first_day or _agrees(start, _day(as_of))


def _day(day: dt.date) -> dict[str, int]:
    return {"year": day.year, "month": day.month, "day": day.day}


# --- ids, groups, document shape -----------------------------------------------------


def test_unique_ids_are_the_event_ids_in_order(bundled: dict[str, Any]) -> None:
    ids = [slide["unique_id"] for slide in bundled["events"]]
    assert ids == [event.id for event in rnk_events.load()]
    assert len(set(ids)) == len(ids)


def test_document_shape_and_title_slide(bundled: dict[str, Any]) -> None:
    assert set(bundled) == {"title", "events", "scale"}
    assert bundled["scale"] == "human"
    title = bundled["title"]
    assert "start_date" not in title
    assert title["text"]["headline"] == "Russia–North Korea relations: a sourced timeline"
    assert "as of June 17, 2024" in title["text"]["text"]
    assert "30 events" in title["text"]["text"]


def test_groups_are_categories_and_text_lists_status_people_and_sources(bundled: dict[str, Any]) -> None:
    collection = rnk_events.load()
    for event, slide in zip(collection, bundled["events"], strict=True):
        assert slide["group"] == event.category.value
        text = "".join(markup(slide["text"]["text"]).text)
        assert event.summary in text
        assert f"Status: {event.status.value}" in text
        for person in event.people:
            assert person in text
        for ref in event.sources:
            assert ref.evidence in text
            assert collection.info.source(ref.source).publisher in text
    planned = next(s for s in bundled["events"] if s["unique_id"] == "2024-06-18-putin-state-visit-to-north-korea")
    assert "Status: planned as of June 17, 2024" in "".join(markup(planned["text"]["text"]).text)


def test_source_links_point_at_the_source_url(bundled: dict[str, Any]) -> None:
    slide = next(s for s in bundled["events"] if s["unique_id"] == "2000-putin-becomes-president")
    links = [value for tag, name, value in markup(slide["text"]["text"]).attributes if tag == "a" and name == "href"]
    assert links == ["https://www.themoscowtimes.com/2024/06/17/kremlin-confirms-putins-trip-to-north-korea-a85441"]


def test_empty_collection_is_a_title_only_document(tmp_path: Path) -> None:
    document = exported(EventCollection([], DatasetInfo(as_of="2024-06-17")), tmp_path)
    assert document["events"] == []
    assert document["scale"] == "human"
    assert "0 events, as of June 17, 2024" in document["title"]["text"]["text"]


def test_collection_without_source_metadata_cites_source_ids() -> None:
    event = Event(
        id="e", date="2024", title="t", summary="s", category="summit", status="happened", actors=("RUS",),
        sources=(SourceRef("some-source", "the words"),),
    )  # fmt: skip
    text = timelinejs_format.to_timeline(EventCollection([event]))["events"][0]["text"]["text"]
    assert "some-source: “the words”" in "".join(markup(text).text)


def test_export_picks_the_format_by_extension_and_rejects_options(tmp_path: Path) -> None:
    path = tmp_path / "t.timeline.json"
    rnk_events.export(rnk_events.load(), str(path))
    assert json.loads(path.read_text("utf-8"))["scale"] == "human"
    with pytest.raises(TypeError, match="takes no options"):
        rnk_events.export(rnk_events.load(), "timelinejs", io.BytesIO(), indent=4)


# --- escaping ----------------------------------------------------------------------


def test_hostile_text_is_escaped_in_the_json(tmp_path: Path) -> None:
    document = exported(hostile_collection(), tmp_path)
    headline = markup(document["title"]["text"]["headline"])
    assert headline.tags == []
    assert "".join(headline.text) == hostile_collection().info.title
    for slide, event in zip(document["events"], hostile_collection(), strict=True):
        parsed = markup(slide["text"]["headline"])
        assert parsed.tags == []
        assert "".join(parsed.text) == event.title
        body = markup(slide["text"]["text"])
        assert set(body.tags) <= DIST_TAGS
        assert [name for _, name, _ in body.attributes] in ([], ["href"])
        assert event.summary in "".join(body.text)


@given(events())
def test_any_event_text_stays_text(event: Event) -> None:
    slide = timelinejs_format.to_timeline(EventCollection([event]))["events"][0]
    headline = markup(slide["text"]["headline"])
    assert headline.tags == []
    assert "".join(headline.text) == event.title
    body = markup(slide["text"]["text"])
    assert set(body.tags) <= DIST_TAGS
    assert all(name == "href" for _, name, _ in body.attributes)


# --- the HTML page -------------------------------------------------------------------


def _script_blocks(page: str) -> dict[str, str]:
    """The text of each <script>, keyed by id (or src), as an HTML tokenizer splits them."""

    class Scripts(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.current: str | None = None
            self.blocks: dict[str, str] = {}

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "script":
                named = dict(attrs)
                self.current = named.get("id") or named.get("src") or f"inline-{len(self.blocks)}"
                self.blocks[self.current] = ""

        def handle_data(self, data: str) -> None:
            if self.current is not None:
                self.blocks[self.current] += data

        def handle_endtag(self, tag: str) -> None:
            if tag == "script":
                self.current = None

    parser = Scripts()
    parser.feed(page)
    parser.close()
    return parser.blocks


def page_text(collection: EventCollection, tmp_path: Path, **options: Any) -> str:
    path = tmp_path / "page.html"
    rnk_events.export(collection, "html", path, **options)
    return path.read_text("utf-8")


def test_page_loads_the_pinned_timelinejs_from_the_cdn_by_default(tmp_path: Path) -> None:
    page = page_text(rnk_events.load(), tmp_path)
    parsed = markup(page)
    base = f"https://cdn.knightlab.com/libs/timeline3/{html_format.TIMELINEJS_VERSION}"
    assert base == html_format.CDN_BASE
    assert "/latest/" not in page
    assert ("link", "href", f"{base}/css/timeline.css") in parsed.attributes
    assert ("script", "src", f"{base}/js/timeline.js") in parsed.attributes
    for path in html_format.TIMELINEJS_FILES:
        assert ("link" if path.endswith(".css") else "script", "integrity", html_format.INTEGRITY[path]) in (
            parsed.attributes
        )
    assert [value for tag, name, value in parsed.attributes if name == "crossorigin"] == ["anonymous", "anonymous"]


@pytest.mark.parametrize("base", ["vendor/timelinejs", "vendor/timelinejs/", "file:///opt/tl/dist"])
def test_page_loads_local_timelinejs(tmp_path: Path, base: str) -> None:
    page = page_text(rnk_events.load(), tmp_path, timelinejs_base=base)
    parsed = markup(page)
    stem = base.rstrip("/")
    assert ("link", "href", f"{stem}/css/timeline.css") in parsed.attributes
    assert ("script", "src", f"{stem}/js/timeline.js") in parsed.attributes
    assert "cdn.knightlab.com" not in page


def test_page_embeds_the_timelinejs_document(tmp_path: Path) -> None:
    collection = rnk_events.load()
    page = page_text(collection, tmp_path)
    assert json.loads(_script_blocks(page)["timeline-data"]) == exported(collection, tmp_path)
    assert markup(page).tags.count("script") == 6  # head, JSON-LD, data, options, TimelineJS, the page's


def test_hostile_text_cannot_end_the_data_block_or_make_markup(tmp_path: Path) -> None:
    collection = hostile_collection()
    base = f'dist" onload="alert(1)" {SCRIPT_BREAKER}'
    page = page_text(collection, tmp_path, timelinejs_base=base)
    blocks = _script_blocks(page)
    assert list(blocks) == [
        "inline-0",
        "inline-1",
        "timeline-data",
        "timeline-options",
        "timelinejs-script",
        "inline-5",
    ]
    assert json.loads(blocks["timeline-options"]) == {"hash_bookmark": False, "font": None}
    assert json.loads(blocks["timeline-data"]) == exported(collection, tmp_path)
    assert page.lower().count("</script") == 6  # one per script element the page itself writes
    assert ("script", "src", f"{base}/js/timeline.js") in markup(page).attributes
    for raw in ("<img", "<script>alert", "<b>", "\u2028", "\u2029", "<!--", "<![CDATA["):
        assert raw not in page
    parsed = markup(page)
    assert not [name for _, name, _ in parsed.attributes if name.startswith("on")]
    assert "img" not in parsed.tags
    assert "!--" not in parsed.tags
    title_start = page.index("<title>") + len("<title>")
    assert html.unescape(page[title_start : page.index("</title>")]) == collection.info.title


def test_empty_collection_page_still_embeds_a_document(tmp_path: Path) -> None:
    page = page_text(EventCollection([], DatasetInfo()), tmp_path)
    assert json.loads(_script_blocks(page)["timeline-data"])["events"] == []
    assert 'id="timeline-empty"' in page


@given(st.lists(texts | st.sampled_from(["</script>", "<!--", "\u2028", "\u2029", "&amp;", "]]>"]), max_size=5))
def test_script_json_is_inert_and_round_trips(values: list[str]) -> None:
    text = html_format.script_json(values)
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == values


@pytest.mark.parametrize(
    ("base", "error", "message"),
    [("", ValueError, "empty text"), ("  / ", ValueError, "empty text"), (Path("dist"), TypeError, "as text")],
)
def test_bad_timelinejs_base_is_refused_and_nothing_is_written(
    tmp_path: Path, base: Any, error: type[Exception], message: str
) -> None:
    target = tmp_path / "page.html"
    with pytest.raises(error, match=message):
        rnk_events.export(rnk_events.load(), "html", target, timelinejs_base=base)
    assert list(tmp_path.iterdir()) == []


def test_page_rejects_unknown_options() -> None:
    with pytest.raises(TypeError):
        rnk_events.export(rnk_events.load(), "html", io.BytesIO(), theme="dark")


# --- the format's documentation page ---------------------------------------------------

DOC = Path(__file__).resolve().parent.parent / "docs" / "formats" / "timelinejs.md"


def _doc_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", DOC.read_text("utf-8"), re.MULTILINE | re.DOTALL)


def test_doc_python_snippets_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for snippet in _doc_blocks("python"):
        exec(compile(snippet, str(DOC), "exec"), {})  # the page's own example
    assert json.loads((tmp_path / "russia-north-korea.timeline.json").read_text("utf-8"))["scale"] == "human"
    offline = markup((tmp_path / "offline.html").read_text("utf-8"))
    assert ("script", "src", "timelinejs/dist/js/timeline.js") in offline.attributes
    online = markup((tmp_path / "russia-north-korea.html").read_text("utf-8"))
    assert ("script", "src", f"{html_format.CDN_BASE}/js/timeline.js") in online.attributes


def test_doc_example_slide_is_what_the_export_writes(bundled: dict[str, Any]) -> None:
    shown = json.loads(_doc_blocks("json")[0])
    assert shown == next(slide for slide in bundled["events"] if slide["unique_id"] == shown["unique_id"])


def test_doc_date_table_is_the_hand_worked_table() -> None:
    table = DOC.read_text("utf-8").split("### Dates: a point is a marker, an interval is a bar", 1)[1]
    body = table.split("\n\n| form |", 1)[1].split("\n\n", 1)[0]  # the table, up to the blank line after it
    rows = [line for line in body.splitlines()[2:] if line.startswith("| ")]
    shown = []
    for row in rows:
        _form, edtf, start, end, display = (cell.strip().strip("`") for cell in row.strip("|").split("|"))
        shown.append((edtf, json.loads(start), None if end == "none" else json.loads(end), display))
    assert shown == FORMS
