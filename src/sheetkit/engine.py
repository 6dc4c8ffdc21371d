"""The engine: read a register, run every enabled rule with its parameters from the
profile, stamp each finding's rule id, severity and clause, and build the Report (SPEC §5)."""

from __future__ import annotations

import datetime as dt
import gc
from contextlib import contextmanager

from sheetkit.assessment import Assessment, assess
from sheetkit.errors import SheetkitError
from sheetkit.profiles import Profile, cities_elsewhere, load_profile
from sheetkit.register import Register, read_register
from sheetkit.report.model import Finding, Report
from sheetkit.rules import RULES
from sheetkit.rules.context import Context


def validate(paths, profile: str | Profile | None = None, as_of: dt.date | None = None,
             due_within: int | None = None, progress=None, cache=None, follow_links: bool = False) -> Assessment:
    """Validate the register in ``paths`` (files or folders) under ``profile``.

    Returns the Assessment: the findings (its Report) and one verdict per institution,
    which letters, the directory and every report read. Data problems are findings; only
    "cannot run" raises. ``cache`` (`sheetkit.cache.ReadCache`) and ``follow_links`` go to
    `read_register`."""
    prof = load_profile(profile)
    with fewer_collections():
        register = read_register(paths, cities=prof.city_map(), progress=progress, cache=cache,
                                 follow_links=follow_links)
        gc.freeze()  # the register lives to the end of the run: the collector need not scan it
        return check_register(register, prof, as_of=as_of, due_within=due_within)


@contextmanager
def fewer_collections(young: int = 50_000):
    """Python's cyclic collector runs every 700 new objects and, now and then, walks every
    object alive; a 20,000-institution register is millions of them, and walking them
    again and again took about a second of a run. Within the block objects frozen with
    `gc.freeze` are never walked and the young generation is collected every ``young``
    objects; on leaving, the collector is as it was (objects unfrozen: garbage among them
    is collected as usual)."""
    old = gc.get_threshold()
    gc.set_threshold(max(young, old[0]), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def check_register(register: Register, profile: Profile, as_of: dt.date | None = None,
                   due_within: int | None = None) -> Assessment:
    as_of = as_of or dt.date.today()
    ctx = Context(register, profile, as_of, due_within if due_within is not None else profile.due_within_days,
                  elsewhere=cities_elsewhere(profile))
    findings: list[Finding] = [_stamp(f, f.rule, profile.rules[f.rule].severity, profile.clause(f.rule))
                               for f in register.findings if profile.enabled(f.rule)]
    for rule_id, rule in RULES.items():
        if rule.check is None or not profile.enabled(rule_id):
            continue
        settings, clause = profile.rules[rule_id], profile.clause(rule_id)
        try:
            findings.extend(_stamp(f, rule_id, settings.severity, clause) for f in rule.check(ctx, **settings.params))
        except SheetkitError:
            raise
        except Exception as exc:  # a bug, not bad data: stop with a clear line, never a partial report
            raise SheetkitError(f"规则 {rule_id} 运行出错（{type(exc).__name__}: {exc}）；检查未完成。"
                                "请用 sheetkit --debug 重新运行查看详情，并报告此问题") from exc
    findings = _dedupe(findings)
    findings.sort(key=Finding.sort_key)
    report = Report(profile=profile.id, as_of=as_of, files=register.files_info(), findings=findings)
    return assess(register, profile, report, ctx)


def _stamp(f: Finding, rule_id: str, severity: str, clause: str | None) -> Finding:
    """``f`` with the rule id, the severity (the profile's, or the rule's declared one) and
    the clause (the check's own sub-clause, or the profile's) filled in. A check never
    chooses a severity: a finding that needs another one is another rule."""
    # A new Finding with three fields set: `dataclasses.replace` costs ten times more,
    # which shows at a hundred thousand findings. The object is new, so setting is safe.
    stamped = object.__new__(Finding)
    fields = stamped.__dict__
    fields.update(f.__dict__)
    fields["rule"], fields["severity"], fields["clause"] = rule_id, severity, f.clause or clause
    return stamped


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen = set()
    out = []
    for f in findings:
        key = (f.rule, f.path, f.sheet, f.row, f.column, f.institution, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
