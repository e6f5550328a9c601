"""The JSON and TimelineJS documents built by hand are the ones the generic paths build (issue 14).

``unstructure_event`` writes an event's dict out field by field instead of
asking cattrs; cattrs' own ``converter.unstructure`` is the oracle. The
TimelineJS slides reuse each source's citation and each status paragraph
across events; the oracle is the item written out here from the documented layout.
"""

from __future__ import annotations

import datetime as dt
import html
import json

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnk_events
from rnk_events import EventCollection, Source
from rnk_events.dates import display_day
from rnk_events.formats import timelinejs
from rnk_events.formats.json import encode_compact
from rnk_events.model import Event, Place, SourceRef
from rnk_events.serialize import converter, unstructure_event
from rnk_events.webpage import script_json, structured_data
from tests.strategies import event_lists, events


def test_bundled_events_unstructure_as_cattrs_does() -> None:
    bundled = rnk_events.load()
    for event in bundled:
        assert unstructure_event(event) == converter.unstructure(event)


@given(events())
def test_any_event_unstructures_as_cattrs_does(event: Event) -> None:
    mine, theirs = unstructure_event(event), converter.unstructure(event)
    assert mine == theirs
    assert list(mine) == list(theirs)  # the same key order, so the same bytes


def test_the_hand_written_dict_names_every_field() -> None:
    # A field added to the model must be added to unstructure_event too: this fails until it is.
    event = rnk_events.load()[0]
    assert list(unstructure_event(event)) == [field.name for field in attrs.fields(Event)]
    place = Place("Somewhere", "RUS", 1.0, 2.0)
    document = unstructure_event(attrs.evolve(event, places=(place,)))
    assert list(document["places"][0]) == [field.name for field in attrs.fields(Place)]
    assert list(document["sources"][0]) == [field.name for field in attrs.fields(SourceRef)]


def _expected_item(ref: SourceRef, source: Source | None) -> str:
    evidence = html.escape(ref.evidence)
    if source is None:
        return f"<li>{html.escape(ref.source)}: “{evidence}”</li>"
    title = html.escape(source.title)
    if source.url:
        title = f'<a href="{html.escape(source.url)}">{title}</a>'
    return f"<li>{html.escape(source.publisher)}, “{title}” ({display_day(source.published)}): “{evidence}”</li>"


_TEXT = st.sampled_from(["Reuters", "A & B <c>", "Say \"hi\" & 'bye'", "Ёлка’s <b>news</b>", "KCNA"])


@given(event_lists(max_size=5), _TEXT, _TEXT, st.booleans(), st.booleans())
def test_every_slide_cites_its_sources_as_before(
    items: list[Event], publisher: str, title: str, url: bool, described: bool
) -> None:
    plain = EventCollection({event.id: event for event in items}.values())
    cited = sorted({ref.source for event in plain for ref in event.sources})
    sources = tuple(
        Source(name, publisher, title, dt.date(2024, 6, 17), url=f"https://example.org/{name}?a=1&b=2" if url else None)
        for name in (cited if described else ())  # every cited source described, or none (as from CSV)
    )
    events = EventCollection(plain, attrs.evolve(plain.info, sources=sources)) if sources else plain
    known = {source.id: source for source in sources}
    slides = timelinejs.to_timeline(events)["events"]
    for event, slide in zip(events, slides, strict=True):
        items_html = "".join(_expected_item(ref, known.get(ref.source)) for ref in event.sources)
        assert slide["text"]["text"].endswith(f"<p><strong>Sources:</strong></p><ul>{items_html}</ul>")
        assert timelinejs.status_paragraph(event, events.info) in slide["text"]["text"]


def _compact(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


@given(event_lists(max_size=5))
def test_the_pages_json_blocks_are_the_stdlibs(items: list[Event]) -> None:
    events = EventCollection({event.id: event for event in items}.values())
    for document in (timelinejs.to_timeline(events), structured_data(events)):
        assert encode_compact(document, events) == _compact(document)
        assert script_json(document, events) == script_json(document)


@pytest.mark.parametrize("coordinate", [1e-5, 5e-324, 0.0001, -0.0, 12.5])
def test_a_coordinate_in_the_json_ld_is_written_as_json_writes_it(coordinate: float) -> None:
    event = rnk_events.load()[0]
    place = Place("Somewhere", None, coordinate, coordinate)
    moved = EventCollection(
        [attrs.evolve(e, places=(place,)) if e.id == event.id else e for e in rnk_events.load()],
        rnk_events.load().info,
    )
    document = structured_data(moved)
    assert encode_compact(document, moved) == _compact(document)
    assert str(coordinate) in _compact(document) or repr(coordinate) in _compact(document)


@pytest.mark.parametrize("name", ["json", "html"])
@pytest.mark.parametrize("enabled", [True, False])
def test_an_export_leaves_cyclic_gc_as_it_found_it(enabled: bool, name: str) -> None:
    import gc
    import io

    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        stream = io.BytesIO()
        rnk_events.export(rnk_events.load(), name, stream)
        assert gc.isenabled() is enabled
        assert b"2019-04-25-first-putin-kim-jong-un-summit-vladivostok" in stream.getvalue()
    finally:
        (gc.enable if was else gc.disable)()
