"""The Finding record and the Report of one run (SPEC §5)."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES = ("error", "violation", "warning", "info")
BLOCKING = ("error", "violation")
FILE_RULES = ("data.unreadable", "data.missing-sheet")
SEVERITY_ZH = {"error": "错误", "violation": "不符合", "warning": "提示", "info": "信息"}
PERSONAL_COLUMN = "身份证号"
# An 18-character 身份证号 (area, birth date 18xx–20xx, sequence, check) or a 15-digit one;
# a credit code (18 characters too) rarely has a birth date where an ID has it.
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{4})(\d{2}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})"
                 r"([\dXx])(?![0-9A-Za-z])"
                 r"|(?<![0-9A-Za-z])(\d{4})(\d{2}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(\d{3})(?![0-9A-Za-z])")


def mask_id(value: str) -> str:
    """`370102198001010001` → `3701**********0001`: the first and last four characters kept."""
    text = str(value)
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]


def masked(text):
    """``text`` with every 身份证号 in it masked (`mask_id`); other values unchanged."""
    if not isinstance(text, str):
        return text
    return _ID.sub(lambda m: mask_id(m.group(0)), text)


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

    def to_dict(self, personal: bool = True) -> dict:
        """As JSON; without ``personal``, 身份证号 in the value and the messages are masked."""
        d = asdict(self)
        d["value"] = json_value(self.value)
        if not personal:
            d.update(without_personal_data(self))
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


def without_personal_data(f: Finding) -> dict:
    """The ``value``, ``message`` and ``message_en`` of ``f`` with 身份证号 masked: the
    value of a 身份证号 cell, and anything in the text that reads as one."""
    value, message, message_en = f.value, f.message, f.message_en
    if f.column == PERSONAL_COLUMN and value not in (None, ""):
        raw = str(json_value(value))
        message = message.replace(raw, mask_id(raw))
        message_en = message_en.replace(raw, mask_id(raw)) if message_en else message_en
        value = mask_id(raw)
    return {"value": masked(json_value(value)), "message": masked(message), "message_en": masked(message_en)}


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
    """The findings of validating a register and the files read (the verdicts per
    institution are in `sheetkit.assessment.Assessment`, which holds this)."""

    profile: str
    as_of: dt.date
    files: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

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

    def to_dict(self, personal: bool = True) -> dict:
        return {
            "profile": self.profile,
            "as_of": self.as_of.isoformat(),
            "files": self.files,
            "findings": [f.to_dict(personal) for f in self.findings],
            "summary": self.summary,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
