"""Draft events from a wire-style timeline: a date heading, then a paragraph.

Agencies publish timelines as plain text ("July, 2000" on its own line, then
what happened). Ingesting turns such text into DRAFT events, so a newsroom
starts from the agency's dates instead of retyping them. Drafts are not
publishable as they stand: category, status and actors are placeholders and
the summary is the agency's own wording (each draft's note says so).

Rules (docs/ingest.md has the details):

- A heading is a line of at most 60 characters that starts a block (the first
  line, after a blank line or a line that ends a sentence, or ending in ":")
  and that parse_date reads once a trailing ":" is removed. Dates inside
  paragraphs are never read.
- A line in a heading's place that only looks like a date ("June 31, 2024",
  "Febuary 2020", "late 2023"), or a date followed by ": text" on one line, is
  an error with its line number; the text under it becomes no event.
- Text before the first heading (title, introduction) is skipped.
  Boilerplate ("(Reporting by ...)", "Comments", "Leave a Reply", ...) is
  dropped; after the last heading everything from the first boilerplate on is
  the page footer. The last entry takes no more paragraphs than the longest
  earlier entry (one if it is the only entry), so a closing remark is left out.
- Whatever is skipped or dropped is reported as a note with its line number.
- A timeline has at least two date headings: a text with one (an article
  whose dateline is its only date) is reported as a problem, not taken as a
  one-entry timeline.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs

from rnk_events.collection import EventCollection
from rnk_events.dates import MONTH_NAMES, DateError, DateSpan, parse_date
from rnk_events.errors import DatasetError, Problem
from rnk_events.ids import IdPool, draft_id, slug
from rnk_events.model import (
    Category,
    DatasetInfo,
    Event,
    Source,
    SourceRef,
    Status,
    to_enum,
)

__all__ = [
    "DRAFT_NOTE",
    "MAX_HEADING_LENGTH",
    "MAX_HEADLINE_LENGTH",
    "MAX_INGEST_CHARACTERS",
    "IngestResult",
    "default_source_id",
    "draft_headline",
    "ingest_file",
    "ingest_text",
]

MAX_HEADING_LENGTH = 60
"""Longest line, in characters, that can be a date heading (``"Oct. 14, 2006 - Dec. 22, 2017:"`` is 30)."""
MAX_HEADLINE_LENGTH = 100
"""Longest drafted headline, in characters: the default ``limit`` of :func:`draft_headline`."""
MAX_INGEST_CHARACTERS = 5_000_000
"""Longest text ingest reads by default (a file: bytes), about 25 times a long agency timeline.

