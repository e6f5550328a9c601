"""Calendar updates across data editions, read by parsers that did not write the feed.

The previous edition (``tests/data/events-1.0.0.json``) and the current one
are exported as calendars and read back with Mozilla's ical.js (under node)
and vobject. Which events changed, and how, is worked out here from the two
JSON files themselves, not from ``rnk_events.diff``: an event changed
*substantively* when one of the fields the issue names differs (date, title,
summary, status, actors, people, places, sources); it is *unchanged* when
nothing a calendar shows of it differs (every field, and the sources it
cites). Then, for every UID in both feeds:

- changed substantively: ``SEQUENCE`` rose and ``LAST-MODIFIED`` moved on;
- changed otherwise (a note): neither moved;
- unchanged: the ``VEVENT`` is byte-identical.

A withdrawal is tried on a hand-made edition (the real data has none): the
withdrawn UID comes back ``CANCELLED``, one ``SEQUENCE`` on, in that edition
and in every later one.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import vobject

import rnk_events
from rnk_events import EventCollection, Status
from rnk_events.lint import lint
from rnk_events.release import check_release
from tests.ics_helpers import ical_js

ROOT = Path(__file__).resolve().parent.parent
PREVIOUS = ROOT / "tests" / "data" / "events-1.0.0.json"
CURRENT = ROOT / "src" / "rnk_events" / "data" / "events.json"
#: The fields whose change tells a reader something new, as the issue lists them.
SUBSTANTIVE = ("date", "title", "summary", "status", "actors", "people", "places", "sources")
#: What an event's DESCRIPTION shows of each source it cites.
SHOWN_OF_A_SOURCE = ("publisher", "title", "published", "url")
EDITION_DAY = "20261201T000000Z"  # edition 1.1.0 was made on 2026-12-01
AS_OF = "20240617T000000Z"  # both editions are as of 2024-06-17
WITHDRAWN = "2024-05-16-us-britain-sanctions-russian-entities"
REPLACEMENT = "2024-05-10-kim-inspects-240mm-rocket-launcher"


def document(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def feed(events: EventCollection, **options: Any) -> bytes:
    stream = io.BytesIO()
    rnk_events.export(events, "ics", stream, **options)
    return stream.getvalue()


def raw_vevents(data: bytes) -> dict[str, bytes]:
    """Each VEVENT's exact bytes, by UID, split and unfolded by hand."""
    found = {}
    for block in re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", data, re.DOTALL):
        (uid,) = re.findall(rb"^UID:(.*)\r$", block.replace(b"\r\n ", b""), re.MULTILINE)
        found[uid.decode("utf-8")] = block
    return found


def js_events(data: bytes, path: Path) -> dict[str, dict[str, Any]]:
    path.write_bytes(data)
    return {item["uid"]: item for item in ical_js(path)["events"]}


def vobject_events(data: bytes) -> dict[str, Any]:
    calendar = vobject.readOne(data.decode("utf-8"), validate=True)
    return {item.uid.value: item for item in calendar.contents.get("vevent", [])}


