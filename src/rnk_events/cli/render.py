"""Text for a terminal: aligned tables, one event in full, the count line, lint warnings.

Everything printed from the data passes through :func:`clean` first, so a
hostile title cannot move the cursor or retitle the window, and widths are
counted in terminal columns, so Hangul and accents line up.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Iterable, Sequence

from rnk_events.actors import actor_name
from rnk_events.cli.common import plural
from rnk_events.collection import EventCollection
from rnk_events.dates import display_day
from rnk_events.lint import LintWarning
from rnk_events.model import DatasetInfo, Event, Status

__all__ = ["clean", "count_line", "lint_line", "render_event", "render_table"]

_MIN_TITLE = 20
_LABEL = 10  # width of the labels in ``show``


def clean(text: str) -> str:
    """Text safe to print: one line, and no control characters a terminal would obey."""
    return "".join("\ufffd" if unicodedata.category(char) == "Cc" else char for char in " ".join(text.split()))


def _cell_width(text: str) -> int:
    """Columns the text takes in a terminal: wide East Asian characters take two, accents none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _truncate(text: str, width: int) -> str:
    if _cell_width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        step = _cell_width(char)
        if used + step > width - 1:
            break
        kept.append(char)
        used += step
    return "".join(kept).rstrip() + "…"


def _clean_prefix(text: str, columns: int) -> str:
    """``clean(text)``, or a cleaned prefix of it wider than ``columns``: the work is bounded by the width.

    A 10 MB title is cut to a few hundred characters before it is cleaned, not
    after. The prefix grows only where the text is mostly whitespace or
    combining marks, which take no columns once cleaned.
    """
    size = 2 * columns + 16
    while size < len(text):
        cleaned = clean(text[:size])
        if _cell_width(cleaned) > columns:
            return cleaned
        size *= 4
    return clean(text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _cell_width(text))


def render_table(headers: Sequence[str], rows: Iterable[Sequence[str]], flexible: int, width: int) -> list[str]:
    """Rows as aligned lines no wider than ``width``, shortening only column ``flexible``.

    The flexible column keeps at least a readable minimum, so on a very narrow
    terminal lines may wrap rather than lose the title altogether.
    """
    limit = max(width, _MIN_TITLE)  # the flexible column is never wider than this
    table = [
        list(headers),
        *([_clean_prefix(cell, limit) if i == flexible else clean(cell) for i, cell in enumerate(row)] for row in rows),
    ]
    widths = [max(_cell_width(row[column]) for row in table) for column in range(len(headers))]
    gap = "  "
    others = sum(widths) - widths[flexible] + len(gap) * (len(widths) - 1)
    widths[flexible] = min(widths[flexible], max(width - others, _MIN_TITLE))
    lines = []
    for row in table:
        cells = [_pad(_truncate(cell, widths[i]), widths[i]) for i, cell in enumerate(row)]
        lines.append(gap.join(cells).rstrip())
    return lines


def count_line(selected: EventCollection, total: EventCollection, filtered: bool) -> str:
    """``"7 of 30 events"`` after a filter, else ``"30 events"``."""
    if filtered:
        return f"{len(selected)} of {plural(len(total), 'event')}"
    return plural(len(selected), "event")


def lint_line(warning: LintWarning, origin: str) -> str:
    """``warning: FILE, event 'ID': message``, or ``warning: FILE: message`` about the whole file."""
    where = f"{origin}, event {warning.event_id!r}" if warning.event_id else origin
    return f"warning: {where}: {warning.message}"


def _field(label: str, value: str, width: int) -> list[str]:
    """A labelled value, wrapped under itself."""
    indent = " " * _LABEL
    return textwrap.wrap(
        clean(value),
        width=max(width, _LABEL + 20),
        initial_indent=f"{label:<{_LABEL}}",
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [label]


def _actor(code: str) -> str:
    try:
        return f"{code} ({actor_name(code)})"
    except KeyError:
        return code


def _source_lines(event: Event, info: DatasetInfo, width: int) -> list[str]:
    lines = ["sources"]
    indent = "    "
    for number, ref in enumerate(event.sources, start=1):
        head = f"{number}. "
        try:
            source = info.source(ref.source)
        except KeyError:
            lines.append(f"  {head}{clean(ref.source)} (not described in this dataset)")
        else:
            lines.extend(
                textwrap.wrap(
                    clean(f"{source.publisher}: {source.title}"),
                    width=width,
                    initial_indent=f"  {head}",
                    subsequent_indent="     ",
                )
            )
            lines.append(f"     published {display_day(source.published)}; id {source.id}")
            if source.url:
                lines.append(f"     {clean(source.url)}")
            elif source.file:
                lines.append(f"     no URL; captured as {clean(source.file)}")
        lines.extend(
            textwrap.wrap(
                clean(f'evidence: "{ref.evidence}"'),
                width=width,
                initial_indent=indent + " ",
                subsequent_indent=indent + " ",
            )
        )
    return lines


def render_event(event: Event, info: DatasetInfo, width: int = 100) -> str:
    """Everything the dataset knows about one event, as text for a terminal."""
    span = event.date
    days = plural(span.days, "day")
    status = event.status.value
    if event.status is not Status.HAPPENED and info.as_of is not None:
        status += f" (as of {display_day(info.as_of)})"
    lines = [*textwrap.wrap(clean(event.title), width=width), ""]
    lines += _field("id", event.id, width)
    lines += _field("date", span.display(), width)
    lines += _field("", f"EDTF {span}, {span.precision.value} precision", width)
    lines += _field("", f"{span.first_day.isoformat()} to {span.last_day.isoformat()} ({days})", width)
    lines += _field("category", event.category.value, width)
    lines += _field("status", status, width)
    lines += _field("actors", ", ".join(_actor(code) for code in event.actors), width)
    if event.people:
        lines += _field("people", "; ".join(event.people), width)
    for number, place in enumerate(event.places):
        where = place.name + (f", {place.country}" if place.country else "")
        if place.has_point:
            where += f" (lat {place.lat}, lon {place.lon})"
        lines += _field("places" if number == 0 else "", where, width)
    lines += ["", *_field("summary", event.summary, width)]
    if event.note:
        lines += _field("note", event.note, width)
    lines += ["", *_source_lines(event, info, width)]
    return "\n".join(lines)
