"""``rnk_events.publish`` and ``rnk-events publish/serve``: the site's files, its feeds, reproducibility, atomicity.

Every feed is read with vobject here and with Mozilla's ical.js
(``tests/js/check_feeds.mjs``), and what it should hold is worked out from
the site's own JSON download read with :mod:`json`, not with the library.
Republishing (byte for byte, and atomically) is tests/test_publish_atomic.py's
part, and the browser's view of the site tests/test_browser.py's.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import vobject

import rnk_events
from rnk_events import EventCollection
from rnk_events.cli import main as cli_main
from rnk_events.errors import OptionError
from rnk_events.publishing import is_site, publish
from rnk_events.publishing.serve import make_server
from tests.conftest import ROOT, skip_or_fail
from tests.publish_helpers import STAMP, URL, tree

JS = ROOT / "tests" / "js"
DOC = ROOT / "docs" / "publish.md"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "iframe", "link", "script"):
            self.hrefs += [str(value) for name, value in attrs if name in ("href", "src") and value]


def links(page: Path) -> list[str]:
    parser = Links()
    parser.feed(page.read_text("utf-8"))
    return parser.hrefs


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("published") / "site"
    publish(rnk_events.load(), folder, url=URL, stamp=STAMP)
    return folder


@pytest.fixture(scope="module")
def expected(site: Path) -> dict[str, set[str]]:
    """Each feed's event ids, from the site's JSON download (read with json, not the library)."""
    events = json.loads((site / "downloads" / "rnk-events.json").read_text("utf-8"))["events"]
    wanted = {"calendars/rnk-events.ics": {event["id"] for event in events}}
    for category in rnk_events.Category:
        wanted[f"calendars/category-{category.value}.ics"] = {
            e["id"] for e in events if e["category"] == category.value
        }
    for code in {code for event in events for code in event["actors"]}:
        wanted[f"calendars/actor-{code.lower()}.ics"] = {e["id"] for e in events if code in e["actors"]}
    return wanted


# --- what a site holds -------------------------------------------------------------------------------


def test_the_site_holds_exactly_the_files_its_readme_lists(site: Path, expected: dict[str, set[str]]) -> None:
    files = tree(site)
    readme = files["README.txt"].decode("utf-8")
    assert is_site(site)
    listed = set(re.findall(r"^(\S+)  ", readme, re.MULTILINE))
    assert listed == {path for path in files if not path.startswith("timelinejs/")} | {"timelinejs/"}
    assert {path for path in files if path.startswith("calendars/")} == set(expected)
    downloads = {path for path in files if path.startswith("downloads/")}
    extensions = (".json", ".csv", ".xlsx", ".timeline.json", ".datapackage.zip", ".parquet", ".geojson", ".md")
    assert downloads == {f"downloads/rnk-events{ext}" for ext in extensions}
    assert {"index.html", "embed.html", "timelinejs/js/timeline.js", "timelinejs/LICENSE-TimelineJS.txt"} <= set(files)
    assert "Published for https://news.example.org/rnk/" in readme


def test_the_index_links_to_every_feed_download_and_the_readme(site: Path, expected: dict[str, set[str]]) -> None:
    hrefs = links(site / "index.html")
    for path in expected:
        assert f"{URL}{path}" in hrefs, path
        assert f"webcal://news.example.org/rnk/{path}" in hrefs, path
    for path in tree(site):
        if path.startswith("downloads/") or path == "README.txt":
            assert f"{URL}{path}" in hrefs, path
    assert "timelinejs/js/timeline.js" in hrefs  # the site's own copy
    assert "timelinejs/css/timeline.css" in hrefs
    assert not [href for href in hrefs if "cdn.knightlab.com" in href]


def test_the_embed_snippet_is_an_iframe_of_the_page(site: Path, tmp_path: Path) -> None:
    snippet = (site / "embed.html").read_text("utf-8")
    assert re.fullmatch(r'<iframe src="([^"]+)" title="([^"]+)" width="100%" height="\d+" [^>]*></iframe>\n', snippet)
    assert links(site / "embed.html") == [f"{URL}index.html"]
    assert 'title="Russia–North Korea relations: a sourced timeline"' in snippet
    shown = (site / "index.html").read_text("utf-8").split('<pre class="rnk-embed"><code>', 1)[1].split("</code>")[0]
    assert html.unescape(shown) == snippet.strip()  # the page shows the same snippet, as text
    publish(rnk_events.load(), tmp_path / "relative", stamp=STAMP)
    assert links(tmp_path / "relative" / "embed.html") == ["index.html"]
    assert "calendars/rnk-events.ics" in links(tmp_path / "relative" / "index.html")


def test_the_downloads_read_back(site: Path) -> None:
    events = rnk_events.load()
    document = json.loads((site / "downloads" / "rnk-events.json").read_text("utf-8"))
    assert [event["id"] for event in document["events"]] == list(events.ids)
    csv_text = (site / "downloads" / "rnk-events.csv").read_text("utf-8")
    assert all(event_id in csv_text for event_id in events.ids)
    assert rnk_events.load(site / "downloads" / "rnk-events.xlsx").ids == events.ids


# --- the feeds -------------------------------------------------------------------------------------------


def _calendar(path: Path) -> Any:
    return vobject.readOne(path.read_text("utf-8"))


def test_every_feed_parses_with_vobject_and_holds_exactly_its_events(site: Path, expected: dict[str, set[str]]) -> None:
    names = {}
    for path, ids in expected.items():
        calendar = _calendar(site / path)
        events = calendar.contents.get("vevent", [])
        assert {event.uid.value.removesuffix("@rnk-events") for event in events} == ids, path
        assert len(events) == len(ids)
        names[path] = calendar.contents["x-wr-calname"][0].value
    title = rnk_events.load().info.title
    assert names["calendars/rnk-events.ics"] == title
    assert len(set(names.values())) == len(names)  # each feed has its own name
    for path, name in names.items():
        if path != "calendars/rnk-events.ics":
            assert name != title, path  # never the full feed's name
            assert name.startswith(f"{title} — "), path
    assert names["calendars/category-summit.ics"] == f"{title} — summit events"
    assert names["calendars/actor-prk.ics"] == f"{title} — events involving North Korea"


def test_every_feed_says_what_it_holds(site: Path, expected: dict[str, set[str]]) -> None:
    for path, ids in expected.items():
        description = _calendar(site / path).contents["x-wr-caldesc"][0].value
        if path.startswith("calendars/category-"):
            category = path.removeprefix("calendars/category-").removesuffix(".ics")
            assert f"Only the events of the category “{category}”" in description
            assert f"{len(ids)} event" in description
        elif path.startswith("calendars/actor-"):
            assert "Only the events involving" in description
            assert f"{len(ids)} event" in description
        else:
            assert "Every event" in description


def test_every_feed_parses_with_ical_js(site: Path, expected: dict[str, set[str]]) -> None:
    node = shutil.which("node")
    if node is None or not (JS / "node_modules" / "ical.js").is_dir():
        skip_or_fail("RNK_EVENTS_REQUIRE_BROWSER", "node or tests/js/node_modules/ical.js is missing (npm ci)")
    assert node is not None
    paths = [str(site / path) for path in expected]
    result = subprocess.run(
        [node, str(JS / "check_feeds.mjs"), *paths], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for path, ids in expected.items():
        seen = report[str(site / path)]
        assert {uid.removesuffix("@rnk-events") for uid in seen["uids"]} == ids, path
        assert seen["name"] == seen["name_property"] == _calendar(site / path).contents["x-wr-calname"][0].value
        assert seen["refresh"] == "P1D"


def test_calendar_name_description_and_refresh(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    publish(
        rnk_events.load(), folder, stamp=STAMP, calendar_name="Desk", calendar_description="For the desk",
        refresh=dt.timedelta(hours=12),
    )  # fmt: skip
    full = _calendar(folder / "calendars" / "rnk-events.ics")
    assert (full.contents["x-wr-calname"][0].value, full.contents["x-wr-caldesc"][0].value) == ("Desk", "For the desk")
    summit = _calendar(folder / "calendars" / "category-summit.ics")
    assert summit.contents["x-wr-calname"][0].value == "Desk — summit events"
    assert "For the desk" not in summit.contents["x-wr-caldesc"][0].value
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in (folder / "calendars" / "rnk-events.ics").read_text("utf-8")


def test_a_filtered_collection_gets_feeds_for_its_own_actors(tmp_path: Path) -> None:
    events = rnk_events.load().by_actor("USA")
    publish(events, tmp_path / "usa", stamp=STAMP)
    actors = {path.stem for path in (tmp_path / "usa" / "calendars").glob("actor-*.ics")}
    assert actors == {f"actor-{code.lower()}" for event in events for code in event.actors}
    assert len(list((tmp_path / "usa" / "calendars").glob("category-*.ics"))) == len(rnk_events.Category)


def test_a_plain_list_of_events_and_any_refresh_publish(tmp_path: Path) -> None:
    events = list(rnk_events.load())[:3]
    publish(events, tmp_path / "few", stamp=STAMP, refresh=dt.timedelta(seconds=90))
    readme = (tmp_path / "few" / "README.txt").read_text("utf-8")
    assert "Subscribers are asked to refresh every 90 seconds." in readme
    assert len(_calendar(tmp_path / "few" / "calendars" / "rnk-events.ics").contents["vevent"]) == 3
    with pytest.raises(OptionError, match="url: expected the site's address as text, got bytes"):
        publish(events, tmp_path / "other", url=b"https://example.org/")  # type: ignore[arg-type]


def test_an_empty_timeline_still_publishes(tmp_path: Path) -> None:
    publish(EventCollection([]), tmp_path / "empty", stamp=STAMP)
    assert "There are no events in this timeline." in (tmp_path / "empty" / "index.html").read_text("utf-8")
    assert _calendar(tmp_path / "empty" / "calendars" / "rnk-events.ics").contents.get("vevent") is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"url": "example.org/rnk"}, "url: 'example.org/rnk' is not the http"),
        ({"url": "ftp://example.org/"}, "is not the http"),
        ({"url": "https://example.org/?page=1"}, "is not the http"),
        ({"stamp": dt.datetime(2024, 6, 17)}, "stamp: .* has no time zone"),
        ({"calendar_name": " "}, "calendar_name: expected non-empty text"),
    ],
)
def test_bad_options_are_refused_before_anything_is_written(
    tmp_path: Path, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(OptionError, match=message):
        publish(rnk_events.load(), tmp_path / "site", **options)
    assert list(tmp_path.iterdir()) == []


# --- serving ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    running = make_server(site, port=0, quiet=True)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{running.server_port}/"
    finally:
        running.shutdown()
        running.server_close()
        thread.join(timeout=10)


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("calendars/rnk-events.ics", "text/calendar; charset=utf-8"),
        ("index.html", "text/html; charset=utf-8"),
        ("", "text/html; charset=utf-8"),
        ("downloads/rnk-events.json", "application/json"),
        ("downloads/rnk-events.csv", "text/csv; charset=utf-8"),
        ("downloads/rnk-events.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("downloads/rnk-events.datapackage.zip", "application/zip"),
        ("timelinejs/js/timeline.js", "text/javascript; charset=utf-8"),
        ("timelinejs/css/icons/tl-icons.woff2", "font/woff2"),
        ("README.txt", "text/plain; charset=utf-8"),
    ],
)
def test_serve_sends_each_file_with_its_media_type(server: str, site: Path, path: str, media_type: str) -> None:
    with urllib.request.urlopen(server + path, timeout=10) as response:
        assert response.headers["Content-Type"] == media_type
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.read() == (site / (path or "index.html")).read_bytes()


def test_serve_answers_404_for_what_is_not_there(server: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(server + "nothing-here.ics", timeout=10)
    caught.value.close()
    assert caught.value.code == 404


def test_the_serve_command_previews_a_site_on_localhost(site: Path) -> None:
    command = [sys.executable, "-m", "rnk_events", "serve", str(site), "--port", "0", "--quiet"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        address = re.search(r"at (http://127\.0\.0\.1:\d+/) \(a preview, not a production server", line)
        assert address, line
        with urllib.request.urlopen(address.group(1) + "calendars/rnk-events.ics", timeout=10) as response:
            assert response.headers["Content-Type"].startswith("text/calendar")
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


# --- the command line ---------------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli_main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_publish_command_writes_the_site(capsys: pytest.CaptureFixture[str], tmp_path: Path, site: Path) -> None:
    folder = tmp_path / "site"
    code, out, err = run(capsys, "publish", str(folder), "--url", URL, "--stamp", "2024-06-17T00:00:00Z")
    assert (code, out) == (0, "")
    assert err.startswith(f"published {folder}: 30 events, {len(tree(site))} files (index.html, 21 calendar feeds")
    assert f"rnk-events serve {folder}" in err
    assert tree(folder) == tree(site)  # the command and the function write the same site


def test_publish_command_names_filters_and_refreshes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "site"
    argv = ["--name", "Desk", "--description", "For the desk", "--refresh", "PT6H", "--actor", "usa"]
    code, _, _ = run(capsys, "publish", str(folder), *argv)
    assert code == 0
    full = _calendar(folder / "calendars" / "rnk-events.ics")
    assert full.contents["x-wr-calname"][0].value == "Desk"
    assert len(full.contents["vevent"]) == len(rnk_events.load().by_actor("USA"))
    code, _, _ = run(capsys, "publish", str(folder), "--calendar-name", "Desk 2")  # the export flag works too
    assert _calendar(folder / "calendars" / "rnk-events.ics").contents["x-wr-calname"][0].value == "Desk 2"


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["--url", "example.org"], 2, "rnk-events: error: --url: 'example.org' is not the http(s) address"),
        (["--refresh", "daily"], 2, "rnk-events: error: argument --refresh: 'daily' is not an ISO 8601 duration"),
        (["--name", " "], 2, "rnk-events: error: argument --calendar-name/--name: must not be empty"),
    ],
)
def test_publish_command_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], code: int, message: str
) -> None:
    status, _, err = run(capsys, "publish", str(tmp_path / "site"), *argv)
    assert status == code
    assert err.startswith(message), err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "site").exists()


def test_publish_command_will_not_replace_a_folder_it_did_not_write(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "keep.txt").write_text("mine", "utf-8")
    code, _, err = run(capsys, "publish", str(tmp_path))
    assert code == 1
    assert err.startswith(f"rnk-events: error: will not replace {tmp_path}: it holds files")


def test_the_serve_command_stops_on_ctrl_c(
    capsys: pytest.CaptureFixture[str], site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rnk_events.publishing import serve

    made: list[serve.PreviewServer] = []
    real_make_server = serve.make_server

    def interrupted(folder: Path, **options: Any) -> serve.PreviewServer:
        server = real_make_server(folder, **options)
        made.append(server)

        def stop(poll_interval: float = 0.5) -> None:
            raise KeyboardInterrupt  # what Ctrl-C raises in serve_forever

        server.serve_forever = stop  # type: ignore[method-assign]
        return server

    monkeypatch.setattr(serve, "make_server", interrupted)  # serve_command imports it from there when serving
    code, _, err = run(capsys, "serve", str(site), "--port", "0")
    assert code == 0
    assert re.match(r"serving .* at http://127\.0\.0\.1:\d+/ \(a preview, not a production server", err)
    assert err.endswith("stopped\n")
    busy = made[0]
    taken = real_make_server(site, port=0, quiet=True)  # a port in use is one line, not a traceback
    try:
        code, _, err = run(capsys, "serve", str(site), "--port", str(taken.server_port))
    finally:
        taken.server_close()
    assert code == 1
    assert "cannot listen on 127.0.0.1:" in err
    assert "try --port 0" in err
    assert busy.socket.fileno() == -1  # closed when it stopped


def test_serve_warns_about_a_folder_publish_did_not_write(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    class Stops:
        server_port = 1

        def serve_forever(self) -> None:
            raise KeyboardInterrupt

        def server_close(self) -> None:
            pass

    from rnk_events.publishing import serve as serve_module  # serve_command imports it when serving

    monkeypatch.setattr(serve_module, "make_server", lambda folder, **options: Stops())
    code, _, err = run(capsys, "serve", str(tmp_path))
    assert code == 0
    assert "was not written by 'rnk-events publish'; serving it anyway" in err
    code, _, err = run(capsys, "serve", str(tmp_path), "--port", "70000")
    assert code == 2
    assert "expected a port number from 0 (any free port) to 65535" in err


def test_publish_command_warns_on_no_events_and_names_a_bad_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "publish", str(tmp_path / "none"), "--search", "no such words anywhere")
    assert code == 0
    assert err.startswith("rnk-events: warning: no events match the filters; publishing an empty timeline\n")
    (tmp_path / "a-file").write_text("x", "utf-8")
    code, _, err = run(capsys, "publish", str(tmp_path / "a-file" / "site"))
    assert code == 1
    assert err.startswith(f"rnk-events: error: cannot publish to {tmp_path / 'a-file' / 'site'}: ")


def test_the_preview_logs_requests_unless_quiet(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    running = make_server(site, port=0)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{running.server_port}/README.txt", timeout=10) as response:
            response.read()
    finally:
        running.shutdown()
        running.server_close()
        thread.join(timeout=10)
    assert '"GET /README.txt HTTP/1.1" 200' in capsys.readouterr().err
    with pytest.raises(NotADirectoryError):
        make_server(site / "README.txt", port=0)


def test_serve_help_says_it_is_not_a_production_server(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "serve", "--help")
    assert code == 0
    assert "not a production server" in out
    code, _, err = run(capsys, "serve", "/no/such/site")
    assert code == 1
    assert "is not a folder" in err


# --- the docs ---------------------------------------------------------------------------------------------------


def test_the_publish_page_snippets_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    snippets = re.findall(r"^```python\n(.*?)^```$", DOC.read_text("utf-8"), re.MULTILINE | re.DOTALL)
    assert snippets
    for snippet in snippets:
        exec(compile(snippet, str(DOC), "exec"), {"__name__": "__snippet__"})
    assert is_site(tmp_path / "site")


def test_the_readme_mentions_publish() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "rnk-events publish" in readme
    assert "docs/publish.md" in readme
