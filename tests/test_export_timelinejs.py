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
from rnk_events.formats import html as html_format
from rnk_events.formats import timelinejs as timelinejs_format
from tests.strategies import events, spans, texts

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

EXPECTED_KEYS = {Precision.YEAR: {"year"}, Precision.MONTH: {"year", "month"}, Precision.DAY: {"year", "month", "day"}}


def test_every_bundled_event_has_exactly_the_date_parts_its_precision_supports(bundled: dict[str, Any]) -> None:
    collection = rnk_events.load()
    assert len(bundled["events"]) == len(collection) == 30
    for event, slide in zip(collection, bundled["events"], strict=True):
        span = event.date
        assert set(slide["start_date"]) == EXPECTED_KEYS[span.start.precision], event.id
        for parts in (slide["start_date"], slide.get("end_date", {})):
            assert all(type(value) is int for value in parts.values()), event.id
        if span.end is None or span.end == span.start:
            assert "end_date" not in slide, event.id
        else:
            assert set(slide["end_date"]) == EXPECTED_KEYS[span.end.precision], event.id
            assert slide["end_date"] != slide["start_date"], event.id
        assert slide["display_date"] == span.display()


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
            {"year": 2024, "month": 6},
            "September 2023 - June 2024",
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


def _first_day(parts: dict[str, int]) -> dt.date:
    return dt.date(parts["year"], parts.get("month", 1), parts.get("day", 1))


def _last_day(parts: dict[str, int]) -> dt.date:
    year, month = parts["year"], parts.get("month", 12)
    return dt.date(year, month, parts.get("day", calendar.monthrange(year, month)[1]))


@given(spans())
def test_date_parts_reconstruct_the_span(span: DateSpan) -> None:
    event = Event(
        id="e", date=span, title="t", summary="s", category="summit", status="happened", actors=("RUS",),
        sources=(SourceRef("s", "e"),),
    )  # fmt: skip
    slide = json.loads(timelinejs_format.dumps(EventCollection([event])))["events"][0]
    start, end = slide["start_date"], slide.get("end_date")
    assert set(start) == EXPECTED_KEYS[span.start.precision]
    assert _first_day(start) == span.first_day
    assert _last_day(end or start) == span.last_day
    assert (end is None) == (span.end is None or span.end == span.start)
    if end is not None:
        assert span.end is not None
        assert set(end) == EXPECTED_KEYS[span.end.precision]
        assert end != start


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


def test_page_loads_timelinejs_from_the_cdn_by_default(tmp_path: Path) -> None:
    page = page_text(rnk_events.load(), tmp_path)
    parsed = markup(page)
    assert ("link", "href", "https://cdn.knightlab.com/libs/timeline3/latest/css/timeline.css") in parsed.attributes
    assert ("script", "src", "https://cdn.knightlab.com/libs/timeline3/latest/js/timeline.js") in parsed.attributes
    options = json.loads(_script_blocks(page)["timeline-options"])
    assert options["script_path"] == "https://cdn.knightlab.com/libs/timeline3/latest/js/"


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
    assert markup(page).tags.count("script") == 4


def test_hostile_text_cannot_end_the_data_block_or_make_markup(tmp_path: Path) -> None:
    collection = hostile_collection()
    base = f'dist" onload="alert(1)" {SCRIPT_BREAKER}'
    page = page_text(collection, tmp_path, timelinejs_base=base)
    blocks = _script_blocks(page)
    assert list(blocks) == ["timeline-data", "timeline-options", f"{base}/js/timeline.js", "inline-3"]
    assert json.loads(blocks["timeline-options"])["script_path"] == f"{base}/js/"
    assert json.loads(blocks["timeline-data"]) == exported(collection, tmp_path)
    assert page.lower().count("</script") == 4  # one per script element the page itself writes
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


def test_doc_date_table_is_what_the_export_writes() -> None:
    table = DOC.read_text("utf-8").split("### Dates keep their precision", 1)[1]
    rows = [line for line in table.splitlines() if line.startswith("| `")][1:]  # after the header
    assert len(rows) == 5
    for row in rows:
        edtf, start, end, display = (cell.strip().strip("`") for cell in row.strip("|").split("|"))
        event = Event(
            id="e", date=edtf, title="t", summary="s", category="summit", status="happened", actors=("RUS",),
            sources=(SourceRef("s", "e"),),
        )  # fmt: skip
        slide = timelinejs_format.to_timeline(EventCollection([event]))["events"][0]
        assert slide["start_date"] == json.loads(start), row
        assert slide.get("end_date") == (None if end == "none" else json.loads(end)), row
        assert slide["display_date"] == display, row
