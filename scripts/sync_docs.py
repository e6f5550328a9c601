"""Rewrite the parts of the README and docs that are generated from the code: the formats table.

    python scripts/sync_docs.py          # rewrite them in place
    python scripts/sync_docs.py --check  # exit 1 if any is out of date (what the tests check)

Each page marks its table with ``<!-- formats-table:start -->`` and
``<!-- formats-table:end -->``; everything between is replaced by
:func:`rnk_events.formats.formats_table`, so a new registry entry reaches every
page with no other edit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # the checkout's code, whatever else is installed

from rnk_events.formats import formats_table  # noqa: E402 - after the path is set

__all__ = ["END", "PAGES", "START", "outdated", "synced"]

START = "<!-- formats-table:start -->"
END = "<!-- formats-table:end -->"

#: Each page with a generated table, and the path from it to the docs folder.
PAGES: dict[Path, str] = {
    ROOT / "README.md": "docs/",
    ROOT / "docs" / "index.md": "",
    ROOT / "docs" / "cli.md": "",
}


def synced(text: str, docs_prefix: str) -> str:
    """``text`` with its marked table regenerated; ValueError if the markers are missing."""
    head, start, rest = text.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"no {START} ... {END} region")
    return f"{head}{START}\n{formats_table(docs_prefix)}{END}{tail}"


def outdated() -> list[Path]:
    """The pages whose table differs from the registry's."""
    return [
        page for page, prefix in PAGES.items() if synced(page.read_text("utf-8"), prefix) != page.read_text("utf-8")
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="report out-of-date pages instead of rewriting them")
    arguments = parser.parse_args(argv)
    stale = outdated()
    if arguments.check:
        for page in stale:
            print(f"{page.relative_to(ROOT)}: formats table is out of date; run python scripts/sync_docs.py")
        return 1 if stale else 0
    for page in stale:
        page.write_text(synced(page.read_text("utf-8"), PAGES[page]), "utf-8")
        print(f"rewrote {page.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
