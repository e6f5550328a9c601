"""Work that grows with the input: linear (checked by counting or by a ratio of two sizes), and bounded.

No test here asserts an absolute time. A timed check measures a size ``n``
and ``2n`` in the same run, interleaved, and keeps the least CPU time of a
few rounds of each, with the garbage collector paused, so the machine's load
cancels out: linear work gives a ratio near 2, quadratic work near 4, and the
bound is 3. Each ``n`` is big enough that the quadratic code this guards
against took seconds (issue 13). Where a count says it exactly (membership
tests on an id pool), the test counts instead.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import io
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import rnk_events
from rnk_events import DatasetError
from rnk_events.cli import main as cli_main
from rnk_events.formats.knightlab import TEMPLATE_COLUMNS_19
from rnk_events.ids import IdPool, unique_id
from rnk_events.ingest import MAX_INGEST_CHARACTERS, draft_headline, ingest_file, ingest_text
from tests.hostile_workbooks import wide_header_workbook

PUBLISHED = dt.date(2024, 6, 17)
ROUNDS = 3


def _timed(work: Callable[[], object]) -> float:
    """One run's CPU time, with the cyclic garbage collector paused.

    In a long test session the heap is large, and a full collection that the
    bigger input happens to trigger would make linear work look quadratic.
    """
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()  # this process's CPU time: other processes on a busy runner do not count
        work()
        return time.process_time() - start
    finally:
        gc.enable()


def growth(make: Callable[[int], Callable[[], object]], n: int, rounds: int = ROUNDS) -> float:
    """time(2n) / time(n), the fastest of ``rounds`` interleaved runs of each."""
    small, large = make(n), make(2 * n)
    small()  # warm caches and imports before timing anything
    small_times, large_times = [], []
    for _ in range(rounds):
        small_times.append(_timed(small))
        large_times.append(_timed(large))
    return min(large_times) / min(small_times)


def _prose(characters: int) -> str:
    """Short sentences on short lines, each starting a block: every line is a heading candidate."""
    words = ["the", "minister", "said", "talks", "would", "resume", "soon", "after", "weeks", "of", "delay"]
    lines, size, index = [], 0, 0
    while size < characters:
        line = " ".join(words[(index + k) % len(words)] for k in range(5)).capitalize() + f" {index}."
        lines.append(line)
        size += len(line) + 1
        index += 1
    return "\n".join(lines)


def test_heading_detection_is_linear() -> None:
    def make(n: int) -> Callable[[], object]:
        text = _prose(n)
        return lambda: ingest_text(text, published=PUBLISHED, source="wire")

    ratio = growth(make, 200_000)
    assert ratio < 3, f"2x the prose took {ratio:.1f}x the time"


def test_prose_without_headings_is_told_so() -> None:
    # 2 MB of prose took 45 s before "no headings"; the answer must be the same, only sooner
    result = ingest_text(_prose(2_000_000), published=PUBLISHED, source="wire")
    assert [problem.message for problem in result.problems] == ["no date headings found, so nothing was drafted"]


@pytest.mark.parametrize("word", ["Mr.", "U.S.", "A."], ids=["title", "initials", "initial"])
def test_first_sentence_search_is_linear(word: str) -> None:
    # every period is an abbreviation's, so the search runs to the end: 240 KB took 28 s
    def make(n: int) -> Callable[[], object]:
        paragraph = f"{word} " * (n // (len(word) + 1))
        return lambda: draft_headline(paragraph)

    ratio = growth(make, 150_000, rounds=5)
    assert ratio < 3, f"2x the paragraph took {ratio:.1f}x the time"


def test_a_long_paragraph_still_gives_its_first_sentence() -> None:
    paragraph = "Mr. Kim met Gen. Shoigu in Pyongyang. " + "Mr. Lee said so. " * 20_000
    assert draft_headline(paragraph) == "Mr. Kim met Gen. Shoigu in Pyongyang"


class CountingPool(IdPool):
    """An IdPool that counts the membership tests made on it."""

    def __init__(self) -> None:
        super().__init__()
        self.probes = 0

    def __contains__(self, item: object) -> bool:
        self.probes += 1
        return super().__contains__(item)


def test_many_identical_ids_take_one_probe_each() -> None:
    pool = CountingPool()
    ids = [unique_id("2024-06-19-putin-visits-pyongyang", pool) for _ in range(10_000)]
    assert len(set(ids)) == 10_000
    assert ids[:3] == [
        "2024-06-19-putin-visits-pyongyang",
        "2024-06-19-putin-visits-pyongyang-2",
        "2024-06-19-putin-visits-pyongyang-3",
    ]
    assert ids[-1] == "2024-06-19-putin-visits-pyongyang-10000"
    assert pool.probes <= 2 * 10_000  # a plain set counting up from -2 each time makes ~50 million


def test_a_pool_skips_ids_taken_before_it_started() -> None:
    pool = CountingPool()
    pool.update({"base", "base-2", "base-3"})
    assert [unique_id("base", pool) for _ in range(3)] == ["base-4", "base-5", "base-6"]
    assert pool.probes == 4 + 2 + 2  # the first counts past the three; each later one tries two


def test_ingesting_identical_entries_probes_each_id_at_most_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    # 8k identical entries took 11.6 s when each id counted up from -2 (about 32 million probes)
    probes = [0]
    plain_contains = set.__contains__

    def counted(pool: set[str], item: object) -> bool:
        probes[0] += 1
        return plain_contains(pool, item)

    monkeypatch.setattr(IdPool, "__contains__", counted)
    text = "Intro.\n\n" + "July 12, 2000\n\nPutin met Kim in Pyongyang.\n\n" * 8_000
    result = ingest_text(text, published=PUBLISHED, source="wire")
    assert len(set(result.events.ids)) == 8_000
    assert 8_000 <= probes[0] <= 2 * 8_000


def test_the_ingest_size_limit_is_checked_before_any_work() -> None:
    text = "July 12, 2000\n\nPutin met Kim.\n\n" * (MAX_INGEST_CHARACTERS // 30 + 1)
    assert len(text) > MAX_INGEST_CHARACTERS
    with pytest.raises(ValueError, match=r"more than the 5,000,000 ingest reads.*max_characters"):
        ingest_text(text, published=PUBLISHED, source="wire")
    result = ingest_text(text[:2_000], published=PUBLISHED, source="wire", max_characters=2_000)
    assert len(result.events) > 10


def test_a_wide_csv_header_is_refused_in_linear_time(tmp_path: Path) -> None:
    # 40k columns took 26 s when each column was counted with list.count
    def make(n: int) -> Callable[[], object]:
        path = tmp_path / f"wide-{n}.csv"
        path.write_text(",".join(f"column{index}" for index in range(n)) + "\r\n", "utf-8")

        def refuse() -> None:
            with pytest.raises(DatasetError, match="more than the"):
                rnk_events.load(path)

        return refuse

    ratio = growth(make, 200_000, rounds=5)
    assert ratio < 3, f"2x the header took {ratio:.1f}x the time"


def test_a_wide_workbook_header_is_refused_in_linear_time(tmp_path: Path) -> None:
    def make(n: int) -> Callable[[], object]:
        path = tmp_path / f"wide-{n}.xlsx"
        path.write_bytes(wide_header_workbook(n))

        def refuse() -> None:
            with pytest.raises(DatasetError, match="over the limit"):
                rnk_events.load(path)

        return refuse

    ratio = growth(make, 8_000, rounds=5)
    assert ratio < 3, f"2x the header took {ratio:.1f}x the time"


def test_a_timelinejs_sheet_of_identical_rows_is_linear() -> None:
    # a 10k-row identical sheet ran past 10 s when each id counted up from -2
    def sheet(n: int) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(TEMPLATE_COLUMNS_19)
        cells = {"Year": "2024", "Month": "6", "Day": "19", "Headline": "Putin visits Pyongyang"}
        cells |= {"Text": "He did.", "Group": "diplomacy"}
        writer.writerows([[cells.get(column, "") for column in TEMPLATE_COLUMNS_19]] * n)
        return out.getvalue().encode("utf-8")

    def make(n: int) -> Callable[[], object]:
        data = sheet(n)
        return lambda: rnk_events.load(io.BytesIO(data), format="csv")

    loaded = make(3_000)()
    assert isinstance(loaded, rnk_events.EventCollection)
    assert len(set(loaded.ids)) == 3_000
    ratio = growth(make, 3_000)
    assert ratio < 3, f"2x the rows took {ratio:.1f}x the time"


# --- the ingest size limit -------------------------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_by_name_and_size(tmp_path: Path) -> None:
    path = tmp_path / "wire.txt"
    path.write_text("July 12, 2000\n\nPutin met Kim.\n\n" * 100, "utf-8")  # 3,100 bytes
    with pytest.raises(rnk_events.DatasetError) as raised:
        ingest_file(path, published=dt.date(2024, 6, 17), max_characters=1_000)
    assert str(raised.value).startswith(f"{path}")
    assert "3,100 bytes, more than the 1,000 ingest reads" in str(raised.value)
    assert len(ingest_file(path, published=dt.date(2024, 6, 17), max_characters=3_100).events) == 100


def test_a_pipe_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "wire.txt"
    os.mkfifo(fifo)
    written: list[int] = []

    def feed() -> None:
        with contextlib.suppress(BrokenPipeError), fifo.open("wb") as pipe:
            for _ in range(1_000):  # 1 MB offered; ingest must stop after 1,001 bytes
                pipe.write(b"x" * 1_000)
                pipe.flush()
                written.append(1_000)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    with pytest.raises(rnk_events.DatasetError, match=r"more than the 1,000 ingest reads"):
        ingest_file(fifo, published=dt.date(2024, 6, 17), max_characters=1_000)
    writer.join(timeout=30)
    assert not writer.is_alive()
    assert sum(written) < 1_000_000  # the writer was cut off: the rest was never read


def test_the_command_line_refuses_an_oversized_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"July 12, 2000\n\n" + b"Putin met Kim. " * (MAX_INGEST_CHARACTERS // 15 + 1))
    code = cli_main(["ingest", str(path), "--published", "2024-06-17"])
    err = capsys.readouterr().err
    assert code != 0
    assert len(err.strip().splitlines()) == 1, err
    assert str(path) in err
    assert "5,000,000 ingest reads" in err
