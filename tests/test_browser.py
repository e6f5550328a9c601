"""The HTML page and the published site in headless Chromium, with the network off.

Every page this module checks is built first, then rendered in **one**
Chromium launch (``tests/js/render.mjs --jobs``), so the module costs one
browser start, not one per test. Nothing leaves the machine: render.mjs fails
every request that is not ``file:``, ``data:`` or to 127.0.0.1 as if offline
(and lists it), and Chromium resolves no host name. Where a test needs
Knight Lab's CDN, render.mjs answers for it from the npm package's files, as
the CDN would (with CORS headers), so the ``integrity`` hashes are checked by
Chromium itself.

Each report holds what TimelineJS drew (markers and their shape, headlines),
the page's own state (``<html data-timeline>``, its notices, the visible text
of the list), every dialog (an injected ``alert``), uncaught exception,
console error and blocked request, the JSON-LD as the page parsed it, and
axe-core's violations where asked.

Locally these tests skip when Chromium, Node or the npm packages are missing;
with RNK_EVENTS_REQUIRE_BROWSER=1 (as CI sets) they fail instead.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest

import rnk_events
from rnk_events import DatasetInfo, EventCollection
from rnk_events.dates import DateSpan
from rnk_events.formats import html as html_format
from rnk_events.formats import timelinejs as timelinejs_format
from rnk_events.publishing import publish
from rnk_events.publishing.serve import make_server
from tests.conftest import ROOT, skip_or_fail
from tests.timelinejs_helpers import FORMS, HOSTILE_TITLES, dated, hostile_collection

JS = ROOT / "tests" / "js"
RENDER = JS / "render.mjs"
DIST = JS / "node_modules" / "@knight-lab" / "timelinejs" / "dist"
AXE = JS / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
REQUIRE = "RNK_EVENTS_REQUIRE_BROWSER"
KNIGHT_LAB = "https://timeline.knightlab.com"  # TimelineJS's attribution link
TIMEOUT_MS = 90_000  # per page, generous: CI machines are slow and noisy; a page returns as soon as it is done
STAMP = dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)
ANCHOR = "2019-04-25-first-putin-kim-jong-un-summit-vladivostok"

#: Where the page ends up: TimelineJS drew it, or it shows the list with the notice of that id.
DONE_STATES = {"loaded", "timeline-empty", "timeline-unavailable", "timeline-failed"}
#: What axe-core may not find on any page.
BLOCKING_IMPACTS = {"serious", "critical"}

Report = dict[str, Any]


@attrs.frozen
class Page:
    """One page to render: its events, and how render.mjs opens it."""

    events: EventCollection
    url: str
    options: dict[str, Any] = attrs.field(factory=dict)


def _export(collection: EventCollection, folder: Path, name: str, base: str | None) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.html"
    options = {} if base is None else {"timelinejs_base": base}
    rnk_events.export(collection, "html", path, **options)
    return path.as_uri()


def _throwing_dist(folder: Path) -> Path:
    """A copy of TimelineJS's layout whose constructor throws, as a broken or incompatible release would."""
    (folder / "js").mkdir(parents=True)
    (folder / "css").mkdir()
    (folder / "css" / "timeline.css").write_text("/* empty */\n", "utf-8")
    (folder / "js" / "timeline.js").write_text(
        'var TL = {Timeline: function () { throw new Error("this TimelineJS cannot start"); }};\n', "utf-8"
    )
    return folder


