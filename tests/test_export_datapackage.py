"""Writing the data package, checked by frictionless (an independent reader), as a folder and as a zip.

Reading it back with this library is in tests/test_datapackage_reader.py.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import signal
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import frictionless
import pytest
from hypothesis import given, settings

import rnk_events
from rnk_events import Category, DatasetInfo, EventCollection, Precision, Status
from rnk_events import rows as flat_rows
from rnk_events.errors import OptionError
from rnk_events.formats import csv as csv_format
from rnk_events.formats import datapackage as datapackage_format
from tests.datapackage_helpers import COLLECTIONS, check_package, datasets, errors, hostile, package_rows, zipped
from tests.killed import PAUSED_FOLDER_EXPORT, killed_after_first_line

AS_OF = dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)


@pytest.fixture(params=sorted(COLLECTIONS))
def events(request: pytest.FixtureRequest) -> EventCollection:
    collection: EventCollection = COLLECTIONS[request.param]()
    return collection


def csv_export(events: EventCollection) -> bytes:
    """The CSV export as the package carries it: without the byte-order mark meant for Excel."""
    stream = io.BytesIO()
    csv_format.write(events, stream, bom=False)
    return stream.getvalue()


# --- folder -------------------------------------------------------------------


def test_folder_validates_and_reads_back(tmp_path: Path, events: EventCollection) -> None:
    folder = datapackage_format.write_directory(events, tmp_path / "package")
    assert folder == tmp_path / "package"
    assert sorted(entry.name for entry in folder.iterdir()) == sorted(datapackage_format.MEMBERS)
    assert (folder / "events.csv").read_bytes() == csv_export(events)
    check_package(folder / "datapackage.json", events)


def test_hostile_cells_are_neutralised_yet_valid(tmp_path: Path) -> None:
    folder = datapackage_format.write_directory(hostile(), tmp_path / "package")
    rows = package_rows(folder / "datapackage.json")
    by_id = {row["id"]: row for row in rows["events"]}
    assert by_id["hostile-one"]["title"] == "'=1+1"
    assert by_id["hostile-one"]["summary"] == 'Commas, "quotes",\r\nCRLF and\nnewline — Пхеньян 평양'
    assert by_id["hostile-one"]["note"] == "'+starts with a plus"
    assert by_id["hostile-two"]["note"] == "''starts with a quote"
    assert by_id["hostile-three"]["precision"] == "month"
    publishers = [row["publisher"] for row in rows["sources"]]
    assert publishers == ["'=cmd|' /C calc'!A0", "'+plus"]
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    assert descriptor["name"] == "hostile-set"
    assert descriptor["dataset"] == "Hostile Set!"  # the name exactly, for reading back
    assert descriptor["title"] == hostile().info.title


def test_descriptor_matches_the_csv_and_the_model(tmp_path: Path) -> None:
    folder = datapackage_format.write_directory(rnk_events.load(), tmp_path / "package")
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    assert descriptor["name"] == "rnk_events"
    assert descriptor["dataset"] == "rnk_events"
    assert descriptor["version"] == rnk_events.load().info.version
    assert descriptor["as_of"] == "2024-06-17"
    assert "created" not in descriptor
    assert "licenses" not in descriptor
    assert len(descriptor["sources"]) == len(rnk_events.load().info.sources)
    events_resource, sources_resource, withdrawn_resource = descriptor["resources"]
    assert [resource["path"] for resource in descriptor["resources"]] == ["events.csv", "sources.csv", "withdrawn.csv"]
    for resource in (events_resource, sources_resource, withdrawn_resource):
        data = (folder / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["encoding"] == "utf-8"
        assert resource["mediatype"] == "text/csv"
        assert resource["schema"]["primaryKey"] == "id"
        for field in resource["schema"]["fields"]:
            assert field["type"] in {"string", "date", "boolean", "integer"}
            assert field["description"]
    fields = {field["name"]: field for field in events_resource["schema"]["fields"]}
    assert tuple(fields) == flat_rows.HEADER == csv_format.HEADER
    assert fields["category"]["constraints"]["enum"] == [member.value for member in Category]
    assert fields["status"]["constraints"]["enum"] == [member.value for member in Status]
    assert fields["precision"]["constraints"]["enum"] == [member.value for member in Precision]
    assert fields["first_day"]["type"] == fields["last_day"]["type"] == "date"
    assert "required" not in fields["first_day"].get("constraints", {})  # empty for an open or unknown end
    assert (fields["is_range"]["trueValues"], fields["is_range"]["falseValues"]) == (["true"], ["false"])
    assert fields["qualifier"]["constraints"]["enum"] == ["uncertain", "approximate", "uncertain and approximate"]
    assert fields["id"]["constraints"]["unique"] is True
    assert (fields["revision"]["type"], fields["revision"]["constraints"]) == (
        "integer",
        {"required": True, "minimum": 0},
    )
    assert fields["revised"]["type"] == "date"
    assert "required" not in fields["revised"].get("constraints", {})  # empty while as first published


#: A few of every form, and of what the grammar refuses; tests/test_schema_grammar.py tries the whole grammar.
GOOD_DATES = [
    "2000", "2000-07", "2000-07-15", "2006-10-14/2017-12-22", "2006/2017-03", "2000/", "../2000-07~", "195X",
    "2024-21", "2024-XX-XX", "[2024-06-10..2024-06-16]", "[2024-05-16,2024-05-17]", "2024-02-29%",
]  # fmt: skip
BAD_DATES = [
    "200", "2000-7", "x2000", "2000 ", "٢٠٠٠", "'2000", "2023-02-29", "2024-04-31", "0000", "2024-25", "2024~~",
    "../..", "/", "[2024]", "[2024~,2025]", "[..2024]", "2024-XX-05", "195X-05", "2024-21-01",
]  # fmt: skip


@pytest.mark.parametrize(
    ("column", "good", "bad"),
    [
        ("id", ["a", "2024-06-19-putin-visit", "x1-2"], ["A", "-a", "a-", "a--b", "a_b", "'a", "a b", "a\n", "ä"]),
        ("date", GOOD_DATES, BAD_DATES),
    ],
)
def test_patterns_match_whole_cells_only(column: str, good: list[str], bad: list[str]) -> None:
    """Table Schema anchors patterns; the check here is the same full match frictionless makes."""
    fields = {
        field["name"]: field
        for field in datapackage_format.descriptor(DatasetInfo(), b"", b"")["resources"][0]["schema"]["fields"]
    }
    pattern = fields[column]["constraints"]["pattern"]
    assert "(?" not in pattern  # XML Schema regexes have no Python-only groups
    assert [cell for cell in good if not re.fullmatch(pattern, cell)] == []
    assert [cell for cell in bad if re.fullmatch(pattern, cell)] == []


def test_constraints_reject_bad_cells(tmp_path: Path) -> None:
    """The schema bites: a bad enum, a duplicate id and a bad date are all reported."""
    folder = datapackage_format.write_directory(rnk_events.load(), tmp_path / "package")
    descriptor_path = folder / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text("utf-8"))
    for resource in descriptor["resources"]:
        del resource["hash"], resource["bytes"]  # so the cell checks, not the hash, fail
    descriptor_path.write_text(json.dumps(descriptor), "utf-8")
    lines = (folder / "events.csv").read_bytes().split(b"\r\n")
    first, second = lines[1].split(b","), lines[2].split(b",")
    second[0] = first[0]  # duplicate id
    first[1] = b"2024-6"  # bad EDTF
    first[first.index(b"happened")] = b"rumoured"
    lines[1], lines[2] = b",".join(first), b",".join(second)
    (folder / "events.csv").write_bytes(b"\r\n".join(lines))
    report = frictionless.validate(str(descriptor_path))
    kinds = sorted({kind for kind, _message in errors(report)})
    assert kinds == ["constraint-error", "primary-key", "unique-error"]
    messages = " ".join(message for _kind, message in errors(report))
    assert '"2024-6"' in messages
    assert '"rumoured"' in messages


def test_edited_file_fails_the_hash_check(tmp_path: Path) -> None:
    folder = datapackage_format.write_directory(rnk_events.load(), tmp_path / "package")
    data = (folder / "sources.csv").read_bytes()
    (folder / "sources.csv").write_bytes(data.replace(b"Reuters", b"Reuter$"))
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert not report.valid
    assert "hash-count" in {kind for kind, _message in errors(report)}


def test_stamp_is_recorded_as_created_in_utc_only_when_given(tmp_path: Path) -> None:
    moment = dt.datetime(2024, 6, 17, 9, 30, 15, 999, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    folder = datapackage_format.write_directory(rnk_events.load(), tmp_path / "package", stamp=moment)
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    assert descriptor["created"] == "2024-06-17T00:30:15Z"
    assert errors(frictionless.validate(str(folder / "datapackage.json"))) == []
    with pytest.raises(OptionError, match=r"stamp: .* has no time zone"):
        datapackage_format.write_directory(rnk_events.load(), tmp_path / "naive", stamp=dt.datetime(2024, 6, 17))
    assert not (tmp_path / "naive").exists()


# --- atomic folder writes -------------------------------------------------------


def test_existing_package_folder_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "package"
    datapackage_format.write_directory(hostile(), target)
    datapackage_format.write_directory(rnk_events.load(), target)
    assert (target / "events.csv").read_bytes() == csv_export(rnk_events.load())
    assert [entry.name for entry in tmp_path.iterdir()] == ["package"]


@pytest.mark.parametrize("stranger", ["notes.txt", "events.xlsx"])
def test_a_folder_with_other_files_is_never_replaced(tmp_path: Path, stranger: str) -> None:
    target = tmp_path / "package"
    target.mkdir()
    (target / stranger).write_text("mine", "utf-8")
    (target / "events.csv").write_text("old", "utf-8")
    with pytest.raises(FileExistsError, match=stranger):
        datapackage_format.write_directory(rnk_events.load(), target)
    assert sorted(entry.name for entry in target.iterdir()) == sorted(["events.csv", stranger])
    assert (target / "events.csv").read_text("utf-8") == "old"
    assert [entry.name for entry in tmp_path.iterdir()] == ["package"]


def test_a_file_in_the_way_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "package"
    target.write_text("a file", "utf-8")
    with pytest.raises(FileExistsError, match="not a data package folder"):
        datapackage_format.write_directory(rnk_events.load(), target)
    assert target.read_text("utf-8") == "a file"


@pytest.mark.parametrize("existing", [False, True])
def test_failure_half_way_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool) -> None:
    target = tmp_path / "package"
    if existing:
        datapackage_format.write_directory(hostile(), target)
    before = {path.name: path.read_bytes() for path in target.glob("*")}
    calls = []
    real_fsync = os.fsync

    def failing_fsync(descriptor: int) -> None:
        calls.append(descriptor)
        if len(calls) == 2:  # the first file is complete, the second is written but not yet synced
            raise OSError(28, "No space left on device")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space left"):
        datapackage_format.write_directory(rnk_events.load(), target)
    assert len(calls) == 2
    assert [entry.name for entry in tmp_path.iterdir()] == (["package"] if existing else [])
    assert {path.name: path.read_bytes() for path in target.glob("*")} == before


def test_failed_swap_restores_the_old_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fallback (two renames, where RENAME_EXCHANGE is missing) puts the old package back if the second fails."""
    from rnk_events.publishing import swap

    target = tmp_path / "package"
    datapackage_format.write_directory(hostile(), target)
    before = {path.name: path.read_bytes() for path in target.glob("*")}
    real_rename = os.rename

    def rename(source: Any, destination: Any) -> None:
        if Path(source).name.endswith(".tmp"):
            raise PermissionError(13, "Permission denied")
        real_rename(source, destination)

    monkeypatch.setattr(swap, "exchange", lambda first, second: False)  # as on a system without renameat2
    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(PermissionError):
        datapackage_format.write_directory(rnk_events.load(), target)
    assert [entry.name for entry in tmp_path.iterdir()] == ["package"]
    assert {path.name: path.read_bytes() for path in target.glob("*")} == before


