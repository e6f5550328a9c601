"""Hostile workbooks: the Events sheet of a real export, edited the way other tools or an attacker write it.

Row numbers that repeat, are 0, negative or go backwards; formula cells
without a cached value; error cells; merged ranges; shared-string indexes out
of range; a shared string or a header far too big. Whatever would lose a
value must be refused with a clean error; a blank row or cells without
references must load to the same events. Each file then goes through
``rnk-events validate`` too: one error line and exit 1 for a bad file, exit 0
for a good one, never a traceback. Used by ``tests/test_hostile.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import io
import operator
import random
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import rnk_events
from rnk_events import DatasetError
from rnk_events.cli import main as cli_main
from rnk_events.formats import xlsx as xlsx_format
from tests.hostile import Case

__all__ = ["validate", "validated", "wide_header_workbook", "xlsx_cases"]

SEED = 20240617  # the suite's seed (tests/test_hostile.py), so the cases are the same wherever they live


_SHEET = "xl/worksheets/sheet1.xml"  # the Events sheet: the first in the workbook
_SHARED = "xl/sharedStrings.xml"
_SHARED_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SHARED_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_XLSX_STAMP = dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)


def _parts(events: rnk_events.EventCollection) -> dict[str, bytes]:
    stream = io.BytesIO()
    rnk_events.export(events, "xlsx", stream, stamp=_XLSX_STAMP)
    with zipfile.ZipFile(stream) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zipped(parts: dict[str, bytes]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return stream.getvalue()


def _columns(sheet: str) -> dict[str, str]:
    """Field name to column letter, from the header row."""
    return {field: letter for letter, field in re.findall(r'<c r="([A-Z]+)1"[^>]*><is><t>(\w+)</t>', sheet)}


def _set_cell(sheet: str, reference: str, replacement: str) -> str:
    """Replace a cell, or add it at the end of its row where the export left it out (an empty last cell)."""
    edited, count = re.subn(rf'<c r="{reference}"(?: [^>]*?)?(?:/>|>.*?</c>)', replacement, sheet, count=1)
    if count:
        return edited
    row = re.sub(r"^[A-Z]+", "", reference)
    end = sheet.index("</row>", sheet.index(f'<row r="{row}"'))
    return sheet[:end] + replacement + sheet[end:]


def _renumber(sheet: str, row: int, number: str, cells_too: bool) -> str:
    """Give row ``row`` the number ``number``: in its ``<row r>`` only, or in its cells' references too."""
    start = sheet.index(f'<row r="{row}"')
    end = sheet.index("</row>", start)
    body = sheet[start:end].replace(f'<row r="{row}"', f'<row r="{number}"', 1)
    if cells_too:
        body = re.sub(rf'(<c r="[A-Z]+){row}"', rf'\g<1>{number}"', body)
    return sheet[:start] + body + sheet[end:]


def _with_shared_strings(parts: dict[str, bytes], strings: bytes, count: int) -> dict[str, bytes]:
    table = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
    override = f'<Override PartName="/{_SHARED}" ContentType="{_SHARED_TYPE}" /></Types>'
    relationship = f'<Relationship Type="{_SHARED_REL}" Target="sharedStrings.xml" Id="rIdShared" /></Relationships>'
    return {
        **parts,
        _SHARED: table % (count, count) + strings + b"</sst>",
        "[Content_Types].xml": parts["[Content_Types].xml"].replace(b"</Types>", override.encode()),
        "xl/_rels/workbook.xml.rels": parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>", relationship.encode()
        ),
    }


def _wide_header(sheet: str, extra_columns: int) -> str:
    """The sheet with ``extra_columns`` more header cells, without references (as some generators write them)."""
    extra = "".join(f'<c t="inlineStr"><is><t>extra{column}</t></is></c>' for column in range(extra_columns))
    return sheet.replace("</row>", extra + "</row>", 1)


def wide_header_workbook(extra_columns: int) -> bytes:
    """An export of seven events whose Events header has ``extra_columns`` more columns."""
    parts = _parts(rnk_events.load().by_actor("KOR"))
    return _zipped({**parts, _SHEET: _wide_header(parts[_SHEET].decode(), extra_columns).encode()})


