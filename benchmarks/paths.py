"""Each path of the library against its limit: the functions that make the table's rows.

Every function takes a :class:`Setting` (one synthetic collection and how to
time it) and returns :class:`~benchmarks.timing.Row` objects; the contenders of
a row run in the same interleaved rounds. Where a limit writes the same bytes,
the bytes are compared first and the row says whether they were identical.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.resources
import io
import json
import pickle
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs

import rnk_events
from benchmarks import bench_date_index, ics_hand, limits, memory, synth
from benchmarks.limits import fold, person_matcher, search_text, subcollection
from benchmarks.timing import Contender, Result, Row, interleave, timed_row
from rnk_events import Event, EventCollection
from rnk_events.formats import ics
from rnk_events.formats import json as json_format
from rnk_events.formats import timelinejs as timelinejs_format
from rnk_events.serialize import structure_info

__all__ = ["PATHS", "PEOPLE", "SEARCHES", "Setting", "cli_rows"]

STAMP = dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)
#: The largest collection whose bounds-table cost is measured (the setup copies every event each call).
LARGEST_TABLE_COST = 100_000
#: Five searches and five names: plain words, a hyphen, an accent to fold, and a miss.
SEARCHES = ("putin", "kim jong-un", "security council", "trong", "no such words")
PEOPLE = ("putin", "Kim Jong-un", "kim", "Nguyen Phu Trong", "Zelensky")


@attrs.frozen
class Setting:
    """One synthetic collection, how many rounds to time it for, a scratch folder, the shortest batch."""

    events: EventCollection
    rounds: int
    seed: int
    scratch: Path
    min_batch: float = 0.02
    shared: dict[str, Any] = attrs.field(factory=dict, eq=False, repr=False)  # computed once per size

    @property
    def size(self) -> int:
        return len(self.events)


def _first_run(run: Callable[[Any], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    output = run(None)
    return output, time.perf_counter() - started


def _row(path: str, setting: Setting, result: Result, ours: str, limit: str, label: str, output: str) -> Row:
    return timed_row(path, setting.size, label, result, ours, limit, output=output, rounds=setting.rounds)


def _same(expected: bytes, actual: bytes) -> str:
    return "identical bytes" if expected == actual else "not identical"


def _export_of(name: str, **options: Any) -> Callable[[EventCollection], bytes]:
    """A run that exports the collection it is given (a contender whose setup makes one)."""

    def run(events: EventCollection) -> bytes:
        stream = io.BytesIO()
        rnk_events.export(events, name, stream, **options)
        return stream.getvalue()

    return run


def _export(events: EventCollection, name: str, **options: Any) -> Callable[[Any], bytes]:
    """A run that exports ``events``, whatever it is given."""
    write = _export_of(name, **options)
    return lambda _: write(events)


# -- exports -------------------------------------------------------------------------------------


def xlsx_rows(setting: Setting) -> list[Row]:
    ours = _export(setting.events, "xlsx", stamp=STAMP)
    warmed = _first_run(ours)
    sheets = setting.shared["xlsx cells"] = limits.read_workbook(warmed[0])
    contenders = [
        Contender("ours", ours),
        Contender("plain", lambda _: limits.write_only_workbook(sheets, styled=False)),
        Contender("styled", lambda _: limits.write_only_workbook(sheets, styled=True)),
    ]
    result = interleave(contenders, setting.rounds, min_batch=setting.min_batch, warmed={"ours": warmed})
    same = (
        "same cells" if limits.same_cells(limits.read_workbook(result.outputs["plain"]), sheets) else "different cells"
    )
    return [
        _row("xlsx", setting, result, "ours", "plain", "openpyxl write-only, unstyled", same),
        _row("xlsx", setting, result, "ours", "styled", "openpyxl write-only, styled", same),
    ]


def xlsx_memory_rows(setting: Setting) -> list[Row]:
    """Peak memory above the loaded collection (or cells), per event, each write in a fresh process."""
    if "xlsx cells" not in setting.shared:
        setting.shared["xlsx cells"] = limits.read_workbook(_export(setting.events, "xlsx", stamp=STAMP)(None))
    cells = setting.scratch / f"cells-{setting.size}.pickle"
    with cells.open("wb") as stream:
        pickle.dump(setting.shared["xlsx cells"], stream)
    ours = memory.measure("library", setting.size, setting.seed)
    found = []
    for what, label in (("write-only", "write-only, unstyled"), ("write-only-styled", "write-only, styled")):
        theirs = memory.measure(what, setting.size, setting.seed, cells)
        per_event = [peak.above / 1024 / setting.size for peak in (ours, theirs)]
        found.append(
            Row(
                "xlsx peak memory above loaded",
                setting.size,
                f"openpyxl {label}",
                per_event[0],
                per_event[1],
                per_event[0] / max(per_event[1], 1e-9),
                unit="KiB/event",
                output=ours.method,
                rounds="1 × 1",
            )
        )
    cells.unlink()
    return found


def ics_rows(setting: Setting) -> list[Row]:
    events = setting.events
    name, about = events.info.title, "A synthetic feed, for the benchmark; one entry per event."
    ours = _export(events, "ics", stamp=STAMP, calendar_name=name, calendar_description=about)
    calendar = ics.build(events, stamp=STAMP, calendar_name=name, calendar_description=about)
    contenders = [
        Contender("ours", ours),
        Contender(
            "hand", lambda _: ics_hand.write(events, stamp=STAMP, calendar_name=name, calendar_description=about)
        ),
        Contender("to_ical", lambda _: calendar.to_ical()),
    ]
    result = interleave(contenders, setting.rounds, min_batch=setting.min_batch)
    written = result.outputs["ours"]
    return [
        _row("ics", setting, result, "ours", "hand", "hand writer, same bytes", _same(written, result.outputs["hand"])),
        _row(
            "ics",
            setting,
            result,
            "ours",
            "to_ical",
            "icalendar to_ical, same components",
            _same(written, result.outputs["to_ical"]),
        ),
    ]


def _json_document(events: EventCollection) -> Any:
    """The JSON export's document as the export builds it: with cyclic GC paused."""
    with json_format._cyclic_gc_paused():
        return json_format.to_document(events)


