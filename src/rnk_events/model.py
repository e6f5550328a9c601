"""The records: events, the places they happen, and the articles that report them.

Every record is a frozen attrs class with tuples for collections, and every
field that can be wrong is validated when the record is built, so a bad value
fails where it enters rather than in an export later.
"""

from __future__ import annotations

import collections
import datetime as dt
import enum
import functools
import math
import re
from collections.abc import Iterable
from typing import Any, TypeVar

import attrs

from rnk_events.actors import countries, is_actor
from rnk_events.dates import DateSpan, PartialDate
from rnk_events.errors import FieldError, FieldTypeError, shorten

__all__ = [
    "Category",
    "DatasetInfo",
    "Event",
    "Place",
    "Source",
    "SourceRef",
    "Status",
]

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*", re.ASCII)
MAX_ID_LENGTH = 80

E = TypeVar("E", bound=enum.Enum)


class Category(enum.Enum):
    """What kind of event it is; one per event, used for grouping and colour."""

    SUMMIT = "summit"
    DIPLOMACY = "diplomacy"
    CONFLICT = "conflict"
    MILITARY = "military"
    ARMS_TRANSFER = "arms-transfer"
    SANCTIONS = "sanctions"
    SPACE = "space"
    BORDER = "border"
    JUSTICE = "justice"
    POLITICS = "politics"


class Status(enum.Enum):
    """How sure the reporting is, as of the dataset's as-of date."""

    HAPPENED = "happened"
    PLANNED = "planned"
    ALLEGED = "alleged"
    DISPUTED = "disputed"


def to_enum(kind: type[E], value: E | str) -> E:
    """The member of ``kind`` with this value; the error lists the allowed values."""
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(member.value) for member in kind)
        raise ValueError(f"{shorten(value)} is not a {kind.__name__.lower()}; allowed: {allowed}") from None


def _to_category(value: Category | str) -> Category:
    return to_enum(Category, value)


def _to_status(value: Status | str) -> Status:
    return to_enum(Status, value)


