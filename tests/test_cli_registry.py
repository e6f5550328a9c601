"""The registry is the command line's single source of formats: a format added there alone gets its flag, help and run.

A dummy format is put in ``FORMATS`` for one test, backed by a module this
file provides through ``sys.modules``; nothing else is edited, and the parser,
``export --help`` and ``export`` must all pick it up.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from types import ModuleType
from typing import IO, Any

import pytest

from rnk_events.cli import build_parser, main
from rnk_events.errors import OptionError
from rnk_events.formats import FORMATS, FormatInfo, FormatOption, registry
from rnk_events.formats.registry import extensions_text, readable_formats

MODULE = "tests_cli_registry_dummy_format"


def _shout(text: str) -> str:
    if text == "bad":
        raise OptionError("its_flag", "a bad value for the dummy format")
    return text.upper()


ITS_FLAG = FormatOption("its_flag", str, "what the dummy writes 100% of the time", metavar="WORD", parse=_shout)
DUMMY = FormatInfo("dummy", (".dummy",), "text/plain", "a format only this test knows", MODULE, options=(ITS_FLAG,))


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, dict[str, Any]]]:
    """Register the dummy format and its module; yield what each ``write`` call got (event count, options)."""
    seen: list[tuple[int, dict[str, Any]]] = []
    module = ModuleType(MODULE)

    def write(events: Any, stream: IO[bytes], *, its_flag: str | None = None) -> None:
        seen.append((len(events), {"its_flag": its_flag}))
        stream.write(f"{its_flag}\n".encode())

    module.write = write  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, MODULE, module)
    monkeypatch.setitem(registry.FORMATS, "dummy", DUMMY)
    return seen


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def export_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    [subparsers] = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    chosen: argparse.ArgumentParser = subparsers.choices["export"]
    return chosen


def test_the_parser_gets_the_dummy_flag(calls: list[tuple[int, dict[str, Any]]]) -> None:
    exporting = export_parser(build_parser())
    [action] = [action for action in exporting._actions if "--its-flag" in action.option_strings]
    assert action.metavar == "WORD"
    assert action.help is not None
    assert action.help.startswith("dummy: what the dummy writes")
    [fmt] = [action for action in exporting._actions if action.dest == "format"]
    assert fmt.choices is not None
    assert "dummy" in fmt.choices


def test_export_help_lists_the_dummy_format_and_flag(
    calls: list[tuple[int, dict[str, Any]]], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, "export", "--help")
    assert code == 0
    assert "  dummy        .dummy            a format only this test knows\n" in out
    assert "--its-flag WORD" in out
    assert "dummy: what the dummy writes 100% of the time" in out


def test_export_runs_the_dummy_write_with_the_parsed_option(
    calls: list[tuple[int, dict[str, Any]]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "x.dummy"
    code, out, err = run(capsys, "export", "dummy", "-o", str(path), "--its-flag", "v", "--status", "planned")
    assert (code, out) == (0, ""), err
    assert calls == [(2, {"its_flag": "V"})], "the option reaches write parsed by its from_text"
    assert path.read_text("utf-8") == "V\n"
    assert err.split()[:2] == ["dummy", str(path)]


def test_the_extension_picks_the_dummy_format(
    calls: list[tuple[int, dict[str, Any]]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "export", "-o", str(tmp_path / "y.dummy"))
    assert code == 0, err
    assert calls == [(30, {"its_flag": None})]


def test_the_dummy_options_error_is_a_usage_error(
    calls: list[tuple[int, dict[str, Any]]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "export", "dummy", "-o", str(tmp_path / "x.dummy"), "--its-flag", "bad")
    assert code == 2
    assert err == (
        "rnk-events: error: argument --its-flag: a bad value for the dummy format (see 'rnk-events export --help')\n"
    )
    assert calls == []


def test_the_dummy_flag_does_not_apply_to_other_formats(
    calls: list[tuple[int, dict[str, Any]]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "export", "json", "-o", str(tmp_path / "x.json"), "--its-flag", "v")
    assert code == 2
    assert err == "rnk-events: error: --its-flag does not apply to the json format\n"


def test_export_all_writes_the_dummy_format_too(
    calls: list[tuple[int, dict[str, Any]]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "export", "--all", str(tmp_path), "--its-flag", "v", "--stamp", "2024-06-17")
    assert code == 0, err
    assert (tmp_path / "rnk-events.dummy").read_text("utf-8") == "V\n"
    assert len(err.splitlines()) == len(FORMATS)
    assert "warning" not in err


def test_every_registered_option_is_an_export_flag_naming_its_formats() -> None:
    exporting = export_parser(build_parser())
    flags = {flag: action for action in exporting._actions for flag in action.option_strings}
    for info in FORMATS.values():
        for option in info.options:
            action = flags[option.flag]
            assert action.metavar == (None if option.type is bool else option.metavar)  # a switch takes no value
            takers = [name for name, other in FORMATS.items() if other.option(option.name) is not None]
            assert action.help == f"{', '.join(takers)}: {option.help}"


def test_help_names_the_readable_extensions(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    readable = extensions_text(readable_formats())
    for command in ("list", "show", "export"):
        _, out, _ = run(capsys, command, "--help")
        assert f"read this dataset ({readable}) instead of the bundled timeline" in out
    _, out, _ = run(capsys, "validate", "--help")
    assert f"Reads a dataset ({readable}, in the library's layout)" in out
    assert f"the {readable} file to check" in out


def test_export_all_skips_a_format_whose_extra_is_missing_and_writes_the_rest(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = FormatInfo("absent", (".absent",), "text/plain", "needs a package", "no_such_module_xyz", extra="absent")
    monkeypatch.setitem(registry.FORMATS, "absent", missing)
    assert not missing.available()
    status, _, err = run(capsys, "export", "--all", str(tmp_path))
    assert status == 0
    assert "note: absent skipped: it needs pip install 'rnk_events[absent]'" in err
    assert not list(tmp_path.glob("*.absent"))
    assert (tmp_path / "rnk-events.json").is_file()
    assert FORMATS["json"].available()
