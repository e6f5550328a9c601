"""The CSV export's fast paths give exactly the cells of the plain definitions, for every date and event.

``rows.table_rows`` builds a plain day, month or year's cells from its parts and
joins list cells raw where nothing needs escaping; these tests hold it to
:func:`rnk_events.rows.derived_cells` (the definition) and to a reference row
written here from the layout's rules, one part escaped at a time.
"""

from __future__ import annotations

import calendar
import csv as stdlib_csv
import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnk_events import _fast_cells as fast_cells
from rnk_events import rows
from rnk_events.dates import DateSpan, PartialDate, Precision, Qualifier
from rnk_events.formats import csv as csv_format
from rnk_events.model import Event
from tests.edtf_strategies import edtf_dates, partial_dates
from tests.strategies import dated_event, events, texts


def _escaped(text: str) -> str:
    """The layout's escaping, one character at a time: a backslash before ``\\``, ``|`` and ``;``."""
    return "".join("\\" + char if char in "\\|;" else char for char in text)


def _reference_row(event: Event) -> list[str]:
    """One event's row from the layout's rules, every list part escaped, derived cells from the definition."""
    places = [
        ";".join(
            (
                _escaped(place.name),
                place.country or "",
                "" if place.lat is None else repr(place.lat),
                "" if place.lon is None else repr(place.lon),
            )
        )
        for place in event.places
    ]
    return [
        event.id,
        str(event.date),
        *rows.derived_cells(event.date).values(),
        event.title,
        event.summary,
        event.category.value,
        event.status.value,
        "|".join(event.actors),
        "|".join(_escaped(person) for person in event.people),
        "|".join(places),
        "|".join(f"{_escaped(ref.source)};{_escaped(ref.evidence)}" for ref in event.sources),
        event.note,
        str(event.revision),
        "" if event.revised is None else event.revised.isoformat(),
    ]


@given(edtf_dates())
def test_plain_date_cells_agree_with_the_definition_or_step_aside(span: DateSpan) -> None:
    fast = fast_cells.plain_date_cells(span)
    if fast is not None:
        assert fast == [str(span), *rows.derived_cells(span).values()]


@given(partial_dates(st.just(Qualifier.NONE)))
def test_plain_date_cells_cover_every_unqualified_day_month_and_year(date: PartialDate) -> None:
    fast = fast_cells.plain_date_cells(DateSpan(date))
    plain = not (date.year_digits_unknown or date.month_unknown or date.day_unknown or date.season)
    assert (fast is not None) == plain  # the fast path is taken exactly where it is written for


@given(st.lists(st.dates(min_value=dt.date(1, 1, 1)), min_size=2, max_size=2, unique=True).map(sorted))
def test_an_interval_of_two_plain_days_takes_the_fast_path_and_agrees(days: list[dt.date]) -> None:
    span = DateSpan(days[0], days[1])
    assert fast_cells.plain_date_cells(span) == [str(span), *rows.derived_cells(span).values()]


def test_plain_date_cells_examples() -> None:
    """Worked examples, written out by hand (a leap February, a year, a qualified date that steps aside)."""
    assert fast_cells.plain_date_cells(DateSpan("2024-02")) == [
        "2024-02", "February 2024", "2024-02-01", "2024-02-29", "false", "month", "",
    ]  # fmt: skip
    assert fast_cells.plain_date_cells(DateSpan("0005")) == [
        "0005",
        "0005",
        "0005-01-01",
        "0005-12-31",
        "false",
        "year",
        "",
    ]
    assert fast_cells.plain_date_cells(DateSpan("2006-10-14")) == [
        "2006-10-14", "Oct. 14, 2006", "2006-10-14", "2006-10-14", "false", "day", "",
    ]  # fmt: skip
    assert calendar.month_name[2] == "February"  # the display's month names are English here
    assert fast_cells.plain_date_cells(DateSpan.parse("2024-05-30/2024-06-02")) == [
        "2024-05-30/2024-06-02", "May 30-June 2, 2024", "2024-05-30", "2024-06-02", "true", "day", "",
    ]  # fmt: skip
    assert fast_cells.plain_date_cells(DateSpan.parse("2006-10-14/2017-12-22")) == [
        "2006-10-14/2017-12-22", "Oct. 14, 2006 - Dec. 22, 2017", "2006-10-14", "2017-12-22", "true", "day", "",
    ]  # fmt: skip
    for text in (
        "2024-05~",
        "2024-21",
        "195X",
        "2024-XX",
        "2024-05/2024-06",
        "2024-05-16/2024-05-17~",
        "2024-05-16/..",
        "[2024-05-16,2024-05-17]",
    ):
        assert fast_cells.plain_date_cells(DateSpan.parse(text)) is None


@given(st.lists(events(), max_size=6))
def test_table_rows_match_the_reference_row(found: list[Event]) -> None:
    table = list(rows.table_rows(found))
    assert table == [_reference_row(event) for event in found]
    assert table == [list(rows.event_cells(event).values()) for event in found]
    assert all(len(row) == len(rows.HEADER) for row in table)


@given(texts)
def test_escape_if_needed_is_the_escape(text: str) -> None:
    assert rows._escape_if_needed(text) == _escaped(text) == rows._escape(text)


