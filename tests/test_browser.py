"""The HTML page in headless Chromium: TimelineJS itself must accept and draw the data.

Pages are exported with ``timelinejs_base`` pointing at the npm package's dist
folder (``tests/js/node_modules``, installed by ``npm ci``) and opened from
file:// URLs, so nothing is fetched from the network. ``tests/js/render.mjs``
drives Chromium over the DevTools protocol, polls until the page reports that
it is done, and returns what was drawn, any dialog (an injected ``alert``),
uncaught exception or console error, and the final DOM.

Locally these tests skip when Chromium, Node or the npm packages are missing;
with RNK_EVENTS_REQUIRE_BROWSER=1 (as CI sets) they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Protocol

import pytest

import rnk_events
from rnk_events import DatasetInfo, EventCollection
from rnk_events.dates import DateSpan
from rnk_events.formats import timelinejs as timelinejs_format
from tests.conftest import ROOT, skip_or_fail
from tests.test_export_timelinejs import FORMS, HOSTILE_TITLES, dated, hostile_collection

JS = ROOT / "tests" / "js"
RENDER = JS / "render.mjs"
DIST = JS / "node_modules" / "@knight-lab" / "timelinejs" / "dist"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
REQUIRE = "RNK_EVENTS_REQUIRE_BROWSER"
KNIGHT_LAB = "https://timeline.knightlab.com"  # TimelineJS's attribution link
TIMEOUT_MS = 90_000  # generous: CI machines are slow and noisy; render.mjs returns as soon as the page is done

Report = dict[str, Any]


class Render(Protocol):
    def __call__(self, collection: EventCollection, timelinejs_base: str = ...) -> Report: ...


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        skip_or_fail(REQUIRE, "node is not installed")
    if not CHROMIUM.is_file():
        skip_or_fail(REQUIRE, f"Chromium not found at {CHROMIUM}")
    if not (DIST / "js" / "timeline.js").is_file():
        skip_or_fail(REQUIRE, f"TimelineJS not installed at {DIST} (run `npm ci` in tests/js)")
    assert found is not None
    return found


def run_render(node: str, url: str, profile: Path, *extra: str) -> Report:
    command = [node, str(RENDER), url, "--user-data-dir", str(profile), "--chromium", str(CHROMIUM)]
    command += ["--timeout", str(TIMEOUT_MS), *extra]
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_MS / 1000 + 60, check=False)
    assert result.returncode == 0, f"render.mjs failed:\n{result.stderr}"
    report: Report = json.loads(result.stdout)
    return report


@pytest.fixture
def render(node: str, tmp_path: Path) -> Render:
    """Export a collection as a page using the local TimelineJS and render it."""

    def run(collection: EventCollection, timelinejs_base: str = DIST.as_uri()) -> Report:
        page = tmp_path / "page.html"
        rnk_events.export(collection, "html", page, timelinejs_base=timelinejs_base)
        return run_render(node, page.as_uri(), tmp_path / "profile")

    return run


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def elements(dom: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(dom)
    parser.close()
    return parser.elements


def assert_clean(report: Report) -> None:
    """No dialog, exception or console error, and TimelineJS shows no error message."""
    assert not report["timed_out"], "the page never reported that it was done"
    assert report["dialogs"] == []
    assert report["exceptions"] == []
    assert report["console_errors"] == []
    assert not report["message_visible"], report["message_text"]
    assert "error" not in (report["message_text"] or "").lower()


def markers_by_id(report: Report) -> dict[str, dict[str, Any]]:
    """TimelineJS's markers by slide id (it gives each the id ``<unique_id>-marker``)."""
    found = {marker["id"].removesuffix("-marker"): marker for marker in report["marker_details"]}
    assert len(found) == len(report["marker_details"]), "two markers share an id"
    return found


def assert_point(marker: dict[str, Any]) -> None:
    """A marker at a moment: TimelineJS gave it no end, so nothing of a bar is drawn."""
    assert not marker["with_end"], marker
    assert marker["style_width"] == "", marker  # TimeMarker.setWidth sets a width only from an end date
    assert marker["offset_width"] == 0, marker
    assert not marker["timespan_shown"], marker
    assert not marker["line_right_shown"], marker


def assert_bar(marker: dict[str, Any]) -> None:
    """A bar: TimelineJS's with-end marker, as wide as the time from start to end."""
    assert marker["with_end"], marker
    assert marker["style_width"].endswith("px"), marker
    assert marker["timespan_shown"], marker
    assert marker["line_right_shown"], marker


def assert_drawn_as_exported(report: Report, collection: EventCollection) -> None:
    """One marker per event; a bar exactly where the JSON has an end_date; the words of display()."""
    slides = {slide["unique_id"]: slide for slide in timelinejs_format.to_timeline(collection)["events"]}
    markers = markers_by_id(report)
    assert set(markers) == set(slides) == {event.id for event in collection}
    for event in collection:
        marker, slide = markers[event.id], slides[event.id]
        if "end_date" in slide:
            assert event.date.is_range, event.id
            assert_bar(marker)
        else:
            assert_point(marker)
        # The marker's accessible label is "<headline>, <display_date>, ...": TimelineJS took our words.
        assert f", {event.date.display()}, " in marker["date_label"], event.id
    assert report["markers_with_end"] == sum("end_date" in slide for slide in slides.values())


