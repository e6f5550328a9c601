"""JSON: the whole dataset, metadata and sources included, as one document.

Layout: ``{"dataset", "title", "version", "as_of", "sources": [...],
"events": [...]}``; each event has its EDTF ``date``, the canonical text and
nothing derived from it (bounds, display text and the rest are the date's to
compute, and a stored copy could only disagree with it). Described by
``schema/events.schema.json``. This is also the layout of the bundled data.

:data:`EDTF_PATTERN` is the date grammar of :mod:`rnk_events.dates.edtf` as
one regular expression, calendar included; the JSON Schema and the data
package's Table Schema both use it. It accepts every text the parser accepts
and refuses every text the parser refuses, except the refusals that need two
dates compared, which no regular expression can make (:data:`PATTERN_CANNOT_REFUSE`).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import json
import math
from collections.abc import Iterable, Iterator
from typing import IO, Any

from rnk_events.collection import EventCollection
from rnk_events.errors import DatasetError, Problem, shorten
from rnk_events.formats._checks import finish_read
from rnk_events.model import Event
from rnk_events.serialize import structure_event, structure_info, unstructure_event, unstructure_info

__all__ = [
    "EDTF_PATTERN",
    "PATTERN_CANNOT_REFUSE",
    "dumps",
    "encode_compact",
    "encode_indented",
    "read",
    "write",
    "write_indented",
]

# The pattern is written in the subset that XML Schema (Table Schema's dialect), ECMA-262 (JSON
# Schema's) and Python's re read alike: groups ( ), |, ?, *, +, {n}, classes of ASCII characters
# and the escapes \. \[ \]; no (?:...), no \d (any Unicode digit in some dialects), no anchors
# (XML Schema has none: a pattern always matches the whole text; the JSON Schema adds ^ and $).
_YEAR = "([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"  # 0001-9999, never 0000
_FOURS = "(0[48]|[2468][048]|[13579][26])"  # 04, 08, ..., 96: two digits that are a multiple of 4, not 00
_LEAP_YEAR = f"([0-9]{{2}}{_FOURS}|{_FOURS}00)"  # by 4 but not by 100, or by 400 (0000 is no year)
_MONTH = "(0[1-9]|1[0-2])"
_MONTH_AND_DAY = (
    "((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])"  # months of 31 days
    "|(0[469]|11)-(0[1-9]|[12][0-9]|30)"  # of 30
    "|02-(0[1-9]|1[0-9]|2[0-8]))"  # February; the 29th only in a leap year, below
)
_PLAIN_DATE = (
    "("
    "[0-9]{3}X|[0-9]{2}XX"  # a decade (195X) or a century (19XX), 000X and 00XX included
    f"|{_YEAR}(-({_MONTH}(-XX)?|XX(-XX)?|2[1-4]|{_MONTH_AND_DAY}))?"  # year, month, unknown parts, season, day
    f"|{_LEAP_YEAR}-02-29"
    ")"
)
_DATE = f"({_PLAIN_DATE}[?~%]?)"  # a qualifier on the whole date
_INTERVAL = f"({_DATE}/({_DATE}|\\.\\.)?|(\\.\\.)?/{_DATE})"  # at least one end is a date
_MEMBER = f"({_PLAIN_DATE}(\\.\\.{_PLAIN_DATE})?)"  # set members carry no qualifier
_ONE_OF = f"(\\[{_PLAIN_DATE}(\\.\\.{_PLAIN_DATE}(,{_MEMBER})*|(,{_MEMBER})+)\\])"  # two dates or more

EDTF_PATTERN = f"({_DATE}|{_INTERVAL}|{_ONE_OF})"
"""The whole date grammar as one regular expression, to match the whole text (no anchors).

A date (``2024-05~``, ``195X``, ``2024-21``, ``2024-XX``), an interval with
open (``..``) or unknown (empty) ends, or one of a set of two or more dates
(``[2024-06-10..2024-06-16]``); years 0001-9999, months with their own number
of days, 29 February only in leap years, seasons 21-24, ``X`` only where the
grammar allows it, one qualifier per date and none inside a set. It reads the
same in XML Schema, ECMA-262 and Python ``re``.
"""

PATTERN_CANNOT_REFUSE = (
    "an interval whose end is before its start (2024-06/2024-05)",
    "an interval whose ends cover the same days (2024-05/2024-05, 2024-05/2024-05~)",
    "a set whose members are not in ascending order, or overlap (both [2024-06,2024-05] and [2024,2024-05])",
    "a run inside a set that is reversed or overlaps itself ([2024-06..2024-05], [2024-05..2024-05-31])",
)
"""What the parser refuses and :data:`EDTF_PATTERN` lets through: each needs two dates compared.