# --- zip ----------------------------------------------------------------------


def test_zip_validates_and_reads_back(tmp_path: Path, events: EventCollection) -> None:
    path = tmp_path / "events.datapackage.zip"
    path.write_bytes(zipped(events))
    check_package(path, events)
    folder = datapackage_format.write_directory(events, tmp_path / "folder")
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == list(datapackage_format.MEMBERS)
        for name in datapackage_format.MEMBERS:
            assert archive.read(name) == (folder / name).read_bytes()


def test_zip_is_reproducible(events: EventCollection) -> None:
    first = zipped(events)
    assert zipped(events) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.testzip() is None
        for entry in archive.infolist():
            assert entry.date_time == (1980, 1, 1, 0, 0, 0)
            assert entry.compress_type == zipfile.ZIP_DEFLATED
            assert entry.external_attr >> 16 == 0o100644


def test_zip_through_the_registry(tmp_path: Path) -> None:
    path = rnk_events.export(rnk_events.load(), str(tmp_path / "timeline.DATAPACKAGE.zip"), stamp=AS_OF)
    assert path is not None
    assert errors(frictionless.validate(str(path))) == []
    with zipfile.ZipFile(path) as archive:
        assert json.loads(archive.read("datapackage.json"))["created"] == "2024-06-17T00:00:00Z"


