"""The parts of the HTML page that are not TimelineJS: the event list, the structured data, the fixed CSS and script.

:mod:`rnk_events.formats.html` assembles the page from these;
:mod:`rnk_events.publishing` adds a site's links (feeds, downloads, embed)
through :class:`SiteLinks`. Every piece of text from the data is escaped here:
HTML-escaped in markup, and written with :func:`script_json` inside a
``<script>`` block, so the only markup and script on the page are this
package's own.
"""

from __future__ import annotations

from rnk_events.webpage.assets import page_css, page_script
from rnk_events.webpage.jsonld import iso_8601, schema_dates, structured_data
from rnk_events.webpage.markup import (
    DownloadLink,
    FeedLink,
    SiteLinks,
    escape,
    event_item,
    event_list,
    html_datetime,
    script_json,
    site_sections,
)

__all__ = [
    "DownloadLink",
    "FeedLink",
    "SiteLinks",
    "escape",
    "event_item",
    "event_list",
    "html_datetime",
    "iso_8601",
    "page_css",
    "page_script",
    "schema_dates",
    "script_json",
    "site_sections",
    "structured_data",
]
