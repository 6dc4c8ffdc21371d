"""The main sheet as CSV: UTF-8 with a BOM (so Excel opens the Chinese right), the header
row then one row per institution, no title row.

A CSV cannot say "this is text", so Excel would evaluate a cell beginning with ``=``,
``+``, ``-`` or ``@`` as a formula. Such a value is written with a leading apostrophe
(``'=…``), the usual defence against CSV formula injection; docs/directory.md says so."""

from __future__ import annotations

import csv
from pathlib import Path

from sheetkit.directory.rows import COLUMNS, Directory

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(directory: Directory, path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for n, entry in enumerate(directory.entries, 1):
            writer.writerow([csv_safe(v) for v in entry.values(n)])