def test_unknown_option_is_refused() -> None:
    with pytest.raises(TypeError, match="created"):
        datapackage_format.write(rnk_events.load(), io.BytesIO(), created=AS_OF)  # type: ignore[call-arg]


# --- any valid dataset ------------------------------------------------------------


@settings(max_examples=25)
@given(datasets())
def test_any_dataset_makes_a_valid_package(events: EventCollection) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "events.datapackage.zip"
        path.write_bytes(zipped(events))
        check_package(path, events)


# --- the page's examples ---------------------------------------------------------

PAGE = Path(__file__).resolve().parent.parent / "docs" / "formats" / "datapackage.md"


def page_snippets() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", PAGE.read_text("utf-8"), re.MULTILINE | re.DOTALL)


def test_the_page_names_only_public_modules() -> None:
    assert page_snippets()
    for snippet in page_snippets():
        assert not re.search(r"\b_[a-z]\w*\.", snippet), snippet  # no _private.name


def run_snippets(folder: Path, monkeypatch: pytest.MonkeyPatch, *, pandas: bool) -> None:
    """The page's examples in order, each where the one before left its files."""
    monkeypatch.chdir(folder)
    for snippet in page_snippets():
        if pandas or "import pandas" not in snippet:
            exec(compile(snippet, str(PAGE), "exec"), {})  # the page's own example


