"""The seed wire articles the ingest tests read, by file name, and the dates both timelines among them hold."""

from __future__ import annotations

__all__ = ["REUTERS", "REWRITE", "SEED_DATES"]

REUTERS = "000_4acd2e6f81a44517.txt"
REWRITE = "001_92249b5731fb9031.txt"
SEED_DATES = [
    "2000-07", "2006-10-14/2017-12-22", "2019-04-25", "2020-02", "2022-02-24", "2022-05-26", "2023-07-25",
    "2023-09-13", "2023-10-13", "2023-11-21", "2024-01-04", "2024-03-28", "2024-05-16/2024-05-17",
    "2024-06-18/2024-06-19",
]  # fmt: skip
