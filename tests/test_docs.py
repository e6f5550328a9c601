"""The README and the docs say what the code and data do: figures, tables, commands and snippets.

Figures (event count, date range), the formats table, the sources, the allowed
values and the API page are compared with the library itself, so a change to
the data or the code that leaves the docs behind fails here. Every ``pycon``
snippet runs as a doctest, every ``python`` snippet runs, and every
``$ rnk-events`` command shown with its output is run and compared, each in a
fresh directory holding the example files the page shows (code blocks with a
``title="..."``). The MkDocs build itself is checked by ``.ci/run``.
"""

from __future__ import annotations

import contextlib
import doctest
import importlib
import importlib.util
import io
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import rnk_events
from rnk_events import Category, PartialDate, Status
from rnk_events.actors import ORGANISATIONS
from rnk_events.cli import main as cli_main
from rnk_events.formats import FormatInfo, FormatOption, readable_formats, registry
from tests.conftest import load_script

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
EVENTS = rnk_events.load()

#: Pages whose snippets this file runs (the format, CLI and ingest pages test their own).
RUNNABLE = (
    "README.md", "docs/index.md", "docs/quickstart.md", "docs/dates.md", "docs/own-dataset.md", "docs/api.md",
    "docs/editions.md",
)  # fmt: skip


sync_docs = load_script("sync_docs")

API_MODULES = (
    "dates", "relative", "model", "actors", "collection", "frames", "dataset",
    "formats", "rows", "errors", "changes", "changes_report", "release", "lint", "ingest", "merge",
    "publishing",
)  # fmt: skip


@attrs.frozen
class Block:
    """A fenced code block: its language, its ``title="..."`` (if any) and its text."""

    language: str
    title: str | None
    text: str


def blocks(path: Path) -> list[Block]:
    found = []
    pattern = r"^```(\w+)([^\n]*)\n(.*?)^```\s*$"
    for language, options, text in re.findall(pattern, path.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL):
        title = re.search(r'title="([^"]+)"', options)
        found.append(Block(language, title.group(1) if title else None, text))
    return found


def section(path: Path, heading: str) -> str:
    """The text under a ``## heading``, up to the next heading of that level."""
    text = path.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"{path.name} has no '## {heading}' section"
    return match.group(1)


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the first Markdown table in ``text``, as stripped cells."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    assert len(lines) >= 3, "no table found"
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines[2:]]


# --- figures -----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [README, DOCS / "index.md"], ids=lambda path: path.name)
def test_event_count_matches_the_data(page: Path) -> None:
    counts = [int(number) for number in re.findall(r"\b(\d+) events\b", page.read_text(encoding="utf-8"))]
    assert counts, f"{page.name} states no event count"
    assert set(counts) == {len(EVENTS)}, f"{page.name} says {counts}, the bundled data has {len(EVENTS)} events"


def test_readme_date_range_matches_the_data() -> None:
    first = EVENTS[0].date.dates()[0].display()
    latest = max(event.date.last_day for event in EVENTS)
    last = PartialDate(latest.year, latest.month).display()  # the month: a span may end on its last day
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert f"dated from {first} to {last}" in text


def test_as_of_date_matches_the_data() -> None:
    as_of = EVENTS.info.as_of
    assert as_of is not None
    for page in (README, DOCS / "index.md", DOCS / "data.md"):
        assert as_of.isoformat() in page.read_text(encoding="utf-8"), page.name


# --- tables and lists ----------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "heading"), [(README, "Formats"), (DOCS / "index.md", "What you can export")])
def test_formats_table_is_the_registry(page: Path, heading: str) -> None:
    """Name, extension, and "reads back" exactly for the formats ``load`` can read."""
    rows = table_rows(section(page, heading))
    listed = [(row[0].strip("`"), row[1].strip("`"), row[2] == "yes") for row in rows]
    registry = [(info.name, info.extension, info.reads) for info in rnk_events.FORMATS.values()]
    assert listed == registry
    assert [name for name, _, reads in listed if reads] == [info.name for info in readable_formats()]


def test_generated_tables_are_up_to_date() -> None:
    assert sync_docs.outdated() == [], "run `python scripts/sync_docs.py`"


