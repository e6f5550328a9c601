"""What the publish tests share: the fixed stamp and site address they publish with, and a folder read whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

__all__ = ["STAMP", "URL", "tree"]

STAMP = dt.datetime(2024, 6, 17, tzinfo=dt.timezone.utc)
URL = "https://news.example.org/rnk/"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative path, with its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}
