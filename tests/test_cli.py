"""The ``rnk-events`` command's ``list`` and ``show``, usage errors, help and entry point, and docs/cli.md.

Output is checked against the library's own queries, errors as one line.
Most tests call :func:`rnk_events.cli.main` in-process; a few run
``python -m rnk_events`` for the real exit codes, broken pipes and imports.
``export`` is in test_cli_export.py, ``validate`` in test_cli_validate.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import rnk_events
from rnk_events import EventCollection, parse_date
from rnk_events import cli as cli_module
from rnk_events.cli import common as cli_common
from rnk_events.cli import main
from tests.cli_helpers import run
from tests.cli_setup import bundled, wide_terminal  # noqa: F401 - wide_terminal is autouse: imported, it applies here

STATE_VISIT = "2024-06-18-putin-state-visit-to-north-korea"


def listed_ids(out: str) -> list[str]:
    """The ID column of ``list --ids`` (the last cell of each row after the header)."""
    lines = out.splitlines()
    assert lines[0].split() == ["DATE", "TITLE", "CATEGORY", "STATUS", "ID"]
    return [line.rsplit(None, 1)[-1] for line in lines[1:]]


# --- list ------------------------------------------------------------------------------------


def test_list_shows_every_event_as_a_row_and_counts_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list")
    events = bundled()
    lines = out.splitlines()
    assert code == 0
    assert len(lines) == len(events) + 1
    for line, event in zip(lines[1:], events, strict=True):
        assert line.startswith(event.date.display())
        assert event.title in line
        assert event.category.value in line
    assert err == f"{len(events)} events\n"


def _summits_or_sanctions(events: EventCollection) -> EventCollection:
    return events.filter(lambda event: event.category.value in {"summit", "sanctions"})


FILTERS: list[tuple[list[str], Callable[[EventCollection], EventCollection]]] = [
    (["--from", "2024"], lambda e: e.between(parse_date("2024"), None)),
    (["--to", "2002"], lambda e: e.between(None, parse_date("2002"))),
    (["--from", "Sept. 13, 2023", "--to", "Sept. 13, 2023"], lambda e: e.on(dt.date(2023, 9, 13))),
    (["--actor", "rus", "--actor", "prk"], lambda e: e.by_actor("RUS").by_actor("PRK")),
    (["--actor", "VNM"], lambda e: e.by_actor("VNM")),
    (["--person", "kim jong un"], lambda e: e.by_person("Kim Jong Un")),
    (["--place", "Vladivostok"], lambda e: e.at_place("Vladivostok")),
    (["--category", "summit", "--category", "SANCTIONS"], _summits_or_sanctions),
    (["--status", "planned"], lambda e: e.by_status("planned")),
    (["--search", "satellite"], lambda e: e.search("satellite")),
    (
        ["--from", "2023", "--to", "May 2024", "--actor", "USA", "--category", "arms-transfer"],
        lambda e: e.between("2023", "2024-05").by_actor("USA").by_category("arms-transfer"),
    ),
]


@pytest.mark.parametrize(("argv", "query"), FILTERS, ids=[" ".join(argv) for argv, _ in FILTERS])
def test_list_filters_match_the_library_queries(
    capsys: pytest.CaptureFixture[str], argv: list[str], query: Callable[[EventCollection], EventCollection]
) -> None:
    code, out, err = run(capsys, "list", "--ids", *argv)
    expected = query(bundled())
    assert code == 0
    assert len(expected) > 0, "a filter that matches nothing proves little"
    assert listed_ids(out) == list(expected.ids)
    assert err == f"{len(expected)} of 30 events\n"


def test_list_dates_are_inclusive_and_count_overlapping_ranges(capsys: pytest.CaptureFixture[str]) -> None:
    # The Sept. 2023 - June 17, 2024 preparations end on June 17, so they overlap a range from that day.
    code, out, _ = run(capsys, "list", "--ids", "--from", "June 17, 2024")
    assert code == 0
    assert listed_ids(out) == [
        "2023-09-russian-officials-visit-north-korea-to-prepare-putin-trip",
        "2024-01-un-monitors-trace-missile-fired-at-ukraine-to-north-korea",  # some time up to June 17
        "2024-06-17-russia-north-korea-announce-putin-visit",
        STATE_VISIT,
        "2024-06-19-putin-visit-to-vietnam",
    ]
    _, out, _ = run(capsys, "list", "--ids", "--from", "June 18, 2024")
    assert listed_ids(out) == [STATE_VISIT, "2024-06-19-putin-visit-to-vietnam"]


def test_certain_keeps_only_events_certainly_in_the_range(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--ids", "--from", "2024-06-12", "--to", "2024-06-12")
    assert code == 0
    assert "2024-06-10-kim-calls-russia-ties-unbreakable" in listed_ids(out)  # one day of that week: maybe the 12th
    _, out, _ = run(capsys, "list", "--ids", "--from", "2024-06-12", "--to", "2024-06-12", "--certain")
    assert listed_ids(out) == ["2023-09-russian-officials-visit-north-korea-to-prepare-putin-trip"]
    code, _, err = run(capsys, "list", "--certain")
    assert code == 2
    assert "--certain goes with --from and/or --to" in err


def test_known_within_keeps_only_dates_known_that_closely(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", "--ids", "--known-within", "1")
    assert code == 0
    assert listed_ids(out) == [event.id for event in bundled() if event.date.known_within(1)]
    assert "2000-07-putin-first-visit-to-north-korea" not in listed_ids(out)
    assert "2019-04-25-first-putin-kim-jong-un-summit-vladivostok" in listed_ids(out)
    code, _, err = run(capsys, "list", "--known-within", "0")
    assert code == 2
    assert "expected a whole number of days, 1 or more" in err


def test_list_that_matches_nothing_prints_no_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", "--search", "no such words anywhere")
    assert (code, out, err) == (0, "", "0 of 30 events\n")


def test_list_json_is_pure_json_and_identical_to_the_exporter(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", "--format", "json", "--status", "planned")
    expected = bundled().by_status("planned")
    stream = io.BytesIO()
    rnk_events.export(expected, "json", stream)
    assert code == 0
    assert out == stream.getvalue().decode("utf-8")
    assert [event["id"] for event in json.loads(out)["events"]] == list(expected.ids)
    assert err == "2 of 30 events\n"


def test_list_csv_parses_with_the_csv_module(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--format", "csv", "--actor", "kor")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert code == 0
    assert [row["id"] for row in rows] == list(bundled().by_actor("KOR").ids)


def test_list_truncates_titles_to_the_terminal_width(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")  # the widest display date, "some time between January 2024 and ...", is 48
    _, out, _ = run(capsys, "list")
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert any("…" in line for line in lines)
    # the other columns are never cut: every date, category and status is there in full
    for line, event in zip(lines[1:], bundled(), strict=True):
        assert line.startswith(event.date.display())
        assert line.endswith(f"{event.category.value:<13}  {event.status.value}")


def test_list_and_show_never_print_control_characters(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    stream = io.BytesIO()
    rnk_events.export(bundled(), "json", stream)
    document = json.loads(stream.getvalue())
    document["events"][0]["title"] = "Putin \x1b[2J\x1b]0;pwned\x07becomes\npresident"
    document["events"][0]["summary"] = "Line one.\r\nLine \x1b[31mtwo."
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    _, listed, _ = run(capsys, "list", "--data", str(path))
    _, shown, _ = run(capsys, "show", "--data", str(path), document["events"][0]["id"])
    for out in (listed, shown):
        assert "\x1b" not in out
        assert "\x07" not in out
        assert "\r" not in out
    assert "Putin \ufffd[2J\ufffd]0;pwned\ufffdbecomes president" in listed.splitlines()[1]
    assert "Line one. Line \ufffd[31mtwo." in shown


def test_render_table_aligns_wide_characters() -> None:
    lines = cli_module.render_table(["A", "B"], [["평양", "x"], ["ab", "y"]], flexible=0, width=80)
    assert lines == ["A     B", "평양  x", "ab    y"]


def test_list_reads_a_users_dataset(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    rnk_events.export(bundled().in_year(2023), "csv", path)
    code, out, err = run(capsys, "list", "--ids", "--data", str(path))
    assert code == 0
    assert listed_ids(out) == list(bundled().in_year(2023).ids)
    assert err == "6 events\n"


# --- show ------------------------------------------------------------------------------------


def test_show_prints_the_event_with_its_sources_and_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    event_id = "2019-04-25-first-putin-kim-jong-un-summit-vladivostok"
    event = bundled().get(event_id)
    code, out, err = run(capsys, "show", event_id)
    flat = " ".join(out.split())  # undo the wrapping
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == event.title
    assert "April 25, 2019" in flat
    assert "EDTF 2019-04-25, day precision" in flat
    assert "2019-04-25 to 2019-04-25 (1 day)" in flat
    assert "category summit" in flat
    assert "RUS (Russian Federation)" in flat
    assert " ".join(event.summary.split()) in flat
    for place in event.places:
        assert place.name in flat
        if place.has_point:
            assert f"lat {place.lat}, lon {place.lon}" in flat
    for ref in event.sources:
        source = bundled().info.source(ref.source)
        assert f'evidence: "{" ".join(ref.evidence.split())}"' in flat
        assert source.publisher in flat
        assert " ".join(source.title.split()) in flat
        if source.url:
            assert source.url in out


def test_show_a_range_says_its_first_and_last_day_and_the_as_of_caveat(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "show", STATE_VISIT)
    flat = " ".join(out.split())
    assert "June 18-19, 2024" in flat
    assert "EDTF 2024-06-18/2024-06-19" in flat
    assert "2024-06-18 to 2024-06-19 (2 days)" in flat
    assert "status planned (as of June 17, 2024)" in flat


def test_show_month_precision(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "show", "2000-07-putin-first-visit-to-north-korea")
    flat = " ".join(out.split())
    assert "EDTF 2000-07, month precision" in flat
    assert "2000-07-01 to 2000-07-31 (31 days)" in flat


@pytest.mark.parametrize("typed", ["2024-06-18-putin-state-visit-to-north-kora", "putin-state-visit", "STATE VISIT"])
def test_show_unknown_id_names_it_and_suggests_the_close_one(capsys: pytest.CaptureFixture[str], typed: str) -> None:
    code, out, err = run(capsys, "show", typed)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert err.startswith(f"rnk-events: error: no event with id {typed!r}; did you mean ")
    assert STATE_VISIT in err


def test_show_suggests_every_id_with_the_words_typed(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, "show", "putin-vietnam")
    assert err == (
        "rnk-events: error: no event with id 'putin-vietnam'; did you mean 2024-06-19-putin-visit-to-vietnam?\n"
    )


def test_show_unknown_id_with_nothing_close_points_at_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "zzz")
    assert code == 1
    assert err == "rnk-events: error: no event with id 'zzz' (see 'rnk-events list --ids')\n"


# --- usage errors, help, version -------------------------------------------------------------


def test_bad_status_names_the_allowed_values(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", "--status", "rumoured")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    allowed = ", ".join(status.value for status in rnk_events.Status)
    assert err == (
        f"rnk-events: error: argument --status: 'rumoured' is not a status; allowed: {allowed} "
        "(see 'rnk-events list --help')\n"
    )


def test_bad_date_is_one_line_with_the_text_and_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(rnk_events.DateError) as caught:
        parse_date("Jan. 32, 2024")
    code, out, err = run(capsys, "list", "--from", "Jan. 32, 2024")
    assert (code, out) == (2, "")
    assert err == (f"rnk-events: error: argument --from: {caught.value} (see 'rnk-events list --help')\n")
    assert "day 32 is outside 1..31" in err


def test_a_range_that_ends_before_it_starts_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "list", "--from", "2024", "--to", "2023")
    assert code == 2
    assert err == "rnk-events: error: --from/--to: the range ends (2023-12-31) before it starts (2024-01-01)\n"


def test_unknown_actor_is_a_usage_error_naming_the_organisations(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "list", "--actor", "xyz")
    assert code == 2
    assert "'xyz' is not an actor" in err
    assert "UNSC" in err


def test_no_command_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys)
    assert code == 2
    assert err.startswith("rnk-events: error: choose a command: list, show, export, validate")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"rnk-events {rnk_events.__version__}\n", "")


@pytest.mark.parametrize("command", [[], ["list"], ["show"], ["export"], ["validate"]])
def test_every_command_has_help_with_an_example(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0
    assert out.startswith(f"usage: rnk-events {' '.join(command)}".rstrip())
    examples = out.split("example", 1)[1]
    assert f"  rnk-events {command[0] if command else 'list'} " in examples


def test_interrupt_exits_130_quietly(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(path: object = None) -> EventCollection:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_common, "load", interrupted)
    assert run(capsys, "list") == (130, "", "")


def test_an_unexpected_error_is_one_line_unless_debugging(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: object = None) -> EventCollection:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli_common, "load", broken)
    code, _, err = run(capsys, "list")
    assert code == 1
    assert err.startswith("rnk-events: internal error: RuntimeError: boom (set RNK_EVENTS_DEBUG=1")
    assert err.count("\n") == 1
    monkeypatch.setenv("RNK_EVENTS_DEBUG", "1")
    with pytest.raises(RuntimeError, match="boom"):
        main(["list"])


# --- the real entry point --------------------------------------------------------------------


def python_m(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "120", "PYTHONWARNINGS": "error"}
    return subprocess.run(
        [sys.executable, "-m", "rnk_events", *argv], capture_output=True, text=True, env=env, check=False
    )


def test_python_m_version_and_list() -> None:
    version = python_m("--version")
    assert (version.returncode, version.stdout, version.stderr) == (0, f"rnk-events {rnk_events.__version__}\n", "")
    listing = python_m("list", "--status", "planned")
    assert listing.returncode == 0
    assert len(listing.stdout.splitlines()) == 3
    assert listing.stderr == "2 of 30 events\n"


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["list", "--from", "someday"], 2),
        (["list", "--format", "yaml"], 2),
        (["show", "no-such-event"], 1),
        (["validate", "missing.csv"], 1),
    ],
)
def test_python_m_errors_are_one_line_without_traceback(argv: list[str], code: int) -> None:
    result = python_m(*argv)
    assert result.returncode == code
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("rnk-events: error: ")
    assert result.stderr.count("\n") == 1


def test_a_closed_pipe_is_not_a_traceback() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "rnk_events", "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # the reader is gone before the first row is written, like `| head -0`
    stderr = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=60) == cli_module.EXIT_BROKEN_PIPE
    assert stderr == b""


def test_help_and_list_do_not_import_heavy_format_dependencies() -> None:
    script = (
        "import contextlib, io, sys\n"
        "from rnk_events.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "    codes = [main(['--help']), main(['export', '--help'])]\n"
        "    codes += [main(['list']), main(['list', '--format', 'csv'])]\n"
        "print(codes, sorted(m for m in ('openpyxl', 'icalendar') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout == "[0, 0, 0, 0] []\n"


def test_a_closed_stdout_is_one_line_not_a_traceback() -> None:
    script = "import sys; from rnk_events.cli import main; sys.exit(main(sys.argv[1:]))"
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(script)} list >&-"  # stdout closed, not redirected
    listing = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=False)
    assert listing.returncode == 1
    assert listing.stderr == "rnk-events: error: standard output is closed; redirect it to a file or a pipe\n"


# --- docs/cli.md -----------------------------------------------------------------------------

CLI_PAGE = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
SIZE = re.compile(r" +[\d,]+ bytes")


def doc_sessions() -> list[tuple[str, str]]:
    """``(command, output)`` pairs from the page's ``console`` blocks."""
    sessions = []
    for language, _options, text in BLOCK.findall(CLI_PAGE.read_text(encoding="utf-8")):
        if language == "console":
            sessions += re.findall(r"^\$ (.*)\n((?:(?!\$ ).*\n)*)", text, re.MULTILINE)
    return sessions