Ingest is linear (about 1 MB/s of prose), so the limit bounds the wait, not
the memory; pass ``max_characters`` to read more.
"""
DRAFT_NOTE = (
    "Draft from rnk_events.ingest: review the category, status and actors, "
    "and rewrite the title and summary in your own words before publishing."
)
"""The ``note`` every draft carries until someone reviews it."""

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_INLINE_HEADING = re.compile(rf"([^:]{{1,{MAX_HEADING_LENGTH}}}):\s+\S")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")

# Words a date-like line may contain besides numbers: month names, misspelt
# ones ("Febuary") included, and the qualifiers people put in front of dates
# that parse_date does not read ("late 2023").
_LONG_MONTH_WORDS = tuple(name for name in MONTH_NAMES if len(name) > 3)
_DATE_WORDS = frozenset(
    {
        "spring", "summer", "autumn", "fall", "winter", "early", "mid", "late", "end", "beginning", "start",
        "around", "about", "circa", "c", "ca", "between", "from", "to", "through", "until", "till", "and", "or",
        "of", "the", "in", "on", "by", "since",
    }
)  # fmt: skip
_DATE_LIKE_CHARS = re.compile(r"[\w\s.,:/'’\-\u2010-\u2015\u2212]+")

_BOILERPLATE_EXACT = frozenset(
    {
        "comments", "comment", "leave a reply", "leave a comment", "post a comment", "add a comment",
        "related", "related articles", "related stories", "related coverage", "read more", "read next",
        "more on this story", "share", "share this", "share this article", "advertisement", "subscribe",
        "sign up", "newsletter", "author information", "about the author", "tags", "topics",
    }
)  # fmt: skip
_BOILERPLATE_START = re.compile(
    r"\(?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled|compiling|research)\s+by\b"
    r"|your email address will not be published"
    r"|copyright\b|©|all rights reserved"
    r"|\d+\s+comments?$"
    r"|(?:click|subscribe|sign up)\b.*\b(?:here|newsletter)\b"
)

_ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "gen", "lt", "col", "sgt", "capt", "maj", "adm", "cmdr", "st", "mt", "ft", "jr",
        "sr", "sen", "rep", "gov", "pres", "prof", "rev", "no", "nos", "vs", "etc", "inc", "co", "corp", "ltd",
        "dept", "est", "approx", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
        "nov", "dec",
    }
)  # fmt: skip
_SENTENCE_CANDIDATE = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(]?[A-Z0-9])")
_CLAUSE_BREAK = re.compile(r"[,;:](?=\s)|\s[-\u2013\u2014](?=\s)")


@attrs.frozen
class IngestResult:
    """Draft events, the problems that need fixing, and notes on what was left out.

    ``problems`` are errors in the text (an unreadable date heading, a heading
    with nothing under it); ``notes`` say what was skipped on purpose (the
    introduction, the footer), so that no text disappears without a word. Both
    use :class:`~rnk_events.errors.Problem`, in line order: ``record`` is
    ``"line N"`` and ``line`` is N, or ``""`` and None for the text as a whole.
    The ``problems`` and ``notes`` examples are from ingesting a ``wire.txt``
    with a title on line 1 and a date heading with nothing under it on line 6.

    :ivar events: The draft events, one per date heading with text under it;
        the collection's info lists the text as its only source, with the
        publication date as the as-of date. Type: ``EventCollection``.
        Example: ``EventCollection()``.
    :ivar problems: The errors in the text, with their line numbers where they
        have one; empty (the default) when every heading was understood.
        Type: ``tuple[Problem, ...]``.
        Example: ``(Problem("wire.txt", "line 6", "", "date heading 'June 18, 2024' has no text", line=6),)``.
    :ivar notes: What was skipped or dropped on purpose, with line numbers;
        empty (the default) when all the text went into drafts.
        Type: ``tuple[Problem, ...]``. Example: ``(Problem("wire.txt", "line 1", "",
        "line 1 before the first date heading skipped (title and introduction)", line=1),)``.
    """

    events: EventCollection
    problems: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the text read as a timeline with every heading understood (notes are fine)."""
        return not self.problems


@attrs.frozen
class _Line:
    number: int
    text: str  # stripped


@attrs.frozen
class _Heading:
    line: _Line
    span: DateSpan


@attrs.frozen
class _BadHeading:
    line: _Line
    message: str


@attrs.frozen
class _Paragraph:
    lines: tuple[_Line, ...]

    @property
    def first(self) -> int:
        return self.lines[0].number

    @property
    def last(self) -> int:
        return self.lines[-1].number

    @property
    def text(self) -> str:
        return " ".join(" ".join(line.text.split()) for line in self.lines)


_Item = _Heading | _BadHeading | _Paragraph


def _heading_text(line: str) -> str:
    text = line.strip()
    return text[:-1].rstrip() if text.endswith(":") else text


@functools.lru_cache(maxsize=4096)
def _is_month_like(word: str) -> bool:
    """A month name or a near miss: "febuary", "jully", "agust" (not "decision", "mayor").

    Cached, and the two cheap upper bounds of a ratio are tried before the
    ratio itself: prose repeats its words, and this runs for every short line.
    """
    if word in MONTH_NAMES:
        return True
    if len(word) < 4:
        return False
    for name in _LONG_MONTH_WORDS:
        matcher = difflib.SequenceMatcher(None, word, name)
        if matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8:
            return True
    return False


def _looks_like_date(text: str) -> bool:
    """Whether a short line is plausibly a date someone got wrong (so it must be reported).

    Every word must be a month (or a near miss) or a date word; the first
    other word settles it, so a line of prose costs a word or two.
    """
    if not _DATE_LIKE_CHARS.fullmatch(text):
        return False
    has_month = False
    for word in re.findall(r"[^\W\d_]+", text.casefold()):
        if word in _DATE_WORDS:
            continue
        if not _is_month_like(word):
            return False
        has_month = True
    return has_month or re.search(r"(?<!\d)\d{4}(?!\d)", text) is not None


