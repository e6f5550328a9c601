"""The date grammar: a hand-checked table for every form, the refusals, and properties over all of it.

The table's bounds were worked out by hand from the grammar's documented
conventions (seasons are northern-hemisphere meteorological, winter running
December to February; a qualifier pads by one unit of precision, two for %),
not copied from the code's output.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnk_events.dates import DateError, DateSpan, End, PartialDate, Precision, Qualifier, parse_date
from tests.edtf_strategies import edtf_dates, intervals, one_of_sets, partial_dates

D = dt.date
MIN, MAX = dt.date.min, dt.date.max

# text, first, last, padded first, padded last, is_range, display
TABLE = [
    ("2024", D(2024, 1, 1), D(2024, 12, 31), D(2024, 1, 1), D(2024, 12, 31), False, "2024"),
    ("2024-05", D(2024, 5, 1), D(2024, 5, 31), D(2024, 5, 1), D(2024, 5, 31), False, "May 2024"),
    ("2024-05-16", D(2024, 5, 16), D(2024, 5, 16), D(2024, 5, 16), D(2024, 5, 16), False, "May 16, 2024"),
    ("2024-05~", D(2024, 5, 1), D(2024, 5, 31), D(2024, 4, 1), D(2024, 6, 30), False, "c. May 2024"),
    ("2024?", D(2024, 1, 1), D(2024, 12, 31), D(2023, 1, 1), D(2025, 12, 31), False, "perhaps 2024"),
    ("2024-05-10%", D(2024, 5, 10), D(2024, 5, 10), D(2024, 5, 8), D(2024, 5, 12), False, "perhaps c. May 10, 2024"),
    ("2024-03-01~", D(2024, 3, 1), D(2024, 3, 1), D(2024, 2, 29), D(2024, 3, 2), False, "c. March 1, 2024"),
    ("195X", D(1950, 1, 1), D(1959, 12, 31), D(1950, 1, 1), D(1959, 12, 31), False, "the 1950s"),
    ("195X~", D(1950, 1, 1), D(1959, 12, 31), D(1940, 1, 1), D(1969, 12, 31), False, "c. the 1950s"),
    ("19XX", D(1900, 1, 1), D(1999, 12, 31), D(1900, 1, 1), D(1999, 12, 31), False, "an unknown year of the 1900s"),
    ("190X", D(1900, 1, 1), D(1909, 12, 31), D(1900, 1, 1), D(1909, 12, 31), False, "the 1900s decade"),
    ("2024-XX", D(2024, 1, 1), D(2024, 12, 31), D(2024, 1, 1), D(2024, 12, 31), False, "an unknown month of 2024"),
    ("2024-05-XX", D(2024, 5, 1), D(2024, 5, 31), D(2024, 5, 1), D(2024, 5, 31), False, "an unknown day of May 2024"),
    ("2024-XX-XX", D(2024, 1, 1), D(2024, 12, 31), D(2024, 1, 1), D(2024, 12, 31), False, "an unknown day of 2024"),
    ("2024-21", D(2024, 3, 1), D(2024, 5, 31), D(2024, 3, 1), D(2024, 5, 31), False, "spring 2024"),
    ("2024-22", D(2024, 6, 1), D(2024, 8, 31), D(2024, 6, 1), D(2024, 8, 31), False, "summer 2024"),
    ("2023-23", D(2023, 9, 1), D(2023, 11, 30), D(2023, 9, 1), D(2023, 11, 30), False, "autumn 2023"),
    ("2023-24", D(2023, 12, 1), D(2024, 2, 29), D(2023, 12, 1), D(2024, 2, 29), False, "winter 2023"),
    ("2024-21~", D(2024, 3, 1), D(2024, 5, 31), D(2023, 12, 1), D(2024, 8, 31), False, "c. spring 2024"),
    (
        "2024-05~/2024-06-17",
        D(2024, 5, 1), D(2024, 6, 17), D(2024, 4, 1), D(2024, 6, 17), True, "c. May 2024 - June 17, 2024",
    ),
    ("2023-09/..", D(2023, 9, 1), MAX, D(2023, 9, 1), MAX, True, "since September 2023"),
    ("../2024-06", MIN, D(2024, 6, 30), MIN, D(2024, 6, 30), True, "until June 2024"),
    ("2023-09/", D(2023, 9, 1), MAX, D(2023, 9, 1), MAX, True, "from September 2023, end unknown"),
    ("/2024-06", MIN, D(2024, 6, 30), MIN, D(2024, 6, 30), True, "until June 2024, start unknown"),
    ("2024-05-16/2024-05-17", D(2024, 5, 16), D(2024, 5, 17), D(2024, 5, 16), D(2024, 5, 17), True, "May 16-17, 2024"),
    (
        "2006-10-14/2017-12-22",
        D(2006, 10, 14), D(2017, 12, 22), D(2006, 10, 14), D(2017, 12, 22), True, "Oct. 14, 2006 - Dec. 22, 2017",
    ),
    (
        "[2024-06-10..2024-06-16]",
        D(2024, 6, 10), D(2024, 6, 16), D(2024, 6, 10), D(2024, 6, 16), False, "one day between June 10 and 16, 2024",
    ),
    (
        "[2024-05-16,2024-05-17]",
        D(2024, 5, 16), D(2024, 5, 17), D(2024, 5, 16), D(2024, 5, 17), False, "May 16 or 17, 2024",
    ),
    (
        "[2024-05-16,2024-06-10..2024-06-16]",
        D(2024, 5, 16), D(2024, 6, 16), D(2024, 5, 16), D(2024, 6, 16), False,
        "May 16, 2024 or one day between June 10 and 16, 2024",
    ),
    ("[2019,2020,2021]", D(2019, 1, 1), D(2021, 12, 31), D(2019, 1, 1), D(2021, 12, 31), False, "2019, 2020 or 2021"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "first", "last", "padded_first", "padded_last", "is_range", "words"), TABLE)
def test_each_form(
    text: str, first: dt.date, last: dt.date, padded_first: dt.date, padded_last: dt.date, is_range: bool, words: str
) -> None:
    date = DateSpan.parse(text)
    assert str(date) == text
    assert (date.first_day, date.last_day) == (first, last)
    assert (date.padded_first_day, date.padded_last_day) == (padded_first, padded_last)
    assert date.is_range is is_range
    assert date.display() == words
    assert parse_date(words) == date


# text, window (first, last), possibly, certainly
WINDOWS = [
    ("[2024-06-10..2024-06-16]", (D(2024, 6, 12), D(2024, 6, 12)), True, False),  # one day that week: maybe the 12th
    ("[2024-06-10..2024-06-16]", (D(2024, 6, 1), D(2024, 6, 30)), True, True),
    ("2024-06-10/2024-06-16", (D(2024, 6, 12), D(2024, 6, 12)), True, True),  # lasting the week: certainly on the 12th
    ("2024-05", (D(2024, 5, 20), D(2024, 5, 20)), True, False),
    ("2024-05", (D(2024, 5, 1), D(2024, 5, 31)), True, True),
    ("2024-05~", (D(2024, 6, 5), D(2024, 6, 5)), True, False),  # about May: possibly early June
    ("2024-05~", (D(2024, 5, 1), D(2024, 5, 31)), True, False),  # but not certainly within May
    ("2024-05~", (D(2024, 4, 1), D(2024, 6, 30)), True, True),
    ("2024-05", (D(2024, 6, 5), D(2024, 6, 5)), False, False),
    ("2023-09/..", (D(2030, 1, 1), D(2030, 1, 31)), True, True),  # an open end counts as lasting
    ("2023-09/", (D(2030, 1, 1), D(2030, 1, 31)), True, False),  # an unknown end may have come soon
    ("2023-09/", (D(2023, 9, 1), D(2023, 9, 30)), True, True),  # it was on in its first month
    ("../2024-06", (D(1990, 1, 1), D(1990, 1, 1)), True, True),
    ("/2024-06", (D(1990, 1, 1), D(1990, 1, 1)), True, False),
    ("[2024-05-16,2024-05-17]", (D(2024, 5, 17), D(2024, 5, 31)), True, False),
    ("[2024-05-16,2024-05-17]", (D(2024, 5, 16), D(2024, 5, 17)), True, True),
    ("2024-05~/2024-06-17", (D(2024, 5, 15), D(2024, 5, 15)), True, False),  # it may have started as late as June
    ("2024-05~/2024-06-17", (D(2024, 6, 10), D(2024, 6, 10)), True, False),  # "about May" may mean June 30
    ("2024-05~/2024-06-17", (D(2024, 6, 1), D(2024, 6, 30)), True, True),
]


@pytest.mark.parametrize(("text", "window", "possibly", "certainly"), WINDOWS)
def test_possible_and_certain_matches(
    text: str, window: tuple[dt.date, dt.date], possibly: bool, certainly: bool
) -> None:
    date = DateSpan.parse(text)
    assert date.possibly_within(*window) is possibly
    assert date.certainly_within(*window) is certainly


REFUSED = [
    ("2024-02-30", "day 30 is outside 1..29"),
    ("2023-02-29", "day 29 is outside 1..28"),
    ("2024-13", "month 13 is outside 1..12"),
    ("2024??", "doubled qualifiers"),
    ("2024~?", "doubled qualifiers"),
    ("2024-05-16/2024-05-16", "write the single date 2024-05-16"),
    ("2024-06/2024-05", "reversed"),
    ("[2024-05-17,2024-05-16]", "ascending"),
    ("[2024-06-16..2024-06-10]", "reversed"),
    ("10000", "out of range"),
    ("Y12345", "out of range"),
    ("-0500", "out of range"),
    ("0000", "out of range"),
    ("2024-25", "level 2"),
    ("2024-41", "level 2"),
    ("2024-?05", "level 2"),
    ("2024-XX-15", "level 2"),
    ("195X-05", "level 2"),
    ("[2024-05~,2024-06]", "level 2"),
    ("[..2024,2025]", "level 2"),
    ("{2024,2025}", "[...]"),
    ("../..", "at least one date"),
    ("[2024]", "write 2024"),
    ("2024-6", "two digits"),
    ("2024-xx", "upper-case X"),
    ("2024-21-05", "a season has no days"),
    ("May 32, 2024", "day 32 is outside 1..31"),
    ("May 2024 - June 31, 2024", "day 31 is outside 1..30"),
    ("the 1900s", "decade or a century"),
    ("one day between June 10", "between DATE and DATE"),
    ("May 16 or 17", "no year"),
]


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert reason in caught.value.reason
    assert caught.value.text == text


@pytest.mark.parametrize(
    ("words", "canonical"),
    [
        ("c. May 2024", "2024-05~"),
        ("circa 2000", "2000~"),
        ("about May 2024", "2024-05~"),
        ("May 2024?", "2024-05?"),
        ("c. 2000?", "2000%"),
        ("the 1950s", "195X"),
        ("1950s", "195X"),
        ("since September 2023", "2023-09/.."),
        ("until June 2024", "../2024-06"),
        ("some time between June 10 and June 16, 2024", "[2024-06-10..2024-06-16]"),
        ("sometime between June 10 and 16, 2024", "[2024-06-10..2024-06-16]"),
        ("May 16 or 17, 2024", "[2024-05-16,2024-05-17]"),
        ("either May 31 or June 1, 2024", "[2024-05-31,2024-06-01]"),
        ("fall 2023", "2023-23"),
        ("July, 2000", "2000-07"),
        ("Sept. 13, 2023", "2023-09-13"),
        ("23 August 2002", "2002-08-23"),
        ("16-17 May 2024", "2024-05-16/2024-05-17"),
        ("March 30-April 2, 2024", "2024-03-30/2024-04-02"),
        ("2006-2017", "2006/2017"),
    ],
)
def test_natural_forms_a_desk_types(words: str, canonical: str) -> None:
    assert str(parse_date(words)) == canonical


def test_kinds_and_precision() -> None:
    assert DateSpan.parse("[2024-06-10..2024-06-16]").kind == "one-of"
    assert DateSpan.parse("2024-06-10/2024-06-16").kind == "interval"
    assert DateSpan.parse("2024-06").kind == "date"
    assert DateSpan.parse("2024-05~/2024-06-17").precision is Precision.MONTH
    assert DateSpan.parse("2024-05~/2024-06-17").qualifier is Qualifier.APPROXIMATE
    assert DateSpan.parse("2024-05?/2024-06~").qualifier is Qualifier.BOTH
    assert DateSpan.parse("195X").precision is Precision.DECADE
    assert DateSpan.parse("2024-23").precision is Precision.SEASON
    assert DateSpan.parse("2024-06-17").known_within(1)
    assert not DateSpan.parse("[2024-05-16,2024-05-17]").known_within(1)
    assert DateSpan.parse("[2024-05-16,2024-05-17]").known_within(2)
    assert not DateSpan.parse("2024-06-17~").known_within(30)
    assert DateSpan.parse("2024-06-18/2024-06-19").known_within(1)
    assert not DateSpan.parse("2023-09-13/..").known_within(1000)


def test_version_1_constructor_still_works() -> None:
    assert DateSpan("2024-05-16", "2024-05-17") == DateSpan.parse("2024-05-16/2024-05-17")
    assert DateSpan(PartialDate(2024, 5)) == DateSpan.parse("2024-05")
    assert DateSpan(dt.date(2024, 5, 16)).end is None
    assert DateSpan("2023-09", End.OPEN).last_day == dt.date.max


# --- properties over the whole grammar ----------------------------------------------------------


@given(edtf_dates())
def test_canonical_text_round_trips(date: DateSpan) -> None:
    assert DateSpan.parse(str(date)) == date
    assert parse_date(str(date)) == date


@given(edtf_dates())
def test_display_parses_back(date: DateSpan) -> None:
    assert parse_date(date.display()) == date


@given(edtf_dates())
def test_strict_bounds_lie_inside_padded_bounds(date: DateSpan) -> None:
    assert date.padded_first_day <= date.first_day <= date.last_day <= date.padded_last_day


@given(edtf_dates(), st.dates(), st.dates())
def test_certain_matches_are_possible_matches(date: DateSpan, one: dt.date, other: dt.date) -> None:
    first, last = min(one, other), max(one, other)
    if date.certainly_within(first, last):
        assert date.possibly_within(first, last)


@given(st.lists(edtf_dates(), min_size=2, max_size=6))
def test_sorting_is_a_total_order_consistent_with_the_bounds(dates: list[DateSpan]) -> None:
    ordered = sorted(dates)
    assert sorted(dates, key=DateSpan.sort_key) == ordered  # < agrees with the documented key
    for before, after in itertools.pairwise(ordered):
        assert (before.first_day, before.last_day) <= (after.first_day, after.last_day)
        assert not after < before


@given(intervals())
def test_an_interval_contains_each_of_its_ends(date: DateSpan) -> None:
    for end in (date.start, date.end):
        if isinstance(end, PartialDate):
            assert date.contains(end.first_day)
            assert date.contains(end.last_day)


@given(one_of_sets())
def test_a_sets_bounds_are_its_first_and_last_members(date: DateSpan) -> None:
    assert date.first_day == date.members[0].first.first_day
    assert date.last_day == (date.members[-1].last or date.members[-1].first).last_day
    assert not date.is_range


@given(partial_dates())
def test_padding_is_one_unit_each_side_or_two_for_both(date: PartialDate) -> None:
    if date.qualifier is Qualifier.NONE:
        assert (date.padded_first_day, date.padded_last_day) == (date.first_day, date.last_day)
    else:
        assert date.padded_first_day < date.first_day or date.first_day == dt.date(1, 1, 1)
        assert date.padded_last_day > date.last_day or date.last_day.year >= 9998