def test_the_page_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_snippets(tmp_path, monkeypatch, pandas=False)
    check_package(tmp_path / "timeline.datapackage.zip", rnk_events.load())
    check_package(tmp_path / "timeline" / "datapackage.json", rnk_events.load())


def test_the_page_pandas_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pandas")
    run_snippets(tmp_path, monkeypatch, pandas=True)


# --- the folder swap under kill -9 ---------------------------------------------------


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir()}


@pytest.mark.parametrize("moment", ["before-swap", "after-swap"])
def test_kill_9_at_the_swap_leaves_the_old_or_the_new_package(tmp_path: Path, moment: str) -> None:
    target = tmp_path / "package"
    datapackage_format.write_directory(hostile(), target)
    old = _files(target)
    new_folder = datapackage_format.write_directory(rnk_events.load(), tmp_path / "expected" / "package")
    new = _files(new_folder)
    said, status = killed_after_first_line(PAUSED_FOLDER_EXPORT, str(target), moment)
    assert said == b"paused\n", "the writer never reached the swap"
    assert status == -signal.SIGKILL
    assert target.is_dir()
    assert _files(target) == (old if moment == "before-swap" else new)
    leftovers = [path.name for path in tmp_path.iterdir() if path.name not in {"package", "expected"}]
    assert all(name.startswith(".package.") for name in leftovers)  # hidden, safe to delete


def test_a_link_to_a_package_stays_a_link(tmp_path: Path) -> None:
    real = datapackage_format.write_directory(hostile(), tmp_path / "package-1")
    link = tmp_path / "current"
    link.symlink_to(real.name)
    datapackage_format.write_directory(rnk_events.load(), link)
    assert link.is_symlink()
    assert rnk_events.load(link).info == rnk_events.load().info
