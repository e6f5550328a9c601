"""Drafting events from wire-style timelines: headlines, headings, headers and footers, problems, the library."""

from __future__ import annotations

import calendar
import datetime as dt
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import Category, DateSpan, PartialDate, Source, Status, parse_date
from rnk_events.cli import main as cli_main
from rnk_events.ingest import (
    DRAFT_NOTE,
    MAX_HEADLINE_LENGTH,
    default_source_id,
    draft_headline,
    ingest_file,
    ingest_text,
)
from tests.strategies import spans
from tests.wire_seeds import REUTERS, REWRITE, SEED_DATES

PUBLISHED = dt.date(2024, 6, 17)
NEWS_STORY = "004_982faab3ac78e7ba.txt"  # an AFP news story with a dateline, not a timeline


def ingest(text: str, **options: object) -> rnk_events.ingest.IngestResult:
    return ingest_text(text, published=PUBLISHED, source="wire", origin="t.txt", **options)  # type: ignore[arg-type]


def lines_of(problems: tuple[rnk_events.Problem, ...]) -> list[str]:
    return [problem.record for problem in problems]


# --- the two wire timelines ----------------------------------------------------------------------


def test_both_seed_timelines_yield_the_same_dates(seeds_dir: Path) -> None:
    original = ingest_text((seeds_dir / REUTERS).read_text("utf-8"), published=PUBLISHED, source="reuters-timeline")
    rewrite = ingest_text((seeds_dir / REWRITE).read_text("utf-8"), published=PUBLISHED, source="timeline-rewrite")
    assert [str(event.date) for event in original.events] == SEED_DATES
    assert [str(event.date) for event in rewrite.events] == SEED_DATES
    assert original.problems == rewrite.problems == ()


def test_seed_dates_are_the_bundled_events_the_timeline_body_supports(seeds_dir: Path) -> None:
    """Every bundled event citing the wire from below its first heading has an ingested twin, and only those."""
    text = (seeds_dir / REUTERS).read_text("utf-8")
    result = ingest_text(text, published=PUBLISHED, source="reuters-timeline")
    body = text[text.index("July, 2000") :]
    cited = [
        (event, ref.evidence)
        for event in rnk_events.load()
        for ref in event.sources
        if ref.source == "reuters-timeline"
    ]
    assert all(evidence in text for _, evidence in cited), "the bundled evidence is verbatim"
    from_body = sorted(str(event.date) for event, evidence in cited if evidence in body)
    from_intro = [event.id for event, evidence in cited if evidence not in body]
    assert from_body == [str(event.date) for event in result.events]
    # The 15th event citing the wire is the announcement in its introduction, which has no heading.
    assert from_intro == ["2024-06-17-russia-north-korea-announce-putin-visit"]


def test_seed_drafts_keep_the_wire_text_and_cite_the_heading(seeds_dir: Path) -> None:
    text = (seeds_dir / REUTERS).read_text("utf-8")
    result = ingest_text(text, published=PUBLISHED, source="reuters-timeline", origin=REUTERS)
    first, last = result.events[0], result.events[-1]
    assert first.summary.startswith("Putin visits North Korea in the first year of his presidency")
    assert first.summary.endswith("It is Putin's first to North Korea.")
    assert [(ref.source, ref.evidence) for ref in first.sources] == [("reuters-timeline", "July, 2000")]
    assert result.events[1].sources[0].evidence == "Oct. 14, 2006 - Dec. 22, 2017"
    assert result.events.get("2022-02-24-russia-invades-ukraine").title == "Russia invades Ukraine"
    assert first.status is Status.HAPPENED
    assert first.category is Category.DIPLOMACY
    assert first.actors == ()
    assert first.note == DRAFT_NOTE
    assert last.status is Status.PLANNED, "June 18-19 is after the publication date"
    assert last.summary == "The dates for Putin's second visit to North Korea."
    source = result.events.info.source("reuters-timeline")
    assert source.title == "The highs and lows of Russia-North Korea relations under Putin"
    assert source.published == PUBLISHED
    notes = [str(note) for note in result.notes]
    assert notes[0].startswith(f"{REUTERS}, line 1: lines 1-7 before the first date heading")
    assert "line 65" in notes[1]
    assert "Reporting by Joyce Lee" in notes[1]


