"""``rnk-events serve``: preview a published site on this computer, with the media types a real host sends.

This is :mod:`http.server` from the standard library, bound to localhost. It
is a preview, **not a production server**: no TLS, no compression or caching,
no access log worth keeping, no hardening against a hostile network. Put the
folder on a real static host to publish it.

Its one job beyond ``python -m http.server`` is the media types: ``.ics`` as
``text/calendar`` (so a calendar app accepts the feed), text with
``charset=utf-8``, and the workbook, zip and font types, whatever the
machine's own ``mimetypes`` table says.
"""

from __future__ import annotations

import functools
import http.server
import os
from typing import Any

from rnk_events.publishing.media import MEDIA_TYPES, media_type
from rnk_events.publishing.preview_address import DEFAULT_HOST, DEFAULT_PORT

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "MEDIA_TYPES",
    "PreviewHandler",
    "PreviewServer",
    "make_server",
    "media_type",
]


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Files from the site's folder, with :data:`MEDIA_TYPES`, ``nosniff`` and no caching."""

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        return media_type(os.fspath(path))

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")  # a preview: always show the latest publish
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        if not (isinstance(self.server, PreviewServer) and self.server.quiet):
            super().log_message(format, *args)


class PreviewServer(http.server.ThreadingHTTPServer):
    """The preview's server: one thread per request; ``quiet`` drops the request log on stderr."""

    quiet = False


def make_server(
    folder: str | os.PathLike[str], *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, quiet: bool = False
) -> PreviewServer:
    """A server for ``folder`` on ``host:port`` (port 0: any free one); call ``serve_forever()`` on it.

    The folder is looked up by its path on every request, so a site that a
    later ``publish`` replaces is served from the next request on.
    """
    root = os.fspath(folder)
    if not os.path.isdir(root):
        raise NotADirectoryError(f"{root} is not a folder")
    server = PreviewServer((host, port), functools.partial(PreviewHandler, directory=root))
    server.quiet = quiet
    return server
