"""The page's fixed stylesheet and script, shipped as package files and read once.

They are real ``.css`` and ``.js`` files (``page.css``, ``page.js`` beside this
module) so they can be read, linted and diffed as what they are; the page
inlines them, so it stays one file. Nothing from the data or the options is
ever spliced into either.
"""

from __future__ import annotations

import functools
import importlib.resources

__all__ = ["page_css", "page_script"]


def _read(name: str) -> str:
    return importlib.resources.files("rnk_events.webpage").joinpath(name).read_text("utf-8").strip()


@functools.cache
def page_css() -> str:
    """The page's stylesheet: the list, the notices, the TimelineJS frame and the print layout."""
    return _read("page.css")


@functools.cache
def page_script() -> str:
    """The page's script: starts TimelineJS over the list, or shows why it could not."""
    return _read("page.js")
