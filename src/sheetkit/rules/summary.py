"""Per-institution results of a run: status, eligibility for the letter its status
calls for, and the renewal outcome (SPEC §5 `institutions`).

- 申请中: eligible for the filing receipt when it has no `error` or `violation` finding;
- 已备案 with 续期评分 rows: eligible for the renewal receipt when the renewal is 合格 and
  it has no `error` or `violation` finding;
- anything else (已备案 without scores, 终止备案): not eligible for a letter here.
``reasons`` are the sorted ids of the rules whose blocking findings name the institution.
"""

from __future__ import annotations

from sheetkit.register.model import STATUS_APPLYING, STATUS_FILED, USCC_COL
from sheetkit.report.model import BLOCKING


def _text(value):
    return value if isinstance(value, str) else None


def institutions_summary(ctx, findings) -> list[dict]:
    inst = ctx.table("机构").data
    blocking: dict[str, set[str]] = {}
    for f in findings:
        if f.institution and f.severity in BLOCKING:
            blocking.setdefault(f.institution, set()).add(f.rule)
    renewals = ctx.cache.get("renewal")
    if renewals is None:
        renewals = _renewals(ctx)
    first = inst[inst[USCC_COL].notna() & ~inst[USCC_COL].duplicated()]
    out = []
    for uscc, name, city, status, code in zip(first[USCC_COL], first["机构名称"], first["所属市"],
                                              first["备案状态"], first["机构代码"]):
        status = _text(status)
        reasons = sorted(blocking.get(uscc, ()))
        renewal = renewals.get(uscc)
        if status == STATUS_APPLYING:
            eligible = not reasons
        elif status == STATUS_FILED and renewal is not None:
            eligible = not reasons and renewal.get("result") == "合格"
        else:
            eligible = False
        entry = {"uscc": uscc, "name": _text(name), "city": _text(city), "status": status, "code": _text(code),
                 "eligible": eligible, "reasons": reasons}
        if renewal is not None:
            entry["renewal"] = renewal
        out.append(entry)
    return out


def _renewals(ctx) -> dict:
    """Renewal outcomes when no renewal rule ran but the profile scores renewals."""
    if ctx.table("续期评分").empty or not ctx.enabled("renewal.score"):
        return {}
    from sheetkit.rules.renewal import outcomes

    return outcomes(ctx)
