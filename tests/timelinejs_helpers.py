"""What the TimelineJS JSON, page and browser tests share: the hand-worked date forms, hostile events,
an HTML tokenizer, an export read back.

Kept out of the test modules so neither has to import the other.
"""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import rnk_events
from rnk_events import DatasetInfo, DateSpan, Event, EventCollection, Source, SourceRef

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
