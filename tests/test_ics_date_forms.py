"""What each form of date becomes in the iCalendar feed, checked three ways.

A table worked out by hand (``FORMS``); rules every entry must keep whatever
its date (:func:`tests.ics_helpers.assert_entry_claims_no_more`: nothing
outside the date's strict bounds, no year 1 or 9999 for an open end, the
date's words in the SUMMARY of every entry that is not one known day), applied
to what icalendar, vobject and ical.js see of the bundled dataset and of
generated dates of every form; and the calendar's edges. The docs' own table
is checked in ``test_ics_docs.py``.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import attrs
import pytest
import vobject
from hypothesis import given, settings
from icalendar import Calendar

import rnk_events
from rnk_events import DateSpan, EventCollection
from rnk_events.formats import ics as ics_format
from tests import ics_helpers
from tests.edtf_strategies import edtf_dates, intervals
from tests.ics_helpers import (
    _EXACT_INTERVAL,
    STAMP,
    _assert_vobject_matches,
    _plain_event,
    assert_entry_claims_no_more,
    assert_js_matches,
    assert_wellformed,
    collections,
    expected_entry,
    ical_js,
    ics_bytes,
    is_one_known_day,
    unfolded,
    vevents,
    writable,
)

#: The bundled dataset, loaded once per module (shared from tests/ics_helpers.py).
dataset = ics_helpers.dataset


#: Every form of the grammar (tests/edtf_strategies.py) that iCalendar can hold.
every_form = edtf_dates().filter(writable)
#: The same from the year 1000: ical.js's date arithmetic goes wrong before then.
every_form_from_1000 = every_form.filter(lambda span: expected_entry(span)[0].year >= 1000)


# --- the bundled dataset ---------------------------------------------------------------


def test_every_event_is_all_day_with_an_exclusive_end(dataset: EventCollection) -> None:
    data = ics_bytes(dataset)
    parsed = vevents(data)
    assert set(parsed) == {f"{event.id}@rnk-events" for event in dataset}
    assert len(Calendar.from_ical(data).walk("VEVENT")) == len(dataset), "duplicate UIDs"
    for event in dataset:
        component = parsed[f"{event.id}@rnk-events"]
        assert component["DTSTART"].params["VALUE"] == "DATE"
        assert component["DTEND"].params["VALUE"] == "DATE"
        start, end = component.decoded("DTSTART"), component.decoded("DTEND")
        assert type(start) is dt.date
        assert type(end) is dt.date
        first, last = expected_entry(event.date)
        assert (start, end) == (first, last + dt.timedelta(days=1))
        assert "RRULE" not in component
        assert "RDATE" not in component
        assert str(component["TRANSP"]) == "TRANSPARENT"


def test_no_bundled_entry_claims_more_than_its_date(dataset: EventCollection) -> None:
    """icalendar's reading of every bundled event keeps the rules; vobject and ical.js in test_export_ics."""
    parsed = vevents(ics_bytes(dataset))
    for event in dataset:
        component = parsed[f"{event.id}@rnk-events"]
        start, end = component.decoded("DTSTART"), component.decoded("DTEND")
        assert_entry_claims_no_more(event, start, end, str(component["SUMMARY"]))
        assert start.year != 1
        assert end.year < 9999, "an end stretched to the calendar's edge"


def test_the_bundled_dataset_has_the_forms_that_matter() -> None:
    """The rules above are only as good as the dates they meet: the bundled data has a set and an interval."""
    kinds = {event.date.kind for event in rnk_events.load()}
    assert kinds == {"date", "interval", "one-of"}


# --- each form, worked out by hand ------------------------------------------------------


