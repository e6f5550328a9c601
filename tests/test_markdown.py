"""The markdown export, parsed by markdown-it-py (CommonMark): a dated list, escaped text, citations; and plain text."""

from __future__ import annotations

import io

import attrs
import pytest
from hypothesis import given
from markdown_it import MarkdownIt
from markdown_it.token import Token

import rnk_events
from rnk_events import DateSpan, EventCollection
from tests.edtf_strategies import edtf_dates
from tests.strategies import dated_event

#: A CommonMark parser with GFM's tables and strikethrough on, the extensions a CMS most often has.
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
MOSCOW_TIMES = "https://www.themoscowtimes.com/2024/06/17/kremlin-confirms-putins-trip-to-north-korea-a85441"


def exported(events: EventCollection, *, plain_text: bool = False) -> str:
    stream = io.BytesIO()
    rnk_events.export(events, "markdown", stream, plain_text=plain_text)
    return stream.getvalue().decode("utf-8")


def items(text: str) -> list[list[Token]]:
    """The tokens of each top-level list item, the item's own open and close excluded."""
    found: list[list[Token]] = []
    depth = 0
    for token in PARSER.parse(text):
        if token.type == "list_item_open":
            depth += 1
            if depth == 1:
                found.append([])
                continue
        if token.type == "list_item_close":
            depth -= 1
            if depth == 0:
                continue
        if depth >= 1:
            found[-1].append(token)
    return found


def kids(token: Token) -> list[Token]:
    """An inline token's children, without the empty text tokens markdown-it leaves before markup."""
    return [child for child in token.children or [] if not (child.type == "text" and child.content == "")]


def inline_text(token: Token) -> str:
    """What a reader sees of an inline token: its text, with soft breaks as spaces."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def event(title: str = "A title", summary: str = "A summary.", date: str = "2024-05") -> rnk_events.Event:
    return attrs.evolve(dated_event(0, DateSpan.parse(date)), title=title, summary=summary)


# --- structure ---------------------------------------------------------------------------------


def test_one_list_item_per_event_each_with_date_summary_and_citation() -> None:
    events = rnk_events.load()
    text = exported(events)
    tokens = PARSER.parse(text)
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1"]
    entries = items(text)
    assert len(entries) == len(events) == 30
    for entry, expected in zip(entries, events, strict=True):
        inlines = [token for token in entry if token.type == "inline"]
        assert len(inlines) == 3, "headline, summary, citation"
        headline, summary, citation = inlines
        children = kids(headline)
        assert [child.type for child in children[:3]] == ["strong_open", "text", "strong_close"]
        assert children[1].content == expected.date.display() + ":"
        assert inline_text(summary) == " ".join(expected.summary.split())
        assert inline_text(citation).startswith("Sources: ")


def test_an_entry_typed_by_hand() -> None:
    text = exported(rnk_events.load())
    assert "- **July 2000:** Putin makes his first visit to North Korea\n" in text
    assert "- **Aug. 23, 2002:** Putin meets Kim Jong Il in Vladivostok\n" in text
    assert "- **June 18-19, 2024:** Putin to make state visit to North Korea (planned)\n" in text
    assert text.startswith("# Russia–North Korea relations: a sourced timeline\n\n30 events, as of June 17, 2024.\n")


def test_the_citation_line_names_publisher_title_and_day_and_links_the_url() -> None:
    events = rnk_events.load()
    announced = events.get("2024-06-17-russia-north-korea-announce-putin-visit")
    (entry,) = items(exported(EventCollection([announced], events.info)))
    citation = [token for token in entry if token.type == "inline"][-1]
    seen = inline_text(citation)
    assert "Reuters, “The highs and lows of Russia-North Korea relations under Putin,” June 17, 2024" in seen
    assert "AFP via The Moscow Times, “Kremlin Confirms Putin's Trip to North Korea,” June 17, 2024" in seen
    links = [child.attrGet("href") for child in citation.children or [] if child.type == "link_open"]
    assert links == [MOSCOW_TIMES]
    assert seen.endswith(".")


def test_a_source_the_dataset_does_not_describe_is_named_by_its_id() -> None:
    text = exported(EventCollection([event()]))  # cites "s", and the collection lists no sources
    assert "  Sources: s.\n" in text


# --- escaping ----------------------------------------------------------------------------------

HOSTILE = [
    "*not emphasis* and _not either_ and **not strong**",
    "[not a link](http://example.com) and ![not an image](x.png)",
    "<script>alert(1)</script> & &amp; entities",
    "`not code` | not | a table | ~~not struck~~",
    "# not a heading",
    "1. not an ordered list",
    "2) nor this one",
    "- not a bullet",
    "+ nor this",
    "---",
    "=== not a setext underline",
    "> not a quote",
    "back\\slash \\* escaped",
    "tab\there, CR\rthere, LF\nthere",
    "Ким Чен Ын, 김정은, 金正恩",
    "'Friendly' visit, =1+1 formula",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_data_text_shows_as_written_never_as_markup(text: str) -> None:
    (entry,) = items(exported(EventCollection([event(title=text, summary=text)])))
    assert [token.type for token in entry] == [
        "paragraph_open", "inline", "paragraph_close",
        "paragraph_open", "inline", "paragraph_close",
        "paragraph_open", "inline", "paragraph_close",
    ]  # fmt: skip
    headline, summary, _ = (token for token in entry if token.type == "inline")
    shown = " ".join(text.split())
    assert inline_text(summary) == shown
    assert [child.type for child in kids(summary)] == ["text"]
    title_children = kids(headline)[3:]
    assert {child.type for child in title_children} == {"text"}
    assert "".join(child.content for child in title_children) == " " + shown


@given(edtf_dates())
def test_every_date_form_is_the_bold_ap_date(span: DateSpan) -> None:
    (entry,) = items(exported(EventCollection([event(date=str(span))])))
    headline = next(token for token in entry if token.type == "inline")
    children = kids(headline)
    assert [child.type for child in children[:3]] == ["strong_open", "text", "strong_close"]
    assert children[1].content == span.display() + ":"


# --- plain text --------------------------------------------------------------------------------


def test_plain_text_has_no_markup() -> None:
    events = rnk_events.load()
    text = exported(events, plain_text=True)
    assert text.startswith("Russia–North Korea relations: a sourced timeline\n\n30 events, as of June 17, 2024.\n")
    assert "July 2000: Putin makes his first visit to North Korea\n" in text
    for mark in ("**", "\n- ", "# ", "](", "\\"):
        assert mark not in text, mark
    assert f"“Kremlin Confirms Putin's Trip to North Korea,” June 17, 2024 ({MOSCOW_TIMES})" in text
    paragraphs = text.rstrip("\n").split("\n\n")
    assert len(paragraphs) == 2 + len(events)  # the title, the count, then one per event
    assert all(paragraph.count("\n") == 2 for paragraph in paragraphs[2:]), "headline, summary, citation"


def test_plain_text_keeps_metacharacters_unescaped() -> None:
    text = exported(EventCollection([event(title="*Kim* [meets] <Putin> #1")]), plain_text=True)
    assert "May 2024: *Kim* [meets] <Putin> #1\n" in text


def test_plain_text_is_a_cli_switch(tmp_path: object) -> None:
    option = rnk_events.FORMATS["markdown"].option("plain_text")
    assert option is not None
    assert (option.flag, option.default, option.type) == ("--plain-text", False, bool)


def test_an_empty_collection_still_has_its_heading() -> None:
    assert exported(EventCollection()) == "# Events\n\n0 events.\n"
