"""No title, summary or note copies 8 or more consecutive words from a source article.

The product promise is that events are told in our own words: a passage of the
articles may appear only as a quotation (inside double quotation marks) or in a
citation's ``evidence`` field, which is verbatim by design and is not checked here.

How the measure works, so that a failure can be checked by hand:

- **Words.** Text is NFKC-normalised and casefolded. Dotted abbreviations lose their
  dots, so "U.S.", "U.S" and "US" are the same word ("U.S.S.R." is "ussr"). Apostrophes,
  straight or curly (' ’ ‘ ʼ), are deleted inside words, so "Russia's" and "Russia’s"
  are both "russias". Every other character that is not a letter or a digit (spaces,
  hyphens, dashes, commas, full stops, quotation marks, brackets) separates words, so
  "comrades-in-arms" is three words and "COVID-19" two.
- **Quotations.** In a checked field, text between double quotation marks (straight
  ``"..."`` or curly ``“...”``) is a quotation: it is left out, and a run cannot reach
  across it. A quotation mark that is never closed quotes nothing, so an unbalanced
  field is measured in full (and ``test_quotation_marks_are_balanced`` fails).
- **Run.** The longest run is the largest n such that n consecutive words of the field
  (outside quotations) also occur as n consecutive words of the article. Articles are
  tokenised whole, quotations included.

Fields checked: every event's ``title``, ``summary`` and ``note``, against every article
of the dataset (not only the cited ones: copying from any source is copying).

The dataset is the bundled ``src/rnk_events/data/events.json`` beside this ``tests/``
folder, or the file named by ``$RNK_EVENTS_DATASET``. It is read as plain JSON, so the
check does not depend on the loader understanding every date form. The articles come
from the ``seeds_dir`` fixture of ``tests/conftest.py`` when this file runs in the
suite, otherwise from ``$RNK_EVENTS_SEEDS``, ``../shared/seeds`` beside the checkout,
or ``/work/shared/seeds``.

Run it as a script (``python tests/test_copied_text.py [dataset.json]``) to print the
longest run of every event.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

MAX_RUN = 7
"""The longest run of shared words allowed; a run of MAX_RUN + 1 (8) words or more fails."""

FIELDS = ("title", "summary", "note")

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "src" / "rnk_events" / "data" / "events.json"
DATASET = Path(os.environ.get("RNK_EVENTS_DATASET") or BUNDLED)
FALLBACK_SEEDS = (ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds"))

_ABBREVIATION = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\.){2,}|(?<![^\W\d_])(?:[^\W\d_]\.)+[^\W\d_](?![^\W\d_])")
_APOSTROPHE = re.compile(r"(?<=\w)['’‘ʼ](?=\w)")
_WORD = re.compile(r"[^\W_]+")
_OPENERS = {'"': '"', "“": "”"}


# --- the measure --------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The words of ``text`` as the module docstring defines them."""
    text = unicodedata.normalize("NFKC", text)
    text = _ABBREVIATION.sub(lambda match: match.group().replace(".", ""), text)
    text = _APOSTROPHE.sub("", text)
    return _WORD.findall(text.casefold())


def unquoted_parts(text: str) -> list[str]:
    """The pieces of ``text`` outside double quotation marks; an unclosed mark quotes nothing."""
    parts: list[str] = []
    start = 0
    position = 0
    while position < len(text):
        closer = _OPENERS.get(text[position])
        if closer is None:
            position += 1
            continue
        end = text.find(closer, position + 1)
        if end == -1:
            break
        parts.append(text[start:position])
        start = position = end + 1
    parts.append(text[start:])
    return [part for part in parts if part.strip()]


def quotations(text: str) -> list[str]:
    """The quoted passages of ``text`` (the complement of :func:`unquoted_parts`)."""
    found: list[str] = []
    position = 0
    while position < len(text):
        closer = _OPENERS.get(text[position])
        if closer is None:
            position += 1
            continue
        end = text.find(closer, position + 1)
        if end == -1:
            break
        found.append(text[position + 1 : end])
        position = end + 1
    return found


def quotes_balanced(text: str) -> bool:
    straight = text.count('"') % 2 == 0
    return straight and text.count("“") == text.count("”")


