"""The benchmark suite: every path against its limit, on synthetic data, as ratios in one table.

    python -m benchmarks.run                          # 1k, 10k and 100k events (about 10 minutes on 2 cores)
    python -m benchmarks.run --sizes 1000,10000       # quicker
    python -m benchmarks.run --million                # adds 1M events, and the slow paths at 100k
    python -m benchmarks.run --paths ics,json --sizes 10000 --rounds 7

Each size is a synthetic collection shaped like the bundled one, made with a
fixed seed (:mod:`benchmarks.synth`). Each path runs side by side with its
limit in interleaved rounds (:mod:`benchmarks.timing`) and the table gives the
median of the rounds' ratios, ours / limit: 1× is as fast as the limit, 2× twice
as slow. The machine is shared and noisy: compare ratios within one run, not
absolute times across runs.

Rounds are 7 at 1,000 events, 5 at 10,000 and 3 above (``--rounds`` sets
them all). The slow paths (``xlsx``, ``xlsx-memory``, ``ics``, ``html``) run at most 3
rounds, and only up to ``--slow-up-to`` events (10,000) unless ``--million``
is given, which runs them at 100,000 too and adds 1,000,000 events for the
other paths.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

if __package__ in (None, ""):  # run as a file: python benchmarks/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import limits, paths, synth
from benchmarks.timing import Row, format_table

__all__ = ["ALL_PATHS", "SLOW", "machine", "main", "run_suite"]

#: The paths that take longest per event; by default they stop at --slow-up-to events.
SLOW = frozenset({"xlsx", "xlsx-memory", "ics", "html"})
MILLION = 1_000_000
ROUNDS = {1_000: 7, 10_000: 5, 100_000: 3, MILLION: 3}
SLOW_ROUNDS = 3  # the slow paths' rounds at most, unless --rounds says otherwise
ALL_PATHS = (*paths.PATHS, "cli")


def _rounds_for(size: int) -> int:
    return next((rounds for limit, rounds in sorted(ROUNDS.items()) if size <= limit), 3)


def machine() -> str:
    """Where the run happened: CPUs, CPU model, Python, and whether orjson was importable."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 0
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:  # pragma: no cover - not Linux
        pass
    orjson = f"orjson {limits.ORJSON.__version__}" if limits.ORJSON is not None else "orjson not importable"
    return f"{cpus} CPUs ({model}), Python {platform.python_version()} on {platform.system()}; {orjson}"


def run_suite(
    sizes: Sequence[int],
    *,
    selected: Sequence[str] = ALL_PATHS,
    rounds: int | None = None,
    cli_rounds: int = 10,
    seed: int = synth.SEED,
    slow_up_to: int = 10_000,
    million: bool = False,
    min_batch: float = 0.02,
    progress: Callable[[str], None] | None = None,
    on_error: Callable[[str, int, Exception], None] | None = None,
) -> list[Row]:
    """Run the selected paths at every size and return the table's rows, in order.

    A path that raises stops the suite, unless ``on_error(path, size, error)``
    is given: then the suite carries on without that path's rows.
    """
    say = progress or (lambda message: None)
    unknown = sorted(set(selected) - set(ALL_PATHS))
    if unknown:
        raise ValueError(f"unknown paths {unknown}; choose from {', '.join(ALL_PATHS)}")
    all_sizes = sorted({*sizes, *([MILLION] if million else [])})
    slow_limit = 100_000 if million else slow_up_to
    found: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="rnk-bench-") as scratch:
        for size in all_sizes:
            started = time.perf_counter()
            events = synth.collection(size, seed)
            say(f"{size:,} events generated in {time.perf_counter() - started:.1f} s")
            setting = paths.Setting(events, rounds or _rounds_for(size), seed, Path(scratch), min_batch)
            for name, run in paths.PATHS.items():
                if name not in selected or (name in SLOW and size > slow_limit):
                    continue
                started = time.perf_counter()
                slow = name in SLOW and rounds is None and setting.rounds > SLOW_ROUNDS
                rows = [
                    attrs.evolve(row, key=name)
                    for row in run(attrs.evolve(setting, rounds=SLOW_ROUNDS) if slow else setting)
                ]
                say(f"  {name} at {size:,}: {time.perf_counter() - started:.1f} s")
                found.extend(rows)
                gc.collect()
            del events, setting
            gc.collect()
    if "cli" in selected:
        try:
            found.extend(attrs.evolve(row, key="cli") for row in paths.cli_rows(cli_rounds))
        except Exception as error:
            if on_error is None:
                raise
            on_error("cli", 0, error)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated event counts")
    parser.add_argument("--million", action="store_true", help="add 1,000,000 events; slow paths up to 100,000")
    parser.add_argument("--paths", default=",".join(ALL_PATHS), help=f"comma-separated: {', '.join(ALL_PATHS)}")
    parser.add_argument("--rounds", type=int, default=None, help="rounds at every size (default: 7, 5, 3 by size)")
    parser.add_argument("--cli-rounds", type=int, default=10, help="rounds of the start-up comparison")
    parser.add_argument(
        "--slow-up-to", type=int, default=10_000, help="largest size for the slow paths: xlsx, xlsx-memory, ics, html"
    )
    parser.add_argument("--seed", type=int, default=synth.SEED)
    parser.add_argument("--min-batch", type=float, default=0.02, help="seconds the fastest side's batch lasts")
    args = parser.parse_args(argv)
    sizes = [int(text.replace("_", "")) for text in args.sizes.split(",") if text.strip()]
    failures: list[str] = []

    def failed(path: str, size: int, error: Exception) -> None:
        where = f"{path} at {size:,} events" if size else path
        failures.append(f"{where}: {type(error).__name__}: {error}")
        print(f"  {where} FAILED: {type(error).__name__}: {error}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    rows = run_suite(
        sizes,
        selected=[name.strip() for name in args.paths.split(",") if name.strip()],
        rounds=args.rounds,
        cli_rounds=args.cli_rounds,
        seed=args.seed,
        slow_up_to=args.slow_up_to,
        million=args.million,
        min_batch=args.min_batch,
        progress=lambda message: print(message, file=sys.stderr, flush=True),
        on_error=failed,
    )
    print(f"Machine: {machine()}; seed {args.seed}; {time.perf_counter() - started:,.0f} s in all.")
    print()
    print(format_table(rows))
    print()
    print(
        "ours / limit is the median over rounds of each round's ratio, both sides timed in the same round, "
        "interleaved, after gc.collect(); 1× matches the limit. The machine is shared and noisy: the ratios "
        "of one run are what counts, not the absolute times. Memory rows are peak RSS above the loaded "
        "collection (or cells) per event, each write in a fresh process."
    )
    for failure in failures:
        print(f"FAILED, no row: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
