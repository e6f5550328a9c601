"""``rnk-events validate``: every problem reported with its file, record and field; warnings and notes.

Also a broken data file given to another command, which points at validate
in one line rather than listing the problems itself.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import rnk_events
from tests.cli_helpers import run
from tests.cli_setup import bundled, wide_terminal  # noqa: F401 - wide_terminal is autouse: imported, it applies here


def broken_csv(folder: Path) -> Path:
    good = folder / "good.csv"
    rnk_events.export(bundled(), "csv", good)
    with good.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[1]["date"] = "2024-13-01"
    rows[2]["category"] = "party"
    rows[3]["actors"] = "RUS|XXX"
    path = folder / "broken.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def broken_json(folder: Path) -> Path:
    stream = io.BytesIO()
    rnk_events.export(bundled(), "json", stream)
    document = json.loads(stream.getvalue())
    document["events"][0]["status"] = "rumoured"
    del document["events"][2]["title"]
    document["events"][3]["sources"][0]["source"] = "no-such-source"
    path = folder / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_validate_reports_every_csv_problem_with_file_record_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = broken_csv(tmp_path)
    ids = bundled().ids
    code, out, err = run(capsys, "validate", str(path))
    lines = out.splitlines()
    assert code == 1
    assert len(lines) == 3
    assert lines[0].startswith(f"{path}, line 3 (id {ids[1]!r}), field 'date': ")
    assert "'2024-13-01'" in lines[0]
    assert lines[1].startswith(f"{path}, line 4 (id {ids[2]!r}), field 'category': ")
    assert "summit" in lines[1]  # the allowed values are named
    assert lines[2].startswith(f"{path}, line 5 (id {ids[3]!r}), field 'actors': ")
    assert "'XXX'" in lines[2]
    assert err == f"rnk-events: error: 3 problems in {path}\n"


def test_validate_reports_every_json_problem_with_file_record_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = broken_json(tmp_path)
    code, out, err = run(capsys, "validate", str(path))
    lines = out.splitlines()
    assert code == 1
    assert [line.split(": ", 1)[0].split(", ")[1:] for line in lines] == [
        ["events[0] (id '2000-putin-becomes-president')", "field 'status'"],
        ["events[2] (id '2002-08-23-putin-meets-kim-jong-il-in-vladivostok')", "field 'title'"],
        ["events[3] (id '2006-10-14-russia-backs-nine-unsc-resolutions-on-north-korea')", "field 'sources'"],
    ]
    assert all(line.startswith(f"{path}, ") for line in lines)
    assert "'rumoured'" in lines[0]
    assert "'no-such-source'" in lines[2]
    assert err == f"rnk-events: error: 3 problems in {path}\n"


def test_validate_a_clean_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "clean.json"
    rnk_events.export(bundled(), "json", path)
    code, out, err = run(capsys, "validate", str(path))
    assert (code, err) == (0, "")
    *notes, ok = out.splitlines()
    assert ok == "OK: 30 events"
    assert all(line.startswith("note: ") for line in notes)  # a note is not a warning: the file is clean


def test_validate_counts_the_places_the_map_leaves_out(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    events = bundled()
    places = [place for event in events for place in event.places]
    unmapped = [place for place in places if place.lat is None or place.lon is None]
    path = tmp_path / "clean.json"
    rnk_events.export(events, "json", path)
    _, out, _ = run(capsys, "validate", str(path))
    assert f"note: {len(unmapped)} of {len(places)} event places have no coordinates" in out
    assert repr(unmapped[0].name) in out or "more" in out
    mapped_only = events.filter(lambda event: all(place.lat is not None for place in event.places))
    rnk_events.export(mapped_only, "json", path)
    assert run(capsys, "validate", str(path))[1] == f"OK: {len(mapped_only)} events\n"


def test_validate_warns_without_failing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    stream = io.BytesIO()
    rnk_events.export(bundled(), "json", stream)
    document = json.loads(stream.getvalue())
    document["events"][-1]["date"] = "2024-05-20"  # still "planned", but before the as-of date
    path = tmp_path / "stale.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0
    assert out.splitlines() == [
        f"warning: {path}, event '2024-06-19-putin-visit-to-vietnam': stale: still 'planned', but its date "
        "ended before the dataset's as-of date 2024-06-17; the status is kept until a source says what happened",
        *[line for line in out.splitlines() if line.startswith("note: ")],
        "OK: 30 events",
    ]


def test_validate_a_csv_warns_that_sources_were_not_checked(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "clean.csv"
    rnk_events.export(bundled(), "csv", path)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0
    assert out.splitlines()[-1] == "OK: 30 events"
    assert "source ids its events cite were not checked" in out


@pytest.mark.parametrize(("name", "message"), [("missing.json", "No such file"), ("notes.txt", "expected a .json")])
def test_validate_an_unreadable_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, message: str
) -> None:
    code, out, err = run(capsys, "validate", str(tmp_path / name))
    assert code == 1
    assert out.startswith(f"{tmp_path / name}: {message}")
    assert err == f"rnk-events: error: 1 problem in {tmp_path / name}\n"


def test_a_broken_data_file_is_one_line_pointing_at_validate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = broken_json(tmp_path)
    code, out, err = run(capsys, "list", "--data", str(path))
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert err.startswith(f"rnk-events: error: {path}, events[0]")
    assert err.rstrip().endswith(f"(run 'rnk-events validate {path}' to list every problem)")
