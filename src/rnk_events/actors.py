"""Who acts in an event: ISO 3166-1 alpha-3 countries and a small set of named organisations.

Countries are codes, not names, so "Russia", "Russian Federation" and "the
Kremlin" cannot drift apart in the data. The code table ships as package data
and loads on first use.
"""

from __future__ import annotations

import functools
import importlib.resources
import json

__all__ = ["ORGANISATIONS", "actor_name", "countries", "is_actor"]

ORGANISATIONS: dict[str, str] = {
    "UN": "United Nations",
    "UNSC": "United Nations Security Council",
    "UN-PANEL": "UN panel monitoring sanctions on North Korea",
    "ICC": "International Criminal Court",
    "KCNA": "Korean Central News Agency",
}
"""Organisation ids and their names. Ids are upper case so they read like codes."""


@functools.cache
def countries() -> dict[str, str]:
    """ISO 3166-1 alpha-3 code to common English name."""
    text = importlib.resources.files("rnk_events").joinpath("data/countries.json").read_text("utf-8")
    table: dict[str, str] = json.loads(text)
    return table


def is_actor(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-3 country code or an organisation id (case matters)."""
    return code in ORGANISATIONS or code in countries()


def actor_name(code: str) -> str:
    """The readable name of a country code or organisation id."""
    if code in ORGANISATIONS:
        return ORGANISATIONS[code]
    try:
        return countries()[code]
    except KeyError:
        raise KeyError(f"unknown actor {code!r}: not an ISO 3166-1 alpha-3 code or organisation id") from None
