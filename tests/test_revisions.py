"""Revisions and withdrawals in the records: validated where they enter, kept by every reader, explained on lookup."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import io
import json
import re
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

import rnk_events
import rnk_events.formats.xlsx
from rnk_events import (
    DatasetError,
    DatasetInfo,
    Event,
    EventCollection,
    FieldError,
    Source,
    SourceRef,
    Withdrawal,
    WithdrawnEventError,
)
from rnk_events import rows as flat_rows
from rnk_events.formats import csv as csv_format
from rnk_events.formats import json as json_format
from rnk_events.lint import LintWarning, lint
from rnk_events.serialize import converter
from tests.events import make_event
from tests.strategies import event_lists, withdrawals

SCHEMA = jsonschema.Draft202012Validator(
    json.loads(importlib.resources.files("rnk_events").joinpath("schema/events.schema.json").read_text("utf-8"))
)


def make(**changes: Any) -> Event:
    """The shared test event, involving Russia alone and citing a ``wire`` source."""
    return make_event(**{"actors": ["RUS"], "sources": [SourceRef("wire", "July, 2000")], **changes})


def withdrawal(**changes: Any) -> Withdrawal:
    fields: dict[str, Any] = {
        "id": "2000-07-putin-visit-duplicate",
        "reason": "A duplicate of the visit",
        "withdrawn": "2026-12-01",
        "replaced_by": "2000-07-putin-visit",
        "date": "2000-07",
        "title": "Putin visits, again",
    }
    return Withdrawal(**{**fields, **changes})


# --- the records ---------------------------------------------------------------------------------


def test_an_event_is_as_first_published_by_default() -> None:
    event = make()
    assert (event.revision, event.revised, event.is_revised) == (0, None, False)
    revised = make(revision=2, revised="2026-12-01")
    assert (revised.revision, revised.revised, revised.is_revised) == (2, dt.date(2026, 12, 1), True)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"revision": -1}, "revision", "-1 is below 0"),
        ({"revision": True}, "revision", "expected a whole number, got bool True"),
        ({"revision": 1.0}, "revision", "expected a whole number, got float 1.0"),
        ({"revision": "1"}, "revision", "expected a whole number, got str '1'"),
        ({"revision": 1}, "revised", "revision 1 needs the day of that revision"),
        ({"revised": "2026-12-01"}, "revised", "2026-12-01 is set but revision is 0"),
    ],
)
def test_revision_and_revised_are_checked_together(changes: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(FieldError) as caught:
        make(**changes)
    assert caught.value.field == field
    assert caught.value.message.startswith(message)


def test_revised_takes_only_a_day() -> None:
    with pytest.raises(ValueError, match=r"'Dec\. 1, 2026' is not a YYYY-MM-DD date"):
        make(revision=1, revised="Dec. 1, 2026")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": "Not A Slug"}, "id"),
        ({"reason": ""}, "reason"),
        ({"replaced_by": "Bad Id"}, "replaced_by"),
        ({"replaced_by": "2000-07-putin-visit-duplicate"}, "replaced_by"),  # itself
        ({"title": " padded"}, "title"),
        ({"revision": -1}, "revision"),
    ],
)
def test_a_withdrawal_is_validated(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(FieldError) as caught:
        withdrawal(**changes)
    assert caught.value.field == field


def test_a_withdrawal_converts_its_day_and_date() -> None:
    entry = withdrawal()
    assert entry.withdrawn == dt.date(2026, 12, 1)
    assert str(entry.date) == "2000-07"
    assert (entry.replaced_by, entry.revision) == ("2000-07-putin-visit", 0)


def test_an_id_is_withdrawn_once() -> None:
    with pytest.raises(FieldError, match=r"withdrawn: ids withdrawn twice \['2000-07-putin-visit-duplicate'\]"):
        DatasetInfo(withdrawn=[withdrawal(), withdrawal(reason="Again")])
    with pytest.raises(TypeError, match="expected Withdrawal, got dict"):
        DatasetInfo(withdrawn=[{"id": "x"}])


# --- the collection ------------------------------------------------------------------------------


def test_get_of_a_withdrawn_id_says_when_why_and_what_replaces_it() -> None:
    events = EventCollection([make()], DatasetInfo(withdrawn=[withdrawal()]))
    with pytest.raises(WithdrawnEventError) as caught:
        events.get("2000-07-putin-visit-duplicate")
    error = caught.value
    assert isinstance(error, KeyError)  # code that catches a missing id keeps working
    assert (error.event_id, error.reason, error.withdrawn, error.replaced_by) == (
        "2000-07-putin-visit-duplicate",
        "A duplicate of the visit",
        dt.date(2026, 12, 1),
        "2000-07-putin-visit",
    )
    assert str(error) == (
        "event '2000-07-putin-visit-duplicate' was withdrawn on 2026-12-01: A duplicate of the visit. "
        "Its replacement is '2000-07-putin-visit'."
    )
    assert "2000-07-putin-visit-duplicate" not in events.ids


def test_get_of_a_withdrawal_without_a_replacement_says_so() -> None:
    events = EventCollection([], DatasetInfo(withdrawn=[withdrawal(replaced_by=None, reason="Never happened.")]))
    with pytest.raises(WithdrawnEventError, match=r"2026-12-01: Never happened\. Nothing replaces it\.$"):
        events.get("2000-07-putin-visit-duplicate")
    with pytest.raises(KeyError, match="no event with id 'unknown'") as caught:
        events.get("unknown")
    assert not isinstance(caught.value, WithdrawnEventError)


def test_a_collection_refuses_an_event_with_a_withdrawn_id() -> None:
    reused = make(id="2000-07-putin-visit-duplicate")
    with pytest.raises(ValueError, match="'2000-07-putin-visit-duplicate' was withdrawn on 2026-12-01"):
        EventCollection([reused], DatasetInfo(withdrawn=[withdrawal()]))


def test_a_file_reusing_a_withdrawn_id_names_the_record() -> None:
    document = json.loads(json_format.dumps(EventCollection([make()])))
    document["withdrawn"] = [converter.unstructure(withdrawal(id="2000-07-putin-visit", replaced_by=None))]
    with pytest.raises(DatasetError) as caught:
        json_format.read(io.BytesIO(json.dumps(document).encode()), "edition.json")
    (problem,) = caught.value.problems
    assert (problem.record, problem.field) == ("events[0] (id '2000-07-putin-visit')", "id")
    assert problem.message.startswith("'2000-07-putin-visit' was withdrawn on 2026-12-01 and can never be used again")


def test_a_bad_withdrawal_entry_names_its_field() -> None:
    document = json.loads(json_format.dumps(EventCollection([make()])))
    document["withdrawn"] = [{**converter.unstructure(withdrawal()), "withdrawn": "soon"}]
    with pytest.raises(DatasetError) as caught:
        json_format.read(io.BytesIO(json.dumps(document).encode()), "edition.json")
    (problem,) = caught.value.problems
    assert (problem.record, problem.field) == ("dataset", "withdrawn[0].withdrawn")
    assert "'soon' is not a YYYY-MM-DD date" in problem.message


def test_lint_warns_of_a_replacement_that_is_not_there() -> None:
    wire = Source("wire", "Wire", "A timeline", "2024-06-17")
    events = EventCollection([make()], DatasetInfo(sources=[wire], withdrawn=[withdrawal(replaced_by="elsewhere")]))
    assert lint(events) == [
        LintWarning(
            "2000-07-putin-visit-duplicate",
            "replaced_by",
            "withdrawn, and its replacement 'elsewhere' is not an event of this dataset",
        )
    ]
    assert lint(EventCollection([make()], DatasetInfo(sources=[wire], withdrawn=[withdrawal()]))) == []


# --- files ---------------------------------------------------------------------------------------


@given(event_lists(max_size=5), withdrawals())
def test_json_keeps_revisions_and_withdrawals_and_the_schema_accepts_them(events: list[Event], entry: Any) -> None:
    kept = [event for event in events if event.id != entry.id]
    collection = EventCollection(kept, DatasetInfo(version="2.0.1", withdrawn=[entry]))
    data = json_format.dumps(collection)
    assert json_format.read(io.BytesIO(data.encode()), "edition.json") == collection
    document = json.loads(data)
    SCHEMA.validate(document)
    assert document["withdrawn"][0]["id"] == entry.id
    assert [(event["revision"], event["revised"]) for event in document["events"]] == [
        (event.revision, None if event.revised is None else event.revised.isoformat()) for event in collection
    ]


@pytest.mark.parametrize(
    ("changes", "valid"),
    [
        ({}, True),
        ({"revision": 0, "revised": None}, True),
        ({"revision": 2, "revised": "2026-12-01"}, True),
        ({"revision": 2}, False),  # a revision needs its day
        ({"revision": 2, "revised": None}, False),
        ({"revised": "2026-12-01"}, False),  # a day without a revision
        ({"revision": 0, "revised": "2026-12-01"}, False),
        ({"revision": -1, "revised": None}, False),
        ({"revision": 1.5, "revised": "2026-12-01"}, False),
        ({"revision": 1, "revised": "1 Dec 2026"}, False),
    ],
)
def test_the_schema_checks_revision_and_revised_as_the_records_do(changes: dict[str, Any], valid: bool) -> None:
    document = json.loads(json_format.dumps(EventCollection([make()])))
    for key in ("revision", "revised"):
        del document["events"][0][key]
    document["events"][0].update(changes)
    assert SCHEMA.is_valid(document) is valid
    try:
        json_format.read(io.BytesIO(json.dumps(document).encode()), "edition.json")
    except DatasetError:
        loaded = False
    else:
        loaded = True
    assert loaded is valid, "the schema and the library disagree"


def test_a_csv_from_before_revisions_reads_as_first_published() -> None:
    stream = io.BytesIO()
    csv_format.write(EventCollection([make()]), stream)
    header, row, _ = stream.getvalue().decode().split("\r\n")
    assert header.endswith(",note,revision,revised")
    assert row.endswith(",0,")
    old = (header.removesuffix(",revision,revised") + "\r\n" + row.removesuffix(",0,") + "\r\n").encode()
    assert list(csv_format.read(io.BytesIO(old), "old.csv")) == [make()]


@pytest.mark.parametrize(
    ("revision", "revised", "field", "message"),
    [
        ("", "", None, None),
        ("3", "2026-12-01", None, None),
        (" 3 ", "2026-12-01 ", None, None),  # a spreadsheet's stray spaces
        ("x", "", "revision", "'x' is not a whole number, 0 or more"),
        ("-1", "", "revision", "'-1' is not a whole number, 0 or more"),
        ("1.0", "2026-12-01", "revision", "'1.0' is not a whole number, 0 or more"),
        ("1", "", "revised", "revision 1 needs the day of that revision"),
        ("", "2026-12-01", "revised", "2026-12-01 is set but revision is 0 (as first published)"),
        ("1", "12/1/2026", "revised", "'12/1/2026' is not a YYYY-MM-DD date"),
    ],
)
def test_revision_cells_read_back_or_name_their_column(
    revision: str, revised: str, field: str | None, message: str | None
) -> None:
    cells = flat_rows.event_cells(make())
    cells.update(revision=revision, revised=revised)
    event, problems = flat_rows.event_from_cells(cells, "mine.csv", "line 2", line=2)
    if field is None:
        assert problems == []
        assert event is not None
        assert (event.revision, event.revised) == ((0, None) if not revision else (3, dt.date(2026, 12, 1)))
        return
    assert event is None
    assert [(problem.field, problem.message, problem.line) for problem in problems] == [(field, message, 2)]


def test_the_bundled_dataset_withdraws_nothing_yet() -> None:
    info = rnk_events.load().info
    assert info.withdrawn == ()
    assert info.withdrawal("2024-06-10-kim-calls-russia-ties-unbreakable") is None


def test_a_withdrawal_is_a_frozen_record() -> None:
    entry = withdrawal()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        entry.reason = "other"  # type: ignore[misc]


# --- the workbook's Withdrawn sheet ---------------------------------------------------------------


def workbook(events: EventCollection) -> bytes:
    stream = io.BytesIO()
    rnk_events.export(events, "xlsx", stream, stamp=dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc))
    return stream.getvalue()


def withdrawn_rows(data: bytes) -> list[list[Any]]:
    """The Withdrawn sheet as python-calamine (not openpyxl, which wrote it) reads it."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    table: list[list[Any]] = book.get_sheet_by_name("Withdrawn").to_python(skip_empty_area=False)
    return table


