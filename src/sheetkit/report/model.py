"""The Finding record and the Report of one run (SPEC §5)."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

SEVERITIES = ("error", "violation", "warning", "info")
BLOCKING = ("error", "violation")
FILE_RULES = ("data.unreadable", "data.missing-sheet")
SEVERITY_ZH = {"error": "错误", "violation": "不符合", "warning": "提示", "info": "信息"}


@dataclass(frozen=True)
class Finding:
    """One problem found in the data, located as precisely as the data allows.

    ``row`` is the 1-based Excel row, ``cell`` its A1 address. ``severity`` and ``clause``
    are stamped by the engine from the profile; rule checks leave them empty.
    """

    rule: str
    message: str
    severity: str = ""
    path: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    institution: str | None = None
    value: Any = None
    clause: str | None = None
    message_en: str | None = None

    def with_(self, **changes) -> "Finding":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["value"] = json_value(self.value)
        return d

    @property
    def blocking(self) -> bool:
        return self.severity in BLOCKING

    def sort_key(self):
        return (
            self.path or "",
            self.sheet or "",
            self.row or 0,
            self.column or "",
            SEVERITIES.index(self.severity) if self.severity in SEVERITIES else 9,
            self.rule,
        )


def json_value(value: Any) -> Any:
    """A cell value as JSON: dates as ISO text, NaN as null, numpy scalars as Python."""
    if value is None:
        return None
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10] if isinstance(value, dt.date) and not _has_time(value) else value.isoformat()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            return str(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, (str, int, float, bool)):
        return value
    try:
        import pandas as pd

        if value is pd.NaT or value is pd.NA:
            return None
        if isinstance(value, pd.Timestamp):
            return value.date().isoformat() if not _has_time(value) else value.isoformat()
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def _has_time(value) -> bool:
    return isinstance(value, dt.datetime) and (value.hour, value.minute, value.second) != (0, 0, 0)


@dataclass
class Report:
    """The outcome of validating a register: files read, findings, institutions."""

    profile: str
    as_of: dt.date
    files: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    institutions: list[dict] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        counts = {s: 0 for s in SEVERITIES}
        for f in self.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        return counts

    @property
    def valid(self) -> bool:
        return not any(f.blocking for f in self.findings)

    @property
    def exit_code(self) -> int:
        return 0 if self.valid else 1

    def unread_files(self) -> list[Finding]:
        """Findings about whole files that could not be used (unreadable, no register sheet):
        every command that reads a register names them, so no file is dropped silently."""
        return [f for f in self.findings if f.rule in FILE_RULES and f.path and f.sheet is None]

    def findings_for(self, uscc: str) -> list[Finding]:
        return [f for f in self.findings if f.institution == uscc]

    def institution(self, uscc: str) -> dict | None:
        return next((i for i in self.institutions if i.get("uscc") == uscc), None)

    def to_dict(self) -> dict:
        return {
            "profile": self.profile,
            "as_of": self.as_of.isoformat(),
            "files": self.files,
            "findings": [f.to_dict() for f in self.findings],
            "institutions": [_jsonable(i) for i in self.institutions],
            "summary": self.summary,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


def _jsonable(obj):
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    return json_value(obj)
