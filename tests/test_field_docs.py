"""Every field of every record is documented where users look: ``help()``, the API reference, the data dictionary.

``attrs.fields`` is the oracle for the fields. ``help()`` shows a record's class docstring, whose ``:ivar name:``
entries (one per field, in field order) give the meaning, then ``Type: ``...``. Example: ``...``.``; the type
must evaluate to the field's annotation and the examples must build a valid record. The records are the model's
and the others a caller meets: ``Problem``, ``FormatInfo``, ``FormatOption``, and the results of linting, ingesting,
merging and checking a release (``LintWarning``, ``IngestResult``, ``Match``, ``MergeReport``, ``ReleaseProblem``).
The errors document the attributes their ``__init__`` sets the same way, with an instance built from the examples
as the oracle. The API reference renders the same entries as the class's attribute table (griffe's Sphinx parser),
and leaves out members without a docstring of their own, so it has no empty attribute entries; every other public
name of the documented modules has a docstring of its own (a module constant's is the string literal after it,
which griffe reads; griffe does not read ``#:`` comments). ``docs/data.md`` has a table per record with the same
fields, and the same meanings for the category and status values as the enums' ``:cvar`` entries.
"""

from __future__ import annotations

import collections.abc
import datetime
import enum
import importlib
import logging
import pydoc
import re
import types
import typing
from pathlib import Path
from typing import Any

import attrs
import pytest

import rnk_events
from rnk_events import errors, ingest, lint, merge, model, release
from rnk_events.formats import registry

ROOT = Path(__file__).resolve().parent.parent
DATA_MD = ROOT / "docs" / "data.md"
API_MD = ROOT / "docs" / "api.md"

RECORDS = [cls for name in model.__all__ if attrs.has(cls := getattr(model, name))]
ENUMS = [cls for name in model.__all__ if isinstance(cls := getattr(model, name), enum.EnumMeta)]

#: The modules whose reference sections leave out members without a docstring: each public member is described.
DOCUMENTED = [
    "rnk_events.model",
    "rnk_events.errors",
    "rnk_events.formats",
    "rnk_events.actors",
    "rnk_events.relative",
    "rnk_events.lint",
    "rnk_events.ingest",
    "rnk_events.merge",
    "rnk_events.release",
]
#: The modules whose records a caller meets besides the model's: they are not all re-exported by ``rnk_events``.
OTHER_MODULES = (errors, registry, lint, ingest, merge, release)
PUBLIC = [getattr(module, name) for module in OTHER_MODULES for name in module.__all__]
#: The records of the errors, the format registry, and linting, ingesting and merging.
OTHER_RECORDS = [cls for cls in PUBLIC if attrs.has(cls)]
#: The errors, whose attributes are set by ``__init__`` rather than declared.
ERRORS = [cls for cls in PUBLIC if isinstance(cls, type) and issubclass(cls, BaseException) and not attrs.has(cls)]

#: What a documented type or example may name besides builtins.
NAMESPACE: dict[str, Any] = {
    "datetime": datetime,
    "Any": Any,
    "Callable": collections.abc.Callable,
    **{name: getattr(rnk_events, name) for name in rnk_events.__all__},
    **{name: getattr(module, name) for module in (lint, ingest, merge, release) for name in module.__all__},
}

ENTRY = re.compile(
    r"(?P<meaning>.+?) Type: ``(?P<type>[^`]+)``\. Example: ``(?P<example>[^`]+)``"
    r"(?: \(stored as ``(?P<stored>[^`]+)``\))?\.",
)


def help_text(cls: type) -> str:
    """What ``help(cls)`` prints, without pydoc's `` |  `` margin."""
    text = pydoc.plain(pydoc.render_doc(cls))
    return "\n".join(re.sub(r"^ \|  ?", "", line) for line in text.splitlines())


def field_list(cls: type, kind: str) -> dict[str, str]:
    """The ``:kind name: text`` entries that ``help(cls)`` shows, each text on one line."""
    entries = re.findall(rf"^:{kind} (\w+): (.*(?:\n    .*)*)", help_text(cls), re.MULTILINE)
    names = [name for name, _ in entries]
    assert len(set(names)) == len(names), f"{cls.__name__} documents a name twice: {names}"
    return {name: " ".join(text.split()) for name, text in entries}


def field_types(cls: type) -> dict[str, Any]:
    """The fields' annotations, evaluated in the module only: a slotted class's ``type`` field would shadow ``type``."""
    return typing.get_type_hints(cls, localns={})


