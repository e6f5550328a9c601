"""What the TimelineJS JSON and page tests share: hostile events, an HTML tokenizer, an export read back.

Kept out of the test modules so neither has to import the other.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import rnk_events
from rnk_events import DatasetInfo, Event, EventCollection, Source, SourceRef

SCRIPT_BREAKER = "</script><script>alert(1)</script>"
IMG_PAYLOAD = "<img src=x onerror=alert(1)>"
MARKUP_TITLE = "Tom & Jerry say \"hi\" <b>bold</b> 'quoted'"
HOSTILE_TITLES = (SCRIPT_BREAKER, IMG_PAYLOAD, MARKUP_TITLE)


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
