"""Faults while exporting, for every writable format: kill -9, races, a full disk, a read-only folder, odd targets.

``rnk_events.atomic`` promises that ``-o PATH`` touches only the target: it is
replaced whole or not at all, a device or FIFO is written as a stream, and a
symbolic link keeps pointing at its (replaced) target. These tests hold every
registered writable format to that, so a new format gets them for free.

A kill lands mid-write deterministically: the exporting process wraps the
stream its format writes to, writes half of the first chunk, says so on
stdout and sleeps; the test kills it then. The full disk and the read-only
folder are small tmpfs mounts (we run as root in CI); where mounting is not
allowed the tests skip, or fail with ``RNK_EVENTS_REQUIRE_MOUNT=1``.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import threading
import zipfile
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import rnk_events
from rnk_events import FORMATS, EventCollection
from rnk_events.cli import main as cli_main
from tests.conftest import ROOT, skip_or_fail
from tests.killed import PAUSED_FOLDER_EXPORT, SRC, killed_after_first_line

WRITABLE = sorted(name for name, info in FORMATS.items() if info.writes)
STAMP = dt.datetime(2024, 6, 17, 12, 0, tzinfo=dt.timezone.utc)
ACTORS = ("RUS", "PRK", "USA", "KOR")  # four subsets of different sizes: 25, 24, 6 and 7 events
OLD = b"the previous edition, which must survive\n"


def options(name: str) -> dict[str, Any]:
    """A pinned stamp where the format records one, so two exports of one selection are the same bytes."""
    return {"stamp": STAMP} if FORMATS[name].option("stamp") is not None else {}


def file_name(name: str) -> str:
    return "out" + FORMATS[name].extensions[0]


def exported(events: EventCollection, name: str) -> bytes:
    stream = io.BytesIO()
    rnk_events.export(events, name, stream, **options(name))
    return stream.getvalue()


# --- independent readers: is the file valid, whatever wrote it ----------------------------------------


class _StrictHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open_html = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open_html += tag == "html"

    def handle_endtag(self, tag: str) -> None:
        self.open_html -= tag == "html"


def _html_is_whole(data: bytes) -> None:
    parser = _StrictHTML()
    parser.feed(data.decode("utf-8"))
    parser.close()
    assert parser.open_html == 0, "the <html> element is closed"
    assert b"</html>" in data


def _csv_is_whole(data: bytes) -> None:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows
    assert all(len(row) == len(rows[0]) for row in rows), "every row has the header's width"


def _xlsx_is_whole(data: bytes) -> None:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert workbook.sheet_names
    assert all(workbook.get_sheet_by_name(name).to_python() is not None for name in workbook.sheet_names)


def _ics_is_whole(data: bytes) -> None:
    import vobject

    calendar = vobject.readOne(data.decode("utf-8"))
    assert calendar.name == "VCALENDAR"
    assert calendar.contents.get("vevent")


def _json_is_whole(data: bytes) -> None:
    assert json.loads(data)


def _text_is_whole(data: bytes) -> None:
    assert data.decode("utf-8").strip()


def _zip_is_whole(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert archive.namelist()


VALIDATORS: dict[str, Callable[[bytes], None]] = {
    "application/json": _json_is_whole,
    "application/geo+json": _json_is_whole,
    "text/csv": _csv_is_whole,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _xlsx_is_whole,
    "text/calendar": _ics_is_whole,
    "text/html": _html_is_whole,
    "application/zip": _zip_is_whole,
    "text/markdown": _text_is_whole,
}


def check_valid(name: str, data: bytes, path: Path) -> None:
    """Read the file with a reader that is not ours; a format with none known is read back with ``load``."""
    validator = VALIDATORS.get(FORMATS[name].media_type)
    if validator is not None:
        validator(data)
    elif FORMATS[name].reads:
        rnk_events.load(path)
    else:
        assert data, f"{name}: no independent reader known; at least the file is not empty"


# --- kill -9 mid-write --------------------------------------------------------------------------------

PAUSED_EXPORT = """
    import datetime, os, sys, time
    import rnk_events, rnk_events.formats as formats
    sys.path.insert(0, sys.argv[3])
    from benchmarks.synth import collection

    real_write_atomic = formats.write_atomic

    def paused(target, write):
        def half_then_sleep(stream):
            write_through = stream.write
            def first_write(data):
                data = bytes(data)
                write_through(data[: max(1, len(data) // 2)])
                stream.flush()
                print("writing", flush=True)
                time.sleep(120)
            stream.write = first_write
            write(stream)
        return real_write_atomic(target, half_then_sleep)

    formats.write_atomic = paused
    if len(sys.argv) > 4 and sys.argv[4] == "named":  # as on a system without O_TMPFILE
        del os.O_TMPFILE
    name = sys.argv[2]
    stamp = datetime.datetime(2024, 6, 17, tzinfo=datetime.timezone.utc)
    options = {"stamp": stamp} if rnk_events.FORMATS[name].option("stamp") else {}
    rnk_events.export(collection(200), name, sys.argv[1], **options)
    print("finished", flush=True)
"""


@pytest.mark.parametrize("existing", [True, False], ids=["over-a-file", "new-name"])
@pytest.mark.parametrize("name", WRITABLE)
def test_kill_9_mid_export_leaves_no_partial_file(tmp_path: Path, name: str, existing: bool) -> None:
    target = tmp_path / file_name(name)
    if existing:
        target.write_bytes(OLD)
    said, status = killed_after_first_line(PAUSED_EXPORT, str(target), name, str(ROOT))
    assert said == b"writing\n", f"{name}: the export never reached its first write"
    assert status == -signal.SIGKILL
    expected = [target.name] if existing else []
    assert sorted(path.name for path in tmp_path.iterdir()) == expected, "no temporary file left behind"
    if existing:
        assert target.read_bytes() == OLD


def test_kill_9_without_anonymous_files_leaves_only_a_hidden_temporary(tmp_path: Path) -> None:
    # Where O_TMPFILE is missing (macOS, some file systems) the temporary file has a name, as documented
    # in rnk_events.atomic: a kill leaves it behind, hidden, and the target untouched.
    target = tmp_path / "out.json"
    target.write_bytes(OLD)
    said, _ = killed_after_first_line(PAUSED_EXPORT, str(target), "json", str(ROOT), "named")
    assert said == b"writing\n"
    assert target.read_bytes() == OLD
    others = sorted(path.name for path in tmp_path.iterdir() if path != target)
    assert len(others) == 1
    assert re.fullmatch(r"\.out\.json\.[0-9a-f]{12}\.tmp", others[0])


@pytest.mark.parametrize("where", ["build", "before-swap", "after-swap"])
def test_kill_9_during_a_data_package_folder_swap_leaves_a_whole_package(tmp_path: Path, where: str) -> None:
    from rnk_events.formats import datapackage

    target = tmp_path / "package"
    old = rnk_events.load().by_actor("KOR")
    datapackage.write_directory(old, target)
    said, _ = killed_after_first_line(PAUSED_FOLDER_EXPORT, str(target), where)
    assert said == b"paused\n", f"the export never reached {where}"
    expected = old if where != "after-swap" else rnk_events.load()
    assert rnk_events.load(target).ids == expected.ids  # the old package or the new one, whole
    # a kill leaves the hidden staging folder beside the target (nothing can remove it); never at it
    assert all(path.name.startswith(".package.") for path in tmp_path.iterdir() if path != target)


# --- four exports racing to one path ---------------------------------------------------------------------

RACER = """
    import sys, datetime as dt
    import rnk_events
    events = rnk_events.load().by_actor(sys.argv[1])
    folder = sys.argv[2]
    names = sys.argv[3:]
    print("ready", flush=True)
    sys.stdin.readline()  # all four start writing at once
    stamp = dt.datetime(2024, 6, 17, 12, 0, tzinfo=dt.timezone.utc)
    for name in names:
        options = {"stamp": stamp} if rnk_events.FORMATS[name].option("stamp") else {}
        extension = rnk_events.FORMATS[name].extensions[0]
        rnk_events.export(events, name, f"{folder}/out{extension}", **options)
"""


@pytest.fixture(scope="module")
def raced() -> Iterator[Path]:
    """One folder where four processes exported every writable format to the same paths at once."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        racers = [
            subprocess.Popen(
                [sys.executable, "-c", textwrap.dedent(RACER), actor, str(folder), *WRITABLE],
                env={**os.environ, "PYTHONPATH": SRC},
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
            for actor in ACTORS
        ]
        for racer in racers:
            assert racer.stdout is not None
            assert racer.stdout.readline() == b"ready\n"
        for racer in racers:
            assert racer.stdin is not None
            racer.stdin.write(b"go\n")
            racer.stdin.close()
        assert [racer.wait(timeout=120) for racer in racers] == [0] * len(racers)
        for racer in racers:
            assert racer.stdout is not None
            racer.stdout.close()
        yield folder


@pytest.mark.parametrize("name", WRITABLE)
def test_four_concurrent_exports_leave_one_whole_file(raced: Path, name: str) -> None:
    target = raced / file_name(name)
    data = target.read_bytes()
    events = rnk_events.load()
    winners = [actor for actor in ACTORS if data == exported(events.by_actor(actor), name)]
    assert winners, f"{name}: the file is not any one writer's whole export"  # two selections may export alike
    check_valid(name, data, target)


def test_races_leave_no_temporary_files(raced: Path) -> None:
    assert sorted(path.name for path in raced.iterdir()) == sorted(file_name(name) for name in WRITABLE)


# --- a full disk and a read-only folder ------------------------------------------------------------------


@contextlib.contextmanager
def _tmpfs(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        skip_or_fail("RNK_EVENTS_REQUIRE_MOUNT", f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def _remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def _fill(folder: Path) -> None:
    """Write until the file system refuses: what is left is no room at all."""
    descriptor = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        with pytest.raises(OSError, match="No space left on device"):
            _write_forever(descriptor)
    finally:
        os.close(descriptor)


def _write_forever(descriptor: int) -> None:
    while os.write(descriptor, b"\0" * 4096):
        pass


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli_main(list(argv))
    return code, capsys.readouterr().err


def assert_one_line_error(code: int, err: str, *words: str) -> None:
    lines = err.strip().splitlines()
    assert code not in (0, None)
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert "error" in lines[0]
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize("name", WRITABLE)
def test_a_full_disk_is_one_clear_line_and_the_old_file_stays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    with _tmpfs(tmp_path / "disk", "256k") as disk:
        target = disk / file_name(name)
        target.write_bytes(OLD)
        _fill(disk)
        code, err = cli(capsys, "export", name, "-o", str(target), *_stamp_argument(name))
        assert_one_line_error(code, err, str(target), "No space left on device")
        assert target.read_bytes() == OLD
        assert sorted(path.name for path in disk.iterdir()) == sorted(["filler", target.name])


@pytest.mark.parametrize("name", WRITABLE)
def test_a_read_only_folder_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    with _tmpfs(tmp_path / "disk", "256k") as disk:
        target = disk / file_name(name)
        target.write_bytes(OLD)
        _remount_read_only(disk)
        code, err = cli(capsys, "export", name, "-o", str(target), *_stamp_argument(name))
        assert_one_line_error(code, err, str(target), "Read-only file system")
        assert target.read_bytes() == OLD


def _stamp_argument(name: str) -> list[str]:
    return ["--stamp", "2024-06-17T12:00:00Z"] if FORMATS[name].option("stamp") is not None else []


# --- what is at the target: a device node, a FIFO, a symbolic link ------------------------------------------


@pytest.mark.parametrize("name", WRITABLE)
def test_a_character_device_is_written_to_not_replaced(tmp_path: Path, name: str) -> None:
    null = tmp_path / "null"  # a copy of /dev/null's node: never the real /dev
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        skip_or_fail("RNK_EVENTS_REQUIRE_MOUNT", "making a device node needs root (CAP_MKNOD)")
    rnk_events.export(rnk_events.load(), name, null, **options(name))
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert null.lstat().st_rdev == os.makedev(1, 3)
    assert [path.name for path in tmp_path.iterdir()] == ["null"]


@pytest.mark.parametrize("name", WRITABLE)
def test_a_fifo_is_written_as_a_stream(tmp_path: Path, name: str) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    events = rnk_events.load()
    rnk_events.export(events, name, fifo, **options(name))
    reader.join(timeout=30)
    assert received == [exported(events, name)]
    check_valid(name, received[0], fifo)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [path.name for path in tmp_path.iterdir()] == ["pipe"]


@pytest.mark.parametrize("name", WRITABLE)
def test_a_symlink_stays_and_its_real_target_is_replaced(tmp_path: Path, name: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    real = site / file_name(name)
    real.write_bytes(OLD)
    link = tmp_path / ("webroot-" + file_name(name))
    link.symlink_to(real)
    events = rnk_events.load()
    assert rnk_events.export(events, name, link, **options(name)) == link
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    data = real.read_bytes()
    assert data == exported(events, name)
    check_valid(name, data, real)
    assert [path.name for path in site.iterdir()] == [real.name]


# --- the longest legal name -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", WRITABLE)
def test_the_longest_legal_file_name_can_be_exported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    extension = FORMATS[name].extensions[0]
    target = tmp_path / ("n" * (255 - len(extension)) + extension)
    assert len(os.fsencode(target.name)) == 255
    code, err = cli(capsys, "export", name, "-o", str(target), *_stamp_argument(name))
    assert code == 0, err
    check_valid(name, target.read_bytes(), target)
    assert [path.name for path in tmp_path.iterdir()] == [target.name]


def test_a_data_package_folder_with_the_longest_legal_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / ("p" * 255)
    code, err = cli(capsys, "export", "datapackage", "-o", str(target))
    assert code == 0, err
    assert (target / "datapackage.json").is_file()
    assert [path.name for path in tmp_path.iterdir()] == [target.name]
