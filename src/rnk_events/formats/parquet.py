"""Parquet: one row per event with typed columns, for pandas, Polars, DuckDB, R and Spark.

The table is :func:`rnk_events.frames.to_arrow`'s: the CSV's columns, days as
``date32`` (null for an open or unknown end), lists as lists, places and
source references as structs. The dataset's metadata and sources travel in
the file's key-value metadata under ``rnk_events.dataset``, as the JSON
export writes them, so a reader can still resolve each event's citations.

Written through pyarrow (``pip install 'rnk_events[arrow]'``), with fixed
settings, so the same events and the same pyarrow version give the same bytes.
"""

from __future__ import annotations

import io
import json
from typing import IO, TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from rnk_events.frames import to_arrow
from rnk_events.serialize import unstructure_info

if TYPE_CHECKING:
    from rnk_events.collection import EventCollection

__all__ = ["DATASET_KEY", "write"]

DATASET_KEY = b"rnk_events.dataset"
"""The file metadata key of the dataset's metadata and sources (JSON, as in the JSON export, without events)."""


def _table(events: EventCollection) -> pa.Table:
    table = to_arrow(events)
    dataset = json.dumps(unstructure_info(events.info), ensure_ascii=False, sort_keys=True)
    return table.replace_schema_metadata({DATASET_KEY: dataset.encode("utf-8")})


def write(events: EventCollection, stream: IO[bytes]) -> None:
    """Write the events as one Parquet file (one row group, Snappy-compressed, the widest-read settings)."""
    buffer = io.BytesIO()  # pyarrow seeks and tells; a pipe or a socket may do neither
    pq.write_table(
        _table(events),
        buffer,
        compression="snappy",
        version="2.6",
        use_dictionary=True,
        write_statistics=True,
        store_schema=True,
    )
    stream.write(buffer.getvalue())
