"""Knight Lab's TimelineJS Google Sheets template as events, whichever file the table came in.

A newsroom downloads its filled-in template as CSV or as a workbook; both
readers hand the header and the rows here (:func:`read_table`), so the two
files give the same events and name problems the same way.

The template's columns come from two sources that agree: the CSV template in
TimelineJS 3.9.11 (``src/template/my-own-timeline.csv`` of the npm package
``@knight-lab/timelinejs``, 18 columns), and the Google Sheets template since
TimelineJS 3.9.4 ("Add support for 'Alt Text' column", its changelog), which
adds ``Alt Text`` after ``Media Thumbnail`` (19 columns, as the Excel export's
TimelineJS sheet writes it). TimelineJS reads the columns by name
(``ConfigFactory.js``), so order does not matter here either.

Nothing here imports openpyxl: a CSV sheet is read without it.
"""

from __future__ import annotations

import html.parser
import re
from collections.abc import Iterator, Sequence
from pathlib import PurePath
from typing import Any

import attrs

from rnk_events.collection import EventCollection
from rnk_events.dates import DateError, DateSpan, End, PartialDate, parse_date
from rnk_events.errors import DatasetError, FieldError, Problem, shorten
from rnk_events.formats._cells import typed_cell_text as _text  # a cell as the text a person typed
from rnk_events.formats._checks import Where, finish_read
from rnk_events.formats.timelinejs import slide_dates
from rnk_events.ids import IdPool, draft_id, slug, unique_id
from rnk_events.model import Category, DatasetInfo, Event, Source, SourceRef, Status

__all__ = ["TEMPLATE_COLUMNS_18", "TEMPLATE_COLUMNS_19", "is_template_header", "read_table"]

#: The template's header as TimelineJS 3.9.11 ships it (``src/template/my-own-timeline.csv``).
TEMPLATE_COLUMNS_18 = (
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date", "Headline",
    "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group", "Background",
)  # fmt: skip
#: The Google Sheets template since TimelineJS 3.9.4: ``Alt Text`` (the media's alt text) after ``Media Thumbnail``.
TEMPLATE_COLUMNS_19 = (*TEMPLATE_COLUMNS_18[:15], "Alt Text", *TEMPLATE_COLUMNS_18[15:])

#: The plain text of :func:`rnk_events.formats.timelinejs.status_paragraph`, as the event rows carry it.
_STATUS_LINE = re.compile(r"Status: (\S+)(?: as of .*)?")
#: The plain text of :func:`rnk_events.formats.timelinejs.updated_paragraph`.
_UPDATED_LINE = re.compile(r"Updated (.{1,40})")
#: A citation of a collection without source metadata: ``source-id: “evidence”``.
_BARE_CITATION = re.compile(r"(?P<source>[a-z0-9]+(?:-[a-z0-9]+)*): “(?P<evidence>.+)”")
#: Display Date text longer than this is not read as a date (a set of six dates reads in under 200 characters).
_LONGEST_DISPLAY_DATE = 2_000
#: The template column each event field comes from, for an error the event itself raises.
_COLUMN_OF_FIELD = {"title": "Headline", "evidence": "Headline", "summary": "Text", "sources": "Text"}
_UNITS = ("line", "row")


def _key(name: str) -> str:
    """A column name compared as TimelineJS users type it: any case, any spaces ("end  year", "EndYear")."""
    return "".join(name.split()).casefold()


_TEMPLATE_BY_KEY = {_key(name): name for name in TEMPLATE_COLUMNS_19}
_REQUIRED_KEYS = frozenset(_key(name) for name in TEMPLATE_COLUMNS_18)


def is_template_header(header: Sequence[str]) -> bool:
    """Whether a header is Knight Lab's template: all its 18 columns in any order and case (more are allowed)."""
    return {_key(name) for name in header if isinstance(name, str)} >= _REQUIRED_KEYS


@attrs.frozen
class _Line:
    """One line of a Text cell as TimelineJS shows it, and the first link in it."""

    text: str
    link: str | None