def test_repeated_dates_are_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A non-plain date's derived cells are computed once per distinct date text, however many events share it."""
    calls: list[str] = []
    original = rows.derived_cells

    def counting(span: DateSpan) -> dict[str, str]:
        calls.append(str(span))
        return original(span)

    monkeypatch.setattr(rows, "derived_cells", counting)
    spans = [DateSpan.parse(text) for text in ("2024-05~", "2024-05/2024-06", "2024-05~", "2024-06-17", "2024-05~")]
    list(rows.table_rows([dated_event(number, span) for number, span in enumerate(spans)]))
    assert sorted(calls) == ["2024-05/2024-06", "2024-05~"]


@given(
    st.lists(st.lists(texts | st.just(""), min_size=4, max_size=4), max_size=5),
    st.lists(st.integers(0, 3), unique=True, max_size=4),
)
def test_guarded_rows_are_each_checked_cell_neutralised(table: list[list[str]], checked: list[int]) -> None:
    """Any set of checked columns (none, one, several): those cells neutralised, the others and the input untouched."""
    before = [list(row) for row in table]
    guarded = [list(row) for row in csv_format._guarded(table, checked)]
    assert guarded == [
        [csv_format.neutralise(cell) if index in checked else cell for index, cell in enumerate(row)] for row in before
    ]
    assert table == before


def test_the_export_has_one_bom_then_the_header() -> None:
    from rnk_events import EventCollection, export

    stream = io.BytesIO()
    export(EventCollection([dated_event(0, DateSpan("2024-05"))]), "csv", stream)
    assert stream.getvalue().startswith(b"\xef\xbb\xbfid,date,display_date,")
    assert stream.getvalue().count(b"\xef\xbb\xbf") == 1


#: Cells with everything the writer must quote or leave alone: commas, quotes, CR, LF, empty cells, spaces.
csv_cells = st.text(alphabet=st.sampled_from(list(",\"\r\n ;|'=ab\u00e9\u2028\t")), max_size=8) | texts


def _stdlib_csv(table: list[list[str]]) -> bytes:
    text = io.StringIO(newline="")
    stdlib_csv.writer(text, lineterminator="\r\n").writerows(table)
    return text.getvalue().encode("utf-8")


@given(st.lists(st.lists(csv_cells, min_size=1, max_size=5), max_size=6))
def test_csv_line_writes_what_the_stdlib_writer_writes(table: list[list[str]]) -> None:
    expected = _stdlib_csv(table)
    assert b"".join((csv_format.csv_line(cells) + "\r\n").encode() for cells in table) == expected
    assert list(stdlib_csv.reader(io.StringIO(expected.decode(), newline=""))) == table  # and it reads back


@given(st.lists(st.lists(csv_cells, min_size=3, max_size=3), max_size=6), st.booleans())
def test_encode_table_is_the_stdlib_writer_on_the_guarded_cells(table: list[list[str]], bom: bool) -> None:
    header = ["a", "b", "c"]
    guarded = [[csv_format.neutralise(cell) if index == 1 else cell for index, cell in enumerate(row)] for row in table]
    expected = ("\ufeff".encode() if bom else b"") + _stdlib_csv([header, *guarded])
    assert csv_format.encode_table(header, table, bom=bom, may_trigger=["b"]) == expected


def test_csv_line_examples() -> None:
    """Written out by hand: a single empty cell, quotes doubled, a line break kept inside quotes."""
    assert csv_format.csv_line([""]) == '""'
    assert csv_format.csv_line(["", ""]) == ","
    assert csv_format.csv_line(['say "hi"', "a,b", "x\r\ny", "plain"]) == '"say ""hi""","a,b","x\r\ny",plain'


@given(st.lists(events(), max_size=6), st.booleans())
def test_export_text_is_encode_table_and_the_stdlib_writer(found: list[Event], bom: bool) -> None:
    plain = csv_format.encode_table(
        csv_format.HEADER, list(rows.table_rows(found)), bom=bom, may_trigger=csv_format.FREE_TEXT_COLUMNS
    )
    fast = csv_format.export_text(rows.table_rows(found), bom=bom).encode("utf-8")
    assert fast == plain
    guarded = [[csv_format.neutralise(cell) for cell in _reference_row(event)] for event in found]
    assert fast == ("\ufeff".encode() if bom else b"") + _stdlib_csv([list(csv_format.HEADER), *guarded])


@given(events())
def test_only_the_quotable_columns_can_need_quotes(event: Event) -> None:
    """The columns export_text never looks at hold no comma, quote or line break, and never start a formula."""
    for column, cell in zip(csv_format.HEADER, _reference_row(event), strict=True):
        if column not in csv_format.QUOTABLE_COLUMNS:
            assert not any(char in cell for char in ',"\r\n'), (column, cell)
            assert cell == csv_format.neutralise(cell), (column, cell)


def test_every_enum_word_needs_no_quotes() -> None:
    from rnk_events.model import Category, Status

    words = [*(c.value for c in Category), *(s.value for s in Status), *rows.QUALIFIER_WORDS.values()]
    words += [*rows.BOOLEAN_TEXT.values(), *(p.value for p in Precision)]
    assert words
    assert all(csv_format.csv_line([word]) == word or word == "" for word in words)
    assert all(csv_format.neutralise(word) == word for word in words)
