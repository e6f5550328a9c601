"""The wheel: built from this checkout, it carries the data, types and schema, and its command works.

This is the one test that sees the package as a user gets it, outside the
source tree: a wheel built with ``python -m build``, installed into a fresh
virtualenv, run from its own ``bin``. It always runs (CI included) and takes a
few seconds.

The build needs hatchling: it is used from the current environment when
installed there (no network), otherwise ``build`` fetches it from the package
index into an isolated environment. The wheel is installed with ``--no-deps``
and the fresh virtualenv borrows the runtime dependencies of the environment
running the tests through a ``.pth`` line, so installing needs no network; the
wheel's declared dependencies are checked in its METADATA instead.
"""

from __future__ import annotations

import email.parser
import importlib.util
import json
import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: Runtime dependencies the wheel must declare (the preamble's fixed list, and defusedxml for workbook XML).
RUNTIME_DEPENDENCIES = {"attrs", "cattrs", "python-dateutil", "icalendar", "openpyxl", "defusedxml"}

#: Files a user's code relies on, by their path inside the wheel.
PACKAGE_FILES = (
    "rnk_events/data/events.json",
    "rnk_events/data/countries.json",
    "rnk_events/py.typed",
    "rnk_events/schema/events.schema.json",
    "rnk_events/vendor/timelinejs/js/timeline.js",
    "rnk_events/vendor/timelinejs/LICENSE-TimelineJS.txt",
    "rnk_events/webpage/page.js",
    "rnk_events/webpage/page.css",
)


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("wheelhouse")
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir)]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-isolation")
    _run([*command, str(ROOT)], cwd=outdir)
    [built] = outdir.glob("rnk_events-*.whl")
    return built


def _clean_env() -> dict[str, str]:
    """The environment without anything that would let the source tree leak onto sys.path."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["COLUMNS"] = "120"
    return env


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel installed; its dependencies come from this environment."""
    home = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", "--without-pip", str(home)], cwd=home)
    python = home / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check"]
    _run([*pip, "install", "--no-deps", "--no-index", "--quiet", str(wheel)], cwd=home, env=_clean_env())
    site_packages = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=home
    ).stdout.strip()
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (Path(site_packages) / "_borrowed_dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    return home


def _bin(venv: Path, name: str) -> str:
    return str(venv / ("Scripts" if os.name == "nt" else "bin") / name)


def test_wheel_carries_the_data_types_and_schema(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        missing = [name for name in PACKAGE_FILES if name not in names]
        assert not missing, f"not in the wheel: {missing}"
        for name in PACKAGE_FILES:
            assert archive.read(name) == (ROOT / "src" / name).read_bytes(), f"{name} differs from the source"
        json.loads(archive.read("rnk_events/schema/events.schema.json"))
        assert "rnk_events/cli/__init__.py" in names
        assert not [name for name in names if name.startswith(("tests/", "docs/")) or "__pycache__" in name]


def test_wheel_declares_the_command_and_the_runtime_dependencies(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        dist_info = next(name.split("/")[0] for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(f"{dist_info}/METADATA").decode("utf-8"))
        entry_points = archive.read(f"{dist_info}/entry_points.txt").decode("utf-8")
    required = {
        re.split(r"[^A-Za-z0-9._-]", requirement, maxsplit=1)[0].lower()
        for requirement in metadata.get_all("Requires-Dist", [])
        if "extra ==" not in requirement
    }
    assert required == RUNTIME_DEPENDENCIES
    assert metadata["Requires-Python"] == ">=3.10"
    assert "rnk-events = rnk_events.cli:main" in entry_points


def test_installed_command_lists_and_exports(venv: Path, tmp_path: Path) -> None:
    env = _clean_env()
    where = _run([_bin(venv, "python"), "-c", "import rnk_events; print(rnk_events.__file__)"], cwd=tmp_path, env=env)
    assert Path(where.stdout.strip()).is_relative_to(venv), "the test must use the installed wheel, not the source"

    version = _run([_bin(venv, "rnk-events"), "--version"], cwd=tmp_path, env=env)
    assert version.stdout.startswith("rnk-events ")

    listing = _run([_bin(venv, "rnk-events"), "list"], cwd=tmp_path, env=env)
    lines = listing.stdout.splitlines()
    assert lines[0].split() == ["DATE", "TITLE", "CATEGORY", "STATUS"]
    assert len(lines) == 31
    assert lines[-1].startswith("June 19-20, 2024")
    assert listing.stderr == "30 events\n"

    out = tmp_path / "out.json"
    export = _run([_bin(venv, "rnk-events"), "export", "json", "-o", str(out)], cwd=tmp_path, env=env)
    document = json.loads(out.read_text("utf-8"))
    assert len(document["events"]) == 30
    assert document["as_of"] == "2024-06-17"
    assert export.stderr.split()[:2] == ["json", str(out)]
