"""The ``rnk-events ingest`` command: its output, errors and options, and the ingest page's examples run for real."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import shutil
from pathlib import Path

import pytest

import rnk_events
from rnk_events import Category
from rnk_events.cli import main as cli_main
from rnk_events.merge import MergeReport
from tests.wire_seeds import REUTERS, REWRITE, SEED_DATES

DOC = Path(__file__).resolve().parent.parent / "docs" / "ingest.md"


# --- command line --------------------------------------------------------------------------------


def run(argv: list[str]) -> int:
    return cli_main(["ingest", *argv])


def test_cli_writes_the_json_layout(seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "drafts.json"
    status = run(
        [str(seeds_dir / REUTERS), "--published", "2024-06-17", "--source-id", "reuters-timeline",
         "--publisher", "Reuters", "-o", str(out)]
    )  # fmt: skip
    assert status == 0
    document = json.loads(out.read_text("utf-8"))
    assert set(document) == {"dataset", "title", "version", "as_of", "sources", "withdrawn", "events"}
    assert document["sources"] == [
        {
            "id": "reuters-timeline",
            "publisher": "Reuters",
            "title": "The highs and lows of Russia-North Korea relations under Putin",
            "published": "2024-06-17",
            "url": None,
            "file": REUTERS,
            "note": "",
        }
    ]
    assert [event["date"] for event in document["events"]] == SEED_DATES
    assert {event["sources"][0]["source"] for event in document["events"]} == {"reuters-timeline"}
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{seeds_dir / REUTERS}:1: note: lines 1-7")
    assert err[1].startswith(f"{seeds_dir / REUTERS}:65: note: line 65 dropped as the page footer")
    assert "14 draft events" in err[-1]
    assert rnk_events.load(out).ids == tuple(event["id"] for event in document["events"])


def test_cli_reports_problems_and_still_writes_csv(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    timeline = tmp_path / "my timeline.txt"
    timeline.write_text("Title\n\nJuly 2000\n\nPutin visits.\n\nJune 31, 2024\n\nOops.\n\n2024\n\nMore.\n", "utf-8")
    status = run([str(timeline), "--published", "2024-06-17", "--format", "csv", "--category", "summit"])
    assert status == 1
    captured = capsysbinary.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out.decode("utf-8"), newline="")))
    assert [(row["date"], row["summary"], row["category"]) for row in rows] == [
        ("2000-07", "Putin visits.", "summit"),
        ("2024", "More.", "summit"),
    ]
    assert rows[0]["sources"] == "my-timeline;July 2000"
    assert b"\r\n" in captured.out
    err = captured.err.decode("utf-8").splitlines()
    assert f"{timeline}:7: error: 'June 31, 2024' looks like a date heading" in "\n".join(err)
    assert re.search(r":9: note: line 9 skipped", "\n".join(err))


def test_cli_file_errors_exit_1_in_the_commands_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.txt"
    assert cli_main(["ingest", str(missing), "--published", "2024-06-17"]) == 1
    assert capsys.readouterr().err == f"rnk-events: error: {missing}: No such file or directory\n"
    binary = tmp_path / "latin1.txt"
    binary.write_bytes("Caf\xe9\n".encode("latin-1"))
    assert cli_main(["ingest", str(binary), "--published", "2024-06-17"]) == 1
    assert (
        capsys.readouterr().err
        == f"rnk-events: error: {binary} (byte 3): not UTF-8 text (save it as UTF-8 plain text)\n"
    )
    ok = tmp_path / "ok.txt"
    ok.write_text("2020\n\nA thing.\n\n2021\n\nAnother.\n", "utf-8")
    target = tmp_path / "no" / "dir.json"
    assert cli_main(["ingest", str(ok), "--published", "2024-06-17", "-o", str(target)]) == 1
    assert capsys.readouterr().err.startswith(f"rnk-events: error: cannot write {target}: ")
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--source-id", "Reuters Timeline"],
            "argument --source-id: 'Reuters Timeline' is not a slug (lower-case letters, digits and single hyphens, "
            "at most 80 characters), such as 'reuters-timeline'",
        ),
        (
            ["--category", "weather"],
            "argument --category: 'weather' is not a category; allowed: "
            + ", ".join(member.value for member in Category),
        ),
        (["--published", "17/06/2024"], "argument --published: '17/06/2024' is not a valid date: "),
        (["--published", "June 2024"], "argument --published: 'June 2024' is not a single day; "),
        (["--published", "May 16-17, 2024"], "argument --published: 'May 16-17, 2024' is not a single day; "),
    ],
)
def test_cli_bad_arguments_are_one_line_usage_errors_naming_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    ok = tmp_path / "ok.txt"
    ok.write_text("2020\n\nA thing.\n\n2021\n\nAnother.\n", "utf-8")
    options = {"--published": "2024-06-17", **dict(zip(argv[::2], argv[1::2], strict=True))}
    status = cli_main(["ingest", str(ok), *(part for pair in options.items() for part in pair)])
    captured = capsys.readouterr()
    assert (status, captured.out) == (2, "")
    assert captured.err.startswith(f"rnk-events: error: {message}")
    assert captured.err.endswith("(see 'rnk-events ingest --help')\n")
    assert captured.err.count("\n") == 1


@pytest.mark.parametrize("published", ["2024-06-17", "June 17, 2024", "17 June 2024", "Jun. 17 2024"])
def test_cli_published_takes_any_single_day(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], published: str
) -> None:
    timeline = tmp_path / "t.txt"
    timeline.write_text("2020\n\nA thing.\n\nJune 18-19, 2024\n\nA visit.\n", "utf-8")
    assert run([str(timeline), "--published", published, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8"), newline="")))
    assert [row["status"] for row in rows] == ["happened", "planned"]


@pytest.mark.parametrize("category", ["SUMMIT", "Summit", " summit "])
def test_cli_category_ignores_case_like_list(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], category: str
) -> None:
    timeline = tmp_path / "t.txt"
    timeline.write_text("2020\n\nA thing.\n\n2021\n\nAnother.\n", "utf-8")
    assert run([str(timeline), "--published", "2024-06-17", "--format", "csv", "--category", category]) == 0
    rows = list(csv.DictReader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8"), newline="")))
    assert [row["category"] for row in rows] == ["summit", "summit"]


# --- the documentation shows real output ----------------------------------------------------------


def doc_blocks(language: str) -> list[str]:
    text = DOC.read_text("utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)


def test_doc_python_example_runs(seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(seeds_dir / REUTERS, tmp_path)
    monkeypatch.chdir(tmp_path)
    (code,) = doc_blocks("python")
    namespace: dict[str, object] = {}
    exec(code, namespace)
    report = namespace["report"]
    assert isinstance(report, MergeReport)
    assert (len(report.new), len(report.matched), len(report.conflicting)) == (0, 14, 0)


def test_doc_console_sessions_are_real_output(
    seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each ``$ command`` in the page prints exactly what follows it; ``cat`` lines set up the file."""
    shutil.copy(seeds_dir / REWRITE, tmp_path)
    monkeypatch.chdir(tmp_path)
    sessions = doc_blocks("console")
    assert len(sessions) == 4
    for session in sessions:
        status = None
        for step in re.split(r"^\$ ", session, flags=re.MULTILINE)[1:]:
            command, _, expected = step.partition("\n")
            if command.startswith("cat "):
                Path(command.removeprefix("cat ")).write_text(expected, "utf-8")
            elif command == "echo $?":
                assert expected.strip() == str(status)
            else:
                argv = shlex.split(command)
                assert argv[0] == "rnk-events"
                status = cli_main(argv[1:])
                captured = capsys.readouterr()
                shown = (captured.out + captured.err).replace("\r\n", "\n").removeprefix("\ufeff")
                assert shown == expected  # as a terminal shows it: CRLF as a line break, a byte-order mark unseen
    (start,) = doc_blocks("json")
    assert (tmp_path / "drafts.json").read_text("utf-8").startswith(start)
