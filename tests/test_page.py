"""The HTML page without a browser: the event list, its dates, the JSON-LD, and the pinned TimelineJS.

The page is read back with html.parser and json (not with anything from
rnk_events); hashes are recomputed with hashlib from the files of the npm
package in tests/js and from the copy that ships in the package. What a
browser makes of it is tests/test_browser.py's part.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import importlib.resources
import json
import os
import re
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

import rnk_events
from rnk_events import DateSpan, EventCollection
from rnk_events.formats import html as html_format
from tests.conftest import ROOT, skip_or_fail
from tests.edtf_strategies import edtf_dates
from tests.timelinejs_helpers import HOSTILE_TITLES, SCRIPT_BREAKER, dated, hostile_collection

JS = ROOT / "tests" / "js"
NPM_PACKAGE = JS / "node_modules" / "@knight-lab" / "timelinejs"
REQUIRE = "RNK_EVENTS_REQUIRE_BROWSER"  # CI installs the npm packages, so their checks may not skip there
VENDORED = importlib.resources.files("rnk_events").joinpath("vendor/timelinejs")


class Page(HTMLParser):
    """The page as a tokenizer sees it: each element with its attributes, the text inside each ``<li>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.items: dict[str, list[str]] = {}  # event id -> its text
        self.times: list[dict[str, str | None]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._item: str | None = None
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        self.elements.append((tag, named))
        if tag == "li" and named.get("class") == "rnk-event":
            self._item = named["id"]
            self.items[str(self._item)] = []
        if tag == "time" and self._item is not None and "data-edtf" in named:  # the event's date, not "Updated"
            self.times.append({**named, "event": self._item})
        if tag == "script":
            self._script = named
            self.scripts.append((named, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        if tag == "ol":
            self._item = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif self._item is not None:
            self.items[self._item].append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def jsonld(parsed: Page) -> dict[str, Any]:
    [text] = [text for attrs, text in parsed.scripts if attrs.get("type") == "application/ld+json"]
    document: dict[str, Any] = json.loads(text)
    return document


def page_of(collection: EventCollection, **options: Any) -> str:
    return html_format.page(collection, **options)


# --- the list -------------------------------------------------------------------------------------


def test_every_event_is_an_anchored_list_item_oldest_first() -> None:
    collection = rnk_events.load()
    parsed = parse(page_of(collection))
    assert list(parsed.items) == list(collection.ids)  # the <ol>'s order is the collection's: oldest first
    ordered = [tag for tag, _ in parsed.elements if tag in {"ol", "ul"}]
    assert ordered[0] == "ol"
    ids = [attrs["id"] for tag, attrs in parsed.elements if attrs.get("id")]
    assert len(ids) == len(set(ids))  # every id, events' and the page's own, once
    for event in collection:
        text = "".join(parsed.items[event.id])
        for piece in (event.title, event.summary, event.date.display(), f"Status: {event.status.value}"):
            assert piece in text, (event.id, piece)
        for ref in event.sources:
            assert ref.evidence in text
            assert collection.info.source(ref.source).publisher in text
        anchors = [attrs["href"] for tag, attrs in parsed.elements if tag == "a"]
        assert f"#{event.id}" in anchors
    links = {attrs["href"] for tag, attrs in parsed.elements if tag == "a"}
    assert {source.url for source in collection.info.sources if source.url} <= links


def _html_date_or_month(value: str) -> bool:
    """HTML's valid date string or valid month string (the spec's grammar, checked with datetime)."""
    for pattern in ("%Y-%m-%d", "%Y-%m"):
        try:
            parsed = dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
        return parsed.year >= 1 and len(value.split("-")[0]) == 4
    return False


def test_time_elements_carry_the_edtf_and_a_datetime_only_where_html_has_one() -> None:
    collection = rnk_events.load()
    parsed = parse(page_of(collection))
    assert len(parsed.times) == len(collection)
    for time, event in zip(parsed.times, collection, strict=True):
        assert time["event"] == event.id
        assert time["data-edtf"] == str(event.date)
        assert DateSpan.parse(str(time["data-edtf"])) == event.date
        assert time["data-kind"] == event.date.kind
        if "datetime" in time:
            assert time["datetime"] == str(event.date)  # the same date, never a guessed day
            assert _html_date_or_month(str(time["datetime"]))
        else:
            assert event.date.kind != "date" or not _html_date_or_month(str(event.date))
    with_datetime = {time["data-edtf"] for time in parsed.times if "datetime" in time}
    assert {"2019-04-25", "2000-07"} <= with_datetime
    assert not with_datetime & {"2000", "[2024-06-10..2024-06-16]", "2024-05-16/2024-05-17"}


@pytest.mark.parametrize(
    ("edtf", "datetime"),
    [
        ("2019-04-25", "2019-04-25"), ("2000-07", "2000-07"), ("2000", None), ("2024-05~", None),
        ("2024-05-XX", None), ("2024-21", None), ("195X", None), ("[2024-05-16,2024-05-17]", None),
        ("2024-05-16/2024-05-17", None), ("2023-09/..", None),
    ],
)  # fmt: skip
def test_datetime_attribute_per_form(edtf: str, datetime: str | None) -> None:
    [time] = parse(page_of(dated(edtf))).times
    assert time.get("datetime") == datetime
    assert time["data-edtf"] == edtf


def test_the_no_javascript_notice_and_the_failure_notices_are_in_the_markup() -> None:
    parsed = parse(page_of(rnk_events.load()))
    notices = {attrs["id"]: attrs for tag, attrs in parsed.elements if attrs.get("class") == "rnk-notice"}
    assert list(notices) == ["timeline-nojs", "timeline-empty", "timeline-unavailable", "timeline-failed"]
    assert "hidden" not in notices["timeline-nojs"]  # shown unless a script runs
    assert all("hidden" in notices[name] for name in list(notices)[1:])
    embed = next(attrs for tag, attrs in parsed.elements if attrs.get("id") == "timeline-embed")
    assert "hidden" in embed  # no empty frame without JavaScript


# --- structured data --------------------------------------------------------------------------------


def _unit(iso: str) -> tuple[dt.date, dt.date]:
    """The first and last day of an ISO 8601 calendar date, month or year."""
    parts = [int(part) for part in iso.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def _assert_honest(iso: str | None, first: dt.date, last: dt.date) -> None:
    """The ISO date names the smallest day, month or year holding first..last; none where no year does."""
    if first.year != last.year:
        assert iso is None
        return
    assert iso is not None
    assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", iso)
    unit_first, unit_last = _unit(iso)
    assert unit_first <= first <= last <= unit_last
    finer = (first.year, first.month, first.day)[: iso.count("-") + 2]
    assert iso.count("-") == 2 or finer != (last.year, last.month, last.day)[: iso.count("-") + 2]


def _check_event_dates(node: dict[str, Any], span: DateSpan) -> None:
    assert node["dcterms:date"] == {"@type": "edtf:EDTF", "@value": str(span)}
    if not span.is_range:
        assert "endDate" not in node
        _assert_honest(node.get("startDate"), span.padded_first_day, span.padded_last_day)
        return
    for key, part in (("startDate", span.start), ("endDate", span.end)):
        if isinstance(part, rnk_events.PartialDate):
            _assert_honest(node.get(key), part.padded_first_day, part.padded_last_day)
        else:
            assert key not in node  # an open or unknown end has no date


def test_jsonld_is_an_item_list_of_the_events_in_order() -> None:
    collection = rnk_events.load()
    document = jsonld(parse(page_of(collection)))
    assert document["@context"][0] == "https://schema.org"
    assert document["@type"] == "ItemList"
    assert document["name"] == collection.info.title
    assert document["numberOfItems"] == len(collection)
    assert document["itemListOrder"] == "https://schema.org/ItemListOrderAscending"
    elements = document["itemListElement"]
    assert [element["position"] for element in elements] == list(range(1, len(collection) + 1))
    for element, event in zip(elements, collection, strict=True):
        node = element["item"]
        assert node["@type"] == "Event"
        assert node["@id"] == f"#{event.id}" == node["url"]
        assert (node["name"], node["description"], node["identifier"]) == (event.title, event.summary, event.id)
        assert node["keywords"] == event.category.value
        assert [actor["identifier"] for actor in node["about"]] == list(event.actors)
        assert [article["identifier"] for article in node["subjectOf"]] == [ref.source for ref in event.sources]
        assert ("eventStatus" in node) == (event.status.value == "planned")
        _check_event_dates(node, event.date)
    by_id = {element["item"]["identifier"]: element["item"] for element in elements}
    week = by_id["2024-06-10-kim-calls-russia-ties-unbreakable"]  # one day between June 10 and 16
    assert (week["startDate"], "endDate" in week) == ("2024-06", False)
    visit = by_id["2024-06-18-putin-state-visit-to-north-korea"]
    assert (visit["startDate"], visit["endDate"]) == ("2024-06-18", "2024-06-19")


@pytest.mark.parametrize(
    ("edtf", "start", "end"),
    [
        ("2024-05~", "2024", None),  # c. May 2024 may be April to June: only the year is certain
        ("2024-05-10%", "2024-05", None),
        ("2024?", None, None),  # perhaps 2024: 2023 to 2025, no year holds it
        ("195X", None, None),
        ("2024-24", None, None),  # winter 2024 runs into 2025
        ("[2023-12-30,2024-01-02]", None, None),
        ("2023-09/..", "2023-09", None),
        ("../2024-06", None, "2024-06"),
        ("2023-09/", "2023-09", None),
    ],
)
def test_jsonld_dates_claim_no_more_than_the_edtf(edtf: str, start: str | None, end: str | None) -> None:
    node = jsonld(parse(page_of(dated(edtf))))["itemListElement"][0]["item"]
    assert (node.get("startDate"), node.get("endDate")) == (start, end)
    assert node["dcterms:date"]["@value"] == edtf


@given(edtf_dates())
def test_jsonld_dates_are_honest_for_every_form(span: DateSpan) -> None:
    node = jsonld(parse(page_of(dated(span))))["itemListElement"][0]["item"]
    _check_event_dates(node, span)


def test_jsonld_ids_are_absolute_with_the_page_url() -> None:
    document = jsonld(parse(page_of(rnk_events.load(), page_url="https://example.org/rnk/index.html")))
    first = document["itemListElement"][0]["item"]
    assert first["@id"] == "https://example.org/rnk/index.html#2000-putin-becomes-president"


# --- hostile text ------------------------------------------------------------------------------------


def test_hostile_text_stays_inert_in_the_list_and_the_jsonld() -> None:
    collection = hostile_collection()
    page = page_of(collection, timelinejs_base=f'dist" onload="alert(1)" {SCRIPT_BREAKER}')
    parsed = parse(page)
    tags = [tag for tag, _ in parsed.elements]
    assert "img" not in tags
    assert "b" not in tags
    assert tags.count("script") == 6  # the page's own, no more
    assert not [name for _, attrs in parsed.elements for name in attrs if name.startswith("on")]
    for event in collection:  # shown as the literal text
        text = "".join(parsed.items[event.id])
        assert event.title in text
        assert event.summary in text
    assert set(HOSTILE_TITLES) <= {event.title for event in collection}
    document = jsonld(parsed)
    assert [element["item"]["name"] for element in document["itemListElement"]] == [e.title for e in collection]
    assert document["name"] == collection.info.title
    [raw] = [text for attrs, text in parsed.scripts if attrs.get("type") == "application/ld+json"]
    assert not set(raw) & {"<", ">", "&", "\u2028", "\u2029"}
    hrefs = [str(attrs.get("href")) for tag, attrs in parsed.elements if tag == "a"]
    assert 'https://example.test/"><script>alert(1)</script>' in hrefs  # an attribute value, never markup


# --- the pinned TimelineJS -----------------------------------------------------------------------------


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def test_integrity_hashes_are_the_vendored_files() -> None:
    for path in html_format.TIMELINEJS_FILES:
        assert sri(VENDORED.joinpath(path).read_bytes()) == html_format.INTEGRITY[path], path
    assert set(html_format.INTEGRITY) == set(html_format.TIMELINEJS_FILES)


@pytest.fixture(scope="module")
def npm_package() -> Path:
    if not (NPM_PACKAGE / "package.json").is_file():
        skip_or_fail(REQUIRE, f"@knight-lab/timelinejs is not installed in {JS} (run `npm ci` there)")
    return NPM_PACKAGE


def test_the_npm_package_is_pinned_to_the_version_the_page_loads(npm_package: Path) -> None:
    version = html_format.TIMELINEJS_VERSION
    assert json.loads((JS / "package.json").read_text("utf-8"))["dependencies"]["@knight-lab/timelinejs"] == version
    lock = json.loads((JS / "package-lock.json").read_text("utf-8"))
    assert lock["packages"]["node_modules/@knight-lab/timelinejs"]["version"] == version
    installed = json.loads((npm_package / "package.json").read_text("utf-8"))
    assert (installed["version"], installed["license"]) == (version, "MPL-2.0")
    assert f"https://cdn.knightlab.com/libs/timeline3/{version}" == html_format.CDN_BASE


def test_integrity_hashes_are_the_npm_packages_files(npm_package: Path) -> None:
    for path in html_format.TIMELINEJS_FILES:
        assert sri((npm_package / "dist" / path).read_bytes()) == html_format.INTEGRITY[path], path


def _vendored_files(folder: Any = VENDORED, prefix: str = "") -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for entry in folder.iterdir():
        if entry.is_dir():
            found.update(_vendored_files(entry, f"{prefix}{entry.name}/"))
        else:
            found[f"{prefix}{entry.name}"] = entry.read_bytes()
    return found


def test_the_vendored_files_are_the_npm_packages_bytes(npm_package: Path) -> None:
    shipped = {path: data for path, data in _vendored_files().items() if path.startswith(("js/", "css/"))}
    assert set(html_format.TIMELINEJS_FILES) <= set(shipped)
    for path, data in shipped.items():
        assert data == (npm_package / "dist" / path).read_bytes(), path
    licence = (npm_package / "LICENSE").read_bytes()
    assert _vendored_files()["LICENSE-TimelineJS.txt"] == licence


def test_the_vendored_copy_ships_its_licences_and_says_what_it_is() -> None:
    files = _vendored_files()
    assert b"Mozilla Public License" in files["LICENSE-TimelineJS.txt"]
    assert b"Apache License" in files["LICENSE-DOMPurify.txt"]
    assert b"W3C Software and Document" in files["LICENSE-wicg-inert.txt"]
    assert b"DOMPurify" in files["js/timeline.js.LICENSE.txt"]
    readme = files["README.txt"].decode("utf-8")
    assert f"TimelineJS {html_format.TIMELINEJS_VERSION}, vendored unmodified" in readme
    assert f"timelinejs-{html_format.TIMELINEJS_VERSION}.tgz" in readme  # where the source code is
    for name in files:
        if name.startswith(("js/", "css/")):
            assert name.split("/")[-1].split(".")[0] in readme, name


@pytest.mark.skipif(not os.environ.get("RNK_EVENTS_CHECK_CDN"), reason="set RNK_EVENTS_CHECK_CDN=1 to fetch the CDN")
def test_the_cdn_serves_the_pinned_files() -> None:  # pragma: no cover - needs the network
    """By hand, with the network: Knight Lab's CDN holds exactly the bytes the hashes pin."""
    for path in html_format.TIMELINEJS_FILES:
        with urllib.request.urlopen(f"{html_format.CDN_BASE}/{path}", timeout=30) as response:
            assert sri(response.read()) == html_format.INTEGRITY[path], path


def test_a_revised_event_says_when_it_was_updated_in_the_list() -> None:
    events = rnk_events.load()
    page = html_format.page(events)
    revised = [event for event in events if event.revised is not None]
    assert revised, "the bundled edition has corrected events"
    for event in revised:
        assert event.revised is not None
        item = page.split(f'id="{event.id}"', 1)[1].split("</li>", 1)[0]
        assert f'<strong>Updated</strong> <time datetime="{event.revised.isoformat()}">' in item
    unrevised = next(event for event in events if event.revised is None)
    assert "rnk-updated" not in page.split(f'id="{unrevised.id}"', 1)[1].split("</li>", 1)[0]