def test_the_withdrawn_sheet_lists_each_withdrawal() -> None:
    entry = withdrawal(revision=2)
    table = withdrawn_rows(workbook(EventCollection([make()], DatasetInfo(withdrawn=[entry]))))
    assert table == [
        ["id", "reason", "withdrawn", "replaced_by", "date", "title", "revision"],
        [entry.id, entry.reason, dt.date(2026, 12, 1), "2000-07-putin-visit", "2000-07", entry.title, 2],
    ]
    assert withdrawn_rows(workbook(EventCollection([make()]))) == [table[0]]


def _xml(text: str) -> str:
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "x", text)


@settings(max_examples=20)
@given(event_lists(max_size=4), st.lists(withdrawals(), max_size=3, unique_by=lambda entry: entry.id))
def test_the_workbook_keeps_revisions_and_withdrawals(events: list[Event], entries: list[Withdrawal]) -> None:
    # text XML 1.0 forbids cannot round-trip through a workbook (its cells are XML); swap it out
    entries = [attrs.evolve(entry, reason=_xml(entry.reason), title=_xml(entry.title)) for entry in entries]
    taken = {entry.id for entry in entries}
    collection = EventCollection([event for event in events if event.id not in taken], DatasetInfo(withdrawn=entries))
    back = rnk_events.formats.xlsx.read(io.BytesIO(workbook(collection)), "edition.xlsx")
    assert back.info.withdrawn == collection.info.withdrawn
    assert [(event.revision, event.revised) for event in back] == [(e.revision, e.revised) for e in collection]
    assert not rnk_events.diff(collection, back).withdrawn


