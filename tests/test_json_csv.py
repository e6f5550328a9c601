"""JSON and CSV: round trips, the JSON Schema, formula-safe cells, and precise read errors."""

from __future__ import annotations

import csv
import importlib.resources
import io
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given

import rnk_events
from rnk_events import DatasetError, Event, EventCollection
from rnk_events.formats import csv as csv_format
from rnk_events.formats import json as json_format
from tests.strategies import event_lists, texts


def schema() -> dict[str, Any]:
    text = importlib.resources.files("rnk_events").joinpath("schema/events.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


VALIDATOR = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())

#: What a spreadsheet runs as a formula, written out here rather than taken from the module,
#: so a trigger dropped from the module's list fails these tests.
SPREADSHEET_RUNS = ("=", "+", "-", "@", "\t", "\r")


def to_bytes(events: EventCollection, fmt: str) -> bytes:
    stream = io.BytesIO()
    rnk_events.export(events, fmt, stream)
    return stream.getvalue()


def test_bundled_json_matches_the_package_data_byte_for_byte() -> None:
    bundled = importlib.resources.files("rnk_events").joinpath("data/events.json").read_bytes()
    assert to_bytes(rnk_events.load(), "json") == bundled


def test_json_export_validates_against_the_schema() -> None:
    document = json.loads(to_bytes(rnk_events.load(), "json"))
    VALIDATOR.validate(document)
    event = document["events"][0]
    assert {"id", "date", "title", "summary", "category", "actors", "status", "sources"} <= set(event)
    assert {"dataset", "version", "as_of", "sources", "events"} <= set(document)


def test_schema_rejects_what_the_reader_rejects() -> None:
    document = json.loads(to_bytes(rnk_events.load(), "json"))
    document["events"][0]["date"] = "July 2000"
    document["events"][1]["category"] = "war"
    messages = [error.message for error in VALIDATOR.iter_errors(document)]
    assert any("July 2000" in message for message in messages)
    assert any("war" in message for message in messages)


@given(event_lists())
def test_json_round_trip(items: list[Event]) -> None:
    events = EventCollection(items)
    data = to_bytes(events, "json")
    assert json_format.read(io.BytesIO(data), "mem.json") == events
    VALIDATOR.validate(json.loads(data))


@given(event_lists())
def test_csv_round_trip(items: list[Event]) -> None:
    events = EventCollection(items)
    back = csv_format.read(io.BytesIO(to_bytes(events, "csv")), "mem.csv")
    assert list(back) == list(events)


@given(event_lists(max_size=4))
def test_csv_is_readable_by_a_plain_csv_reader(items: list[Event]) -> None:
    events = EventCollection(items)
    data = to_bytes(events, "csv")
    assert b"\r\n" in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [row["id"] for row in rows] == [event.id for event in events]
    for row, event in zip(rows, events, strict=True):
        assert row["date"] == str(event.date)
        assert row["first_day"] == event.date.first_day.isoformat()
        for cell in row.values():
            assert not cell.startswith(SPREADSHEET_RUNS), cell


@given(texts | texts.map(lambda text: "\t" + text) | texts.map(lambda text: "\r" + text))
def test_neutralise_is_reversible_and_inert(cell: str) -> None:
    safe = csv_format.neutralise(cell)
    assert not safe.startswith(SPREADSHEET_RUNS)
    assert csv_format.restore(safe) == cell


#: Each cell a spreadsheet would run, one per trigger; tab and carriage return included, which
#: no event field can start with (their text is stripped) but a CSV table cell can.
FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_every_formula_trigger_is_quoted_in_the_file(formula: str) -> None:
    """Read back by the csv module, as a spreadsheet would see the file: the cell starts with '."""
    data = csv_format.encode_table(["cell", "other"], [[formula, "plain"]])
    (row,) = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert row == {"cell": "'" + formula, "other": "plain"}