def _classify(line: _Line) -> _Heading | _BadHeading | None:
    inline = _INLINE_HEADING.match(line.text)
    if inline is not None:
        try:
            parse_date(inline.group(1))
        except DateError:
            pass
        else:
            return _BadHeading(
                line, f"{inline.group(1)!r} starts a line of text: a date heading must stand on a line of its own"
            )
    if len(line.text) > MAX_HEADING_LENGTH:
        return None
    candidate = _heading_text(line.text)
    if not candidate:
        return None
    try:
        return _Heading(line, parse_date(candidate))
    except DateError as error:
        if _looks_like_date(candidate):
            return _BadHeading(line, f"{line.text!r} looks like a date heading but is not a date: {error.reason}")
        return None


def _items(lines: Sequence[str]) -> Iterator[_Item]:
    """Headings and paragraphs in file order; a paragraph is a run of non-blank lines."""
    current: list[_Line] = []
    previous_blank = True
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            if current:
                yield _Paragraph(tuple(current))
                current = []
            previous_blank = True
            continue
        starts_block = previous_blank or text.endswith(":") or bool(current and _SENTENCE_END.search(current[-1].text))
        previous_blank = False
        heading = _classify(_Line(number, text)) if starts_block else None
        if heading is None:
            current.append(_Line(number, text))
            continue
        if current:
            yield _Paragraph(tuple(current))
            current = []
        yield heading
    if current:
        yield _Paragraph(tuple(current))


def _is_boilerplate(paragraph: _Paragraph) -> bool:
    text = " ".join(paragraph.text.casefold().split()).rstrip(":").strip()
    return text in _BOILERPLATE_EXACT or _BOILERPLATE_START.match(text) is not None


def _at(origin: str, line: int, message: str) -> Problem:
    """A problem or note about one line: ``record`` says it for people, ``line`` for tools."""
    return Problem(origin, f"line {line}", "", message, line=line)