def test_rewrite_closing_remark_and_comments_are_dropped_with_notes(seeds_dir: Path) -> None:
    result = ingest_text((seeds_dir / REWRITE).read_text("utf-8"), published=PUBLISHED, source="timeline-rewrite")
    last = result.events[-1]
    assert last.summary == "Putin’s upcoming visit to North Korea for his second summit with Kim Jong Un."
    assert last.sources[0].evidence == "June 18-19, 2024:"
    assert lines_of(result.notes) == ["line 1", "line 63", "line 65"]
    assert "This visit underscores" in result.notes[1].message
    assert "Comments" in result.notes[2].message
    every_summary = " ".join(event.summary for event in result.events)
    for footer in ("underscores", "Comments", "Leave a Reply", "email address"):
        assert footer not in every_summary


# --- headlines -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "headline"),
    [
        ("Russia invades Ukraine. North Korea backs Moscow.", "Russia invades Ukraine"),
        ("The U.S. says Russia fired missiles. Experts agree.", "The U.S. says Russia fired missiles"),
        ("Gen. Shoigu visits Pyongyang on Sept. 3. Kim guides him.", "Gen. Shoigu visits Pyongyang on Sept. 3"),
        ('Kim asks: "Why?" Putin replies.', 'Kim asks: "Why?"'),
        ("No full stop at all", "No full stop at all"),
        ("Talks end.\nNew talks begin.", "Talks end"),
    ],
)
def test_headline_is_the_first_sentence(paragraph: str, headline: str) -> None:
    assert draft_headline(paragraph) == headline


def test_long_headline_is_cut_at_a_late_clause_break_or_else_at_a_word() -> None:
    late_comma = "Over more than ten years and many rounds of talks in several capitals, Russia votes for nine major"
    assert draft_headline(late_comma + " resolutions, with bans.") == late_comma.split(",")[0]
    early_comma = "Over ten years, Russia votes for nine major resolutions penalising North Korea in the council of"
    assert draft_headline(early_comma + " the United Nations, with bans.") == early_comma + "…"
    no_break = "Russia votes for nine resolutions" + " and more" * 12 + " with bans."
    headline = draft_headline(no_break)
    assert len(headline) <= MAX_HEADLINE_LENGTH
    assert headline.endswith("more…")
    one_word = "X" * 150 + "."
    assert draft_headline(one_word) == "X" * 99 + "…"


prose = st.text(alphabet=st.sampled_from("ab U.S Sept 3 .,;:!?\"'\n\u2014-é"), min_size=1, max_size=300) | st.text()


@given(prose.filter(lambda text: any(char.isalnum() for char in text)))
def test_headlines_are_short_prefixes_without_a_final_period(paragraph: str) -> None:
    headline = draft_headline(paragraph)
    assert 0 < len(headline) <= MAX_HEADLINE_LENGTH
    assert not headline.endswith(".")
    assert " ".join(paragraph.split()).startswith(headline.removesuffix("…"))


def test_headline_of_punctuation_only_is_the_text() -> None:
    assert draft_headline(" ... ") == "..."


# --- heading detection ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("Febuary 30, 2020", "not a month name"),
        ("June 31, 2024", "day 31 is outside 1..30"),
        ("Sept 2023 - Aug 2023:", "the end is before the start"),
        ("2024-13", "month 13"),
        ("late 2023", "not a month name"),
    ],
)
def test_malformed_heading_is_reported_with_its_line(bad: str, reason: str) -> None:
    text = f"Title\n\nJuly 2000\n\nPutin visits.\n\n{bad}\n\nSomething happened.\n\nMay 2024\n\nSanctions follow.\n"
    result = ingest(text)
    assert [str(event.date) for event in result.events] == ["2000-07", "2024-05"]
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.record == "line 7"
    assert problem.file == "t.txt"
    assert bad in problem.message
    assert reason in problem.message
    assert result.events[0].summary == "Putin visits.", "the text under a bad heading joins no entry"
    assert "line 9 skipped: under the unreadable heading on line 7" in [note.message for note in result.notes]


@pytest.mark.parametrize(
    "line",
    ["May the best side win.", "Decision 2024", "Chapter 7", "Marathon 2019", "1.", "Comments on 2024 talks"],
)
def test_ordinary_short_lines_are_text_not_headings(line: str) -> None:
    result = ingest(f"July 2000\n\nPutin visits.\n\n{line}\n\nMay 2001\n\nKim replies.\n")
    assert result.problems == ()
    assert result.events[0].summary == f"Putin visits.\n\n{line}"


