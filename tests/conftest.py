"""Shared test setup: hypothesis profiles and the location of the source articles."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings

import rnk_events
from rnk_events import EventCollection

# Profiles (docs/testing.md): "dev", the default, is quick enough to run on every change;
# "ci" (HYPOTHESIS_PROFILE=ci, set by .ci/run) tries ten times as many examples and prints
# the blob that replays a failure. No deadline in either: timings on shared runners vary.
settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parent.parent


def load_script(name: str) -> ModuleType:
    """A script in ``scripts/`` imported as a module, so its functions can be tested."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def required(variable: str) -> bool:
    """Whether CI has made an optional check mandatory (fail instead of skip)."""
    return os.environ.get(variable, "") not in ("", "0")


def skip_or_fail(variable: str, reason: str) -> None:
    if required(variable):
        pytest.fail(f"{reason} ({variable} is set, so this check may not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def bundled() -> EventCollection:
    """The bundled timeline, loaded once per test module."""
    return rnk_events.load()


@pytest.fixture(scope="module")
def bundled_xlsx(bundled: EventCollection) -> bytes:
    """The bundled timeline as a workbook (:func:`tests.workbooks.workbook_bytes`)."""
    from tests.workbooks import workbook_bytes  # here: only the xlsx tests pay for importing openpyxl

    return workbook_bytes(bundled)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The folder of source articles: $RNK_EVENTS_SEEDS or ../shared/seeds beside the checkout."""
    folder = Path(os.environ.get("RNK_EVENTS_SEEDS", ROOT.parent / "shared" / "seeds"))
    if not folder.is_dir():
        skip_or_fail("RNK_EVENTS_REQUIRE_SEEDS", f"source articles not found at {folder}")
    return folder
