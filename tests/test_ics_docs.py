"""The iCalendar format's documentation page, ``docs/formats/icalendar.md``, against the export.

Its Python snippets and its command run, and its example event, date table,
description examples and calendar table are what the export writes.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import attrs
import pytest

from rnk_events import DateSpan, EventCollection
from rnk_events.cli import main as cli_main
from rnk_events.formats import ics as ics_format
from tests import ics_helpers
from tests.conftest import ROOT
from tests.ics_helpers import (
    _EXACT_INTERVAL,
    _plain_event,
    ics_bytes,
    is_one_known_day,
    unfolded,
    vevents,
)

#: The bundled dataset, loaded once per module (shared from tests/ics_helpers.py).
dataset = ics_helpers.dataset


DOC = ROOT / "docs" / "formats" / "icalendar.md"


def _doc_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", DOC.read_text("utf-8"), re.MULTILINE | re.DOTALL)


def test_doc_python_snippets_run(dataset: EventCollection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for snippet in _doc_blocks("python"):
        exec(compile(snippet, str(DOC), "exec"), {})  # the page's own examples
    as_of = dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)
    assert (tmp_path / "reproducible.ics").read_bytes() == ics_bytes(dataset, stamp=as_of)
    assert len(vevents((tmp_path / "russia-north-korea.ics").read_bytes())) == len(dataset)
    desk = unfolded((tmp_path / "desk.ics").read_bytes())
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in desk
    assert r"X-WR-CALDESC:Sourced events.\nQuestions: the data desk." in desk
    # The precise-only feed: every date known to the day, or an interval between two such days.
    precise = vevents((tmp_path / "precise.ics").read_bytes())
    expected = {
        event.id for event in dataset if is_one_known_day(event.date) or _EXACT_INTERVAL.fullmatch(str(event.date))
    }
    assert {key.removesuffix("@rnk-events") for key in precise} == expected
    assert all(str(c["DESCRIPTION"]).split("\n")[1] == "" for c in precise.values()), "no coverage note needed"
    within_a_month = vevents((tmp_path / "within-a-month.ics").read_bytes())
    assert set(precise) < set(within_a_month)
    for component in within_a_month.values():
        event = dataset.get(str(component["UID"]).removesuffix("@rnk-events"))
        assert event.date.qualifier.value == ""
        assert all(part.days <= 31 for part in event.date.dates())
    assert "2024-06-10-kim-calls-russia-ties-unbreakable@rnk-events" in within_a_month
    assert "2000-putin-becomes-president@rnk-events" not in within_a_month


def test_the_precise_feed_from_the_command_line(
    dataset: EventCollection, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The page's command writes what ``export(events.known_within(1), ...)`` does."""
    target = tmp_path / "precise.ics"
    code = cli_main(["export", "ics", "-o", str(target), "--known-within", "1", "--stamp", "2024-06-17"])
    assert code == 0, capsys.readouterr().err
    as_of = dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)
    assert target.read_bytes() == ics_bytes(dataset.known_within(1), stamp=as_of)
    assert "--known-within 1" in DOC.read_text("utf-8")


def test_doc_example_event_is_what_the_export_writes(dataset: EventCollection) -> None:
    shown = _doc_blocks("text")[0]
    written = ics_bytes(dataset, stamp=dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)).decode("utf-8")
    uid_line = next(line for line in shown.splitlines() if line.startswith("UID:"))
    block = next(part for part in written.split("BEGIN:VEVENT\r\n") if f"\r\n{uid_line}\r\n" in part)
    expected = "BEGIN:VEVENT\r\n" + block.split("END:VEVENT\r\n")[0] + "END:VEVENT\r\n"
    assert shown.replace("\n", "\r\n") == expected


def test_doc_date_table_is_what_the_export_writes() -> None:
    section = DOC.read_text("utf-8").split("### Dates: what a subscriber sees", 1)[1].split("###", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "| `" in line][1:]  # after the header
    assert len(rows) == 18
    for row in rows:
        _form, edtf, start, end, ending, _what = (cell.strip() for cell in row.strip("|").split("|"))
        edtf, start, end = (cell.strip("`") for cell in (edtf, start, end))
        event = attrs.evolve(_plain_event(), date=edtf)
        lines = unfolded(ics_bytes(EventCollection([event])))
        assert f"DTSTART;VALUE=DATE:{start}" in lines, row
        assert f"DTEND;VALUE=DATE:{end}" in lines, row
        summary = next(line for line in lines if line.startswith("SUMMARY:")).replace("\\,", ",")
        shown = "A plain event" if ending == "the title alone" else ending.strip("`").replace("…", "A plain event")
        assert summary == f"SUMMARY:{shown}", row


def test_doc_description_examples_are_what_the_export_writes() -> None:
    section = DOC.read_text("utf-8").split("### Dates: what a subscriber sees", 1)[1].split("###", 1)[0]
    (example,) = re.findall(r"^```text\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)
    for opening in example.strip().split("\n\n"):
        edtf = re.search(r"EDTF (\S+)\)$", opening.splitlines()[0])
        assert edtf is not None, opening
        assert ics_format.date_lines(DateSpan.parse(edtf.group(1))) == opening.splitlines()


def test_doc_calendar_table_names_the_prodid() -> None:
    assert f"| `PRODID` | `{ics_format.PRODID}` |" in DOC.read_text("utf-8")
