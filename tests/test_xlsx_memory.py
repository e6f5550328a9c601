"""The workbook writer's memory stays flat: 4× the events may not take 2× the memory (issue 14).

Each size is written in a fresh process (the benchmark's synthetic events,
:mod:`benchmarks.synth`), which reports its peak memory above what it held
once the collection was loaded (peak RSS, or tracemalloc where the kernel
cannot reset the high-water mark: :func:`benchmarks.memory.peak_above`). Both
sizes run in this one test, so the ratio compares like with like; no time is
measured.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parent.parent
SMALL, LARGE = 5_000, 20_000
#: The goal per event at the larger size (issue 14: at most 2 KiB above the loaded collection).
PER_EVENT_LIMIT = 2 * 1024

CHILD = """
import datetime as dt, json, sys
import rnk_events
from benchmarks import synth
from benchmarks.memory import peak_above

size, target = int(sys.argv[1]), sys.argv[2]
stamp = dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)
rnk_events.export(synth.collection(5, synth.SEED), "xlsx", target, stamp=stamp)  # imports load before the baseline
collection = synth.collection(size, synth.SEED)
peak = peak_above(lambda: rnk_events.export(collection, "xlsx", target, stamp=stamp))
print(json.dumps({"above": peak.above, "method": peak.method}))
"""


def peak_above_loaded(size: int, target: Path) -> tuple[int, str]:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(size), str(target)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=environment,
        timeout=600,
    )
    report = json.loads(done.stdout)
    return int(report["above"]), str(report["method"])


def event_rows(path: Path) -> int:
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
    table = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Events").to_python()
    return len(table) - 1


def test_peak_memory_is_flat_in_the_number_of_events(tmp_path: Path) -> None:
    small, method = peak_above_loaded(SMALL, tmp_path / "small.xlsx")
    large, same_method = peak_above_loaded(LARGE, tmp_path / "large.xlsx")
    assert method == same_method
    # the workbooks were written whole
    assert (event_rows(tmp_path / "small.xlsx"), event_rows(tmp_path / "large.xlsx")) == (SMALL, LARGE)
    assert large <= 2 * max(small, 1), f"{LARGE:,} events took {large:,} bytes, {SMALL:,} took {small:,} ({method})"
    assert large / LARGE <= PER_EVENT_LIMIT, f"{large / LARGE:,.0f} bytes per event ({method})"
