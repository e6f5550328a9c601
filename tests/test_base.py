"""``load(path, base=collection)``: an edited export loads against the dataset it came from.

The desk exports the CSV or the workbook, edits one event, loads it back with
the bundled dataset as its base and re-exports: the JSON and the calendar
must then equal the original except for that event. The checks read the
files with readers other than the library's own (the csv module, openpyxl,
vobject, json).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import IO, Any

import attrs
import openpyxl
import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

import rnk_events
from rnk_events import DatasetError, DatasetInfo, EventCollection, Source, SourceRef, Withdrawal
from rnk_events.formats import FormatInfo, registry
from tests import strategies
from tests.csv_lines import record_line

STAMP = dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)
EDITED_ID = "2019-04-25-first-putin-kim-jong-un-summit-vladivostok"
NEW_TITLE = "Putin and Kim Jong Un meet in Vladivostok (edited by the desk)"


def bundled() -> EventCollection:
    return rnk_events.load()


def edit_csv(path: Path, event_id: str, column: str, value: str) -> None:
    """Change one cell the way a script (or a careful spreadsheet user) would: the csv module, UTF-8."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    [row] = [row for row in rows if row["id"] == event_id]
    row[column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


def edit_workbook(path: Path, event_id: str, column: str, value: str) -> None:
    """Change one cell of the events sheet with openpyxl (a writer other than the library's)."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    id_column, edited_column = header.index("id") + 1, header.index(column) + 1
    [row] = [row for row in range(2, sheet.max_row + 1) if sheet.cell(row, id_column).value == event_id]
    sheet.cell(row, edited_column).value = value
    workbook.save(path)


def json_document(events: EventCollection) -> dict[str, Any]:
    stream = io.BytesIO()
    rnk_events.export(events, "json", stream)
    document: dict[str, Any] = json.loads(stream.getvalue())
    return document


def calendar_events(events: EventCollection) -> tuple[str, dict[str, str]]:
    """The calendar's name and each VEVENT by UID, serialised by vobject."""
    stream = io.BytesIO()
    rnk_events.export(events, "ics", stream, stamp=STAMP)
    calendar = vobject.readOne(stream.getvalue().decode("utf-8"))
    by_uid = {component.uid.value: component.serialize() for component in calendar.vevent_list}
    return calendar.contents["x-wr-calname"][0].value, by_uid


def only_differences(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


@pytest.mark.parametrize("extension", [".csv", ".xlsx"])
def test_an_edited_export_reexports_with_only_the_edit_different(tmp_path: Path, extension: str) -> None:
    path = tmp_path / f"edited{extension}"
    rnk_events.export(bundled(), path)
    (edit_csv if extension == ".csv" else edit_workbook)(path, EDITED_ID, "title", NEW_TITLE)
    edited = rnk_events.load(path, base=bundled())

    original, again = json_document(bundled()), json_document(edited)
    assert {key: value for key, value in again.items() if key != "events"} == {
        key: value for key, value in original.items() if key != "events"
    }  # name, title, version, as-of date, sources, withdrawals: all from the base
    before = {event["id"]: event for event in original["events"]}
    after = {event["id"]: event for event in again["events"]}
    assert only_differences(before, after) == {EDITED_ID}
    assert after[EDITED_ID]["title"] == NEW_TITLE
    assert {**after[EDITED_ID], "title": before[EDITED_ID]["title"]} == before[EDITED_ID]

    name_before, vevents_before = calendar_events(bundled())
    name_after, vevents_after = calendar_events(edited)
    assert name_after == name_before == bundled().info.title  # the calendar is named from the base, not the file
    changed = only_differences(vevents_before, vevents_after)
    assert len(changed) == 1
    assert NEW_TITLE.split(" (")[0] in vevents_after[changed.pop()]


def test_without_a_base_the_metadata_is_the_files_own(tmp_path: Path) -> None:
    """The baseline the issue describes: a bare CSV is named after the file and lists no sources."""
    path = tmp_path / "edited.csv"
    rnk_events.export(bundled(), path)
    alone = rnk_events.load(path)
    assert alone.info.title == "edited"
    assert alone.info.sources == ()
    assert alone.info.as_of is None
    assert rnk_events.load(path, base=bundled()).info == bundled().info


def test_citations_resolve_and_planned_keeps_its_as_of(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from rnk_events.cli import main

    path = tmp_path / "edited.csv"
    rnk_events.export(bundled(), path)
    edited = rnk_events.load(path, base=bundled())
    for event in edited:
        for ref in event.sources:
            assert edited.info.source(ref.source).id == ref.source
    [planned] = [event for event in edited if event.id == "2024-06-18-putin-state-visit-to-north-korea"]
    assert planned.status.value == "planned"
    assert edited.info.as_of == dt.date(2024, 6, 17)

    assert main(["show", planned.id, "--data", str(path), "--base", "bundled"]) == 0
    out = capsys.readouterr().out
    assert "planned (as of June 17, 2024)" in out
    assert "not described in this dataset" not in out
    assert main(["show", planned.id, "--data", str(path)]) == 0  # without the base: the complaint of the issue
    assert "not described in this dataset" in capsys.readouterr().out


def test_problems_against_the_base_name_the_file_and_the_event(tmp_path: Path) -> None:
    path = tmp_path / "edited.csv"
    rnk_events.export(bundled(), path)
    edit_csv(path, EDITED_ID, "sources", "nobody-wrote-this;some words")
    with pytest.raises(DatasetError) as raised:
        rnk_events.load(path, base=bundled())
    [problem] = raised.value.problems
    assert problem.file == str(path)
    assert EDITED_ID in problem.record
    assert problem.field == "sources"
    assert "'nobody-wrote-this'" in problem.message
    # checked against the base as the file is read, so the problem keeps the line its record starts on
    assert problem.line == record_line(path, "id", lambda cell: cell == EDITED_ID)
    assert f"line {problem.line}" in str(raised.value)
    rnk_events.load(path)  # alone, the file cites what it likes: it lists no sources to check against


def test_a_problem_against_the_base_in_a_workbook_names_its_row(tmp_path: Path) -> None:
    """As a CSV's line: the reader checks against the base, so the problem keeps the sheet row."""
    workbook = tmp_path / "edited.xlsx"
    rnk_events.export(bundled(), workbook)
    edit_workbook(workbook, EDITED_ID, "sources", "nobody-wrote-this;some words")
    sheet = openpyxl.load_workbook(workbook).worksheets[0]
    ids = [cell.value for cell in sheet[1]].index("id")
    [row] = [number for number, values in enumerate(sheet.iter_rows(values_only=True), 1) if values[ids] == EDITED_ID]
    with pytest.raises(DatasetError) as raised:
        rnk_events.load(workbook, base=bundled())
    [problem] = raised.value.problems
    assert (problem.row, problem.field) == (row, "sources")


def test_a_reader_that_ignores_the_base_is_still_checked_against_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin format's reader may build its collection itself; load then checks it against the base, by id."""
    module = ModuleType("tests_base_plain_reader")
    events = list(bundled())

    def read(stream: IO[bytes], origin: str) -> EventCollection:
        wanted = json.loads(stream.read())
        return EventCollection(attrs.evolve(event, sources=(SourceRef(wanted, "words"),)) for event in events[:2])

    module.read = read  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    plain = FormatInfo("plain", (".plain",), "text/plain", "a reader only this test knows", module.__name__)
    monkeypatch.setitem(registry.FORMATS, "plain", attrs.evolve(plain, reads=True, writes=False))
    cited = bundled().info.sources[0].id
    (tmp_path / "good.plain").write_text(json.dumps(cited))
    loaded = rnk_events.load(tmp_path / "good.plain", base=bundled())
    assert loaded.info == bundled().info
    assert [ref.source for event in loaded for ref in event.sources] == [cited, cited]
    (tmp_path / "bad.plain").write_text(json.dumps("nobody-wrote-this"))
    with pytest.raises(DatasetError) as raised:
        rnk_events.load(tmp_path / "bad.plain", base=bundled())
    assert [(problem.field, problem.line) for problem in raised.value.problems] == [("sources", None)] * 2
    assert all(
        event.id[:20] in problem.record for event, problem in zip(events[:2], raised.value.problems, strict=True)
    )


def test_a_withdrawn_id_is_refused_against_the_base(tmp_path: Path) -> None:
    withdrawal = Withdrawal(
        id=EDITED_ID, reason="A duplicate.", withdrawn="2026-12-01", date="2019-04-25", title="Summit"
    )
    info = bundled().info
    base = EventCollection((event for event in bundled() if event.id != EDITED_ID), DatasetInfo(
        name=info.name, title=info.title, version=info.version, as_of=info.as_of, sources=info.sources,
        withdrawn=(withdrawal,),
    ))  # fmt: skip
    path = tmp_path / "edited.csv"
    rnk_events.export(bundled(), path)  # still has the event the base withdrew
    with pytest.raises(DatasetError) as raised:
        rnk_events.load(path, base=base)
    [problem] = raised.value.problems
    assert (problem.file, problem.field) == (str(path), "id")
    assert "withdrawn on 2026-12-01" in problem.message


def test_a_stream_loads_against_a_base(tmp_path: Path) -> None:
    path = tmp_path / "edited.csv"
    rnk_events.export(bundled(), path)
    with path.open("rb") as stream:
        loaded = rnk_events.load(stream, base=bundled())
    assert loaded.info == bundled().info
    assert list(loaded) == list(bundled())


def test_a_bad_base_is_a_type_error(tmp_path: Path) -> None:
    path = tmp_path / "edited.csv"
    rnk_events.export(bundled(), path)
    with pytest.raises(TypeError, match="EventCollection"):
        rnk_events.load(path, base="bundled")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="goes with a path"):
        rnk_events.load(base=bundled())


@st.composite
def datasets(draw: st.DrawFn) -> EventCollection:
    """Events with any date form and hostile text, and a source for every id they cite."""
    events = draw(strategies.event_lists(max_size=5))
    cited = sorted({ref.source for event in events for ref in event.sources})
    sources = [Source(id=source_id, publisher="P", title="T", published="2024-01-01") for source_id in cited]
    return EventCollection(
        events, DatasetInfo(name=draw(strategies.texts), as_of=draw(strategies.days), sources=sources)
    )


@settings(max_examples=25)
@given(datasets())
def test_any_dataset_round_trips_through_csv_with_its_base(events: EventCollection) -> None:
    stream = io.BytesIO()
    rnk_events.export(events, "csv", stream)
    stream.seek(0)
    loaded = rnk_events.load(stream, base=events, format="csv")
    assert loaded.info == events.info
    assert list(loaded) == list(events)


def test_a_text_stream_is_a_type_error_naming_binary_mode(tmp_path: Path) -> None:
    path = tmp_path / "edited.csv"
    rnk_events.export(bundled(), path)
    with path.open(encoding="utf-8") as text, pytest.raises(TypeError, match=r"binary mode \('rb'\)"):
        rnk_events.load(text)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["path", "stream"])
def test_load_refuses_a_file_past_its_size_limit_before_reading_it_all(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "big.csv"
    rnk_events.export(rnk_events.load(), "csv", path)
    size = path.stat().st_size
    source: Any = path if kind == "path" else io.BytesIO(path.read_bytes())
    with pytest.raises(DatasetError, match=rf"larger than {size - 1:,} bytes, the most load reads") as caught:
        rnk_events.load(source, max_bytes=size - 1)
    assert caught.value.problems[0].file == (str(path) if kind == "path" else "<stdin>")
    again: Any = path if kind == "path" else io.BytesIO(path.read_bytes())
    assert len(rnk_events.load(again, max_bytes=size)) == len(rnk_events.load())  # exactly at the limit: read


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "10"])
def test_load_refuses_a_size_limit_that_is_not_a_whole_number(bad: Any) -> None:
    with pytest.raises(ValueError, match="max_bytes takes a whole number of bytes"):
        rnk_events.load("x.csv", max_bytes=bad)