def _any_text(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Text every export can write: a str that UTF-8 can encode (no lone surrogates), or empty."""
    if not isinstance(value, str):
        raise FieldTypeError(attribute.name, f"expected text, got {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise FieldError(
            attribute.name, f"not text at position {error.start} (a lone surrogate {value[error.start]!r})"
        ) from None


def _optional_text(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Empty, or text without surrounding whitespace (a note that is only a newline says nothing)."""
    _any_text(instance, attribute, value)
    if value:
        _text(instance, attribute, value)


def _text(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Non-empty text without surrounding whitespace."""
    _any_text(instance, attribute, value)
    if not value.strip():
        raise FieldError(attribute.name, "must not be empty")
    if value != value.strip():
        raise FieldError(attribute.name, f"{shorten(value)} has leading or trailing whitespace")


def _slug(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not SLUG.fullmatch(value) or len(value) > MAX_ID_LENGTH:
        raise FieldError(
            attribute.name,
            f"{shorten(value)} is not a slug (lower-case letters, digits and single "
            f"hyphens, at most {MAX_ID_LENGTH} characters)",
        )


def _texts(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for item in value:
        _text(instance, attribute, item)
    if len(set(value)) != len(value):
        raise FieldError(attribute.name, f"{shorten(value)} lists an entry twice")


def _actors(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    _texts(instance, attribute, value)
    for code in value:
        if not is_actor(code):
            raise FieldError(
                attribute.name,
                f"{shorten(code)} is neither an ISO 3166-1 alpha-3 country code nor a known organisation id",
            )


def _country(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and value not in countries():
        raise FieldError(attribute.name, f"{shorten(value)} is not an ISO 3166-1 alpha-3 country code")


def _coordinate(limit: float) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
        if value is None:
            return
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > limit:
            raise FieldError(
                attribute.name, f"{shorten(value)} is outside -{limit}..{limit}"
            )  # before float() overflows
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
            raise FieldError(attribute.name, f"{shorten(value)} is not a finite number")
        if not -limit <= value <= limit:
            raise FieldError(attribute.name, f"{shorten(value)} is outside -{limit}..{limit}")

    return check


def _to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    if isinstance(value, (str, bytes)):
        raise TypeError(f"expected a list, got the text {shorten(value)}")
    return tuple(value)


def _to_span(value: DateSpan | PartialDate | dt.date | str) -> DateSpan:
    """EDTF text, or a day or partial date (the span of just that date)."""
    if isinstance(value, DateSpan):
        return value
    if isinstance(value, (PartialDate, dt.date)):
        return DateSpan(value)
    return DateSpan.parse(value)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def to_day(value: dt.date | str) -> dt.date:
    """A day from a date or strictly ``YYYY-MM-DD`` text (not the other ISO forms Python accepts)."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{shorten(value)} is not a YYYY-MM-DD date")


def _url(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not re.fullmatch(r"https?://\S+", value):
        raise FieldError(attribute.name, f"{shorten(value)} is not an http(s) URL")


@attrs.frozen
class Place:
    """A named place; coordinates (WGS 84 degrees) only where it is a known point."""

    name: str = attrs.field(validator=_text)
    country: str | None = attrs.field(default=None, validator=_country)
    lat: float | None = attrs.field(default=None, validator=_coordinate(90.0))
    lon: float | None = attrs.field(default=None, validator=_coordinate(180.0))

    def __attrs_post_init__(self) -> None:
        if (self.lat is None) != (self.lon is None):
            raise FieldError("lat", f"place {self.name!r}: give both lat and lon, or neither")

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


@attrs.frozen
class SourceRef:
    """A citation: which source, and a few verbatim words to find the passage."""

    source: str = attrs.field(validator=_slug)
    evidence: str = attrs.field(validator=_text)


@attrs.frozen
class Source:
    """A news article the dataset draws on."""

    id: str = attrs.field(validator=_slug)
    publisher: str = attrs.field(validator=_text)
    title: str = attrs.field(validator=_text)
    published: dt.date = attrs.field(converter=to_day)
    url: str | None = attrs.field(default=None, validator=_url)
    file: str | None = attrs.field(default=None, validator=attrs.validators.optional(_text))
    note: str = attrs.field(default="", validator=_optional_text)


@attrs.frozen(kw_only=True)
class Event:
    """One dated event in the relationship, as reported by its sources.

    ``id`` is a slug that never changes once published. ``date`` is a
    :class:`DateSpan` (EDTF text converts on the way in). Fields are keyword-only;
    change one with :func:`attrs.evolve`.
    """

    id: str = attrs.field(validator=_slug)
    date: DateSpan = attrs.field(converter=_to_span)
    title: str = attrs.field(validator=_text)
    summary: str = attrs.field(validator=_text)
    category: Category = attrs.field(converter=_to_category)
    status: Status = attrs.field(converter=_to_status)
    actors: tuple[str, ...] = attrs.field(converter=_to_tuple, validator=_actors)
    people: tuple[str, ...] = attrs.field(default=(), converter=_to_tuple, validator=_texts)
    places: tuple[Place, ...] = attrs.field(default=(), converter=_to_tuple)
    sources: tuple[SourceRef, ...] = attrs.field(converter=_to_tuple)
    note: str = attrs.field(default="", validator=_optional_text)

    @sources.validator
    def _check_sources(self, attribute: attrs.Attribute[Any], value: tuple[SourceRef, ...]) -> None:
        if not value:
            raise FieldError("sources", "an event needs at least one source reference")
        for ref in value:
            if not isinstance(ref, SourceRef):
                raise FieldTypeError("sources", f"expected SourceRef, got {type(ref).__name__}")

    @places.validator
    def _check_places(self, attribute: attrs.Attribute[Any], value: tuple[Place, ...]) -> None:
        for place in value:
            if not isinstance(place, Place):
                raise FieldTypeError("places", f"expected Place, got {type(place).__name__}")


@attrs.frozen
class DatasetInfo:
    """What a collection is: name, version, as-of date and the sources its events cite.

    "planned" in an event's status means planned as of ``as_of``. The defaults are
    neutral, so a user's own events never go out under the bundled dataset's title.
    """

    name: str = attrs.field(default="events", validator=_text)
    title: str = attrs.field(default="Events", validator=_text)
    version: str = attrs.field(default="0", validator=_text)
    as_of: dt.date | None = attrs.field(default=None, converter=attrs.converters.optional(to_day))
    sources: tuple[Source, ...] = attrs.field(default=(), converter=_to_tuple)

    @sources.validator
    def _check_sources(self, attribute: attrs.Attribute[Any], value: tuple[Source, ...]) -> None:
        counts = collections.Counter(source.id for source in value)
        duplicates = sorted(source_id for source_id, count in counts.items() if count > 1)
        if duplicates:
            raise FieldError("sources", f"duplicate source ids {duplicates}")

    @functools.cached_property
    def _sources_by_id(self) -> dict[str, Source]:
        return {source.id: source for source in self.sources}

    def source(self, source_id: str) -> Source:
        """The source with this id (every citation of every export looks one up)."""
        try:
            return self._sources_by_id[source_id]
        except KeyError:
            raise KeyError(f"no source with id {source_id!r}") from None