# Each form of date, worked out by hand: EDTF, DTSTART, DTEND (exclusive), SUMMARY (title "A plain
# event"), and the DESCRIPTION's opening lines. TRANSP is TRANSPARENT for every one of them.
FORMS: list[tuple[str, str, str, str, list[str]]] = [
    ("2002-08-23", "20020823", "20020824", "A plain event", ["Date: Aug. 23, 2002 (day precision, EDTF 2002-08-23)"]),
    (
        "2000-07",
        "20000701",
        "20000801",
        "July 2000: A plain event",
        [
            "Date: July 2000 (month precision, EDTF 2000-07)",
            "The calendar entry spans the 31 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "2020-02",
        "20200201",
        "20200301",  # leap year: all 29 days
        "February 2020: A plain event",
        [
            "Date: February 2020 (month precision, EDTF 2020-02)",
            "The calendar entry spans the 29 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "2024-21",
        "20240301",
        "20240601",  # spring: March to May
        "Spring 2024: A plain event",
        [
            "Date: spring 2024 (season precision, EDTF 2024-21)",
            "The calendar entry spans the 92 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "2023-24",
        "20231201",
        "20240301",  # winter 2023: December to February 2024, a leap February
        "Winter 2023: A plain event",
        [
            "Date: winter 2023 (season precision, EDTF 2023-24)",
            "The calendar entry spans the 91 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "2000",
        "20000101",
        "20010101",
        "2000: A plain event",
        [
            "Date: 2000 (year precision, EDTF 2000)",
            "The calendar entry spans the 366 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "195X",
        "19500101",
        "19600101",
        "The 1950s: A plain event",
        [
            "Date: the 1950s (decade precision, EDTF 195X)",
            "The calendar entry spans the 3,652 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "2024-05-XX",
        "20240501",
        "20240601",
        "An unknown day of May 2024: A plain event",
        [
            "Date: an unknown day of May 2024 (day precision, EDTF 2024-05-XX)",
            "The calendar entry spans the 31 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "2024-05~",
        "20240501",
        "20240601",  # the strict bounds: April and June are only possible
        "C. May 2024: A plain event",
        [
            "Date: c. May 2024 (month precision, EDTF 2024-05~)",
            "The calendar entry spans the 31 days the date allows: where the event falls, not how long it lasted. "
            "The date is approximate: it may fall as early as April 1, 2024 or as late as June 30, 2024; "
            "the calendar shows only the days written.",
        ],
    ),
    (
        "2024?",
        "20240101",
        "20250101",
        "Perhaps 2024: A plain event",
        [
            "Date: perhaps 2024 (year precision, EDTF 2024?)",
            "The calendar entry spans the 366 days the date allows: where the event falls, not how long it lasted. "
            "The date is uncertain: it may fall as early as Jan. 1, 2023 or as late as Dec. 31, 2025; "
            "the calendar shows only the days written.",
        ],
    ),
    (
        "2024-05-10%",
        "20240510",
        "20240511",  # one day, but not a known one: the words lead
        "Perhaps c. May 10, 2024: A plain event",
        [
            "Date: perhaps c. May 10, 2024 (day precision, EDTF 2024-05-10%)",
            "The date is uncertain and approximate: it may fall as early as May 8, 2024 or as late as "
            "May 12, 2024; the calendar shows only the days written.",
        ],
    ),
    (
        "[2024-06-10..2024-06-16]",
        "20240610",
        "20240617",
        "One day between June 10 and 16, 2024: A plain event",
        [
            "Date: one day between June 10 and 16, 2024 (day precision, EDTF [2024-06-10..2024-06-16])",
            "The calendar entry spans the 7 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "[2024-05-16,2024-05-17]",
        "20240516",
        "20240518",
        "May 16 or 17, 2024: A plain event",
        [
            "Date: May 16 or 17, 2024 (day precision, EDTF [2024-05-16,2024-05-17])",
            "The calendar entry spans the 2 days the date allows: where the event falls, not how long it lasted.",
        ],
    ),
    (
        "[2024-05-16,2024-05-20]",
        "20240516",
        "20240521",  # the days between are inside the window, though the event cannot be on them
        "May 16 or 20, 2024: A plain event",
        [
            "Date: May 16 or 20, 2024 (day precision, EDTF [2024-05-16,2024-05-20])",
            "The calendar entry spans the 5 days from its first possible date to its last; the event falls on "
            "one of the dates written, and the entry is not how long it lasted.",
        ],
    ),
    (
        "2024-05-16/2024-05-17",
        "20240516",
        "20240518",  # an interval lasted: a bar is the truth, and no note is needed
        "May 16-17, 2024: A plain event",
        ["Date: May 16-17, 2024 (day precision, EDTF 2024-05-16/2024-05-17)"],
    ),
    (
        "2023-09/2024-06-17",
        "20230901",
        "20240618",
        "September 2023 - June 17, 2024: A plain event",
        [
            "Date: September 2023 - June 17, 2024 (month precision, EDTF 2023-09/2024-06-17)",
            "The calendar entry runs from the first day it may have begun to the last day it may have ended "
            "(291 days).",
        ],
    ),
    (
        "2024-05~/2024-06-17",
        "20240501",
        "20240618",
        "C. May 2024 - June 17, 2024: A plain event",
        [
            "Date: c. May 2024 - June 17, 2024 (month precision, EDTF 2024-05~/2024-06-17)",
            "The calendar entry runs from the first day it may have begun to the last day it may have ended "
            "(48 days). Its start is approximate; the calendar shows only the days written.",
        ],
    ),
    (
        "2023-09/..",
        "20230901",
        "20231001",  # the start's own extent, not on to 9999
        "Since September 2023: A plain event",
        [
            "Date: since September 2023 (month precision, EDTF 2023-09/..)",
            "The calendar entry covers only September 2023, when it began; it had not ended when written "
            "(an open end).",
        ],
    ),
    (
        "2024-05-10/..",
        "20240510",
        "20240511",
        "Since May 10, 2024: A plain event",
        [
            "Date: since May 10, 2024 (day precision, EDTF 2024-05-10/..)",
            "The calendar entry covers only May 10, 2024, when it began; it had not ended when written (an open end).",
        ],
    ),
    (
        "../2024-06",
        "20240601",
        "20240701",  # the end's own extent, not back to year 1
        "Until June 2024: A plain event",
        [
            "Date: until June 2024 (month precision, EDTF ../2024-06)",
            "The calendar entry covers only June 2024, when it ended; it was already going before that "
            "(an open start).",
        ],
    ),
    (
        "2023-09/",
        "20230901",
        "20231001",
        "From September 2023, end unknown: A plain event",
        [
            "Date: from September 2023, end unknown (month precision, EDTF 2023-09/)",
            "The calendar entry covers only September 2023, when it began; when it ended is not known.",
        ],
    ),
    (
        "/2024-06",
        "20240601",
        "20240701",
        "Until June 2024, start unknown: A plain event",
        [
            "Date: until June 2024, start unknown (month precision, EDTF /2024-06)",
            "The calendar entry covers only June 2024, when it ended; when it began is not known.",
        ],
    ),
    (
        "2023-09?/..",
        "20230901",
        "20231001",
        "Since perhaps September 2023: A plain event",
        [
            "Date: since perhaps September 2023 (month precision, EDTF 2023-09?/..)",
            "The calendar entry covers only September 2023, when it began; it had not ended when written "
            "(an open end). Its start is uncertain; the calendar shows only the days written.",
        ],
    ),
]


@pytest.mark.parametrize(("edtf", "dtstart", "dtend", "summary", "opening"), FORMS, ids=[form[0] for form in FORMS])
def test_each_form_of_date_as_worked_out_by_hand(
    edtf: str, dtstart: str, dtend: str, summary: str, opening: list[str]
) -> None:
    event = attrs.evolve(_plain_event(), date=edtf)
    data = ics_bytes(EventCollection([event]))
    assert_wellformed(data)
    lines = unfolded(data)
    assert f"DTSTART;VALUE=DATE:{dtstart}" in lines
    assert f"DTEND;VALUE=DATE:{dtend}" in lines
    assert "TRANSP:TRANSPARENT" in lines
    component = vevents(data)["plain@rnk-events"]
    assert str(component["SUMMARY"]) == summary
    description = str(component["DESCRIPTION"])
    assert description.startswith("\n".join(opening) + "\n\n" + event.summary + "\n")
    assert ics_format.date_lines(event.date) == opening
    start, end = component.decoded("DTSTART"), component.decoded("DTEND")
    assert_entry_claims_no_more(event, start, end, summary)


def test_the_hand_worked_table_has_every_form() -> None:
    spans_ = [DateSpan.parse(form[0]) for form in FORMS]
    assert {span.kind for span in spans_} == {"date", "interval", "one-of"}
    assert {span.precision.value for span in spans_} >= {"day", "month", "season", "year", "decade"}
    assert {span.qualifier.value for span in spans_} == {"", "~", "?", "%"}
    ends = {str(span).partition("/")[2] for span in spans_} | {str(span).partition("/")[0] for span in spans_}
    assert {"", ".."} <= ends  # open and unknown, at either end


@pytest.mark.parametrize(
    ("event_id", "dtstart", "dtend", "summary_start"),
    [
        ("2002-08-23-putin-meets-kim-jong-il-in-vladivostok", "20020823", "20020824", "Putin meets Kim Jong Il"),
        ("2000-07-putin-first-visit-to-north-korea", "20000701", "20000801", "July 2000: Putin makes"),
        ("2000-putin-becomes-president", "20000101", "20010101", "2000: Putin becomes"),
        ("2020-02-north-korea-closes-borders-over-covid", "20200201", "20200301", "February 2020: "),
        ("2006-10-14-russia-backs-nine-unsc-resolutions-on-north-korea", "20061014", "20171223", "Oct. 14, 2006 - "),
        ("2024-05-16-us-britain-sanctions-russian-entities", "20240516", "20240518", "May 16-17, 2024: "),
        ("2024-06-10-kim-calls-russia-ties-unbreakable", "20240610", "20240617", "One day between June 10 and 16, "),
        ("2024-01-01-russia-detains-south-korean-baek-won-soon", "20240101", "20240617", "One day between Jan. 1 "),
        ("2024-01-un-monitors-trace-missile-fired-at-ukraine-to-north-korea", "20240101", "20240618", "Some time "),
        (
            "2023-09-russian-officials-visit-north-korea-to-prepare-putin-trip",
            "20230901",
            "20240618",
            "September 2023 - June 17, 2024: ",
        ),
    ],
)
def test_bundled_events_as_worked_out_by_hand(
    dataset: EventCollection, event_id: str, dtstart: str, dtend: str, summary_start: str
) -> None:
    event = dataset.get(event_id)
    lines = unfolded(ics_bytes(EventCollection([event], dataset.info)))
    assert f"DTSTART;VALUE=DATE:{dtstart}" in lines
    assert f"DTEND;VALUE=DATE:{dtend}" in lines
    component = vevents(ics_bytes(dataset))[f"{event_id}@rnk-events"]
    assert str(component["SUMMARY"]).startswith(summary_start)
    assert str(component["SUMMARY"]).endswith(event.title)
    first_line = str(component["DESCRIPTION"]).split("\n")[0]
    assert first_line == f"Date: {event.date.display()} ({event.date.precision.value} precision, EDTF {event.date})"


# --- the calendar's edges ---------------------------------------------------------------


@pytest.mark.parametrize("edtf", ["9999-12", "[9999-12-30,9999-12-31]", "999X", "9999-12/..", "../9999-12-31"])
def test_an_end_on_the_last_writable_day_is_an_error(edtf: str) -> None:
    """The entry would end on 9999-12-31, so its exclusive DTEND would be 10000-01-01."""
    event = attrs.evolve(_plain_event(), date=edtf)
    stream = io.BytesIO()
    with pytest.raises(ValueError, match=r"'plain'.*shown through 9999-12-31.*year 10000"):
        ics_format.write(EventCollection([event]), stream, stamp=STAMP)
    assert stream.getvalue() == b""
    assert not writable(event.date)


@pytest.mark.parametrize(
    ("edtf", "dtstart", "dtend"),
    [
        ("9999-11/..", "99991101", "99991201"),  # open, yet the entry is only the start's month
        ("0001-05/..", "00010501", "00010601"),
        ("../0001-05", "00010501", "00010601"),  # year 1 only because it is the year written
        ("/9999-11-30", "99991130", "99991201"),
    ],
)
def test_open_and_unknown_ends_are_written_near_the_calendars_edges(edtf: str, dtstart: str, dtend: str) -> None:
    """Before, an open end ran to 9999-12-31 and could not be written at all."""
    lines = unfolded(ics_bytes(EventCollection([attrs.evolve(_plain_event(), date=edtf)])))
    assert f"DTSTART;VALUE=DATE:{dtstart}" in lines
    assert f"DTEND;VALUE=DATE:{dtend}" in lines


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=min(300, settings().max_examples))
@given(span=every_form | intervals().filter(writable))  # intervals twice: open and unknown ends at either side
def test_every_form_of_date_claims_no_more_in_icalendar_and_vobject(span: DateSpan) -> None:
    """Generated dates of every form: what each reader sees keeps the rules, and the words say the rest."""
    event = attrs.evolve(_plain_event(), date=span)
    events = EventCollection([event])
    data = ics_bytes(events)
    assert_wellformed(data)
    component = vevents(data)["plain@rnk-events"]
    start, end = component.decoded("DTSTART"), component.decoded("DTEND")
    first, last = expected_entry(span)
    assert (start, end) == (first, last + dt.timedelta(days=1))
    assert_entry_claims_no_more(event, start, end, str(component["SUMMARY"]))
    assert str(component["TRANSP"]) == "TRANSPARENT"
    text = str(component["DESCRIPTION"])
    assert text.startswith(f"Date: {span.display()} ({span.precision.value} precision, EDTF {span})")
    # A second line says what the entry covers, unless the days shown are simply the days the event took.
    note = text.split("\n\n")[0].partition("\n")[2]
    assert bool(note) == (not is_one_known_day(span) and _EXACT_INTERVAL.fullmatch(str(span)) is None)
    _assert_vobject_matches(vobject.readOne(data.decode("utf-8")), events)


@settings(max_examples=5)
@given(collection=collections(min_year=1000, max_size=12, dates=every_form_from_1000))
def test_every_form_of_date_read_by_ical_js(
    collection: EventCollection, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("ics") / "forms.ics"
    path.write_bytes(ics_bytes(collection))
    assert_js_matches(ical_js(path), collection)


def test_every_hand_worked_form_read_by_ical_js(tmp_path: Path) -> None:
    events = EventCollection(
        [attrs.evolve(_plain_event(), id=f"form-{number}", date=form[0]) for number, form in enumerate(FORMS)]
    )
    path = tmp_path / "forms.ics"
    path.write_bytes(ics_bytes(events))
    parsed = ical_js(path)
    assert_js_matches(parsed, events)
    by_uid = {item["uid"]: item for item in parsed["events"]}
    for number, (_edtf, dtstart, dtend, summary, _opening) in enumerate(FORMS):
        item = by_uid[f"form-{number}@rnk-events"]
        assert (_ics_date(item["dtstart"]), _ics_date(item["dtend"])) == (dtstart, dtend)
        assert item["summary"] == summary


def _ics_date(parts: list[int]) -> str:
    year, month, day = parts
    return f"{year:04d}{month:02d}{day:02d}"


def test_every_hand_worked_form_read_by_vobject() -> None:
    events = EventCollection(
        [attrs.evolve(_plain_event(), id=f"form-{number}", date=form[0]) for number, form in enumerate(FORMS)]
    )
    calendar = vobject.readOne(ics_bytes(events).decode("utf-8"))
    assert calendar.validate(raiseException=True)
    _assert_vobject_matches(calendar, events)
    by_uid = {item.uid.value: item for item in calendar.contents["vevent"]}
    for number, (_edtf, dtstart, dtend, summary, _opening) in enumerate(FORMS):
        item = by_uid[f"form-{number}@rnk-events"]
        assert (item.dtstart.value.strftime("%Y%m%d"), item.dtend.value.strftime("%Y%m%d")) == (dtstart, dtend)
        assert item.summary.value == summary