def test_cli_page_shows_commands_with_output() -> None:
    commands = [command.split()[:2] for command, _ in doc_sessions()]
    for name in ("list", "show", "export", "validate", "diff", "merge"):
        assert ["rnk-events", name] in commands


@pytest.mark.parametrize(("command", "expected"), doc_sessions(), ids=[command for command, _ in doc_sessions()])
def test_cli_page_output_is_what_the_command_prints(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str, expected: str
) -> None:
    """Each ``$ rnk-events ...`` runs in a folder holding the page's example files; byte counts may differ."""
    for _language, options, text in BLOCK.findall(CLI_PAGE.read_text(encoding="utf-8")):
        title = re.search(r'title="([^"]+)"', options)
        if title:
            (tmp_path / title.group(1)).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "90")
    program, *arguments = shlex.split(command)
    assert program == "rnk-events"
    code, out, err = run(capsys, *arguments)
    assert SIZE.sub(" N bytes", out + err) == SIZE.sub(" N bytes", expected)
    if arguments[0] == "diff":  # diff(1)'s convention: 0 the same, 1 different, 2 trouble
        assert code == (2 if "error:" in expected else 0 if expected == "no differences\n" else 1)
    elif arguments[0] == "merge":  # the same convention: 0 no conflicts, 1 conflicts, 2 trouble
        assert code == (2 if "error:" in expected else 0 if "\nconflicting: 0\n" in expected else 1)
    else:
        assert (code == 0) == ("error:" not in expected)