def entries(cls: type) -> dict[str, re.Match[str]]:
    """The ``:ivar`` entries of ``help(cls)``, each checked for a meaning, a type and an example."""
    documented = field_list(cls, "ivar")
    matches = {}
    for name, text in documented.items():
        entry = ENTRY.fullmatch(text)
        assert entry, f"{cls.__name__}.{name}: expected 'meaning Type: ``...``. Example: ``...``.'"
        assert len(entry["meaning"].split()) >= 3, f"{cls.__name__}.{name}: say what it means"
        matches[name] = entry
    return matches


def conforms(value: object, annotation: Any) -> bool:
    """Whether ``value`` is of ``annotation``: a class, a union, or ``tuple[X, ...]`` (what the errors use)."""
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return isinstance(value, annotation)
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return any(conforms(value, option) for option in typing.get_args(annotation))
    if typing.get_origin(annotation) is tuple and typing.get_args(annotation)[1:] == (Ellipsis,):
        item = typing.get_args(annotation)[0]
        return isinstance(value, tuple) and all(conforms(part, item) for part in value)
    raise AssertionError(f"conforms() does not know {annotation!r}")


def data_md_section(heading: str) -> str:
    text = DATA_MD.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"data.md has no '## {heading}' section"
    return match.group(1)


def first_column_and_last(section: str) -> list[tuple[str, str]]:
    """The first and the last cell of each body row of the section's first table."""
    lines = [line for line in section.splitlines() if line.startswith("|")]
    assert len(lines) >= 3, "no table found"
    cells = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines[2:]]
    return [(row[0].strip("`"), row[-1]) for row in cells]


def test_every_public_record_and_enum_is_checked() -> None:
    assert {cls.__name__ for cls in RECORDS} == {"DatasetInfo", "Event", "Place", "Source", "SourceRef", "Withdrawal"}
    assert {cls.__name__ for cls in ENUMS} == {"Category", "Status"}
    assert {cls.__name__ for cls in OTHER_RECORDS} == {
        "FormatInfo",
        "FormatOption",
        "Problem",
        "LintWarning",
        "IngestResult",
        "Match",
        "MergeReport",
        "ReleaseProblem",
    }
    assert {cls.__name__ for cls in ERRORS} == {
        "DatasetError",
        "ExportError",
        "FieldError",
        "FieldTypeError",
        "OptionError",
        "UnavailableFormatError",
        "WithdrawnEventError",
    }


@pytest.mark.parametrize("cls", RECORDS + OTHER_RECORDS, ids=lambda cls: cls.__name__)
def test_help_documents_every_field_with_meaning_type_and_example(cls: type) -> None:
    fields = attrs.fields(cls)
    hints = field_types(cls)  # not Attribute.type, which is text until something resolves it
    documented = entries(cls)
    assert list(documented) == [field.name for field in fields], "one :ivar entry per field, in field order"
    examples = {}
    for field in fields:
        entry = documented[field.name]
        stated = eval(entry["type"], NAMESPACE)
        assert stated == hints[field.name], f"{cls.__name__}.{field.name}: the type is not the annotation"
        examples[field.alias] = eval(entry["example"], NAMESPACE)
    record = cls(**examples)  # the examples are valid values, together
    for field in fields:
        stored = documented[field.name]["stored"]
        if stored is not None:
            assert getattr(record, field.name) == eval(stored, NAMESPACE), f"{cls.__name__}.{field.name}"


@pytest.mark.parametrize("cls", ERRORS, ids=lambda cls: cls.__name__)
def test_help_documents_every_attribute_of_an_error(cls: type[BaseException]) -> None:
    """The constructor's parameters are the attributes; an error built from the examples has exactly those."""
    documented = entries(cls)
    examples = {name: eval(entry["example"], NAMESPACE) for name, entry in documented.items()}
    error = cls(**examples)
    assert list(vars(error)) == list(documented), "one :ivar entry per attribute, in the order __init__ sets them"
    for name, entry in documented.items():
        value = getattr(error, name)
        assert conforms(value, eval(entry["type"], NAMESPACE)), f"{cls.__name__}.{name}: {value!r} is not the type"
        expected = eval(entry["stored"], NAMESPACE) if entry["stored"] else examples[name]
        assert value == expected, f"{cls.__name__}.{name}"


def test_the_registry_examples_are_the_entries_they_say() -> None:
    """``FormatInfo``'s examples are the ``json`` entry, ``FormatOption``'s the ``ics`` format's ``calendar_name``."""

    assert example(registry.FormatInfo) == registry.FORMATS["json"]
    option = registry.FORMATS["ics"].option("calendar_name")
    assert option is not None
    assert example(registry.FormatOption) == option
    assert option.parse is None  # parse is not compared by ==


