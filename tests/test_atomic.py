"""Atomic writes touch only the target: links, devices, FIFOs, kills, races, long names and modes."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

import rnk_events
from rnk_events.atomic import temporary_name, write_atomic

SRC = str(Path(rnk_events.__file__).resolve().parent.parent)


def _run(script: str, *args: str, talks: bool = False) -> subprocess.Popen[bytes]:
    """The script in a fresh interpreter; with ``talks``, its stdout is a pipe (close it after)."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        env={**os.environ, "PYTHONPATH": SRC},
        stdout=subprocess.PIPE if talks else subprocess.DEVNULL,
    )


def writes(data: bytes) -> Callable[[IO[bytes]], None]:
    def write(stream: IO[bytes]) -> None:
        stream.write(data)

    return write


def test_a_symlink_stays_a_link_and_its_target_is_replaced(tmp_path: Path) -> None:
    real = tmp_path / "site" / "feed.ics"
    real.parent.mkdir()
    real.write_bytes(b"old feed")
    link = tmp_path / "webroot-feed.ics"
    link.symlink_to(real)
    write_atomic(link, writes(b"new feed"))
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_bytes() == b"new feed"
    assert sorted(path.name for path in real.parent.iterdir()) == ["feed.ics"]


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "real.json")
    write_atomic(link, writes(b"{}"))
    assert link.is_symlink()
    assert (tmp_path / "real.json").read_bytes() == b"{}"


def test_a_fifo_is_written_as_a_stream(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, writes(b"through the pipe"))
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def _mknod(path: Path, kind: int, major: int, minor: int) -> None:
    try:
        os.mknod(path, kind | 0o666, os.makedev(major, minor))
    except PermissionError:
        pytest.skip("making device nodes needs root (CAP_MKNOD)")


def test_a_character_device_is_written_not_replaced(tmp_path: Path) -> None:
    null = tmp_path / "null"  # a copy of /dev/null's node, never the real /dev
    _mknod(null, stat.S_IFCHR, 1, 3)
    write_atomic(null, writes(b"x" * 34_000))
    assert stat.S_ISCHR(null.stat().st_mode)
    assert null.stat().st_rdev == os.makedev(1, 3)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["null"]


def test_a_block_device_is_refused(tmp_path: Path) -> None:
    block = tmp_path / "disk"
    _mknod(block, stat.S_IFBLK, 7, 0)
    with pytest.raises(OSError, match="block device; refusing to replace it"):
        write_atomic(block, writes(b"x"))
    assert stat.S_ISBLK(block.stat().st_mode)


def test_a_legal_long_name_can_be_written(tmp_path: Path) -> None:
    target = tmp_path / ("n" * 245 + ".json")
    assert len(os.fsencode(target.name)) == 250
    write_atomic(target, writes(b"{}"))
    assert target.read_bytes() == b"{}"
    for name in ("a", "é" * 127, "x" * 255):
        assert len(os.fsencode(temporary_name(tmp_path / name))) <= 255


@pytest.mark.parametrize("name", ["a", "é" * 127, "x" * 255, "日本" * 60, "n" * 250 + ".json"])
@pytest.mark.parametrize("suffix", [".tmp", ".old", ".link"])
def test_a_temporary_name_fits_and_cuts_at_a_whole_character(tmp_path: Path, name: str, suffix: str) -> None:
    made = temporary_name(tmp_path / name, suffix)
    encoded = os.fsencode(made)
    assert len(encoded) <= 255
    assert encoded.decode("utf-8").startswith("." + name[:3])  # raises if a character was cut in half
    assert made.endswith(suffix)
    assert made != temporary_name(tmp_path / name, suffix)  # a fresh random part each time
    (tmp_path / made).write_bytes(b"")  # and the file system takes it


def test_an_existing_file_keeps_its_mode_and_a_new_one_follows_the_umask(tmp_path: Path) -> None:
    kept = tmp_path / "kept.json"
    kept.write_bytes(b"old")
    kept.chmod(0o604)
    write_atomic(kept, writes(b"new"))
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604
    script = """
        import os, sys
        from rnk_events.atomic import write_atomic
        os.umask(0o027)
        write_atomic(sys.argv[1], lambda stream: stream.write(b"new"))
    """
    fresh = tmp_path / "fresh.json"
    assert _run(script, str(fresh)).wait(timeout=30) == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640


def test_kill_9_mid_write_leaves_the_old_file_and_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "events.json"
    target.write_bytes(b"the previous edition")
    script = """
        import sys, time
        from rnk_events.atomic import write_atomic
        def write(stream):
            stream.write(b"half of the new edit")
            stream.flush()
            print("writing", flush=True)
            time.sleep(60)
        write_atomic(sys.argv[1], write)
    """
    process = _run(script, str(target), talks=True)
    assert process.stdout is not None
    with process.stdout:
        assert process.stdout.readline() == b"writing\n"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert target.read_bytes() == b"the previous edition"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["events.json"]


def test_concurrent_exports_to_one_path_leave_one_complete_file(tmp_path: Path) -> None:
    target = tmp_path / "events.json"
    script = """
        import sys, rnk_events
        events = rnk_events.load()
        rnk_events.export(events.by_actor(sys.argv[2]), "json", sys.argv[1])
    """
    actors = ["RUS", "PRK", "USA", "KOR"]
    processes = [_run(script, str(target), actor) for actor in actors]
    assert [process.wait(timeout=60) for process in processes] == [0] * 4
    written = json.loads(target.read_text("utf-8"))
    chosen = [actor for actor in actors if all(actor in event["actors"] for event in written["events"])]
    assert chosen, "the file is one whole export"
    assert len(written["events"]) == len(rnk_events.load().by_actor(chosen[0]))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["events.json"]


def test_a_read_only_folder_gives_a_clear_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(PermissionError):
            write_atomic(folder / "out.json", writes(b"{}"))
    finally:
        folder.chmod(0o700)


def test_a_failed_write_removes_every_trace(tmp_path: Path) -> None:
    target = tmp_path / "out.json"

    def fail(stream: IO[bytes]) -> None:
        stream.write(b"part")
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        write_atomic(target, fail)
    assert list(tmp_path.iterdir()) == []
