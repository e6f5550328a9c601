"""One cattrs converter between the records and plain JSON-ready data.

The converter is strict where cattrs is lenient by default: a string is not a
list of characters, a number is not a title, and an unknown key is an error,
so a typo in a hand-edited file is reported instead of silently absorbed.

Records are built by a second converter with the same rules first, one
without cattrs' detailed validation (which wraps every field and item in its
own error bookkeeping); only a record it refuses is built again by
:data:`converter`, to report every problem with it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from typing import Any, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from rnk_events.dates import DateSpan
from rnk_events.errors import FieldError, Problem, shorten
from rnk_events.model import Category, DatasetInfo, Event, Status, to_day, to_enum

__all__ = ["converter", "structure_event", "structure_info", "unstructure_event", "unstructure_info"]


def _strict_str(value: Any, _type: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__} {shorten(value)}")
    return value


def _strict_float(value: Any, _type: type) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number, got {type(value).__name__} {shorten(value)}")
    return float(value)


def _strict_int(value: Any, _type: type) -> int:
    """A whole number as JSON writes one: not a bool, not text, not 1.0."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {type(value).__name__} {shorten(value)}")
    return value


def _strict_date(value: Any, _type: type) -> dt.date:
    if not isinstance(value, str):
        raise TypeError(f"expected a YYYY-MM-DD date, got {type(value).__name__} {shorten(value)}")
    return to_day(value)


def _span(value: Any, _type: type) -> DateSpan:
    if not isinstance(value, str):
        raise TypeError(f"expected an EDTF date string, got {type(value).__name__} {shorten(value)}")
    return DateSpan.parse(value)


def _enum(value: Any, kind: type[enum.Enum]) -> enum.Enum:
    member: enum.Enum = to_enum(kind, value)
    return member


def _is_homogeneous_tuple(kind: Any) -> bool:
    args = get_args(kind)
    return get_origin(kind) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook(converter: cattrs.Converter, kind: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
    """A tuple from a list only (not a string, not a dict), each item's error noted with its index."""
    item_type = get_args(kind)[0]

    def structure(value: Any, _type: Any) -> tuple[Any, ...]:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"expected a list, got {type(value).__name__} {shorten(value)}")
        items, errors = [], []
        for index, item in enumerate(value):
            try:
                if attrs.has(item_type) and not isinstance(item, Mapping):
                    raise TypeError(f"expected an object, got {type(item).__name__} {shorten(item)}")
                items.append(converter.structure(item, item_type))
            except Exception as error:  # noqa: BLE001 - collected and re-raised as a group
                note = IterableValidationNote("", index, item_type)
                setattr(error, "__notes__", [*getattr(error, "__notes__", []), note])  # noqa: B010 - 3.10 has no __notes__
                errors.append(error)
        if errors:
            raise cattrs.IterableValidationError(f"While structuring {kind}", errors, kind)
        return tuple(items)

    return structure


def _quick_tuple_hook(converter: cattrs.Converter, kind: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
    """The same tuple as :func:`_tuple_hook` gives, or any error: the caller then asks the detailed one."""
    item_type = get_args(kind)[0]
    needs_object = attrs.has(item_type)

    def structure(value: Any, _type: Any) -> tuple[Any, ...]:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"expected a list, got {type(value).__name__}")
        if item_type is str:
            if not all(isinstance(item, str) for item in value):
                raise TypeError("expected text")
            return tuple(value)
        if needs_object and not all(isinstance(item, Mapping) for item in value):
            raise TypeError("expected an object")
        item_hook = converter.get_structure_hook(item_type)
        return tuple([item_hook(item, item_type) for item in value])

    return structure


def _tuple_to_list(converter: cattrs.Converter, kind: Any) -> Callable[[tuple[Any, ...]], list[Any]]:
    """A list of the items unstructured, their hook looked up once per type rather than once per item."""
    item_type = get_args(kind)[0]
    if item_type is str:
        return list
    item_hook = converter.get_unstructure_hook(item_type)
    return lambda value: [item_hook(item) for item in value]


