"""The desk's path through the command line: ``merge``, ``-`` for standard input, ``--base``, ``export --all`` names.

Also the switch flags that bool format options become, and the bounded work
``list`` does on a huge title.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path
from types import ModuleType
from typing import IO, Any

import pytest

import rnk_events
from rnk_events import EventCollection
from rnk_events.cli import render as render_module
from rnk_events.formats import FormatInfo, FormatOption, registry
from tests.cli_helpers import run


def bundled() -> EventCollection:
    return rnk_events.load()


def feed_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def exported(format_name: str, events: EventCollection | None = None) -> bytes:
    stream = io.BytesIO()
    rnk_events.export(bundled() if events is None else events, format_name, stream)
    return stream.getvalue()


def drafts_file(folder: Path) -> Path:
    """Drafts: three bundled events as they are, one with its date changed, one new story."""
    document = json.loads(exported("json"))
    document["events"] = document["events"][:5]
    document["events"][3]["date"] = "2003"  # same id, same story, another date: a conflict
    new = document["events"][4]
    new.update(id="2030-zebra-quokka-talks", date="2030-05", title="Zebra quokka talks", summary="Zebra quokka talks.")
    path = folder / "drafts.json"
    path.write_text(json.dumps(document), "utf-8")
    return path


# --- merge ----------------------------------------------------------------------------


def test_merge_reports_new_matched_and_conflicting_and_exits_1_on_conflict(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_path = tmp_path / "merged.json"
    code, out, err = run(capsys, "merge", "bundled", str(drafts_file(tmp_path)), "-o", str(out_path))
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0] == "new: 1"
    assert lines[1].startswith("  + 2030-zebra-quokka-talks  May 2030")
    assert lines[2] == "matched: 3"
    assert [line[:4] for line in lines[3:6]] == ["  = "] * 3
    assert lines[6] == "conflicting: 1"
    assert lines[7].startswith("  ! ")
    assert "differs in date" in lines[7]
    assert "1 new draft, 3 matched, 1 conflicting" in err
    merged = json.loads(out_path.read_text("utf-8"))  # read back with the json module
    ids = [event["id"] for event in merged["events"]]
    assert len(ids) == len(bundled()) + 1
    assert "2030-zebra-quokka-talks" in ids
    assert merged["title"] == bundled().info.title


def test_merge_without_conflicts_exits_0_and_json_report_parses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    drafts = tmp_path / "same.json"
    drafts.write_bytes(exported("json"))
    out_path = tmp_path / "merged.csv"
    code, out, err = run(capsys, "merge", "bundled", str(drafts), "-o", str(out_path), "--report", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["new"] == []
    assert report["conflicting"] == []
    assert [pair["draft"] for pair in report["matched"]] == list(bundled().ids)
    with out_path.open(newline="", encoding="utf-8-sig") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == list(bundled().ids)


def test_merge_trouble_exits_2_and_leaves_out_untouched(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_path = tmp_path / "merged.json"
    out_path.write_text("keep me", "utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    code, _, err = run(capsys, "merge", "bundled", str(bad), "-o", str(out_path))
    assert code == 2
    assert err.startswith("rnk-events: error: ")
    assert str(bad) in err
    assert len(err.splitlines()) == 1
    document = json.loads(exported("json"))
    document["events"] = [{**document["events"][0], "id": "2099-new", "date": "2099", "summary": "Zebra quokka."}]
    document["events"][0]["sources"] = [{"source": "unlisted-source", "evidence": "x"}]
    document["sources"] = []
    unlisted = tmp_path / "unlisted.json"
    unlisted.write_text(json.dumps(document), "utf-8")
    code, _, err = run(capsys, "merge", "bundled", str(unlisted), "-o", str(out_path))
    assert code == 2
    assert "unlisted-source" in err
    assert out_path.read_text("utf-8") == "keep me"


def test_merge_to_stdout_sends_the_report_to_stderr(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "merge", "bundled", str(drafts_file(tmp_path)), "-o", "-")
    assert code == 1
    assert len(json.loads(out)["events"]) == len(bundled()) + 1
    assert "conflicting: 1" in err


def test_merge_reads_drafts_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    feed_stdin(monkeypatch, drafts_file(tmp_path).read_bytes())
    code, out, _ = run(capsys, "merge", "bundled", "-", "-o", str(tmp_path / "m.json"))
    assert code == 1
    assert out.startswith("new: 1\n")


# --- standard input -----------------------------------------------------------------------


@pytest.mark.parametrize("format_name", ["json", "csv", "xlsx", "datapackage"])
def test_validate_reads_stdin_in_every_readable_format(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, format_name: str
) -> None:
    feed_stdin(monkeypatch, exported(format_name))
    code, out, err = run(capsys, "validate", "-")
    assert code == 0, out + err
    assert out.splitlines()[-1] == f"OK: {len(bundled())} events"


def test_list_data_from_stdin_with_base(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, exported("csv"))
    code, out, _ = run(capsys, "list", "--data", "-", "--base", "bundled", "--format", "json")
    assert code == 0
    assert json.loads(out)["title"] == bundled().info.title


def test_stdin_problems_name_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    data = exported("csv").replace(b",summit,", b",party,", 1)
    feed_stdin(monkeypatch, data)
    code, out, err = run(capsys, "validate", "-")
    assert code == 1
    assert out.startswith("<stdin>")
    assert "'party'" in out
    assert err == "rnk-events: error: 1 problem in <stdin>\n"


def test_input_format_overrides_the_sniffing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    feed_stdin(monkeypatch, exported("csv"))
    code, out, _ = run(capsys, "validate", "-", "--input-format", "json")
    assert code == 1
    assert out.startswith("<stdin>")
    assert "not valid JSON" in out
    code, _, err = run(capsys, "validate", "-", "--input-format", "ics")
    assert code == 2
    assert "'ics' is not a readable format" in err


def test_two_stdin_arguments_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "diff", "-", "-")
    assert code == 2
    assert "only one argument can be '-'" in err
    code, _, err = run(capsys, "list", "--data", "-", "--base", "-")
    assert code == 2
    assert "only one argument can be '-'" in err


def test_diff_reads_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, exported("json"))
    code, out, _ = run(capsys, "diff", "-", "bundled", "--format", "json")
    assert code == 0
    assert json.loads(out)["changed"] == []


def test_ingest_reads_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Timeline\n\nJune 1, 2024\nPutin met Kim in Moscow.\n\nJune 3, 2024\nThey signed a treaty.\n"
    feed_stdin(monkeypatch, text.encode("utf-8"))
    code, out, err = run(capsys, "ingest", "-", "--published", "2024-06-17", "--source-id", "wire")
    assert code == 0, err
    document = json.loads(out)
    assert [event["date"] for event in document["events"]] == ["2024-06-01", "2024-06-03"]
    assert [source["id"] for source in document["sources"]] == ["wire"]
    assert "from <stdin>" in err


def test_a_real_pipe_into_validate() -> None:
    """Through a real process and pipe: the bytes of a workbook on stdin."""
    result = subprocess.run(
        [sys.executable, "-m", "rnk_events", "validate", "-"],
        input=exported("xlsx"),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines()[-1] == f"OK: {len(bundled())} events"


def test_sniffing_tells_a_package_from_a_workbook() -> None:
    from rnk_events.dataset import sniff_format

    assert sniff_format(exported("datapackage")).name == "datapackage"
    assert sniff_format(exported("xlsx")).name == "xlsx"
    assert sniff_format(b"\xef\xbb\xbf \n{").name == "json"
    assert sniff_format(b"id,date\r\n").name == "csv"
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert sniff_format(other_zip.getvalue()).name == "xlsx"  # the workbook reader then says what is wrong


# --- --base and export --all ---------------------------------------------------------


def test_validate_with_base_checks_citations(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "edited.csv"
    path.write_bytes(exported("csv").replace(b"reuters-timeline;", b"nobody-wrote-this;", 1))
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0, out
    code, out, _ = run(capsys, "validate", str(path), "--base", "bundled")
    assert code == 1
    assert out.startswith(str(path))
    assert "'nobody-wrote-this'" in out


def test_export_all_names_files_after_a_users_dataset(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    mine = tmp_path / "Desk Timeline.json"
    document = json.loads(exported("json"))
    document["dataset"] = "Desk Timeline"
    mine.write_text(json.dumps(document), "utf-8")
    _, _, err = run(capsys, "export", "--all", str(tmp_path / "out"), "--data", str(mine))
    names = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert len(names) >= 7, err
    assert [name for name in names if not name.startswith("desk-timeline.")] == []
    _, _, err = run(capsys, "export", "--all", str(tmp_path / "ours"))
    names = sorted(path.name for path in (tmp_path / "ours").iterdir())
    assert len(names) >= 7, err
    assert [name for name in names if not name.startswith("rnk-events.")] == []


def test_export_all_of_an_edited_export_with_the_bundled_base_keeps_the_bundled_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "edited.csv"
    path.write_bytes(exported("csv"))
    run(capsys, "export", "--all", str(tmp_path / "out"), "--data", str(path), "--base", "bundled")
    assert (tmp_path / "out" / "rnk-events.json").is_file()


# --- bool format options are switches ---------------------------------------------------

SWITCH_MODULE = "tests_cli_desk_switch_format"
LOUD = FormatOption("loud", bool, "write in capitals", default=False)
QUIET = FormatOption("quiet", bool, "leave the header out", default=True, flag="--no-quiet")
SWITCHES = FormatInfo(
    "switches", (".sw",), "text/plain", "a format with switches", SWITCH_MODULE, options=(LOUD, QUIET)
)


@pytest.fixture
def switch_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    module = ModuleType(SWITCH_MODULE)

    def write(events: Any, stream: IO[bytes], *, loud: bool = False, quiet: bool = True) -> None:
        seen.append({"loud": loud, "quiet": quiet})
        stream.write(b"x")

    module.write = write  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, SWITCH_MODULE, module)
    monkeypatch.setitem(registry.FORMATS, "switches", SWITCHES)
    return seen


def test_a_bool_option_is_a_switch_that_turns_its_default_over(
    switch_calls: list[dict[str, Any]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = str(tmp_path / "x.sw")
    assert run(capsys, "export", "switches", "-o", target)[0] == 0
    assert run(capsys, "export", "switches", "-o", target, "--loud")[0] == 0
    assert run(capsys, "export", "switches", "-o", target, "--no-quiet", "--loud")[0] == 0
    assert switch_calls == [
        {"loud": False, "quiet": True},  # neither flag: write's own defaults
        {"loud": True, "quiet": True},
        {"loud": True, "quiet": False},
    ]
    code, _, err = run(capsys, "export", "switches", "-o", target, "--loud", "yes")
    assert code == 2
    assert "unrecognized arguments: yes" in err
    _, out, _ = run(capsys, "export", "--help")
    assert "--loud " in out
    assert "--no-quiet " in out
    assert "--loud VALUE" not in out


# --- list does bounded work on a huge title --------------------------------------------


def cleaned_characters(monkeypatch: pytest.MonkeyPatch, title: str) -> int:
    """How many characters ``list``'s table cleans for a table holding this title (counted, not timed)."""
    count = 0
    real = unicodedata.category

    def category(char: str) -> str:
        nonlocal count
        count += 1
        return real(char)

    counting = ModuleType("unicodedata")
    counting.__dict__.update(unicodedata.__dict__)
    counting.category = category  # type: ignore[attr-defined]
    with monkeypatch.context() as patch:
        patch.setattr(render_module, "unicodedata", counting)
        lines = render_module.render_table(["TITLE", "X"], [[title, "y"]], flexible=0, width=80)
    assert lines[1].endswith("…  y") or len(title) < 80
    return count


def test_list_cleans_a_bounded_prefix_of_a_huge_title(monkeypatch: pytest.MonkeyPatch) -> None:
    small = cleaned_characters(monkeypatch, "word " * 2_000)  # 10 kB
    huge = cleaned_characters(monkeypatch, "word " * 2_000_000)  # 10 MB
    assert huge == small  # the same work, whatever the length
    assert huge < 1_000
    assert render_module.render_table(["T"], [["a\u0301" * 100]], flexible=0, width=40)[1].endswith("…")


def test_a_closed_stdin_is_one_line() -> None:
    script = "import sys; from rnk_events.cli import main; sys.exit(main(sys.argv[1:]))"
    command = f"{sys.executable} -c '{script}' validate - <&-"
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("rnk-events: error: standard input is closed")
    assert result.stderr.count("\n") == 1
