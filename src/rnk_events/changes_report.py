"""A diff of two editions written out: text for a terminal, JSON for tools, Markdown for a correction note.

The Markdown is what a data changelog entry or a published correction
needs: the edition, a count, the events added, withdrawn (with the reason and
any replacement) and removed, and for each changed event a table of what it
said before and what it says now. Values are shown as they are stored (EDTF
dates, ids), so a reader can check them against the files.
"""

from __future__ import annotations

import json
from typing import Any

from rnk_events.changes import DatasetDiff, FieldChange, WithdrawnEvent

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


def _withdrawals_summary(change: FieldChange, covered: set[str]) -> str:
    """What changed in the withdrawn list beyond the withdrawn events reported on their own ("" for nothing).

    ``covered`` are the ids the diff reports as withdrawn events; an entry
    listed for one of them says nothing new.
    """
    old = {entry["id"]: entry for entry in change.old or ()}
    new = {entry["id"]: entry for entry in change.new or ()}
    parts = [
        ("listed", [key for key in new if key not in old and key not in covered]),
        ("no longer listed", [key for key in old if key not in new]),
        ("changed", [key for key in new if key in old and old[key] != new[key]]),
    ]
    return "; ".join(f"{label} {', '.join(ids)}" for label, ids in parts if ids)


def _counts(changes: DatasetDiff) -> str:
    substantive = len(changes.substantive)
    return (
        f"{len(changes.added)} added, {len(changes.withdrawn)} withdrawn, {len(changes.removed)} removed, "
        f"{len(changes.changed)} changed ({substantive} substantively)"
    )


def _why(event: WithdrawnEvent, code: str = "") -> str:
    """The withdrawal's reason as a sentence, then its replacement if any."""
    reason = event.reason if event.reason.endswith((".", "!", "?")) else f"{event.reason}."
    return reason + (f" Replaced by {code}{event.replaced_by}{code}." if event.replaced_by else "")


def render_text(changes: DatasetDiff) -> str:
    """Lines for a terminal: the dataset's changes, then each event's, one field a line."""
    if not changes:
        return "no differences\n"
    lines = [_counts(changes)]
    covered = {gone.id for gone in changes.withdrawn}
    for change in changes.dataset:
        if change.field == "sources":
            lines.append(f"dataset sources: {_sources_summary(change)}")
        elif change.field == "withdrawn":
            if summary := _withdrawals_summary(change, covered):
                lines.append(f"dataset withdrawn: {summary}")
        else:
            lines.append(f"dataset {change.field}: {_shown(change.old)} -> {_shown(change.new)}")
    lines += [f"added {record['id']}: {record['date']} {record['title']}" for record in changes.added]
    for gone in changes.withdrawn:
        lines.append(f"withdrawn {gone.id}: {gone.record['date']} {gone.record['title']}")
        lines.append(f"  on {gone.withdrawn}: {_why(gone)}")
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


#: The fields that record a change rather than make one: a changelog says them in a line, not the table.
_BOOKKEEPING = ("revision", "revised")


def _revision_line(changes: tuple[FieldChange, ...]) -> str:
    """What an event's ``revision`` and ``revised`` became."""
    found = {change.field: change for change in changes if change.field in _BOOKKEEPING}
    parts = []
    if "revision" in found:
        parts.append(f"Revision {_shown(found['revision'].old)} → {_shown(found['revision'].new)}")
    if "revised" in found:
        revised = found["revised"]
        parts.append(f"revised {_shown(revised.new)}" if revised.new else f"revised day {_shown(revised.old)} dropped")
    text = ", ".join(parts)
    return f"{text[:1].upper()}{text[1:]}."


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
        elif change.field == "withdrawn":
            if summary := _withdrawals_summary(change, {gone.id for gone in changes.withdrawn}):
                lines.append(f"- Withdrawn list: {summary}.")
        elif change.field != "version":
            lines.append(f"- Dataset {change.field}: {_cell(change.old)} → {_cell(change.new)}.")
    if (changes.added or changes.withdrawn or changes.removed) and lines[-1]:
        lines.append("")
    lines += [f"- Added `{record['id']}` ({record['date']}): {record['title']}." for record in changes.added]
    for gone in changes.withdrawn:
        what = f"`{gone.id}` ({gone.record['date']}): {gone.record['title']}"
        lines.append(f"- Withdrawn {what}, on {gone.withdrawn}. {_why(gone, '`')}")
    lines += [f"- Removed `{record['id']}` ({record['date']}): {record['title']}." for record in changes.removed]
    for event in changes.changed:
        note = "" if event.substantive else " (not substantive)"
        shown = [change for change in event.changes if change.field not in _BOOKKEEPING] or list(event.changes)
        lines += ["", f"{mark}# `{event.id}`{note}", ""]
        if len(shown) < len(event.changes):
            lines += [_revision_line(event.changes), ""]
        lines += ["| field | was | now |", "|---|---|---|"]
        lines += [f"| {change.field} | {_cell(change.old)} | {_cell(change.new)} |" for change in shown]
    return "\n".join(lines) + "\n"
