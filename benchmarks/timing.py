"""Interleaved timing: every contender runs once per round, in a rotating order, the same number of times.

Absolute times on a shared machine are noise; what holds is the ratio of two
things timed side by side in one run. So each round times every contender
once (its batch of ``number`` calls, the same ``number`` for all), the order
rotating from round to round, with a full ``gc.collect()`` before every batch,
and the ratio reported is the median over rounds of each round's ratio.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import attrs

__all__ = ["Contender", "Result", "Row", "format_table", "interleave", "median_ratio", "timed_row"]


@attrs.frozen
class Contender:
    """One side of a comparison: ``run(setup())`` is timed, ``setup()`` is not (a fresh collection, say)."""

    name: str
    run: Callable[[Any], Any]
    setup: Callable[[], Any] | None = None


@attrs.frozen
class Result:
    """Per-call seconds of each contender in each round, and what each returned on its warm-up call."""

    names: tuple[str, ...]
    times: dict[str, list[float]]
    outputs: dict[str, Any]
    number: int

    def median(self, name: str) -> float:
        return statistics.median(self.times[name])


def interleave(
    contenders: Sequence[Contender],
    rounds: int,
    *,
    min_batch: float = 0.02,
    max_batch: float = 0.5,
    max_number: int = 10_000,
    warmed: dict[str, tuple[Any, float]] | None = None,
) -> Result:
    """Time the contenders side by side over ``rounds`` rounds (see the module docstring).

    A warm-up call each comes first, outside the rounds: its output is
    returned (to check the contenders agree) and its time sets ``number``,
    the calls per batch, so the fastest contender's batch lasts ``min_batch``
    unless that would make the slowest one's last longer than ``max_batch``.
    ``warmed`` gives (output, seconds) for contenders the caller has already
    run once, which are not run again before the rounds.
    """
    outputs: dict[str, Any] = {}
    fastest, slowest = math.inf, 0.0
    for name, (output, seconds) in (warmed or {}).items():
        outputs[name] = output
        fastest, slowest = min(fastest, seconds), max(slowest, seconds)
    for contender in contenders:
        if contender.name in outputs:
            continue
        argument = contender.setup() if contender.setup is not None else None
        gc.collect()
        started = time.perf_counter()
        outputs[contender.name] = contender.run(argument)
        seconds = time.perf_counter() - started
        fastest, slowest = min(fastest, seconds), max(slowest, seconds)
    wanted = min(max_number, math.ceil(min_batch / max(fastest, 1e-9)), math.floor(max_batch / max(slowest, 1e-9)))
    number = max(1, wanted)
    times: dict[str, list[float]] = {contender.name: [] for contender in contenders}
    for round_number in range(rounds):
        shift = round_number % len(contenders)
        for contender in [*contenders[shift:], *contenders[:shift]]:
            setup = contender.setup
            arguments = [setup() for _ in range(number)] if setup is not None else [None] * number
            run = contender.run
            gc.collect()
            started = time.perf_counter()
            for argument in arguments:
                run(argument)
            elapsed = time.perf_counter() - started
            del arguments
            times[contender.name].append(elapsed / number)
    return Result(tuple(contender.name for contender in contenders), times, outputs, number)


def median_ratio(result: Result, ours: str, limit: str) -> float:
    """The median over rounds of ours / limit, each round's pair timed side by side."""
    return statistics.median(a / b for a, b in zip(result.times[ours], result.times[limit], strict=True))


@attrs.frozen
class Row:
    """One line of the table: a path at a size against one limit.

    ``ours`` and ``limit_value`` are seconds per call for timings and KiB per
    event for memory (``unit`` says which); ``ratio`` is ours / limit, the
    median over rounds for timings.
    """

    path: str
    events: int
    limit: str
    ours: float
    limit_value: float
    ratio: float
    unit: str = "s"
    output: str = ""
    rounds: str = ""
    key: str = ""  # the name --paths knows the path by


def timed_row(
    path: str, events: int, limit_label: str, result: Result, ours: str, limit: str, *, output: str, rounds: int
) -> Row:
    """The table row of contender ``ours`` against ``limit``, both from one interleaved ``result``."""
    return Row(
        path,
        events,
        limit_label,
        result.median(ours),
        result.median(limit),
        median_ratio(result, ours, limit),
        output=output,
        rounds=f"{rounds} × {result.number}",
    )


def _value(value: float, unit: str) -> str:
    if unit == "KiB/event":
        return f"{value:,.2f} KiB/ev"
    if value >= 1:
        return f"{value:,.2f} s"
    if value >= 1e-3:
        return f"{value * 1e3:,.1f} ms"
    return f"{value * 1e6:,.1f} µs"


def _ratio(value: float) -> str:
    return f"{value:,.0f}×" if value >= 100 else f"{value:,.2f}×"


def format_table(rows: Sequence[Row]) -> str:
    """The rows as one Markdown table."""
    header = ("path", "events", "limit", "ours", "limit's", "ours / limit", "output", "rounds × calls")
    lines = [header]
    for row in rows:
        lines.append(
            (
                row.path,
                f"{row.events:,}",
                row.limit,
                _value(row.ours, row.unit),
                _value(row.limit_value, row.unit),
                _ratio(row.ratio),
                row.output,
                row.rounds,
            )
        )
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    right = {1, 3, 4, 5}

    def render(cells: Sequence[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        padded = [cell.rjust(width) if i in right else cell.ljust(width) for i, (cell, width) in pairs]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":" if i in right else "-" * (w + 2)) for i, w in enumerate(widths)) + "|"
    return "\n".join([render(lines[0]), rule, *(render(line) for line in lines[1:])])
