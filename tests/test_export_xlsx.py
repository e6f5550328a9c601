"""The Excel workbook: checked with python-calamine (a Rust reader), the raw XML, and read back."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from time import localtime, struct_time
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

import rnk_events
from rnk_events import (
    Category,
    DatasetError,
    DatasetInfo,
    DateSpan,
    Event,
    EventCollection,
    ExportError,
    PartialDate,
    Place,
    Source,
    SourceRef,
    Status,
)
from rnk_events.actors import actor_name
from rnk_events.formats import timelinejs as timelinejs_format
from rnk_events.formats import xlsx as xlsx_format
from rnk_events.serialize import converter, unstructure_event
from tests.strategies import event_lists
from tests.workbooks import STAMP, workbook_bytes

SHEETS = ["Events", "TimelineJS", "Sources", "Withdrawn", "About"]
EVENTS_HEADER = [
    "id", "date", "display_date", "start", "first_day", "last_day", "is_range", "precision", "qualifier",
    "title", "summary", "category", "status", "actors", "actor_names", "people", "places", "sources", "note",
    "revision", "revised",
]  # fmt: skip
#: Each Events column's index in a row and its letter in the sheet: tests name columns, not positions.
COLUMN = {name: index for index, name in enumerate(EVENTS_HEADER)}
LETTER = {name: get_column_letter(index + 1) for name, index in COLUMN.items()}
AFTER_NOTE = get_column_letter(len(EVENTS_HEADER) + 1)
TIMELINEJS_HEADER = [
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
    "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Alt Text",
    "Type", "Group", "Background",
]  # fmt: skip
#: How the TimelineJS export heads an event's citations (written here by hand, not imported).
SOURCES_HEADING = "<p><strong>Sources:</strong></p>"
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def calamine(data: bytes) -> CalamineWorkbook:
    return CalamineWorkbook.from_filelike(io.BytesIO(data))


def rows(data: bytes, sheet: str) -> list[list[Any]]:
    return calamine(data).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def about_facts(data: bytes) -> dict[str, Any]:
    """The label/value rows at the top of the About sheet."""
    about = rows(data, "About")
    return {row[0]: row[1] for row in about[: [row[0] for row in about].index("Data dictionary")] if row[0]}


def blank(value: Any) -> bool:
    return value in ("", None)


def event(**changes: Any) -> Event:
    fields: dict[str, Any] = {
        "id": "e1",
        "date": "2024-06-19",
        "title": "Title",
        "summary": "Summary.",
        "category": "summit",
        "status": "happened",
        "actors": ("RUS", "PRK"),
        "sources": (SourceRef("src", "quoted words"),),
    }
    return Event(**{**fields, **changes})


# --- sheet names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Events", "Events"),
        ("A" * 40, "A" * 31),
        ("Q1: Russia/N. Korea [draft]?*", "Q1_ Russia_N. Korea _draft___"),
        ("back\\slash", "back_slash"),
        ("'quoted'", "quoted"),
        ("", "Sheet"),
        ("'", "Sheet"),
        ("History", "History_"),
        ("bell\x07", "bell\ufffd"),
    ],
)
def test_sheet_title_follows_excel_rules(name: str, expected: str) -> None:
    assert xlsx_format.sheet_title(name) == expected


@given(st.text())
def test_sheet_title_is_always_legal(name: str) -> None:
    title = xlsx_format.sheet_title(name)
    assert 1 <= len(title) <= 31
    assert not set(title) & set("[]:*?/\\")
    assert not title.startswith("'")
    assert not title.endswith("'")
    assert not XML_ILLEGAL.search(title)
    assert title.casefold() != "history"


def test_sheet_title_accepted_by_openpyxl_for_awkward_names() -> None:
    workbook = openpyxl.Workbook()
    for name in ("a" * 50, "x:y/z", "'History'"):
        workbook.create_sheet(xlsx_format.sheet_title(name))  # openpyxl raises on an illegal title
    assert len(workbook.sheetnames) == 4


# --- what an independent reader sees --------------------------------------------------------------


def test_sheets_and_headers(bundled_xlsx: bytes) -> None:
    book = calamine(bundled_xlsx)
    assert book.sheet_names == SHEETS
    assert rows(bundled_xlsx, "Events")[0] == EVENTS_HEADER
    assert rows(bundled_xlsx, "TimelineJS")[0] == TIMELINEJS_HEADER
    assert rows(bundled_xlsx, "Sources")[0] == ["id", "publisher", "title", "published", "url", "file", "note"]


def test_events_rows_match_the_data(bundled: EventCollection, bundled_xlsx: bytes) -> None:
    table = rows(bundled_xlsx, "Events")
    assert len(table) == 1 + len(bundled)
    by_id = {row[0]: dict(zip(EVENTS_HEADER, row, strict=True)) for row in table[1:]}
    assert list(by_id) == list(bundled.ids)

    day = by_id["2019-04-25-first-putin-kim-jong-un-summit-vladivostok"]
    source = bundled.get("2019-04-25-first-putin-kim-jong-un-summit-vladivostok")
    assert day["date"] == "2019-04-25"
    assert day["start"] == dt.date(2019, 4, 25)
    assert type(day["start"]) is dt.date  # a date cell, not text
    assert day["first_day"] == day["last_day"] == dt.date(2019, 4, 25)
    assert day["precision"] == "day"
    assert day["title"] == source.title
    assert day["summary"] == source.summary
    assert day["category"] == "summit"
    assert day["actors"] == "|".join(source.actors)
    assert day["actor_names"].split("|") == [actor_name(code) for code in source.actors]
    assert day["sources"] == "|".join(f"{ref.source};{ref.evidence}" for ref in source.sources)

    month = by_id["2000-07-putin-first-visit-to-north-korea"]
    assert month["start"] == "July 2000"  # not a made-up day
    assert (month["first_day"], month["last_day"]) == (dt.date(2000, 7, 1), dt.date(2000, 7, 31))
    assert month["precision"] == "month"

    span = next(row for row in by_id.values() if "/" in row["date"] and row["precision"] == "day")
    assert span["start"] == DateSpan.parse(span["date"]).display()
    assert type(span["first_day"]) is dt.date
    assert type(span["last_day"]) is dt.date

    # Edition 1.1.0 redated the Kim remark (revision 1, on the edition's day) and left the 2019 summit alone.
    revised = by_id["2024-06-10-kim-calls-russia-ties-unbreakable"]
    assert (revised["revision"], revised["revised"]) == (1, dt.date(2026, 12, 1))
    assert type(revised["revised"]) is dt.date  # a date cell
    assert (day["revision"], day["revised"]) == (0, "")


def marker_days(row: dict[str, Any], prefix: str) -> tuple[dt.date, dt.date]:
    """The first and last day a TimelineJS row's Year/Month/Day (or End ...) cells can mean."""
    year, month, day = (row[prefix + part] for part in ("Year", "Month", "Day"))
    if blank(month):
        return dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
    if blank(day):
        first = dt.date(int(year), int(month), 1)
        return first, (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    return (dt.date(int(year), int(month), int(day)),) * 2


def shared_days(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """The smallest calendar unit (day, month, year) holding every day from first to last, if one year does."""
    if first == last:
        return first, last
    if (first.year, first.month) == (last.year, last.month):
        return first.replace(day=1), (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(1)
    return dt.date(first.year, 1, 1), dt.date(first.year, 12, 31)


def test_timelinejs_rows(bundled: EventCollection, bundled_xlsx: bytes) -> None:
    table = [dict(zip(TIMELINEJS_HEADER, row, strict=True)) for row in rows(bundled_xlsx, "TimelineJS")[1:]]
    assert len(table) == 1 + len(bundled)
    title = table[0]
    assert title["Type"] == "title"
    assert title["Headline"] == bundled.info.title
    assert "June 17, 2024" in title["Text"]
    assert all(blank(title[column]) for column in ("Year", "Month", "Day", "Group"))

    for row, item in zip(table[1:], bundled, strict=True):
        start, end = item.date.start, item.date.end
        assert isinstance(row["Year"], (int, float))  # a number, not text
        if not item.date.is_range:  # a point, one of a set included: one marker, never a bar
            assert all(blank(row[column]) for column in ("End Year", "End Month", "End Day")), item.date
            assert marker_days(row, "") == shared_days(item.date.first_day, item.date.last_day), item.date
        else:  # the bundled intervals have two dates for ends
            assert isinstance(start, PartialDate)
            assert isinstance(end, PartialDate)
            assert marker_days(row, "") == shared_days(start.first_day, start.last_day)
            assert marker_days(row, "End ") == shared_days(end.first_day, end.last_day)
        assert row["Display Date"] == item.date.display()
        assert row["Headline"] == item.title
        # every revised event of the bundled data was revised by edition 1.1.0, on 2026-12-01
        updated = "<p><strong>Updated</strong> Dec. 1, 2026</p>" if item.revision else ""
        assert row["Text"].startswith(f"<p>{item.summary}</p>")
        status, _, cited = row["Text"].removeprefix(f"<p>{item.summary}</p>").partition(SOURCES_HEADING)
        assert status.endswith(updated)
        assert ("<strong>Status:</strong> " + item.status.value in status) is (item.status is not Status.HAPPENED)
        # every citation, in order: the source's publisher and the quoted evidence
        items = re.findall(r"<li>(.*?)</li>", cited)
        assert len(items) == len(item.sources)
        for found, ref in zip(items, item.sources, strict=True):
            assert found.startswith(html.escape(bundled.info.source(ref.source).publisher) + ", ")
            assert found.endswith(f": “{html.escape(ref.evidence)}”")
        assert row["Group"] == item.category.value
        assert blank(row["Type"])
        assert blank(row["Time"])
        assert blank(row["Media"])


def test_timelinejs_month_precision_fills_year_and_month_only(bundled_xlsx: bytes) -> None:
    table = [dict(zip(TIMELINEJS_HEADER, row, strict=True)) for row in rows(bundled_xlsx, "TimelineJS")]
    july = next(row for row in table if row["Display Date"] == "July 2000")
    assert (july["Year"], july["Month"]) == (2000, 7)
    assert blank(july["Day"])


def test_timelinejs_text_is_html_escaped() -> None:
    data = workbook_bytes(EventCollection([event(title="A <b> & B", summary="x < y & z")]))
    row = dict(zip(TIMELINEJS_HEADER, rows(data, "TimelineJS")[2], strict=True))
    assert row["Headline"] == "A &lt;b&gt; &amp; B"
    # the citation as the TimelineJS export writes it, for a source the dataset does not describe
    assert row["Text"] == f"<p>x &lt; y &amp; z</p>{SOURCES_HEADING}<ul><li>src: “quoted words”</li></ul>"


def test_timelinejs_citations_link_the_source() -> None:
    source = Source(
        id="src",
        publisher="Wire & Co",
        title="A <big> day",
        published=dt.date(2024, 6, 1),
        url="https://x.test/a?b=1&c=2",
    )
    data = workbook_bytes(EventCollection([event()], DatasetInfo(sources=[source])))
    row = dict(zip(TIMELINEJS_HEADER, rows(data, "TimelineJS")[2], strict=True))
    assert row["Text"].endswith(
        f'{SOURCES_HEADING}<ul><li>Wire &amp; Co, “<a href="https://x.test/a?b=1&amp;c=2">A &lt;big&gt; day</a>” '
        "(June 1, 2024): “quoted words”</li></ul>"
    )


def test_sources_and_about(bundled: EventCollection, bundled_xlsx: bytes) -> None:
    sources = rows(bundled_xlsx, "Sources")[1:]
    assert [row[0] for row in sources] == [source.id for source in bundled.info.sources]
    for row, source in zip(sources, bundled.info.sources, strict=True):
        assert row[3] == source.published
        assert type(row[3]) is dt.date
        assert row[4] == (source.url or "")

    facts = about_facts(bundled_xlsx)
    assert facts["Dataset"] == "rnk_events"
    assert facts["Data version"] == bundled.info.version
    assert facts["As of"] == dt.date(2024, 6, 17)
    assert facts["Generated"] == "2024-06-17T12:30:00Z"
    assert facts["Events"] == len(bundled)


def test_data_dictionary_describes_every_column_of_every_sheet(bundled_xlsx: bytes) -> None:
    about = rows(bundled_xlsx, "About")
    start = next(index for index, row in enumerate(about) if row[0] == "Data dictionary")
    assert about[start + 1] == ["sheet", "column", "meaning"]
    entries = {(row[0], row[1]): row[2] for row in about[start + 2 :] if row[0]}
    for sheet in ("Events", "TimelineJS", "Sources", "Withdrawn"):
        for column in rows(bundled_xlsx, sheet)[0]:
            meaning = entries.get((sheet, column))
            assert meaning, f"{sheet}.{column} is not in the data dictionary"
            assert "\n" not in meaning
    assert {sheet for sheet, _ in entries} == set(SHEETS)


def test_layout_bold_frozen_filtered_wrapped(bundled: EventCollection, bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    for name in ("Events", "TimelineJS", "Sources"):
        sheet = workbook[name]
        assert all(cell.font.bold for cell in sheet[1]), name
        assert sheet.freeze_panes == "A2", name
    events = workbook["Events"]
    assert events.auto_filter.ref == f"A1:{LETTER['revised']}{len(bundled) + 1}"
    assert workbook["Sources"].auto_filter.ref == f"A1:G{len(bundled.info.sources) + 1}"
    assert not any(cell.font.bold for cell in events[2])
    header = [cell.value for cell in events[1]]
    summary = events.cell(row=2, column=header.index("summary") + 1)
    assert summary.alignment.wrap_text
    assert not events.cell(row=2, column=1).alignment.wrap_text
    widths = {cell.value: events.column_dimensions[cell.column_letter].width for cell in events[1]}
    assert widths["summary"] > widths["precision"] > 5
    assert all(width <= 62 for width in widths.values())
    # rows with long wrapped text get a height, since Excel does not re-fit rows on opening
    longest = max(range(len(bundled)), key=lambda index: len(bundled[index].summary))
    assert (events.row_dimensions[longest + 2].height or 0) > 15
    assert events.cell(row=2, column=header.index("first_day") + 1).number_format == "yyyy-mm-dd"


# --- formulas and awkward text --------------------------------------------------------------------

TRICKY = ["=1+1", "+CMD", "-3 degrees", "@SUM(A1)", "'quoted", '=HYPERLINK("http://x")']


def tricky_collection() -> EventCollection:
    return EventCollection(
        [event(id=f"e{index}", title=text, summary=f"{text} again", note=text) for index, text in enumerate(TRICKY)]
    )


def test_no_cell_is_a_formula() -> None:
    data = workbook_bytes(tricky_collection())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                assert not re.search(r"<f[\s>/]", xml), f"{name} has a formula"
    # calamine reads a formula cell as its (absent) cached value; text comes back whole
    titles = [row[COLUMN["title"]] for row in rows(data, "Events")[1:]]
    assert sorted(titles) == sorted(TRICKY)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for row in workbook["Events"].iter_rows(min_row=2):
        title = row[COLUMN["title"]]
        assert title.data_type == "s"
        assert title.quotePrefix == title.value.startswith(("=", "+", "-", "@"))


def test_awkward_text_reaches_an_independent_reader_unchanged() -> None:
    texts = ["a\rb", "a\r\nb", "line\nbreak", "x_x0041_y", "_x005F_", "tab\there", "Пхеньян 평양 ✓", 'a "quote", comma']
    collection = EventCollection([event(id=f"e{i}", title=text, note=f"note: {text}") for i, text in enumerate(texts)])
    data = workbook_bytes(collection)
    table = rows(data, "Events")[1:]
    assert [row[COLUMN["title"]] for row in table] == [item.title for item in collection]
    assert [row[COLUMN["note"]] for row in table] == [item.note for item in collection]
    assert xlsx_format.read(io.BytesIO(data), "t.xlsx") == collection


@pytest.mark.parametrize(
    "text",
    ["_x0041_x0042_", "_x005F_x0041_", "_x005F_x005F_x0041_x005F_x0042_", "_x0041_\r", "_x000D\r", "a_x0041__x0042_"],
)
def test_back_to_back_escape_look_alikes_survive(text: str) -> None:
    """The closing "_" of one look-alike can open the next; a carriage return is stored as "_x000D_"."""
    collection = EventCollection([event(title=f"[{text}]", note=f"<{text}>")])
    data = workbook_bytes(collection)
    row = rows(data, "Events")[1]
    # what Excel shows, decoded by another reader
    assert (row[COLUMN["title"]], row[COLUMN["note"]]) == (f"[{text}]", f"<{text}>")
    assert xlsx_format.read(io.BytesIO(data), "t.xlsx") == collection


#: Pieces of text that look like, or nearly like, Excel's _xHHHH_ escapes when joined.
ESCAPE_FRAGMENTS = ["_x", "0041", "_", "005F", "005f", "x", "A", "000D", "\r", "X", "_x005F_", "_x0041_"]


@given(st.lists(st.sampled_from(ESCAPE_FRAGMENTS), max_size=12).map("".join))
def test_escape_look_alikes_round_trip_property(text: str) -> None:
    collection = EventCollection([event(title=f"[{text}]", note=f"<{text}>")])
    data = workbook_bytes(collection)
    back = xlsx_format.read(io.BytesIO(data), "p.xlsx")[0]
    assert (back.title, back.note) == (f"[{text}]", f"<{text}>")
    row = rows(data, "Events")[1]
    assert (row[COLUMN["title"]], row[COLUMN["note"]]) == (f"[{text}]", f"<{text}>")


def test_xml_illegal_characters_are_replaced() -> None:
    collection = EventCollection([event(title="bell\x07 and \x1b escape", note="\ufffe")])
    data = workbook_bytes(collection)
    assert rows(data, "Events")[1][COLUMN["title"]] == "bell\ufffd and \ufffd escape"
    back = xlsx_format.read(io.BytesIO(data), "t.xlsx")
    assert back[0].title == "bell\ufffd and \ufffd escape"
    assert back[0].note == "\ufffd"


# --- text longer than a cell holds ----------------------------------------------------------------

LIMIT = 32_767


def test_text_of_exactly_the_cell_limit_is_written_whole() -> None:
    emoji = "😀" * (LIMIT // 2) + "a"  # 16,384 characters, 32,767 as Excel counts them
    collection = EventCollection([event(title="t" * LIMIT, note=emoji)])
    data = workbook_bytes(collection)
    row = rows(data, "Events")[1]
    assert (row[COLUMN["title"]], row[COLUMN["note"]]) == ("t" * LIMIT, emoji)
    assert xlsx_format.read(io.BytesIO(data), "t.xlsx") == collection


def test_export_refuses_text_longer_than_a_cell_and_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "long.xlsx"
    collection = EventCollection([event(id="long-one", title="t" * 40_000)])
    message = (
        r"^xlsx: event 'long-one', field 'title': the Events sheet's cell is 40,000 characters long; "
        r"an Excel cell holds at most 32,767"
    )
    with pytest.raises(ExportError, match=message) as caught:
        rnk_events.export(collection, "xlsx", target, stamp=STAMP)
    assert (caught.value.format_name, caught.value.event_id, caught.value.field) == ("xlsx", "long-one", "title")
    assert isinstance(caught.value, ValueError)  # what it was before it carried the event and column
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file either
    stream = io.BytesIO()
    with pytest.raises(ExportError, match=message):
        xlsx_format.write(collection, stream, stamp=STAMP)
    assert stream.getvalue() == b""


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        # each value fits, the joined cell does not
        ({"people": ("p" * 20_000, "q" * 20_000)}, "people", "the Events sheet's cell is 40,001 characters"),
        ({"sources": (SourceRef("s", "e" * 20_000), SourceRef("s", "f" * 20_000))}, "sources", "the Events sheet's"),
        ({"places": (Place("n" * 17_000, "RUS"), Place("m" * 17_000, "PRK"))}, "places", "the Events sheet's"),
        # the summary fits; HTML escaping or the status paragraph push the TimelineJS Text over
        ({"summary": "&" * 10_000}, "Text", "the TimelineJS sheet's cell is 50,"),
        ({"summary": "s" * (LIMIT - 5), "status": "planned"}, "Text", "the TimelineJS sheet's"),
        ({"title": "<" * 10_000}, "Headline", "the TimelineJS sheet's cell is 40,000 characters"),
        # Excel counts UTF-16 units: an emoji is two
        ({"title": "😀" * 16_384}, "title", "the Events sheet's cell is 32,768 characters"),
        # the stored escapes count too: openpyxl would cut the stored text
        ({"note": "a\r" + "n" * (LIMIT - 2)}, "note", "the Events sheet's cell is 32,773 characters"),
    ],
)  # fmt: skip
def test_every_cell_is_checked_against_the_limit(changes: dict[str, Any], column: str, message: str) -> None:
    collection = EventCollection([event(**changes)])
    with pytest.raises(ExportError) as caught:
        workbook_bytes(collection)
    assert (caught.value.format_name, caught.value.event_id, caught.value.field) == ("xlsx", "e1", column)
    assert caught.value.message.startswith(message)


def test_sources_and_dataset_facts_are_checked_against_the_limit() -> None:
    source = Source(id="src", publisher="P", title="t" * 40_000, published=dt.date(2024, 6, 1))
    info = DatasetInfo(sources=[source])
    with pytest.raises(ExportError) as caught:
        workbook_bytes(EventCollection([event()], info))
    assert (caught.value.event_id, caught.value.field) == ("", "title")
    assert caught.value.message.startswith("the Sources sheet's cell for source 'src' is 40,000 characters")
    with pytest.raises(ExportError, match=r"^xlsx: field 'Headline': the TimelineJS sheet's cell for the title row"):
        workbook_bytes(EventCollection([], DatasetInfo(title="t" * 40_000)))


def test_days_excel_cannot_hold_are_written_as_text() -> None:
    collection = EventCollection([event(date="1812-06-24")])
    row = dict(zip(EVENTS_HEADER, rows(workbook_bytes(collection), "Events")[1], strict=True))
    assert row["start"] == row["first_day"] == "1812-06-24"


# --- reading back ---------------------------------------------------------------------------------


def test_bundled_round_trip(bundled: EventCollection, bundled_xlsx: bytes) -> None:
    back = xlsx_format.read(io.BytesIO(bundled_xlsx), "bundled.xlsx")
    assert list(back) == list(bundled)
    assert back.info == bundled.info
    assert back == bundled


def test_tricky_round_trip() -> None:
    collection = tricky_collection()
    assert xlsx_format.read(io.BytesIO(workbook_bytes(collection)), "t.xlsx") == collection


def xml_legal(item: Event) -> Event:
    """The event with XML-illegal characters swapped for "x" (they cannot round-trip)."""

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return XML_ILLEGAL.sub("x", value)
        if isinstance(value, list):
            return [clean(part) for part in value]
        if isinstance(value, dict):
            return {key: clean(part) for key, part in value.items()}
        return value

    try:
        return converter.structure(clean(unstructure_event(item)), Event)
    except Exception:  # e.g. two people who differ only in an illegal character
        assume(False)
        raise


@given(event_lists(max_size=4))
def test_round_trip_property(items: list[Event]) -> None:
    collection = EventCollection(xml_legal(item) for item in items)
    assert xlsx_format.read(io.BytesIO(workbook_bytes(collection)), "p.xlsx") == collection


@pytest.mark.parametrize(
    "edtf",
    ["0001", "1899-12", "2000", "2000-07", "2019-04-25", "2006-10-14/2017-12-22", "2023-09/2024-06", "2020/2024-02-29"],
)
def test_every_precision_round_trips(edtf: str) -> None:
    collection = EventCollection([event(date=edtf)])
    back = xlsx_format.read(io.BytesIO(workbook_bytes(collection)), "p.xlsx")
    assert str(back[0].date) == edtf


def test_values_typed_in_excel_are_read_as_text(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    sheet = workbook["Events"]
    sheet["B2"] = dt.datetime(2000, 5, 7)  # someone typed a date into the date column
    sheet["B3"] = 2001  # ... and a year, which Excel stores as a number
    for column in ("display_date", "start", "first_day", "last_day", "is_range", "precision", "qualifier"):
        for row in (2, 3):  # derived from date: a desk that retypes the date clears them (or they must match)
            sheet[f"{LETTER[column]}{row}"] = None
    edited = io.BytesIO()
    workbook.save(edited)
    back = xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    assert str(back.get("2000-putin-becomes-president").date) == "2000-05-07"
    assert str(back.get("2000-07-putin-first-visit-to-north-korea").date) == "2001"


def test_read_errors_name_row_and_field(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    sheet = workbook["Events"]
    sheet[f"{LETTER['category']}3"] = "weather"
    sheet["B4"] = "2024-13"
    sheet[f"{LETTER['sources']}5"] = "no-such-source;words"
    sheet[f"{AFTER_NOTE}6"] = "stray"
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    found = {(problem.record.split(" (")[0], problem.field) for problem in caught.value.problems}
    assert found == {
        ("Events row 3", "category"),
        ("Events row 4", "date"),
        ("Events row 5", "sources"),
        ("Events row 6", ""),
    }
    assert all(problem.file == "edited.xlsx" for problem in caught.value.problems)
    assert "weather" in str(caught.value)


def test_sources_and_about_errors_name_their_sheet(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    workbook["Sources"]["D3"] = "last week"
    workbook["About"]["B3"] = ""  # the title
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    found = {(problem.record, problem.field, problem.row) for problem in caught.value.problems}
    assert ("Sources row 3", "published", 3) in found
    assert ("About", "title", 3) in found


def test_read_rejects_a_bad_header_and_a_file_that_is_not_a_workbook(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    workbook["Events"][f"{LETTER['title']}1"] = "headline"
    edited = io.BytesIO()
    workbook.save(edited)
    typo = r"missing columns \['title'\]; columns it does not know: 'headline' \(a typo\?\)"
    with pytest.raises(DatasetError, match=typo):
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    with pytest.raises(DatasetError, match=r"not an Excel \.xlsx workbook"):
        xlsx_format.read(io.BytesIO(b"id,date\n"), "events.csv")
    del workbook["Events"]
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError, match="no sheet named 'Events'"):
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")


def test_a_column_named_twice_is_a_problem_naming_both_columns(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    workbook["Events"][f"{AFTER_NOTE}1"] = "title"  # a second title column, after note
    workbook["Events"][f"{AFTER_NOTE}2"] = "Another title"
    workbook["Events"][f"{get_column_letter(len(EVENTS_HEADER) + 2)}1"] = "headline"
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    messages = [problem.message for problem in caught.value.problems]
    assert messages == [  # the extra 'headline' column alone would be a note, not a problem
        f"duplicate column 'title' in columns {LETTER['title']} and {AFTER_NOTE}: keep one",
    ]
    assert {problem.record for problem in caught.value.problems} == {"Events row 1"}


def test_every_reader_problem_carries_its_sheet_row(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    sheet = workbook["Events"]
    sheet[f"{LETTER['category']}3"] = "weather"
    sheet[f"{LETTER['places']}4"] = "Seoul;KOR"  # a place needs four parts: found before the event is built
    sheet["A6"] = sheet["A5"].value  # the same id twice: found across records
    sheet[f"{AFTER_NOTE}7"] = "stray"
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    found = {
        (problem.record.split(" (")[0], problem.field, problem.row, problem.line) for problem in caught.value.problems
    }
    assert found == {
        ("Events row 3", "category", 3, None),
        ("Events row 4", "places", 4, None),
        ("Events row 6", "id", 6, None),
        ("Events row 7", "", 7, None),
    }


def test_header_problems_are_on_row_1(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    workbook["Events"][f"{LETTER['title']}1"] = "headline"
    workbook["Events"][f"{AFTER_NOTE}1"] = "note"
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    assert [problem.row for problem in caught.value.problems] == [1, 1]


def test_issue_source_id_used_twice_is_a_problem_not_a_crash(bundled_xlsx: bytes) -> None:
    """Two Sources rows with one id made the reader raise the validator's FieldError instead of a DatasetError."""
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    workbook["Sources"]["A3"] = workbook["Sources"]["A2"].value
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    (problem,) = caught.value.problems
    assert (problem.record, problem.field) == ("Sources", "id")
    assert problem.message.startswith("duplicate source ids [")


def test_a_bad_as_of_day_names_its_field_and_row(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    about = workbook["About"]
    (row,) = [cell.row for cell in about["A"] if cell.value == "As of"]
    about.cell(row=row, column=2).value = "last week"
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    (problem,) = caught.value.problems
    assert (problem.record, problem.field, problem.row) == ("About", "as_of", row)
    assert problem.message == "'last week' is not a YYYY-MM-DD date"


def test_text_that_starts_with_a_quote_reads_back_as_it_is() -> None:
    """The workbook keeps text as it is: no ' is added on writing, and none is taken off on reading."""
    texts = ["'quoted", "''twice", "'", "=1+1"]
    collection = EventCollection([event(id=f"e{i}", title=text, note=text) for i, text in enumerate(texts)])
    data = workbook_bytes(collection)
    assert [row[COLUMN["title"]] for row in rows(data, "Events")[1:]] == texts
    assert xlsx_format.read(io.BytesIO(data), "t.xlsx") == collection


# --- damaged workbooks ----------------------------------------------------------------------------


def rezip(data: bytes, part: str, change: Callable[[bytes], bytes], *, stored: bool = False) -> bytes:
    """The workbook with one part changed (and, if ``stored``, that part last and uncompressed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info.filename, source.read(info))
        method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        target.writestr(part, change(source.read(part)), compress_type=method)
    return out.getvalue()


def replace(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def change(xml: bytes) -> bytes:
        assert old in xml, old
        return xml.replace(old, new, 1)

    return change


def without(data: bytes, part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info))
    return out.getvalue()


def patch_directory(data: bytes, part: str, changes: dict[int, int]) -> bytes:
    """The zip with fields of ``part``'s central directory entry overwritten: {offset: 4-byte or 2-byte value}."""
    raw = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        index = list(archive.namelist()).index(part)
        start = raw.index(b"PK\x05\x06")  # end of central directory: where the directory starts
        position = struct.unpack_from("<I", raw, start + 16)[0]
    for _ in range(index):
        name, extra, comment = struct.unpack_from("<HHH", raw, position + 28)
        position += 46 + name + extra + comment
    for offset, value in changes.items():
        struct.pack_into("<H" if offset == 10 else "<I", raw, position + offset, value)
    return bytes(raw)


def corrupt_deflate(data: bytes, part: str) -> bytes:
    """The zip with ``part``'s deflate stream starting with a reserved block type."""
    raw = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        header = archive.getinfo(part).header_offset
    name, extra = struct.unpack_from("<HH", raw, header + 26)
    raw[header + 30 + name + extra] = 0xFF
    return bytes(raw)


@pytest.fixture(scope="module")
def small_xlsx() -> bytes:
    return workbook_bytes(EventCollection([event()]))


#: Reader, the sheet part it parses lazily, that sheet's name and its first event row.
READERS = {
    "read": (xlsx_format.read, "xl/worksheets/sheet1.xml", "Events", 2),
    "read_timelinejs_sheet": (xlsx_format.read_timelinejs_sheet, "xl/worksheets/sheet2.xml", "TimelineJS", 3),
}
STYLES = "xl/styles.xml"

Damage = Callable[[bytes, str, int], bytes]

#: Damage done to a workbook, given the reader's sheet part and first event row; the error type
#: zipfile, the XML parser or openpyxl raises for it; where the DatasetError says it is. Opening a
#: workbook reads the start of each sheet (up to 16 KiB), so damage to the zip entry of a small
#: sheet is found then, before any sheet is named.
DAMAGE: dict[str, tuple[Damage, str, str]] = {}


def damage(name: str, kind: str, where: str = "") -> Callable[[Damage], Damage]:
    def register(make: Damage) -> Damage:
        DAMAGE[name] = (make, kind, where)
        return make

    return register


@damage("not a zip", "BadZipFile")
def _not_a_zip(data: bytes, part: str, row: int) -> bytes:
    return b"id,date\n"


@damage("sheet cut in half", "ParseError", "{sheet} sheet")
def _cut_sheet(data: bytes, part: str, row: int) -> bytes:
    return rezip(data, part, lambda xml: xml[: len(xml) // 2])


@damage("cell reference past column ZZZ", "ValueError", "{sheet} sheet, after row {previous}")
def _far_column(data: bytes, part: str, row: int) -> bytes:
    return rezip(data, part, replace(f'r="A{row}"'.encode(), f'r="ZZZZZZ{row}"'.encode()))


@damage("number cell with a letter", "ValueError", "{sheet} sheet, after row {previous}")
def _letter_in_number(data: bytes, part: str, row: int) -> bytes:
    """The row's first number (a date serial in Events, the Year in TimelineJS) as "x45462"."""
    return rezip(data, part, lambda xml: re.sub(rf'(<row r="{row}".*?<v>)'.encode(), rb"\1x", xml, count=1))


@damage("sheet fails its CRC", "BadZipFile")
def _bad_crc(data: bytes, part: str, row: int) -> bytes:
    return patch_directory(data, part, {16: 12345})


@damage("sheet's deflate data corrupt", "zlib.error")
def _bad_deflate(data: bytes, part: str, row: int) -> bytes:
    return corrupt_deflate(data, part)


@damage("sheet shorter than its directory entry says", "EOFError")
def _short_sheet(data: bytes, part: str, row: int) -> bytes:
    return patch_directory(rezip(data, part, lambda xml: xml, stored=True), part, {20: 10**6, 24: 10**6})


@damage("sheet in an unknown compression", "NotImplementedError")
def _unknown_compression(data: bytes, part: str, row: int) -> bytes:
    return patch_directory(data, part, {10: 99})


@damage("styles cut in half", "ParseError")
def _cut_styles(data: bytes, part: str, row: int) -> bytes:
    return rezip(data, STYLES, lambda xml: xml[: len(xml) // 2])


@damage("no workbook part", "KeyError")
def _no_workbook(data: bytes, part: str, row: int) -> bytes:
    return without(data, "xl/workbook.xml")


@damage("no workbook content type", "OSError")
def _no_content_type(data: bytes, part: str, row: int) -> bytes:
    return rezip(data, "[Content_Types].xml", replace(b"spreadsheetml.sheet.main+xml", b"unknown"))


@damage("font size not a number", "TypeError")
def _bad_font_size(data: bytes, part: str, row: int) -> bytes:
    return rezip(data, STYLES, replace(b'<sz val="11"', b'<sz val="x"'))


@damage("style points past the fonts", "IndexError")
def _bad_font_index(data: bytes, part: str, row: int) -> bytes:
    return rezip(data, STYLES, replace(b'fontId="0"', b'fontId="99999999999"'))


@damage("number format id too big", "OverflowError")
def _huge_format_id(data: bytes, part: str, row: int) -> bytes:
    return rezip(data, STYLES, replace(b'numFmtId="164" fontId', b'numFmtId="99999999999" fontId'))


@pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl warns about some damage before failing
@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_workbook_is_a_dataset_error_naming_file_and_sheet(
    small_xlsx: bytes, reader: str, damage: str
) -> None:
    read, part, sheet, row = READERS[reader]
    make, kind, where = DAMAGE[damage]
    data = make(small_xlsx, part, row)
    with pytest.raises(DatasetError) as caught:
        read(io.BytesIO(data), "desk/damaged.xlsx")
    (problem,) = caught.value.problems
    assert problem.file == "desk/damaged.xlsx"
    assert problem.record == where.format(sheet=sheet, previous=row - 1)
    assert problem.message.startswith(f"not an Excel .xlsx workbook, or a damaged one ({kind}: ")
    assert caught.value.__cause__ is None  # one traceback, not openpyxl's too
    assert caught.value.__suppress_context__


def test_the_damage_cases_start_from_a_readable_workbook(small_xlsx: bytes) -> None:
    assert len(xlsx_format.read(io.BytesIO(small_xlsx), "ok.xlsx")) == 1
    assert len(xlsx_format.read_timelinejs_sheet(io.BytesIO(small_xlsx), "ok.xlsx")) == 1


def test_damage_found_while_reading_a_long_sheet_names_the_sheet(bundled: EventCollection) -> None:
    """A sheet longer than what opening reads is checked (here: its CRC) only as its rows are read."""
    copies = [attrs.evolve(item, id=f"{item.id}-{copy}") for copy in range(8) for item in bundled]
    long_xlsx = workbook_bytes(EventCollection(copies, bundled.info))
    with zipfile.ZipFile(io.BytesIO(long_xlsx)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").compress_size > 2 * 16 * 1024  # twice what opening reads
    data = patch_directory(long_xlsx, "xl/worksheets/sheet1.xml", {16: 12345})
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(data), "long.xlsx")
    (problem,) = caught.value.problems
    assert re.fullmatch(r"Events sheet, after row \d+", problem.record)
    assert "(BadZipFile: Bad CRC-32 for file 'xl/worksheets/sheet1.xml')" in problem.message


def test_a_row_past_excels_last_row_is_refused(small_xlsx: bytes) -> None:
    """openpyxl pads the gap with empty rows: row 99999999999 would take hours to reach."""
    part = READERS["read"][1]
    far = rezip(small_xlsx, part, lambda xml: re.sub(rb'r="([A-Z]*)2"', rb'r="\g<1>2000000"', xml))
    assert b'<c r="A2000000"' in zipfile.ZipFile(io.BytesIO(far)).read(part)
    with pytest.raises(DatasetError, match=r"Events sheet: a row numbered beyond Excel's last row, 1,048,576"):
        xlsx_format.read(io.BytesIO(far), "far.xlsx")


# --- reproducible bytes ---------------------------------------------------------------------------


class _OtherClock:
    """Stands in for zipfile's ``time`` module: the wall clock of another day."""

    @staticmethod
    def time() -> float:
        return 1_000_000_000.0

    @staticmethod
    def localtime(seconds: float | None = None) -> struct_time:
        return localtime(seconds)


def test_fixed_stamp_gives_identical_bytes(bundled: EventCollection, monkeypatch: pytest.MonkeyPatch) -> None:
    first = workbook_bytes(bundled)
    monkeypatch.setattr(zipfile, "time", _OtherClock)  # entries would otherwise carry this clock
    second = workbook_bytes(bundled)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2024, 6, 17, 12, 30, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert "<dcterms:created" in core
    assert core.count(">2024-06-17T12:30:00Z<") == 2  # created and modified
    assert workbook_bytes(bundled, STAMP + dt.timedelta(days=1)) != first


def test_stamp_is_converted_to_utc_and_must_be_aware(bundled: EventCollection) -> None:
    seoul = dt.timezone(dt.timedelta(hours=9))
    assert workbook_bytes(bundled, STAMP.astimezone(seoul)) == workbook_bytes(bundled)
    with pytest.raises(ValueError, match="no time zone"):
        workbook_bytes(bundled, dt.datetime(2024, 6, 17))  # naive: the point of the test


def test_stamp_defaults_to_now() -> None:
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    stream = io.BytesIO()
    xlsx_format.write(EventCollection(), stream)
    after = dt.datetime.now(dt.timezone.utc)
    facts = about_facts(stream.getvalue())
    stamp = dt.datetime.strptime(facts["Generated"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    assert before <= stamp <= after


# --- empty collections and the registry -----------------------------------------------------------


def test_empty_collection_gives_headers_only() -> None:
    data = workbook_bytes(EventCollection())
    assert calamine(data).sheet_names == SHEETS
    assert rows(data, "Events") == [EVENTS_HEADER]
    timeline = rows(data, "TimelineJS")
    assert len(timeline) == 2
    assert timeline[1][TIMELINEJS_HEADER.index("Type")] == "title"
    assert rows(data, "Sources")[1:] == []
    assert openpyxl.load_workbook(io.BytesIO(data))["Events"].auto_filter.ref == f"A1:{LETTER['revised']}1"
    assert xlsx_format.read(io.BytesIO(data), "empty.xlsx") == EventCollection()


def test_export_through_the_registry_and_load_back(bundled: EventCollection, tmp_path: Path) -> None:
    target = tmp_path / "timeline.xlsx"
    assert rnk_events.export(bundled, "xlsx", target, stamp=STAMP) == target
    assert target.read_bytes() == workbook_bytes(bundled)
    assert rnk_events.load(target) == bundled
    rnk_events.export(bundled.in_year(2024), str(tmp_path / "2024.xlsx"), stamp=STAMP)
    assert len(rows((tmp_path / "2024.xlsx").read_bytes(), "Events")) == 1 + len(bundled.in_year(2024))
    with pytest.raises(TypeError):
        rnk_events.export(bundled, "xlsx", tmp_path / "bad.xlsx", colour="red")
    assert not (tmp_path / "bad.xlsx").exists()


# --- a newsroom's own TimelineJS sheet -----------------------------------------------------------


def newsroom_sheet(*data_rows: dict[str, Any], title: str = "Our timeline") -> bytes:
    """A workbook like Knight Lab's template filled in by hand: first sheet, template header."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "od1"
    sheet.append(TIMELINEJS_HEADER)
    sheet.append([{"Type": "title", "Headline": title, "Text": "<p>Intro</p>"}.get(c) for c in TIMELINEJS_HEADER])
    for row in data_rows:
        sheet.append([row.get(column) for column in TIMELINEJS_HEADER])
    workbook.create_sheet("Notes")
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def test_read_a_newsroom_timelinejs_sheet() -> None:
    data = newsroom_sheet(
        {"Year": 2024, "Month": 6, "Day": 19, "Headline": "Putin <i>lands</i> in Pyongyang",
         "Text": "<p>Kim met him at the airport.</p><p>Crowds &amp; flags.</p>", "Group": "Summit",
         "Media": "https://example.invalid/photo.jpg"},
        {"Year": "2000", "Month": "7", "Headline": "Putin's first visit", "Text": "First trip.", "Group": "summit"},
        {"Year": 2024.0, "Month": 5, "Day": 16, "End Year": 2024, "End Month": 5, "End Day": 17,
         "Headline": "State visit to China", "Text": "Two days.", "Group": "diplomacy"},
        {"Year": 2023, "Month": 9, "End Year": 2024, "End Month": 6, "Headline": "Prep visits",
         "Text": "Officials came.", "Group": "Arms transfer"},
        {"Year": 2019, "Headline": "Same", "Text": "One", "Group": "politics", "End Year": 2019},
        {"Year": 2019, "Headline": "Same", "Text": "Two", "Group": "politics"},
        {"Year": 2023, "Month": 10, "Headline": "US accuses", "Group": "arms-transfer",
         "Text": "<p>Claims.</p><p><strong>Status:</strong> disputed</p>"},
        {"Year": 2020, "End Year": 2022, "Headline": "An era", "Type": "era"},
        {},
    )  # fmt: skip
    collection = xlsx_format.read_timelinejs_sheet(io.BytesIO(data), "/desk/Newsroom Timeline.xlsx")
    assert collection.info.title == "Our timeline"
    assert collection.info.name == "newsroom-timeline"
    by_title = {item.title: item for item in collection}
    assert (by_title["US accuses"].summary, by_title["US accuses"].status) == ("Claims.", Status.DISPUTED)
    assert set(by_title) == {
        "Putin lands in Pyongyang",
        "Putin's first visit",
        "State visit to China",
        "Prep visits",
        "Same",
        "US accuses",
    }
    lands = by_title["Putin lands in Pyongyang"]
    assert lands.id == "2024-06-19-putin-lands-in-pyongyang"
    assert str(lands.date) == "2024-06-19"
    assert lands.summary == "Kim met him at the airport.\nCrowds & flags."
    assert lands.category is Category.SUMMIT
    assert lands.status is Status.HAPPENED
    assert lands.actors == ()
    assert lands.sources == (SourceRef("newsroom-timeline", "Putin lands in Pyongyang"),)
    assert str(by_title["Putin's first visit"].date) == "2000-07"
    assert by_title["Putin's first visit"].id == "2000-07-putins-first-visit"
    assert str(by_title["State visit to China"].date) == "2024-05-16/2024-05-17"
    assert str(by_title["Prep visits"].date) == "2023-09/2024-06"
    assert by_title["Prep visits"].category is Category.ARMS_TRANSFER
    same = [item for item in collection if item.title == "Same"]
    assert sorted(item.id for item in same) == ["2019-same", "2019-same-2"]
    assert all(str(item.date) == "2019" for item in same)  # an end equal to the start is no range


@pytest.mark.parametrize(
    ("cells", "display", "expected"),
    [
        ({"Year": 2024, "Month": 5}, "c. May 2024", "2024-05~"),
        ({"Year": 2024, "Month": 6}, "one day between June 10 and 16, 2024", "[2024-06-10..2024-06-16]"),
        ({"Year": 2024, "Month": 5}, "May 16 or 17, 2024", "[2024-05-16,2024-05-17]"),
        ({"Year": 2024, "Month": 5, "Day": 16}, "May 16 or 17, 2024", "2024-05-16"),  # the export writes no Day
        ({"Year": 2024}, "summer 2024", "2024-22"),
        ({"Year": 2023, "Month": 9}, "since September 2023", "2023-09/.."),
        ({"Year": 2023, "Month": 9, "End Year": 2024, "End Month": 6, "End Day": 17}, "since September 2023",
         "2023-09/.."),  # an open end drawn to the as-of day, as the export draws it
        ({"Year": 2024, "Month": 6}, "until June 2024", "../2024-06"),
        ({"Year": 2024, "Month": 6}, "Summer 2024", "2024-06"),  # the words name another date: the cells win
        ({"Year": 2019}, "2024", "2019"),
        ({"Year": 2024, "Month": 6, "End Year": 2024, "End Month": 7}, "June 2024", "2024-06/2024-07"),
        ({"Year": 2024}, "a big year", "2024"),  # not a date: the cells
        ({"Year": 2024, "Month": 5}, "", "2024-05"),
    ],
)  # fmt: skip
def test_a_newsroom_sheets_display_date_says_what_the_cells_cannot(
    cells: dict[str, Any], display: str, expected: str
) -> None:
    """Display Date's date is taken when the TimelineJS export would write exactly these cells for it."""
    data = newsroom_sheet({**cells, "Display Date": display, "Headline": "H", "Text": "T", "Group": "summit"})
    (item,) = xlsx_format.read_timelinejs_sheet(io.BytesIO(data), "desk.xlsx")
    assert str(item.date) == expected


def test_newsroom_sheet_problems_name_row_and_column() -> None:
    data = newsroom_sheet(
        {"Year": 2024, "Headline": "Fine", "Text": "ok", "Group": "summit"},
        {"Year": 2024, "Headline": "Bad group", "Text": "x", "Group": "weather"},
        {"Headline": "No year", "Text": "x", "Group": "summit"},
        {"Year": 2024, "Day": 3, "Headline": "Day, no month", "Text": "x", "Group": "summit"},
        {"Year": "twenty", "Headline": "Words", "Text": "x", "Group": "summit"},
        {"Year": 2024, "End Year": 2023, "Headline": "Backwards", "Text": "x", "Group": "summit"},
        {"Year": 2024, "Month": 13, "Headline": "Month 13", "Text": "x", "Group": "summit"},
        {"Year": 2024, "Headline": "<br>", "Text": "", "Group": "summit"},
    )
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read_timelinejs_sheet(io.BytesIO(data), "desk.xlsx")
    assert all(problem.row == int(problem.record.split()[1]) for problem in caught.value.problems)
    found = {(problem.record, problem.field) for problem in caught.value.problems}
    assert found == {
        ("row 4", "Group"),
        ("row 5", "Year"),
        ("row 6", "Month"),
        ("row 7", "Year"),
        ("row 8", "End Year"),
        ("row 9", "Month"),
        ("row 10", "Headline"),
        ("row 10", "Text"),
    }
    assert "allowed: summit" in str(caught.value)


def test_a_template_column_named_twice_is_a_problem(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(bundled_xlsx))
    sheet = workbook["TimelineJS"]
    sheet["T1"] = "headline"  # a second Headline column, in another case
    sheet["T3"] = "Which one?"
    sheet["U1"] = "Notes"  # columns of the newsroom's own are ignored, even twice
    sheet["V1"] = "Notes"
    edited = io.BytesIO()
    workbook.save(edited)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read_timelinejs_sheet(io.BytesIO(edited.getvalue()), "desk.xlsx")
    assert [(problem.record, problem.row, problem.message) for problem in caught.value.problems] == [
        ("row 1", 1, "duplicate column 'Headline' in columns J and T: keep one")
    ]


def test_a_workbook_without_the_template_header_is_refused(bundled_xlsx: bytes) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Year", "Headline"])
    stream = io.BytesIO()
    workbook.save(stream)
    with pytest.raises(DatasetError, match="TimelineJS template header"):
        xlsx_format.read_timelinejs_sheet(io.BytesIO(stream.getvalue()), "desk.xlsx")


def test_timelinejs_rows_carry_the_timelinejs_exports_dates_and_status(
    bundled: EventCollection, bundled_xlsx: bytes
) -> None:
    """The sheet's date cells and status paragraph are exactly what the TimelineJS JSON slide has."""
    slides = timelinejs_format.to_timeline(bundled)["events"]
    table = [dict(zip(TIMELINEJS_HEADER, row, strict=True)) for row in rows(bundled_xlsx, "TimelineJS")[1:]]
    statuses = []
    for row, slide, item in zip(table[1:], slides, bundled, strict=True):
        for prefix, key in (("", "start_date"), ("End ", "end_date")):
            cells = {part: row[prefix + part.title()] for part in ("year", "month", "day")}
            assert {part: value for part, value in cells.items() if not blank(value)} == slide.get(key, {})
        (status,) = re.findall(r"<p><strong>Status:</strong> [^<]*</p>", slide["text"]["text"])
        updated = re.findall(r"<p><strong>Updated</strong> [^<]*</p>", slide["text"]["text"])
        (cited,) = re.findall(re.escape(SOURCES_HEADING) + "<ul>.*?</ul>", slide["text"]["text"])
        assert len(updated) == (1 if item.revision else 0)
        if item.status is not Status.HAPPENED:
            assert row["Text"].endswith(status + "".join(updated) + cited)
            statuses.append(status)
        else:
            assert row["Text"].endswith("".join(updated) + cited)
            assert "<strong>Status:</strong>" not in row["Text"]
    assert any(" as of June 17, 2024</p>" in status for status in statuses)  # a planned event's as-of day


def test_our_timelinejs_sheet_reads_back(bundled: EventCollection, bundled_xlsx: bytes) -> None:
    collection = xlsx_format.read_timelinejs_sheet(io.BytesIO(bundled_xlsx), "rnk.xlsx")
    assert collection.info.title == bundled.info.title
    assert {item.status for item in bundled} > {Status.HAPPENED}
    assert [(item.date, item.title, item.summary, item.category, item.status) for item in collection] == [
        (item.date, item.title, item.summary, item.category, item.status) for item in bundled
    ]


# --- the page's example ---------------------------------------------------------------------------


def test_the_excel_page_example_runs_and_stamps_the_workbook(
    bundled: EventCollection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = Path(__file__).resolve().parent.parent / "docs" / "formats" / "excel.md"
    (snippet,) = re.findall(r"^```python\n(.*?)^```$", page.read_text("utf-8"), re.MULTILINE | re.DOTALL)
    monkeypatch.chdir(tmp_path)
    exec(compile(snippet, str(page), "exec"), {})  # the page's own example
    data = (tmp_path / "2024.xlsx").read_bytes()
    assert about_facts(data)["Generated"] == "2024-06-17T00:00:00Z"
    assert data == workbook_bytes(bundled.in_year(2024), dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc))


def test_the_excel_page_quotes_a_damaged_file_error_as_it_is(small_xlsx: bytes) -> None:
    page = Path(__file__).resolve().parent.parent / "docs" / "formats" / "excel.md"
    (quoted,) = re.findall(r"^```text\n(.*?)\n^```$", page.read_text("utf-8"), re.MULTILINE | re.DOTALL)
    damaged = _far_column(small_xlsx, "xl/worksheets/sheet1.xml", 2)
    with pytest.raises(DatasetError) as caught:
        xlsx_format.read(io.BytesIO(damaged), "desk.xlsx")
    assert str(caught.value) == quoted


def test_the_excel_page_names_only_public_functions() -> None:
    page = Path(__file__).resolve().parent.parent / "docs" / "formats" / "excel.md"
    named = re.findall(r"rnk_events\.formats\.xlsx\.(\w+)", page.read_text("utf-8"))
    assert set(named) == {"read", "read_timelinejs_sheet"}
    assert set(named) <= set(xlsx_format.__all__)
    assert not re.search(r"\b_[a-z]\w*\.", page.read_text("utf-8"))


def test_the_package_exposes_the_format_names() -> None:
    assert {"write", "read", "read_timelinejs_sheet", "MAX_CELL_TEXT", "sheet_title"} <= set(xlsx_format.__all__)
    assert all(hasattr(xlsx_format, name) for name in xlsx_format.__all__)
    assert xlsx_format.MAX_CELL_TEXT == 32_767
