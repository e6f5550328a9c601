"""A standalone HTML page that shows the events as a TimelineJS timeline.

One file, with the TimelineJS3 document (see :mod:`rnk_events.formats.timelinejs`)
embedded inline, so it can be mailed, attached to a story or opened from disk.
TimelineJS's CSS and JavaScript come from Knight Lab's CDN unless
``timelinejs_base`` names a copy of the npm package's ``dist`` folder (a URL or
a path relative to the page), for offline and self-hosted use.

Text from the data never becomes markup or script: the data sits in a
``<script type="application/json">`` block with ``<``, ``>``, ``&``, U+2028 and
U+2029 written as ``\\u`` escapes (so no ``</script>`` can end it early), is read
with ``JSON.parse``, and every attribute value is HTML-escaped. The only script
on the page is fixed text from this module.
"""

from __future__ import annotations

import html
import json
from typing import IO, Any

from rnk_events.collection import EventCollection
from rnk_events.formats.timelinejs import to_timeline

__all__ = ["CDN_BASE", "page", "script_json", "write"]

#: Knight Lab's hosted TimelineJS3, used when no ``timelinejs_base`` is given.
CDN_BASE = "https://cdn.knightlab.com/libs/timeline3/latest"

_SCRIPT_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)

# Fixed text: nothing from the data or the options is ever spliced into it.
_INIT_SCRIPT = """\
(function () {
  "use strict";
  var root = document.documentElement;
  function read(id) { return JSON.parse(document.getElementById(id).textContent); }
  function notice(id) {
    document.getElementById("timeline-embed").hidden = true;
    document.getElementById(id).hidden = false;
    root.setAttribute("data-timeline", id);
  }
  var data = read("timeline-data");
  if (data.events.length === 0) { notice("timeline-empty"); return; }
  if (typeof TL === "undefined") { notice("timeline-unavailable"); return; }
  var timeline = new TL.Timeline("timeline-embed", data, read("timeline-options"));
  timeline.on("loaded", function () { root.setAttribute("data-timeline", "loaded"); });
  window.timeline = timeline;
})();"""

_STYLE = """\
html, body { height: 100%; margin: 0; padding: 0; }
#timeline-embed { width: 100%; height: 100%; }
.rnk-notice { max-width: 40em; margin: 3em auto; padding: 0 1em; font: 1rem/1.5 system-ui, sans-serif; }"""


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or JS line breaks."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)


def _base(timelinejs_base: str | None) -> str:
    if timelinejs_base is None:
        return CDN_BASE
    if not isinstance(timelinejs_base, str):
        raise TypeError(f"timelinejs_base: expected a URL or path as text, got {type(timelinejs_base).__name__}")
    base = timelinejs_base.strip().rstrip("/")
    if not base:
        raise ValueError("timelinejs_base: expected the URL or path of TimelineJS's dist folder, got empty text")
    return base


def page(events: EventCollection, *, timelinejs_base: str | None = None) -> str:
    """The page's HTML text."""
    base = _base(timelinejs_base)
    document = to_timeline(events)
    options = {"script_path": f"{base}/js/", "hash_bookmark": False}
    title = html.escape(events.info.title)
    css, js = html.escape(f"{base}/css/timeline.css"), html.escape(f"{base}/js/timeline.js")
    return f"""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{css}">
<style>
{_STYLE}
</style>
</head>
<body>
<div id="timeline-embed"></div>
<div id="timeline-empty" class="rnk-notice" hidden>
<h1>{title}</h1>
<p>There are no events to show: TimelineJS needs at least one dated event.</p>
</div>
<div id="timeline-unavailable" class="rnk-notice" hidden>
<h1>{title}</h1>
<p>The timeline could not be shown because TimelineJS did not load from {html.escape(base)}.</p>
</div>
<noscript><p class="rnk-notice">This timeline needs JavaScript.</p></noscript>
<script type="application/json" id="timeline-data">{script_json(document)}</script>
<script type="application/json" id="timeline-options">{script_json(options)}</script>
<script src="{js}"></script>
<script>
{_INIT_SCRIPT}
</script>
</body>
</html>
"""


def write(events: EventCollection, stream: IO[bytes], *, timelinejs_base: str | None = None) -> None:
    """Write the page; ``timelinejs_base`` points at local TimelineJS files instead of the CDN."""
    stream.write(page(events, timelinejs_base=timelinejs_base).encode("utf-8"))
