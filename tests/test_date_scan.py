"""A collection's first date query scans its events, testing first whichever bound settles more of them.

Both orders must give the events, in order, whose padded days touch the window;
the oracle is a pass over each event's own padded bounds (issue 14).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from rnk_events import EventCollection
from rnk_events.model import Event
from tests.strategies import dated_events

_DAYS = st.dates(dt.date(1985, 1, 1), dt.date(2035, 12, 31))


@given(dated_events(1990, 2030, max_size=30), _DAYS, _DAYS)
def test_the_scan_finds_what_the_padded_bounds_say(items: list[Event], a: dt.date, b: dt.date) -> None:
    collection = EventCollection(items)
    first, last = sorted([a, b])
    low, high = first.toordinal(), last.toordinal()
    expected = [
        event.id
        for event in collection
        if event.date.padded_first_day.toordinal() <= high and event.date.padded_last_day.toordinal() >= low
    ]
    assert [event.id for event in collection._scan(low, high)] == expected
    assert list(EventCollection(items).between(first, last).ids) == expected  # a first query: the scan
