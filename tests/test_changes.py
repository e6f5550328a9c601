"""Diffs between editions: applying a diff rebuilds the new edition, the real editions' report, the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import DatasetInfo, EventCollection
from rnk_events.changes import SUBSTANTIVE_FIELDS, apply_diff, diff
from rnk_events.changes_report import render_json, render_markdown, render_text
from rnk_events.cli import main as cli_main
from tests.conftest import load_script
from tests.strategies import event_lists, events, withdrawals

ROOT = Path(__file__).resolve().parent.parent
PREVIOUS = ROOT / "tests" / "data" / "events-1.0.0.json"


@st.composite
def edition_pairs(draw: st.DrawFn) -> tuple[EventCollection, EventCollection]:
    """An old edition and a new one made from it by dropping, withdrawing, editing, revising and adding events."""
    old = draw(event_lists(max_size=6))
    new, withdrawn = [], []
    for event in old:
        action = draw(st.sampled_from(["keep", "drop", "withdraw", "edit", "revise"]))
        if action == "keep":
            new.append(event)
        elif action == "withdraw":
            entry = draw(withdrawals())
            withdrawn.append(attrs.evolve(entry, id=event.id, replaced_by=None, date=event.date, title=event.title))
        elif action == "revise":
            other = draw(events())
            new.append(attrs.evolve(event, title=other.title, revision=other.revision, revised=other.revised))
        elif action == "edit":
            other = draw(events())
            field = draw(st.sampled_from(["date", "title", "summary", "note", "people", "places", "category"]))
            new.append(attrs.evolve(event, **{field: getattr(other, field)}))
    taken = {event.id for event in old}
    new += [event for event in draw(event_lists(max_size=3)) if event.id not in taken]
    info = DatasetInfo(
        version=draw(st.sampled_from(["1", "2"])), title=draw(st.sampled_from(["A", "B"])), withdrawn=withdrawn
    )
    return EventCollection(old), EventCollection(new, info)


@given(edition_pairs())
def test_applying_the_reported_changes_to_the_old_edition_gives_the_new_one(pair: tuple[EventCollection, ...]) -> None:
    old, new = pair
    changes = diff(old, new)
    rebuilt = apply_diff(old, changes)
    assert rebuilt == new
    assert rebuilt.info == new.info
    assert bool(changes) == (list(old) != list(new) or old.info != new.info)


@given(edition_pairs())
def test_the_json_report_is_the_diff(pair: tuple[EventCollection, ...]) -> None:
    old, new = pair
    changes = diff(old, new)
    data = json.loads(render_json(changes))
    assert [item["id"] for item in data["changed"]] == [change.id for change in changes.changed]
    assert {record["id"] for record in data["added"]} == set(new.ids) - set(old.ids)
    listed = {entry.id for entry in new.info.withdrawn}
    assert {record["id"] for record in data["removed"]} == set(old.ids) - set(new.ids) - listed
    assert {item["id"] for item in data["withdrawn"]} == (set(old.ids) - set(new.ids)) & listed
    for item in data["withdrawn"]:
        entry = new.info.withdrawal(item["id"])
        assert entry is not None
        assert (item["reason"], item["withdrawn"]) == (entry.reason, entry.withdrawn.isoformat())
        assert item["event"]["id"] == item["id"]
    for item in data["changed"]:
        for change in item["changes"]:
            assert change["substantive"] == (change["field"] in SUBSTANTIVE_FIELDS)


def test_a_note_edit_is_not_substantive_but_a_date_edit_is() -> None:
    old = rnk_events.load()
    event = old[0]
    noted = EventCollection([attrs.evolve(event, note="A typo fixed."), *old[1:]], old.info)
    dated = EventCollection([attrs.evolve(event, date="2001"), *old[1:]], old.info)
    assert [change.substantive for change in diff(old, noted).changed] == [False]
    assert [change.substantive for change in diff(old, dated).changed] == [True]
    assert diff(old, dated).changed[0].changes[0].old == "2000"


def test_the_real_editions_differ_as_the_changelog_says() -> None:
    changes = diff(PREVIOUS, rnk_events.load())
    assert changes
    assert {change.field: change.new for change in changes.dataset}["version"] == rnk_events.load().info.version
    kim = next(change for change in changes.changed if change.id == "2024-06-10-kim-calls-russia-ties-unbreakable")
    date = next(change for change in kim.changes if change.field == "date")
    assert (date.old, date.new) == ("2024-06-10/2024-06-16", "[2024-06-10..2024-06-16]")
    text = render_text(changes)
    assert "2024-06-10/2024-06-16" in text
    assert "[2024-06-10..2024-06-16]" in text
    markdown = render_markdown(changes)
    assert markdown.startswith("## Edition 1.1.0 (was 1.0.0)\n")
    assert "| date | `2024-06-10/2024-06-16` | `[2024-06-10..2024-06-16]` |" in markdown


def test_no_differences() -> None:
    assert not diff(rnk_events.load(), rnk_events.load())
    assert render_text(diff(rnk_events.load(), rnk_events.load())) == "no differences\n"


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        (["bundled", "bundled"], 0),
        ([str(PREVIOUS), "bundled"], 1),
        (["missing.json", "bundled"], 2),
        ([str(PREVIOUS), "bundled", "--format", "yaml"], 2),
    ],
)
def test_cli_exit_status_follows_diff(arguments: list[str], code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["diff", *arguments]) == code
    out, err = capsys.readouterr()
    if code == 2:
        assert err.startswith("rnk-events: error:")
        assert out == ""


def test_cli_markdown_is_the_library_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["diff", str(PREVIOUS), "bundled", "--format", "markdown"]) == 1
    assert capsys.readouterr().out == render_markdown(diff(PREVIOUS, rnk_events.load()))


def test_the_data_changelog_is_the_diffs_of_the_released_editions() -> None:
    script = load_script("data_changelog")
    assert (ROOT / "CHANGES-DATA.md").read_text("utf-8") == script.changelog(), (
        "run `python scripts/data_changelog.py` and review the diff"
    )
    # and it holds each released step's own report, so the two can't drift apart
    step = render_markdown(diff(PREVIOUS, rnk_events.load()))
    assert step in (ROOT / "CHANGES-DATA.md").read_text("utf-8")


def test_citation_names_this_package_version_and_the_bundled_data_edition() -> None:
    text = (ROOT / "CITATION.cff").read_text("utf-8")
    versions = re.findall(r"^\s*version: (\S+)$", text, re.MULTILINE)
    assert versions == [rnk_events.__version__, rnk_events.load().info.version]
    assert "cff-version: 1.2.0" in text


def test_a_withdrawn_event_is_reported_apart_from_a_removed_one() -> None:
    old = rnk_events.load()
    kim, vietnam = "2024-06-10-kim-calls-russia-ties-unbreakable", "2024-06-19-putin-visit-to-vietnam"
    entry = rnk_events.Withdrawal(
        id=kim,
        reason="A duplicate of the summit report",
        withdrawn="2027-03-01",
        replaced_by="2024-06-18-putin-state-visit-to-north-korea",
        date=old.get(kim).date,
        title=old.get(kim).title,
        revision=1,
    )
    info = attrs.evolve(old.info, version="1.2.0", withdrawn=(entry,))
    new = EventCollection([event for event in old if event.id not in (kim, vietnam)], info)
    changes = diff(old, new)
    assert [gone.id for gone in changes.withdrawn] == [kim]
    assert [record["id"] for record in changes.removed] == [vietnam]
    assert apply_diff(old, changes) == new
    text = render_text(changes)
    assert text.startswith("0 added, 1 withdrawn, 1 removed, 0 changed (0 substantively)\n")
    assert (
        f"withdrawn {kim}: [2024-06-10..2024-06-16] {old.get(kim).title}\n"
        "  on 2027-03-01: A duplicate of the summit report. Replaced by 2024-06-18-putin-state-visit-to-north-korea.\n"
    ) in text
    assert f"removed {vietnam}: 2024-06-19/2024-06-20 " in text
    assert "dataset withdrawn" not in text, "the withdrawn event says it; the list change adds nothing"
    markdown = render_markdown(changes)
    assert markdown.startswith("## Edition 1.2.0 (was 1.1.0)\n\n0 added, 1 withdrawn, 1 removed, 0 changed")
    assert (
        f"- Withdrawn `{kim}` ([2024-06-10..2024-06-16]): {old.get(kim).title}, on 2027-03-01. "
        "A duplicate of the summit report. Replaced by `2024-06-18-putin-state-visit-to-north-korea`.\n"
    ) in markdown
    data = json.loads(render_json(changes))
    assert data["withdrawn"][0]["replaced_by"] == "2024-06-18-putin-state-visit-to-north-korea"
    assert data["withdrawn"][0]["event"]["title"] == old.get(kim).title


def test_a_withdrawal_listed_for_an_id_the_old_edition_lacked_is_said_in_the_dataset_changes() -> None:
    old = rnk_events.load()
    entry = rnk_events.Withdrawal(id="never-here", reason="Drafted, never published.", withdrawn="2027-03-01",
                                  date="2024", title="A draft")  # fmt: skip
    new = EventCollection(old, attrs.evolve(old.info, withdrawn=(entry,)))
    changes = diff(old, new)
    assert changes.withdrawn == ()
    assert "dataset withdrawn: listed never-here\n" in render_text(changes)
    assert "- Withdrawn list: listed never-here.\n" in render_markdown(changes)
