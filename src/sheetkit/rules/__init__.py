"""Rule families. Importing this package imports every family module, and each declares
its rules (`registry.rule`) into `RULES`, in the order of `FAMILIES`."""

from sheetkit.rules import (  # noqa: F401  (each import declares that family's rules)
    data, ids, institution, staff, venue, project, renewal, filing, schedule,
)
from sheetkit.rules.registry import RULES, Rule, declare, rule

FAMILIES = ("data", "ids", "institution", "staff", "venue", "project", "renewal", "filing", "schedule")

__all__ = ["RULES", "Rule", "declare", "rule", "FAMILIES"]