#: What each JSON-like export builds before it encodes: timed alone, it is the part no encoder removes.
_BUILDERS: dict[str, Callable[[EventCollection], Any]] = {
    "json": _json_document,
    "timelinejs": timelinejs_format.to_timeline,  # its export leaves cyclic GC on
}


def _cold(events: EventCollection, name: str) -> Contender:
    """The export of records nothing has read yet, as the first export after a load is."""
    return Contender("cold", _export_of(name), lambda: subcollection(events, limits.uncached_copies(events)))


def _cold_row(name: str, setting: Setting, result: Result, limit: str, label: str) -> Row:
    return _row(f"{name}: records nothing has read", setting, result, "cold", limit, label, "first export")


def _json_like_rows(setting: Setting, name: str) -> list[Row]:
    ours = _export(setting.events, name)
    warmed = _first_run(ours)
    document = json.loads(warmed[0])
    contenders = [Contender("ours", ours), Contender("json", lambda _: limits.json_write(document))]
    contenders.append(_cold(setting.events, name))
    if limits.ORJSON is not None:
        contenders.append(Contender("orjson", lambda _: limits.orjson_json_write(document)))
        contenders.append(Contender("build", lambda _: _BUILDERS[name](setting.events)))
    if limits.ORJSON is not None and limits.MSGSPEC is not None and name == "json":
        contenders.append(Contender("msgspec", lambda _: limits.msgspec_records_write(setting.events)))
    result = interleave(contenders, setting.rounds, min_batch=setting.min_batch, warmed={"ours": warmed})
    found = [
        _row(
            name, setting, result, "ours", "json", "stdlib json, same options", _same(warmed[0], result.outputs["json"])
        ),
        _cold_row(name, setting, result, "json", "stdlib json, same options"),
    ]
    if limits.ORJSON is not None:
        same = _same(warmed[0], result.outputs["orjson"])
        found.append(_row(name, setting, result, "ours", "orjson", "orjson OPT_INDENT_2", same))
        built = f"{name}: its document built, not encoded"
        found.append(_row(built, setting, result, "build", "orjson", "orjson OPT_INDENT_2", "the floor is 1 + this"))
    if "msgspec" in result.outputs:
        native = "json: msgspec encoding the records natively"
        found.append(_row(native, setting, result, "msgspec", "orjson", "orjson OPT_INDENT_2", "other bytes"))
    return found


