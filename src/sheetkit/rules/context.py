"""What a rule check sees: the register, the profile, the run's date, and shared helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sheetkit.profiles import Profile
from sheetkit.register import Register, Table
from sheetkit.register.model import USCC_COL
from sheetkit.report.model import Finding


@dataclass
class Context:
    register: Register
    profile: Profile
    as_of: dt.date
    due_within: int
    rule_id: str = ""
    cache: dict[str, Any] = field(default_factory=dict)

    def param(self, name: str) -> Any:
        """A threshold of the current rule, from the profile."""
        return self.profile.param(self.rule_id, name)

    def enabled(self, rule_id: str) -> bool:
        return self.profile.enabled(rule_id)

    def table(self, kind: str) -> Table:
        return self.register[kind]

    def at_row(self, table: Table, index, column: str | None, message: str, *,
               value: Any = None, uscc: str | None = None, message_en: str | None = None,
               rule: str | None = None, severity: str = "") -> Finding:
        """A finding pointing at one cell of ``table``."""
        if uscc is None and USCC_COL in table.data.columns:
            code = table.data.at[index, USCC_COL]
            uscc = code if isinstance(code, str) else None
        return Finding(rule or self.rule_id, message, severity=severity, institution=uscc, value=value,
                       message_en=message_en, **table.location(index, column))

    def at_institution(self, uscc: str, message: str, *, value: Any = None,
                       message_en: str | None = None, rule: str | None = None, severity: str = "") -> Finding:
        """A finding about an institution as a whole: points at its row in 机构."""
        return Finding(rule or self.rule_id, message, severity=severity, institution=uscc, value=value,
                       message_en=message_en, **self.register.institution_location(uscc))
