"""The workbook's TimelineJS sheet: what the export writes, checked with python-calamine (a Rust reader),
and a newsroom's own sheet on Knight Lab's template read in.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from typing import Any

import openpyxl
import pytest

from rnk_events import Category, DatasetError, DatasetInfo, EventCollection, PartialDate, Source, SourceRef, Status
from rnk_events.formats import timelinejs as timelinejs_format
from rnk_events.formats import xlsx as xlsx_format
from tests.workbooks import workbook_bytes
from tests.xlsx_helpers import TIMELINEJS_HEADER, event, rows

#: How the TimelineJS export heads an event's citations (written here by hand, not imported).
SOURCES_HEADING = "<p><strong>Sources:</strong></p>"


def blank(value: Any) -> bool:
    return value in ("", None)


# --- the TimelineJS sheet as written --------------------------------------------------------------


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
