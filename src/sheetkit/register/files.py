"""Finding the workbooks of a register and opening them safely."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sheetkit.errors import UsageError

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class WorkbookPath:
    """A workbook to read: ``shown`` is the path as the user gave it (relative stays relative)."""

    shown: str
    real: Path


def discover(paths) -> list[WorkbookPath]:
    """Every workbook in ``paths`` (files or folders, folders searched recursively),
    skipping Excel lock files (``~$*``) and hidden files and folders. Sorted, deduplicated."""
    found: dict[Path, WorkbookPath] = {}
    for given in paths:
        given = str(given)
        p = Path(given)
        if not p.exists():
            raise UsageError(f"路径不存在：{given}")
        if p.is_file():
            # A file named explicitly is read whatever its extension: a wrong one is a finding.
            found.setdefault(p.resolve(), WorkbookPath(given, p))
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if _skipped(name):
                    continue
                real = Path(root) / name
                shown = os.path.join(given, os.path.relpath(real, p))
                found.setdefault(real.resolve(), WorkbookPath(shown, real))
    return sorted(found.values(), key=lambda w: w.shown)


ANNOTATED_SUFFIX = ".标注.xlsx"  # sheetkit's own annotated copies (validate --annotate)


def _skipped(name: str) -> bool:
    """Lock files, hidden files, non-workbooks and sheetkit's own annotated copies."""
    return (name.startswith((".", "~$")) or not name.lower().endswith(EXTENSIONS)
            or name.endswith(ANNOTATED_SUFFIX))
