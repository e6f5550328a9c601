"""rnk_events: a sourced, typed timeline of Russia-North Korea relations.

>>> import rnk_events
>>> events = rnk_events.load()
>>> events.get("2019-04-25-first-putin-kim-jong-un-summit-vladivostok").date.display()
'April 25, 2019'
"""

from __future__ import annotations

from rnk_events.changes import DatasetDiff, diff
from rnk_events.collection import DayLike, EventCollection
from rnk_events.dataset import load
from rnk_events.dates import DateError, DateSpan, PartialDate, Precision, parse_date
from rnk_events.errors import DatasetError, ExportError, FieldError, OptionError, Problem, WithdrawnEventError
from rnk_events.formats import FORMATS, FormatInfo, FormatOption, export
from rnk_events.model import Category, DatasetInfo, Event, Place, Source, SourceRef, Status, Withdrawal
from rnk_events.publishing import publish
from rnk_events.relative import resolve_relative

__version__ = "1.0.0"

__all__ = [
    "FORMATS",
    "Category",
    "DatasetDiff",
    "DatasetError",
    "DatasetInfo",
    "DateError",
    "DateSpan",
    "DayLike",
    "Event",
    "EventCollection",
    "ExportError",
    "FieldError",
    "FormatInfo",
    "FormatOption",
    "OptionError",
    "PartialDate",
    "Place",
    "Precision",
    "Problem",
    "Source",
    "SourceRef",
    "Status",
    "Withdrawal",
    "WithdrawnEventError",
    "__version__",
    "diff",
    "export",
    "load",
    "parse_date",
    "publish",
    "resolve_relative",
]
