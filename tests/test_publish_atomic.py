"""Republishing a site: the same bytes every time, and never half a site at the target.

The swap is checked by a separate process that reads the site while it is
republished again and again, and the fallbacks (no ``renameat2``, a failing
rename, a symbolic link to flip) by standing in for the system calls.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import rnk_events
from rnk_events import EventCollection
from rnk_events.publishing import is_site, publish, swap
from tests.publish_helpers import STAMP, URL, tree


def test_publishing_twice_gives_identical_bytes(tmp_path: Path) -> None:
    site = tmp_path / "first"
    publish(rnk_events.load(), site, url=URL, stamp=STAMP)
    again = tmp_path / "again"
    publish(rnk_events.load(), again, url=URL, stamp=STAMP)
    assert tree(again) == tree(site)
    publish(rnk_events.load(), again, url=URL, stamp=STAMP)  # in place, over itself
    assert tree(again) == tree(site)


def test_republishing_replaces_the_whole_site(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    publish(rnk_events.load(), folder, stamp=STAMP)
    assert (folder / "calendars" / "actor-vnm.ics").exists()
    publish(rnk_events.load().by_actor("PRK"), folder, stamp=STAMP)
    assert not (folder / "calendars" / "actor-vnm.ics").exists()  # no file of the old site is left
    assert tree(folder) == tree(_fresh(tmp_path / "fresh", rnk_events.load().by_actor("PRK")))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["fresh", "site"]  # nothing hidden left beside it


def _fresh(folder: Path, events: EventCollection) -> Path:
    publish(events, folder, stamp=STAMP)
    return folder


def test_a_failed_publish_leaves_the_old_site_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "site"
    publish(rnk_events.load(), folder, stamp=STAMP)
    before = tree(folder)
    from rnk_events.publishing import site as site_module

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site_module, "export", broken)
    with pytest.raises(OSError, match="No space left"):
        publish(rnk_events.load().by_actor("USA"), folder, stamp=STAMP)
    assert tree(folder) == before
    assert [path.name for path in tmp_path.iterdir()] == ["site"]


def test_a_folder_that_is_not_a_site_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    with pytest.raises(FileExistsError, match="did not write"):
        publish(rnk_events.load(), tmp_path, stamp=STAMP)
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]
    (tmp_path / "empty").mkdir()
    publish(rnk_events.load(), tmp_path / "empty", stamp=STAMP)  # an empty folder is fine
    assert is_site(tmp_path / "empty")
    with pytest.raises(NotADirectoryError):
        publish(rnk_events.load(), tmp_path / "notes.txt", stamp=STAMP)


def test_without_rename_exchange_the_fallback_still_swaps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "site"
    publish(rnk_events.load(), folder, stamp=STAMP)
    monkeypatch.setattr(swap, "exchange", lambda first, second: False)
    publish(rnk_events.load().by_actor("PRK"), folder, stamp=STAMP)
    assert not (folder / "calendars" / "actor-vnm.ics").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


def test_the_fallback_puts_the_old_site_back_if_the_new_cannot_go_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "site"
    publish(rnk_events.load(), folder, stamp=STAMP)
    before = tree(folder)
    monkeypatch.setattr(swap, "exchange", lambda first, second: False)
    real_rename = os.rename

    def rename(source: Any, target: Any) -> None:
        if Path(target) == folder and Path(source).name.endswith(".tmp"):
            raise PermissionError(13, "Permission denied")
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(PermissionError):
        publish(rnk_events.load().by_actor("PRK"), folder, stamp=STAMP)
    assert tree(folder) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


def test_a_symbolic_link_is_flipped_to_the_new_site(tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    releases.mkdir()
    mine = releases / "handmade"
    publish(rnk_events.load(), mine, stamp=STAMP)
    link = tmp_path / "current"
    link.symlink_to("releases/handmade")
    publish(rnk_events.load().by_actor("PRK"), link, stamp=STAMP)
    first = link.resolve()
    assert link.is_symlink()
    assert not os.path.isabs(os.readlink(link))
    assert first.parent == releases
    assert re.fullmatch(r"current-[0-9a-f]{12}", first.name)
    assert mine.is_dir()  # a folder it did not make is kept
    publish(rnk_events.load(), link, stamp=STAMP)
    assert link.resolve() != first
    assert not first.exists()  # the one it made is removed once replaced
    assert tree(link) == tree(mine)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["current", "releases"]


def test_a_link_with_the_longest_legal_name_is_flipped_and_its_old_release_removed(tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    releases.mkdir()
    publish(rnk_events.load(), releases / "handmade", stamp=STAMP)
    link = tmp_path / ("c" * 255)  # a release's name must be cut to fit beside "-<12 hex>"
    link.symlink_to("releases/handmade")
    publish(rnk_events.load().by_actor("PRK"), link, stamp=STAMP)
    first = link.resolve()
    assert len(first.name.encode()) <= 255
    assert re.fullmatch(r"c+-[0-9a-f]{12}", first.name)
    publish(rnk_events.load(), link, stamp=STAMP)
    assert not first.exists()  # recognised as made here, though its name is cut
    assert sorted(path.name for path in releases.iterdir()) == sorted(["handmade", link.resolve().name])


MONITOR = """
import pathlib, sys, time
site = pathlib.Path(sys.argv[1])
misses = reads = 0
deadline = time.monotonic() + 120
while not (site.parent / "stop").exists() and time.monotonic() < deadline:
    for name in ("README.txt", "index.html", "calendars/rnk-events.ics"):
        try:
            (site / name).read_bytes()
            reads += 1
        except OSError:
            misses += 1
