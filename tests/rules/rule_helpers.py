"""Helpers for the rule-family tests: run a fixture register under a profile and pick
findings. Registers come from `builders.clean_register()` and are changed in place, and
are checked in memory (`builders.check`): the reader's own tests (tests/register,
tests/rules/test_data_rules.py, tests/corpus) read real files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from builders import AS_OF, check, clean_register, institution, score_row, uscc

GANSU = "gansu-2022"
SHANDONG = "shandong-2025"


def run(tmp_path: Path, sheets, profile=SHANDONG, as_of=AS_OF, name="register.xlsx", **kw):
    """Check ``sheets`` (or several: {file name: sheets}) as if written under ``tmp_path``
    and validated; nothing is written (`builders.register_of`)."""
    if isinstance(sheets, dict) and all(isinstance(v, dict) for v in sheets.values()):
        return check(sheets, profile=profile, as_of=as_of, path=str(tmp_path / "books"), **kw)
    return check(sheets, profile=profile, as_of=as_of, path=str(tmp_path / name), **kw)


def findings(report, rule: str):
    return [f for f in report.findings if f.rule == rule]


def rules(report) -> set[str]:
    return {f.rule for f in report.findings}


def gansu(sheets):
    """The same register moved to 兰州, so that the gansu-2022 city list accepts it."""
    for row in sheets["机构"]:
        row["所属市"] = "兰州"
    return sheets


def filed(sheets, n: int = 1, start=dt.date(2025, 3, 1), code: str | None = None):
    """Institution ``n`` becomes 已备案 from ``start`` with a 机构代码."""
    for row in sheets["机构"]:
        if row["统一社会信用代码"] == uscc(n):
            row.update({"备案状态": "已备案", "备案起始": start, "机构代码": code or f"SD{n:04d}"})
    for row in sheets["场地"]:
        if row["统一社会信用代码"] == uscc(n) and row.get("租赁起始") and row["租赁起始"] > start:
            row["租赁起始"] = start
    return sheets


def scored(sheets, n: int = 1, totals=(80.0, 85.0, 90.0), **over):
    """Renewal score rows for institution ``n``, one per total."""
    sheets["续期评分"] = [score_row(uscc(n), f"专家{i}", t, **over) for i, t in enumerate(totals, 1)]
    return sheets


def staff_rows(sheets, role: str, n: int = 1):
    code = uscc(n)
    return [r for r in sheets["人员"] if r["岗位"] == role and r["统一社会信用代码"] == code]


def remove(sheets, kind: str, rows):
    ids = {id(r) for r in rows}
    sheets[kind] = [r for r in sheets[kind] if id(r) not in ids]
    return sheets


__all__ = ["AS_OF", "GANSU", "SHANDONG", "clean_register", "filed", "findings", "gansu", "institution",
           "remove", "rules", "run", "score_row", "scored", "staff_rows", "uscc"]
