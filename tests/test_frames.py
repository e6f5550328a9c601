"""Records, pandas frames and Arrow tables: one row per event, real day columns for every EDTF form."""

from __future__ import annotations

import datetime as dt
import re
import sys

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import DateSpan, EventCollection
from rnk_events.formats import UnavailableFormatError
from tests.edtf_strategies import edtf_dates
from tests.oracles import text_bounds
from tests.strategies import dated_event

#: A plain date token, bounds readable from its text by tests.oracles.text_bounds (no season, no X).
PLAIN = re.compile(r"[0-9]{4}(-(0[1-9]|1[0-2])(-[0-9]{2})?)?")


def collection(*texts: str) -> EventCollection:
    return EventCollection(dated_event(number, DateSpan.parse(text)) for number, text in enumerate(texts))


def expected_bounds(span: DateSpan) -> tuple[dt.date | None, dt.date | None]:
    """The first and last written day, read from the EDTF text where a plain token allows it.

    An open (``..``) or unknown (empty) end has no day. Qualifiers do not move the
    written bounds. A season or an ``X`` token falls back to the library's own
    parse of that one token, the only part not derived by hand here.
    """
    text = str(span)
    if text.startswith("["):  # one of a set: from its first member's first day to its last member's last
        members = re.split(r",|\.\.", text.strip("[]"))
        first_text, last_text = members[0], members[-1]
    else:  # an interval, or a single date that is both ends
        first_text, _, last_text = text.partition("/")
        last_text = last_text if "/" in text else first_text

    def bounds(token: str) -> tuple[dt.date, dt.date] | None:
        token = token.rstrip("?~%")
        if token in ("", ".."):
            return None
        if PLAIN.fullmatch(token):
            return text_bounds(token)
        parsed = DateSpan.parse(token)
        return parsed.first_day, parsed.last_day

    first, last = bounds(first_text), bounds(last_text)
    return (first[0] if first else None), (last[1] if last else None)


# --- records -----------------------------------------------------------------------------------


def test_records_are_plain_dicts_in_the_csv_column_order() -> None:
    events = rnk_events.load()
    records = events.to_records()
    assert len(records) == len(events) == 30
    assert list(records[0]) == [
        "id", "date", "display_date", "first_day", "last_day", "is_range", "precision", "qualifier",
        "title", "summary", "category", "status", "actors", "people", "places", "sources", "note",
        "revision", "revised",
    ]  # fmt: skip
    visit = next(record for record in records if record["id"] == "2000-07-putin-first-visit-to-north-korea")
    assert (visit["date"], visit["display_date"]) == ("2000-07", "July 2000")
    assert (visit["first_day"], visit["last_day"]) == (dt.date(2000, 7, 1), dt.date(2000, 7, 31))
    assert (visit["category"], visit["status"], visit["precision"]) == ("summit", "happened", "month")
    assert visit["places"] == [{"name": "Pyongyang", "country": "PRK", "lat": 39.0392, "lon": 125.7625}]
    assert visit["actors"] == ["RUS", "PRK"]
    assert all(isinstance(source, dict) and set(source) == {"source", "evidence"} for source in visit["sources"])
    assert (visit["revision"], visit["revised"]) == (0, None)


def test_records_carry_no_formula_guard() -> None:
    hostile = rnk_events.Event(
        id="x", date="2024", title="=1+1", summary="'quoted", category="summit", status="happened",
        actors=["RUS"], sources=[rnk_events.SourceRef("s", "@e")],
    )  # fmt: skip
    (record,) = EventCollection([hostile]).to_records()
    assert (record["title"], record["summary"], record["sources"][0]["evidence"]) == ("=1+1", "'quoted", "@e")


@given(st.lists(edtf_dates(), min_size=1, max_size=6))
def test_records_give_every_edtf_form_its_written_days(spans: list[DateSpan]) -> None:
    events = EventCollection(dated_event(number, span) for number, span in enumerate(spans))
    for event, record in zip(events, events.to_records(), strict=True):
        assert record["date"] == str(event.date)
        assert (record["first_day"], record["last_day"]) == expected_bounds(event.date), str(event.date)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2024-05", dt.date(2024, 5, 1), dt.date(2024, 5, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2024-05~", dt.date(2024, 5, 1), dt.date(2024, 5, 31)),
        ("195X", dt.date(1950, 1, 1), dt.date(1959, 12, 31)),
        ("2024-06/..", dt.date(2024, 6, 1), None),
        ("/2024-06-19", None, dt.date(2024, 6, 19)),
        ("[2024-06-10..2024-06-16]", dt.date(2024, 6, 10), dt.date(2024, 6, 16)),
        ("0001", dt.date(1, 1, 1), dt.date(1, 12, 31)),
        ("9999-12", dt.date(9999, 12, 1), dt.date(9999, 12, 31)),
    ],
)
def test_written_days_typed_by_hand(text: str, first: dt.date | None, last: dt.date | None) -> None:
    (record,) = collection(text).to_records()
    assert (record["first_day"], record["last_day"]) == (first, last)


