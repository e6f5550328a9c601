"""Make the Knight Lab sheet fixtures: one table typed by hand into Knight Lab's template, as CSV and xlsx.

The rows are what a desk types into the Google Sheets template (text, as a
person types it); the CSV files are that table as Google Sheets and Excel
download it, the workbooks as Google Sheets' "Download as xlsx" stores it
(numbers as number cells). Run ``python tests/data/knightlab/make_fixtures.py``
to rewrite the CSV files; ``tests/test_knightlab.py`` checks they are current
and builds the workbooks itself (their zip timestamps differ on every save).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent

#: Knight Lab's template header, typed from the CSV template of TimelineJS 3.9.11.
HEADER_18 = [
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date", "Headline",
    "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group", "Background",
]  # fmt: skip
#: The Google Sheets template since TimelineJS 3.9.4: Alt Text after Media Thumbnail.
HEADER_19 = [*HEADER_18[:15], "Alt Text", *HEADER_18[15:]]

#: The sheet, row by row, as {column: text}; {} is a blank row.
ROWS: list[dict[str, str]] = [
    {"Type": "title", "Headline": "The desk's <b>Russia-North Korea</b> timeline", "Text": "<p>Our reporting.</p>"},
    {"Year": "2000", "Headline": "A year only", "Text": "Some time in 2000.", "Group": "diplomacy"},
    {"Year": "2000", "Month": "7", "Headline": "A month", "Text": "July.", "Group": "Summit"},
    {"Year": "2019", "Month": "4", "Day": "25", "Headline": "A day", "Text": "<p>Vladivostok &amp; the bridge.</p>",
     "Group": " summit ", "Media": "https://example.invalid/photo.jpg", "Alt Text": "Two leaders shaking hands"},
    {},
    {"Year": "2024", "Month": "5", "Day": "16", "End Year": "2024", "End Month": "5", "End Day": "17",
     "Headline": "Days to days", "Text": "Two days.", "Group": "sanctions"},
    {"Year": "2023", "Month": "9", "End Year": "2024", "End Month": "6", "Headline": "Months to months",
     "Text": "Officials came and went.", "Group": "Arms Transfer"},
    {"Year": "2020", "End Year": "2022", "Headline": "Years to years", "Text": "A long stretch.", "Group": "border"},
    {"Year": "2024", "Month": "5", "Display Date": "c. May 2024", "Headline": "About May",
     "Text": "Reported as about then.", "Group": "diplomacy"},
    {"Year": "2024", "Month": "6", "Display Date": "one day between June 10 and 16, 2024", "Headline": "That week",
     "Text": "One day that week.", "Group": "diplomacy"},
    {"Year": "2023", "Month": "9", "Display Date": "since September 2023", "Headline": "Since September",
     "Text": "Still going.", "Group": "military"},
    {"Year": "2024", "Month": "6", "Display Date": "Summer 2024", "Headline": "Words disagree",
     "Text": "The cells say June.", "Group": "diplomacy"},
    {"Year": "2024", "Month": "6", "Day": "19", "Time": "10:30", "Headline": "With a time",
     "Text": "Line one.\nLine two.", "Group": "summit"},
    {"Year": "2020", "End Year": "2022", "Headline": "An era", "Type": "era"},
    {"Year": "1,950", "Headline": "Thousands comma", "Text": "As TimelineJS reads 1,950.", "Group": "politics"},
    {"Year": "2000", "Headline": "A year only", "Text": "The same headline twice.", "Group": "diplomacy"},
]  # fmt: skip


def table(header: list[str]) -> list[list[str]]:
    """The rows under ``header``: a column the variant lacks (Alt Text in the 18-column one) is left out."""
    return [[row.get(column, "") for column in header] for row in ROWS]


def csv_bytes(header: list[str], *, bom: bool, newline: str) -> bytes:
    """The sheet as a CSV download: UTF-8, with or without a byte-order mark, ``newline`` between records."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(table(header))
    return ("\ufeff" if bom else "").encode("utf-8") + text.getvalue().encode("utf-8")


def _cell(text: str) -> str | int | None:
    """A typed cell as Google Sheets stores it: a whole number as a number, nothing as an empty cell."""
    if not text:
        return None
    return int(text) if re.fullmatch(r"-?\d+", text) else text


def xlsx_bytes(header: list[str]) -> bytes:
    """The sheet as Google Sheets' xlsx download: the template sheet first, a second sheet of the desk's notes."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "od6"
    sheet.append(header)
    for cells in table(header):
        if any(cells):
            sheet.append([_cell(text) for text in cells])
        else:
            sheet.append([])  # openpyxl skips nothing: the next row keeps its number
    workbook.create_sheet("Notes")["A1"] = "Ask the desk before publishing."
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


#: The committed CSV fixtures and how each is made: Excel's "CSV UTF-8" (BOM, CRLF), Google Sheets' (no BOM).
CSV_FIXTURES = {
    "template-18-bom-crlf.csv": (HEADER_18, True, "\r\n"),
    "template-19.csv": (HEADER_19, False, "\r\n"),
}


def main() -> None:
    for name, (header, bom, newline) in CSV_FIXTURES.items():
        (HERE / name).write_bytes(csv_bytes(header, bom=bom, newline=newline))


if __name__ == "__main__":
    main()