@pytest.mark.parametrize(
    ("cell", "value", "field", "message"),
    [
        ("C2", "soon", "withdrawn", "'soon' is not a YYYY-MM-DD date"),
        ("E2", "2000-13", "date", "'2000-13' is not a valid date"),
        ("G2", "two", "revision", "'two' is not a whole number, 0 or more"),
        ("D2", "2000-07-putin-visit-duplicate", "replaced_by", "'2000-07-putin-visit-duplicate' cannot replace itself"),
    ],
)
def test_a_bad_withdrawn_row_names_its_row_and_field(cell: str, value: str, field: str, message: str) -> None:
    import openpyxl

    book = openpyxl.load_workbook(
        io.BytesIO(workbook(EventCollection([make()], DatasetInfo(withdrawn=[withdrawal()]))))
    )
    book["Withdrawn"][cell] = value
    edited = io.BytesIO()
    book.save(edited)
    with pytest.raises(DatasetError) as caught:
        rnk_events.formats.xlsx.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    (problem,) = caught.value.problems
    assert (problem.record, problem.field, problem.row) == ("Withdrawn row 2", field, 2)
    assert problem.message.startswith(message)


def test_a_withdrawn_id_twice_in_the_workbook_names_the_sheet() -> None:
    import openpyxl

    entries = [withdrawal(), withdrawal(id="another-duplicate")]
    book = openpyxl.load_workbook(io.BytesIO(workbook(EventCollection([make()], DatasetInfo(withdrawn=entries)))))
    book["Withdrawn"]["A3"] = "2000-07-putin-visit-duplicate"
    edited = io.BytesIO()
    book.save(edited)
    with pytest.raises(DatasetError) as caught:
        rnk_events.formats.xlsx.read(io.BytesIO(edited.getvalue()), "edited.xlsx")
    (problem,) = caught.value.problems
    assert (problem.record, problem.field) == ("Withdrawn", "id")
    assert "ids withdrawn twice" in problem.message