class _VisibleLines(html.parser.HTMLParser):
    """Text outside script and style, one line per block element, with each line's first link."""

    _BLOCKS = frozenset({"br", "p", "div", "li", "ul", "ol", "tr", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"})
    _HIDDEN = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[_Line] = []
        self._parts: list[str] = []
        self._link: str | None = None
        self._hidden = 0

    def _break(self) -> None:
        text = " ".join("".join(self._parts).split())
        if text:
            self.lines.append(_Line(text, self._link))
        self._parts, self._link = [], None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BLOCKS:
            self._break()
        elif tag == "a" and self._link is None:
            self._link = dict(attrs).get("href") or None

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        first, *rest = re.split(r"\r\n|\r|\n", data)  # a line break typed into the cell is one too
        self._parts.append(first)
        for piece in rest:
            self._break()
            self._parts.append(piece)

    def close(self) -> None:
        super().close()
        self._break()


def _visible_lines(fragment: str) -> list[_Line]:
    """The lines TimelineJS shows for a cell it reads as HTML: tags and entities gone, spaces collapsed."""
    parser = _VisibleLines()
    parser.feed(fragment)
    parser.close()
    return parser.lines


def _plain(value: Any) -> str:
    return "\n".join(line.text for line in _visible_lines(_text(value)))


# --- dates ---------------------------------------------------------------------------------------


def _whole_number(value: Any) -> int | None:
    """A date part: None when blank; ValueError when not a whole number.

    Spaces and thousands commas are dropped as TimelineJS's ``clean_integer`` does: "1,815" is 1815.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,3}(?:[\s,]*\d)*", value.strip()):
        digits = re.sub(r"[\s,]", "", value)
        if len(digits.lstrip("-")) > 9:
            raise ValueError(f"{shorten(digits)} is too large for a date part")
        return int(digits)
    raise ValueError(f"{shorten(_text(value))} is not a whole number")


def _timeline_date(cells: dict[str, Any], prefix: str) -> tuple[PartialDate | None, list[tuple[str, str]]]:
    """One end of a date from its Year/Month/Day cells: (date or None, [(column, problem)])."""
    parts: dict[str, int | None] = {}
    problems: list[tuple[str, str]] = []
    for part in ("Year", "Month", "Day"):
        try:
            parts[part] = _whole_number(cells.get(prefix + part))
        except ValueError as error:
            problems.append((prefix + part, str(error)))
    if problems:
        return None, problems
    year, month, day = parts["Year"], parts["Month"], parts["Day"]
    if year is None:
        if month is not None or day is not None:
            return None, [(prefix + "Year", "a month or day needs a year")]
        return None, []
    if year < 1:
        message = f"the year {year} is before 1 CE; the dataset's dates run from year 1 to 9999, so leave this row out"
        return None, [(prefix + "Year", message)]
    if day is not None and month is None:
        return None, [(prefix + "Month", "a day needs a month")]
    try:
        return PartialDate(year, month, day), []
    except DateError as error:
        part = next((name for name in ("Month", "Day") if error.reason.startswith(name.lower())), "Year")
        return None, [(prefix + part, error.reason)]


def _parts(date: PartialDate | None) -> dict[str, int] | None:
    """The Year/Month/Day cells of a date read from the row, as the TimelineJS export's date parts."""
    if date is None:
        return None
    parts = {"year": date.year, "month": date.month, "day": date.day}
    return {name: value for name, value in parts.items() if value is not None}


def _display_span(display: str, start: PartialDate, end: PartialDate | None) -> DateSpan | None:
    """The date the Display Date's words name, when the row's number cells are exactly what it draws as.

    The words can say "about", "one day between", "since" or a season, which
    the cells cannot; they win only when the TimelineJS export would have put
    exactly these cells beside them (an open end drawn to an as-of day counts).
    """
    if not display or len(display) > _LONGEST_DISPLAY_DATE:
        return None
    try:
        span = parse_date(display)
    except DateError:
        return None
    as_of = end.first_day if span.end is End.OPEN and end is not None and end.day is not None else None
    drawn = slide_dates(span, as_of)
    return span if drawn == (_parts(start), _parts(end)) else None


# --- the Text cell: summary, status, citations ---------------------------------------------------


def _without_updated(lines: list[str]) -> list[str]:
    """The lines without the "Updated Dec. 1, 2026" line the workbook writer adds under a revised event."""
    match = _UPDATED_LINE.fullmatch(lines[-1]) if len(lines) > 1 else None
    if match is None:
        return lines
    try:
        day = parse_date(match.group(1))
    except DateError:
        return lines
    return lines[:-1] if day.days == 1 and day.is_exact else lines


def _summary_and_status(lines: list[str]) -> tuple[str, Status]:
    """Split off the "Status: ..." line the workbook writer adds; without one an event happened."""
    lines = _without_updated(lines)
    match = _STATUS_LINE.fullmatch(lines[-1]) if len(lines) > 1 else None
    if match and match.group(1) in {status.value for status in Status}:
        return "\n".join(lines[:-1]), Status(match.group(1))
    return "\n".join(lines), Status.HAPPENED


@attrs.frozen
class _Citation:
    """A citation read from a Text cell: the source (None when the text names only its id) and the words quoted."""

    source: Source | str
    evidence: str


def _full_citation(text: str) -> tuple[str, str, str, str] | None:
    """``Publisher, “Title” (June 17, 2024): “evidence”`` as (publisher, title, published, evidence), or None.

    Split from the ends rather than by a regular expression, so a long or
    hostile line costs linear time.
    """
    if not text.endswith("”"):
        return None
    head, colon, evidence = text[:-1].rpartition("): “")
    head, bracket, published = head.rpartition(" (")
    publisher, comma, title = head[:-1].partition(", “")
    if not (colon and bracket and comma and head.endswith("”") and len(published) <= 40):
        return None
    return publisher, title, published, evidence


def _citation(line: _Line) -> _Citation | None:
    """A line of a "Sources:" list as the TimelineJS export writes it, or None if it is not one."""
    bare = _BARE_CITATION.fullmatch(line.text)
    if bare is not None:
        return _Citation(bare.group("source"), bare.group("evidence"))
    full = _full_citation(line.text)
    if full is None:
        return None
    publisher, title, published_text, evidence = full
    try:
        published = parse_date(published_text)
        if published.days != 1 or not published.is_exact:
            return None
        source = Source(id="draft", publisher=publisher, title=title, published=published.first_day, url=line.link)
    except (DateError, FieldError, TypeError, ValueError):
        return None
    return _Citation(source, evidence)


def _split_text(value: Any) -> tuple[str, Status, list[_Citation]]:
    """The summary, the status and the citations of a Text cell.

    A "Sources:" line counts as the export's list only when every line after
    it is a citation; otherwise it is the newsroom's own prose and stays in the
    summary, word for word.
    """
    lines = _visible_lines(_text(value))
    heading = max((index for index, line in enumerate(lines) if line.text.casefold() == "sources:"), default=None)
    citations: list[_Citation] = []
    if heading is not None and heading + 1 < len(lines):
        found = [_citation(line) for line in lines[heading + 1 :]]
        if all(found):
            citations = [citation for citation in found if citation is not None]
            lines = lines[:heading]
    if not lines:
        return "", Status.HAPPENED, citations
    summary, status = _summary_and_status([line.text for line in lines])
    return summary, status, citations


class _SourceIds:
    """One id per distinct cited article, drafted from its publisher and title (the sheet carries no ids)."""

    def __init__(self) -> None:
        self.sources: dict[Source, Source] = {}
        self._taken = IdPool()

    def ref(self, citation: _Citation) -> SourceRef:
        if isinstance(citation.source, str):
            return SourceRef(citation.source, citation.evidence)
        known = self.sources.get(citation.source)
        if known is None:
            base = slug(f"{citation.source.publisher} {citation.source.title}", "source")
            known = attrs.evolve(citation.source, id=unique_id(base, self._taken))
            self.sources[citation.source] = known
        return SourceRef(known.id, citation.evidence)


# --- the table -----------------------------------------------------------------------------------

#: Template columns whose values the dataset has no field for; a note says which rows had them.
_NOT_KEPT = ("Media", "Media Credit", "Media Caption", "Media Thumbnail", "Alt Text", "Background")


def _where(unit: str, number: int) -> Where:
    return Where(f"{unit} {number}", line=number) if unit == "line" else Where(f"{unit} {number}", row=number)


def _column_label(index: int, unit: str) -> str:
    """A column as the file's users name it: a letter in a sheet ("J"), a number in a CSV ("10")."""
    if unit == "line":
        return str(index + 1)
    letters, number = "", index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _joined(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _rows_named(numbers: Sequence[int], unit: str) -> str:
    shown = ", ".join(str(number) for number in numbers[:5])
    more = f" and {len(numbers) - 5} more" if len(numbers) > 5 else ""
    return f"{unit}{'s' if len(numbers) > 1 else ''} {shown}{more}"


@attrs.frozen
class _Columns:
    """Where each template column is, and the columns that are not the template's."""

    index: dict[str, int]
    width: int
    extra: tuple[str, ...]
    unnamed: frozenset[int]


def _columns(header: Sequence[str], origin: str, unit: str) -> _Columns:
    """The header's template columns; DatasetError if it is not the template or names one twice."""
    names = [_text(name).strip() for name in header]
    first = _where(unit, 1)
    if not is_template_header(names):
        present = {_key(name) for name in names}
        missing = [name for name in TEMPLATE_COLUMNS_18 if _key(name) not in present]
        message = (
            f"not Knight Lab's TimelineJS template: the header lacks {_joined([repr(n) for n in missing])} "
            f"(the template's columns: {', '.join(TEMPLATE_COLUMNS_19)})"
        )
        raise DatasetError([first.problem(origin, "", message)])
    positions: dict[str, list[int]] = {}
    extra: list[str] = []
    unnamed: set[int] = set()
    for index, name in enumerate(names):
        template = _TEMPLATE_BY_KEY.get(_key(name))
        if template is not None:
            positions.setdefault(template, []).append(index)
        elif name:
            extra.append(name)
        else:
            unnamed.add(index)
    problems = [
        first.problem(
            origin,
            "",
            f"duplicate column {names[indexes[0]]!r} in columns "
            f"{_joined([_column_label(index, unit) for index in indexes])}: keep one",
        )
        for indexes in positions.values()
        if len(indexes) > 1
    ]
    if problems:
        raise DatasetError(problems)
    first_of = {name: indexes[0] for name, indexes in positions.items()}
    return _Columns(first_of, len(names), tuple(dict.fromkeys(extra)), frozenset(unnamed))


def _blank(value: Any) -> bool:
    return not _text(value).strip()


def _row(
    cells: dict[str, Any], headline: str, summary: str
) -> tuple[list[tuple[str, str]], DateSpan | None, Category | None]:
    """What is wrong with one event row, as (column, problem), and its span and category when they are right."""
    start, start_problems = _timeline_date(cells, "")
    end, end_problems = _timeline_date(cells, "End ")
    problems = start_problems + end_problems
    if start is None and not start_problems:
        problems.append(("Year", "empty: TimelineJS needs at least a year"))
    if not headline:
        problems.append(("Headline", "empty: an event needs a headline"))
    if not summary:
        problems.append(("Text", "empty: an event needs a summary"))
    group = _text(cells.get("Group")).strip()
    category = next((c for c in Category if c.value == "-".join(group.casefold().split())), None)
    if category is None:
        allowed = ", ".join(c.value for c in Category)
        problems.append(("Group", f"{shorten(group)} is not a category; allowed: {allowed}"))
    span = None
    if start is not None and not start_problems and not end_problems:
        span = _display_span(_plain(cells.get("Display Date")), start, end)
    if start is not None and span is None:
        try:
            span = DateSpan(start, end if end != start else None)
        except DateError as error:
            problems.append(("End Year", error.reason))
    return problems, span, category


def _event_problem(origin: str, where: Where, error: Exception) -> Problem:
    """An error the event itself raised, named by the template column its field came from."""
    if isinstance(error, FieldError):
        return where.problem(origin, _COLUMN_OF_FIELD.get(error.field, ""), error.message)
    return where.problem(origin, "", str(error))


def _cites_only(event: Event, source_id: str) -> bool:
    return all(ref.source == source_id for ref in event.sources)


class _Reading:
    """The state of one table's read: events, problems, notes and the ids handed out so far."""

    def __init__(self, origin: str, unit: str, columns: _Columns) -> None:
        self.origin, self.unit, self.columns = origin, unit, columns
        self.sheet_source = slug(PurePath(origin).name.split(".")[0], "timelinejs-sheet")
        self.title: str | None = None
        self.events: list[tuple[str | Where, Event]] = []
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []
        self.uncited: list[tuple[Where, Event]] = []
        self.ids = IdPool()
        self.source_ids = _SourceIds()
        self.unnamed_values: dict[int, list[int]] = {}
        self.not_kept: dict[str, list[int]] = {}

    def cells(self, number: int, values: Sequence[Any]) -> dict[str, Any]:
        """The row's template cells; values under no header are remembered for a note."""
        for index in range(len(values)):
            if (index >= self.columns.width or index in self.columns.unnamed) and not _blank(values[index]):
                self.unnamed_values.setdefault(index, []).append(number)
        return {name: values[index] for name, index in self.columns.index.items() if index < len(values)}

    def add(self, number: int, values: Sequence[Any]) -> None:
        if all(_blank(value) for value in values):
            return
        where, cells = _where(self.unit, number), self.cells(number, values)
        kind = _text(cells.get("Type")).strip().casefold()
        if kind == "title":
            self._title(where, cells)
        elif kind == "era":
            message = f"an era ({shorten(_plain(cells.get('Headline')))}) is a span drawn behind the slides: not read"
            self.notes.append(where.problem(self.origin, "Type", message))
        else:
            self._event(number, where, cells)

    def _title(self, where: Where, cells: dict[str, Any]) -> None:
        headline = _plain(cells.get("Headline"))
        if self.title is None and headline:
            self.title = headline
        elif headline:
            message = f"a second title row ({shorten(headline)}): the first names the timeline, so not read"
            self.notes.append(where.problem(self.origin, "Type", message))

    def _event(self, number: int, where: Where, cells: dict[str, Any]) -> None:
        headline = _plain(cells.get("Headline"))
        summary, status, citations = _split_text(cells.get("Text"))
        problems, span, category = _row(cells, headline, summary)
        self.problems.extend(where.problem(self.origin, column, message) for column, message in problems)
        if problems or span is None or category is None:
            return
        for column in ("Time", "End Time"):
            if not _blank(cells.get(column)):
                message = f"{shorten(_text(cells.get(column)).strip())} not kept: the dataset has no times of day"
                self.notes.append(where.problem(self.origin, column, message))
        for column in _NOT_KEPT:
            if not _blank(cells.get(column)):
                self.not_kept.setdefault(column, []).append(number)
        try:
            refs = [self.source_ids.ref(citation) for citation in citations]
            event = Event(
                id=draft_id(span, headline, self.ids),
                date=span,
                title=headline,
                summary=summary,
                category=category,
                status=status,
                actors=(),
                sources=refs or (SourceRef(self.sheet_source, headline),),
            )
        except (TypeError, ValueError) as error:
            self.problems.append(_event_problem(self.origin, where, error))
            return
        self.events.append((where, event))
        if not citations:
            self.uncited.append((where, event))

    def finish(self) -> EventCollection:
        sources = tuple(self.source_ids.sources.values())
        if sources:  # each uncited event is a problem below, not also "cites a source the sheet lacks"
            self.events = [(where, event) for where, event in self.events if not _cites_only(event, self.sheet_source)]
        for where, event in self.uncited:
            if sources:
                message = (
                    "cites no article, while other rows list theirs under 'Sources:'; "
                    "list this event's the same way (Publisher, “Title” (June 17, 2024): “words quoted from it”)"
                )
                self.problems.append(where.problem(self.origin, "Text", message))
            else:
                message = f"cites only the sheet itself; add the articles that report it (event {event.id})"
                self.notes.append(where.problem(self.origin, "", message))
        self.notes.extend(self._column_notes())
        self.notes.sort(key=lambda note: note.line or note.row or 0)  # by place in the file; the header's first
        info = DatasetInfo(name=self.sheet_source, sources=sources)
        if self.title:
            info = attrs.evolve(info, title=self.title)
        return finish_read(self.events, info, self.origin, self.problems, notes=self.notes)

    def _column_notes(self) -> Iterator[Problem]:
        header = _where(self.unit, 1)
        if self.columns.extra:
            names = _joined([shorten(name) for name in self.columns.extra])
            yield header.problem(self.origin, "", f"not read: {names}, not columns of Knight Lab's template")
        for index, numbers in sorted(self.unnamed_values.items()):
            label = _column_label(index, self.unit)
            message = f"column {label} has no header; its values ({_rows_named(numbers, self.unit)}) were not read"
            yield header.problem(self.origin, "", message)
        for column, numbers in self.not_kept.items():
            message = f"{column} not kept ({_rows_named(numbers, self.unit)}): the dataset has no field for it"
            yield header.problem(self.origin, column, message)


def read_table(
    header: Sequence[str], rows: Sequence[tuple[int, Sequence[Any]]], origin: str, *, unit: str
) -> EventCollection:
    """Events from a filled-in TimelineJS template: its header, then (line or row number, cells) per row.

    ``unit`` is ``"line"`` (CSV) or ``"row"`` (a sheet), and every problem
    and note names its record by it. Dates keep exactly the precision of the
    cells, or take the Display Date's when the cells are what it draws as; a
    "Sources:" list as the export writes it gives the citations, else the event
    cites the file and a note says it needs its articles. What is not read
    (eras, times, media, other columns) is said in a note. DatasetError lists
    every problem by row (or line) and column. docs/formats/timelinejs.md has
    the whole mapping.
    """
    if unit not in _UNITS:
        raise ValueError(f"unit must be 'line' or 'row', not {unit!r}")
    reading = _Reading(origin, unit, _columns(header, origin, unit))
    for number, values in rows:
        reading.add(number, values)
    return reading.finish()
