"""The media type a web server should send each file of a site with, by extension.

Shared by the site's file list (the README) and the ``serve`` preview, and
kept apart from :mod:`rnk_events.publishing.serve` so that writing a site
never imports :mod:`http.server`.
"""

from __future__ import annotations

import posixpath

__all__ = ["MEDIA_TYPES", "media_type"]

#: What each extension is sent as; anything else is ``application/octet-stream``.
MEDIA_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".eot": "application/vnd.ms-fontobject",
}


def media_type(path: str) -> str:
    """The media type the preview sends ``path`` with (by its last extension, any case)."""
    return MEDIA_TYPES.get(posixpath.splitext(path)[1].lower(), "application/octet-stream")
