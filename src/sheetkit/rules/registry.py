"""The machinery that collects rules; the rules themselves are declared in their family
modules (`data`, `ids`, `institution`, `staff`, `venue`, `project`, `renewal`, `filing`,
`schedule`), each next to its check, as yamllint declares ``ID``, ``CONF`` and ``DEFAULT``
beside ``check()``::

    @rule("<family>.<name>", "violation", "<标题>", "<title>", params={"min_years": 3})
    def name(ctx, *, min_years):
        # its docstring says what it checks (docs/rules.md)
        ...

A declaration holds the rule id, its default severity, its title (zh, en), whether it is
on when a profile does not say (``enabled``), and its parameters with their defaults; a
parameter's type is its default's (a number, a string, true/false, a list of strings).
A check is ``check(ctx, **params) -> Iterable[Finding]``: the engine passes the profile's
parameters in and stamps the rule id, the severity and the clause (SPEC §2, §5). A rule
whose findings are made while reading (``data.unreadable`` …) is declared with `declare`,
without a check. Profiles (``profiles/*.toml``) only override a declaration, and are
checked against it (`sheetkit.profiles`). Clauses are the profile's: they cite its notice.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

SEVERITIES = ("error", "violation", "warning", "info")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    title_en: str
    params: dict[str, Any] = field(default_factory=dict)  # name → default (its type is the default's)
    enabled: bool = True  # on when the profile does not say
    check: Callable[..., Iterable] | None = None  # None: the reader makes its findings

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def doc(self) -> str:
        """The first paragraph of the check's docstring, on one line (docs/rules.md)."""
        text = inspect.getdoc(self.check) if self.check is not None else None
        return " ".join((text or "").split("\n\n")[0].split()).replace("``", "`")


RULES: dict[str, Rule] = {}  # filled as the family modules are imported (`sheetkit.rules`)


def declare(rule_id: str, severity: str, title: str, title_en: str, *, params: dict | None = None,
            enabled: bool = True, check: Callable | None = None) -> Rule:
    """Declare a rule once; a second declaration of the same id is a programming error."""
    if rule_id in RULES:
        raise ValueError(f"rule {rule_id} is declared twice")
    if severity not in SEVERITIES:
        raise ValueError(f"rule {rule_id}: severity {severity!r} is not one of {SEVERITIES}")
    params = dict(params or {})
    for name, default in params.items():
        if param_type(default) is None:
            raise ValueError(f"rule {rule_id}: parameter {name} has a default of no profile type: {default!r}")
    if check is not None:
        sig = inspect.signature(check)
        names = [p.name for p in sig.parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]
        if sorted(names) != sorted(params):
            raise ValueError(f"rule {rule_id}: check {check.__name__} takes {names}, declared {list(params)}")
    RULES[rule_id] = declared = Rule(rule_id, severity, title, title_en, params, enabled, check)
    return declared


def rule(rule_id: str, severity: str, title: str, title_en: str, *, params: dict | None = None,
         enabled: bool = True):
    """Decorator: declare ``rule_id`` with ``fn`` as its check (its keyword-only
    arguments are the declared parameters)."""
    def wrap(fn: Callable[..., Iterable]):
        declare(rule_id, severity, title, title_en, params=params, enabled=enabled, check=fn)
        return fn

    return wrap


def param_type(value) -> str | None:
    """The profile type of a value: ``bool``, ``number``, ``str`` or ``list`` (of strings)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "str"
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return "list"
    return None
