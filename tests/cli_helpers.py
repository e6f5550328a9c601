"""Running the ``rnk-events`` command in-process, for the CLI tests."""

from __future__ import annotations

import pytest

from rnk_events.cli import main

__all__ = ["run"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``rnk-events ARGV...``: its exit code, standard output and standard error."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err
