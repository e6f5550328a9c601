"""``main``: run one command and turn every way it can end into an exit status and at most one line.

This is the only place that catches broadly, so the commands raise
:class:`~rnk_events.cli.common.CliError` and never print an error themselves.
"""

from __future__ import annotations

import argparse
import errno
import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import BinaryIO

from rnk_events.cli.common import (
    EXIT_BROKEN_PIPE,
    EXIT_DATA,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    CliError,
    one_line,
    stderr,
)
from rnk_events.cli.parser import build_parser, command_in

__all__ = ["DEBUG_VARIABLE", "main"]

#: Set this environment variable to see the traceback of an unexpected error.
DEBUG_VARIABLE = "RNK_EVENTS_DEBUG"


class _ClosedOutput(io.TextIOBase):
    """Stands in for a stdout that was closed before the program started (``rnk-events list >&-``).

    Commands that write nothing to stdout still run; one that does fails with one line.
    """

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed; redirect it to a file or a pipe")

    @property
    def buffer(self) -> BinaryIO:
        raise OSError(errno.EBADF, "standard output is closed; redirect it to a file or a pipe")


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status instead of exiting."""
    if sys.stderr is None:  # nowhere to say anything: run silently
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    try:
        words = list(sys.argv[1:] if argv is None else argv)
        parser = build_parser(only=command_in(words))  # only the command that runs gets its arguments
        try:
            args = parser.parse_args(words)
        except SystemExit as done:  # --help and --version
            return done.code if isinstance(done.code, int) else EXIT_OK
        handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
        if handler is None:
            commands = ", ".join(args.commands)
            raise CliError(f"choose a command: {commands} (see '{PROG} --help')", EXIT_USAGE)
        status = handler(args)
        sys.stdout.flush()
        return status
    except CliError as error:
        stderr(f"{PROG}: error: {error.message}")
        return error.code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except OSError as error:
        reason = error.strerror or str(error)
        where = f"{error.filename}: " if error.filename else ""
        stderr(f"{PROG}: error: {one_line(where + reason)}")
        return EXIT_DATA
    except Exception as error:  # a bug still gets one line; the traceback on request
        if os.environ.get(DEBUG_VARIABLE):
            raise
        stderr(
            f"{PROG}: internal error: {type(error).__name__}: {one_line(str(error))} "
            f"(set {DEBUG_VARIABLE}=1 to see the traceback, and please report it)"
        )
        return EXIT_DATA