def sources_shown(doc: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    return {source["id"]: tuple(source.get(key) for key in SHOWN_OF_A_SOURCE) for source in doc["sources"]}


def classify(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """For each id in both editions: "substantive", "other" (changed, not substantively) or "unchanged"."""
    old_events = {event["id"]: event for event in old["events"]}
    old_sources, new_sources = sources_shown(old), sources_shown(new)
    kinds = {}
    for event in new["events"]:
        before = old_events.get(event["id"])
        if before is None:
            continue
        fields = [key for key in {*before, *event} - {"revision", "revised"} if before.get(key) != event.get(key)]
        cited = {ref["source"] for ref in [*before["sources"], *event["sources"]]}
        sources_moved = any(old_sources.get(source) != new_sources.get(source) for source in cited)
        if any(field in SUBSTANTIVE for field in fields):
            kinds[event["id"]] = "substantive"
        elif fields or sources_moved or old["as_of"] != new["as_of"]:
            kinds[event["id"]] = "other"
        else:
            kinds[event["id"]] = "unchanged"
    return kinds


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Both editions' feeds as bytes, as ical.js reads them and as vobject reads them."""
    folder = tmp_path_factory.mktemp("editions")
    old, new = feed(rnk_events.load(PREVIOUS)), feed(rnk_events.load())
    return {
        "raw": (raw_vevents(old), raw_vevents(new)),
        "js": (js_events(old, folder / "old.ics"), js_events(new, folder / "new.ics")),
        "vobject": (vobject_events(old), vobject_events(new)),
        "kinds": classify(document(PREVIOUS), document(CURRENT)),
    }


def test_the_editions_hold_every_kind_of_change(editions: dict[str, Any]) -> None:
    """Counted by hand from CHANGES-DATA.md: 16 of the 30 events changed, 13 of them substantively."""
    kinds = list(editions["kinds"].values())
    assert (kinds.count("substantive"), kinds.count("other"), kinds.count("unchanged")) == (13, 3, 14)
    old, new = editions["raw"]
    assert set(old) == set(new) == {f"{event_id}@rnk-events" for event_id in editions["kinds"]}


@pytest.mark.parametrize("reader", ["js", "vobject"])
def test_an_event_changed_substantively_has_a_higher_sequence_and_a_later_last_modified(
    editions: dict[str, Any], reader: str
) -> None:
    old, new = editions[reader]
    for event_id, kind in editions["kinds"].items():
        uid = f"{event_id}@rnk-events"
        (old_sequence, old_modified), (new_sequence, new_modified) = (read(reader, side[uid]) for side in (old, new))
        if kind == "substantive":
            assert new_sequence > old_sequence, event_id
            assert new_modified > old_modified, event_id
        else:  # a note fixed is not a revision; an unchanged event is not either
            assert (new_sequence, new_modified) == (old_sequence, old_modified), event_id


def read(reader: str, item: Any) -> tuple[int, dt.datetime]:
    """(SEQUENCE, LAST-MODIFIED) as the reader gives them; DTSTAMP must be the same instant."""
    if reader == "js":
        modified = dt.datetime.fromisoformat(item["lastModified"].replace("Z", "+00:00"))
        assert item["dtstamp"] == item["lastModified"]
        return int(item["sequence"]), modified
    assert item.dtstamp.value == item.last_modified.value
    return int(item.sequence.value), item.last_modified.value


def test_an_unchanged_event_is_the_same_bytes_in_both_editions(editions: dict[str, Any]) -> None:
    old, new = editions["raw"]
    unchanged = [event_id for event_id, kind in editions["kinds"].items() if kind == "unchanged"]
    for event_id in unchanged:
        assert new[f"{event_id}@rnk-events"] == old[f"{event_id}@rnk-events"], event_id
    for event_id in set(editions["kinds"]) - set(unchanged):  # the rest show something new
        assert new[f"{event_id}@rnk-events"] != old[f"{event_id}@rnk-events"], event_id


def test_the_revised_events_carry_the_editions_day(editions: dict[str, Any]) -> None:
    """SEQUENCE 1 and 2026-12-01 for the revised events, SEQUENCE 0 and the as-of day for the others."""
    _, new = editions["raw"]
    for event_id, kind in editions["kinds"].items():
        lines = new[f"{event_id}@rnk-events"].decode("utf-8").split("\r\n")
        sequence, day = ("1", EDITION_DAY) if kind == "substantive" else ("0", AS_OF)
        assert f"SEQUENCE:{sequence}" in lines
        assert f"LAST-MODIFIED:{day}" in lines
        assert f"DTSTAMP:{day}" in lines


def test_a_vevent_is_the_same_bytes_whatever_the_stamp() -> None:
    current = rnk_events.load()
    moment = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    feeds = [raw_vevents(feed(current, **options)) for options in ({}, {"stamp": moment}, {"stamp": None})]
    assert feeds[0] == feeds[1] == feeds[2]


def test_a_dataset_without_an_as_of_day_stamps_only_its_unrevised_events() -> None:
    current = rnk_events.load()
    undated = EventCollection(current, rnk_events.DatasetInfo(sources=current.info.sources))
    moment = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    for event_id, block in raw_vevents(feed(undated, stamp=moment)).items():
        lines = block.decode("utf-8").split("\r\n")
        if undated.get(event_id.removesuffix("@rnk-events")).revision:
            assert {f"DTSTAMP:{EDITION_DAY}", f"LAST-MODIFIED:{EDITION_DAY}"} <= set(lines)
        else:
            assert "DTSTAMP:20300102T030405Z" in lines
            assert not [line for line in lines if line.startswith("LAST-MODIFIED")]


# --- a withdrawal, on hand-made editions ------------------------------------------------------


def withdrawing_edition(base: dict[str, Any]) -> dict[str, Any]:
    """Edition 1.2.0: the current one with one event withdrawn, replaced by another, on 2027-03-01."""
    edition = copy.deepcopy(base)
    (gone,) = [event for event in edition["events"] if event["id"] == WITHDRAWN]
    edition["events"].remove(gone)
    edition["version"] = "1.2.0"
    edition["withdrawn"] = [
        {
            "id": WITHDRAWN,
            "reason": "Merged into the fuller report of the same week.",
            "withdrawn": "2027-03-01",
            "replaced_by": REPLACEMENT,
            "date": gone["date"],
            "title": gone["title"],
            "revision": gone["revision"],
        }
    ]
    return edition


def written(edition: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(edition, ensure_ascii=False, indent=2), "utf-8")
    return path


def test_a_withdrawn_event_is_cancelled_one_sequence_on(tmp_path: Path) -> None:
    current = document(CURRENT)
    withdrawing = written(withdrawing_edition(current), tmp_path / "events-1.2.0.json")
    before, after = feed(rnk_events.load()), feed(rnk_events.load(withdrawing))
    uid = f"{WITHDRAWN}@rnk-events"
    (old_event,) = [event for event in current["events"] if event["id"] == WITHDRAWN]

    js_before, js_after = js_events(before, tmp_path / "before.ics"), js_events(after, tmp_path / "after.ics")
    assert js_before[uid]["status"] == "CONFIRMED"
    assert js_after[uid]["status"] == "CANCELLED"
    assert js_after[uid]["sequence"] == js_before[uid]["sequence"] + 1 == old_event["revision"] + 1
    assert js_after[uid]["lastModified"] == js_after[uid]["dtstamp"] == "2027-03-01T00:00:00Z"
    assert (js_after[uid]["dtstart"], js_after[uid]["dtend"]) == (js_before[uid]["dtstart"], js_before[uid]["dtend"])
    assert js_after[uid]["summary"] == f"Withdrawn: May 16-17, 2024: {old_event['title']}"
    assert "Merged into the fuller report of the same week." in js_after[uid]["description"]
    assert f"{REPLACEMENT}@rnk-events" in js_after[uid]["description"]

    cancelled = vobject_events(after)[uid]
    assert cancelled.status.value == "CANCELLED"
    assert int(cancelled.sequence.value) == old_event["revision"] + 1
    assert cancelled.last_modified.value == dt.datetime(2027, 3, 1, tzinfo=dt.timezone.utc)

    # nothing else changed, so every other VEVENT is the same bytes
    raw_before, raw_after = raw_vevents(before), raw_vevents(after)
    assert set(raw_after) == set(raw_before)
    assert {key for key in raw_before if raw_before[key] != raw_after[key]} == {uid}


def test_a_withdrawal_stays_cancelled_in_every_later_edition(tmp_path: Path) -> None:
    withdrawing = withdrawing_edition(document(CURRENT))
    later = copy.deepcopy(withdrawing)
    later["version"] = "1.3.0"
    (kim,) = [event for event in later["events"] if event["id"] == "2024-06-10-kim-calls-russia-ties-unbreakable"]
    kim.update(title="Kim calls ties with Russia an alliance", revision=2, revised="2027-09-01")
    first = raw_vevents(feed(rnk_events.load(written(withdrawing, tmp_path / "events-1.2.0.json"))))
    second = raw_vevents(feed(rnk_events.load(written(later, tmp_path / "events-1.3.0.json"))))
    uid = f"{WITHDRAWN}@rnk-events"
    assert second[uid] == first[uid]
    assert b"STATUS:CANCELLED\r\n" in second[uid]


def test_the_hand_made_withdrawal_passes_the_release_check_and_diff_reports_it(tmp_path: Path) -> None:
    withdrawing = written(withdrawing_edition(document(CURRENT)), tmp_path / "events-1.2.0.json")
    assert check_release(rnk_events.load(), withdrawing) == ()
    changes = rnk_events.diff(rnk_events.load(), withdrawing)
    assert [(gone.id, gone.replaced_by, gone.withdrawn) for gone in changes.withdrawn] == [
        (WITHDRAWN, REPLACEMENT, "2027-03-01")
    ]
    assert changes.removed == ()


# --- a plan whose day has passed ----------------------------------------------------------------


def test_a_past_planned_event_stays_tentative_and_validate_calls_it_stale() -> None:
    current = rnk_events.load()
    (visit,) = [event for event in current if event.id == "2024-06-18-putin-state-visit-to-north-korea"]
    assert visit.status is Status.PLANNED
    later = EventCollection(current, rnk_events.DatasetInfo(title="Later", as_of="2024-07-01"))
    block = raw_vevents(feed(later))[f"{visit.id}@rnk-events"].decode("utf-8").split("\r\n")
    assert "STATUS:TENTATIVE" in block  # the feed never guesses that it happened
    stale = [warning for warning in lint(later) if warning.event_id == visit.id]
    assert [warning.field for warning in stale] == ["status"]
    assert stale[0].message.startswith("stale: ")
    assert "as-of date 2024-07-01" in stale[0].message
