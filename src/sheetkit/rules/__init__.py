"""Rule families. Importing this package registers every check in `registry.CHECKS`."""

from importlib import import_module

from sheetkit.rules.registry import CHECKS, RULES, RuleDef, check

FAMILIES = ("data", "ids", "institution", "staff", "venue", "project", "renewal", "filing", "schedule")


def load_checks() -> dict:
    """Import every family module that exists (each registers its checks)."""
    for family in FAMILIES:
        try:
            import_module(f"sheetkit.rules.{family}")
        except ModuleNotFoundError as exc:
            if exc.name != f"sheetkit.rules.{family}":
                raise
    return CHECKS


__all__ = ["CHECKS", "RULES", "RuleDef", "check", "load_checks", "FAMILIES"]
