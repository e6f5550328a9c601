"""``rnk-events`` loads only what the command it runs needs (issue 14: start-up ≤ 1.3× ``import rnk_events``).

The start-up goal is measured by the benchmark; these tests check its causes,
counted rather than timed: which modules a ``list`` process has loaded, and
that the ``ingest`` help read from source is the ingester's docstring.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from rnk_events import ingest
from rnk_events.cli.parser import _COMMANDS, _module_docstring, build_parser, command_in
from rnk_events.publishing import serve

#: Modules only some commands use: serve, ingest, diff, workbook, calendar, and the other commands' own.
_NOT_FOR_LIST = (
    "http.server",
    "rnk_events.ingest",
    "rnk_events.changes_report",
    "rnk_events.merge",
    "openpyxl",
    "icalendar",
    "rnk_events.cli.export_command",
    "rnk_events.cli.ingest_command",
    "rnk_events.cli.diff_command",
    "rnk_events.cli.merge_command",
    "rnk_events.cli.publish_command",
    "rnk_events.cli.serve_command",
)


def _modules_after(argv: list[str]) -> set[str]:
    script = (
        "import io, json, sys\n"
        "from rnk_events.cli import main\n"
        "out, sys.stdout = sys.stdout, io.StringIO()\n"
        f"main({argv!r})\n"
        "out.write(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout))


@pytest.mark.parametrize("argv", [["list"], ["--help"], ["list", "--help"]])
def test_list_and_help_load_no_command_specific_module(argv: list[str]) -> None:
    loaded = _modules_after(argv)
    assert loaded.isdisjoint(_NOT_FOR_LIST), sorted(loaded.intersection(_NOT_FOR_LIST))


def test_ingest_help_is_the_ingesters_docstring() -> None:
    assert ingest.__doc__
    assert _module_docstring("rnk_events.ingest") == ingest.__doc__
    subcommands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    help_text = subcommands.choices["ingest"].description
    assert help_text == ingest.__doc__


def test_a_docstring_the_shortcut_cannot_cut_out_comes_from_importing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rnk_h5b_comment_first.py").write_text('# a comment first\n"""The docstring."""\n')
    (tmp_path / "rnk_h5b_escaped.py").write_text('"""Says \\""" inside."""\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _module_docstring("rnk_h5b_comment_first") == "The docstring."
    assert _module_docstring("rnk_h5b_escaped") == 'Says """ inside.'
    assert _module_docstring("rnk_events.publishing.serve") == serve.__doc__


def test_serve_keeps_its_defaults() -> None:
    assert (serve.DEFAULT_HOST, serve.DEFAULT_PORT) == ("127.0.0.1", 8000)


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("name", ["", "no-such-command", *(name for name, _, _ in _COMMANDS)])
def test_a_parser_built_for_one_command_helps_and_parses_as_the_full_one(name: str) -> None:
    full, only = build_parser(), build_parser(only=name)
    assert only.format_help() == full.format_help()
    if name in _subcommands(full):
        assert _subcommands(only)[name].format_help() == _subcommands(full)[name].format_help()
    assert list(_subcommands(only)) == list(_subcommands(full))


@pytest.mark.parametrize(
    ("argv", "command"),
    [(["list"], "list"), (["--version"], ""), (["-h", "export", "ics"], "export"), (["--", "list"], None), ([], "")],
)
def test_the_command_is_the_first_word_that_is_not_an_option(argv: list[str], command: str | None) -> None:
    assert command_in(argv) == command
