"""The format registry: lookup by name and extension, export targets, atomic writes, lazy imports."""

from __future__ import annotations

import datetime as dt
import importlib.util
import inspect
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import IO, Any

import pytest

import rnk_events
from rnk_events import FORMATS, EventCollection, export
from rnk_events.errors import OptionError
from rnk_events.formats import FormatInfo, UnavailableFormatError, format_for, readable_formats
from rnk_events.formats import csv as csv_format
from rnk_events.formats import json as json_format
from tests.conftest import skip_or_fail

#: CI sets this, so a format module that has not landed fails there instead of skipping.
REQUIRE = "RNK_EVENTS_REQUIRE_SEEDS"


def bundled() -> EventCollection:
    return rnk_events.load()


def exported(events: EventCollection, format_name: str, **options: Any) -> bytes:
    stream = io.BytesIO()
    assert export(events, format_name, stream, **options) is None
    return stream.getvalue()


def require_module(format_name: str) -> None:
    module = FORMATS[format_name].module
    if importlib.util.find_spec(module) is None:
        skip_or_fail(REQUIRE, f"format module {module} is not written yet")


# --- lookup ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_format_for_name(name: str) -> None:
    assert format_for(name) is FORMATS[name]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("events.json", "json"),
        ("events.timeline.json", "timelinejs"),
        ("events.TIMELINE.JSON", "timelinejs"),
        ("my.timeline.backup.json", "json"),
        ("EVENTS.JSON", "json"),
        ("out/events.csv", "csv"),
        ("Events.Csv", "csv"),
        ("cal.ICS", "ics"),
        ("book.xlsx", "xlsx"),
        ("page.html", "html"),
        ("package.datapackage.zip", "datapackage"),
        ("package.DataPackage.ZIP", "datapackage"),
        (Path("dir.csv") / "events.ics", "ics"),
    ],
)
def test_format_for_extension(path: str | Path, expected: str) -> None:
    assert format_for(path).name == expected


@pytest.mark.parametrize("text", ["events.txt", "events.zip", "yaml", "events", "events.json.bak", ""])
def test_unknown_format_names_the_allowed_ones(text: str) -> None:
    with pytest.raises(ValueError, match="unknown format") as caught:
        format_for(text)
    message = str(caught.value)
    assert repr(text) in message
    assert [name for name in FORMATS if name not in message] == []


def test_registry_entries_are_consistent() -> None:
    extensions = [info.extension for info in FORMATS.values()]
    assert len(set(extensions)) == len(extensions)
    for name, info in FORMATS.items():
        assert info.name == name
        assert info.extension.startswith(".")
        assert info.extension == info.extension.lower()
        assert info.module == f"rnk_events.formats.{name}"
        assert "/" in info.media_type
        assert info.description


def test_readable_formats() -> None:
    assert FORMATS["json"].readable
    assert FORMATS["csv"].readable
    assert FORMATS["datapackage"].readable
    assert not FORMATS["ics"].readable
    assert readable_formats() == [info for info in FORMATS.values() if info.reads]


# --- each entry declares what its module does -------------------------------------


def _keywords(function: Any) -> dict[str, inspect.Parameter]:
    """The keyword options a ``write`` names (not ``events``/``stream``, not ``**options``)."""
    parameters = list(inspect.signature(function).parameters.values())[2:]
    return {p.name: p for p in parameters if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}


@pytest.mark.parametrize("name", list(FORMATS))
def test_entry_declares_exactly_what_the_module_does(name: str) -> None:
    info = FORMATS[name]
    module = info.load()
    assert callable(getattr(module, "write", None)) == info.writes
    assert callable(getattr(module, "read", None)) == info.reads
    keywords = _keywords(module.write)
    assert sorted(option.name for option in info.options) == sorted(keywords)
    for option in info.options:
        assert keywords[option.name].default == option.default, option.name
        assert option.help
        switch_off = option.type is bool and option.default is True  # a switch turning a default on off
        expected_flag = ("--no-" if switch_off else "--") + option.name.replace("_", "-")
        assert option.flag == expected_flag


@pytest.mark.parametrize("name", list(FORMATS))
def test_an_undeclared_option_is_refused_before_anything_is_written(name: str, tmp_path: Path) -> None:
    target = tmp_path / f"out{FORMATS[name].extension}"
    with pytest.raises(TypeError, match=rf"the {name} format takes no option 'colour'"):
        export(bundled(), name, target, colour="red")
    assert not target.exists()


@pytest.mark.parametrize("name", [info.name for info in readable_formats()])
def test_every_readable_format_reads_back_what_it_wrote(name: str, tmp_path: Path) -> None:
    target = tmp_path / f"events{FORMATS[name].extension}"
    export(bundled(), target)
    assert list(rnk_events.load(target)) == list(bundled())


