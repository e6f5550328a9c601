"""A diff of two editions written out: text for a terminal, JSON for tools, Markdown for a correction note.

The Markdown is what a data changelog entry or a published correction
needs: the edition, a count, and for each changed event a table of what it
said before and what it says now. Values are shown as they are stored (EDTF
dates, ids), so a reader can check them against the files.
"""

from __future__ import annotations

import json
from typing import Any

from rnk_events.changes import DatasetDiff, FieldChange

__all__ = ["render_json", "render_markdown", "render_text"]


def _shown(value: Any) -> str:
    """A value on one line: text as itself, anything else as compact JSON."""
    if value is None:
        return "(none)"
    if value == "":
        return "(empty)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _sources_summary(change: FieldChange) -> str:
    """Which sources were added, removed or changed, by id, instead of the two whole lists."""
    old = {source["id"]: source for source in change.old or ()}
    new = {source["id"]: source for source in change.new or ()}
    parts = [
        ("added", [key for key in new if key not in old]),
        ("removed", [key for key in old if key not in new]),
        ("changed", [key for key in new if key in old and old[key] != new[key]]),
    ]
    return "; ".join(f"{label} {', '.join(ids)}" for label, ids in parts if ids) or "reordered"


def _counts(changes: DatasetDiff) -> str:
    substantive = len(changes.substantive)
    return (
        f"{len(changes.added)} added, {len(changes.removed)} removed, "
        f"{len(changes.changed)} changed ({substantive} substantively)"
    )


def render_text(changes: DatasetDiff) -> str:
    """Lines for a terminal: the dataset's changes, then each event's, one field a line."""
    if not changes:
        return "no differences\n"
    lines = [_counts(changes)]
    for change in changes.dataset:
        shown = (
            _sources_summary(change) if change.field == "sources" else f"{_shown(change.old)} -> {_shown(change.new)}"
        )
        lines.append(f"dataset {change.field}: {shown}")
    lines += [f"added {record['id']}: {record['date']} {record['title']}" for record in changes.added]
    lines += [f"removed {record['id']}: {record['date']} {record['title']}" for record in changes.removed]
    for event in changes.changed:
        lines.append(f"changed {event.id}{'' if event.substantive else ' (not substantive)'}:")
        for change in event.changes:
            lines.append(f"  {change.field}: {_shown(change.old)}")
            lines.append(f"  {' ' * len(change.field)}  -> {_shown(change.new)}")
    return "\n".join(lines) + "\n"


def render_json(changes: DatasetDiff) -> str:
    """The diff as a JSON document (:meth:`DatasetDiff.to_data`), with a final newline."""
    return json.dumps(changes.to_data(), ensure_ascii=False, indent=2) + "\n"


def _cell(value: Any) -> str:
    """A Markdown table cell: pipes escaped, no line breaks, EDTF and ids in code spans."""
    text = _shown(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    if isinstance(value, str) and value and " " not in value:
        return f"`{text}`"
    return text


def _edition(changes: DatasetDiff) -> str:
    version = next((change for change in changes.dataset if change.field == "version"), None)
    if version is None:
        return "Changes"
    return f"Edition {_shown(version.new)} (was {_shown(version.old)})"


def render_markdown(changes: DatasetDiff, heading: str | None = None, level: int = 2) -> str:
    """A changelog entry or correction note: ``heading`` (default: the edition), counts, then tables."""
    mark = "#" * level
    lines = [f"{mark} {heading or _edition(changes)}", ""]
    if not changes:
        return "\n".join([*lines, "No differences.", ""])
    lines += [f"{_counts(changes).capitalize()}.", ""]
    for change in changes.dataset:
        if change.field == "sources":
            lines.append(f"- Sources: {_sources_summary(change)}.")
        elif change.field != "version":
            lines.append(f"- Dataset {change.field}: {_cell(change.old)} → {_cell(change.new)}.")
    if changes.added or changes.removed:
        lines.append("")
    lines += [f"- Added `{record['id']}` ({record['date']}): {record['title']}." for record in changes.added]
    lines += [f"- Removed `{record['id']}` ({record['date']}): {record['title']}." for record in changes.removed]
    for event in changes.changed:
        note = "" if event.substantive else " (not substantive)"
        lines += ["", f"{mark}# `{event.id}`{note}", "", "| field | was | now |", "|---|---|---|"]
        lines += [f"| {change.field} | {_cell(change.old)} | {_cell(change.new)} |" for change in event.changes]
    return "\n".join(lines) + "\n"