def example(cls: type) -> Any:
    """The record that the examples of ``help(cls)`` build."""
    return cls(**{name: eval(entry["example"], NAMESPACE) for name, entry in entries(cls).items()})


SUMMIT_2019 = "2019-04-25-first-putin-kim-jong-un-summit-vladivostok"
#: The ``wire.txt`` of ``IngestResult``'s examples: a title on line 1, a heading with nothing under it on line 6.
WIRE = "Timeline\n\nJune 17, 2024\nThe Kremlin announces the visit.\n\nJune 18, 2024\n\nJune 19, 2024\nPutin flies.\n"


def test_the_lint_ingest_and_merge_examples_are_what_they_say() -> None:
    """Each class docstring says where its examples come from; doing that gives them."""
    bundled = rnk_events.load()
    visit = bundled.get("2024-06-18-putin-state-visit-to-north-korea")
    happened = attrs.evolve(visit, status=rnk_events.Status.HAPPENED)
    changed = rnk_events.EventCollection([happened, *(event for event in bundled if event is not visit)], bundled.info)
    assert lint.lint(changed) == [example(lint.LintWarning)]

    result = ingest.ingest_text(WIRE, published=datetime.date(2024, 6, 17), source="wire", origin="wire.txt")
    documented = example(ingest.IngestResult)
    assert (result.problems, result.notes) == (documented.problems, documented.notes)

    report = merge.merge(bundled, [bundled.get(SUMMIT_2019)])
    assert report == example(merge.MergeReport)
    assert report.matched == (example(merge.Match),)


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
def test_data_dictionary_has_every_field(cls: type) -> None:
    listed = [name for name, _ in first_column_and_last(data_md_section(cls.__name__))]
    assert listed == [field.name for field in attrs.fields(cls)]


@pytest.mark.parametrize("kind", ENUMS, ids=lambda kind: kind.__name__)
def test_help_gives_every_enum_value_the_data_dictionary_meaning(kind: type[enum.Enum]) -> None:
    documented = field_list(kind, "cvar")
    assert list(documented) == [member.name for member in kind], "one :cvar entry per member, in order"
    meanings = dict(first_column_and_last(data_md_section(kind.__name__)))
    for member in kind:
        value, _, meaning = documented[member.name].partition(": ")
        assert value == f'``"{member.value}"``', member.name
        assert meaning == meanings[member.value], f"{member.name}: help() and data.md disagree"


@pytest.mark.parametrize("path", DOCUMENTED)
def test_the_reference_leaves_out_members_without_a_docstring(path: str) -> None:
    """The fields have no docstring of their own: their description is the class's attribute table."""
    text = API_MD.read_text(encoding="utf-8")
    block = re.search(rf"^::: {re.escape(path)}\n((?:    .*\n)+)", text, re.MULTILINE)
    assert block, f"api.md has no {path} section"
    assert re.search(r"^\s+show_if_no_docstring: false$", block.group(1), re.MULTILINE)


def own_docstring(obj: Any) -> str:
    return obj.docstring.value.strip() if obj.docstring else ""


@pytest.mark.parametrize("path", DOCUMENTED)
def test_the_reference_describes_every_public_member(path: str, caplog: pytest.LogCaptureFixture) -> None:
    """What mkdocstrings renders: each public member has its own docstring or a described attribute-table row."""
    griffe = pytest.importorskip("griffe")
    module = griffe.load(path, search_paths=[str(ROOT / "src")], resolve_aliases=False)
    runtime_module = importlib.import_module(path)
    with caplog.at_level(logging.WARNING, logger="griffe"):
        assert set(module.exports) == set(runtime_module.__all__), path  # the names api.md lists
        for name in module.exports:
            obj = module[name]  # an alias (a name the module imports) renders its target's docstring
            assert own_docstring(obj), f"{path}.{name} would render empty"
            sections = obj.docstring.parse("sphinx")
            if not obj.is_class:
                continue
            table = {
                attribute.name: attribute.description
                for section in sections
                if section.kind.value == "attributes"
                for attribute in section.value
            }
            members = [member for member in obj.members.values() if not member.name.startswith("_")]
            runtime = getattr(runtime_module, name)
            if attrs.has(runtime):
                assert list(table) == [field.name for field in attrs.fields(runtime)], name
            for member in members:
                own = own_docstring(member)
                assert own or table.get(member.name, "").strip(), f"{name}.{member.name} would render empty"
                assert not (own and member.name in table), f"{name}.{member.name} is documented twice"
                if own:
                    member.docstring.parse("sphinx")  # warnings, say for a bad :param: entry, fail below
    assert not caplog.records, [record.getMessage() for record in caplog.records]
