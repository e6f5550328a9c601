"""Writing the Excel workbook: sheet names, what python-calamine (a Rust reader) and the raw XML see,
cell limits, reproducible bytes, the registry and the Excel page's example.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from time import localtime, struct_time
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import DatasetInfo, DateSpan, EventCollection, ExportError, Place, Source, SourceRef
from rnk_events.actors import actor_name
from rnk_events.formats import xlsx as xlsx_format
from tests.workbooks import STAMP, workbook_bytes
from tests.xlsx_helpers import (
    COLUMN,
    EVENTS_HEADER,
    LETTER,
    TIMELINEJS_HEADER,
    TRICKY,
    XML_ILLEGAL,
    calamine,
    event,
    rows,
    tricky_collection,
)

SHEETS = ["Events", "TimelineJS", "Sources", "Withdrawn", "About"]


def about_facts(data: bytes) -> dict[str, Any]:
    """The label/value rows at the top of the About sheet."""
    about = rows(data, "About")
    return {row[0]: row[1] for row in about[: [row[0] for row in about].index("Data dictionary")] if row[0]}


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
