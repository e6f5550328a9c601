"""A desk's round trip through LibreOffice: export a workbook, re-save it with headless soffice, load it back.

LibreOffice rewrites every part of the file (its own styles, shared strings,
number formats), so this checks that what the export writes survives a real
spreadsheet program, not only openpyxl. All workbooks of a test go through
one soffice run, to keep the test near 10 s. CI sets
``RNK_EVENTS_REQUIRE_LIBREOFFICE=1`` so a missing soffice fails instead of skipping.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import uuid
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, seed, settings

import rnk_events
from rnk_events import DatasetError, DateSpan, EventCollection, Precision
from rnk_events.formats import xlsx as xlsx_format
from tests.conftest import skip_or_fail
from tests.edtf_strategies import edtf_dates
from tests.strategies import dated_event

STAMP = dt.datetime(2024, 6, 17, 12, 30, tzinfo=dt.timezone.utc)
REQUIRE = "RNK_EVENTS_REQUIRE_LIBREOFFICE"

#: One date of each form the grammar has, besides the generated ones.
DATE_FORMS = [
    "2024-06-19", "2024-06", "2024", "195X", "19XX", "2024-21", "2024-24", "2024-05~", "2024?", "2024-06-19%",
    "2023-09/2024-06", "2023-09/..", "../2024-06", "2023-09/", "[2024-06-10..2024-06-16]", "[2024-06-10,2024-06-12]",
    "0987", "1899-12-31", "1900-01-01", "1900-02-28", "9999-12-31",
]  # fmt: skip
#: Text a spreadsheet is tempted to change: a leading apostrophe, formula triggers, tabs, CR, other scripts.
#: Not CR LF: LibreOffice itself saves "\r\n" as "\n" (it keeps a lone "\r", written as ``&#13;``).
HOSTILE_TEXT = [
    "'quoted", "''twice", "=1+1", "+7 (495) 123", "-minus", "@mention", "=HYPERLINK(\"http://x\")",
    "tab\there", "carriage\rreturn", "Пхеньян и Москва", "조선민주주의인민공화국", "朝鮮",
    "_x0041_ look-alike", "0123", "1e5", "TRUE", "2024-06-19",
]  # fmt: skip


def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        skip_or_fail(REQUIRE, "LibreOffice (soffice) is not installed")
        raise AssertionError("unreachable")
    return found


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private LibreOffice profile, made once: a first start with a new profile takes most of the time."""
    return tmp_path_factory.mktemp("lo") / f"lo-profile-{uuid.uuid4().hex}"


def resave(paths: list[Path], out: Path, profile: Path) -> list[Path]:
    """Each workbook as LibreOffice saves it again (one soffice run, a private profile)."""
    out.mkdir()
    command = [
        soffice(),
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        "xlsx:Calc MS Excel 2007 XML",
        "--outdir",
        str(out),
        *map(str, paths),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    converted = [out / path.name for path in paths]
    missing = [path.name for path in converted if not path.exists()]
    assert not missing, f"soffice did not convert {missing}: {result.stdout} {result.stderr}"
    return converted


def export(collection: EventCollection, path: Path) -> Path:
    with path.open("wb") as stream:
        xlsx_format.write(collection, stream, stamp=STAMP)
    return path


def excel_typed(path: Path, value: dt.datetime, number_format: str, date: str) -> Path:
    """A one-event workbook whose date cell a person retyped, as Excel stores it: a date cell in that format."""
    export(EventCollection([dated_event(0, DateSpan.parse(date))]), path)
    workbook = openpyxl.load_workbook(path)
    workbook["Events"]["B2"] = value
    workbook["Events"]["B2"].number_format = number_format
    workbook.save(path)
    return path


def generated_dates(count: int) -> list[DateSpan]:
    """``count`` dates drawn by the grammar's strategy (seeded), so one soffice run can take them all."""
    drawn: list[DateSpan] = []

    @seed(20240617)
    @settings(max_examples=count, database=None, suppress_health_check=list(HealthCheck))
    @given(span=edtf_dates())
    def collect(span: DateSpan) -> None:
        drawn.append(span)

    collect()
    return list(dict.fromkeys(drawn))


def test_every_date_form_and_hostile_text_survive_a_libreoffice_resave(tmp_path: Path, profile: Path) -> None:
    folder = tmp_path
    spans = list(dict.fromkeys([DateSpan.parse(text) for text in DATE_FORMS] + generated_dates(40)))
    assert len(spans) > len(DATE_FORMS) + 20
    dated = [dated_event(number, span) for number, span in enumerate(spans)]
    texts = [
        rnk_events.Event(
            id=f"text-{number}",
            date="2024-06-19",
            title=text,
            summary=f"{text} summary",
            category="summit",
            status="happened",
            actors=("RUS", "PRK"),
            people=(text.strip() or "x",),
            sources=(rnk_events.SourceRef("src", text),),
            note=text,
        )
        for number, text in enumerate(HOSTILE_TEXT)
    ]
    originals = {
        "dates.xlsx": EventCollection(dated),
        "texts.xlsx": EventCollection(texts),
    }
    paths = [export(collection, folder / name) for name, collection in originals.items()]
    month = excel_typed(folder / "typed-month.xlsx", dt.datetime(2000, 7, 1), "mmm-yy", "2000-07")
    unclear = excel_typed(folder / "typed-unclear.xlsx", dt.datetime(2000, 7, 10), "d-mmm", "2000-07")
    resaved = resave([*paths, month, unclear], folder / "out", profile)

    for path, (name, original) in zip(resaved, originals.items(), strict=False):
        back = rnk_events.load(path)
        assert list(back) == list(original), name
        assert [str(item.date) for item in back] == [str(item.date) for item in original]

    typed = rnk_events.load(resaved[2])
    assert str(typed[0].date) == "2000-07"
    assert typed[0].date.precision is Precision.MONTH
    assert any("Events!B2" in note.message for note in typed.notes)

    with pytest.raises(DatasetError) as caught:
        rnk_events.load(resaved[3])
    (problem,) = caught.value.problems
    assert problem.message.startswith("Events!B2 ")
    assert "format the date column as Text" in problem.message


def test_libreoffice_keeps_the_date_column_as_text(tmp_path: Path, profile: Path) -> None:
    """openpyxl on LibreOffice's file: the date column is still a text cell, so Excel would not convert it."""
    collection = EventCollection([dated_event(0, DateSpan.parse("2024-06"))])
    (path,) = resave([export(collection, tmp_path / "one.xlsx")], tmp_path / "out", profile)
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))["Events"]
    header = [cell.value for cell in sheet[1]]
    date_cell = sheet.cell(row=2, column=header.index("date") + 1)
    assert (date_cell.value, date_cell.data_type) == ("2024-06", "s")