def _as_shared_strings(sheet: str) -> tuple[str, bytes, int]:
    """The sheet with each inline string moved to a shared-string table: the sheet, the table's items, their count."""
    table: list[str] = []

    def share(match: re.Match[str]) -> str:
        table.append(match.group(3))
        return f'<c {match.group(1)}{match.group(2)}t="s"><v>{len(table) - 1}</v></c>'

    pattern = r'<c ([^>]*?)(\s?)t="inlineStr"[^>]*><is>(<t[^>]*>.*?</t>)</is></c>'
    shared = re.sub(pattern, share, sheet)
    return shared, "".join(f"<si>{text}</si>" for text in table).encode(), len(table)


def _merged(sheet: str, reference: str) -> str:
    merge = f'<mergeCells count="1"><mergeCell ref="{reference}" /></mergeCells>'
    return sheet.replace("</sheetData>", "</sheetData>" + merge, 1)


def _cell_faults(reference: str) -> list[tuple[str, str]]:
    return [
        ("formula without a value", f'<c r="{reference}" t="str"><f>CONCATENATE("a","b")</f></c>'),
        ("formula without a value", f'<c r="{reference}"><f>1+1</f></c>'),
        ("formula with a cached value", f'<c r="{reference}" t="str"><f>A1</f><v>id</v></c>'),
        ("shared formula", f'<c r="{reference}"><f t="shared" si="0"/></c>'),
        ("error value", f'<c r="{reference}" t="e"><v>#DIV/0!</v></c>'),
        ("error value", f'<c r="{reference}" t="e"><v>#N/A</v></c>'),
        ("error value", f'<c r="{reference}" t="e"><v>#REF!</v></c>'),
    ]