print(reads, misses)
"""


def test_readers_never_see_a_missing_site_while_it_is_replaced(tmp_path: Path) -> None:
    probe_a, probe_b = tmp_path / "a", tmp_path / "b"
    probe_a.mkdir()
    probe_b.mkdir()
    if not swap.exchange(probe_a, probe_b):
        pytest.skip("this system has no renameat2(RENAME_EXCHANGE); the documented fallback has a gap")
    folder = tmp_path / "site"
    publish(rnk_events.load(), folder, stamp=STAMP)
    monitor = subprocess.Popen([sys.executable, "-c", MONITOR, str(folder)], stdout=subprocess.PIPE, text=True)
    try:
        for number in range(6):
            events = rnk_events.load() if number % 2 else rnk_events.load().by_actor("PRK")
            publish(events, folder, stamp=STAMP)
    finally:
        (tmp_path / "stop").touch()
        out, _ = monitor.communicate(timeout=150)
    reads, misses = (int(value) for value in out.split())
    assert reads > 0
    assert misses == 0


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one").touch()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two").touch()
    if not swap.exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("no renameat2(RENAME_EXCHANGE) here")
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["two"]
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["one"]
    with pytest.raises(FileExistsError):
        swap.rename_noreplace(tmp_path / "a", tmp_path / "b")


def test_without_renameat2_a_new_site_is_renamed_into_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(swap, "renameat2", lambda source, target, flags: False)
    publish(rnk_events.load(), tmp_path / "site", stamp=STAMP)
    assert is_site(tmp_path / "site")
    (tmp_path / "a").mkdir()
    with pytest.raises(FileExistsError):
        swap.rename_noreplace(tmp_path / "a", tmp_path / "site")  # never over something that appeared
    with pytest.raises(NotADirectoryError):
        swap.replace_folder(tmp_path / "site" / "README.txt", lambda folder: None)


def test_a_failed_publish_into_a_link_leaves_the_link_and_its_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(rnk_events.load(), tmp_path / "v1", stamp=STAMP)
    link = tmp_path / "current"
    link.symlink_to(tmp_path / "v1")  # an absolute link stays absolute
    from rnk_events.publishing import site as site_module

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError(5, "I/O error")

    monkeypatch.setattr(site_module, "export", broken)
    with pytest.raises(OSError, match="I/O error"):
        publish(rnk_events.load(), link, stamp=STAMP)
    assert os.readlink(link) == str(tmp_path / "v1")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["current", "v1"]
    monkeypatch.undo()
    publish(rnk_events.load().by_actor("PRK"), link, stamp=STAMP)
    assert os.path.isabs(os.readlink(link))
    assert (tmp_path / "v1").is_dir()  # not made by publish's link flip: kept


def test_a_link_that_cannot_be_replaced_is_left_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    publish(rnk_events.load(), tmp_path / "v1", stamp=STAMP)
    link = tmp_path / "current"
    link.symlink_to("v1")

    def refuse(source: Any, target: Any) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        publish(rnk_events.load(), link, stamp=STAMP)
    assert os.readlink(link) == "v1"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["current", "v1"]  # no new folder, no stray link
