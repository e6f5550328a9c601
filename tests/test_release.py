"""The release check: the bundled dataset against the last edition kept in ``tests/data``.

This is the check that cannot be forgotten: a data release whose changed
events do not carry a higher revision and a later revised day, whose removed
events are not listed as withdrawn, or whose version did not rise, fails
here. The hand-made editions below break one rule each, so each rule is
seen to fail.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import attrs
import pytest

import rnk_events
from rnk_events import EventCollection
from rnk_events.formats import json as json_format
from rnk_events.release import ReleaseProblem, Rule, check_release, version_key

EDITIONS = Path(__file__).resolve().parent / "data"
BUNDLED = Path(rnk_events.__file__).parent / "data" / "events.json"
KIM = "2024-06-10-kim-calls-russia-ties-unbreakable"


def kept_editions() -> list[Path]:
    return sorted(EDITIONS.glob("events-*.json"))


def latest_previous() -> EventCollection:
    """The kept edition with the highest data version, compared as numbers."""
    editions = [rnk_events.load(path) for path in kept_editions()]
    return max(editions, key=lambda edition: version_key(edition.info.version))


def test_each_kept_edition_is_named_after_its_version() -> None:
    assert kept_editions(), "no previous edition is kept in tests/data"
    for path in kept_editions():
        assert path.name == f"events-{rnk_events.load(path).info.version}.json"


def test_the_bundled_dataset_can_be_released_after_the_last_edition() -> None:
    problems = check_release(latest_previous(), rnk_events.load())
    assert problems == (), "\n".join(str(problem) for problem in problems)


def test_the_bundled_edition_is_later_than_every_kept_one() -> None:
    current = version_key(rnk_events.load().info.version)
    for path in kept_editions():
        assert version_key(rnk_events.load(path).info.version) < current, path.name


# --- hand-made editions, one broken rule each ---------------------------------------------------


def bundled_document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BUNDLED.read_text("utf-8"))
    return data


def next_edition(edit: Any) -> EventCollection:
    """Edition 1.2.0 of the bundled document, with ``edit(document, kim)`` applied to it by hand, as a file reads."""
    document = copy.deepcopy(bundled_document())
    document["version"] = "1.2.0"
    (kim,) = [event for event in document["events"] if event["id"] == KIM]
    edit(document, kim)
    return json_format.read(io.BytesIO(json.dumps(document).encode("utf-8")), "events-1.2.0.json")


def rules(problems: tuple[ReleaseProblem, ...]) -> list[tuple[Rule, str]]:
    return [(problem.rule, problem.event_id) for problem in problems]


def retitled(document: dict[str, Any], kim: dict[str, Any]) -> None:
    kim["title"] = "Kim calls ties with Russia an alliance"


def retitled_and_bumped(document: dict[str, Any], kim: dict[str, Any]) -> None:
    retitled(document, kim)
    kim.update(revision=2, revised="2027-03-01")


def test_a_properly_bumped_correction_passes() -> None:
    assert check_release(rnk_events.load(), next_edition(retitled_and_bumped)) == ()


def test_a_substantive_change_without_a_new_revision_fails() -> None:
    problems = check_release(rnk_events.load(), next_edition(retitled))
    assert rules(problems) == [(Rule.REVISION, KIM), (Rule.REVISED, KIM)]
    assert problems[0].message == "changed substantively (title) but its revision stayed at 1; make it 2"
    assert problems[1].message == "changed substantively but its revised day 2026-12-01 is not after 2026-12-01"


def test_a_new_revision_with_the_old_revised_day_fails() -> None:
    def edit(document: dict[str, Any], kim: dict[str, Any]) -> None:
        retitled(document, kim)
        kim["revision"] = 2

    assert rules(check_release(rnk_events.load(), next_edition(edit))) == [(Rule.REVISED, KIM)]


def test_a_revised_day_without_a_new_revision_fails() -> None:
    def edit(document: dict[str, Any], kim: dict[str, Any]) -> None:
        retitled(document, kim)
        kim["revised"] = "2027-03-01"

    assert rules(check_release(rnk_events.load(), next_edition(edit))) == [(Rule.REVISION, KIM)]


def test_a_first_revision_must_come_after_the_as_of_day() -> None:
    """An event as first published takes the previous edition's as-of day as its last change."""
    unrevised = "2019-04-25-first-putin-kim-jong-un-summit-vladivostok"

    def edit(document: dict[str, Any], kim: dict[str, Any]) -> None:
        (summit,) = [event for event in document["events"] if event["id"] == unrevised]
        summit.update(summary="A different summary.", revision=1, revised="2024-06-17")

    problems = check_release(rnk_events.load(), next_edition(edit))
    assert rules(problems) == [(Rule.REVISED, unrevised)]
    assert "is not after 2024-06-17" in problems[0].message


def test_a_note_fix_needs_no_revision_but_a_new_version() -> None:
    def edit(document: dict[str, Any], kim: dict[str, Any]) -> None:
        kim["note"] = kim["note"] + " Typo fixed."

    assert check_release(rnk_events.load(), next_edition(edit)) == ()
    same_version = attrs.evolve(next_edition(edit).info, version=rnk_events.load().info.version)
    problems = check_release(rnk_events.load(), EventCollection(next_edition(edit), same_version))
    assert rules(problems) == [(Rule.VERSION, "")]
    assert problems[0].message == "the editions differ but the data version went from 1.1.0 to 1.1.0; raise it"


def test_a_revision_never_goes_back() -> None:
    def edit(document: dict[str, Any], kim: dict[str, Any]) -> None:
        kim.update(revision=0, revised=None)

    problems = check_release(rnk_events.load(), next_edition(edit))
    assert rules(problems) == [(Rule.REVISION, KIM), (Rule.REVISED, KIM)]
    assert problems[0].message == "its revision went down from 1 to 0; revisions only rise"