def _lines_label(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


def _quote(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _is_abbreviation(word: str) -> bool:
    bare = word.rstrip(".").lstrip("\"'“‘(")
    return (
        re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", bare) is not None  # U.S, U.N
        or re.fullmatch(r"[A-Z]", bare) is not None  # an initial
        or bare.casefold() in _ABBREVIATIONS
    )


def _word_before(text: str, end: int, floor: int) -> str:
    """The run of non-space characters that ends at ``end``, looking back no further than ``floor``."""
    start = end
    while start > floor and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _first_sentence(text: str) -> str:
    """Up to the first sentence end that is not an abbreviation's period.

    Linear: each candidate end looks back only at its own word (never at the
    text before it), so a paragraph of "Mr. Mr. Mr. ..." costs one pass.
    """
    first_word = next((index for index, char in enumerate(text) if char.isalnum()), len(text))
    floor = 0
    for match in _SENTENCE_CANDIDATE.finditer(text):
        word = _word_before(text, match.start() + 1, floor)
        floor = match.end()
        if match.group().startswith(".") and _is_abbreviation(word):
            continue
        if first_word >= match.start():
            continue  # no words yet: "... And then"
        return text[: match.end()]
    return text


def draft_headline(paragraph: str, limit: int = MAX_HEADLINE_LENGTH) -> str:
    """A headline from a paragraph's first sentence: at most ``limit`` characters, no final period.

    A long sentence is cut at its last clause break (comma, semicolon, colon,
    spaced dash) that keeps at least 60% of the limit, else at a word with "…".
    """
    sentence = " ".join(_first_sentence(" ".join(paragraph.split())).split())
    headline = sentence.rstrip(" .,;:")
    if len(headline) > limit:
        window = headline[: limit + 1]
        breaks = [match.start() for match in _CLAUSE_BREAK.finditer(window) if match.start() >= limit * 0.6]
        if breaks:
            headline = headline[: breaks[-1]].rstrip(" .,;:")
        else:
            cut = window[:limit].rfind(" ")
            headline = (headline[:cut] if cut > 0 else headline[: limit - 1]).rstrip(" .,;:") + "…"
    return headline or sentence[:limit]


def _article_title(items: Sequence[_Item]) -> str | None:
    """The first line of the text when it comes before any heading: usually the headline."""
    if items and isinstance(items[0], _Paragraph):
        return items[0].lines[0].text
    return None


@attrs.define
class _Entry:
    heading: _Heading
    paragraphs: list[_Paragraph] = attrs.field(factory=list)


def _entries(items: Sequence[_Item], origin: str, problems: list[Problem], notes: list[Problem]) -> list[_Entry]:
    entries: list[_Entry] = []
    current: _Entry | None = None
    skipping: _BadHeading | None = None
    intro: list[_Paragraph] = []
    for item in items:
        if isinstance(item, _Heading):
            current, skipping = _Entry(item), None
            entries.append(current)
        elif isinstance(item, _BadHeading):
            current, skipping = None, item
            problems.append(
                _at(origin, item.line.number, f"{item.message}; the text under it was not turned into an event")
            )
        elif skipping is not None:
            where = _lines_label(item.first, item.last)
            message = f"{where} skipped: under the unreadable heading on line {skipping.line.number}"
            notes.append(_at(origin, item.first, message))
        elif current is None:
            intro.append(item)
        else:
            current.paragraphs.append(item)
    if intro and (entries or problems):
        where = _lines_label(intro[0].first, intro[-1].last)
        notes.append(
            _at(origin, intro[0].first, f"{where} before the first date heading skipped (title and introduction)")
        )
    for entry in entries[:-1]:
        for paragraph in entry.paragraphs:
            if _is_boilerplate(paragraph):
                notes.append(_at(origin, paragraph.first, f"boilerplate dropped: {_quote(paragraph.text)}"))
        entry.paragraphs = [paragraph for paragraph in entry.paragraphs if not _is_boilerplate(paragraph)]
    if entries:
        _trim_last(entries, origin, notes)
    return entries


def _trim_last(entries: list[_Entry], origin: str, notes: list[Problem]) -> None:
    """Cut the page footer and any closing remark off the last entry, with a note."""
    last = entries[-1]
    footer = next((i for i, paragraph in enumerate(last.paragraphs) if _is_boilerplate(paragraph)), None)
    if footer is not None:
        dropped = last.paragraphs[footer:]
        del last.paragraphs[footer:]
        where = _lines_label(dropped[0].first, dropped[-1].last)
        notes.append(
            _at(origin, dropped[0].first, f"{where} dropped as the page footer, from {_quote(dropped[0].text)}")
        )
    longest = max([len(entry.paragraphs) for entry in entries[:-1]] + [1])
    if len(last.paragraphs) > longest:
        dropped = last.paragraphs[longest:]
        del last.paragraphs[longest:]
        plural = "paragraph" if longest == 1 else "paragraphs"
        where = _lines_label(dropped[0].first, dropped[-1].last)
        message = (
            f"{where} after the last entry dropped as a closing remark "
            f"(the entries before it have at most {longest} {plural}): {_quote(dropped[0].text)}"
        )
        notes.append(_at(origin, dropped[0].first, message))


def ingest_text(
    text: str,
    *,
    published: dt.date,
    source: Source | str,
    origin: str = "<text>",
    category: Category | str = Category.DIPLOMACY,
    max_characters: int = MAX_INGEST_CHARACTERS,
) -> IngestResult:
    """Draft one event per date heading of a wire-style timeline.

    ``published`` is the article's publication date: a heading that starts after
    it becomes a "planned" draft, every other one "happened". ``source`` is the
    article (a :class:`Source`) or just its id, in which case the source is
    drafted with publisher "unknown" and the text's first line as its title.
    ``category`` is the placeholder category every draft gets. ``origin`` names
    the text in problems and notes (a file name). A text longer than
    ``max_characters`` raises :class:`~rnk_events.errors.DatasetError` before
    any work is done.
    """
    if isinstance(published, dt.datetime) or not isinstance(published, dt.date):
        raise TypeError(f"published: expected a datetime.date, got {type(published).__name__}")
    if isinstance(source, Source) and source.published != published:
        raise ValueError(f"source {source.id!r} was published {source.published}, not {published}")
    _check_size(len(text), "characters", max_characters, origin)
    category = to_enum(Category, category)
    lines = _LINE_BREAK.split(text.removeprefix("\ufeff"))
    items = list(_items(lines))
    problems: list[Problem] = []
    notes: list[Problem] = []
    if not isinstance(source, Source):
        title = _article_title(items) or origin
        source = Source(id=source, publisher="unknown", title=title, published=published)
    entries = _entries(items, origin, problems, notes)
    headings = [item.line.number for item in items if isinstance(item, (_Heading, _BadHeading))]
    if not headings:
        problems.append(Problem(origin, "", "", "no date headings found, so nothing was drafted"))
    elif len(headings) == 1:  # one date is an article's dateline, not a timeline
        message = f"found 1 date heading (line {headings[0]}); a timeline needs at least two \u2014 is this a timeline?"
        problems.append(Problem(origin, "", "", message))
    drafts: list[Event] = []
    taken = IdPool()
    for entry in entries:
        heading = entry.heading
        if not entry.paragraphs:
            problems.append(_at(origin, heading.line.number, f"date heading {heading.line.text!r} has no text"))
            continue
        summary = "\n\n".join(paragraph.text for paragraph in entry.paragraphs)
        headline = draft_headline(entry.paragraphs[0].text)
        drafts.append(
            Event(
                id=draft_id(heading.span, headline, taken),
                date=heading.span,
                title=headline,
                summary=summary,
                category=category,
                status=Status.PLANNED if heading.span.first_day > published else Status.HAPPENED,
                actors=(),
                sources=(SourceRef(source.id, heading.line.text),),
                note=DRAFT_NOTE,
            )
        )
    info = DatasetInfo(name="ingested-drafts", title=f"Drafts from {source.title}", as_of=published, sources=(source,))
    problems.sort(key=_line_of)
    notes.sort(key=_line_of)
    return IngestResult(EventCollection(drafts, info), tuple(problems), tuple(notes))


def _check_size(size: int, unit: str, limit: int, origin: str) -> None:
    if size > limit:
        message = (
            f"the text is {size:,} {unit}, more than the {limit:,} ingest reads "
            "(is it a timeline? pass max_characters to read more)"
        )
        raise DatasetError([Problem(origin, "", "", message)])


def _line_of(problem: Problem) -> int:
    return problem.line or 0


def default_source_id(path: str | os.PathLike[str]) -> str:
    """The id a file is cited by when none is given: a slug of its name (``"Wire 2024.txt"``: ``wire-2024``)."""
    return slug(Path(path).stem, "ingested")


def ingest_file(
    path: str | os.PathLike[str],
    *,
    published: dt.date,
    source_id: str | None = None,
    publisher: str = "unknown",
    category: Category | str = Category.DIPLOMACY,
    max_characters: int = MAX_INGEST_CHARACTERS,
) -> IngestResult:
    """Draft events from a UTF-8 text file, as :func:`ingest_text` does, citing the file as the source.

    The drafted source records ``publisher`` and the file's name, so a reviewer
    can find the capture again; ``source_id`` defaults to
    :func:`default_source_id`. Problems and notes name the file by its path.
    Raises OSError when the file cannot be read, UnicodeDecodeError when it
    is not UTF-8 (a leading byte-order mark is allowed), and DatasetError when
    it is over ``max_characters`` bytes (checked before it is read).
    """
    location = Path(path)
    with location.open("rb") as handle:
        data = handle.read(max_characters + 1)  # read no more than needed to know: a pipe has no size
        if len(data) > max_characters:
            size = max(os.fstat(handle.fileno()).st_size, len(data))
            _check_size(size, "bytes", max_characters, str(location))
    text = data.decode("utf-8-sig")
    cited = source_id or default_source_id(location)
    result = ingest_text(
        text,
        published=published,
        source=cited,
        origin=str(location),
        category=category,
        max_characters=max_characters,
    )
    info = result.events.info
    source = attrs.evolve(info.source(cited), publisher=publisher, file=location.name)
    events = EventCollection(result.events, attrs.evolve(info, sources=(source,)))
    return attrs.evolve(result, events=events)
