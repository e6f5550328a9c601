"""Reader notes: what a reader changed or set aside travels with the collection it read, and validate prints it."""

from __future__ import annotations

from rnk_events import EventCollection, Problem, load
from rnk_events.formats._checks import finish_read


def test_a_read_collection_carries_its_notes_and_a_filter_drops_them() -> None:
    events = list(load())
    note = Problem("edited.csv", "line 3", "date", "'May 2024' read as 2024-05", line=3)
    collection = finish_read(
        [(f"event {i}", event) for i, event in enumerate(events)], load().info, "x", [], notes=[note]
    )
    assert collection.notes == (note,)
    assert collection.filter(lambda event: True).notes == ()
    assert collection[:2].notes == ()
    assert EventCollection(events).notes == ()
    assert load().notes == ()
