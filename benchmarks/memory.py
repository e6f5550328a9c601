"""Peak memory of a workbook write above what was loaded before it, measured in a fresh process.

The parent runs ``python -m benchmarks.memory <what> <events> <seed> [cells]``;
the child writes a five-event workbook first (so imports and first-use tables
are loaded), loads its input (the synthetic collection, or the workbook's cells
for the write-only limits), collects garbage,
notes its resident set size, resets the kernel's high-water mark
(``/proc/self/clear_refs``), writes the workbook to memory and reports the new
high-water mark. Where the kernel offers no reset, it falls back to
tracemalloc's peak (Python allocations only, and slower). The output bytes
count: they are part of what a write needs.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import os
import pickle
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

__all__ = ["Peak", "measure", "peak_above"]

ROOT = Path(__file__).resolve().parent.parent
STAMP = dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)


@attrs.frozen
class Peak:
    """Bytes the write needed above the loaded input, and how that was measured."""

    above: int
    method: str


def _status_kib(field: str) -> int | None:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


def _reset_high_water() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as stream:
            stream.write("5")
    except OSError:
        return False
    return True


def peak_above(write: Callable[[], object]) -> Peak:
    """Run ``write`` and say how far memory rose above where it stood before."""
    gc.collect()
    baseline = _status_kib("VmRSS")
    if baseline is not None and _reset_high_water():
        write()
        peak = _status_kib("VmHWM")
        if peak is not None:
            return Peak(max(0, peak - baseline) * 1024, "peak RSS")
    tracemalloc.start()
    write()
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Peak(traced, "tracemalloc")


def measure(what: str, events: int, seed: int, cells: Path | None = None) -> Peak:
    """Run one child (``library``, ``write-only`` or ``write-only-styled``) and read its report."""
    command = [sys.executable, "-m", "benchmarks.memory", what, str(events), str(seed)]
    if cells is not None:
        command.append(str(cells))
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, env=environment)
    report = json.loads(done.stdout)
    return Peak(int(report["above"]), str(report["method"]))


def _child(arguments: list[str]) -> Peak:
    what, events, seed = arguments[0], int(arguments[1]), int(arguments[2])
    if what == "library":
        import rnk_events
        from benchmarks import synth

        def export(collection: rnk_events.EventCollection) -> object:
            return rnk_events.export(collection, "xlsx", io.BytesIO(), stamp=STAMP)

        export(synth.collection(5, seed))  # imports and first-use tables load before the baseline
        collection = synth.collection(events, seed)
        return peak_above(lambda: export(collection))
    from benchmarks import limits

    with open(arguments[3], "rb") as stream:
        sheets: Any = pickle.load(stream)  # our own temporary file
    styled = what == "write-only-styled"
    limits.write_only_workbook([(title, table[:5]) for title, table in sheets], styled=styled)  # the same warm-up
    return peak_above(lambda: limits.write_only_workbook(sheets, styled=styled))


if __name__ == "__main__":
    result = _child(sys.argv[1:])
    print(json.dumps({"above": result.above, "method": result.method}))
