"""The workbook's layout: its sheet names and every column with its meaning.

One table per sheet serves three readers: the writer takes its headers from
it, the About sheet's data dictionary prints it, and the readers check headers
against it, so the dictionary cannot fall behind the sheets.
"""

from __future__ import annotations

import re

from rnk_events.formats.xlsx.cells import xml_legal
from rnk_events.model import Category, Status

__all__ = [
    "ABOUT_COLUMNS",
    "ABOUT_LABELS",
    "ABOUT_SHEET",
    "DICTIONARY",
    "EVENTS_COLUMNS",
    "EVENTS_SHEET",
    "MAX_SHEET_TITLE",
    "SOURCES_COLUMNS",
    "SOURCES_SHEET",
    "TIMELINEJS_COLUMNS",
    "TIMELINEJS_HEADER",
    "TIMELINEJS_SHEET",
    "WITHDRAWN_COLUMNS",
    "WITHDRAWN_SHEET",
    "sheet_title",
]

#: Excel's limit on the length of a sheet name.
MAX_SHEET_TITLE = 31
_FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str) -> str:
    """A legal Excel sheet name: at most 31 characters, none of ``[]:*?/\\``.

    Forbidden characters become ``_``; a name may not start or end with ``'``
    nor be Excel's reserved "History", and an empty name becomes "Sheet".
    """
    title = _FORBIDDEN_IN_TITLE.sub("_", xml_legal(name))[:MAX_SHEET_TITLE].strip("'")
    if title.casefold() == "history":
        title += "_"
    return title or "Sheet"


EVENTS_SHEET = sheet_title("Events")
TIMELINEJS_SHEET = sheet_title("TimelineJS")
SOURCES_SHEET = sheet_title("Sources")
WITHDRAWN_SHEET = sheet_title("Withdrawn")
ABOUT_SHEET = sheet_title("About")

_JOINED = "joined with | (a literal \\, | or ; is escaped with \\, as in the CSV)"

#: Events sheet columns and their meanings (also the data dictionary).
EVENTS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "Stable slug naming the event; it never changes once published."),
    (
        "date",
        "The date as EDTF text: 2024-06-19 (a day), 2024-06 (a month), 2024-05~ (about), 2024? (perhaps), "
        "195X (a decade), 2024-21 (spring), 2023-09/2024-06 (lasted from/to), 2023-09/.. (since), "
        "[2024-06-10..2024-06-16] (one day of these). The column is Text-formatted, so a date typed here stays text.",
    ),
    ("display_date", 'The date as a news story writes it (AP style), e.g. "one day between June 10 and 16, 2024".'),
    ("start", "A real date cell when the date is one exact day; otherwise the display text."),
    (
        "first_day",
        "Earliest day the event can touch, as written (a date cell): sort and filter on this. "
        "Empty when the start is open or unknown.",
    ),
    ("last_day", "Latest day the event can touch, inclusive (a date cell). Empty when the end is open or unknown."),
    (
        "is_range",
        "TRUE for an interval (it lasted from start to end); FALSE for a single date or one of a set, "
        "which happened once, somewhere between first_day and last_day.",
    ),
    ("precision", "How much of the date is known: century, decade, year, season, month or day (the coarsest written)."),
    ("qualifier", "uncertain (?), approximate (~), or uncertain and approximate (%); empty when unqualified."),
    ("title", "Short headline of the event."),
    ("summary", "What happened, as the sources report it."),
    ("category", "Kind of event, one of: " + ", ".join(c.value for c in Category) + "."),
    ("status", "How sure the reporting is as of the as-of date: " + ", ".join(s.value for s in Status) + "."),
    ("actors", f"ISO 3166-1 alpha-3 country codes and organisation ids involved, {_JOINED}."),
    ("actor_names", "Readable names of the actors, in the same order, joined with |."),
    ("people", f"People named in the event, {_JOINED}."),
    ("places", f"Places as name;country;lat;lon, {_JOINED}."),
    ("sources", f"Citations as source;evidence (a Sources sheet id; words quoted from it), {_JOINED}."),
    ("note", "Editor's note: caveats, conflicting reports."),
    (
        "revision",
        "How many data editions changed the event substantively (date, title, summary, status, actors, people, "
        "places or sources): 0 as first published.",
    ),
    (
        "revised",
        'Updated: the day of its last substantive change (a date cell), shown as "Updated ..." on its '
        "TimelineJS slide; empty while the event is as first published.",
    ),
)