def json_rows(setting: Setting) -> list[Row]:
    return _json_like_rows(setting, "json")


def timelinejs_rows(setting: Setting) -> list[Row]:
    return _json_like_rows(setting, "timelinejs")


def html_rows(setting: Setting) -> list[Row]:
    """The page against its JSON blocks re-serialised (its markup copied), and against the TimelineJS export."""
    ours = _export(setting.events, "html")
    warmed = _first_run(ours)
    markup, documents = limits.html_split(warmed[0])
    contenders = [
        Contender("ours", ours),
        Contender("json", lambda _: limits.html_write(markup, documents)),
        Contender("timelinejs", _export(setting.events, "timelinejs")),
        _cold(setting.events, "html"),
    ]
    if limits.ORJSON is not None:
        contenders.append(Contender("orjson", lambda _: limits.orjson_html_write(markup, documents)))
    result = interleave(contenders, setting.rounds, min_batch=setting.min_batch, warmed={"ours": warmed})
    blocks = f"{len(documents)} JSON blocks"
    found = [
        _row(
            "html",
            setting,
            result,
            "ours",
            "json",
            f"{blocks} by stdlib json + 5 str.replace, markup copied",
            _same(warmed[0], result.outputs["json"]),
        ),
    ]
    if limits.ORJSON is not None:
        same = _same(warmed[0], result.outputs["orjson"])
        found.append(
            _row(
                "html", setting, result, "ours", "orjson", f"{blocks} by orjson + 5 bytes.replace, markup copied", same
            )
        )
    found.append(_row("html", setting, result, "ours", "timelinejs", "the timelinejs export", "same document"))
    found.append(_cold_row("html", setting, result, "json", f"{blocks} by stdlib json + 5 str.replace, markup copied"))
    return found


def csv_rows(setting: Setting) -> list[Row]:
    ours = _export(setting.events, "csv")
    warmed = _first_run(ours)
    cells = limits.csv_cells(warmed[0])
    result = interleave(
        [Contender("ours", ours), Contender("stdlib", lambda _: limits.csv_write(cells))],
        setting.rounds,
        min_batch=setting.min_batch,
        warmed={"ours": warmed},
    )
    return [
        _row(
            "csv",
            setting,
            result,
            "ours",
            "stdlib",
            "stdlib csv writer, same cells",
            _same(warmed[0], result.outputs["stdlib"]),
        )
    ]


# -- load and queries ----------------------------------------------------------------------------


def _direct_load(path: Path) -> EventCollection:
    """The same records built straight from the parsed file: ``Event(**fields)``, then the collection.

    The header (one record) goes through the library's own converter, so new
    dataset fields need no change here; the events are the attrs build.
    """
    document = json.loads(path.read_bytes())
    info, problems = structure_info({key: value for key, value in document.items() if key != "events"}, str(path))
    if info is None:
        raise ValueError(f"{path}: {problems}")
    return EventCollection(synth.build_direct(document["events"]), info)


def load_rows(setting: Setting) -> list[Row]:
    path = setting.scratch / f"events-{setting.size}.json"
    rnk_events.export(setting.events, "json", path)
    result = interleave(
        [Contender("ours", lambda _: rnk_events.load(path)), Contender("direct", lambda _: _direct_load(path))],
        setting.rounds,
        min_batch=setting.min_batch,
    )
    same = "same collection" if result.outputs["ours"] == result.outputs["direct"] == setting.events else "different"
    path.unlink()
    return [
        _row("load (json file)", setting, result, "ours", "direct", "json.loads + Event(**fields) + collection", same)
    ]


