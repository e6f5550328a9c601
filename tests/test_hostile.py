"""Hostile input, generated: every case must end in a clean error or a verified acceptance.

The cases are generated from a fixed seed (so a failure names a case that
replays) over date text, JSON dataset files, ingest text and command lines;
each family's test runs all of its cases and lists every one that ended in a
traceback, a silent acceptance, lost data, a hang or an overlong message.
``python -m tests.test_hostile`` prints the counts per family and outcome.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import hashlib
import io
import json
import random
import string
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import rnk_events
from rnk_events import DatasetError, DateError, DateSpan, parse_date
from rnk_events.cli import main as cli_main
from rnk_events.formats import FORMATS
from rnk_events.ingest import ingest_text
from rnk_events.merge import merge
from rnk_events.relative import resolve_relative
from tests.hostile import Case, Outcome, run_case
from tests.hostile_workbooks import xlsx_cases

SEED = 20240617
BUNDLED = Path(rnk_events.__file__).parent / "data" / "events.json"

# --- dates ---------------------------------------------------------------------------------------

_DATE_PIECES = [
    "2024", "05", "16", "-", "/", "..", "[", "]", ",", "?", "~", "%", "X", "XX", "21", "24", "25", "13", "00",
    "May", "Sept.", " ", "c.", "about", "since", "until", "or", "and", "between", "one day", "the", "1950s",
    "spring", "winter", "Y", "10000", "0000", "２０２４", "\u200b", "\x00", "–", "to",
]  # fmt: skip


def _digest(text: str | bytes) -> str:
    """A short stand-in for a large generated input, to count distinct inputs."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text).hexdigest()


def _date_round_trips(date: Any) -> bool:
    return isinstance(date, DateSpan) and DateSpan.parse(str(date)) == date and parse_date(date.display()) == date


def date_cases(count: int = 400) -> Iterator[Case]:
    generator = random.Random(SEED)
    for number in range(count):
        text = "".join(generator.choice(_DATE_PIECES) for _ in range(generator.randint(1, 9)))
        yield Case(
            f"date {number}: {text!r}",
            functools.partial(parse_date, text),
            "either",
            (DateError,),
            _date_round_trips,
            key=f"date {text!r}",
        )
    valid = [
        "2024-05-16",
        "2024-05~",
        "195X",
        "2024-21",
        "2023-09/..",
        "[2024-06-10..2024-06-16]",
        "May 16 or 17, 2024",
    ]
    for number in range(count // 2):
        characters = list(generator.choice(valid))
        position = generator.randrange(len(characters))
        edit = generator.choice(["insert", "delete", "replace"])
        if edit == "delete":
            del characters[position]
        else:
            character = generator.choice("0123456789-/.[],?~%X ")
            characters[position : position + (edit == "replace")] = [character]
        edited = "".join(characters)
        yield Case(
            f"edited date {number}: {edited!r}",
            functools.partial(parse_date, edited),
            "either",
            (DateError,),
            _date_round_trips,
            key=f"date {edited!r}",
        )
    for number, text in enumerate(["9" * 100_000, "[" + ",".join(["2024"] * 5000) + "]", "May " * 50_000 + "2024"]):
        yield Case(f"long date {number}", functools.partial(parse_date, text), "error", (DateError,))
    yield Case("date None", lambda: parse_date(None), "error", (DateError,))  # type: ignore[arg-type]


# --- JSON dataset files -----------------------------------------------------------------------------


def _document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BUNDLED.read_text("utf-8"))
    return data


def _event_field_mutations(generator: random.Random) -> Callable[[dict[str, Any]], None]:
    field = generator.choice(
        ["id", "date", "title", "summary", "category", "status", "actors", "people", "places", "sources", "note"]
    )
    value: object = generator.choice(
        [None, 0, -1, 1.5, True, "", " ", "x" * 100_000, [], {}, [None], ["RUS", "RUS"], "\ud800", "=1+1"]
    )

    def mutate(document: dict[str, Any]) -> None:
        document["events"][generator.randrange(len(document["events"]))][field] = value

    return mutate