@pytest.mark.parametrize("formula", [text for text in FORMULAS if text == text.strip()])
def test_event_text_starting_a_formula_is_quoted_and_reads_back(formula: str) -> None:
    item = rnk_events.load()[0]
    hostile = rnk_events.Event(**{**_fields(item), "title": formula, "note": formula, "people": (formula, "B")})
    data = to_bytes(EventCollection([hostile]), "csv")
    (row,) = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert (row["title"], row["note"], row["people"]) == ("'" + formula, "'" + formula, "'" + formula + "|B")
    assert list(csv_format.read(io.BytesIO(data), "mem.csv")) == [hostile]


def test_formula_cells_are_neutralised_on_disk(tmp_path: Path) -> None:
    event = rnk_events.load()[0]
    hostile = EventCollection([rnk_events.Event(**{**_fields(event), "title": '=HYPERLINK("x")', "note": "@SUM(A1)"})])
    path = tmp_path / "hostile.csv"
    rnk_events.export(hostile, "csv", path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[0]["title"] == '\'=HYPERLINK("x")'
    assert rows[0]["note"] == "'@SUM(A1)"
    assert rnk_events.load(path)[0].title == '=HYPERLINK("x")'


def _fields(event: Event) -> dict[str, Any]:
    return {
        field: getattr(event, field)
        for field in (
            "id",
            "date",
            "title",
            "summary",
            "category",
            "status",
            "actors",
            "people",
            "places",
            "sources",
            "note",
        )
    }


def test_csv_columns_are_documented_and_flat() -> None:
    data = to_bytes(rnk_events.load(), "csv").decode("utf-8-sig")
    header = data.split("\r\n", 1)[0].split(",")
    assert tuple(header) == csv_format.HEADER
    for column in header:
        assert f"``{column}``" in (csv_format.__doc__ or "") or column in csv_format.COLUMNS


def test_load_user_files(tmp_path: Path) -> None:
    events = rnk_events.load().by_actor("USA")
    for suffix in ("json", "csv"):
        path = tmp_path / f"mine.{suffix}"
        rnk_events.export(events, suffix, path)
        assert list(rnk_events.load(path)) == list(events)
    assert rnk_events.load(tmp_path / "mine.json").info == events.info


def broken_json(tmp_path: Path, mutate: Any) -> Path:
    document = json.loads(to_bytes(rnk_events.load(), "json"))
    mutate(document)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_json_errors_name_file_record_and_field(tmp_path: Path) -> None:
    def mutate(document: dict[str, Any]) -> None:
        document["events"][2]["date"] = "2000-13"
        document["events"][3]["places"] = [{"name": "X", "lat": 100, "lon": 0}]
        document["events"][4].pop("title")
        document["events"][5]["colour"] = "red"
        document["events"][6]["id"] = document["events"][7]["id"]
        document["events"][8]["sources"][0]["source"] = "nowhere"

    path = broken_json(tmp_path, mutate)
    with pytest.raises(DatasetError) as info:
        rnk_events.load(path)
    problems = {(p.record.split(" ")[0], p.field) for p in info.value.problems}
    assert problems >= {
        ("events[2]", "date"),
        ("events[3]", "places[0].lat"),
        ("events[4]", "title"),
        ("events[5]", ""),
        ("events[8]", "sources"),
    }
    assert any(p.field == "id" for p in info.value.problems)
    assert all(p.file == str(path) for p in info.value.problems)
    assert str(path) in str(info.value)
    assert "more problems" in str(info.value)


@pytest.mark.parametrize(
    ("content", "where"),
    [(b"{not json", "line 1 column 2"), (b"\xff\xfe", "byte 0"), (b"[]", "document"), (b'{"events": 3}', "document")],
)
def test_json_document_errors(tmp_path: Path, content: bytes, where: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(DatasetError, match=where):
        rnk_events.load(path)


def test_csv_errors_name_file_line_and_field(tmp_path: Path) -> None:
    data = to_bytes(rnk_events.load()[:4], "csv").decode("utf-8-sig")
    lines = data.split("\r\n")
    lines[2] = lines[2].replace(",summit,", ",war,", 1)
    lines[3] = lines[3].replace("PRK", "XXX", 1)
    path = tmp_path / "broken.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8", newline="")
    with pytest.raises(DatasetError) as info:
        rnk_events.load(path)
    found = {(p.record.split(" (")[0], p.field) for p in info.value.problems}
    assert ("line 3", "category") in found
    assert ("line 4", "actors") in found
    assert {(p.line, p.row) for p in info.value.problems} == {(3, None), (4, None)}


def test_every_csv_problem_carries_the_line_its_record_starts_on(tmp_path: Path) -> None:
    data = to_bytes(rnk_events.load()[:4], "csv").decode("utf-8-sig")
    records = list(csv.DictReader(io.StringIO(data, newline="")))
    records[0]["status"] = "two\r\nlines"  # not a status, and the record now spans lines 2 and 3
    records[1]["places"] = "Seoul;KOR"  # a place needs four parts
    records[3]["id"] = records[2]["id"]  # the same id twice
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=csv_format.HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    path = tmp_path / "broken.csv"
    path.write_text(text.getvalue(), encoding="utf-8", newline="")
    with pytest.raises(DatasetError) as info:
        rnk_events.load(path)
    found = [(p.record.split(" (")[0], p.line, p.field) for p in info.value.problems]
    assert found == [("line 2", 2, "status"), ("line 4", 4, "places"), ("line 6", 6, "id")]
    assert "is already used by line 5" in info.value.problems[2].message


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"id,date,colour\r\n", 1),
        (b"id,date\r\n\xff\r\n", 2),
        (",".join(csv_format.HEADER).encode() + b"\r\na,b\r\n", 2),
        (",".join(csv_format.HEADER).encode() + b'\r\n\r\n"open', 3),
    ],
)
def test_file_level_csv_problems_carry_a_line(tmp_path: Path, content: bytes, line: int) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(DatasetError) as info:
        rnk_events.load(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.row) == (line, None)


