"""Smoke test of the benchmark suite (benchmarks/): it runs at a tiny size and prints one sound table.

No timing is asserted: the suite is the performance evidence, read from a real
run (docs/benchmarks.md). This checks only that every path still runs against
its limit, that the limits agree with the library's output, and that every
ratio is a finite positive number.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from benchmarks.timing import Row

ROOT = Path(__file__).resolve().parent.parent
EVENTS = 200


@pytest.fixture(scope="module")
def run_module() -> Iterator[ModuleType]:
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT))
        yield importlib.import_module("benchmarks.run")


@pytest.fixture(scope="module")
def rows(run_module: ModuleType) -> list[Row]:
    found: list[Row] = run_module.run_suite([EVENTS], rounds=1, cli_rounds=1, min_batch=0.001)
    return found


def test_every_path_has_a_row(run_module: ModuleType, rows: list[Row]) -> None:
    assert {row.key for row in rows} == set(run_module.ALL_PATHS)


def test_every_ratio_is_finite_and_positive(rows: list[Row]) -> None:
    for row in rows:
        assert math.isfinite(row.ratio), row
        assert row.ratio > 0, row
        assert row.ours > 0, row
        assert row.limit_value > 0, row


def test_every_sized_row_is_at_the_size_asked_for(rows: list[Row]) -> None:
    assert all(row.events == EVENTS for row in rows if row.key != "cli")
    assert all(row.output for row in rows)  # what the limit was checked against: bytes, cells or events


def test_the_table_has_a_line_per_row(run_module: ModuleType, rows: list[Row]) -> None:
    table = importlib.import_module("benchmarks.timing").format_table(rows).splitlines()
    assert len(table) == len(rows) + 2  # header and rule
    for line, row in zip(table[2:], rows, strict=True):
        assert line.startswith(f"| {row.path}")


def test_the_runner_prints_one_table(run_module: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_module.main(["--sizes", "50", "--paths", "csv,date-index", "--rounds", "1", "--min-batch", "0"]) == 0
    printed = capsys.readouterr().out
    lines = [line for line in printed.splitlines() if line.startswith("|")]
    assert len(lines) == 2 + 1 + 3  # header, rule, csv, date index one-shot, repeated and the table's cost
    assert any(line.startswith("| date index: a compact bounds table, built") for line in lines)
    assert printed.startswith("Machine: ")