def _configure(converter: cattrs.Converter) -> cattrs.Converter:
    """The rules both converters follow."""
    tuples = _tuple_hook if converter.detailed_validation else _quick_tuple_hook
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook(float, _strict_float)
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook(dt.date, _strict_date)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_structure_hook(DateSpan, _span)
    converter.register_unstructure_hook(DateSpan, str)
    converter.register_structure_hook(Category, _enum)
    converter.register_structure_hook(Status, _enum)
    converter.register_structure_hook_factory(_is_homogeneous_tuple, lambda kind: tuples(converter, kind))
    converter.register_unstructure_hook_factory(_is_homogeneous_tuple, lambda kind: _tuple_to_list(converter, kind))
    converter.register_unstructure_hook(
        DatasetInfo,
        make_dict_unstructure_fn(DatasetInfo, converter, name=override(rename="dataset")),
    )
    converter.register_structure_hook(
        DatasetInfo,
        make_dict_structure_fn(DatasetInfo, converter, name=override(rename="dataset"), _cattrs_forbid_extra_keys=True),
    )
    return converter


#: The converter between records and JSON-ready data; a refusal lists every problem (detailed validation).
converter = _configure(cattrs.Converter(forbid_extra_keys=True, detailed_validation=True))

#: The same rules, without the detailed errors: tried first, as most records are fine.
_quick_converter = _configure(cattrs.Converter(forbid_extra_keys=True, detailed_validation=False))


def unstructure_event(event: Event) -> dict[str, Any]:
    """``converter.unstructure(event)``, written out: the same dict, 4-5 times faster.

    A JSON export of 100,000 events spent most of its time in cattrs' generic
    unstructuring; ``tests/test_fast_paths.py`` checks this against cattrs, field for field.
    """
    revised = event.revised
    return {
        "id": event.id,
        "date": str(event.date),
        "title": event.title,
        "summary": event.summary,
        "category": event.category.value,
        "status": event.status.value,
        "actors": list(event.actors),
        "people": list(event.people),
        "places": [
            {"name": place.name, "country": place.country, "lat": place.lat, "lon": place.lon} for place in event.places
        ],
        "sources": [{"source": ref.source, "evidence": ref.evidence} for ref in event.sources],
        "note": event.note,
        "revision": event.revision,
        "revised": None if revised is None else revised.isoformat(),
    }


def unstructure_info(info: DatasetInfo) -> dict[str, Any]:
    data: dict[str, Any] = converter.unstructure(info)
    return data


def _leaf_errors(error: BaseException, path: str) -> list[tuple[str, BaseException]]:
    """Flatten cattrs' exception groups into (path, exception) pairs."""
    found: list[tuple[str, BaseException]] = []
    if isinstance(error, cattrs.IterableValidationError):
        items, others = error.group_exceptions()
        for exc, item in items:
            found.extend(_leaf_errors(exc, f"{path}[{item.index}]"))
        return found + [(path, exc) for exc in others]
    if isinstance(error, cattrs.ClassValidationError):
        fields, others = error.group_exceptions()
        for exc, field in fields:
            found.extend(_leaf_errors(exc, f"{path}.{field.name}" if path else field.name))
        return found + [(path, exc) for exc in others]
    return [(path, error)]


def _message(error: BaseException) -> str:
    if isinstance(error, KeyError):
        return "required field is missing"
    if isinstance(error, cattrs.ForbiddenExtraKeysError):
        return f"unknown field(s) {sorted(error.extra_fields)}"
    return str(error)


def _problems(error: BaseException, file: str, record: str) -> list[Problem]:
    problems = []
    for path, exc in _leaf_errors(error, ""):
        field, message = path, _message(exc)
        if isinstance(exc, FieldError):  # a validator's error, raised from the record's __init__
            field = f"{path}.{exc.field}" if path and not path.endswith(exc.field) else exc.field
            message = exc.message
        problems.append(Problem(file, record, field, message))
    return problems


def _structure(data: Any, kind: type[Any], file: str, record: str) -> tuple[Any, list[Problem]]:
    if not isinstance(data, Mapping):
        return None, [Problem(file, record, "", f"expected an object, got {type(data).__name__}")]
    try:
        return _quick_converter.structure(data, kind), []
    except Exception:  # noqa: BLE001 - built again below, to report every problem
        pass
    try:
        return converter.structure(data, kind), []
    except Exception as error:  # noqa: BLE001 - every failure becomes a reported problem
        return None, _problems(error, file, record)


def structure_event(data: Any, file: str, record: str) -> tuple[Event | None, list[Problem]]:
    """Build one event, or say every problem with it (file, record, field, message)."""
    event, problems = _structure(data, Event, file, record)
    return event, problems


def structure_info(data: Mapping[str, Any], file: str) -> tuple[DatasetInfo | None, list[Problem]]:
    info, problems = _structure(data, DatasetInfo, file, "dataset")
    # The document calls DatasetInfo.name "dataset"; say it the way the file does.
    return info, [attrs.evolve(p, field="dataset") if p.field == "name" else p for p in problems]