A regular expression reads one character at a time and cannot tell which of two
dates is the earlier, so ``rnk_events.load`` (or ``rnk-events validate``) is
the final word on these; every other refusal of the parser the pattern makes too.
"""


def to_document(events: EventCollection) -> dict[str, Any]:
    document = unstructure_info(events.info)
    document["events"] = [unstructure_event(event) for event in events]
    return document


def dumps(events: EventCollection) -> str:
    return json.dumps(to_document(events), ensure_ascii=False, indent=2) + "\n"


@functools.cache
def _orjson() -> Any:
    """orjson, when installed (``pip install 'rnk_events[fast]'``), else None."""
    try:
        return importlib.import_module("orjson")
    except ImportError:
        return None


def _floats_write_alike(events: Iterable[Event]) -> bool:
    """Whether orjson writes every coordinate (the only floats) as json does.

    They differ below 1e-4 (orjson ``0.00001``, json ``1e-05``) and on NaN and
    infinities, which a :class:`~rnk_events.model.Place` refuses anyway.
    """
    # One list comprehension rather than all() over a generator: a tenth of a large export otherwise.
    # It collects the values that are neither None nor zero and not both finite and at least 1e-4
    # in size (NaN fails every comparison, so it is collected too).
    return not [
        value
        for event in events
        for place in event.places
        for value in (place.lat, place.lon)
        if value and not 1e-4 <= abs(value) < math.inf
    ]


def encode_indented(document: Any, events: Iterable[Event]) -> bytes:
    """``document`` as UTF-8 JSON with a two-space indent and a final newline, the bytes ``json.dumps`` gives.

    With an indent, the stdlib's encoder is pure Python; orjson, when installed,
    writes the same bytes 10-15 times faster. It is used only where its bytes are
    the stdlib's (``events`` are where the document's floats come from); anything
    else it refuses (an int beyond 64 bits, a lone surrogate) goes to the stdlib,
    which writes it or raises as before.
    """
    fast = _fast_indented(document, events)
    return fast + b"\n" if fast is not None else _stdlib_indented(document)


def write_indented(stream: IO[bytes], document: Any, events: Iterable[Event]) -> None:
    """:func:`encode_indented`'s bytes written to ``stream``, without copying them to add the newline."""
    fast = _fast_indented(document, events)
    if fast is None:
        stream.write(_stdlib_indented(document))
    else:
        stream.write(fast)
        stream.write(b"\n")


def _fast_indented(document: Any, events: Iterable[Event]) -> bytes | None:
    """orjson's indented bytes, without the final newline; None where they would not be the stdlib's."""
    fast = _orjson()
    if fast is not None and _floats_write_alike(events):
        try:
            encoded: bytes = fast.dumps(document, option=fast.OPT_INDENT_2)
        except fast.JSONEncodeError:
            pass
        else:
            return encoded
    return None


def _stdlib_indented(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def encode_compact(document: Any, events: Iterable[Event]) -> str:
    """``document`` as ``json.dumps(document, ensure_ascii=False, separators=(",", ":"))`` writes it.

    For the HTML page's script blocks. orjson writes the same text (its default
    layout is this one) where :func:`encode_indented` would use it: ``events``
    are where the document's floats come from.
    """
    fast = _orjson()
    if fast is not None and _floats_write_alike(events):
        try:
            encoded: bytes = fast.dumps(document)
        except fast.JSONEncodeError:
            pass
        else:
            return encoded.decode("utf-8")
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def write(events: EventCollection, stream: IO[bytes], **options: Any) -> None:
    if options:
        raise TypeError(f"json export takes no options, got {sorted(options)}")
    with _cyclic_gc_paused():  # a dict and lists per event: collections rescanned them all (2/3 of it at 100k)
        document = to_document(events)
    write_indented(stream, document, events)


class _DuplicateKey(ValueError):
    """A JSON object names a key twice; json.loads would silently keep the last."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)  # called for every object of the file: the loop below only when a key repeats
    if len(document) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return document


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Cyclic GC off while many records (or an export's dicts) are built, as it is then on again.

    Records hold no reference cycles, yet each collection pass rescans the young
    ones: 15-35 % of a large load, two thirds of a JSON export of 100,000 events.
    Plain reference counting still frees everything.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read(stream: IO[bytes], origin: str) -> EventCollection:
    """Read a dataset document; DatasetError lists every problem found."""
    with _cyclic_gc_paused():
        return _read(stream, origin)


def _read(stream: IO[bytes], origin: str) -> EventCollection:
    try:
        document = json.loads(stream.read().decode("utf-8-sig"), object_pairs_hook=_no_duplicate_keys)
    except UnicodeDecodeError as error:
        raise DatasetError([Problem(origin, f"byte {error.start}", "", "not UTF-8 text")]) from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise DatasetError([Problem(origin, where, "", f"not valid JSON: {error.msg}")]) from None
    except _DuplicateKey as error:
        raise DatasetError(
            [Problem(origin, "document", str(error), "the same key appears twice in one object")]
        ) from None
    except (RecursionError, ValueError) as error:  # nesting too deep; a number too long to convert
        raise DatasetError(
            [Problem(origin, "document", "", f"not a JSON document this reader accepts: {error}")]
        ) from None
    if not isinstance(document, dict):
        raise DatasetError([Problem(origin, "document", "", "expected a JSON object with an 'events' list")])
    raw_events = document.get("events")
    if not isinstance(raw_events, list):
        raise DatasetError([Problem(origin, "document", "events", "expected a list of events")])
    header = {key: value for key, value in document.items() if key != "events"}
    info, problems = structure_info(header, origin)
    events: list[tuple[str, Event]] = []
    for index, raw in enumerate(raw_events):
        label = f"events[{index}]"
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            label += f" (id {shorten(raw['id'])})"
        event, event_problems = structure_event(raw, origin, label)
        problems.extend(event_problems)
        if event is not None:
            events.append((label, event))
    return finish_read(events, info, origin, problems)
