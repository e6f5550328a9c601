"""Killing an exporting process (SIGKILL) at a moment it announces, for the kill -9 tests.

The script runs in a fresh interpreter, prints one line when it reaches the
moment under test and sleeps there; :func:`killed_after_first_line` kills it
as soon as that line arrives, so the kill lands at that moment every time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import rnk_events

__all__ = ["PAUSED_FOLDER_EXPORT", "SRC", "killed_after_first_line"]

#: The folder holding the package under test, put first on a child's PYTHONPATH.
SRC = str(Path(rnk_events.__file__).resolve().parent.parent)

#: Writes the bundled timeline as a data package folder (argv[1]), printing "paused" and sleeping at
#: argv[2]: "build" (the first fsync), "before-swap" or "after-swap" (around the folder exchange).
PAUSED_FOLDER_EXPORT = """
    import os, sys, time
    import rnk_events
    import rnk_events.publishing.swap as swap
    from rnk_events.formats import datapackage

    where = sys.argv[2]

    def pause():
        print("paused", flush=True)
        time.sleep(120)

    real_fsync, real_exchange = os.fsync, swap.exchange

    def fsync(descriptor):
        if where == "build":
            pause()
        return real_fsync(descriptor)

    def exchange(first, second):
        if where == "before-swap":
            pause()
        done = real_exchange(first, second)
        if where == "after-swap":
            pause()
        return done

    os.fsync, swap.exchange = fsync, exchange
    datapackage.write_directory(rnk_events.load(), sys.argv[1])
"""


def killed_after_first_line(script: str, *args: str) -> tuple[bytes, int]:
    """Run ``script`` with ``args``, SIGKILL it once it prints a line: that line and its exit status.

    The line is empty if the script ended without printing one (then it was not killed).
    """
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        env={**os.environ, "PYTHONPATH": SRC},
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    with process.stdout:
        said = process.stdout.readline()
        process.send_signal(signal.SIGKILL)
        return said, process.wait(timeout=30)
