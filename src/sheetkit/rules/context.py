"""What a rule check sees: the register, the profile, the run's date and a cache of frames
shared by the checks of one run. The rule's own parameters are passed to its check by
the engine (`sheetkit.rules.registry`); findings are made with `sheetkit.rules.findings`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sheetkit.register import Register, Table


@dataclass
class Context:
    register: Register
    profile: Any  # sheetkit.profiles.Profile: a profile sits above the rules it is checked against
    as_of: dt.date
    due_within: int
    cache: dict[str, Any] = field(default_factory=dict)
    # a city name of another province's built-in profile → (province, profile id), from the
    # engine: a register checked under the wrong profile is told which one to use
    elsewhere: dict[str, tuple[str, str]] = field(default_factory=dict)

    def enabled(self, rule_id: str) -> bool:
        return self.profile.enabled(rule_id)

    def table(self, kind: str) -> Table:
        return self.register[kind]
