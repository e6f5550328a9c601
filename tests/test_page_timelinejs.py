"""The standalone HTML page's TimelineJS: where it loads from, the embedded document, and escaping.

The page is read back with html.parser and json (not with anything from
rnk_events). The rest of the page (the event list, the JSON-LD, the pinned
files) is test_page.py's part; what a browser makes of it, test_browser.py's.
"""

from __future__ import annotations

import html
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import DatasetInfo, EventCollection
from rnk_events.formats import html as html_format
from tests.strategies import texts
from tests.timelinejs_helpers import SCRIPT_BREAKER, exported, hostile_collection, markup


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
