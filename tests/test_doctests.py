"""The examples in docstrings are run, so they cannot rot."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module_name", ["rnk_events", "rnk_events.relative"])
def test_docstring_examples(module_name: str) -> None:
    result = doctest.testmod(importlib.import_module(module_name))
    assert result.attempted > 0
    assert result.failed == 0
