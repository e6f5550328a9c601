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
import unicodedata
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
    "Withdrawal",
    "fold_text",
]

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*", re.ASCII)
MAX_ID_LENGTH = 80

E = TypeVar("E", bound=enum.Enum)

_DASHES = re.compile(r"[-\u2010-\u2015]")


def fold_text(text: str) -> str:
    """The form the text queries compare: case and accents dropped, hyphens as spaces, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_DASHES.sub(" ", plain).split())


class Category(enum.Enum):
    """What kind of event it is; one per event, used for grouping and colour.

    An event's ``category`` also accepts the value text (``"arms-transfer"``).

    :cvar SUMMIT: ``"summit"``: A meeting between the two countries' leaders, including state visits by one to
        the other.
    :cvar DIPLOMACY: ``"diplomacy"``: Other diplomatic acts: invitations, announcements, statements, official
        visits, calls, and leaders' trips to third countries.
    :cvar CONFLICT: ``"conflict"``: Armed conflict: invasions, attacks and the positions taken on them.
    :cvar MILITARY: ``"military"``: Military activity short of combat: weapons tests and launches, inspections,
        defence officials' visits.
    :cvar ARMS_TRANSFER: ``"arms-transfer"``: Weapons or munitions passing between states, including accusations
        and findings that they did.
    :cvar SANCTIONS: ``"sanctions"``: Sanctions imposed, and votes, vetoes and monitoring about sanctions at the
        UN.
    :cvar SPACE: ``"space"``: Satellites, launches and space programmes.
    :cvar BORDER: ``"border"``: Borders closed, opened or crossed.
    :cvar JUSTICE: ``"justice"``: Arrests, detentions, charges, trials and warrants.
    :cvar POLITICS: ``"politics"``: Domestic politics: leaders taking or leaving office.
    """

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
    """How sure the reporting is, as of the dataset's as-of date.

    An event's ``status`` also accepts the value text (``"planned"``).

    :cvar HAPPENED: ``"happened"``: The sources report it as having taken place.
    :cvar PLANNED: ``"planned"``: Announced or scheduled, but still in the future on the as-of date
        (2024-06-17).
    :cvar ALLEGED: ``"alleged"``: Claimed by one party and not established by the sources, without a recorded
        denial.
    :cvar DISPUTED: ``"disputed"``: Claimed by one party and denied by another (the US accusation of October
        2023 that North Korea was supplying Russia with arms, which Moscow and Pyongyang denied).
    """

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
    if value.isascii():  # no surrogate is ASCII; the check costs nothing next to encoding a copy
        return
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


def _revision(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    """A revision number: a whole number, 0 as first published."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldTypeError(attribute.name, f"expected a whole number, got {type(value).__name__} {shorten(value)}")
    if value < 0:
        raise FieldError(attribute.name, f"{value} is below 0 (0 is the event as first published)")