def test_a_workbook_from_before_the_data_version_label_reads_its_version() -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(workbook(EventCollection([make()], DatasetInfo(version="1.0.0")))))
    about = book["About"]
    (row,) = [cell.row for cell in about["A"] if cell.value == "Data version"]
    about.cell(row=row, column=1).value = "Version"  # what workbooks said before
    del book["Withdrawn"]  # and they had no Withdrawn sheet
    edited = io.BytesIO()
    book.save(edited)
    back = rnk_events.formats.xlsx.read(io.BytesIO(edited.getvalue()), "old.xlsx")
    assert (back.info.version, back.info.withdrawn) == ("1.0.0", ())


def test_show_of_a_withdrawn_id_says_it_was_withdrawn(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from rnk_events.cli import main

    path = tmp_path / "edition.json"
    wire = Source("wire", "Wire", "A timeline", "2024-06-17")
    path.write_text(json_format.dumps(EventCollection([make()], DatasetInfo(sources=[wire], withdrawn=[withdrawal()]))))
    assert main(["show", "2000-07-putin-visit-duplicate", "--data", str(path)]) == 1
    assert capsys.readouterr().err == (
        "rnk-events: error: event '2000-07-putin-visit-duplicate' was withdrawn on 2026-12-01: "
        "A duplicate of the visit. Its replacement is '2000-07-putin-visit'.\n"
    )
    assert main(["show", "2000-07-putin-visit", "--data", str(path)]) == 0
