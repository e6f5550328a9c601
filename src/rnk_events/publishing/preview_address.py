"""Where ``rnk-events serve`` listens by default, kept apart from :mod:`http.server`.

The command line builds its help from these two numbers; importing them from
:mod:`rnk_events.publishing.serve` would load the HTTP server (about 11 ms)
for every command, ``list`` included.
"""

from __future__ import annotations

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT"]

#: Localhost only: the preview is not meant to be reachable from the network.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