def test_csv_header_errors(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("id,date,colour\r\n", encoding="utf-8")
    typo = r"missing columns \['title', .*; columns it does not know: 'colour' \(a typo"
    with pytest.raises(DatasetError, match=typo):
        rnk_events.load(path)


def test_unknown_extension_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"expected a \.json, \.csv, \.xlsx"):
        rnk_events.load(tmp_path / "events.txt")
    with pytest.raises(DatasetError, match=r"missing\.json"):
        rnk_events.load(tmp_path / "missing.json")


def test_bundled_dataset_loads_once() -> None:
    assert rnk_events.load() is rnk_events.load()


def test_a_csv_is_named_after_its_file_not_the_bundled_dataset(tmp_path: Path) -> None:
    path = tmp_path / "Desk picks.csv"
    rnk_events.export(rnk_events.load()[:2], "csv", path)
    info = rnk_events.load(path).info
    assert (info.name, info.title, info.sources) == ("desk-picks", "Desk picks", ())
    assert rnk_events.EventCollection().info.title == "Events"


@pytest.mark.parametrize(
    ("mangle", "expected"),
    [
        (lambda data: data.replace(b",", b";"), "line 1: bad header: the file looks semicolon-separated"),
        (lambda data: data.replace("–".encode(), b"\x96"), "not UTF-8 text (in a spreadsheet, save as 'CSV UTF-8')"),
        (lambda data: data + b"a,b,c\r\n", "3 cells where the header has 19"),
        (lambda data: data + b"x," * 20 + b"\r\n", "21 cells where the header has 19"),
    ],
)
def test_csv_mistakes_get_a_hint(tmp_path: Path, mangle: Any, expected: str) -> None:
    data = to_bytes(rnk_events.load(), "csv")
    assert "–".encode() in data  # an en dash, which a cp1252 save turns into byte 0x96
    path = tmp_path / "mine.csv"
    path.write_bytes(mangle(data))
    with pytest.raises(DatasetError) as info:
        rnk_events.load(path)
    assert expected in str(info.value)