# --- pandas ------------------------------------------------------------------------------------


def test_pandas_frame_has_one_row_per_event_and_typed_columns() -> None:
    events = rnk_events.load()
    frame = events.to_pandas()
    assert frame.shape == (30, 19)
    assert list(frame["id"]) == list(events.ids)
    for column in ("first_day", "last_day", "revised"):
        assert str(frame[column].dtype) == "datetime64[s]", column
    assert frame["is_range"].dtype == bool
    assert frame["revision"].dtype == "int64"
    assert isinstance(frame["category"].dtype, pd.CategoricalDtype)
    assert "space" in list(frame["category"].cat.categories)  # every allowed value, used or not
    assert frame["precision"].cat.ordered
    assert list(frame["precision"].cat.categories) == ["century", "decade", "year", "season", "month", "day"]
    assert pd.api.types.is_string_dtype(frame["title"].dtype)
    visit = frame.set_index("id").loc["2000-07-putin-first-visit-to-north-korea"]
    assert visit["first_day"] == pd.Timestamp("2000-07-01")
    assert visit["places"][0]["name"] == "Pyongyang"
    # The docs' recipe: filter on a day with no hand-undoing of anything.
    june = frame.loc[frame["first_day"] >= "2024-06-01", "id"]
    assert list(june) == [
        "2024-06-10-kim-calls-russia-ties-unbreakable",
        "2024-06-14-south-korea-us-emergency-call-on-putin-visit",
        "2024-06-17-russia-north-korea-announce-putin-visit",
        "2024-06-18-putin-state-visit-to-north-korea",
        "2024-06-19-putin-visit-to-vietnam",
    ]


def test_pandas_holds_the_years_nanoseconds_cannot() -> None:
    frame = collection("0001-01-01", "1500", "9999-12-31", "2024-06/..").to_pandas()
    assert [day.year for day in frame["first_day"]] == [1, 1500, 2024, 9999]
    assert frame["last_day"].iloc[-1].isoformat().startswith("9999-12-31")
    assert frame["last_day"].isna().tolist() == [False, False, True, False]
    assert frame["first_day"].dt.year.tolist() == [1, 1500, 2024, 9999]


@given(st.lists(edtf_dates(), max_size=6))
def test_pandas_days_match_every_edtf_form(spans: list[DateSpan]) -> None:
    events = EventCollection(dated_event(number, span) for number, span in enumerate(spans))
    frame = events.to_pandas()
    assert len(frame) == len(events)
    for position, event in enumerate(events):
        first, last = expected_bounds(event.date)
        for column, day in (("first_day", first), ("last_day", last)):
            cell = frame[column].iloc[position]
            if day is None:
                assert pd.isna(cell), (str(event.date), column)
            else:
                assert (cell.year, cell.month, cell.day) == (day.year, day.month, day.day), (str(event.date), column)


def test_an_empty_collection_gives_an_empty_frame_with_the_columns() -> None:
    frame = EventCollection().to_pandas()
    assert (len(frame), len(frame.columns)) == (0, 19)
    assert str(frame["first_day"].dtype) == "datetime64[s]"


def test_pandas_dataframe_from_records() -> None:
    frame = pd.DataFrame(rnk_events.load().to_records())
    assert frame.shape == (30, 19)


# --- arrow -------------------------------------------------------------------------------------


def test_arrow_table_types() -> None:
    table = rnk_events.load().to_arrow()
    assert table.num_rows == 30
    assert table.schema.field("first_day").type == pa.date32()
    assert table.schema.field("actors").type == pa.list_(pa.string())
    assert table.schema.field("places").type.value_type.field("lat").type == pa.float64()
    assert table.column("first_day")[0].as_py() == dt.date(2000, 1, 1)
    open_ended = collection("2024-06/..", "0001").to_arrow()
    assert open_ended.column("last_day").to_pylist() == [dt.date(1, 12, 31), None]


# --- without the extras ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "module", "extra"), [("to_pandas", "pandas", "pandas"), ("to_arrow", "pyarrow", "arrow")]
)
def test_a_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch, method: str, module: str, extra: str) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import now raises ImportError
    with pytest.raises(UnavailableFormatError, match=re.escape(f"pip install 'rnk_events[{extra}]'")):
        getattr(rnk_events.load(), method)()


def test_records_need_neither_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    assert len(rnk_events.load().to_records()) == 30