#: Knight Lab's TimelineJS Google Sheets template header, in its order, with meanings.
TIMELINEJS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Year", "Start year (a number); for a point, the first year it may fall in."),
    ("Month", "Start month 1-12, only when every day the start may fall on is in that month."),
    ("Day", "Start day of the month, only when the start is one known day."),
    ("Time", "Left empty: the data has no times of day."),
    ("End Year", "End year, only for an interval (a point, one of a set included, has no end: one marker, no bar)."),
    ("End Month", "End month, only when the end's month is known."),
    ("End Day", "End day, only when the end's day is known; an open end is drawn to the as-of day."),
    ("End Time", "Left empty."),
    (
        "Display Date",
        'The date in words, as shown on the slide (AP style), e.g. "one day between June 10 and 16, 2024": '
        "what the number cells cannot say.",
    ),
    ("Headline", "The event's title (HTML-escaped: TimelineJS reads this column as HTML)."),
    (
        "Text",
        'The summary (HTML-escaped), plus its status unless it happened, an "Updated ..." line if a data '
        'edition revised it, and its citations ("Sources:", one item per source, as on the TimelineJS '
        "export's slide); title row: the timeline and its as-of date.",
    ),
    ("Media", "Left empty for your newsroom's photo or embed URL."),
    ("Media Credit", "Left empty."),
    ("Media Caption", "Left empty."),
    ("Media Thumbnail", "Left empty."),
    ("Alt Text", "Left empty."),
    ("Type", '"title" on the title row; empty on event rows.'),
    ("Group", "The event's category; TimelineJS groups slides by it."),
    ("Background", "Left empty."),
)
TIMELINEJS_HEADER = tuple(name for name, _ in TIMELINEJS_COLUMNS)

#: Sources sheet columns and their meanings.
SOURCES_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "Source id, as cited in the Events sheet's sources column."),
    ("publisher", "Who published the article."),
    ("title", "The article's headline."),
    ("published", "Publication date (a date cell)."),
    ("url", "Web address, when known (a link)."),
    ("file", "File name of the archived copy the dataset was built from."),
    ("note", "Editor's note on the source."),
)

#: Withdrawn sheet columns and their meanings: the events taken out of the dataset for good.
WITHDRAWN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "The withdrawn event's id, never used again."),
    ("reason", "Why it was withdrawn."),
    ("withdrawn", "The day of the data edition that withdrew it (a date cell)."),
    ("replaced_by", "The id of the event that replaces it; empty when nothing does."),
    ("date", "The withdrawn event's date as it last stood, as EDTF text."),
    ("title", "The withdrawn event's title as it last stood."),
    ("revision", "The withdrawn event's last revision; a calendar cancels it with the next one."),
)

#: About sheet "columns" (its two parts) and their meanings.
ABOUT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("item / value", "Top rows: facts about this workbook, a label in column A and its value in column B."),
    ("sheet / column / meaning", "This data dictionary: every column of every sheet, one line each."),
)
#: The About sheet's labels that the reader takes back, and the dataset field each one gives
#: ("Version" is what workbooks written before "Data version" said).
ABOUT_LABELS = {"Dataset": "name", "Title": "title", "Data version": "version", "Version": "version", "As of": "as_of"}
#: The About sheet label above the data dictionary, where the facts end.
DICTIONARY = "Data dictionary"