def validate(path: Path) -> tuple[int, str]:
    """``rnk-events validate PATH``: its exit status and what it wrote on stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(["validate", str(path)])
    return code, err.getvalue() + out.getvalue()


def validated(expect: str, result: tuple[int, str]) -> bool:
    """A bad file fails in one 'error:' line, a good one passes; neither shows a traceback."""
    code, output = result
    if "Traceback" in output or "internal error" in output:
        return False
    if expect == "error":
        return code == 1 and output.count("error:") == 1
    if expect == "accept":
        return code == 0
    return code in (0, 1)


def xlsx_cases(tmp: Path, count: int = 40) -> Iterator[Case]:
    generator = random.Random(SEED + 4)
    events = rnk_events.load().by_actor("KOR")
    parts = _parts(events)
    sheet = parts[_SHEET].decode()
    columns = _columns(sheet)
    assert {"id", "date", "title", "note", "people", "places"} <= columns.keys()
    rows = len(events) + 1  # the header is row 1
    written = tmp / "original.xlsx"
    written.write_bytes(_zipped(parts))
    original = rnk_events.load(written)

    on_the_command_line: list[Case] = []  # each file again through 'rnk-events validate', after the API runs

    def case(name: str, edited: dict[str, bytes], expect: str) -> Case:
        path = tmp / f"{len(on_the_command_line)}-{re.sub(r'[^a-z0-9]+', '-', name.lower())}.xlsx"
        path.write_bytes(_zipped(edited))
        key = hashlib.sha256(b"".join(edited[part] for part in sorted(edited))).hexdigest()
        verify = functools.partial(operator.eq, original)
        check = functools.partial(validated, expect)
        run = functools.partial(validate, path)
        on_the_command_line.append(Case(f"cli validate: {name}", run, "either", (SystemExit,), check, key="cli " + key))
        return Case(f"xlsx {name}", lambda: rnk_events.load(path), expect, (DatasetError,), verify, key=key)

    def with_sheet(text: str) -> dict[str, bytes]:
        return {**parts, _SHEET: text.encode()}

    # row numbers: repeated, 0, negative, backwards, not a number; in the row only or in its cells too
    for number in range(count):
        row = generator.randint(3, rows)
        number_text, kind = generator.choice(
            [(str(row - 1), "repeated"), ("0", "zero"), ("-1", "negative"), (str(-row), "negative"),
             (str(max(1, row - 2)), "backwards"), ("1", "the header's"), ("x", "not a number"), ("2.5", "fractional")]
        )  # fmt: skip
        cells_too = generator.random() < 0.5
        edited = _renumber(sheet, row, number_text, cells_too)
        where = "row and cells" if cells_too else "row only"
        yield case(f"row {row} numbered {number_text} ({kind}, {where}) {number}", with_sheet(edited), "error")
    for row in range(2, rows + 1):  # a gap is a blank row: fine, as long as nothing is lost
        gap = sheet
        for later in range(rows, row - 1, -1):
            gap = _renumber(gap, later, str(later + 5), cells_too=True)
        yield case(f"rows from {row} moved down by 5", with_sheet(gap), "either")
    no_references = re.sub(r'<c r="[A-Z]+\d+"', "<c", sheet)
    yield case("cells without references", with_sheet(no_references), "either")
    yield case("rows and cells without numbers", with_sheet(re.sub(r'<row r="\d+"', "<row", no_references)), "either")

    # formulas, error values and merged ranges in event rows
    for number in range(count):
        field = generator.choice(sorted(columns))
        reference = f"{columns[field]}{generator.randint(2, rows)}"
        kind, cell = generator.choice(_cell_faults(reference))
        yield case(f"{kind} in {field} ({reference}) {number}", with_sheet(_set_cell(sheet, reference, cell)), "error")
    letters = sorted(columns.values(), key=lambda letter: (len(letter), letter))
    for number in range(count // 2):
        column = generator.randrange(len(letters) - 1)
        letter, row = letters[column], generator.randint(2, rows - 1)
        if generator.random() < 0.5:
            span, emptied = f"{letter}{row}:{letter}{row + 1}", f"{letter}{row + 1}"
        else:
            span, emptied = f"{letter}{row}:{letters[column + 1]}{row}", f"{letters[column + 1]}{row}"
        edited = _set_cell(sheet, emptied, f'<c r="{emptied}" />')
        yield case(f"merged {span} {number}", with_sheet(_merged(edited, span)), "error")

    # shared strings: the note of row 2 taken from a table of three strings by its index
    strings = b"<si><t>first</t></si><si><t>second</t></si><si><t>third</t></si>"
    note_cell = f"{columns['note']}2"
    for index in ["-1", "3", "4", "999999", str(2**31), str(2**64), "x", "", "1.5", " 0", "-0"]:
        edited = _set_cell(sheet, note_cell, f'<c r="{note_cell}" t="s"><v>{index}</v></c>')
        yield case(f"shared string index {index!r}", _with_shared_strings(with_sheet(edited), strings, 3), "error")
    title_cell = f"{columns['title']}2"
    title = events[0].title.replace("&", "&amp;").replace("<", "&lt;").encode()
    edited = _set_cell(sheet, title_cell, f'<c r="{title_cell}" t="s"><v>1</v></c>')
    table = b"<si><t>x</t></si><si><t>" + title + b"</t></si>"
    yield case("a title from the shared strings", _with_shared_strings(with_sheet(edited), table, 2), "accept")
    shared_sheet, shared_table, shared_count = _as_shared_strings(sheet)
    yield case(
        "every text cell a shared string, as Excel and LibreOffice save",
        _with_shared_strings(with_sheet(shared_sheet), shared_table, shared_count),
        "accept",
    )
    bomb = b"<si><t>" + b"a" * 40_000_000 + b"</t></si>"  # 40 MB that deflate packs into about 40 KB
    edited = _set_cell(sheet, note_cell, f'<c r="{note_cell}" t="s"><v>0</v></c>')
    yield case("a 40 MB shared string", _with_shared_strings(with_sheet(edited), bomb, 1), "error")
    # one string past the count limit, lowered so the case stays quick (the default, 2,000,000, takes ~5 s to reach)
    tiny = _zipped(_with_shared_strings(with_sheet(edited), b"<si><t>a</t></si>" * 1_001, 1_001))
    yield Case(
        "xlsx 1,001 shared strings where 1,000 are allowed",
        lambda: xlsx_format.read(io.BytesIO(tiny), "tiny.xlsx", max_shared_strings=1_000),
        "error",
        (DatasetError,),
    )

    # a header far too wide: 20,000 more columns, without references
    yield case("a header 20,000 columns wide", with_sheet(_wide_header(sheet, 20_000)), "error")
    yield from on_the_command_line
