"""Edges of the date model that mutation testing (mutmut, ``[tool.mutmut]``) found unguarded.

Every expected value here is worked out by hand from the documented rules, not read
back from the code: a refusal's reason is spelled out in full (it is the part of the
message a user acts on), bounds are counted on the calendar, and display words follow
AP style as :mod:`rnk_events.dates.display` describes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from rnk_events.dates import (
    DateError,
    DateSpan,
    End,
    PartialDate,
    SetMember,
    display_day,
    parse_date,
    parse_edtf,
)

D = dt.date
GENERIC = (
    "expected EDTF such as 2024, 2024-05, 2024-05-16, 2024-05~, 195X, 2024-21, 2024-05/2024-06 "
    "or [2024-05-16,2024-05-17]"
)
X_DIGITS_NO_MONTH = "a year with X digits takes no month or day (that is EDTF level 2)"
MONTH_13 = "month 13 is outside 1..12 (seasons are 21-24)"
SET_START = "a set's start is its first member, and a set has no end"
OPEN_ALONE = "an open or unknown end belongs to an interval ('2023-09/..')"
ONE_OR_TWO_X = "only the last one or two digits of a year can be X (195X, 19XX)"
FIRST_YEAR = "a year with X digits must be stored as its first year (1950 for 195X)"
UNKNOWN_MONTH = "an unknown month (XX) takes no month number, and only an unknown day (XX)"
UNKNOWN_DAY = "an unknown day (XX) needs a month (or XX) and no day number"
NEEDS_A_DATE = "an interval needs at least one date (write '2023-09/..', not '../..')"
QUALIFIED_MEMBER = "qualifiers inside a set are EDTF level 2; qualify the event's note instead"
DECADE_OR_CENTURY = (
    "'the 1900s' could be a decade or a century: write 'the 1900s decade' or 'an unknown year of the 1900s'"
)


def out_of_range(year: int) -> str:
    return f"the year {year} is out of range (years run from 0001 to 9999)"


def may_members(*days: int) -> tuple[SetMember, ...]:
    return tuple(SetMember(PartialDate(2024, 5, day)) for day in days)


def refusal(make: Callable[[], object]) -> tuple[str, str]:
    """The (text, reason) of the DateError that ``make`` raises."""
    with pytest.raises(DateError) as info:
        make()
    return info.value.text, info.value.reason


# --- DateError's message ---------------------------------------------------------------------


def test_a_text_of_80_characters_is_shown_whole() -> None:
    text = "a" * 80
    assert str(DateError(text, "why")) == f"'{text}' is not a valid date: why"


def test_a_longer_text_is_cut_to_79_characters_and_counted() -> None:
    assert str(DateError("a" * 81, "why")) == f"'{'a' * 79}… (81 characters)' is not a valid date: why"
    assert str(DateError("b" * 1234, "why")) == f"'{'b' * 79}… (1,234 characters)' is not a valid date: why"
    assert DateError("b" * 1234, "why").text == "b" * 1234  # the attribute keeps it all


# --- the strict grammar's refusals -----------------------------------------------------------

EDTF_REFUSALS = [
    # one qualifier at the end is not a doubled one: the fault is the one-digit month
    ("2024-6~", "months and days have two digits (2024-06-01)"),
    ("2024-6-01", "months and days have two digits (2024-06-01)"),
    ("2024-06-1", "months and days have two digits (2024-06-01)"),
    ("2024??", "doubled qualifiers: use one of ?, ~ or % (% means both uncertain and approximate)"),
    ("2024-?05", "a qualifier on one part of a date is EDTF level 2; qualify the whole date (2024-05~)"),
    ("2024-xx", "unspecified digits are an upper-case X (195X, 2024-XX)"),
    ("200", "a year has four digits (0001-9999); a month is written after its year (2024-06)"),
    ("2024-X5", "X can stand only for a year's last one or two digits, a whole month or a whole day"),
    ("10000", "the year is out of range: years run from 0001 to 9999 (no Y-prefixed, negative or 5-digit years)"),
    ("{2024,2025}", "'{...}' (all of a set) is not supported; write '[...]' for one of a set"),
    # the braces are the reason, even with a slash inside that would otherwise make an interval
    ("{2024/2025}", "'{...}' (all of a set) is not supported; write '[...]' for one of a set"),
    ("2024 05", "EDTF has no spaces (for natural text, use parse_date)"),
    # digits and no X, and the letter T is no date word: nothing more specific to say
    ("2024-06-01T10:00", GENERIC),
    # digits of other scripts are not EDTF digits: neither "a short year" nor "a one-digit month"
    ("١٢٣", GENERIC),
    ("２０２４-6", GENERIC),
    ("１６/０５/２０２４", "an interval has exactly one '/'"),
    ("16/05/2024", "day/month/year (or month/day/year) is ambiguous; write YYYY-MM-DD, as 2024-05-16"),
    ("2000/2001/2002", "an interval has exactly one '/'"),
    ("..", "'..' is an open end; it belongs to an interval ('2023-09/..')"),
    ("2024-42", "month 42 is outside 1..12 (seasons are 21-24)"),  # 42 is past level 2's codes 25-41
    ("2024-41", "season code 41 is EDTF level 2 (hemispheres, quarters, ...); use 21-24"),
    ("2024-25", "season code 25 is EDTF level 2 (hemispheres, quarters, ...); use 21-24"),
    ("2024-21-05", "a season has no days"),
    ("2024-21-XX", "a season has no days"),
    ("2024-XX-15", "a known day in an unknown month (2024-XX-15) is EDTF level 2"),
    ("195X-05", X_DIGITS_NO_MONTH),
    ("195X-XX", X_DIGITS_NO_MONTH),
    # inside an interval or a set, the reason names the piece at fault
    ("2024-13/2024-14", f"'2024-13': {MONTH_13}"),
    ("2024-05/2024-13", f"'2024-13': {MONTH_13}"),
    ("[2024-13,2024-14]", f"'2024-13': {MONTH_13}"),
    ("[2024-05..2024-13]", f"'2024-13': {MONTH_13}"),
    ("[]", "an empty set names no date"),
    ("[..2024,2025]", "open members ('[..2024]') are EDTF level 2; use an interval for an open end"),
    ("[2024,2025..]", "open members ('[..2024]') are EDTF level 2; use an interval for an open end"),
    ("2024]", "a set opens with [ and closes with ]"),
    ("[2024", "a set opens with [ and closes with ]"),
    ("[2024-05~,2024-06]", QUALIFIED_MEMBER),
    ("[2024-05,2024-06?]", QUALIFIED_MEMBER),
    ("[2024-05-16..2024-05-16]", "the run 2024-05-16..2024-05-16 is reversed or overlaps itself"),
    ("[2024-05..2024-05-31]", "the run 2024-05..2024-05-31 is reversed or overlaps itself"),  # May 31 is in May
    ("[2024-05-16,2024-05-16]", "members must be in ascending order without overlap (2024-05-16 then 2024-05-16)"),
    ("[2024-05,2024-05-31]", "members must be in ascending order without overlap (2024-05 then 2024-05-31)"),
    ("../", NEEDS_A_DATE),
]


@pytest.mark.parametrize(("text", "reason"), EDTF_REFUSALS)
def test_each_edtf_refusal_says_exactly_why(text: str, reason: str) -> None:
    assert refusal(lambda: parse_edtf(text)) == (text, reason)


def test_adjacent_members_and_runs_are_accepted() -> None:
    # The day after a member may start the next; the day after a run's first may end it.
    assert str(parse_edtf("[2024-05-16,2024-05-17]")) == "[2024-05-16,2024-05-17]"
    assert str(parse_edtf("[2024-05-16..2024-05-17]")) == "[2024-05-16..2024-05-17]"
    assert str(parse_edtf("[2024-05,2024-06..2024-07]")) == "[2024-05,2024-06..2024-07]"


@pytest.mark.parametrize(("words", "canonical"), [("June 19, 2024", "2024-06-19"), ("june 19, 2024", "2024-06-19")])
def test_words_given_to_the_strict_parser_are_told_their_edtf(words: str, canonical: str) -> None:
    reason = f"that is a date in words; the canonical EDTF form is {canonical}"
    assert refusal(lambda: parse_edtf(words)) == (words, reason)
    assert refusal(lambda: parse_edtf(words.upper())) == (words.upper(), reason)


def test_only_a_text_of_at_most_200_characters_is_read_for_words() -> None:
    at_limit = "June" + " " * 188 + "19, 2024"
    assert len(at_limit) == 200
    assert refusal(lambda: parse_edtf(at_limit))[1] == "that is a date in words; the canonical EDTF form is 2024-06-19"
    past_limit = "June" + " " * 189 + "19, 2024"
    assert len(past_limit) == 201
    assert refusal(lambda: parse_edtf(past_limit))[1] == "EDTF has no spaces (for natural text, use parse_date)"


def test_a_non_string_is_refused_by_each_parser() -> None:
    assert refusal(lambda: PartialDate.parse(5)) == ("5", "expected a string, got int")  # type: ignore[arg-type]
    assert refusal(lambda: parse_edtf(5.5)) == ("5.5", "expected a string, got float")  # type: ignore[arg-type]


# --- PartialDate's own checks ----------------------------------------------------------------

PARTIAL_REFUSALS: list[tuple[Callable[[], object], str, str]] = [
    # bool is an int to Python, but not a month or a day number; True shows as 01
    (lambda: PartialDate(2024, True), "2024-01", "the month must be a whole number, got bool"),
    (lambda: PartialDate(2024, 5, False), "2024-05-00", "the day must be a whole number, got bool"),
    (lambda: PartialDate(1000, year_digits_unknown=3), "1XXX", ONE_OR_TWO_X),
    (lambda: PartialDate(1950, 5, year_digits_unknown=1), "195X-05", X_DIGITS_NO_MONTH),
    (lambda: PartialDate(1950, None, 5, year_digits_unknown=1), "195X-XX-05", X_DIGITS_NO_MONTH),
    # 1950 starts a decade but not a century; 1955 starts neither
    (lambda: PartialDate(1950, year_digits_unknown=2), "19XX", FIRST_YEAR),
    (lambda: PartialDate(1955, year_digits_unknown=1), "195X", FIRST_YEAR),
    (lambda: PartialDate(2024, 5, month_unknown=True), "2024-XX", UNKNOWN_MONTH),
    (lambda: PartialDate(2024, None, 5, month_unknown=True), "2024-XX-05", UNKNOWN_MONTH),
    (lambda: PartialDate(2024, 5, 5, day_unknown=True), "2024-05-XX", UNKNOWN_DAY),
    (lambda: PartialDate(2024, day_unknown=True), "2024-XX", UNKNOWN_DAY),
    (lambda: PartialDate(2024, 21, day_unknown=True), "2024-21-XX", "a season has no days"),
    (lambda: PartialDate(2024, 21, 5), "2024-21-05", "a season has no days"),
    (lambda: PartialDate(2024, 13, day_unknown=True), "2024-13-XX", MONTH_13),
    (lambda: PartialDate(0, month_unknown=True), "0000-XX", out_of_range(0)),
    (lambda: PartialDate(10000, 5, day_unknown=True), "10000-05-XX", out_of_range(10000)),
    # the text of a refused year: four digits where it fits, a negative year as Python writes it
    (lambda: PartialDate(0), "0000", out_of_range(0)),
    (lambda: PartialDate(-5), "-5", out_of_range(-5)),
]


@pytest.mark.parametrize(("make", "text", "reason"), PARTIAL_REFUSALS)
def test_each_partial_date_refusal_names_the_date_and_why(make: Callable[[], object], text: str, reason: str) -> None:
    assert refusal(make) == (text, reason)


@pytest.mark.parametrize(
    ("date", "text"),
    [
        (PartialDate(1, month_unknown=True), "0001-XX"),  # the calendar's first and last years take unknown parts
        (PartialDate(9999, 12, day_unknown=True), "9999-12-XX"),
        (PartialDate(2024, month_unknown=True, day_unknown=True), "2024-XX-XX"),
    ],
)
def test_unknown_parts_at_the_calendars_ends_are_accepted(date: PartialDate, text: str) -> None:
    assert str(date) == text


# --- bounds at the calendar's ends -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "padded_first", "padded_last"),
    [
        # one unit each way, held at 0001-01-01 and 9999-12-31 instead of overflowing
        ("9999~", D(9998, 1, 1), D(9999, 12, 31)),
        ("9999-12~", D(9999, 11, 1), D(9999, 12, 31)),
        ("9999-12-31~", D(9999, 12, 30), D(9999, 12, 31)),
        ("9999-23~", D(9999, 6, 1), D(9999, 12, 31)),  # autumn ends Nov. 30; three months on is past the end
        ("99XX%", D(9700, 1, 1), D(9999, 12, 31)),  # two centuries earlier; later is past the end
        ("0001~", D(1, 1, 1), D(2, 12, 31)),
        ("0001-01~", D(1, 1, 1), D(1, 2, 28)),
        ("0001-01-01%", D(1, 1, 1), D(1, 1, 3)),
        ("000X~", D(1, 1, 1), D(19, 12, 31)),  # years 1-9 (there is no year 0), padded by a decade
    ],
)
def test_padding_is_held_at_the_calendars_ends(text: str, padded_first: dt.date, padded_last: dt.date) -> None:
    date = PartialDate.parse(text)
    assert (date.padded_first_day, date.padded_last_day) == (padded_first, padded_last)


def test_winter_of_the_last_year_ends_with_the_calendar() -> None:
    winter = PartialDate(9999, 24)  # December 9999 to February 10000, which the calendar lacks
    assert (winter.first_day, winter.last_day) == (D(9999, 12, 1), D(9999, 12, 31))


def test_unqualified_drops_only_the_qualifier() -> None:
    assert PartialDate.parse("2024-05~").unqualified() == PartialDate(2024, 5)
    assert PartialDate.parse("195X%").unqualified() == PartialDate(1950, year_digits_unknown=1)


def test_partial_dates_with_the_same_bounds_order_by_their_text() -> None:
    plain, about, unknown_day = (PartialDate.parse(text) for text in ("2024-05", "2024-05~", "2024-05-XX"))
    assert plain.sort_key() == (D(2024, 5, 1), D(2024, 5, 31), "2024-05")
    assert plain < about  # "2024-05" < "2024-05~"
    assert plain < unknown_day
    assert not about < plain
    assert sorted([unknown_day, about, plain]) == [plain, unknown_day, about]  # "-" sorts before "~"


# --- DateSpan's constructors -----------------------------------------------------------------


SPAN_REFUSALS: list[tuple[Callable[[], object], str, str]] = [
    (lambda: DateSpan(3.5), "3.5", "expected a date, got float"),  # type: ignore[arg-type]
    (lambda: DateSpan("2024", 2025), "2025", "expected a date, got int"),  # type: ignore[arg-type]
    (lambda: DateSpan(End.OPEN, End.UNKNOWN), "../", NEEDS_A_DATE),
    (lambda: DateSpan(End.UNKNOWN, End.OPEN), "/..", NEEDS_A_DATE),
    (lambda: DateSpan(End.OPEN), "..", OPEN_ALONE),
    (lambda: DateSpan(End.UNKNOWN), "", OPEN_ALONE),
    (lambda: DateSpan.one_of(), "[]", "a one-of set needs at least one date"),
    (lambda: DateSpan.one_of("2024-05-16"), "[2024-05-16]", "a set of one date is that date: write 2024-05-16"),
    (
        lambda: DateSpan.one_of("2024-05-17", "2024-05-16"),
        "[2024-05-17,2024-05-16]",
        "members must be in ascending order without overlap (2024-05-17 then 2024-05-16)",
    ),
    (
        lambda: DateSpan.one_of(SetMember(PartialDate(2024, 6, 16), PartialDate(2024, 6, 10))),
        "[2024-06-16..2024-06-10]",
        "the run 2024-06-16..2024-06-10 is reversed or overlaps itself",
    ),
    (lambda: DateSpan.one_of("2024-05~", "2024-06"), "[2024-05~,2024-06]", QUALIFIED_MEMBER),
    # a set given its members by hand must start with the first and have no end
    (lambda: DateSpan("2024-05-16", None, may_members(17, 18)), "2024-05-16", SET_START),
    (lambda: DateSpan("2024-05-16", "2024-05-20", may_members(16, 17)), "2024-05-16", SET_START),
]


@pytest.mark.parametrize(("make", "text", "reason"), SPAN_REFUSALS)
def test_each_span_refusal_names_the_date_and_why(make: Callable[[], object], text: str, reason: str) -> None:
    assert refusal(make) == (text, reason)


def test_one_of_takes_texts_dates_and_members() -> None:
    assert DateSpan.one_of("2024-05-16", "2024-05-17") == parse_edtf("[2024-05-16,2024-05-17]")
    mixed = DateSpan.one_of(PartialDate(2024, 5, 16), SetMember(PartialDate(2024, 6, 10), PartialDate(2024, 6, 16)))
    assert str(mixed) == "[2024-05-16,2024-06-10..2024-06-16]"
    assert (mixed.first_day, mixed.last_day) == (D(2024, 5, 16), D(2024, 6, 16))


def test_contains_includes_both_bounds_and_nothing_past_them() -> None:
    may = DateSpan.parse("2024-05")
    assert may.contains(D(2024, 5, 1))
    assert may.contains(D(2024, 5, 31))
    assert not may.contains(D(2024, 4, 30))
    assert not may.contains(D(2024, 6, 1))


def test_possibly_within_counts_a_window_that_shares_only_one_day() -> None:
    may = DateSpan.parse("2024-05")
    assert may.possibly_within(D(2024, 4, 1), D(2024, 5, 1))  # the window ends on May 1
    assert may.possibly_within(D(2024, 5, 31), D(2024, 6, 30))  # the window starts on May 31
    assert not may.possibly_within(D(2024, 4, 1), D(2024, 4, 30))
    assert not may.possibly_within(D(2024, 6, 1), D(2024, 6, 30))


# --- display ---------------------------------------------------------------------------------


def test_display_day_and_partial() -> None:
    assert display_day(D(2024, 6, 17)) == "June 17, 2024"
    assert display_day(D(2024, 1, 5)) == "Jan. 5, 2024"
    assert display_day(D(987, 12, 31)) == "Dec. 31, 0987"
    assert PartialDate(2024, 5).display() == "May 2024"
    assert PartialDate(2024, 9, 13).display() == "Sept. 13, 2024"


@pytest.mark.parametrize(
    ("edtf", "words"),
    [
        # a run to a month is not two plain days, and its start is no plain month: both in full
        ("[2024-05-30..2024-06]", "some time between May 30, 2024 and June 2024"),
        # plain days across a new year: no compact form, so both in full
        ("[2024-12-30..2025-01-02]", "one day between Dec. 30, 2024 and Jan. 2, 2025"),
        # months of one year: the year once, months spelled out
        ("[2024-05..2024-07]", "some time between May and July 2024"),
        ("[2023-11..2024-02]", "some time between November 2023 and February 2024"),
        ("[2024-21..2024-22]", "some time between spring 2024 and summer 2024"),
        # single days: one month and year shared, else the year once, else each in full with "or"
        ("[2024-05-31,2024-06-01]", "May 31 or June 1, 2024"),
        ("[2024-05-16,2024-05-17,2024-06-01]", "May 16, May 17 or June 1, 2024"),
        ("[2024-05-16,2024-05-17,2024-05-18]", "May 16, 17 or 18, 2024"),
        ("[2024-05-16,2025-05-17,2026-05-18]", "May 16, 2024 or May 17, 2025 or May 18, 2026"),
        ("[2019,2020]", "2019 or 2020"),
    ],
)
def test_set_display(edtf: str, words: str) -> None:
    date = DateSpan.parse(edtf)
    assert date.display() == words
    assert parse_date(words) == date


# --- natural text ----------------------------------------------------------------------------

WORD_REFUSALS = [
    ("the 1900s", DECADE_OR_CENTURY),
    ("the 1900s - 1920", DECADE_OR_CENTURY),
    ("an unknown month of May", "no year (a date needs one; it is never taken to be this year)"),
    ("an unknown day of Maybe 2024", "'Maybe' is not a month name"),
    ("an unknown month of May 2024", "an unknown month of a month makes no sense; write 'an unknown day of May 2024'"),
    ("an unknown day of May 16, 2024", "the day is given, so it is not unknown"),
    ("c.", "a qualifier with no date"),
    ("circa", "a qualifier with no date"),
    # a season names no month, so the bare day cannot borrow one from it
    ("spring 2024 or 5, 2024", "the day 5 has no month"),
    # "June" takes the year of the 2020s, 2020; the 2020s start before June 2020
    ("June - the 2020s", "the end is before the start (a reversed range)"),
    ("since Mayo 2024", "'Mayo' is not a month name"),
    ("one day between Mayo 10 and 16, 2024", "'Mayo' is not a month name"),
    ("Mayo 16 or 17, 2024", "'Mayo' is not a month name"),
    ("Sometime between June 10", "expected 'one day between DATE and DATE'"),
    ("May 16, or 17, 2024", "an empty item in a list of dates"),
    # the error names the text as given, not as the parser tidied its spaces
    ("Mayo\t2024", "'Mayo' is not a month name"),
    ("  Mayo   2024 ", "'Mayo' is not a month name"),
]


@pytest.mark.parametrize(("text", "reason"), WORD_REFUSALS)
def test_each_refusal_of_words_says_exactly_why(text: str, reason: str) -> None:
    assert refusal(lambda: parse_date(text)) == (text, reason)


@pytest.mark.parametrize(
    ("words", "canonical"),
    [
        ("the 1950s ?", "195X?"),  # a question mark after a space still qualifies the date
        ("spring 2024?", "2024-21?"),
        ("c. an unknown year of the 1900s", "19XX~"),  # each special form keeps its qualifier
        ("perhaps the 1950s", "195X?"),
        ("perhaps c. winter 2023", "2023-24%"),
        ("c. an unknown month of 2024", "2024-XX~"),
        ("perhaps an unknown day of May 2024", "2024-05-XX?"),
        # the comma before "and" is punctuation, not part of the season
        ("some time between spring 2024, and autumn 2024", "[2024-21..2024-23]"),
        # a date without a year takes the year of the next date that has one
        ("May 16, 2023 or June 1 or June 2, 2024", "[2023-05-16,2024-06-01,2024-06-02]"),
        # a bare day takes the month of the date before it, else the next one after it
        ("16 or June 17 or July 18, 2024", "[2024-06-16,2024-06-17,2024-07-18]"),
        ("from May 16 to 17, 2024", "2024-05-16/2024-05-17"),
        ("FROM May 16 to 17, 2024", "2024-05-16/2024-05-17"),
        ("Either May 16 or 17, 2024", "[2024-05-16,2024-05-17]"),
        ("Some time between June 10 and 16, 2024", "[2024-06-10..2024-06-16]"),
        ("one day between June 10\tand 16, 2024", "[2024-06-10..2024-06-16]"),  # any whitespace is one space
        ("an unknown day of May 2024 or June 1, 2024", "[2024-05-XX,2024-06-01]"),
        # a run first, then a single date: both are members
        ("one day between June 10 and 16, 2024 or June 20, 2024", "[2024-06-10..2024-06-16,2024-06-20]"),
        ("an unknown month of 2023 - May 2024", "2023-XX/2024-05"),
    ],
)
def test_natural_edges(words: str, canonical: str) -> None:
    assert str(parse_date(words)) == canonical


def test_a_month_of_the_wrong_type_is_a_date_error_that_names_it() -> None:
    with pytest.raises(DateError) as caught:
        PartialDate(2024, "5")  # type: ignore[arg-type]
    assert caught.value.reason == "the month must be a whole number, got str"
    assert caught.value.text == "2024-'5'"
