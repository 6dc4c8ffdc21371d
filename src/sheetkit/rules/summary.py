"""Per-institution results of a run: status, eligibility for the letter its status
calls for, and the renewal outcome (SPEC §5 `institutions`)."""

from __future__ import annotations

from sheetkit.register.model import STATUS_APPLYING, STATUS_FILED, USCC_COL
from sheetkit.report.model import BLOCKING


def institutions_summary(ctx, findings) -> list[dict]:
    inst = ctx.table("机构").data
    blocking: dict[str, list[str]] = {}
    for f in findings:
        if f.institution and f.severity in BLOCKING:
            blocking.setdefault(f.institution, []).append(f.rule)
    renewals = ctx.cache.get("renewal", {})
    out = []
    seen = set()
    for index, row in inst.iterrows():
        uscc = row[USCC_COL]
        if not isinstance(uscc, str) or uscc in seen:
            continue
        seen.add(uscc)
        status = row["备案状态"] if isinstance(row["备案状态"], str) else None
        reasons = sorted(set(blocking.get(uscc, [])))
        entry = {
            "uscc": uscc,
            "name": row["机构名称"] if isinstance(row["机构名称"], str) else None,
            "city": row["所属市"] if isinstance(row["所属市"], str) else None,
            "status": status,
            "code": row["机构代码"] if isinstance(row["机构代码"], str) else None,
        }
        renewal = renewals.get(uscc)
        if status == STATUS_APPLYING:
            entry["eligible"] = not reasons
        elif status == STATUS_FILED and renewal is not None:
            entry["eligible"] = not reasons and renewal.get("result") == "合格"
        else:
            entry["eligible"] = False
        entry["reasons"] = reasons
        if renewal is not None:
            entry["renewal"] = renewal
        out.append(entry)
    return out
