"""Markdown for a CMS: the events as a dated list in AP style, each with its summary and its citations.

One list item per event, oldest first::

    - **June 18-19, 2024:** Putin makes a state visit to North Korea

      Russian President Vladimir Putin ...

      Sources: Reuters, “The highs and lows of Russia-North Korea relations under Putin,” June 17, 2024.

The date is :meth:`~rnk_events.dates.DateSpan.display`'s AP style, as
precise as the source and no more ("July 2000", "c. 2024", "Sept. 13,
2023"). An event not reported as having happened says so after its title
("(planned)", "(alleged)", "(disputed)"). The citation line names each
source the event cites, once, in the order cited: the publisher, the title in
quotes (a link where the dataset has the URL) and the day published, from
the dataset's sources; a source the dataset does not describe is named by its
id.

Text from the data is escaped, so a title with ``*``, ``[``, ``<`` or ``#``
shows those characters instead of turning into emphasis, a link, HTML or a
heading; runs of white space (a tab, a line break) become one space, as
Markdown would show them.

With ``plain_text=True`` the same list is plain text with no markup and no
escapes, for a CMS field that takes none: one paragraph per event, a link's
URL in parentheses after the title.
"""

from __future__ import annotations

import re
from typing import IO, TYPE_CHECKING

from rnk_events.dates import DateSpan, PartialDate
from rnk_events.model import Source, Status

if TYPE_CHECKING:
    import datetime as dt

    from rnk_events.collection import EventCollection
    from rnk_events.model import Event

__all__ = ["dumps", "escape", "write"]

# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that start markup
# anywhere in a line (emphasis, code, links, images, HTML, entities, tables, strikethrough).
_INLINE = re.compile(r"([\\`*_\[\]<>&|~#!])")
# These start a block only at the beginning of a line: a list item, a thematic break, a setext
# underline, an ordered list item ("1." or "1)").
_LINE_START = re.compile(r"^([-+=])|^([0-9]+)([.)])")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def escape(text: str) -> str:
    """The text as Markdown that shows exactly these characters, white space collapsed to single spaces."""
    escaped = _INLINE.sub(r"\\\1", _collapse(text))
    return _LINE_START.sub(lambda match: f"\\{match[1]}" if match[1] else f"{match[2]}\\{match[3]}", escaped)


def _day(day: dt.date) -> str:
    return DateSpan(PartialDate(day.year, day.month, day.day)).display()


def _link(url: str) -> str:
    """The URL as a link destination in angle brackets, which take any character but these three."""
    return url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def _citation(source: Source, plain: bool) -> str:
    title = _collapse(source.title)
    if plain:
        quoted = f"“{title},”"
        link = f" ({source.url})" if source.url else ""
        return f"{_collapse(source.publisher)}, {quoted} {_day(source.published)}{link}"
    shown = f"[{escape(title)}](<{_link(source.url)}>)" if source.url else escape(title)
    return f"{escape(source.publisher)}, “{shown},” {_day(source.published)}"


def _citations(event: Event, sources: dict[str, Source], plain: bool) -> str:
    cited = list(dict.fromkeys(ref.source for ref in event.sources))
    parts = [_citation(sources[id_], plain) if id_ in sources else id_ for id_ in cited]
    return "Sources: " + "; ".join(parts) + "."  # every event cites at least one


def _status(event: Event) -> str:
    return "" if event.status is Status.HAPPENED else f" ({event.status.value})"


def _entry(event: Event, sources: dict[str, Source], plain: bool) -> str:
    date = event.date.display()
    citations = _citations(event, sources, plain)
    if plain:
        return f"{date}: {_collapse(event.title)}{_status(event)}\n{_collapse(event.summary)}\n{citations}\n"
    headline = f"- **{escape(date)}:** {escape(event.title)}{_status(event)}"
    return f"{headline}\n\n  {escape(event.summary)}\n\n  {citations}\n"


def _heading(events: EventCollection, plain: bool) -> str:
    info = events.info
    count = f"{len(events)} event{'' if len(events) == 1 else 's'}"
    as_of = f", as of {_day(info.as_of)}" if info.as_of is not None else ""
    title = _collapse(info.title) if plain else "# " + escape(info.title)
    return f"{title}\n\n{count}{as_of}.\n"


def dumps(events: EventCollection, *, plain_text: bool = False) -> str:
    """The whole text: a heading with the dataset's title and count, then one entry per event."""
    sources = {source.id: source for source in events.info.sources}
    parts = [_heading(events, plain_text), *(_entry(event, sources, plain_text) for event in events)]
    return "\n".join(parts)


def write(events: EventCollection, stream: IO[bytes], *, plain_text: bool = False) -> None:
    """Write the list as UTF-8 text, LF line ends; ``plain_text`` leaves out every bit of markup."""
    stream.write(dumps(events, plain_text=plain_text).encode("utf-8"))