def test_bundled_dataset_draws_one_marker_per_event(render: Render) -> None:
    collection = rnk_events.load()
    report = render(collection)
    assert_clean(report)
    assert report["state"] == "loaded"
    assert report["markers"] == len(collection) == 30
    assert sorted(report["marker_headlines"]) == sorted(event.title for event in collection)
    assert report["slide_headlines"][0] == collection.info.title
    assert sorted(report["slide_headlines"][1:]) == sorted(event.title for event in collection)
    assert report["title"] == collection.info.title
    assert_drawn_as_exported(report, collection)
    intervals = [event for event in collection if event.date.is_range]
    assert report["markers_with_end"] == len(intervals) == 5
    markers = markers_by_id(report)
    sets = [event for event in collection if event.date.is_set]
    assert len(sets) == 3
    for event in sets:  # "one day between June 10 and 16, 2024" is one marker, never a week-long bar
        assert_point(markers[event.id])
    assert report["slide_dates"][0] == ""  # the title slide
    assert sorted(report["slide_dates"][1:]) == sorted(event.date.display() for event in collection)
    hrefs = {attrs.get("href") for tag, attrs in elements(report["html"]) if tag == "a"}
    assert hrefs == {KNIGHT_LAB, collection.info.source("moscow-times-afp").url}


def test_every_form_draws_as_the_table_says(render: Render) -> None:
    """The hand-worked table of test_export_timelinejs, drawn: points are markers, intervals bars."""
    collection = dated(*(edtf for edtf, *_ in FORMS), "2024-06")
    report = render(collection)
    assert_clean(report)
    assert report["state"] == "loaded"
    assert report["markers"] == len(collection)
    assert_drawn_as_exported(report, collection)
    markers = markers_by_id(report)
    for number, (edtf, _start, end, _display) in enumerate(FORMS):
        (assert_point if end is None else assert_bar)(markers[f"e{number}"])
        assert DateSpan.parse(edtf).is_range or end is None, edtf
    assert sorted(report["slide_dates"][1:]) == sorted(event.date.display() for event in collection)
    # TimelineJS places a marker by its parts alone: the week's one day sits where "June 2024" does,
    # and "May 16 or 17" where "c. May 2024" does, not at a day the sources never gave.
    position = {DateSpan.parse(edtf): markers[f"e{number}"]["style_left"] for number, (edtf, *_) in enumerate(FORMS)}
    june = markers[f"e{len(FORMS)}"]["style_left"]
    assert position[DateSpan.parse("[2024-06-10..2024-06-16]")] == june
    assert position[DateSpan.parse("[2024-05-16,2024-05-17]")] == position[DateSpan.parse("2024-05~")]
    assert position[DateSpan.parse("[2024-05-16,2024-05-17]")] != position[DateSpan.parse("2024-05-16/2024-05-17")]


def test_hostile_text_shows_as_text_and_injects_nothing(render: Render) -> None:
    collection = hostile_collection()
    report = render(collection)
    assert_clean(report)
    assert report["markers"] == len(collection) == 3
    for title in HOSTILE_TITLES:  # shown literally: escaped exactly once on the way in
        assert title in report["slide_headlines"]
        assert title in report["marker_headlines"]
    assert report["title"] == collection.info.title
    assert report["slide_headlines"][0] == collection.info.title
    assert [(script["id"], script["type"]) for script in report["scripts"]] == [
        ("timeline-data", "application/json"),
        ("timeline-options", "application/json"),
        ("", ""),
        ("", ""),
    ]
    assert report["scripts"][2]["src"] == f"{DIST.as_uri()}/js/timeline.js"
    found = elements(report["html"])
    assert [tag for tag, _ in found if tag in {"img", "iframe", "object", "embed", "b"}] == []
    assert [(tag, name) for tag, attrs in found for name in attrs if name.startswith("on")] == []
    # TimelineJS's own sanitiser (DOMPurify) drops an href holding "</script>"; it must never be rewritten.
    hrefs = {attrs["href"] for tag, attrs in found if tag == "a" and "href" in attrs}
    assert hrefs <= {KNIGHT_LAB, 'https://example.test/"><script>alert(1)</script>'}


def test_empty_collection_shows_a_notice_not_an_error(render: Render) -> None:
    report = render(EventCollection([], DatasetInfo(title="Nothing yet")))
    assert_clean(report)
    assert report["state"] == "timeline-empty"
    assert report["markers"] == 0
    notices = {notice["id"]: notice for notice in report["notices"]}
    assert notices["timeline-empty"]["visible"]
    assert "no events to show" in notices["timeline-empty"]["text"]
    assert not notices["timeline-unavailable"]["visible"]


def test_missing_timelinejs_shows_a_notice(render: Render, tmp_path: Path) -> None:
    report = render(rnk_events.load(), (tmp_path / "no-such-dist").as_uri())
    assert report["state"] == "timeline-unavailable"
    assert report["dialogs"] == []
    assert report["markers"] == 0
    notices = {notice["id"]: notice for notice in report["notices"]}
    assert notices["timeline-unavailable"]["visible"]
    assert not notices["timeline-empty"]["visible"]
