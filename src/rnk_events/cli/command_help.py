"""Each command's one-line help, apart from the modules that run the commands.

The parser lists every command in ``--help`` and in its usage errors, so it
needs every one-line help; importing each command's module for it cost
``rnk-events list`` the import of six modules it never runs. (The ``ingest``
help is the ingester's docstring, read from source: see ``parser._module_docstring``.)
"""

from __future__ import annotations

__all__ = ["DIFF", "EXPORT", "LIST", "MERGE", "PUBLISH", "SERVE", "SHOW", "VALIDATE"]

LIST = "list events as a table, JSON or CSV"
SHOW = "show one event in full, with its sources"
EXPORT = "write events to a file in one format, or in every format"
VALIDATE = "check a dataset file and report every problem"
DIFF = "show what changed between two editions"
MERGE = "fold draft events into a dataset, reporting which are new, matched or conflicting"
PUBLISH = "write a folder to host: the timeline page, calendar feeds and every download"
SERVE = "preview a published site on this computer (not a production server)"
