"""Cell text shared by the renderers (terminal, annotated copies, problem-list and
report workbooks): a leaf module, so no renderer imports another for a helper."""

from __future__ import annotations

import re
import unicodedata

from sheetkit.report.model import SEVERITIES, Finding, Report

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def worst(findings) -> str:
    return min((f.severity for f in findings), key=severity_rank)


def text(value) -> str:
    """A value as cell text: never None, no characters a workbook cannot hold."""
    if value is None:
        return ""
    return _ILLEGAL.sub("", str(value))


def display_width(value) -> int:
    """Width of text in Excel columns: CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text(value))


def institution_names(report: Report) -> dict[str, str]:
    return {v.uscc: v.name or v.uscc for v in report.institutions if v.uscc}


def institution_label(f: Finding, names: dict[str, str]) -> str:
    if not f.institution:
        return ""
    name = names.get(f.institution)
    return f"{name}（{f.institution}）" if name and name != f.institution else f.institution