def test_a_new_registry_entry_reaches_every_formats_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry is the single source: one new entry gives a row on every page, with no other edit."""
    dummy = FormatInfo(
        "dummy",
        (".dummy", ".dmy"),
        "text/x-dummy",
        "a format that exists only in this test",
        "tests.no_such_module",
        options=(FormatOption("shade", str, "how dark"),),
        extra="dummy",
        docs="formats/dummy.md",
    )
    monkeypatch.setitem(registry.FORMATS, "dummy", dummy)
    for page, prefix in sync_docs.PAGES.items():
        synced = sync_docs.synced(page.read_text("utf-8"), prefix)
        rows = table_rows(synced.split(sync_docs.START, 1)[1].split(sync_docs.END, 1)[0])
        assert rows[-1] == [
            "`dummy`",
            "`.dummy`, `.dmy`",
            "no",
            "`shade`",
            f"[a format that exists only in this test]({prefix}formats/dummy.md) "
            "(needs `pip install 'rnk_events[dummy]'`)",
        ], page.name
    assert rnk_events.formats.format_for("notes.DMY") is dummy


def ci_command_lines() -> list[str]:
    """The command lines of ``.ci/run``: no comments, blanks or shell structure."""
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_readme_test_command_is_the_last_line_of_ci() -> None:
    bash = [block.text.strip() for block in blocks(README) if block.language == "bash"]
    assert ci_command_lines()[-1] in bash
    assert bash[1] == ci_command_lines()[-1], "the second command of the README is the test command"


def test_readme_opens_with_the_two_commands() -> None:
    bash = [block.text.strip() for block in blocks(README) if block.language == "bash"]
    assert bash[0] == "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/rnk-events export --all exports/"
    first_screen = README.read_text(encoding="utf-8").split("\n## ", 1)[0]
    assert bash[0] in first_screen
    assert bash[1] in first_screen


def test_sources_page_names_every_source() -> None:
    rows = table_rows((DOCS / "sources.md").read_text(encoding="utf-8"))
    listed = [(row[0].strip("`"), row[1], row[2], row[3]) for row in rows]
    expected = [(s.id, s.publisher, s.title, s.published.isoformat()) for s in EVENTS.info.sources]
    assert listed == expected


def test_data_dictionary_lists_every_category_and_status() -> None:
    for heading, kind in (("Category", Category), ("Status", Status)):
        rows = table_rows(section(DOCS / "data.md", heading))
        assert [row[0].strip("`") for row in rows] == [member.value for member in kind]
        assert all(row[1] for row in rows), f"a {heading.lower()} value has no meaning"


def test_data_dictionary_lists_every_organisation() -> None:
    rows = table_rows(section(DOCS / "data.md", "Actors {#organisations}"))
    assert {row[0].strip("`"): row[1] for row in rows} == ORGANISATIONS


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Event", rnk_events.Event),
        ("Place", rnk_events.Place),
        ("SourceRef", rnk_events.SourceRef),
        ("Source", rnk_events.Source),
        ("DatasetInfo", rnk_events.DatasetInfo),
        ("Withdrawal", rnk_events.Withdrawal),
    ],
)
def test_data_dictionary_lists_every_field(heading: str, kind: type) -> None:
    rows = table_rows(section(DOCS / "data.md", heading))
    assert [row[0].strip("`") for row in rows] == [field.name for field in attrs.fields(kind)]


def test_api_page_documents_each_module_all() -> None:
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^::: rnk_events\.(\w+)\n\s+options:\n\s+members: \[([^\]]*)\]", text, re.MULTILINE))
    assert tuple(documented) == API_MODULES
    intro = text.split("\n::: ", 1)[0]
    missing = [name for name in rnk_events.__all__ if name != "__version__" and f"`{name}`" not in intro]
    assert not missing, f"api.md does not name {missing} among the package's exports"
    for name, members in documented.items():
        module = importlib.import_module(f"rnk_events.{name}")
        assert [member.strip() for member in members.split(",")] == list(module.__all__), name


# --- snippets ------------------------------------------------------------------------------------


@contextlib.contextmanager
def page_directory(page: Path, directory: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Work in ``directory``, holding the example files the page shows."""
    for block in blocks(page):
        if block.title is not None:
            (directory / block.title).write_text(block.text, encoding="utf-8")
    monkeypatch.chdir(directory)
    yield


def pages_with(language: str) -> list[str]:
    return [name for name in RUNNABLE if any(block.language == language for block in blocks(ROOT / name))]


def test_every_runnable_page_has_a_snippet() -> None:
    assert sorted({*pages_with("pycon"), *pages_with("python")}) == sorted(RUNNABLE)


@pytest.mark.parametrize("name", pages_with("pycon"))
def test_pycon_snippets_run_as_shown(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = ROOT / name
    source = "\n".join(block.text for block in blocks(page) if block.language == "pycon")
    test = doctest.DocTestParser().get_doctest(source, {}, name, str(page), 0)
    report = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    with page_directory(page, tmp_path, monkeypatch):
        runner.run(test, out=report.write)
    assert runner.failures == 0, report.getvalue()


@pytest.mark.parametrize("name", pages_with("python"))
def test_python_snippets_run(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = ROOT / name
    snippets = [block.text for block in blocks(page) if block.language == "python"]
    with page_directory(page, tmp_path, monkeypatch):
        for number, snippet in enumerate(snippets, start=1):
            exec(compile(snippet, f"{name} snippet {number}", "exec"), {"__name__": "__snippet__"})
            for target in re.findall(r'export\(.*"([^"/]+)"\)$', snippet, re.MULTILINE):
                assert (tmp_path / target).stat().st_size > 0, f"{name} snippet {number} did not write {target}"


def console_sessions(page: Path) -> list[tuple[str, str]]:
    """``(command, output)`` pairs from the page's ``console`` blocks."""
    sessions = []
    for block in blocks(page):
        if block.language != "console":
            continue
        for command, output in re.findall(r"^\$ (.*)\n((?:(?!\$ ).*\n)*)", block.text, re.MULTILINE):
            sessions.append((command, output))
    return sessions


def test_own_dataset_commands_print_what_the_page_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    page = DOCS / "own-dataset.md"
    sessions = console_sessions(page)
    assert len(sessions) >= 2
    with page_directory(page, tmp_path, monkeypatch):
        for command, expected in sessions:
            program, *arguments = shlex.split(command)
            assert program == "rnk-events"
            status = cli_main(arguments)
            captured = capsys.readouterr()
            assert captured.out + captured.err == expected, command
            assert status == (1 if "error:" in expected else 0), command


def test_the_editions_page_states_the_substantive_rule_the_code_applies() -> None:
    from rnk_events.changes import SUBSTANTIVE_FIELDS

    rule = section(DOCS / "editions.md", "Revisions").split("### The substantive rule", 1)[1]
    bold = re.search(r"a change to the event's \*\*(.+?)\*\*", rule.replace("\n", " "))
    assert bold is not None
    named = {name.strip() for name in re.split(r",| or ", bold.group(1)) if name.strip()}
    assert named == set(SUBSTANTIVE_FIELDS)