def test_an_event_gone_without_a_withdrawal_fails() -> None:
    def edit(document: dict[str, Any], kim: dict[str, Any]) -> None:
        document["events"].remove(kim)

    problems = check_release(rnk_events.load(), next_edition(edit))
    assert rules(problems) == [(Rule.WITHDRAWAL, KIM)]
    assert "is gone without a withdrawal entry" in str(problems[0])


def withdraw_kim(document: dict[str, Any], kim: dict[str, Any]) -> None:
    document["events"].remove(kim)
    document["withdrawn"] = [
        {
            "id": KIM,
            "reason": "A duplicate.",
            "withdrawn": "2027-03-01",
            "replaced_by": None,
            "date": kim["date"],
            "title": kim["title"],
            "revision": kim["revision"],
        }
    ]


def test_a_withdrawal_that_keeps_the_event_as_it_stood_passes() -> None:
    assert check_release(rnk_events.load(), next_edition(withdraw_kim)) == ()


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("revision", 0, "gives revision '0', but the previous edition had '1'"),
        ("title", "Another title", "gives title 'Another title', but the previous edition had"),
        ("replaced_by", "no-such-event", "its replacement 'no-such-event' is not an event of the new edition"),
    ],
)
def test_a_withdrawal_that_would_cancel_the_wrong_entry_fails(field: str, value: Any, expected: str) -> None:
    def edit(document: dict[str, Any], kim: dict[str, Any]) -> None:
        withdraw_kim(document, kim)
        document["withdrawn"][0][field] = value

    problems = check_release(rnk_events.load(), next_edition(edit))
    assert rules(problems) == [(Rule.WITHDRAWAL, KIM)]
    assert expected in problems[0].message


def test_a_withdrawal_is_for_good() -> None:
    withdrawn = next_edition(withdraw_kim)
    later = EventCollection(withdrawn, attrs.evolve(withdrawn.info, version="1.3.0", withdrawn=()))
    problems = check_release(withdrawn, later)
    assert rules(problems) == [(Rule.WITHDRAWAL, "")]
    assert problems[0].message == f"the withdrawal of {KIM!r} is no longer listed; a withdrawal is for good"


@pytest.mark.parametrize(("new", "raised"), [("1.2.0", True), ("1.10", True), ("1.1.0", False), ("1.0.9", False)])
def test_versions_are_compared_as_numbers(new: str, raised: bool) -> None:
    current = rnk_events.load()
    edited = next_edition(retitled_and_bumped)
    candidate = EventCollection(edited, attrs.evolve(edited.info, version=new))
    problems = check_release(current, candidate)
    assert rules(problems) == ([] if raised else [(Rule.VERSION, "")])


def test_a_version_that_is_not_numbers_is_a_problem() -> None:
    edited = next_edition(retitled_and_bumped)
    candidate = EventCollection(edited, attrs.evolve(edited.info, version="1.2.0-beta"))
    problems = check_release(rnk_events.load(), candidate)
    assert rules(problems) == [(Rule.VERSION, "")]
    assert "'1.2.0-beta' is not a data version" in problems[0].message


@pytest.mark.parametrize(
    ("text", "key"), [("1", (1,)), ("1.0.0", (1,)), ("1.10.0", (1, 10)), ("2.0.1", (2, 0, 1)), ("0", (0,))]
)
def test_version_key(text: str, key: tuple[int, ...]) -> None:
    assert version_key(text) == key


@pytest.mark.parametrize("text", ["", "1.", ".1", "v1", "1.2.x", "1..2", " 1", "١"])
def test_version_key_refuses_what_is_not_dotted_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="is not a data version"):
        version_key(text)


def test_identical_editions_need_nothing() -> None:
    assert check_release(rnk_events.load(), rnk_events.load()) == ()


def test_the_release_problem_example_is_what_the_check_says() -> None:
    """ReleaseProblem's docstring example: edition 1.1.0's redating of the Kim remark, without its revision."""
    previous = rnk_events.load(EDITIONS / "events-1.0.0.json")
    current = rnk_events.load()
    unbumped = [attrs.evolve(event, revision=0, revised=None) if event.id == KIM else event for event in current]
    problems = check_release(previous, EventCollection(unbumped, current.info))
    documented = ReleaseProblem(
        Rule.REVISION,
        KIM,
        "changed substantively (date, title, summary) but its revision stayed at 0; make it 1",
    )
    assert problems[0] == documented
    assert rules(problems) == [(Rule.REVISION, KIM), (Rule.REVISED, KIM)]
    assert str(documented) == f"event {KIM!r}: {documented.message}"


def test_the_bundled_revisions_are_the_substantive_changes_of_edition_1_1_0() -> None:
    """Worked out from the JSON files, not the library: the fields the issue lists, compared by hand."""
    old = {event["id"]: event for event in json.loads((EDITIONS / "events-1.0.0.json").read_text("utf-8"))["events"]}
    fields = ("date", "title", "summary", "status", "actors", "people", "places", "sources")
    for event in bundled_document()["events"]:
        changed = any(old[event["id"]][field] != event[field] for field in fields)
        assert (event["revision"], event["revised"]) == ((1, "2026-12-01") if changed else (0, None)), event["id"]
    assert bundled_document()["withdrawn"] == []
    assert re.fullmatch(r"\d+\.\d+\.\d+", bundled_document()["version"])
    as_of = rnk_events.load().info.as_of
    assert as_of is not None
    assert dt.date(2026, 12, 1) > as_of  # a revision after the day the data is true as of