def _cdn(tamper: bool = False) -> dict[str, Any]:
    return {"prefix": f"{html_format.CDN_BASE}/", "dir": str(DIST), "tamper": tamper}


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        skip_or_fail(REQUIRE, "node is not installed")
    if not CHROMIUM.is_file():
        skip_or_fail(REQUIRE, f"Chromium not found at {CHROMIUM}")
    if not (DIST / "js" / "timeline.js").is_file() or not AXE.is_file():
        skip_or_fail(
            REQUIRE, f"TimelineJS or axe-core not installed in {JS / 'node_modules'} (run `npm ci` in tests/js)"
        )
    assert found is not None
    return found


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A published site, and the address ``rnk-events serve``'s server gives it on localhost."""
    site = tmp_path_factory.mktemp("served") / "site"
    publish(rnk_events.load(), site, stamp=STAMP)
    server = make_server(site, port=0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site, f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def build_pages(folder: Path, served: str) -> dict[str, Page]:
    """Every page the module checks, by name."""
    bundled = rnk_events.load()
    local = DIST.as_uri()
    pages = {
        "bundled": Page(bundled, _export(bundled, folder, "bundled", local), {"axe": True, "print": True}),
        "forms": Page(dated(*(edtf for edtf, *_ in FORMS), "2024-06"), ""),
        "hostile": Page(hostile_collection(), "", {"axe": True}),
        "empty": Page(EventCollection([], DatasetInfo(title="Nothing yet")), ""),
        "missing": Page(bundled, _export(bundled, folder, "missing", (folder / "no-such-dist").as_uri())),
        "without-javascript": Page(bundled, "", {"javascript": False, "axe": True, "print": True}),
        "throws": Page(bundled, _export(bundled, folder, "throws", _throwing_dist(folder / "broken").as_uri())),
        "anchor": Page(bundled, _export(bundled, folder, "anchor", local) + f"#{ANCHOR}"),
    }
    for name in ("forms", "hostile", "empty"):
        pages[name] = attrs.evolve(pages[name], url=_export(pages[name].events, folder, name, local))
    pages["without-javascript"] = attrs.evolve(pages["without-javascript"], url=_export(bundled, folder, "nojs", None))
    # Each kind of base, the network off. The relative ones are the docs' and `export --help`'s examples.
    (folder / "timeline3").symlink_to(DIST, target_is_directory=True)
    (folder / "timelinejs").mkdir()
    (folder / "timelinejs" / "dist").symlink_to(DIST, target_is_directory=True)
    bases: dict[str, tuple[str | None, dict[str, Any]]] = {
        "base-cdn-offline": (None, {"axe": True}),
        "base-cdn-pinned-files": (None, {"cdn": _cdn()}),
        "base-cdn-changed-files": (None, {"cdn": _cdn(tamper=True)}),
        "base-relative-dot": ("./timeline3", {}),
        "base-relative": ("timelinejs/dist", {}),
        "base-absolute-path": (str(DIST), {}),
        "base-file-url": (local, {}),
        "base-https-unreachable": ("https://tl.example.invalid/timeline3", {}),
    }
    for name, (base, options) in bases.items():
        pages[name] = Page(bundled, _export(bundled, folder, name, base), options)
    site = folder / "site"
    publish(bundled, site, stamp=STAMP)
    pages["published-file"] = Page(bundled, (site / "index.html").as_uri(), {"axe": True, "print": True})
    pages["published-http"] = Page(bundled, f"{served}index.html", {"axe": True})
    return pages


@pytest.fixture(scope="module")
def rendered(
    node: str, tmp_path_factory: pytest.TempPathFactory, served_site: tuple[Path, str]
) -> tuple[dict[str, Page], dict[str, Report]]:
    """Every page built and rendered in one Chromium launch."""
    folder = tmp_path_factory.mktemp("pages")
    pages = build_pages(folder, served_site[1])
    jobs = [{"name": name, "url": page.url, **page.options} for name, page in pages.items()]
    (folder / "jobs.json").write_text(json.dumps(jobs), "utf-8")
    command = [node, str(RENDER), "--jobs", str(folder / "jobs.json"), "--user-data-dir", str(folder / "profile")]
    command += ["--chromium", str(CHROMIUM), "--timeout", str(TIMEOUT_MS)]
    timeout = TIMEOUT_MS / 1000 * len(jobs) + 60
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, f"render.mjs failed:\n{result.stderr}"
    reports: dict[str, Report] = json.loads(result.stdout)
    assert set(reports) == set(pages)
    return pages, reports


@pytest.fixture
def reports(rendered: tuple[dict[str, Page], dict[str, Report]]) -> dict[str, Report]:
    return rendered[1]


@pytest.fixture
def pages(rendered: tuple[dict[str, Page], dict[str, Report]]) -> dict[str, Page]:
    return rendered[0]


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


def visible_notices(report: Report) -> list[str]:
    return [notice["id"] for notice in report["notices"] if notice["visible"]]


def assert_timeline_or_list(report: Report, collection: EventCollection) -> None:
    """Never "Loading" forever, never an empty page: TimelineJS with one marker per event, or the whole list."""
    assert not report["timed_out"]
    assert report["dialogs"] == []
    if report["state"] == "loaded":
        assert report["ready"]
        assert report["markers"] == len(collection)
        assert report["embed_visible"]
        assert visible_notices(report) == []
    else:
        assert report["markers"] == 0
        assert not report["embed_visible"]
        assert visible_notices(report) == [report["state"] or "timeline-nojs"]
    items = report["list_items"]  # the list is there either way
    assert [item["id"] for item in items] == list(collection.ids)
    assert all(item["visible"] for item in items)
    for event in collection:
        assert event.title in report["visible_text"]


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
        assert f"{event.title}, {event.date.display()}, " in marker["date_label"], event.id
    assert report["markers_with_end"] == sum("end_date" in slide for slide in slides.values())


# --- TimelineJS draws the data -------------------------------------------------------------------


def test_bundled_dataset_draws_one_marker_per_event(reports: dict[str, Report]) -> None:
    collection = rnk_events.load()
    report = reports["bundled"]
    assert_clean(report)
    assert report["state"] == "loaded"
    assert_timeline_or_list(report, collection)
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
    timeline_links = {attrs.get("href") for tag, attrs in elements(report["html"]) if tag == "a"}
    assert KNIGHT_LAB in timeline_links
    assert collection.info.source("moscow-times-afp").url in timeline_links
    assert report["embed_height"] >= 400  # the frame fills the screen, not TimelineJS's 100% of nothing


def test_every_form_draws_as_the_table_says(reports: dict[str, Report]) -> None:
    """The hand-worked table (timelinejs_helpers.FORMS), drawn: points are markers, intervals bars."""
    collection = dated(*(edtf for edtf, *_ in FORMS), "2024-06")
    report = reports["forms"]
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


def test_hostile_text_shows_as_text_and_injects_nothing(reports: dict[str, Report]) -> None:
    collection = hostile_collection()
    report = reports["hostile"]
    assert_clean(report)
    assert_timeline_or_list(report, collection)
    assert report["markers"] == len(collection) == 3
    for title in HOSTILE_TITLES:  # shown literally, in TimelineJS and in the list: escaped exactly once
        assert title in report["slide_headlines"]
        assert title in report["marker_headlines"]
        assert title in [item["headline"] for item in report["list_items"]]
    assert report["title"] == collection.info.title
    assert report["slide_headlines"][0] == collection.info.title
    assert [(script["id"], script["type"]) for script in report["scripts"]] == [
        ("", ""),
        ("", "application/ld+json"),
        ("timeline-data", "application/json"),
        ("timeline-options", "application/json"),
        ("timelinejs-script", ""),
        ("", ""),
    ]
    assert report["scripts"][4]["src"] == f"{DIST.as_uri()}/js/timeline.js"
    found = elements(report["html"])
    assert [tag for tag, _ in found if tag in {"img", "iframe", "object", "embed", "b"}] == []
    assert [(tag, name) for tag, attrs in found for name in attrs if name.startswith("on")] == []
    # TimelineJS's own sanitiser (DOMPurify) drops an href holding "</script>"; the list keeps it as text.
    hrefs = {attrs["href"] for tag, attrs in found if tag == "a" and "href" in attrs}
    assert hrefs <= {
        KNIGHT_LAB,
        "https://timeline.knightlab.com/",
        'https://example.test/"><script>alert(1)</script>',
    } | {f"#{event.id}" for event in collection} | {"#events"}
    # The JSON-LD, as the browser parses it, names each event with its literal title.
    assert report["jsonld_error"] is None
    names = [element["item"]["name"] for element in report["jsonld"]["itemListElement"]]
    assert names == [event.title for event in collection]
    # TimelineJS copies the (escaped) headlines into aria-label; the page decodes them to the literal text.
    labels = [marker["date_label"] for marker in report["marker_details"]]
    assert all("&lt;" not in label and "&amp;" not in label and "&#x27;" not in label for label in labels)


def test_empty_collection_shows_a_notice_not_an_error(reports: dict[str, Report]) -> None:
    report = reports["empty"]
    assert_clean(report)
    assert report["state"] == "timeline-empty"
    assert report["markers"] == 0
    assert visible_notices(report) == ["timeline-empty"]
    assert report["list_items"] == []
    assert "There are no events in this timeline." in report["visible_text"]


def test_missing_timelinejs_shows_the_list_and_a_notice(reports: dict[str, Report]) -> None:
    report = reports["missing"]
    assert report["state"] == "timeline-unavailable"
    assert_timeline_or_list(report, rnk_events.load())
    notice = next(notice for notice in report["notices"] if notice["id"] == "timeline-unavailable")
    assert "no-such-dist" in notice["text"]


def test_a_timelinejs_that_throws_shows_the_list(reports: dict[str, Report]) -> None:
    report = reports["throws"]
    assert report["state"] == "timeline-failed"
    assert_timeline_or_list(report, rnk_events.load())
    assert report["exceptions"] == []  # caught: the page's script turned it into the notice


# --- every kind of base, the network off ------------------------------------------------------------

BASE_OUTCOMES = {
    "base-cdn-offline": "timeline-unavailable",  # the default, offline or with the CDN blocked: the list
    "base-cdn-pinned-files": "loaded",  # the CDN serving the npm package's files: they pass their hashes
    "base-cdn-changed-files": "timeline-unavailable",  # anything else is refused by its integrity hash
    "base-relative-dot": "loaded",  # `export --help`'s ./timeline3
    "base-relative": "loaded",  # the docs' timelinejs/dist
    "base-absolute-path": "loaded",  # /path/to/dist, resolved against the page (file:///path/to/dist)
    "base-file-url": "loaded",
    "base-https-unreachable": "timeline-unavailable",
}


@pytest.mark.parametrize(("name", "state"), list(BASE_OUTCOMES.items()))
def test_every_kind_of_base_shows_the_timeline_or_the_whole_list(
    reports: dict[str, Report], name: str, state: str
) -> None:
    report = reports[name]
    assert report["state"] == state
    assert_timeline_or_list(report, rnk_events.load())
    assert report["exceptions"] == []
    if state == "loaded":
        assert_clean(report)
        assert_drawn_as_exported(report, rnk_events.load())


def test_the_cdn_is_asked_only_for_the_pinned_release_with_integrity(reports: dict[str, Report]) -> None:
    served, changed, offline = (
        reports[name] for name in ("base-cdn-pinned-files", "base-cdn-changed-files", "base-cdn-offline")
    )
    pinned = f"{html_format.CDN_BASE}/"
    assert {url for url in served["cdn"] if not url.startswith(f"{pinned}css/icons/")} == {
        f"{pinned}{path}" for path in html_format.TIMELINEJS_FILES
    }
    script = next(script for script in served["scripts"] if script["id"] == "timelinejs-script")
    assert script["integrity"] == html_format.INTEGRITY["js/timeline.js"]
    assert any("integrity" in error and "js/timeline.js" in error for error in changed["log_errors"])
    assert set(offline["blocked"]) <= {f"{pinned}{path}" for path in html_format.TIMELINEJS_FILES}
    assert offline["blocked"]  # it did try, and nothing else was asked for


# --- no JavaScript, print, accessibility --------------------------------------------------------------


def test_without_javascript_every_title_is_visible(reports: dict[str, Report]) -> None:
    report = reports["without-javascript"]
    assert report["state"] is None  # no script ran
    assert_timeline_or_list(report, rnk_events.load())
    assert visible_notices(report) == ["timeline-nojs"]
    assert report["requested"]
    assert not any(url.endswith("timeline.js") for url in report["requested"])


@pytest.mark.parametrize("name", ["bundled", "without-javascript", "published-file"])
def test_print_shows_every_event_and_no_timeline(reports: dict[str, Report], name: str) -> None:
    printed = reports[name]["print"]
    assert not printed["embed_visible"]
    assert all(item["visible"] for item in printed["list_items"])
    assert len(printed["list_items"]) == 30
    assert not [notice for notice in printed["notices"] if notice["visible"]]
    assert "Subscribe to the calendar" not in printed["visible_text"]


AXED = ["bundled", "hostile", "without-javascript", "base-cdn-offline", "published-file", "published-http"]


@pytest.mark.parametrize("name", AXED)
def test_axe_finds_no_serious_violation(reports: dict[str, Report], name: str) -> None:
    """axe-core in Chromium, on TimelineJS drawn and on the list alone: nothing serious or critical."""
    violations = reports[name]["axe"]
    blocking = [(violation["id"], violation["impact"], violation["nodes"][:3]) for violation in violations]
    assert [found for found in blocking if found[1] in BLOCKING_IMPACTS] == []


# --- anchors and the published site ----------------------------------------------------------------


def test_an_event_anchor_opens_its_slide_and_its_list_item(reports: dict[str, Report]) -> None:
    report = reports["anchor"]
    assert_clean(report)
    assert report["state"] == "loaded"
    assert report["target_id"] == ANCHOR  # :target, the <li id=...>
    assert report["current_id"] == ANCHOR  # TimelineJS opened on that event's slide


def test_the_published_index_renders_timelinejs_from_its_own_copy(
    reports: dict[str, Report], pages: dict[str, Page]
) -> None:
    report = reports["published-file"]
    assert_clean(report)
    assert report["state"] == "loaded"
    assert_timeline_or_list(report, rnk_events.load())
    site = Path(pages["published-file"].url.removeprefix("file://")).parent
    assert report["blocked"] == []  # not one third-party request
    assert report["requested"]
    assert all(url.startswith(site.as_uri() + "/") or url.startswith("data:") for url in report["requested"])
    script = next(script for script in report["scripts"] if script["id"] == "timelinejs-script")
    assert script["src"] == "timelinejs/js/timeline.js"
    assert not any(link["visible"] for link in report["webcal_links"])  # from disk there is no webcal: address


def test_the_published_site_served_over_http(reports: dict[str, Report], served_site: tuple[Path, str]) -> None:
    report = reports["published-http"]
    assert_clean(report)
    assert report["state"] == "loaded"
    assert report["blocked"] == []
    host = served_site[1].removeprefix("http://")
    webcal = report["webcal_links"]
    assert len(webcal) == len(list((served_site[0] / "calendars").iterdir()))
    assert all(link["visible"] and link["href"].startswith(f"webcal://{host}calendars/") for link in webcal)