def _optional_slug(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None:
        _slug(instance, attribute, value)


def _to_optional_day(value: dt.date | str | None) -> dt.date | None:
    return None if value is None else to_day(value)


def _url(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not re.fullmatch(r"https?://\S+", value):
        raise FieldError(attribute.name, f"{shorten(value)} is not an http(s) URL")


@attrs.frozen
class Place:
    """A named place; coordinates (WGS 84 degrees) only where it is a known point.

    Give both ``lat`` and ``lon`` or neither: a region or a country has none,
    rather than a misleading centre. The examples are from the bundled dataset.

    :ivar name: The place as the sources name it: a city, a site, a region or a
        country. Non-empty text without leading or trailing whitespace.
        Type: ``str``. Example: ``"Vostochny Cosmodrome"``.
    :ivar country: The ISO 3166-1 alpha-3 code of the country it is in, or
        ``None`` (the default) if not recorded.
        Type: ``str | None``. Example: ``"RUS"``.
    :ivar lat: Latitude in degrees, -90 to 90, or ``None`` (the default) where
        the place is not a known point.
        Type: ``float | None``. Example: ``51.884``.
    :ivar lon: Longitude in degrees, -180 to 180, or ``None`` (the default)
        where the place is not a known point.
        Type: ``float | None``. Example: ``128.334``.
    """

    name: str = attrs.field(validator=_text)
    country: str | None = attrs.field(default=None, validator=_country)
    lat: float | None = attrs.field(default=None, validator=_coordinate(90.0))
    lon: float | None = attrs.field(default=None, validator=_coordinate(180.0))

    def __attrs_post_init__(self) -> None:
        if (self.lat is None) != (self.lon is None):
            raise FieldError("lat", f"place {self.name!r}: give both lat and lon, or neither")

    @property
    def has_point(self) -> bool:
        """Whether the place has coordinates (``lat`` and ``lon`` are both set)."""
        return self.lat is not None and self.lon is not None


@attrs.frozen
class SourceRef:
    """A citation: which source, and a few verbatim words to find the passage.

    The examples are from the bundled dataset.

    :ivar source: The ``id`` of the :class:`Source` cited. A collection refuses
        an id that its :attr:`DatasetInfo.sources` lack.
        Type: ``str``. Example: ``"reuters-timeline"``.
    :ivar evidence: A few words copied verbatim from the article, enough to
        find the passage that reports the event.
        Type: ``str``. Example: ``"Putin and Kim Jong Un meet in Vladivostok"``.
    """

    source: str = attrs.field(validator=_slug)
    evidence: str = attrs.field(validator=_text)


@attrs.frozen
class Source:
    """A news article the dataset draws on.

    The examples are from the bundled dataset.

    :ivar id: The source's name, unique within the dataset, that
        :attr:`SourceRef.source` cites: a slug of lower-case ASCII letters and
        digits in groups joined by single hyphens, at most 80 characters.
        Type: ``str``. Example: ``"moscow-times-afp"``.
    :ivar publisher: Who published it, as far as the capture tells.
        Type: ``str``. Example: ``"AFP via The Moscow Times"``.
    :ivar title: The headline as captured; a title in square brackets was
        supplied because the capture had none.
        Type: ``str``. Example: ``"Kremlin Confirms Putin's Trip to North Korea"``.
    :ivar published: The publication day; relative dates in the article
        ("last month") are resolved against it. ``YYYY-MM-DD`` text converts.
        Type: ``datetime.date``. Example: ``"2024-06-17"`` (stored as ``datetime.date(2024, 6, 17)``).
    :ivar url: The original http(s) address, or ``None`` (the default) where
        the capture does not record it.
        Type: ``str | None``. Example:
        ``"https://www.themoscowtimes.com/2024/06/17/kremlin-confirms-putins-trip-to-north-korea-a85441"``.
    :ivar file: The file name of the captured article the events were drawn
        from, or ``None`` (the default).
        Type: ``str | None``. Example: ``"004_982faab3ac78e7ba.txt"``.
    :ivar note: What kind of source it is and what to watch for in it; ``""``
        (the default) for none.
        Type: ``str``. Example: ``"AFP report republished by The Moscow Times."``.
    """

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

    Fields are keyword-only; change one with :func:`attrs.evolve`, which builds
    and checks a new event. Text fields hold non-empty text without leading or
    trailing whitespace. The examples are from the bundled dataset.

    :ivar id: The event's permanent name, never changed once published (links,
        calendar UIDs and spreadsheets rely on it): a slug of lower-case ASCII
        letters and digits in groups joined by single hyphens, at most 80
        characters, that starts with the event's date.
        Type: ``str``. Example: ``"2019-04-25-first-putin-kim-jong-un-summit-vladivostok"``.
    :ivar date: When it happened, as precisely as the sources say: a year, a
        month, a day, or a ``start/end`` span of them. EDTF text, a
        :class:`PartialDate` or a :class:`datetime.date` converts.
        Type: ``DateSpan``. Example: ``"2024-06-18/2024-06-19"``.
    :ivar title: A headline-style line in the present or past tense.
        Type: ``str``. Example: ``"Putin and Kim Jong Un hold first summit in Vladivostok"``.
    :ivar summary: One to three sentences that stay close to the sources'
        wording.
        Type: ``str``. Example:
        ``"Putin and Kim Jong Un held their first summit, meeting in the Russian Far East city of Vladivostok."``.
    :ivar category: What kind of event it is, one of :class:`Category`; the
        value text converts.
        Type: ``Category``. Example: ``"summit"`` (stored as ``Category.SUMMIT``).
    :ivar status: How sure the reporting is as of the dataset's as-of date, one
        of :class:`Status`; the value text converts.
        Type: ``Status``. Example: ``"planned"`` (stored as ``Status.PLANNED``).
    :ivar actors: Who acts: ISO 3166-1 alpha-3 country codes or organisation
        ids from :data:`rnk_events.actors.ORGANISATIONS`, no entry twice. Any
        list converts to a tuple.
        Type: ``tuple[str, ...]``. Example: ``("RUS", "PRK")``.
    :ivar people: The people involved, named as the sources spell them in
        English, no entry twice; empty (the default) if none is named.
        Type: ``tuple[str, ...]``. Example: ``("Vladimir Putin", "Kim Jong Un")``.
    :ivar places: Where it happened, most specific first; empty (the default)
        if the sources name no place.
        Type: ``tuple[Place, ...]``. Example:
        ``(Place("Vladivostok", "RUS", 43.1155, 131.8855), Place("Russian Far East", "RUS"))``.
    :ivar sources: Every article in the dataset that reports the event: at
        least one citation, each naming a source in the collection's
        :attr:`DatasetInfo.sources`.
        Type: ``tuple[SourceRef, ...]``. Example:
        ``(SourceRef("reuters-timeline", "Putin and Kim Jong Un meet in Vladivostok"),)``.
    :ivar note: Editorial notes: how a relative date was resolved, where the
        sources disagree and which one was kept; ``""`` (the default) for none.
        Type: ``str``. Example: ``"Dates from the wire report; AFP gives no dates for the Vietnam leg."``.
    :ivar revision: How many data editions changed the event substantively
        (its date, title, summary, status, actors, people, places or
        sources; see :data:`rnk_events.changes.SUBSTANTIVE_FIELDS`): ``0``
        (the default) as first published, one more for each edition that
        changed it so. A calendar's ``SEQUENCE``. A whole number, 0 or more.
        Type: ``int``. Example: ``1``.
    :ivar revised: The day of its last substantive change, or ``None`` (the
        default) while it is as first published, where the dataset's
        :attr:`DatasetInfo.as_of` stands in for it (a calendar's
        ``LAST-MODIFIED``). Set exactly when ``revision`` is above 0.
        ``YYYY-MM-DD`` text converts.
        Type: ``datetime.date | None``. Example: ``"2026-12-01"`` (stored as ``datetime.date(2026, 12, 1)``).
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
    revision: int = attrs.field(default=0, validator=_revision)
    revised: dt.date | None = attrs.field(default=None, converter=_to_optional_day)

    def __attrs_post_init__(self) -> None:
        if self.revision and self.revised is None:
            raise FieldError("revised", f"revision {self.revision} needs the day of that revision")
        if not self.revision and self.revised is not None:
            raise FieldError("revised", f"{self.revised} is set but revision is 0 (as first published)")

    @property
    def is_revised(self) -> bool:
        """Whether a data edition has changed the event substantively since it was first published."""
        return self.revision > 0

    # Folding and date bounds cost far more than the comparisons a query makes, and the event is
    # immutable: each is computed once per event, on first use, and kept (attrs leaves these
    # caches out of equality, hashing and pickling). Every collection holding the event shares them.

    @functools.cached_property
    def _search_text(self) -> str:
        """What :meth:`EventCollection.search` looks in, folded: title, summary, note, people, places."""
        return fold_text(" ".join((self.title, self.summary, self.note, *self.people, *(p.name for p in self.places))))

    @functools.cached_property
    def _folded_people(self) -> tuple[str, ...]:
        """Each person's name folded and padded with spaces, so a query matches whole words only."""
        return tuple(f" {fold_text(name)} " for name in self.people)

    @functools.cached_property
    def _folded_places(self) -> tuple[str, ...]:
        """Each place's name folded and padded with spaces, as :attr:`_folded_people`."""
        return tuple(f" {fold_text(place.name)} " for place in self.places)

    # Two slots rather than one tuple: a date scan then reads one object less per event.

    @functools.cached_property
    def _first_ordinal(self) -> int:
        """The ordinal of the first day the event may touch, qualifiers included (``padded_first_day``)."""
        return self.date.padded_first_day.toordinal()

    @functools.cached_property
    def _last_ordinal(self) -> int:
        """The ordinal of the last day the event may touch, qualifiers included (``padded_last_day``)."""
        return self.date.padded_last_day.toordinal()

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


@attrs.frozen(kw_only=True)
class Withdrawal:
    """An event taken out of the dataset for good: why, when, and what replaces it.

    A withdrawn id is never used again, and a collection refuses an event
    with it. The record keeps what a calendar needs to cancel the event in
    subscribers' calendars (its date, title and last revision), since the
    event itself is gone. Fields are keyword-only. The examples are a
    duplicate merged into the event it repeated.

    :ivar id: The withdrawn event's id, never used again: a slug, as
        :attr:`Event.id`.
        Type: ``str``. Example: ``"2024-06-18-putin-arrives-in-pyongyang"``.
    :ivar reason: Why it was withdrawn, for the people who had it: a
        sentence of text.
        Type: ``str``. Example: ``"A duplicate of the state visit, merged into it."``.
    :ivar withdrawn: The day of the data edition that withdrew it.
        ``YYYY-MM-DD`` text converts.
        Type: ``datetime.date``. Example: ``"2026-12-01"`` (stored as ``datetime.date(2026, 12, 1)``).
    :ivar replaced_by: The id of the event that replaces it, or ``None`` (the
        default) when nothing does; never its own id.
        Type: ``str | None``. Example: ``"2024-06-18-putin-state-visit-to-north-korea"``.
    :ivar date: The withdrawn event's date, as it last stood: EDTF text, a
        :class:`PartialDate` or a :class:`datetime.date` converts.
        Type: ``DateSpan``. Example: ``"2024-06-18"``.
    :ivar title: The withdrawn event's title, as it last stood.
        Type: ``str``. Example: ``"Putin arrives in Pyongyang"``.
    :ivar revision: The withdrawn event's last :attr:`Event.revision`; a
        calendar cancels it with the next one. ``0`` by default.
        Type: ``int``. Example: ``0``.
    """

    id: str = attrs.field(validator=_slug)
    reason: str = attrs.field(validator=_text)
    withdrawn: dt.date = attrs.field(converter=to_day)
    replaced_by: str | None = attrs.field(default=None, validator=_optional_slug)
    date: DateSpan = attrs.field(converter=_to_span)
    title: str = attrs.field(validator=_text)
    revision: int = attrs.field(default=0, validator=_revision)

    def __attrs_post_init__(self) -> None:
        if self.replaced_by == self.id:
            raise FieldError("replaced_by", f"{self.id!r} cannot replace itself")


@attrs.frozen
class DatasetInfo:
    """What a collection is: name, version, as-of date and the sources its events cite.

    "planned" in an event's status means planned as of ``as_of``. The defaults are
    neutral, so a user's own events never go out under the bundled dataset's title.
    In JSON these are the top-level keys beside ``events`` (``name`` is written
    as ``dataset``). The examples are the bundled dataset's.

    :ivar name: Machine name of the dataset; ``"events"`` by default.
        Type: ``str``. Example: ``"rnk_events"``.
    :ivar title: Human title; ``"Events"`` by default.
        Type: ``str``. Example: ``"Russia–North Korea relations: a sourced timeline"``.
    :ivar version: The data edition: the version of the data, separate from
        the package's ``rnk_events.__version__``, raised with every release
        of changed data (see the data editions docs); ``"0"`` by default.
        Type: ``str``. Example: ``"1.1.0"``.
    :ivar as_of: The day the data is true as of, or ``None`` (the default) if
        not stated. ``YYYY-MM-DD`` text converts.
        Type: ``datetime.date | None``. Example: ``"2024-06-17"`` (stored as ``datetime.date(2024, 6, 17)``).
    :ivar sources: Every article the events cite, no id twice; empty by default.
        Type: ``tuple[Source, ...]``. Example:
        ``(Source("reuters-timeline", "Reuters", "The highs and lows of Russia-North Korea relations under Putin",
        "2024-06-17"),)``.
    :ivar withdrawn: Every event taken out of the dataset for good, no id
        twice; empty (the default) when none is. A collection refuses an
        event whose id is listed here.
        Type: ``tuple[Withdrawal, ...]``. Example:
        ``(Withdrawal(id="2024-06-18-putin-arrives-in-pyongyang", reason="A duplicate of the state visit.",
        withdrawn="2026-12-01", date="2024-06-18", title="Putin arrives in Pyongyang"),)``.
    """

    name: str = attrs.field(default="events", validator=_text)
    title: str = attrs.field(default="Events", validator=_text)
    version: str = attrs.field(default="0", validator=_text)
    as_of: dt.date | None = attrs.field(default=None, converter=attrs.converters.optional(to_day))
    sources: tuple[Source, ...] = attrs.field(default=(), converter=_to_tuple)
    withdrawn: tuple[Withdrawal, ...] = attrs.field(default=(), converter=_to_tuple)

    @sources.validator
    def _check_sources(self, attribute: attrs.Attribute[Any], value: tuple[Source, ...]) -> None:
        counts = collections.Counter(source.id for source in value)
        duplicates = sorted(source_id for source_id, count in counts.items() if count > 1)
        if duplicates:
            raise FieldError("sources", f"duplicate source ids {duplicates}")

    @withdrawn.validator
    def _check_withdrawn(self, attribute: attrs.Attribute[Any], value: tuple[Withdrawal, ...]) -> None:
        for withdrawal in value:
            if not isinstance(withdrawal, Withdrawal):
                raise FieldTypeError("withdrawn", f"expected Withdrawal, got {type(withdrawal).__name__}")
        counts = collections.Counter(withdrawal.id for withdrawal in value)
        duplicates = sorted(event_id for event_id, count in counts.items() if count > 1)
        if duplicates:
            raise FieldError("withdrawn", f"ids withdrawn twice {duplicates}")

    @functools.cached_property
    def _withdrawn_by_id(self) -> dict[str, Withdrawal]:
        return {withdrawal.id: withdrawal for withdrawal in self.withdrawn}

    def withdrawal(self, event_id: str) -> Withdrawal | None:
        """The withdrawal of this id, or None when it was never withdrawn."""
        return self._withdrawn_by_id.get(event_id)

    @functools.cached_property
    def _sources_by_id(self) -> dict[str, Source]:
        return {source.id: source for source in self.sources}

    def source(self, source_id: str) -> Source:
        """The source with this id (every citation of every export looks one up)."""
        try:
            return self._sources_by_id[source_id]
        except KeyError:
            raise KeyError(f"no source with id {source_id!r}") from None
