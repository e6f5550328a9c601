"""Setup shared by test_cli.py, test_cli_export.py and test_cli_validate.py: a wide terminal, the bundled timeline.

One copy for the three modules split from one; a module imports
``wide_terminal`` to make it autouse there.
"""

from __future__ import annotations

import pytest

import rnk_events
from rnk_events import EventCollection

__all__ = ["bundled", "wide_terminal"]


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough that nothing is truncated, unless a test narrows it."""
    monkeypatch.setenv("COLUMNS", "400")


def bundled() -> EventCollection:
    return rnk_events.load()
