"""The TimelineJS3 JSON export: date parts, ids, groups, slide text, escaping, and its docs page.

The JSON is read back with Python's json module and its HTML fields with
html.parser (not with anything from rnk_events); the browser test
(test_browser.py) has TimelineJS itself draw it, and test_page_timelinejs.py
checks the HTML page that embeds it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import DatasetInfo, DateSpan, Event, EventCollection, Precision, SourceRef
from rnk_events.dates import End, PartialDate, Qualifier
from rnk_events.formats import html as html_format
from rnk_events.formats import timelinejs as timelinejs_format
from tests.edtf_strategies import edtf_dates
from tests.strategies import days, events
from tests.timelinejs_helpers import AS_OF, FORMS, dated, exported, hostile_collection, markup

DIST_TAGS = {"p", "strong", "ul", "li", "a"}  # the only markup the exporter itself writes in text


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return exported(rnk_events.load(), tmp_path_factory.mktemp("timelinejs"))


# --- dates -----------------------------------------------------------------------


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