def longest_run(mine: list[str], theirs: list[str]) -> list[str]:
    """The longest run of consecutive words of ``mine`` that also occurs in ``theirs`` (first found)."""
    where: dict[str, list[int]] = {}
    for index, word in enumerate(theirs):
        where.setdefault(word, []).append(index)
    best_length, best_end = 0, 0
    previous: dict[int, int] = {}
    for index, word in enumerate(mine):
        current = {position: previous.get(position - 1, 0) + 1 for position in where.get(word, ())}
        for length in current.values():
            if length > best_length:
                best_length, best_end = length, index + 1
        previous = current
    return mine[best_end - best_length : best_end]


def longest_shared_run(field: str, article: str) -> list[str]:
    """The longest run of words that ``field``, outside its quotations, shares with ``article``."""
    theirs = words(article)
    best: list[str] = []
    for part in unquoted_parts(field):
        run = longest_run(words(part), theirs)
        if len(run) > len(best):
            best = run
    return best


# --- the dataset and the articles ---------------------------------------------------------------


class Run(NamedTuple):
    event: str
    field: str
    source: str
    words: list[str]


def load_dataset(path: Path = DATASET) -> dict[str, Any]:
    if not path.is_file():
        raise FileNotFoundError(f"no dataset at {path}: set $RNK_EVENTS_DATASET to the events.json to check")
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def read_articles(dataset: dict[str, Any], folder: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    for source in dataset["sources"]:
        path = folder / source["file"]
        assert path.is_file(), f"source {source['id']}: {path} is missing"
        texts[source["id"]] = path.read_text(encoding="utf-8")
    return texts


def runs(event: dict[str, Any], articles: dict[str, str]) -> Iterator[Run]:
    """For each checked field of ``event`` and each article, the longest shared run."""
    for field in FIELDS:
        text = event.get(field) or ""
        for source, article in articles.items():
            yield Run(event["id"], field, source, longest_shared_run(text, article))


def longest(event: dict[str, Any], articles: dict[str, str]) -> Run:
    return max(runs(event, articles), key=lambda run: len(run.words))


def find_seeds() -> Path | None:
    configured = os.environ.get("RNK_EVENTS_SEEDS")
    for folder in [Path(configured)] if configured else FALLBACK_SEEDS:
        if folder.is_dir():
            return folder
    return None


EVENTS: list[dict[str, Any]] = load_dataset()["events"] if __name__ != "__main__" else []


@pytest.fixture(scope="module")
def articles(request: pytest.FixtureRequest) -> dict[str, str]:
    try:
        folder: Path | None = request.getfixturevalue("seeds_dir")
    except pytest.FixtureLookupError:
        folder = find_seeds()
    if folder is None:
        reason = "source articles not found ($RNK_EVENTS_SEEDS, ../shared/seeds, /work/shared/seeds)"
        if os.environ.get("RNK_EVENTS_REQUIRE_SEEDS", "") not in ("", "0"):
            pytest.fail(f"{reason} (RNK_EVENTS_REQUIRE_SEEDS is set, so this check may not be skipped)")
        pytest.skip(reason)
    return read_articles(load_dataset(), folder)


# --- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("event", EVENTS, ids=lambda event: str(event["id"]))
def test_no_field_copies_eight_words_from_a_source(event: dict[str, Any], articles: dict[str, str]) -> None:
    copied = [run for run in runs(event, articles) if len(run.words) > MAX_RUN]
    assert not copied, "\n".join(
        f"{run.field} shares {len(run.words)} words with {run.source}: {' '.join(run.words)!r} "
        "(quote it in quotation marks, or say it in other words)"
        for run in copied
    )


@pytest.mark.parametrize("event", EVENTS, ids=lambda event: str(event["id"]))
def test_quotation_marks_are_balanced(event: dict[str, Any]) -> None:
    for field in FIELDS:
        assert quotes_balanced(event.get(field) or ""), f"{event['id']}: unbalanced quotation marks in {field}"


@pytest.mark.parametrize("event", EVENTS, ids=lambda event: str(event["id"]))
def test_title_and_summary_quotations_are_verbatim(event: dict[str, Any], articles: dict[str, str]) -> None:
    # A quotation is exempt from the copy check only because it is the source's own words.
    cited = " ".join(" ".join(words(articles[ref["source"]])) for ref in event["sources"])
    for field in ("title", "summary"):
        for quoted in quotations(event[field]):
            assert f" {' '.join(words(quoted))} " in f" {cited} ", (
                f"{event['id']}: {field} quotes {quoted!r}, which no cited source says"
            )


# --- the measure, checked by hand ---------------------------------------------------------------


def test_words_oracle() -> None:
    assert words("The U.S.-drafted text") == ["the", "us", "drafted", "text"]
    assert words("US, U.S. and U.S") == ["us", "us", "and", "us"]
    assert words("Russia’s ‘possibilities’ and Russia's") == ["russias", "possibilities", "and", "russias"]
    assert words("comrades-in-arms; COVID-19 (240mm)") == ["comrades", "in", "arms", "covid", "19", "240mm"]
    assert words("since the fall of the U.S.S.R., Russia") == ["since", "the", "fall", "of", "the", "ussr", "russia"]
    assert words("Jan. 4, 2024.Next") == ["jan", "4", "2024", "next"]


def test_longest_run_oracle() -> None:
    # Counted by hand: "quick brown fox" (3) and "over the lazy" (3) are shared;
    # "the" alone also matches; nothing longer than 3. The first 3-run found wins.
    mine = words("The quick brown fox jumps over the lazy dog")
    theirs = words("A quick brown fox leapt over the lazy cat")
    assert longest_run(mine, theirs) == ["quick", "brown", "fox"]
    assert longest_run(words("a b c"), words("d e f")) == []
    # Repeated words: "x y x y z" against "x y z" shares "x y z" (3), not "x y x y".
    assert longest_run(words("x y x y z"), words("q x y z")) == ["x", "y", "z"]


def test_longest_shared_run_oracle() -> None:
    article = (
        "When the leaders saw each other in September, Putin said he saw 'possibilities' for "
        "military cooperation with North Korea, while Kim wished the Kremlin chief 'victory' in Ukraine."
    )
    # Copied without quotation marks: "putin said he saw possibilities for military cooperation" = 8.
    copied = "Putin said he saw possibilities for military cooperation, and Kim wished him well."
    assert len(longest_shared_run(copied, article)) == 8
    # The same words with the quoted word in quotation marks: "putin said he saw" (4) and
    # "for military cooperation" (3) are measured separately; the quote cannot bridge them.
    quoted = 'Putin said he saw "possibilities" for military cooperation, and Kim wished him well.'
    assert longest_shared_run(quoted, article) == ["putin", "said", "he", "saw"]
    # Curly quotation marks count the same; an unclosed mark quotes nothing.
    assert longest_shared_run("Putin said he saw “possibilities” for", article) == ["putin", "said", "he", "saw"]
    assert len(longest_shared_run('Putin said he saw "possibilities for military cooperation', article)) == 8


def test_threshold_oracle() -> None:
    article = "one two three four five six seven eight nine"
    seven = {"id": "e", "title": "one two three four five six seven", "summary": "x", "note": ""}
    eight = {"id": "e", "title": "x", "summary": "zero one two three four five six seven eight", "note": ""}
    assert len(longest(seven, {"s": article}).words) == MAX_RUN
    worst = longest(eight, {"s": article})
    assert (worst.field, len(worst.words)) == ("summary", MAX_RUN + 1)


def test_unquoted_parts_oracle() -> None:
    assert unquoted_parts('a "b" c “d” e') == ["a ", " c ", " e"]
    assert unquoted_parts('"all quoted"') == []
    assert unquoted_parts('open "never closed') == ['open "never closed']
    assert quotations('a "b" c “d e” f') == ["b", "d e"]
    assert quotes_balanced('a "b" “c”')
    assert not quotes_balanced('a "b')
    assert not quotes_balanced("a “b")


if __name__ == "__main__":
    dataset_path = Path(sys.argv[1]) if len(sys.argv) > 1 else DATASET
    seeds = find_seeds()
    if seeds is None:
        sys.exit("source articles not found")
    dataset = load_dataset(dataset_path)
    texts = read_articles(dataset, seeds)
    for item in dataset["events"]:
        run = longest(item, texts)
        mark = "COPIED" if len(run.words) > MAX_RUN else "ok"
        print(f"{len(run.words):2d} {mark:6s} {run.event} [{run.field} ~ {run.source}]: {' '.join(run.words)}")