def _event_json(**changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "id": "a", "date": "2024", "title": "t", "summary": "s", "category": "summit",
        "status": "happened", "actors": [], "sources": [{"source": "s", "evidence": "e"}],
    }  # fmt: skip
    event.update(changes)
    return event


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[" * 100_000, "not a JSON document this reader accepts"),
        (b'{"events": [], "version": ' + b"1" * 5000 + b"}", "not a JSON document this reader accepts"),
        (b'{"events": [{"id": "a", "id": "b"}]}', "field 'id': the same key appears twice"),
        (b'{"dataset": null, "events": []}', "field 'dataset': expected text"),
        (json.dumps({"events": [_event_json(places=["Seoul"])]}).encode(), "'places[0]': expected an object"),
        (json.dumps({"events": [_event_json(title="a\ud800")]}).encode(), "surrogate"),
        (json.dumps({"events": [_event_json(note=None)]}).encode(), "field 'note'"),
    ],
)
def test_hostile_json_is_a_dataset_error(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "hostile.json"
    path.write_bytes(content)
    with pytest.raises(DatasetError) as info:
        rnk_events.load(path)
    assert expected in str(info.value)


def test_json_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + to_bytes(rnk_events.load(), "json"))
    assert rnk_events.load(path) == rnk_events.load()


def test_csv_cells_beyond_the_csv_module_limit_round_trip(tmp_path: Path) -> None:
    event = rnk_events.load()[0]
    long = EventCollection([rnk_events.Event(**{**_fields(event), "summary": "x" * 200_000})])
    path = tmp_path / "long.csv"
    rnk_events.export(long, "csv", path)
    previous = csv.field_size_limit(131_072)  # the csv module's default; other libraries may raise it
    try:
        assert rnk_events.load(path)[0].summary == "x" * 200_000
        assert csv.field_size_limit() == 131_072  # lifted only while reading
    finally:
        csv.field_size_limit(previous)


@pytest.mark.parametrize(
    ("mangle", "expected"),
    [
        (lambda data: data + b'"unterminated,', "line 32: not valid CSV"),
        (lambda data: data.replace(b",note,", b",title,", 1), "columns named twice ['title']"),
        (lambda data: data.replace(b";39.0392;", b";39_0392;", 1), "'39_0392' is not a number"),
    ],
)
def test_csv_syntax_and_header_errors_are_precise(tmp_path: Path, mangle: Any, expected: str) -> None:
    path = tmp_path / "mine.csv"
    data = to_bytes(rnk_events.load(), "csv")
    assert data.count(b"\r\n") == 31  # a header and 30 one-line records, so the bad record starts on line 32
    path.write_bytes(mangle(data))
    with pytest.raises(DatasetError) as info:
        rnk_events.load(path)
    assert expected in str(info.value)


PAGE = Path(__file__).resolve().parent.parent / "docs" / "formats" / "json-csv.md"


def test_the_page_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (snippet,) = re.findall(r"^```python\n(.*?)^```$", PAGE.read_text("utf-8"), re.MULTILINE | re.DOTALL)
    monkeypatch.chdir(tmp_path)
    exec(compile(snippet, str(PAGE), "exec"), {})  # the page's own example
    assert (tmp_path / "timeline.csv").read_bytes() == to_bytes(rnk_events.load(), "csv")


def test_the_page_shows_the_csv_as_the_export_writes_it() -> None:
    (shown,) = re.findall(r"^```csv\n(.*?)^```$", PAGE.read_text("utf-8"), re.MULTILINE | re.DOTALL)
    header, row = shown.splitlines()
    data = to_bytes(EventCollection([rnk_events.load().get(row.split(",")[0])]), "csv").decode("utf-8-sig")
    assert data == f"{header}\r\n{row}\r\n"