def _query_rows(
    setting: Setting,
    path: str,
    ask: Callable[[EventCollection], list[EventCollection]],
    prepare: Callable[[Sequence[Event]], list[Any]],
    answer: Callable[[EventCollection, list[Any]], list[EventCollection]],
    label: str,
) -> list[Row]:
    """Five queries on a fresh collection (anything cached is built inside), then repeated on a warm one.

    The fresh collection holds copies of the events: an event caches its folded
    text, so a slice of a searched collection would start warm.
    """
    events = setting.events

    def fresh() -> EventCollection:
        return subcollection(events, tuple(copy.copy(event) for event in events))

    one_shot = [
        Contender("ours", ask, fresh),
        Contender("limit", lambda collection: answer(collection, prepare(collection)), fresh),
    ]
    prepared = prepare(events)  # the warm-up call before the rounds builds whatever the collection caches
    repeated = [Contender("ours", lambda _: ask(events)), Contender("limit", lambda _: answer(events, prepared))]
    found = []
    for mode, contenders, what in (
        ("5 queries, one-shot", one_shot, "fold once + scan"),
        ("5 queries, repeated", repeated, "scan pre-folded"),
    ):
        result = interleave(contenders, setting.rounds, min_batch=setting.min_batch)
        agree = [a.ids for a in result.outputs["ours"]] == [b.ids for b in result.outputs["limit"]]
        found.append(
            _row(
                f"{path}: {mode}",
                setting,
                result,
                "ours",
                "limit",
                f"{label}: {what}",
                "same events" if agree else "different",
            )
        )
    return found


def search_rows(setting: Setting) -> list[Row]:
    def ask(collection: EventCollection) -> list[EventCollection]:
        return [collection.search(text) for text in SEARCHES]

    def prepare(events: Sequence[Event]) -> list[tuple[str, Event]]:
        return [(search_text(event), event) for event in events]

    def answer(collection: EventCollection, texts: list[tuple[str, Event]]) -> list[EventCollection]:
        found = []
        for query in SEARCHES:
            words = fold(query).split()
            found.append(subcollection(collection, tuple([e for text, e in texts if all(w in text for w in words)])))
        return found

    return _query_rows(setting, "search", ask, prepare, answer, "text folded once")


def by_person_rows(setting: Setting) -> list[Row]:
    def ask(collection: EventCollection) -> list[EventCollection]:
        return [collection.by_person(name) for name in PEOPLE]

    def prepare(events: Sequence[Event]) -> list[tuple[tuple[str, ...], Event]]:
        return [(tuple(f" {fold(person)} " for person in event.people), event) for event in events]

    def answer(collection: EventCollection, names: list[tuple[tuple[str, ...], Event]]) -> list[EventCollection]:
        found = []
        for name in PEOPLE:
            matches = person_matcher(name)
            found.append(subcollection(collection, tuple([e for padded, e in names if matches(padded)])))
        return found

    return _query_rows(setting, "by_person", ask, prepare, answer, "names folded once")


def date_index_rows(setting: Setting) -> list[Row]:
    found = bench_date_index.rows(setting.events, setting.rounds, min_batch=setting.min_batch)
    if setting.size <= LARGEST_TABLE_COST:  # each call copies every event, outside the timing
        found.append(bench_date_index.table_cost_row(setting.events, setting.rounds, min_batch=setting.min_batch))
    return found


# -- start-up ------------------------------------------------------------------------------------


def _cli_command() -> list[str]:
    script = Path(sys.executable).with_name("rnk-events")
    if script.exists():
        return [str(script), "list"]
    return [sys.executable, "-c", "import sys; from rnk_events.cli import main; sys.exit(main())", "list"]


def cli_rows(rounds: int) -> list[Row]:
    """``rnk-events list`` on the bundled data against a bare ``import rnk_events``, each a new process."""

    def process(command: list[str]) -> Callable[[Any], int]:
        def run(_: Any) -> int:
            return subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True).returncode

        return run

    contenders = [
        Contender("list", process(_cli_command())),
        Contender("import", process([sys.executable, "-c", "import rnk_events"])),
    ]
    result = interleave(contenders, rounds, min_batch=0.0)
    # Counted from the file, not loaded here: the subprocesses are what is measured.
    bundled = importlib.resources.files("rnk_events").joinpath("data/events.json").read_bytes()
    size = len(json.loads(bundled)["events"])
    label = 'python -c "import rnk_events"'
    return [
        timed_row(
            "CLI start-up: rnk-events list", size, label, result, "list", "import", output="bundled data", rounds=rounds
        )
    ]


#: Every sized path, by the name ``--paths`` takes, in the table's order.
PATHS: dict[str, Callable[[Setting], list[Row]]] = {
    "xlsx": xlsx_rows,
    "xlsx-memory": xlsx_memory_rows,
    "ics": ics_rows,
    "json": json_rows,
    "timelinejs": timelinejs_rows,
    "html": html_rows,
    "csv": csv_rows,
    "load": load_rows,
    "search": search_rows,
    "by_person": by_person_rows,
    "date-index": date_index_rows,
}
