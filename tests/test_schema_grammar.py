"""The schemas' date pattern is the grammar: accepted exactly when the parser accepts, by every reader of it.

The JSON Schema's ``date`` and the data package's ``date`` field carry one
regular expression (:data:`rnk_events.formats.json.EDTF_PATTERN`). The oracle is
the parser, :meth:`DateSpan.parse`: for valid dates of the whole grammar, their
near misses and random strings of EDTF's characters, the schema accepts a text
if and only if the parser does, with one stated exception. The parser also
refuses what needs two dates *compared* (an interval whose end is before its
start or whose ends cover the same days, set members out of order or
overlapping), which a regular expression, reading one character at a time,
cannot do; :func:`refused_only_for_order` finds those texts from their parts,
independently of the parser's whole-text checks, and the schema must accept
exactly them beyond what the parser accepts.

The calendar is checked against the standard library (``datetime.date``,
``calendar.isleap``), not against the parser. And the one pattern is read by
four engines: Python's ``re`` (as the jsonschema package uses it), frictionless
(which wraps it in ``^...$``), ECMA-262 in node (JSON Schema's dialect) and the
JDK's XML Schema validator (Table Schema's dialect).
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import importlib.resources
import itertools
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import frictionless
import jsonschema
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rnk_events.dates import DateError, DateSpan, PartialDate, Qualifier
from rnk_events.formats import datapackage as datapackage_format
from rnk_events.formats.json import EDTF_PATTERN, PATTERN_CANNOT_REFUSE
from rnk_events.model import DatasetInfo
from tests.conftest import ROOT, skip_or_fail
from tests.edtf_strategies import edtf_dates, partial_dates

SCHEMA: dict[str, Any] = json.loads(
    importlib.resources.files("rnk_events").joinpath("schema/events.schema.json").read_text("utf-8")
)
#: The schema's date definition on its own, as jsonschema applies it to each event's ``date``.
DATE_SCHEMA = jsonschema.Draft202012Validator(SCHEMA["$defs"]["edtf"])
DATE_FIELD = next(
    field
    for field in datapackage_format.descriptor(DatasetInfo(), b"", b"")["resources"][0]["schema"]["fields"]
    if field["name"] == "date"
)

#: EDTF's characters, and a few that people type instead (spaces, a lower-case x, Y, +, braces, a line feed).
ALPHABET = "0123456789X-/.[],?~%"
NOISE = ALPHABET + " x Y+{}:T\n٢"


def schema_accepts(text: str) -> bool:
    return bool(DATE_SCHEMA.is_valid(text))


def parser_accepts(text: str) -> bool:
    try:
        DateSpan.parse(text)
    except DateError:
        return False
    return True


def refused_only_for_order(text: str) -> bool:
    """Whether the text is of the grammar's shape, each date in it valid, and only their order is wrong.

    The structure is read here, each date with :meth:`PartialDate.parse` on its
    own; the rules are the grammar's: an interval's end may not begin before its
    start begins nor finish before it finishes, nor cover the same days; a set's
    members (each a date or a run ``first..last``) are strictly ascending
    without overlap.
    """
    try:
        if text.startswith("[") and text.endswith("]"):
            members = []
            for item in text[1:-1].split(","):
                first, dots, last = item.partition("..")
                dates = [PartialDate.parse(first), *([PartialDate.parse(last)] if dots else [])]
                if any(date.qualifier is not Qualifier.NONE for date in dates):
                    return False
                members.append(dates)
            if len(members) == 1 and len(members[0]) == 1:
                return False  # a set of one date: the pattern refuses that itself
            reversed_run = any(len(dates) == 2 and not dates[0].last_day < dates[1].first_day for dates in members)
            out_of_order = any(not a[-1].last_day < b[0].first_day for a, b in itertools.pairwise(members))
            return reversed_run or out_of_order
        start_text, slash, end_text = text.partition("/")
        if not slash:
            return False
        start, end = PartialDate.parse(start_text), PartialDate.parse(end_text)
    except DateError:
        return False
    same_days = (start.first_day, start.last_day) == (end.first_day, end.last_day)
    return same_days or end.first_day < start.first_day or end.last_day < start.last_day


def check(text: str) -> None:
    """The equivalence, for one text."""
    parsed, by_order = parser_accepts(text), refused_only_for_order(text)
    assert not (parsed and by_order), text
    assert schema_accepts(text) == (parsed or by_order), (text, parsed, by_order)
    if by_order:  # and the parser's own reason is about order, as the docs say
        with pytest.raises(DateError, match=r"reversed|equal ends|ascending order|overlaps"):
            DateSpan.parse(text)


# --- one pattern, in both schemas -------------------------------------------------------------------


def test_both_schemas_carry_the_one_pattern() -> None:
    assert SCHEMA["$defs"]["edtf"]["pattern"] == f"^{EDTF_PATTERN}$"
    assert SCHEMA["$defs"]["event"]["properties"]["date"] == {"$ref": "#/$defs/edtf"}
    assert DATE_FIELD["constraints"] == {"required": True, "pattern": EDTF_PATTERN}
    assert "(?" not in EDTF_PATTERN  # XML Schema has no (?:...) groups nor lookarounds
    assert "\\d" not in EDTF_PATTERN  # \d is any Unicode digit in Python and XML Schema
    assert not EDTF_PATTERN.startswith("^")  # XML Schema has no anchors: a pattern matches the whole text
    assert len(PATTERN_CANNOT_REFUSE) == 4


# --- a hand-checked table ---------------------------------------------------------------------------

ACCEPTED = [
    "2024", "2024-05", "2024-05-16", "0001", "9999-12-31", "2024-02-29", "2000-02-29", "0004-02-29", "0400-02-29",
    "2024-05~", "2024?", "2024-05-10%", "195X", "19XX", "000X", "00XX", "2024-XX", "2024-05-XX", "2024-XX-XX",
    "2024-21", "2024-24?", "2024-05~/2024-06-17", "2023-09/..", "../2024-06", "2023-09/", "/2024-06",
    "195X~/2024-XX?", "[2024-06-10..2024-06-16]", "[2024-05-16,2024-05-17]", "[2024-05-16,2024-06-10..2024-06-16]",
    "[2019,2020,2021]", "[195X,2024-21]", "[2024-01..2024-06-17]",
]  # fmt: skip
REFUSED = [
    # the calendar
    "2023-02-29", "1900-02-29", "2100-02-29", "0000", "0000-01-01", "2024-04-31", "2024-13", "2024-00", "2024-05-00",
    "2024-05-32", "2024-20", "2024-25", "2024-41",
    # the shape
    "", "24", "202", "20240", "10000", "+2024", "-2024", "Y12024", "2024-5", "2024-05-1", "2024/05/16", "16/05/2024",
    "2024 ", " 2024", "2024\n", "2024-05-16T10:00", "May 2024", "٢٠٢٤",
    # qualifiers and X
    "2024~~", "2024?~", "?2024", "2024-~05", "20X4", "2XXX", "195x", "195X-05", "2024-XX-15", "2024-21-XX",
    "2024-21-01",
    # intervals and sets
    "../..", "/", "../", "/..", "2024/2025/2026", "..", "[2024]", "[]", "[2024,]", "[,2024]", "[2024~,2025]",
    "[2024,2025?]", "[..2024]", "[2024..]", "[2024..2025..2026]", "{2024,2025}", "[2024/2025]", "2024,2025",
    "[2024-06-10..2024-06-16", "2024-06-10..2024-06-16", "[2024],[2025]", "..2024", "2024..", "2024/...",
    ".../2024", "[20242025]", "[2024,,2025]", "[2024..2025,]", "2024//2025", "[2024-01..2024-06-17]/2025",
]  # fmt: skip
#: Refused by the parser, accepted by the pattern: each needs two dates compared (PATTERN_CANNOT_REFUSE).
ORDER_ONLY = [
    "2024-06/2024-05", "2024-05/2024-05", "2024-05/2024-05~", "2024-05-01/2024-05-01", "2024/2024-01",
    "[2024-06,2024-05]", "[2024,2024-05]", "[2024-06..2024-05]", "[2024-05..2024-05-31]", "[2024,2024]",
]  # fmt: skip


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepted(text: str) -> None:
    assert parser_accepts(text)
    assert schema_accepts(text)


@pytest.mark.parametrize("text", REFUSED)
def test_refused(text: str) -> None:
    assert not parser_accepts(text)
    assert not schema_accepts(text)


@pytest.mark.parametrize("text", ORDER_ONLY)
def test_order_is_the_parsers_to_refuse(text: str) -> None:
    assert refused_only_for_order(text)
    assert not parser_accepts(text)
    assert schema_accepts(text)
    check(text)


# --- the calendar, against the standard library ---------------------------------------------------------

YEARS = [0, 1, 4, 100, 400, 1582, 1900, 2000, 2023, 2024, 2100, 9996, 9999]


def real_day(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("year", YEARS)
def test_every_day_of_the_year_and_none_else(year: int) -> None:
    for month, day in itertools.product(range(0, 15), range(0, 33)):
        text = f"{year:04d}-{month:02d}-{day:02d}"
        assert schema_accepts(text) == real_day(year, month, day), text


def test_29_february_in_leap_years_only() -> None:
    leap = [year for year in range(0, 10_000) if calendar.isleap(year) and year > 0]  # there is no year 0000
    assert [year for year in range(0, 10_000) if schema_accepts(f"{year:04d}-02-29")] == leap


@pytest.mark.parametrize("year", YEARS)
def test_months_and_seasons(year: int) -> None:
    for code in range(0, 100):
        text = f"{year:04d}-{code:02d}"
        assert schema_accepts(text) == (year > 0 and (1 <= code <= 12 or 21 <= code <= 24)), text


def test_every_four_character_year() -> None:
    for text in ("".join(chars) for chars in itertools.product("09X", repeat=4)):
        shape = re.fullmatch(r"[0-9]{4}|[0-9]{3}X|[0-9]{2}XX", text)
        assert schema_accepts(text) == bool(shape and text != "0000"), text
        check(text)


# --- the equivalence, over the whole grammar and its near misses -----------------------------------


@st.composite
def near_misses(draw: st.DrawFn) -> str:
    """A valid date with one to three small edits: a character put in, taken out, changed or moved."""
    text = str(draw(edtf_dates()))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "replace", "digit", "swap", "repeat"]))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(NOISE)) + text[at:]
        elif kind == "repeat":  # a stretch written twice: doubled qualifiers, "....", two dates run together
            end = draw(st.integers(at, len(text)))
            text = text[:end] + text[at:end] + text[end:]
        elif text and kind in ("delete", "replace", "digit"):
            at = min(at, len(text) - 1)
            if kind == "delete":
                new = ""
            elif kind == "replace":
                new = draw(st.sampled_from(NOISE))
            else:  # another digit: the calendar's near misses (2024-02-30, 2024-13, 0000)
                new = draw(st.sampled_from("0123456789")) if text[at].isdigit() else text[at]
            text = text[:at] + new + text[at + 1 :]
        elif len(text) > 1:
            at = min(at, len(text) - 2)
            text = text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    return text


def _joined(first: PartialDate, second: PartialDate, form: str) -> str:
    if form.startswith("["):  # set members carry no qualifier: keep these near misses about order
        first, second = first.unqualified(), second.unqualified()
    return form.format(first, second)


#: Two dates joined as an interval or a set in any order: reversed, equal and overlapping ones included.
pairs = st.builds(_joined, partial_dates(), partial_dates(), st.sampled_from(["{}/{}", "[{},{}]", "[{}..{}]"]))
#: Digits in the grammar's places, anywhere from 0 to 99 and often at the calendar's edges:
#: month ends, 29 February, years by 4, 100 and 400, the year 0000, months 0 and 13, seasons 20 and 25.
shapes = st.builds(
    lambda year, month, day, form: form.format(year=year, month=month, day=day),
    st.one_of(st.integers(0, 9999), st.sampled_from([0, 1, 4, 100, 400, 1900, 2000, 2023, 2024, 2100, 9999])),
    st.one_of(st.integers(0, 99), st.sampled_from([0, 2, 4, 12, 13, 20, 21, 24, 25])),
    st.one_of(st.integers(0, 99), st.sampled_from([0, 1, 28, 29, 30, 31, 32])),
    st.sampled_from(["{year:04d}-{month:02d}-{day:02d}", "{year:04d}-{month:02d}", "{year:04d}-{month:02d}-XX"]),
)
candidates = st.one_of(
    edtf_dates().map(str),
    near_misses(),
    pairs,
    shapes,
    st.text(alphabet=ALPHABET, max_size=30),
    st.text(alphabet=NOISE, max_size=12),
)


@given(edtf_dates())
def test_every_date_of_the_grammar_is_accepted(date: DateSpan) -> None:
    assert schema_accepts(str(date))


@given(candidates)
@example("2024\n")
@example("[2024-05-16,2024-05-16]")
def test_the_schema_accepts_what_the_parser_accepts(text: str) -> None:
    check(text)


@given(near_misses())
def test_near_misses(text: str) -> None:
    check(text)


@given(pairs)
def test_pairs_in_any_order(text: str) -> None:
    check(text)


@given(shapes)
def test_calendar_near_misses(text: str) -> None:
    check(text)


def test_the_whole_document_refuses_a_bad_date() -> None:
    """Through the event's $ref, as a user's validator meets it."""
    validator = jsonschema.Draft202012Validator(SCHEMA)
    document = {
        "dataset": "d", "title": "t", "version": "1", "as_of": None, "sources": [],
        "events": [
            {"id": "a", "date": date, "title": "t", "summary": "s", "category": "summit", "status": "happened",
             "actors": [], "sources": [{"source": "s", "evidence": "e"}]}
            for date in ("2024-02-29", "2023-02-29", "2024\n")
        ],
    }  # fmt: skip
    failing = sorted(error.path[1] for error in validator.iter_errors(document))
    assert failing == [1, 2]


# --- other readers of the same pattern ------------------------------------------------------------------


def python_fullmatch(text: str) -> bool:
    return re.fullmatch(EDTF_PATTERN, text) is not None


def frictionless_accepts(texts: list[str], folder: Path) -> list[bool]:
    """Each text as a cell of a table whose ``date`` field is the data package's, as frictionless judges it."""
    with (folder / "dates.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(["n", "date"])
        writer.writerows([str(number), text] for number, text in enumerate(texts))  # n: no row is blank
    descriptor = {
        "name": "dates",
        "path": "dates.csv",
        "profile": "tabular-data-resource",
        "schema": {"fields": [{"name": "n", "type": "integer"}, DATE_FIELD], "missingValues": [""]},
    }
    (folder / "dates.resource.json").write_text(json.dumps(descriptor), "utf-8")
    report = frictionless.validate(str(folder / "dates.resource.json"))
    failing = {row for row, kind in report.flatten(["rowNumber", "type"]) if kind == "constraint-error"}
    assert {kind for _row, kind in report.flatten(["rowNumber", "type"])} <= {"constraint-error"}
    return [number + 2 not in failing for number in range(len(texts))]  # row 1 is the header


@settings(max_examples=20)
@given(st.lists(candidates.filter(lambda text: not text.endswith("\n")), min_size=1, max_size=60))
def test_frictionless_reads_the_pattern_as_python_does(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:  # one per example: tmp_path is one per test
        assert frictionless_accepts(texts, Path(folder)) == [python_fullmatch(text) for text in texts]


def test_frictionless_lets_one_final_line_feed_through(tmp_path: Path) -> None:
    """A known gap, documented: frictionless matches ``^pattern$`` with Python's ``$``, which also matches
    before a final line feed; XML Schema, ECMA-262 and the library's reader refuse ``2024\\n``."""
    assert frictionless_accepts(["2024\n", "2024\n\n", "2024-02-30\n"], tmp_path) == [True, False, False]
    assert not parser_accepts("2024\n")


#: Texts for the other engines: a fixed sample of every kind, the same on every run.
SAMPLE = sorted(
    {*ACCEPTED, *REFUSED, *ORDER_ONLY, "2024\n", "\n2024", "2024\r", "ab2024", "2024ab"}
    | {f"{year:04d}-02-{day:02d}" for year in YEARS for day in (28, 29, 30)}
    | {f"{year:04d}-{month:02d}-31" for year in (2023, 2024) for month in range(0, 14)}
    | {f"{text}/{other}" for text, other in itertools.product(["2024", "2024-05~", "..", "", "195X"], repeat=2)}
)


def test_node_reads_the_json_schema_pattern_as_python_does() -> None:
    """ECMA-262, JSON Schema's dialect, with the u flag: node's RegExp on the schema's anchored pattern."""
    node = shutil.which("node")
    if node is None:
        skip_or_fail("RNK_EVENTS_REQUIRE_BROWSER", "node is not installed")
        return
    script = (
        "const {pattern, texts} = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "const regexp = new RegExp(pattern, 'u');"
        "process.stdout.write(JSON.stringify(texts.map((text) => regexp.test(text))));"
    )
    texts = list(SAMPLE)
    request = json.dumps({"pattern": SCHEMA["$defs"]["edtf"]["pattern"], "texts": texts})
    result = subprocess.run(
        [node, "-e", script], input=request, capture_output=True, text=True, encoding="utf-8", timeout=60, check=True
    )
    assert json.loads(result.stdout) == [python_fullmatch(text) for text in texts]
    assert [schema_accepts(text) for text in texts] == [python_fullmatch(text) for text in texts]


def test_xml_schema_reads_the_table_schema_pattern_as_python_does() -> None:
    """XML Schema, Table Schema's dialect: the JDK's validator (tests/java/XsdPattern.java)."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not installed (the JDK's XML Schema validator reads the pattern)")
    texts = list(SAMPLE)
    lines = [DATE_FIELD["constraints"]["pattern"], *texts]
    request = "".join(line.encode("utf-8").hex() + "\n" for line in lines)
    result = subprocess.run(
        [java, str(ROOT / "tests" / "java" / "XsdPattern.java")],
        input=request,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=True,
    )
    assert [flag == "1" for flag in result.stdout.split()] == [python_fullmatch(text) for text in texts]
