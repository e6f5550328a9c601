"""Reading the data package back with this library, from the zip and the folder, and the errors it reports.

Writing the package, checked by frictionless, is in tests/test_export_datapackage.py.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rnk_events
from rnk_events import DatasetError, DatasetInfo, EventCollection, Withdrawal
from rnk_events.formats import datapackage as datapackage_format
from tests import strategies
from tests.csv_lines import record_line
from tests.datapackage_helpers import COLLECTIONS, check_package, datasets, zipped


def with_withdrawal(events: EventCollection) -> EventCollection:
    """The collection plus a withdrawn event, with formula triggers in its text."""
    withdrawal = Withdrawal(
        id="2024-06-18-putin-arrives-in-pyongyang",
        reason="=A duplicate, merged into the state visit.",
        withdrawn="2026-12-01",
        replaced_by=None,
        date="2024-06-18~",
        title="-Putin arrives in Pyongyang",
        revision=2,
    )
    info = events.info
    return EventCollection(
        events,
        DatasetInfo(
            name=info.name,
            title=info.title,
            version=info.version,
            as_of=info.as_of,
            sources=info.sources,
            withdrawn=(withdrawal,),
        ),
    )


@pytest.mark.parametrize("name", sorted(COLLECTIONS))
def test_load_reads_the_zip_and_the_folder_back_whole(tmp_path: Path, name: str) -> None:
    events = with_withdrawal(COLLECTIONS[name]())
    zip_path = tmp_path / "timeline.datapackage.zip"
    zip_path.write_bytes(zipped(events))
    folder = datapackage_format.write_directory(events, tmp_path / "timeline")
    check_package(zip_path, events)  # frictionless still passes it, withdrawn.csv included
    for source in (zip_path, folder, folder / "datapackage.json"):
        loaded = rnk_events.load(source)
        assert loaded.info == events.info
        assert list(loaded) == list(events)
        assert loaded.notes == ()


def test_a_withdrawn_id_in_the_events_table_is_refused(tmp_path: Path) -> None:
    events = with_withdrawal(rnk_events.load())
    folder = datapackage_format.write_directory(events, tmp_path / "timeline")
    rows = (
        (folder / "withdrawn.csv")
        .read_bytes()
        .replace(b"2024-06-18-putin-arrives-in-pyongyang", b"2000-putin-becomes-president")
    )
    (folder / "withdrawn.csv").write_bytes(rows)
    with pytest.raises(DatasetError) as raised:
        rnk_events.load(folder)
    messages = [(problem.file, problem.field, problem.message) for problem in raised.value.problems]
    assert messages[0][0] == f"{folder}/events.csv"
    assert messages[0][1] == "id"
    assert "'2000-putin-becomes-president' was withdrawn on 2026-12-01" in messages[0][2]


def test_an_edited_table_loads_with_a_note(tmp_path: Path) -> None:
    folder = datapackage_format.write_directory(rnk_events.load(), tmp_path / "timeline")
    data = (folder / "events.csv").read_bytes()
    (folder / "events.csv").write_bytes(
        data.replace(b"Putin becomes Russia's president", b"Putin becomes Russia's acting president", 1)
    )
    loaded = rnk_events.load(folder)
    assert loaded.get("2000-putin-becomes-president").title == "Putin becomes Russia's acting president"
    [note] = loaded.notes
    assert note.file == f"{folder}/events.csv"
    assert "edited after the package was written" in note.message


def test_a_citation_the_package_cannot_resolve_names_its_line(tmp_path: Path) -> None:
    """Checked against the package's sources as events.csv is read, so the problem keeps the row's line."""
    folder = datapackage_format.write_directory(rnk_events.load(), tmp_path / "timeline")
    table = folder / "events.csv"
    with table.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("sources")
    rows[3][column] = "nobody-wrote-this;some words"
    with table.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    with pytest.raises(DatasetError) as raised:
        rnk_events.load(folder)
    [problem] = raised.value.problems
    assert (problem.file, problem.field) == (str(table), "sources")
    assert problem.line == record_line(table, "sources", lambda cell: cell.startswith("nobody-wrote-this"))
    assert "'nobody-wrote-this'" in problem.message


def test_problems_name_the_member_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "timeline.datapackage.zip"
    path.write_bytes(zipped(rnk_events.load()))
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["sources.csv"] = members["sources.csv"].replace(b",2024-06-17,", b",17 June 2024,", 1)
    members["events.csv"] = members["events.csv"].replace(b",summit,", b",party,", 1)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(DatasetError) as raised:
        rnk_events.load(path)
    found = {(problem.file, problem.field) for problem in raised.value.problems}
    assert (f"{path}/events.csv", "category") in found
    assert (f"{path}/sources.csv", "published") in found
    assert all(problem.line is not None for problem in raised.value.problems)


def test_a_package_without_withdrawn_csv_still_loads(tmp_path: Path) -> None:
    """Packages written before withdrawn.csv existed: no withdrawals, everything else."""
    folder = datapackage_format.write_directory(rnk_events.load(), tmp_path / "old")
    (folder / "withdrawn.csv").unlink()
    loaded = rnk_events.load(folder)
    assert loaded.info == rnk_events.load().info
    assert loaded.info.withdrawn == ()


def test_not_a_package_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetError, match=r"no datapackage\.json"):
        rnk_events.load(tmp_path / "empty")
    bogus = tmp_path / "bogus.datapackage.zip"
    bogus.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(DatasetError, match="not a zip file"):
        rnk_events.load(bogus)


@settings(max_examples=25)
@given(datasets(), st.lists(strategies.withdrawals(), max_size=3, unique_by=lambda withdrawal: withdrawal.id))
def test_any_dataset_reads_back_from_its_package(events: EventCollection, withdrawals: list[Withdrawal]) -> None:
    taken = set(events.ids)
    kept = tuple(withdrawal for withdrawal in withdrawals if withdrawal.id not in taken)
    info = events.info
    events = EventCollection(
        events, DatasetInfo(name=info.name, title=info.title, sources=info.sources, withdrawn=kept)
    )
    loaded = datapackage_format.read(io.BytesIO(zipped(events)), "any.datapackage.zip")
    assert loaded.info == events.info
    assert list(loaded) == list(events)
