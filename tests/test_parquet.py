"""The parquet export, read back by pyarrow and by pandas: typed columns, the right values, the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import rnk_events
from rnk_events import DateSpan, EventCollection
from rnk_events.formats import FORMATS, UnavailableFormatError
from tests.strategies import dated_event

VISIT = "2000-07-putin-first-visit-to-north-korea"


def exported(events: EventCollection) -> bytes:
    stream = io.BytesIO()
    rnk_events.export(events, "parquet", stream)
    return stream.getvalue()


def test_pyarrow_reads_typed_columns_and_values(tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    assert rnk_events.export(rnk_events.load(), path) == path
    table = pq.read_table(path)
    assert table.num_rows == 30
    assert table.schema.field("first_day").type == pa.date32()
    assert table.schema.field("is_range").type == pa.bool_()
    assert table.schema.field("revision").type == pa.int64()
    row = next(row for row in table.to_pylist() if row["id"] == VISIT)
    assert (row["date"], row["display_date"]) == ("2000-07", "July 2000")
    assert (row["first_day"], row["last_day"]) == (dt.date(2000, 7, 1), dt.date(2000, 7, 31))
    assert row["places"] == [{"name": "Pyongyang", "country": "PRK", "lat": 39.0392, "lon": 125.7625}]
    assert row["actors"] == ["RUS", "PRK"]


def test_pandas_reads_it_with_dates_and_one_row_per_event() -> None:
    frame = pd.read_parquet(io.BytesIO(exported(rnk_events.load())))
    assert frame.shape == (30, 19)
    assert frame["first_day"].iloc[0] == dt.date(2000, 1, 1)  # date32 comes back as datetime.date
    days = frame.astype({"first_day": "datetime64[s]"})["first_day"]  # the docs' one-line conversion
    assert str(days.dtype) == "datetime64[s]"
    assert frame["is_range"].dtype == bool
    arrow_backed = pd.read_parquet(io.BytesIO(exported(rnk_events.load())), dtype_backend="pyarrow")
    assert str(arrow_backed["first_day"].dtype) == "date32[day][pyarrow]"


def test_open_ends_and_far_years_survive() -> None:
    spans = [DateSpan.parse(text) for text in ("2024-06/..", "0001", "9999-12-31", "/2024-06")]
    events = EventCollection(dated_event(number, span) for number, span in enumerate(spans))
    table = pq.read_table(io.BytesIO(exported(events)))
    by_date = {row["date"]: (row["first_day"], row["last_day"]) for row in table.to_pylist()}
    assert by_date == {
        "2024-06/..": (dt.date(2024, 6, 1), None),
        "0001": (dt.date(1, 1, 1), dt.date(1, 12, 31)),
        "9999-12-31": (dt.date(9999, 12, 31), dt.date(9999, 12, 31)),
        "/2024-06": (None, dt.date(2024, 6, 30)),
    }


def test_the_dataset_metadata_travels_in_the_file() -> None:
    events = rnk_events.load()
    metadata = pq.read_schema(io.BytesIO(exported(events))).metadata
    dataset = json.loads(metadata[b"rnk_events.dataset"])
    document = json.loads(_json_export(events))
    del document["events"]
    assert dataset == document
    assert dataset["title"] == "Russia–North Korea relations: a sourced timeline"
    assert {source["id"] for source in dataset["sources"]} >= {"reuters-timeline"}


def _json_export(events: EventCollection) -> bytes:
    stream = io.BytesIO()
    rnk_events.export(events, "json", stream)
    return stream.getvalue()


def test_the_same_events_give_the_same_bytes() -> None:
    assert exported(rnk_events.load()) == exported(rnk_events.load())


def test_an_empty_collection_is_a_readable_file_with_every_column() -> None:
    table = pq.read_table(io.BytesIO(exported(EventCollection())))
    assert (table.num_rows, table.num_columns) == (0, 19)


def test_without_pyarrow_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in sys.modules if name == "pyarrow" or name.startswith("pyarrow.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "rnk_events.formats.parquet", raising=False)
    with pytest.raises(UnavailableFormatError, match=re.escape("pip install 'rnk_events[arrow]'")):
        FORMATS["parquet"].load()