def test_reading_the_registry_imports_no_format_module() -> None:
    script = textwrap.dedent(
        """
        import json, sys
        import rnk_events
        described = [(i.name, i.extensions, i.reads, [o.name for o in i.options]) for i in rnk_events.FORMATS.values()]
        rnk_events.formats.formats_table()
        print(json.dumps(sorted(m for m in sys.modules if m.startswith("rnk_events.formats."))))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == ["rnk_events.formats.registry"]


def test_option_text_is_parsed_by_the_option() -> None:
    stamp = FORMATS["ics"].option("stamp")
    assert stamp is not None
    assert stamp.from_text("2024-06-17T09:00:00+09:00") == dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)
    with pytest.raises(OptionError, match="not an ISO 8601 date-time"):
        stamp.from_text("yesterday")
    refresh = FORMATS["ics"].option("refresh")
    assert refresh is not None
    assert refresh.from_text("P1DT6H") == dt.timedelta(days=1, hours=6)
    assert refresh.from_text("pt30m") == dt.timedelta(minutes=30)
    with pytest.raises(OptionError, match="refresh: 'P' is not an ISO 8601 duration"):
        refresh.from_text("P")
    base = FORMATS["html"].option("timelinejs_base")
    assert base is not None
    with pytest.raises(OptionError, match="timelinejs_base: expected the URL or path of TimelineJS's dist folder"):
        base.from_text("  ")


def test_an_optional_dependency_missing_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    info = FormatInfo("needy", (".needy",), "text/plain", "needs a package", "no_such_package_xyz", extra="needy")
    with pytest.raises(UnavailableFormatError, match=r"pip install 'rnk_events\[needy\]'"):
        info.load()


# --- export targets -------------------------------------------------------------


def test_export_named_format_to_path(tmp_path: Path) -> None:
    target = tmp_path / "out.data"
    assert export(bundled(), "json", target) == target
    assert target.read_text("utf-8") == json_format.dumps(bundled())
    assert [event["id"] for event in json.loads(target.read_text("utf-8"))["events"]] == [e.id for e in bundled()]


@pytest.mark.parametrize("name", ["events.csv", "EVENTS.CSV"])
def test_export_format_from_path(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    assert export(bundled(), str(target)) == target
    assert target.read_bytes() == exported(bundled(), "csv")
    assert target.read_bytes().startswith(b"\xef\xbb\xbf" + ",".join(csv_format.HEADER).encode("utf-8") + b"\r\n")


def test_export_to_binary_stream() -> None:
    stream = io.BytesIO(b"kept:")
    stream.seek(0, io.SEEK_END)
    assert export(bundled(), "json", stream) is None
    assert stream.getvalue() == b"kept:" + json_format.dumps(bundled()).encode("utf-8")


def test_export_without_target_needs_a_path() -> None:
    with pytest.raises(ValueError, match="needs a target"):
        export(bundled(), "json")


def test_export_passes_options_and_formats_refuse_unknown_ones() -> None:
    with pytest.raises(TypeError, match="colour"):
        export(bundled(), "csv", io.BytesIO(), colour="red")


# --- atomic writes --------------------------------------------------------------


@pytest.fixture
def failing_json(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the JSON writer fail after writing part of its output; returns the bytes-written log."""
    written: list[int] = []

    def write(events: EventCollection, stream: IO[bytes], **options: Any) -> None:
        written.append(stream.write(json_format.dumps(events).encode("utf-8")[:100]))
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(json_format, "write", write)
    return written


def test_failed_export_leaves_no_file(tmp_path: Path, failing_json: list[int]) -> None:
    with pytest.raises(RuntimeError, match="disk on fire"):
        export(bundled(), "json", tmp_path / "out.json")
    assert failing_json == [100]
    assert list(tmp_path.iterdir()) == []


def test_failed_export_keeps_the_existing_file(tmp_path: Path, failing_json: list[int]) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"the previous export")
    with pytest.raises(RuntimeError, match="disk on fire"):
        export(bundled(), str(target))
    assert failing_json == [100]
    assert target.read_bytes() == b"the previous export"
    assert [path.name for path in tmp_path.iterdir()] == ["out.json"]


def test_export_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"x" * 1_000_000)
    export(bundled(), str(target))
    assert target.read_text("utf-8") == json_format.dumps(bundled())
    assert [path.name for path in tmp_path.iterdir()] == ["out.json"]


# --- lazy heavy imports ----------------------------------------------------------


def test_import_does_not_load_heavy_dependencies() -> None:
    script = textwrap.dedent(
        """
        import io, json, sys
        import rnk_events
        from rnk_events.formats import format_for
        heavy = ("openpyxl", "icalendar", "frictionless")
        loaded = {"import": [name for name in heavy if name in sys.modules]}
        events = rnk_events.load()
        format_for("events.xlsx"), format_for("events.ics")
        for name in ("json", "csv", "datapackage"):
            rnk_events.export(events, name, io.BytesIO())
        loaded["export"] = [name for name in heavy if name in sys.modules]
        print(json.dumps(loaded))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == {"import": [], "export": []}


# --- every format ---------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_exports_empty_and_bundled(name: str) -> None:
    require_module(name)
    empty = exported(EventCollection(), name)
    empty_with_info = exported(EventCollection((), bundled().info), name)
    full = exported(bundled(), name)
    assert empty
    assert empty_with_info
    assert len(full) > len(empty_with_info)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_exports_to_a_path(tmp_path: Path, name: str) -> None:
    require_module(name)
    target = tmp_path / f"events{FORMATS[name].extension}"
    assert export(bundled(), str(target)) == target
    assert target.stat().st_size > 0
    assert [path.name for path in tmp_path.iterdir()] == [target.name]


def test_export_names_a_missing_or_wrong_folder(tmp_path: Path) -> None:
    events = rnk_events.load()
    with pytest.raises(FileNotFoundError, match="does not exist"):
        rnk_events.export(events, "json", tmp_path / "missing" / "out.json")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        rnk_events.export(events, "json", blocker / "out.json")
    with pytest.raises(IsADirectoryError):
        rnk_events.export(events, "json", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_export_takes_a_plain_list_and_refuses_text_streams(tmp_path: Path) -> None:
    events = list(rnk_events.load())[:3]
    path = tmp_path / "three.json"
    rnk_events.export(reversed(events), "json", path)
    assert list(rnk_events.load(path)) == events
    with pytest.raises(TypeError, match="binary mode"):
        rnk_events.export(events, "json", io.StringIO())  # type: ignore[arg-type]