def test_dates_inside_paragraphs_are_not_headings() -> None:
    text = "July 2000\nTalks resumed in\nJune 2024\nafter a long pause.\n\nMay 2001\nKim replies.\n"
    result = ingest(text)
    assert [str(event.date) for event in result.events] == ["2000-07", "2001-05"]
    assert result.events[0].summary == "Talks resumed in June 2024 after a long pause."


def test_headings_without_blank_lines() -> None:
    text = "Title\nJuly 2000:\nPutin visits.\nOct. 2006 – 2017:\nRussia votes.\nIt votes again.\n"
    result = ingest(text)
    assert [str(event.date) for event in result.events] == ["2000-07", "2006-10/2017"]
    assert result.events[1].summary == "Russia votes. It votes again."
    assert lines_of(result.notes) == ["line 1"]


def test_inline_date_heading_is_reported_not_glued_to_the_entry_before() -> None:
    text = "July 2000\n\nPutin visits.\n\nMay 2001: Kim replies.\nHe says more.\n\n2002\n\nTalks.\n"
    result = ingest(text)
    assert [event.summary for event in result.events] == ["Putin visits.", "Talks."]
    (problem,) = result.problems
    assert problem.record == "line 5"
    assert problem.message.startswith(
        "'May 2001' starts a line of text: a date heading must stand on a line of its own"
    )


def test_heading_without_text_is_a_problem() -> None:
    result = ingest("July 2000\n\nMay 2001\n\nKim replies.\n")
    assert [str(event.date) for event in result.events] == ["2001-05"]
    assert [(problem.record, problem.message) for problem in result.problems] == [
        ("line 1", "date heading 'July 2000' has no text")
    ]


def test_text_without_headings_is_a_problem() -> None:
    result = ingest("Just a story.\n\nWith two paragraphs.\n")
    assert len(result.events) == 0
    assert [problem.message for problem in result.problems] == ["no date headings found, so nothing was drafted"]
    assert result.notes == ()


def test_text_with_one_date_heading_is_not_taken_for_a_timeline() -> None:
    story = "Kremlin Confirms Putin's Trip\n\nBy AFP\n\nJune 17, 2024\n\nkremlin.ru\n\nPutin will visit.\n\nMore.\n"
    result = ingest(story)
    assert [problem.message for problem in result.problems] == [
        "found 1 date heading (line 5); a timeline needs at least two \u2014 is this a timeline?"
    ]
    assert [event.title for event in result.events] == ["kremlin.ru"], "what was found is still drafted"
    bad_second = ingest("July 2000\n\nPutin visits.\n\nJune 31, 2024\n\nOops.\n")
    assert not any("is this a timeline" in problem.message for problem in bad_second.problems), (
        "an unreadable heading is still a heading"
    )


