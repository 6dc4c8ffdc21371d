"""The annual 考核机构目录 (SPEC §3): `write_directory` selects the institutions whose
filing was valid in the year (`rows`), writes the workbook (`xlsx`, the only xlsxwriter
import) and, if asked, a CSV of the main sheet — each to a temporary name, then renamed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sheetkit.directory.rows import COLUMNS, REMOVED, VALID, Directory, Entry, Excluded, select
from sheetkit.errors import OutputError


@dataclass
class DirectoryResult:
    """What was written: the directory (rows and exclusions) and the files."""

    directory: Directory
    xlsx: Path
    csv: Path | None = None
    unread: list = field(default_factory=list)  # Findings about files that could not be read

    def to_dict(self) -> dict:
        out = self.directory.to_dict()
        out["unreadable"] = [{"path": f.path, "rule": f.rule, "message": f.message} for f in self.unread]
        out["output"] = str(self.xlsx)
        out["csv"] = str(self.csv) if self.csv else None
        return out


def write_directory(source, output, year: int, *, profile=None, as_of: dt.date | None = None,
                    csv: bool = False, progress=None, issuer: str | None = None,
                    published: dt.date | None = None) -> DirectoryResult:
    """Write the ``year``'s directory to ``output`` (.xlsx) and, with ``csv``, a UTF-8-BOM
    CSV beside it (same stem). ``source`` is an Assessment, or register paths to
    validate (under ``profile``). Statuses are as of ``as_of`` (default 31 December).
    ``issuer`` and ``published`` are the 发布机关 and 发布日期 printed under each listing
    (default: the province's 人力资源和社会保障厅, today)."""
    from sheetkit.outputs import atomic_path, refuse_inputs

    ref = as_of or dt.date(year, 12, 31)
    from sheetkit.assessment import Assessment

    if isinstance(source, Assessment):
        report = source
    else:
        from sheetkit.engine import validate

        report = validate(source, profile=profile, as_of=ref, progress=progress)
    target = Path(output)
    if target.suffix.lower() != ".xlsx":
        raise OutputError(f"目录文件“{target}”应以 .xlsx 结尾")
    refuse_inputs([target, target.with_suffix(".csv")], getattr(report.register, "workbooks", []))
    directory = select(report, year, ref)

    from sheetkit.directory.xlsx import write_workbook

    with atomic_path(target) as tmp:
        write_workbook(directory, tmp, issuer=issuer, published=published)
    csv_path = None
    if csv:
        from sheetkit.directory.csvfile import write_csv

        csv_path = target.with_suffix(".csv")
        with atomic_path(csv_path) as tmp:
            write_csv(directory, tmp)
    return DirectoryResult(directory, target, csv_path, report.unread_files())


__all__ = ["COLUMNS", "REMOVED", "VALID", "Directory", "DirectoryResult", "Entry", "Excluded", "select",
           "write_directory"]
