"""Synthetic datasets shaped like the bundled one, from a seeded ``random.Random``.

The bundled timeline (``src/rnk_events/data/events.json``) has 30 events and 5
sources. These records copy its shape: a headline-style title, a one- to
three-sentence summary, two to five actors, people, places with and without
coordinates, one to five source references with verbatim-looking evidence, an
editorial note on most events, and the date forms the dataset uses: days,
months, years, intervals of days, of months and of years, and one-of sets
(``[2024-06-10..2024-06-16]``, ``[2024-01..2024-06-17]``). Text carries commas,
semicolons, quotes and non-ASCII letters, so escaping and folding do real work.

Records are JSON-shaped dicts (what ``events.json`` holds), so the same records
feed the library's loader and a direct attrs build (:func:`build_direct`).

    >>> records = event_records(3, seed=1)
    >>> sorted(records[0]) == sorted(EVENT_KEYS)
    True
    >>> len(collection(200, seed=1))
    200
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rnk_events import DatasetInfo, Event, EventCollection, Place, Source, SourceRef

__all__ = [
    "AS_OF",
    "EVENT_KEYS",
    "SEED",
    "build_direct",
    "collection",
    "dataset",
    "event_records",
    "info_for",
    "source_records",
]

SEED = 2024
AS_OF = dt.date(2024, 6, 17)
FIRST_YEAR, LAST_YEAR = 1950, 2029
EVENT_KEYS = ("id", "date", "title", "summary", "category", "status", "actors", "people", "places", "sources", "note")

CATEGORIES = (
    ("summit", 6),
    ("diplomacy", 8),
    ("conflict", 1),
    ("military", 2),
    ("arms-transfer", 3),
    ("sanctions", 4),
    ("space", 1),
    ("border", 1),
    ("justice", 1),
    ("politics", 1),
)
STATUSES = (("happened", 26), ("planned", 2), ("alleged", 1), ("disputed", 1))
ACTORS = ("RUS", "PRK", "KOR", "USA", "CHN", "UKR", "GBR", "VNM", "JPN", "UNSC", "UN-PANEL", "UN", "KCNA")
PEOPLE = (
    "Vladimir Putin",
    "Kim Jong Un",
    "Kim Jong Il",
    "Kim Yo Jong",
    "Sergei Shoigu",
    "Sergei Lavrov",
    "Choe Son Hui",
    "Baek Won-soon",
    "Yoon Suk Yeol",
    "Volodymyr Zelensky",
    "Kurt Campbell",
    "Kim Hong-kyun",
    "Antony Blinken",
    "Dmitry Peskov",
    "Ri Son Gwon",
    "José Manuel Albares",
    "Nguyễn Phú Trọng",
)
PLACES: tuple[tuple[str, str, float | None, float | None], ...] = (
    ("Pyongyang", "PRK", 39.0392, 125.7625),
    ("Vladivostok", "RUS", 43.1155, 131.8855),
    ("Far Eastern Federal University, Russky Island", "RUS", 43.0245, 131.8931),
    ("Vostochny Cosmodrome", "RUS", 51.884, 128.334),
    ("Moscow", "RUS", 55.7558, 37.6173),
    ("Khasan–Tumangang crossing", "RUS", 42.4258, 130.6447),
    ("Hanoi", "VNM", 21.0285, 105.8542),
    ("Seoul", "KOR", 37.5665, 126.978),
    ("Kyiv", "UKR", 50.4501, 30.5234),
    ("Russian Far East", "RUS", None, None),
    ("Amur region", "RUS", None, None),
    ("North Korea", "PRK", None, None),
    ("Ukraine", "UKR", None, None),
    ("China", "CHN", None, None),
    ("Vietnam", "VNM", None, None),
    ("Russia", "RUS", None, None),
)
SUBJECTS = (
    "Putin",
    "Kim Jong Un",
    "Moscow",
    "Pyongyang",
    "Seoul",
    "Washington",
    "The UN Security Council",
    "North Korea's foreign ministry",
    "Russia's defence minister",
    "A Russian delegation",
    "South Korea's presidential office",
    "The sanctions panel",
)
VERBS = (
    "meets",
    "visits",
    "accuses",
    "vetoes",
    "announces",
    "sanctions",
    "inspects",
    "invites",
    "signs a pact with",
    "condemns",
    "hosts",
    "warns",
)
OBJECTS = (
    "Kim Jong Un",
    "the Kremlin",
    "Pyongyang",
    "Seoul and Washington",
    "a UN sanctions resolution",
    "the rocket launcher plant",
    "a delegation from Moscow",
    "the border crossing at Khasan",
    "Russian entities",
    "the Vostochny Cosmodrome",
    "officials in Vladivostok",
    "the “comprehensive strategic partnership”",
)
CLAUSES = (
    "the two leaders held talks for several hours",
    "officials said the visit would last two days",
    "state media said the meeting was “friendly and candid”",
    "the ministry did not give a date",
    "Washington and Seoul said the deal breached UN resolutions; Moscow denied it",
    "the agency reported the launch on its website",
    "the report cited satellite images, shipping records and interviews",
    "it was the first such visit since 2000",
    "the resolution was vetoed, with China abstaining",
    "Kim inspected the site, accompanied by senior officials",
    "the talks covered trade, energy and “military-technical cooperation”",
    "the Kremlin said the summit had been agreed months earlier",
)
NOTES = (
    "Day from the wire report; the tabloid gives only the month.",
    "Reuters and AFP disagree on the day; the wire report's date is kept.",
    'The article says "last month", resolved against its publication day.',
    "Dated by a photo caption; the text gives no date.",
    "AFP gives the year only, the Reuters timeline the month.",
    "The capture carries no date; the publication day is inferred, not printed.",
    "Two sources, same day; wording follows the Reuters timeline.",
    "Sources call it “the first in 24 years”; the count is theirs.",
)
PUBLISHERS = (
    "Reuters",
    "AFP via The Moscow Times",
    "wire report (agency not named in the capture)",
    "British tabloid (name not in the capture)",
    "Yonhap",
    "NK News",
    "Le Monde",
)


def _weighted(rng: random.Random, table: Sequence[tuple[str, int]]) -> str:
    return rng.choices([name for name, _ in table], weights=[weight for _, weight in table])[0]


def _day(rng: random.Random) -> dt.date:
    return dt.date(rng.randint(FIRST_YEAR, LAST_YEAR), rng.randint(1, 12), rng.randint(1, 28))


def _date(rng: random.Random) -> tuple[str, str]:
    """An EDTF date text, in the dataset's forms and roughly its mix, and the id prefix it gives."""
    roll = rng.random()
    day = _day(rng)
    if roll < 0.50:  # a day
        return day.isoformat(), day.isoformat()
    if roll < 0.70:  # a month
        text = f"{day.year:04d}-{day.month:02d}"
        return text, text
    if roll < 0.75:  # a year
        return f"{day.year:04d}", f"{day.year:04d}"
    if roll < 0.83:  # a visit: two to four days
        end = day + dt.timedelta(days=rng.randint(1, 3))
        return f"{day.isoformat()}/{end.isoformat()}", day.isoformat()
    if roll < 0.87:  # from a month to a day ("2023-09/2024-06-17")
        end = day + dt.timedelta(days=rng.randint(40, 400))
        return f"{day.year:04d}-{day.month:02d}/{end.isoformat()}", f"{day.year:04d}-{day.month:02d}"
    if roll < 0.90:  # years of resolutions ("2006-10-14/2017-12-22")
        end = dt.date(min(day.year + rng.randint(1, 12), 9999), rng.randint(1, 12), rng.randint(1, 28))
        return f"{day.isoformat()}/{end.isoformat()}", day.isoformat()
    if roll < 0.97:  # one day of a run of days ("[2024-06-10..2024-06-16]")
        end = day + dt.timedelta(days=rng.randint(2, 170))
        return f"[{day.isoformat()}..{end.isoformat()}]", day.isoformat()
    # one day from a month on ("[2024-01..2024-06-17]")
    month_end = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    end = month_end + dt.timedelta(days=rng.randint(10, 200))
    return f"[{day.year:04d}-{day.month:02d}..{end.isoformat()}]", f"{day.year:04d}-{day.month:02d}"


