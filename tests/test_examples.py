"""The scripts in examples/ run as a user runs them and write what they promise.

Each example runs in a subprocess (``python examples/x.py OUTPUT_DIR``) and its
files are read back with a reader other than the one that wrote them where
one exists: icalendar for the calendar, python-calamine for the workbook, the
standard library's HTML parser and json for the page, ``rnk_events.load`` for
the CSV (its own reader, which is the point: a newsroom reads it back).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from icalendar import Calendar
from python_calamine import CalamineWorkbook

import rnk_events

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EVENTS = rnk_events.load()


def run(
    script: str, output: Path | None, *arguments: str, status: int = 0, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run an example as a user would: ``python examples/SCRIPT [OUTPUT] ARGUMENTS``."""
    where = [str(output)] if output is not None else []
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *where, *arguments],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        cwd=cwd or output,
    )
    assert result.returncode == status, result.stderr
    return result


def written(result: subprocess.CompletedProcess[str]) -> list[Path]:
    """The paths the script says it wrote ("wrote PATH: ...")."""
    return [Path(line.split()[1].rstrip(":")) for line in result.stdout.splitlines() if line.startswith("wrote ")]


# --- calendar_for_year.py --------------------------------------------------------------------------


def calendar_ids(path: Path) -> list[str]:
    calendar = Calendar.from_ical(path.read_bytes())
    uids = [str(component["UID"]) for component in calendar.walk("VEVENT")]
    assert all(uid.endswith("@rnk-events") for uid in uids), uids
    return [uid.removesuffix("@rnk-events") for uid in uids]


@pytest.mark.parametrize("year", [None, 2019, 2023])
def test_calendar_for_year_holds_exactly_that_years_events(tmp_path: Path, year: int | None) -> None:
    result = run("calendar_for_year.py", tmp_path, *(["--year", str(year)] if year else []))
    expected_year = year or 2024
    path = tmp_path / f"rnk-events-{expected_year}.ics"
    assert written(result) == [path]
    ids = calendar_ids(path)
    assert sorted(ids) == sorted(EVENTS.in_year(expected_year).ids)
    assert len(ids) == len(set(ids))


def test_calendar_for_a_year_without_events_fails_and_writes_nothing(tmp_path: Path) -> None:
    result = run("calendar_for_year.py", tmp_path, "--year", "1990", status=2)
    assert "no events in 1990" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- desk_spreadsheet.py ---------------------------------------------------------------------------


def events_sheet_ids(path: Path) -> list[str]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Events").to_python()
    header, *body = rows
    column = header.index("id")
    return [str(row[column]) for row in body]


@pytest.mark.parametrize("actor", [None, "USA", "kor", "UNSC"])
def test_desk_spreadsheet_has_one_row_per_event_of_the_actor(tmp_path: Path, actor: str | None) -> None:
    result = run("desk_spreadsheet.py", tmp_path, *(["--actor", actor] if actor else []))
    code = (actor or "USA").upper()
    path = tmp_path / f"rnk-events-{code.lower()}.xlsx"
    assert written(result) == [path]
    assert events_sheet_ids(path) == list(EVENTS.by_actor(code).ids)


def test_desk_spreadsheet_refuses_an_unknown_actor(tmp_path: Path) -> None:
    result = run("desk_spreadsheet.py", tmp_path, "--actor", "Russia", status=2)
    assert "'Russia' is neither an ISO 3166-1 alpha-3 country code nor an organisation id" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- timeline_page.py ------------------------------------------------------------------------------


class _ScriptText(HTMLParser):
    """The text of the ``<script id="...">`` element with the wanted id."""

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted, self.inside, self.text = wanted, False, ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = tag == "script" and ("id", self.wanted) in attrs

    def handle_endtag(self, tag: str) -> None:
        self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text += data


def test_timeline_page_embeds_one_slide_per_event(tmp_path: Path) -> None:
    result = run("timeline_page.py", tmp_path)
    page, data = tmp_path / "rnk-events.html", tmp_path / "rnk-events.timeline.json"
    assert written(result) == [page, data]

    parser = _ScriptText("timeline-data")
    parser.feed(page.read_text(encoding="utf-8"))
    embedded = json.loads(parser.text)
    assert [slide["unique_id"] for slide in embedded["events"]] == list(EVENTS.ids)

    standalone = json.loads(data.read_text(encoding="utf-8"))
    assert standalone == embedded
    assert f'<iframe src="{page.name}"' in result.stdout


# --- query_in_code.py ------------------------------------------------------------------------------


def test_query_in_code_prints_the_answers_and_writes_a_csv_that_reads_back(tmp_path: Path) -> None:
    result = run("query_in_code.py", tmp_path)
    path = tmp_path / "russia-us-2023.csv"
    assert written(result) == [path]
    expected = EVENTS.in_year(2023).by_actor("RUS").by_actor("USA")
    assert rnk_events.load(path).ids == expected.ids
    for event in (*expected, *EVENTS.by_status("planned"), *EVENTS.search("satellite")):
        assert event.title in result.stdout


# --- every example is tested ----------------------------------------------------------------------

CHECKED: dict[str, Callable[..., None]] = {
    "calendar_for_year.py": test_calendar_for_year_holds_exactly_that_years_events,
    "desk_spreadsheet.py": test_desk_spreadsheet_has_one_row_per_event_of_the_actor,
    "timeline_page.py": test_timeline_page_embeds_one_slide_per_event,
    "query_in_code.py": test_query_in_code_prints_the_answers_and_writes_a_csv_that_reads_back,
}


def test_every_example_is_tested() -> None:
    scripts = sorted(path.name for path in EXAMPLES.iterdir() if path.is_file())
    assert scripts == sorted(CHECKED), "add a test for each new file in examples/ and list it in CHECKED"


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_example_says_how_to_run_it(name: str) -> None:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    assert text.startswith('"""'), f"{name} has no docstring"
    assert f"python examples/{name}" in text


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_example_writes_into_out_by_default(name: str, tmp_path: Path) -> None:
    result = run(name, None, cwd=tmp_path)
    paths = written(result)
    assert paths
    assert all(path.parent == Path("out") for path in paths), paths
    assert sorted(tmp_path.joinpath(path) for path in paths) == sorted((tmp_path / "out").iterdir())
