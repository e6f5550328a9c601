"""``rnk-events export``: every format, ``--all``, ``-o -``, format options and the usage errors around them.

Exports are checked with readers independent of the library (json, csv,
zipfile, plain text), so a bug shared by writer and reader cannot hide.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import re
import zipfile
from pathlib import Path

import attrs
import pytest

import rnk_events
from rnk_events import FORMATS, EventCollection
from rnk_events.cli import main
from rnk_events.errors import OptionError
from tests.cli_helpers import run
from tests.cli_setup import bundled, wide_terminal  # noqa: F401 - wide_terminal is autouse: imported, it applies here
from tests.conftest import skip_or_fail

#: CI sets this, so a format module that has not landed fails there instead of skipping.
REQUIRE = "RNK_EVENTS_REQUIRE_SEEDS"


def require_module(format_name: str) -> None:
    module = FORMATS[format_name].module
    if importlib.util.find_spec(module) is None:
        skip_or_fail(REQUIRE, f"format module {module} is not written yet")


def check_export(format_name: str, path: Path, count: int) -> None:
    """Read the file with something other than this library."""
    data = path.read_bytes()
    assert data
    if format_name == "json":
        assert len(json.loads(data)["events"]) == count
    elif format_name == "csv":
        assert len(list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))) == count
    elif format_name == "timelinejs":
        assert len(json.loads(data)["events"]) == count
    elif format_name == "ics":
        text = data.decode("utf-8")
        assert text.startswith("BEGIN:VCALENDAR\r\n")
        assert text.count("BEGIN:VEVENT\r\n") == count
    elif format_name == "html":
        assert data.lower().startswith(b"<!doctype html")
    elif format_name == "xlsx":
        assert "xl/workbook.xml" in zipfile.ZipFile(path).namelist()
    elif format_name == "datapackage":
        assert "datapackage.json" in zipfile.ZipFile(path).namelist()


def summary_pattern(format_name: str, path: Path, count: int) -> tuple[str, str, str]:
    size = f"{path.stat().st_size:,} bytes"
    return format_name, size, f"{count} event{'' if count == 1 else 's'}"


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_export_one_format_writes_the_filtered_events(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, format_name: str
) -> None:
    require_module(format_name)
    info = FORMATS[format_name]
    path = tmp_path / f"out{info.extension}"
    code, out, err = run(capsys, "export", format_name, "-o", str(path), "--actor", "prk", "--from", "2024")
    expected = bundled().by_actor("PRK").between("2024", None)
    assert (code, out) == (0, "")
    check_export(format_name, path, len(expected))
    [line] = err.splitlines()
    assert line.split()[:2] == [format_name, str(path)]
    for part in summary_pattern(format_name, path, len(expected)):
        assert part in line


def test_export_all_writes_every_format_with_a_summary_line_each(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "new" / "exports"  # created, parents too
    missing = {name for name, info in FORMATS.items() if importlib.util.find_spec(info.module) is None}
    code, out, err = run(capsys, "export", "--all", str(target), "--status", "planned")
    lines = err.splitlines()
    assert out == ""
    for name, info in FORMATS.items():
        path = target / f"rnk-events{info.extension}"
        if name in missing:
            assert not path.exists()
            assert any(line.startswith(f"rnk-events: error: {name}: ") for line in lines)
            continue
        check_export(name, path, 2)
        [line] = [line for line in lines if line.split()[0] == name]
        assert line.split()[1] == str(path)
        for part in summary_pattern(name, path, 2):
            assert part in line
    assert code == (1 if missing else 0)
    if missing:
        skip_or_fail(REQUIRE, f"format modules not written yet: {sorted(missing)}")
    assert len(lines) == len(FORMATS)
    assert sorted(p.name for p in target.iterdir()) == sorted(f"rnk-events{i.extension}" for i in FORMATS.values())


def test_export_all_with_a_stamp_is_byte_identical(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for name in FORMATS:
        require_module(name)
    for run_dir in ("first", "second"):
        code, _, err = run(capsys, "export", "--all", str(tmp_path / run_dir), "--stamp", "2024-06-17T09:30:00+02:00")
        assert code == 0, err
        assert "warning" not in err
    for info in FORMATS.values():
        name = f"rnk-events{info.extension}"
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name


def test_export_stamp_makes_ics_byte_identical(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    require_module("ics")
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    for path in (first, second):
        assert run(capsys, "export", "ics", "-o", str(path), "--stamp", "2024-06-17T09:30:00Z")[0] == 0
    assert first.read_bytes() == second.read_bytes()
    # DTSTAMP is each event's last revision (RFC 5545 section 3.8.7.2 without METHOD), never the stamp
    stamps = set(re.findall(rb"DTSTAMP:(\w+)\r\n", first.read_bytes()))
    assert stamps == {b"20240617T000000Z", b"20261201T000000Z"}  # the as-of day, edition 1.1.0's day
    unstamped = tmp_path / "c.ics"
    assert run(capsys, "export", "ics", "-o", str(unstamped))[0] == 0
    assert unstamped.read_bytes() == first.read_bytes()


def test_export_timelinejs_base_reaches_the_html_page(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    require_module("html")
    path = tmp_path / "page.html"
    code, _, _ = run(capsys, "export", "html", "-o", str(path), "--timelinejs-base", "https://example.org/tl3")
    assert code == 0
    assert "https://example.org/tl3/js/timeline.js" in path.read_text("utf-8")


def test_export_option_for_another_format_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    code, _, err = run(capsys, "export", "json", "-o", str(path), "--stamp", "2024-06-17")
    assert code == 2
    assert err == "rnk-events: error: --stamp does not apply to the json format\n"
    assert not path.exists()


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_every_format_that_records_when_it_was_made_calls_the_option_stamp(format_name: str) -> None:
    """One keyword, ``stamp``, in the Python API as in ``--stamp``; no format knows another name."""
    require_module(format_name)
    moment = dt.datetime(2024, 6, 17, 9, 30, tzinfo=dt.timezone.utc)

    def exported(**options: object) -> bytes:
        stream = io.BytesIO()
        rnk_events.export(bundled(), format_name, stream, **options)
        return stream.getvalue()

    if format_name not in {"ics", "xlsx", "datapackage"}:
        with pytest.raises(TypeError, match="stamp"):
            exported(stamp=moment)
        return
    assert exported(stamp=moment) == exported(stamp=moment)
    if format_name == "ics":  # every DTSTAMP is an event's last revision: a dated dataset's feed ignores stamp
        assert exported(stamp=moment) == exported(stamp=moment + dt.timedelta(days=1)) == exported()
    else:
        assert exported(stamp=moment) != exported(stamp=moment + dt.timedelta(days=1))
    for other in ("generated", "created"):
        with pytest.raises(TypeError, match=other):
            exported(**{other: moment})


def test_export_to_stdout_with_dash(
    capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", "json", "-o", "-", "--status", "planned"]) == 0
    captured = capsysbinary.readouterr()
    expected = io.BytesIO()
    rnk_events.export(bundled().by_status("planned"), "json", expected)
    assert captured.out == expected.getvalue()
    assert captured.err.decode("utf-8").split() == ["json", "stdout", f"{len(captured.out):,}", "bytes", "2", "events"]
    assert list(tmp_path.iterdir()) == [], "no file named '-'"


def test_export_binary_format_to_stdout_is_intact(
    capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_module("xlsx")
    monkeypatch.chdir(tmp_path)  # a regression would write a file named "-" here, not in the checkout
    assert main(["export", "xlsx", "-o", "-", "--stamp", "2024-06-17"]) == 0
    data = capsysbinary.readouterr().out
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert "xl/workbook.xml" in archive.namelist()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "format_name"),
    [
        ("auto.ics", "ics"),
        ("AUTO.JSON", "json"),
        ("t.timeline.json", "timelinejs"),
        ("p.datapackage.zip", "datapackage"),
    ],
)
def test_export_without_format_picks_it_from_the_extension(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, format_name: str
) -> None:
    require_module(format_name)
    path = tmp_path / name
    code, out, err = run(capsys, "export", "-o", str(path), "--from", "2024")
    assert (code, out) == (0, "")
    assert err.split()[:2] == [format_name, str(path)]
    check_export(format_name, path, len(bundled().between("2024", None)))


@pytest.mark.parametrize("name", ["auto.txt", "json", "-"])
def test_export_without_format_and_no_known_extension_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "export", "-o", name)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("rnk-events: error: ")
    if name != "-":
        assert f"cannot tell the format of {name!r} from its extension; give a FORMAT: {', '.join(FORMATS)}" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("base", ["", "  "])
def test_empty_timelinejs_base_is_a_usage_error_naming_the_flag(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, base: str
) -> None:
    """The registry's own message, under the flag's name rather than the Python keyword."""
    option = FORMATS["html"].option("timelinejs_base")
    assert option is not None
    with pytest.raises(OptionError) as caught:
        option.from_text(base)
    path = tmp_path / "page.html"
    code, out, err = run(capsys, "export", "html", "-o", str(path), "--timelinejs-base", base)
    assert (code, out) == (2, "")
    assert err == (
        f"rnk-events: error: argument --timelinejs-base: {caught.value.message} (see 'rnk-events export --help')\n"
    )
    assert "timelinejs_base" not in err
    assert not path.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--stamp", "soon"], "argument --stamp: 'soon' is not an ISO 8601 date-time (for example "),
        (["--refresh", "daily"], "argument --refresh: 'daily' is not an ISO 8601 duration"),
        (["--calendar-name", " "], "argument --calendar-name/--name: "),
    ],
)
def test_a_bad_format_option_is_a_usage_error_in_the_registrys_words(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str
) -> None:
    path = tmp_path / "out.ics"
    code, out, err = run(capsys, "export", "ics", "-o", str(path), *argv)
    assert (code, out) == (2, "")
    assert err.startswith(f"rnk-events: error: {message}")
    assert err.endswith("(see 'rnk-events export --help')\n")
    assert "OptionError" not in err
    assert not path.exists()


def test_ics_calendar_options_reach_the_feed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    require_module("ics")
    path = tmp_path / "feed.ics"
    argv = ["--calendar-name", "Desk feed", "--calendar-description", "For the desk", "--refresh", "PT12H"]
    code, _, err = run(capsys, "export", "ics", "-o", str(path), "--status", "planned", *argv)
    assert code == 0, err
    text = path.read_bytes().decode("utf-8")
    assert "X-WR-CALNAME:Desk feed\r\n" in text
    assert "X-WR-CALDESC:For the desk\r\n" in text
    assert "PT12H" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "give a FORMAT and -o PATH, or --all DIR"),
        (["json"], "export json needs -o PATH"),
        (["json", "--all", "x"], "--all DIR writes every format; leave out FORMAT and -o"),
        (["pdf", "-o", "x.pdf"], "argument FORMAT: 'pdf' is not a format; allowed: json, csv, "),
    ],
)
def test_export_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, out, err = run(capsys, "export", *argv)
    assert (code, out) == (2, "")
    assert err.startswith("rnk-events: error: ")
    assert message in err
    assert err.count("\n") == 1


def test_export_choices_name_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, "export", "pdf", "-o", "x.pdf")
    for name in FORMATS:
        assert name in err


def test_export_creates_missing_parent_folders(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "out.json"
    code, _, _ = run(capsys, "export", "json", "-o", str(path))
    assert code == 0
    assert json.loads(path.read_text(encoding="utf-8"))["events"]


def test_export_where_a_folder_cannot_exist_fails_cleanly(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    path = blocker / "out.json"
    code, _, err = run(capsys, "export", "json", "-o", str(path))
    assert code == 1
    assert err.startswith(f"rnk-events: error: cannot write {path}: ")
    assert len(err.splitlines()) == 1
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_export_datapackage_to_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    folder = tmp_path / "package"
    code, _, err = run(capsys, "export", "datapackage", "-o", str(folder), "--actor", "USA")
    assert code == 0
    assert "warning" not in err
    members = ["datapackage.json", "events.csv", "sources.csv", "withdrawn.csv"]
    assert sorted(member.name for member in folder.iterdir()) == members
    assert frictionless.validate(str(folder / "datapackage.json")).valid
    assert [event.id for event in rnk_events.load(folder / "events.csv")] == list(bundled().by_actor("USA").ids)
    assert rnk_events.load(folder).info == bundled().info  # the folder reads back whole


def test_an_export_error_names_its_format_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    long = attrs.evolve(bundled()[0], summary="x" * 40_000)  # past an Excel cell's 32,767 characters
    data = tmp_path / "long.json"
    rnk_events.export(EventCollection([long], bundled().info), "json", data)
    code, _, err = run(capsys, "export", "xlsx", "--data", str(data), "-o", str(tmp_path / "out.xlsx"))
    assert code == 1
    assert err.startswith("rnk-events: error: xlsx: event '2000-putin-becomes-president', field 'summary': ")
    assert err.count("xlsx:") == 1
    assert not (tmp_path / "out.xlsx").exists()
