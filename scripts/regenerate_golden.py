"""Regenerate tests/golden/: every registered export of the bundled dataset, reproducibly.

    python scripts/regenerate_golden.py            # rewrite tests/golden/
    python scripts/regenerate_golden.py OTHER_DIR  # write somewhere else

Then review ``git diff tests/golden``: a change there is a change users see.

Each format is written as ``events<extension>`` with the options that pin what
would otherwise vary between runs: :data:`PINNED` gives a value per option
name, and a format gets each pinned option its registry entry declares
(``rnk_events.FORMATS[name].options``), so a new format needs no edit here.
Zip-based formats (xlsx, the data package) also get ``events<extension>.txt``,
a text rendering (the workbook's cell values as python-calamine reads them,
not openpyxl which wrote them; the package's member list and text members),
because a diff of zip bytes says nothing (parquet too: its schema, metadata
and rows as pyarrow reads them); tests compare that rendering, and
compare every other format byte for byte. A format whose module
is not written yet, or whose export fails, is skipped with a warning (its old
files stay) and the script exits with status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import io
import json
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
sys.path.insert(0, str(ROOT / "src"))  # the checkout's code, whatever else is installed

import rnk_events  # noqa: E402 - after the path is set
from rnk_events.formats.registry import PARQUET_MEDIA_TYPE, XLSX_MEDIA_TYPE  # noqa: E402

__all__ = [
    "GOLDEN",
    "PINNED",
    "RENDERERS",
    "golden_names",
    "pinned_options",
    "regenerate",
    "render_parquet",
    "render_xlsx",
    "render_zip",
]

#: The bundled dataset's as-of day, used wherever a format would stamp the current time.
AS_OF = dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)

#: Option values that make an export reproducible, by option name; every other option keeps its
#: default (html: the Knight Lab CDN). A format gets those of them that its registry entry declares.
PINNED: dict[str, Any] = {"stamp": AS_OF}


def _cell(value: Any) -> Any:
    """A spreadsheet cell as JSON: text and numbers as themselves, dates tagged so they differ from text."""
    if isinstance(value, (dt.date, dt.time)):
        return {type(value).__name__: value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"timedelta": value.total_seconds()}
    return value


def render_xlsx(data: bytes) -> str:
    """Every sheet, in order, one JSON array per row, as python-calamine reads the cell values."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    lines = []
    for name in workbook.sheet_names:
        lines.append(f"== sheet {name!r}")
        for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False):
            lines.append(json.dumps([_cell(value) for value in row], ensure_ascii=False))
    return "\n".join(lines) + "\n"


def render_zip(data: bytes) -> str:
    """The member list (name, time, method, mode, size, SHA-256), then each text member with LF line ends."""
    lines = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        for entry in entries:
            content = archive.read(entry)
            stamp = dt.datetime(*entry.date_time).isoformat()
            method = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}.get(entry.compress_type, "other")
            lines.append(
                f"{entry.filename}  {stamp}  {method}  {entry.external_attr >> 16:o}  {len(content)} bytes  "
                f"sha256:{hashlib.sha256(content).hexdigest()}"
            )
        for entry in entries:
            try:
                text = archive.read(entry).decode("utf-8")
            except UnicodeDecodeError:
                continue
            lines.append(f"\n== {entry.filename}")
            lines.append(text.replace("\r\n", "\n").rstrip("\n"))
    return "\n".join(lines) + "\n"


def render_parquet(data: bytes) -> str:
    """The Arrow schema, the file's key-value metadata, then one JSON object per row, as pyarrow reads them.

    Only what a reader gets: the bytes also name the pyarrow version that wrote
    them, which a golden file should not pin.
    """
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(data))
    lines = ["== schema", table.schema.remove_metadata().to_string(), "== metadata"]
    for key, value in sorted((table.schema.metadata or {}).items()):
        lines.append(f"{key.decode('utf-8')}: {value.decode('utf-8')}")
    lines.append(f"== {table.num_rows} rows")
    for row in table.to_pylist():
        lines.append(json.dumps({name: _cell(value) for name, value in row.items()}, ensure_ascii=False))
    return "\n".join(lines) + "\n"


#: Media types whose bytes are binary, and how to render them as reviewable text.
RENDERERS: dict[str, Callable[[bytes], str]] = {
    XLSX_MEDIA_TYPE: render_xlsx,
    "application/zip": render_zip,
    PARQUET_MEDIA_TYPE: render_parquet,
}


def golden_names(name: str) -> tuple[str, str | None]:
    """The golden file of a format, and its text rendering (None for formats that are text)."""
    info = rnk_events.FORMATS[name]
    output = f"events{info.extension}"
    return output, (f"{output}.txt" if info.media_type in RENDERERS else None)


def pinned_options(name: str) -> dict[str, Any]:
    """The reproducible options of one format: the :data:`PINNED` values of those it declares."""
    return {option.name: PINNED[option.name] for option in rnk_events.FORMATS[name].options if option.name in PINNED}


def _export(events: rnk_events.EventCollection, name: str, options: dict[str, Any]) -> bytes:
    stream = io.BytesIO()
    rnk_events.export(events, name, stream, **options)
    return stream.getvalue()


def _files(events: rnk_events.EventCollection, name: str, warn: Callable[[str], None]) -> dict[str, bytes]:
    """A format's golden files: its export and, for a zip-based format, the export's text rendering."""
    options = pinned_options(name)
    data = _export(events, name, options)
    output, rendering = golden_names(name)
    if rendering is None:
        data.decode("utf-8")  # a binary format needs an entry in RENDERERS
        files = {output: data}
        again = {output: _export(events, name, options)}
    else:
        render = RENDERERS[rnk_events.FORMATS[name].media_type]
        files = {output: data, rendering: render(data).encode("utf-8")}
        again = {rendering: render(_export(events, name, options)).encode("utf-8")}
    if any(files[key] != value for key, value in again.items()):
        warn(f"WARNING: {name}: not reproducible, two exports differ, so its golden test will fail")
    return files


def regenerate(directory: Path, warn: Callable[[str], None] = print) -> list[str]:
    """Write every available format's golden files into ``directory``; return the formats written.

    A format that fails to export is reported and its files are left as they were.
    """
    directory.mkdir(parents=True, exist_ok=True)
    events = rnk_events.load()
    written = []
    for name, info in rnk_events.FORMATS.items():
        if importlib.util.find_spec(info.module) is None:
            warn(f"WARNING: {name}: skipped, {info.module} does not exist yet")
            continue
        try:
            files = _files(events, name, warn)
        except Exception as error:  # noqa: BLE001 - reported, and the other formats still regenerate
            warn(f"WARNING: {name}: export failed, golden files left as they were: {type(error).__name__}: {error}")
            continue
        for file_name, content in files.items():
            (directory / file_name).write_bytes(content)
        written.append(name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", nargs="?", type=Path, default=GOLDEN, help="where to write (default tests/golden)")
    arguments = parser.parse_args(argv)
    written = regenerate(arguments.directory)
    print(f"wrote {', '.join(written) or 'nothing'} to {arguments.directory}")
    return 0 if len(written) == len(rnk_events.FORMATS) else 1


if __name__ == "__main__":
    sys.exit(main())