def _slug_words(text: str) -> str:
    kept = "".join(char.lower() if char.isascii() and char.isalnum() else " " for char in text)
    return "-".join(kept.split())


def _sentence(rng: random.Random) -> str:
    subject, verb, target = rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)
    return f"{subject} {verb} {target}; {rng.choice(CLAUSES)}."


def source_records(count: int, seed: int = SEED) -> list[dict[str, Any]]:
    """``count`` source records like the bundled ones (some with a URL, most with a file and a note)."""
    rng = random.Random(seed * 7919 + 1)
    records = []
    for number in range(count):
        publisher = rng.choice(PUBLISHERS)
        published = _day(rng)
        title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}: what we know"
        url = None
        if rng.random() < 0.4:
            url = f"https://news.example.org/{published.year}/{published.month:02d}/{_slug_words(title)[:50]}-a{number}"
        records.append(
            {
                "id": f"source-{number:05d}-{_slug_words(publisher)[:24].strip('-')}",
                "publisher": publisher,
                "title": title,
                "published": published.isoformat(),
                "url": url,
                "file": f"{number:03d}_{rng.getrandbits(64):016x}.txt",
                "note": rng.choice(NOTES) if rng.random() < 0.8 else "",
            }
        )
    return records


def event_records(count: int, seed: int = SEED, source_ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """``count`` JSON-shaped event records, valid for :class:`rnk_events.Event`, the same for the same seed."""
    rng = random.Random(seed)
    sources = list(source_ids) if source_ids is not None else [record["id"] for record in source_records(5, seed)]
    records = []
    for number in range(count):
        date, prefix = _date(rng)
        title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        summary = " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
        actors = rng.sample(ACTORS, rng.choices((1, 2, 3, 4, 5), weights=(2, 14, 8, 4, 2))[0])
        people = rng.sample(PEOPLE, rng.choices((0, 1, 2, 3), weights=(14, 5, 9, 2))[0])
        places = [
            {"name": name, "country": country, "lat": lat, "lon": lon}
            for name, country, lat, lon in rng.sample(PLACES, rng.choices((0, 1, 2, 3), weights=(12, 14, 2, 2))[0])
        ]
        cited = rng.sample(sources, min(len(sources), rng.choices((1, 2, 3, 4, 5), weights=(12, 11, 3, 1, 3))[0]))
        refs = [{"source": source, "evidence": f"{rng.choice(CLAUSES)} ({rng.randint(1, 99)})"} for source in cited]
        note = rng.choice(NOTES) if rng.random() < 0.85 else ""
        slug = f"{prefix}-{_slug_words(title)}"[:70].rstrip("-")
        records.append(
            {
                "id": f"{slug}-{number}",
                "date": date,
                "title": title,
                "summary": summary,
                "category": _weighted(rng, CATEGORIES),
                "status": _weighted(rng, STATUSES),
                "actors": actors,
                "people": people,
                "places": places,
                "sources": refs,
                "note": note,
            }
        )
    return records


def info_for(records: Iterable[Mapping[str, Any]], count: int) -> DatasetInfo:
    """The dataset metadata of a synthetic collection of ``count`` events citing these sources."""
    return DatasetInfo(
        name="synthetic",
        title=f"Synthetic timeline – {count:,} events",
        version="1.0.0",
        as_of=AS_OF,
        sources=tuple(Source(**record) for record in records),
    )


def build_direct(records: Iterable[Mapping[str, Any]]) -> list[Event]:
    """Events built straight from JSON-shaped records: ``Event(**fields)``, nested records the same way."""
    return [
        Event(
            **{
                **record,
                "places": tuple(Place(**place) for place in record["places"]),
                "sources": tuple(SourceRef(**ref) for ref in record["sources"]),
            }
        )
        for record in records
    ]


def dataset(count: int, seed: int = SEED) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The source records and event records of a synthetic dataset: one source per 20 events, at least 5."""
    sources = source_records(max(5, count // 20), seed)
    return sources, event_records(count, seed, [record["id"] for record in sources])


def collection(count: int, seed: int = SEED) -> EventCollection:
    """A synthetic :class:`EventCollection` of ``count`` events, the same for the same seed."""
    sources, events = dataset(count, seed)
    return EventCollection(build_direct(events), info_for(sources, count))