def test_seed_news_story_is_reported_as_not_a_timeline(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "drafts.json"
    status = cli_main(["ingest", str(seeds_dir / NEWS_STORY), "--published", "2024-06-17", "-o", str(out)])
    assert status == 1
    err = capsys.readouterr().err
    assert (
        f"{seeds_dir / NEWS_STORY}: error: found 1 date heading (line 8); a timeline needs at least two"
        " \u2014 is this a timeline?\n"
    ) in err
    assert len(json.loads(out.read_text("utf-8"))["events"]) == 1, "what was found is still written"


def test_reverse_chronological_timeline_is_sorted_and_duplicate_ids_are_numbered() -> None:
    text = "May 2001\n\nKim replies.\n\nJuly 2000\n\nPutin visits.\n\nJuly 2000\n\nPutin visits.\n"
    result = ingest(text)
    assert result.events.ids == ("2000-07-putin-visits", "2000-07-putin-visits-2", "2001-05-kim-replies")


def test_boilerplate_between_entries_is_dropped_and_last_entry_follows_the_house_style() -> None:
    text = (
        "2019\n\nFirst part.\n\nSecond part.\n\nAdvertisement\n\n"
        "2020\n\nOne.\n\nTwo.\n\nA closing remark.\n\nRelated\n\nOther story.\n"
    )
    result = ingest(text)
    assert [event.summary for event in result.events] == ["First part.\n\nSecond part.", "One.\n\nTwo."]
    messages = [note.message for note in result.notes]
    assert messages[0] == "boilerplate dropped: 'Advertisement'"
    assert messages[1].startswith("line 15 after the last entry dropped as a closing remark")
    assert messages[2].startswith("lines 17-19 dropped as the page footer, from 'Related'")


def test_source_record_and_options() -> None:
    source = Source("agency-x", "Agency X", "A timeline", PUBLISHED)
    result = ingest_text("2020\n\nA thing.\n", published=PUBLISHED, source=source, category="border")
    assert result.events.info.sources == (source,)
    assert result.events[0].category is Category.BORDER
    with pytest.raises(ValueError, match="published 2024-06-17, not 2024-06-18"):
        ingest_text("2020\n\nA thing.\n", published=dt.date(2024, 6, 18), source=source)
    with pytest.raises(ValueError, match="not a category"):
        ingest("2020\n\nA thing.\n", category="weather")
    with pytest.raises(TypeError, match=r"expected a datetime\.date, got str"):
        ingest_text("2020\n\nA thing.\n", published="2024-06-17", source="wire")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a slug"):
        ingest_text("2020\n\nA thing.\n", published=PUBLISHED, source="Not A Slug")


# --- property: generated timelines come back exactly ----------------------------------------------

DASHES = ["-", "\u2013", "\u2014", "\u2212"]
# No word here is a month, a near miss of one, a date qualifier or a boilerplate marker.
WORDS = [
    "talks", "envoys", "signed", "agreement", "border", "railway", "trade", "leaders", "visit", "summit",
    "missiles", "delegation", "ports", "grain", "officials", "treaty", "hosted", "warned", "pledged", "Russia",
    "Pyongyang", "Moscow", "Kim", "Putin", "Seoul", "Washington", "U.S.", "Shoigu", "weapons", "satellite",
]  # fmt: skip


def month_names(month: int) -> list[str]:
    ap = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."][month - 1]
    abbr = calendar.month_abbr[month]
    return sorted({calendar.month_name[month], abbr, f"{abbr}.", ap, ap.rstrip(".")})


@st.composite
def date_texts(draw: st.DrawFn, date: PartialDate) -> str:
    year = f"{date.year:04d}"
    if date.month is None:
        return year
    month = draw(st.sampled_from(month_names(date.month)))
    if date.day is None:
        return draw(st.sampled_from([f"{month} {year}", f"{month}, {year}"]))
    return draw(
        st.sampled_from([f"{month} {date.day}, {year}", f"{month} {date.day} {year}", f"{date.day} {month} {year}"])
    )


@st.composite
def headings(draw: st.DrawFn, span: DateSpan) -> str:
    """The span in one of the styles timelines use, maybe with a trailing colon."""
    styles = ["edtf", "display", "words"]
    start, end = span.start, span.end
    assert isinstance(start, PartialDate)  # spans() draws closed level-0 spans
    assert end is None or isinstance(end, PartialDate)
    compact = end is not None and start.day is not None and end.day is not None and start.year == end.year
    if compact:
        styles.append("compact")
    style = draw(st.sampled_from(styles))
    dash = draw(st.sampled_from(DASHES))
    spaced = draw(st.sampled_from([f" {dash} ", dash, " to "]))
    if style == "edtf":
        text = str(span)
    elif style == "display":
        text = span.display()
    elif end is None:
        text = draw(date_texts(start))
    elif style == "words":
        text = draw(date_texts(start)) + spaced + draw(date_texts(end))
    else:
        assert end is not None
        assert end.month is not None
        assert start.month is not None
        first, last = draw(st.sampled_from(month_names(start.month))), draw(st.sampled_from(month_names(end.month)))
        if draw(st.booleans()):  # May 16-17, 2024 / March 30-April 2, 2024
            head = f"{first} {start.day}"
            tail = f"{end.day}, {end.year:04d}" if start.month == end.month else f"{last} {end.day}, {end.year:04d}"
        else:  # 16-17 May 2024 / 30 March-2 April 2024
            head = f"{start.day}" if start.month == end.month else f"{start.day} {first}"
            tail = f"{end.day} {last} {end.year:04d}"
        text = head + draw(st.sampled_from([dash, spaced])) + tail
    return text + draw(st.sampled_from(["", ":"]))


sentences = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(
    lambda words: " ".join(words)[0].upper() + " ".join(words)[1:] + "."
)
paragraphs = st.lists(sentences, min_size=1, max_size=4)


@st.composite
def timelines(draw: st.DrawFn) -> tuple[str, list[DateSpan], list[str], list[str]]:
    """A timeline text with intro and footer; the spans, headings and summaries it must yield."""
    dates = sorted(draw(st.lists(spans(), min_size=2, max_size=6, unique_by=str)))
    counts = [draw(st.integers(1, 3)) for _ in dates]
    counts[-1] = min(counts[-1], max(counts[:-1], default=1))
    parts: list[str] = []
    if draw(st.booleans()):
        intro = " ".join(draw(paragraphs))
        parts.append(f"A timeline of {draw(st.sampled_from(WORDS))}\n\n{intro}\n\n")
    heading_texts, summaries = [], []
    for span, count in zip(dates, counts, strict=True):
        heading = draw(headings(span))
        heading_texts.append(heading)
        blocks = [draw(paragraphs) for _ in range(count)]
        rendered = ["\n".join(block) if draw(st.booleans()) else " ".join(block) for block in blocks]
        summaries.append("\n\n".join(" ".join(block) for block in blocks))
        parts.append(heading + draw(st.sampled_from(["\n", "\n\n", "\n \n\n"])))
        parts.append("\n\n".join(rendered) + draw(st.sampled_from(["\n", "\n\n", "  \n\n\n"])))
    footer = draw(
        st.sampled_from(["", "(Reporting by Jane Roe; editing by John Doe)", "Comments\n\nLeave a Reply\n\nName *"])
    )
    text = "".join(parts) + ("\n" + footer if footer else "")
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text, dates, heading_texts, summaries


@given(timelines())
def test_generated_timelines_are_recovered_exactly(timeline: tuple[str, list[DateSpan], list[str], list[str]]) -> None:
    text, dates, heading_texts, summaries = timeline
    result = ingest(text)
    assert result.problems == ()
    assert [event.date for event in result.events] == dates
    assert [event.sources[0].evidence for event in result.events] == heading_texts
    assert [event.summary for event in result.events] == summaries
    assert all(parse_date(heading.rstrip(":")) == span for heading, span in zip(heading_texts, dates, strict=True))


# --- the library function ------------------------------------------------------------------------


def test_problems_and_notes_carry_their_line_as_a_number() -> None:
    result = ingest("Title\n\nJuly 2000\n\nPutin visits.\n\nJune 31, 2024\n\nOops.\n\n2024\n\n")
    reported = [*result.problems, *result.notes]
    assert reported, "the text has both problems and notes"
    for problem in reported:
        assert problem.record == (f"line {problem.line}" if problem.line is not None else "")
    assert [problem.line for problem in result.problems] == [7, 11]
    assert [problem.line for problem in result.notes] == [1, 9]
    whole = ingest("No dates here.\n").problems
    assert [(problem.record, problem.line) for problem in whole] == [("", None)]


def test_ingest_file_cites_the_file_by_name_with_its_publisher(tmp_path: Path) -> None:
    text = "Our timeline\n\n2020\n\nA thing.\n\n2021\n\nAnother.\n"
    path = tmp_path / "Wire Timeline 2024.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # a byte-order mark, as Notepad writes
    result = ingest_file(path, published=PUBLISHED, publisher="Example Wire", category="summit")
    expected = ingest_text(text, published=PUBLISHED, source="wire-timeline-2024", origin=str(path), category="summit")
    assert default_source_id(path) == "wire-timeline-2024"
    assert list(result.events) == list(expected.events)
    assert (result.problems, result.notes) == (expected.problems, expected.notes)
    [source] = result.events.info.sources
    assert (source.id, source.publisher, source.file, source.title) == (
        "wire-timeline-2024",
        "Example Wire",
        path.name,
        "Our timeline",
    )
    assert all(problem.file == str(path) for problem in result.notes)


def test_ingest_file_takes_a_source_id_and_raises_on_unreadable_files(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("2020\n\nA thing.\n\n2021\n\nAnother.\n", "utf-8")
    result = ingest_file(str(path), published=PUBLISHED, source_id="my-wire")
    assert {event.sources[0].source for event in result.events} == {"my-wire"}
    assert result.events.info.sources[0].publisher == "unknown"
    with pytest.raises(FileNotFoundError):
        ingest_file(tmp_path / "missing.txt", published=PUBLISHED)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9\n".encode("latin-1"))
    with pytest.raises(UnicodeDecodeError):
        ingest_file(latin, published=PUBLISHED)


def test_the_library_imports_no_command_line_code() -> None:
    """``rnk_events.ingest`` is a library: no argparse, no CLI helpers, nothing printed."""
    script = (
        "import sys, rnk_events.ingest\n"
        "print('argparse' in sys.modules, [name for name in sys.modules if name.startswith('rnk_events.cli')])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout == "False []\n"
    assert "print(" not in inspect.getsource(rnk_events.ingest)