def json_cases(tmp: Path, count: int = 120) -> Iterator[Case]:
    generator = random.Random(SEED + 1)
    original = rnk_events.load(BUNDLED)

    def load_text(name: str, text: str | bytes) -> Callable[[], Any]:
        path = tmp / f"{name}.json"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return lambda: rnk_events.load(path)

    for number in range(count):
        document = _document()
        mutate = _event_field_mutations(generator)
        mutate(document)
        text = json.dumps(document)  # ASCII escapes, so a lone surrogate reaches the reader as JSON allows
        # a mutation may by chance write a valid value (e.g. [] people): then nothing else may change
        yield Case(
            f"json field {number}", load_text(f"field-{number}", text), "either", (DatasetError,), key=_digest(text)
        )
    raw = BUNDLED.read_bytes()
    structural = {
        "truncated": raw[: len(raw) // 2],
        "not utf-8": raw.replace(b"Putin", b"Put\xffin", 1),
        "deep nesting": b"[" * 100_000 + b"]" * 100_000,
        "empty": b"",
        "a list": b"[]",
        "null": b"null",
        "NaN": raw.replace(b'"lat": 43.1155', b'"lat": NaN', 1),
        "duplicate ids": json.dumps({**_document(), "events": [_document()["events"][0]] * 2}).encode(),
        "unknown key": json.dumps({**_document(), "colour": "red"}).encode(),
        "huge number": raw.replace(b'"lat": 43.1155', b'"lat": 1' + b"0" * 5000, 1),
    }
    for name, content in structural.items():
        yield Case(f"json {name}", load_text(name.replace(" ", "-"), content), "error", (DatasetError,))
    benign = {"bom": b"\xef\xbb\xbf" + raw, "reindented": json.dumps(_document(), indent=7).encode()}
    for name, content in benign.items():
        yield Case(
            f"json {name}", load_text(name, content), "accept", (DatasetError,), lambda loaded: loaded == original
        )


# --- ingest text --------------------------------------------------------------------------------------


def ingest_cases(count: int = 60) -> Iterator[Case]:
    generator = random.Random(SEED + 2)
    headings = ["July, 2000", "Sept. 13, 2023", "May 16-17, 2024", "2024-06", "Febtember 3, 2020", "June 31, 2024", ""]
    for number in range(count):
        lines = []
        for _ in range(generator.randint(0, 12)):
            kind = generator.random()
            if kind < 0.3:
                lines.append(generator.choice(headings))
            elif kind < 0.8:
                lines.append(
                    " ".join(generator.choice(string.ascii_letters) * generator.randint(1, 9) for _ in range(8))
                )
            else:
                lines.append(generator.choice(["\x00", "\u2028", "Mr. A. B. C. D. " * 2000, "\t", "-" * 5000]))
        text = "\n".join(lines)

        def run(text: str = text) -> Any:
            return ingest_text(text, published=dt.date(2024, 6, 17), source="wire")

        yield Case(f"ingest {number}", run, "either", (DatasetError, ValueError), key=_digest(text))
    yield Case(
        "ingest one long paragraph",
        lambda: ingest_text("July, 2000\n\n" + "Mr. Kim said. " * 20_000, published=dt.date(2024, 6, 17), source="w"),
        "either",
        (DatasetError, ValueError),
    )


# --- command lines -------------------------------------------------------------------------------------

_ARGUMENTS = [
    "list", "show", "export", "validate", "ingest", "diff", "--from", "--to", "--certain", "--known-within", "0", "1",
    "--actor", "rus", "XXX", "--person", "", "--format", "json", "csv", "yaml", "-o", "-", "--stamp", "2200-01-01",
    "0001-01-01T00:00:00+01:00", "yesterday", "--data", "missing.json", "--all", "--search", "\x00", "--help",
    "bundled", "2024-13", "[2024-05-17,2024-05-16]", "--refresh", "P", "PT0M", "ics", "xlsx", "--category", "SUMMIT",
]  # fmt: skip


def _cli(arguments: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(arguments)
    return code, err.getvalue()


def _clean_exit(result: tuple[int, str]) -> bool:
    code, err = result
    errors = [line for line in err.splitlines() if "error:" in line]
    return code in (0, 1, 2) and "internal error" not in err and "Traceback" not in err and len(errors) <= 1


def cli_cases(tmp: Path, count: int = 150) -> Iterator[Case]:
    generator = random.Random(SEED + 3)
    for number in range(count):
        arguments = [generator.choice(_ARGUMENTS) for _ in range(generator.randint(1, 6))]
        arguments = [
            str(tmp / "out.json") if argument == "-o" and generator.random() < 0.5 else argument
            for argument in arguments
        ]
        yield Case(
            f"cli {number}: {arguments}",
            functools.partial(_cli, arguments),
            "either",
            (SystemExit,),
            _clean_exit,
            key=f"cli {arguments}",
        )


# --- CSV: a wide header, and the leading apostrophe that guards formulas ---------------------------------

_CELL_STARTS = ["'", "''", "'''", "'=", "=", "+", "-", "@", "'+", "'@", "'Friendly' ", "'\t'"]


def _csv_round_trip(collection: rnk_events.EventCollection) -> rnk_events.EventCollection:
    stream = io.BytesIO()
    rnk_events.export(collection, "csv", stream)
    return rnk_events.load(io.BytesIO(stream.getvalue()), format="csv")


def _same_events(expected: rnk_events.EventCollection, got: Any) -> bool:
    return isinstance(got, rnk_events.EventCollection) and list(got) == list(expected)


def csv_cases(tmp: Path, count: int = 40) -> Iterator[Case]:
    generator = random.Random(SEED + 5)
    events = rnk_events.load().by_actor("KOR")
    exported = io.BytesIO()
    rnk_events.export(events, "csv", exported)
    header, _, body = exported.getvalue().decode("utf-8-sig").partition("\r\n")

    def load_csv(name: str, content: str) -> Callable[[], Any]:
        path = tmp / f"{name}.csv"
        path.write_bytes(content.encode("utf-8"))
        return lambda: rnk_events.load(path)

    for width in (1_001, 40_000):
        wide = header + "".join(f",extra{column}" for column in range(width)) + "\r\n"
        yield Case(
            f"csv header {width} columns wider", load_csv(f"wide-{width}", wide + body), "error", (DatasetError,)
        )
    yield Case(
        "csv header of 40,000 ids", load_csv("ids", ",".join(["id"] * 40_000) + "\r\n"), "error", (DatasetError,)
    )
    for number in range(count):
        field = generator.choice(["title", "summary", "note"])
        start = generator.choice(_CELL_STARTS)
        event = generator.choice(list(events))
        changed = attrs.evolve(event, **{field: start + getattr(event, field)})
        edited = rnk_events.EventCollection([changed if item.id == event.id else item for item in events], events.info)
        yield Case(
            f"csv {field} starting {start!r} {number}",
            functools.partial(_csv_round_trip, edited),
            "accept",
            (DatasetError,),
            functools.partial(_same_events, edited),
            key=f"csv {field} {start!r} {event.id}",
        )
    first, _, rest = body.partition("\r\n")
    for field in ("id", "date", "category", "status", "actors"):
        cells = next(csv.reader([first]))
        cells[header.split(",").index(field)] = "'" + cells[header.split(",").index(field)]
        line = ",".join('"' + cell.replace('"', '""') + '"' for cell in cells)
        content = header + "\r\n" + line + "\r\n" + rest
        yield Case(
            f"csv {field} with a leading apostrophe", load_csv(f"apostrophe-{field}", content), "error", (DatasetError,)
        )


# --- running the families ------------------------------------------------------------------------------


def _failures(cases: Iterator[Case]) -> tuple[list[Outcome], Counter[str]]:
    outcomes = [run_case(case) for case in cases]
    return [outcome for outcome in outcomes if not outcome.ok], Counter(outcome.kind for outcome in outcomes)


def _report(failures: list[Outcome]) -> str:
    return "\n".join(f"{outcome.kind}: {outcome.case}: {outcome.detail}" for outcome in failures[:20])


def test_date_text(tmp_path: Path) -> None:
    failures, counts = _failures(date_cases())
    assert not failures, _report(failures)
    assert counts["clean error"] > 100  # the generator does reach the refusals, not only good dates
    assert counts["accepted"] > 30


def test_json_files(tmp_path: Path) -> None:
    failures, counts = _failures(json_cases(tmp_path))
    assert not failures, _report(failures)
    assert counts["clean error"] > 60


def test_ingest_text() -> None:
    failures, _counts = _failures(ingest_cases())
    assert not failures, _report(failures)


def test_command_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "100")
    failures, _counts = _failures(cli_cases(tmp_path))
    assert not failures, _report(failures)


def test_workbooks(tmp_path: Path) -> None:
    failures, counts = _failures(xlsx_cases(tmp_path))
    assert not failures, _report(failures)
    assert counts["clean error"] > 80


def test_csv_files(tmp_path: Path) -> None:
    failures, counts = _failures(csv_cases(tmp_path))
    assert not failures, _report(failures)
    assert counts["accepted"] == 40


# --- the issue's own reproductions (issue 13, items 6 and 7) ----------------------------------------------

_WRONG_TYPES: list[tuple[str, Callable[[rnk_events.EventCollection], object], type[Exception]]] = [
    ("search(None)", lambda events: events.search(None), TypeError),  # type: ignore[arg-type]
    ("by_person(5)", lambda events: events.by_person(5), TypeError),  # type: ignore[arg-type]
    ("merge(list, drafts)", lambda events: merge(list(events), events), TypeError),  # type: ignore[arg-type]
    ("last month of year 1", lambda _events: resolve_relative("last month", dt.date(1, 1, 1)), DateError),
]


@pytest.mark.parametrize(
    ("call", "error"), [(call, error) for _, call, error in _WRONG_TYPES], ids=[name for name, *_ in _WRONG_TYPES]
)
def test_the_api_raises_the_documented_types(
    call: Callable[[rnk_events.EventCollection], object], error: type[Exception]
) -> None:
    with pytest.raises(error) as raised:
        call(rnk_events.load())
    assert type(raised.value) is error or isinstance(raised.value, error)
    assert len(str(raised.value)) < 300


@pytest.mark.parametrize(
    ("name", "stamp"),
    [(name, stamp) for name in FORMATS if FORMATS[name].option("stamp") for stamp in
     ("2200-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "1979-12-31T23:59:59Z")],
)  # fmt: skip
def test_a_stamp_at_the_calendars_edges_is_written_or_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, stamp: str
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    target = tmp_path / ("out" + FORMATS[name].extensions[0])
    code, err = _cli(["export", name, "--stamp", stamp, "-o", str(target)])
    assert "Traceback" not in err
    assert "internal error" not in err
    if code == 0:
        assert target.stat().st_size > 0
    else:
        assert code in (1, 2)
        assert len([line for line in err.splitlines() if "error:" in line]) == 1, err
        assert "stamp" in err
        assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_a_ten_megabyte_id_is_echoed_in_about_80_characters(tmp_path: Path) -> None:
    document = _document()
    document["events"][0]["id"] = "x" * 10_000_000
    path = tmp_path / "huge-id.json"
    path.write_text(json.dumps(document), "utf-8")
    with pytest.raises(DatasetError) as raised:
        rnk_events.load(path)
    message = str(raised.value)
    assert len(message) - len(str(path)) < 400, f"{len(message):,} characters"  # the id cut twice, not 20 MB
    assert "10,000,000 characters" in message
    code, err = _cli(["validate", str(path)])
    assert code != 0
    assert len(err) < 1_000
    assert err.count("xxxxxxxxxx") <= 2  # the value at most once per line, cut short


def main() -> None:
    """Print the outcome counts per family (for the closing note)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        families: dict[str, Iterator[Case]] = {
            "dates": date_cases(),
            "json": json_cases(tmp),
            "ingest": ingest_cases(),
            "cli": cli_cases(tmp),
            "xlsx": xlsx_cases(tmp),
            "csv": csv_cases(tmp),
        }
        total: Counter[str] = Counter()
        inputs: set[str] = set()
        for name, cases in families.items():
            generated = list(cases)
            _failures_found, counts = _failures(iter(generated))
            total += counts
            distinct = {case.input_key for case in generated}
            inputs |= {f"{name} {key}" for key in distinct}
            outcomes = ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items()))
            print(f"{name:8} {len(distinct):4} distinct inputs, {len(generated):4} runs: {outcomes}")
        outcomes = ", ".join(f"{kind} {count}" for kind, count in sorted(total.items()))
        print(f"{'all':8} {len(inputs):4} distinct inputs, {sum(total.values()):4} runs: {outcomes}")


if __name__ == "__main__":
    main()
