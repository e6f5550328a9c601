"""Events as records, pandas DataFrames and Arrow tables: one row per event, with real date columns.

Each row has the columns of the CSV (:data:`rnk_events.rows.HEADER`), typed
instead of flattened to text:

- ``date`` is the canonical EDTF text, the one column that says everything
  the date says; ``display_date``, ``is_range``, ``precision`` and
  ``qualifier`` are derived from it as in the CSV;
- ``first_day`` and ``last_day`` are the first and last day the date can
  touch as written (:func:`rnk_events.rows.written_bounds`): a
  :class:`datetime.date`, or ``None`` (pandas ``NaT``, Arrow null) for an open
  (``..``) or unknown end, never a made-up 0001-01-01 or 9999-12-31;
- ``revised`` is a day too, ``None`` while the event is as first published;
- ``actors``, ``people``, ``places`` and ``sources`` are lists; a place is
  ``{"name", "country", "lat", "lon"}`` and a source reference
  ``{"source", "evidence"}``, as in the JSON.

No cell carries a spreadsheet's formula guard: that belongs to the files a
spreadsheet opens (CSV, the workbook), not to data in memory.

pandas and pyarrow are optional (``pip install 'rnk_events[pandas]'``,
``'rnk_events[arrow]'``) and imported only by :func:`to_pandas` and
:func:`to_arrow`. pandas' default ``datetime64[ns]`` holds only the years
1677-2262, and EDTF years run from 1 to 9999, so the frame's day columns
are ``datetime64[s]``, which holds them all; Arrow's are ``date32``.

>>> import rnk_events
>>> record = to_records(rnk_events.load())[0]
>>> record["date"], record["first_day"], record["last_day"]
('2000', datetime.date(2000, 1, 1), datetime.date(2000, 12, 31))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rnk_events.model import Category, Event, Status
from rnk_events.rows import HEADER, QUALIFIER_WORDS, written_bounds
from rnk_events.serialize import unstructure_event

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["DAY_COLUMNS", "DAY_DTYPE", "RECORD_COLUMNS", "arrow_schema", "to_arrow", "to_pandas", "to_records"]

RECORD_COLUMNS = HEADER
"""The keys of a record and the columns of a frame, in order: the CSV's columns."""
DAY_COLUMNS = ("first_day", "last_day", "revised")
"""The columns that hold a day (``datetime.date``, or ``None`` where there is none)."""
DAY_DTYPE = "datetime64[s]"
"""The pandas dtype of :data:`DAY_COLUMNS`: unlike ``datetime64[ns]``, it holds every year from 1 to 9999."""
_LIST_COLUMNS = ("actors", "people", "places", "sources")
_TEXT_COLUMNS = ("id", "date", "display_date", "qualifier", "title", "summary", "note")


def _record(event: Event) -> dict[str, Any]:
    """The event's JSON fields, with the CSV's columns derived from its date and ``revised`` as a day."""
    span = event.date
    first, last = written_bounds(span)
    record = unstructure_event(event)
    record.update(
        display_date=span.display(),
        first_day=first,
        last_day=last,
        is_range=span.is_range,
        precision=span.precision.value,
        qualifier=QUALIFIER_WORDS[span.qualifier],
        revised=event.revised,
    )
    return {column: record[column] for column in RECORD_COLUMNS}


def to_records(events: Iterable[Event]) -> list[dict[str, Any]]:
    """One plain dict per event, in the collection's order, keyed by :data:`RECORD_COLUMNS`.

    For anything that takes rows of dicts (``polars.DataFrame(records)``, a
    template, ``json.dumps(..., default=str)``) without pandas or pyarrow.
    """
    return [_record(event) for event in events]


def _import(module: str, extra: str, what: str) -> Any:
    """The optional dependency, or an ImportError that names the extra to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        # The registry's error class, so the message reads like an unavailable format's.
        from rnk_events.formats.registry import UnavailableFormatError

        raise UnavailableFormatError(f"{what} needs {module}: pip install 'rnk_events[{extra}]'") from error


def to_pandas(events: Iterable[Event]) -> pd.DataFrame:
    """A pandas DataFrame, one row per event (a default index; ``.set_index("id")`` for lookups).

    Dtypes: the day columns ``datetime64[s]`` (``NaT`` for no day);
    ``is_range`` ``bool``; ``revision`` ``int64``; ``category`` and ``status``
    categoricals of every allowed value (so a count by category shows the
    empty ones too); ``precision`` an ordered categorical, century < decade <
    year < season < month < day; text columns pandas' string dtype; the list
    columns Python lists.
    """
    pandas = _import("pandas", "pandas", "to_pandas()")
    import numpy

    from rnk_events.dates import Precision

    records = to_records(events)
    columns: dict[str, Any] = {}
    for column in RECORD_COLUMNS:
        values = [record[column] for record in records]
        if column in DAY_COLUMNS:
            days = numpy.array([numpy.datetime64("NaT") if day is None else day for day in values], "datetime64[D]")
            columns[column] = pandas.Series(days.astype(DAY_DTYPE), dtype=DAY_DTYPE)
        elif column in _LIST_COLUMNS:
            columns[column] = pandas.Series(values, dtype=object)
        elif column == "is_range":
            columns[column] = pandas.Series(values, dtype=bool)
        elif column == "revision":
            columns[column] = pandas.Series(values, dtype="int64")
        elif column in ("category", "status", "precision"):
            kind = {"category": Category, "status": Status, "precision": Precision}[column]
            dtype = pandas.CategoricalDtype([member.value for member in kind], ordered=column == "precision")
            columns[column] = pandas.Series(values, dtype=dtype)
        else:
            columns[column] = pandas.Series(values, dtype="string")
    frame: pd.DataFrame = pandas.DataFrame(columns, columns=list(RECORD_COLUMNS))
    return frame


def arrow_schema() -> pa.Schema:
    """The Arrow schema of :func:`to_arrow`'s table (and of the parquet export)."""
    arrow = _import("pyarrow", "arrow", "to_arrow()")
    place = arrow.struct(
        [("name", arrow.string()), ("country", arrow.string()), ("lat", arrow.float64()), ("lon", arrow.float64())]
    )
    source = arrow.struct([("source", arrow.string()), ("evidence", arrow.string())])
    types = {
        **dict.fromkeys(_TEXT_COLUMNS, arrow.string()),
        **dict.fromkeys(DAY_COLUMNS, arrow.date32()),
        "is_range": arrow.bool_(),
        "precision": arrow.string(),
        "category": arrow.string(),
        "status": arrow.string(),
        "actors": arrow.list_(arrow.string()),
        "people": arrow.list_(arrow.string()),
        "places": arrow.list_(place),
        "sources": arrow.list_(source),
        "revision": arrow.int64(),
    }
    nullable = set(DAY_COLUMNS)
    schema: pa.Schema = arrow.schema(
        [arrow.field(column, types[column], nullable=column in nullable) for column in RECORD_COLUMNS]
    )
    return schema


def to_arrow(events: Iterable[Event]) -> pa.Table:
    """A pyarrow Table, one row per event, with :func:`arrow_schema`: days ``date32``, lists as lists.

    Polars takes it as it is (``polars.from_arrow(table)``), and so do DuckDB
    and the parquet export.
    """
    arrow = _import("pyarrow", "arrow", "to_arrow()")
    table: pa.Table = arrow.Table.from_pylist(to_records(events), schema=arrow_schema())
    return table
