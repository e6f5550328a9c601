"""Golden files: every export of the bundled dataset matches the committed copy in tests/golden/.

A failure here means an export changed. If the change is intended, run
``python scripts/regenerate_golden.py`` and review ``git diff tests/golden``.
"""

from __future__ import annotations

import difflib
import importlib.util
import io
import zipfile
from pathlib import Path

import pytest

from rnk_events import FORMATS
from tests.conftest import ROOT, load_script, skip_or_fail

#: CI sets this, so a format module that has not landed fails there instead of skipping.
REQUIRE = "RNK_EVENTS_REQUIRE_SEEDS"
GOLDEN = ROOT / "tests" / "golden"
FIX = "run `python scripts/regenerate_golden.py` and review `git diff tests/golden`"


script = load_script("regenerate_golden")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """Golden files regenerated now, from the current code, and the warnings printed."""
    directory = tmp_path_factory.mktemp("golden")
    warnings: list[str] = []
    script.regenerate(directory, warn=warnings.append)
    return directory, warnings


def _clip(line: str, width: int = 200) -> str:
    return line if len(line) <= width else line[:width] + f"... ({len(line)} characters)"


def _diff(expected: bytes, actual: bytes, name: str) -> str:
    """Where the files first differ (minified JSON is one long line), then a short unified diff."""
    at = next(
        (i for i, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b), min(len(expected), len(actual))
    )
    window = slice(max(at - 60, 0), at + 60)
    first = f"first difference at byte {at}:\n  golden:  {expected[window]!r}\n  current: {actual[window]!r}"
    lines = difflib.unified_diff(
        expected.decode("utf-8", "replace").splitlines(),
        actual.decode("utf-8", "replace").splitlines(),
        f"tests/golden/{name}",
        f"current {name}",
        lineterm="",
        n=1,
    )
    shown = [_clip(line) for line in lines]
    return "\n".join([first, *shown[:40]]) + ("\n..." if len(shown) > 40 else "")


def _compare(name: str, fresh_dir: Path) -> None:
    committed = GOLDEN / name
    if not committed.is_file():
        pytest.fail(f"golden file tests/golden/{name} is missing: {FIX}")
    expected, actual = committed.read_bytes(), (fresh_dir / name).read_bytes()
    if expected != actual:
        diff = _diff(expected, actual, name)
        pytest.fail(f"tests/golden/{name} differs from the current export; {FIX}\n{diff}", pytrace=False)


@pytest.mark.parametrize("name", list(FORMATS))
def test_export_matches_golden(name: str, fresh: tuple[Path, list[str]]) -> None:
    module = FORMATS[name].module
    if importlib.util.find_spec(module) is None:
        skip_or_fail(REQUIRE, f"format module {module} is not written yet")
    fresh_dir, warnings = fresh
    assert [warning for warning in warnings if warning.startswith(f"WARNING: {name}:")] == []
    output, rendering = script.golden_names(name)
    _compare(rendering or output, fresh_dir)
    if rendering is not None:
        # The committed binary must be the one its committed rendering describes.
        committed = GOLDEN / output
        if not committed.is_file():
            pytest.fail(f"golden file tests/golden/{output} is missing: {FIX}")
        renderer = script.RENDERERS[FORMATS[name].media_type]
        assert renderer(committed.read_bytes()) == (GOLDEN / rendering).read_text("utf-8"), (
            f"tests/golden/{output} does not match tests/golden/{rendering}; {FIX}"
        )


def test_no_stale_golden_files() -> None:
    expected = {".gitattributes"}
    for name in FORMATS:
        expected.update(filter(None, script.golden_names(name)))
    stale = sorted(path.name for path in GOLDEN.iterdir() if path.name not in expected)
    assert stale == [], f"golden files for no registered format: {stale}; delete them"


def test_golden_files_keep_their_line_endings() -> None:
    """Git must not rewrite CRLF (CSV, iCalendar) on checkout, or the byte comparison fails on Windows."""
    assert "* -text" in (GOLDEN / ".gitattributes").read_text("utf-8").splitlines()
    assert b"\r\n" in (GOLDEN / "events.csv").read_bytes()


def _zipped(content: bytes) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr(zipfile.ZipInfo("member.txt"), content)
    return stream.getvalue()


def test_zip_rendering_shows_text_and_still_catches_line_end_changes() -> None:
    """The rendering shows LF line ends for reading; the member hash catches a CRLF/LF change."""
    crlf, lf = script.render_zip(_zipped(b"a\r\nb")), script.render_zip(_zipped(b"a\nb"))
    assert crlf.endswith("== member.txt\na\nb\n")
    assert lf.endswith("== member.txt\na\nb\n")
    assert crlf != lf


def test_pinned_options_are_the_declared_ones() -> None:
    """A format gets a pinned option exactly when its registry entry declares that option."""
    for name, info in FORMATS.items():
        declared = {option.name for option in info.options}
        assert set(script.pinned_options(name)) == declared & set(script.PINNED), name
    assert script.pinned_options("ics") == {"stamp": script.AS_OF}
    assert script.pinned_options("json") == {}
