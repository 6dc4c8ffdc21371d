"""What the page shows, from the run's report dict (SPEC §5) and its changes: grouped per
city and institution, filtered, with every 身份证号 masked. Pure: no web framework, no
files, no rules — eligibility and reasons are the assessment's, shown as they are."""

from __future__ import annotations

import os

from sheetkit.documents import REVOKED
from sheetkit.report.changes_sheet import changed_value
from sheetkit.report.model import SEVERITIES, SEVERITY_ZH, mask_id, masked

FAMILY_ZH = {"data": "数据与格式", "id": "证件号码", "inst": "机构条件", "staff": "人员条件",
             "venue": "场地条件", "project": "考核项目", "renewal": "续期评估", "filing": "备案期"}
NO_CITY = "（未关联机构）"
ID_COLUMN = "身份证号"
ENDED = "终止备案"


def mask_ids(text) -> str:
    """Every 身份证号 in ``text`` masked as everywhere else (`report.model.masked`)."""
    return "" if text is None else masked(str(text))


def mask_value(column: str | None, value) -> str:
    """A finding's value for the page: a 身份证号 column's value is masked whatever it holds."""
    if value is None:
        return ""
    return mask_id(str(value)) if column == ID_COLUMN else mask_ids(value)


def reason_text(rule: str, titles: dict[str, str]) -> str:
    """A reason an institution is not eligible, as the terminal says it: the rule's title
    and id (「身份证号格式或校验码错误（id.resident）」), the id alone when it has no title."""
    title = titles.get(rule)
    return f"{title}（{rule}）" if title else str(rule)


def family(rule: str) -> str:
    return (rule or "").split(".", 1)[0]


def shown_path(path: str | None, folder: str | None) -> str:
    """A finding's file relative to the drop folder (the page knows no other folder)."""
    if not path:
        return "（整个登记表）"
    if folder:
        try:
            rel = os.path.relpath(path, folder)
            if not rel.startswith(".."):
                return rel
        except ValueError:
            pass
    return os.path.basename(path)


def finding_view(f: dict, folder: str | None, titles: dict[str, str]) -> dict:
    cell = f.get("cell") or (f"第{f['row']}行" if f.get("row") else "")
    return {
        "severity": f.get("severity") or "", "severity_zh": SEVERITY_ZH.get(f.get("severity"), f.get("severity")),
        "rule": f.get("rule") or "", "title": titles.get(f.get("rule"), ""), "family": family(f.get("rule")),
        "file": shown_path(f.get("path"), folder), "sheet": f.get("sheet") or "", "cell": cell,
        "column": f.get("column") or "", "value": mask_value(f.get("column"), f.get("value")),
        "message": mask_ids(f.get("message")), "clause": f.get("clause") or "",
        "institution": f.get("institution") or "",
    }


def documents(inst: dict) -> list[dict]:
    """The documents the assessment says the institution gets or not: ``documents`` when the
    report has it (kind → {due, reasons}), else the one letter its status calls for."""
    from sheetkit.letters.context import KIND_ZH

    docs = inst.get("documents")
    items = []
    if isinstance(docs, dict):
        items = [(k, v) for k, v in docs.items() if isinstance(v, dict)]
    elif isinstance(docs, list):
        items = [(d.get("kind"), d) for d in docs if isinstance(d, dict)]
    out = []
    for k, d in items:
        reasons = [r if isinstance(r, dict) else {"rule": str(r), "message": str(r)} for r in d.get("reasons") or []]
        if not d.get("due") and all(r["rule"].startswith("letters.") and r["rule"] != REVOKED for r in reasons):
            continue  # not concerned (status, no change, no scores)
        out.append({"kind": k, "label": KIND_ZH.get(k, k), "due": bool(d.get("due")),
                    "why": mask_ids("；".join(dict.fromkeys(r["message"] for r in reasons)))})
    return out


def _matches(f: dict, severity, fam, q) -> bool:
    return (not severity or f["severity"] == severity) and (not fam or f["family"] == fam) and (
        not q or q in f["message"].lower() or q in f["rule"].lower())


def status_view(report: dict | None, *, folder: str | None = None, severity: str = "", fam: str = "",
                city: str = "", q: str = "") -> dict:
    """Cities → institutions → findings, filtered. ``q`` matches an institution's name or
    credit code (then all its findings show), or a finding's text or rule."""
    from sheetkit.rules.registry import RULES

    if report is None:
        return {"cities": [], "loose": [], "all_cities": [], "families": [], "summary": {}, "shown": 0}
    titles = {r: d.title for r, d in RULES.items()}
    q = (q or "").strip().lower()
    insts = [i for i in report.get("institutions") or [] if i.get("uscc")]
    by_inst: dict[str, list[dict]] = {}
    loose = []
    for f in report.get("findings") or []:
        v = finding_view(f, folder, titles)
        (by_inst.setdefault(v["institution"], []) if v["institution"] else loose).append(v)
    known = {i["uscc"] for i in insts}
    for u in list(by_inst):  # findings naming an institution the register lacks
        if u not in known:
            loose.extend(by_inst.pop(u))
    cities: dict[str, list[dict]] = {}
    shown = 0
    for i in insts:
        c = i.get("city") or NO_CITY
        if city and c != city:
            continue
        name_hit = bool(q) and (q in (i.get("name") or "").lower() or q in i["uscc"].lower())
        fs = [f for f in by_inst.get(i["uscc"], []) if _matches(f, severity, fam, "" if name_hit else q)]
        if (severity or fam or (q and not name_hit)) and not fs:
            continue
        shown += len(fs)
        counts = {s: sum(1 for f in by_inst.get(i["uscc"], []) if f["severity"] == s) for s in SEVERITIES}
        ended = not i.get("eligible") and i.get("status") == ENDED  # as the terminal: neither 符合 nor 不符合
        cities.setdefault(c, []).append({
            "uscc": i["uscc"], "name": i.get("name") or "", "status": i.get("status") or "", "code": i.get("code") or "",
            "eligible": i.get("eligible"), "ended": ended, "documents": documents(i),
            "reasons": [] if ended else [reason_text(r, titles) for r in i.get("reasons") or []],
            "renewal": i.get("renewal"), "findings": fs, "counts": counts,
        })
    loose_shown = [] if city else [f for f in loose if _matches(f, severity, fam, q)]
    shown += len(loose_shown)
    fams = sorted({f["family"] for fs in by_inst.values() for f in fs} | {f["family"] for f in loose})
    return {
        "cities": [{"city": c, "institutions": v, "eligible": sum(1 for i in v if i["eligible"]), "total": len(v),
                    "ended": sum(1 for i in v if i["ended"])}
                   for c, v in sorted(cities.items(), key=lambda kv: (kv[0] == NO_CITY, kv[0]))],
        "loose": loose_shown,
        "all_cities": sorted({i.get("city") or NO_CITY for i in insts}),
        "families": [(f, FAMILY_ZH.get(f, f)) for f in fams],
        "summary": report.get("summary") or {},
        "shown": shown,
    }


def changes_view(changes: dict | None, report: dict | None, folder: str | None = None) -> dict | None:
    """The ``changes`` section made readable: findings with names, masked."""
    from sheetkit.rules.registry import RULES

    if not changes:
        return None
    titles = {r: d.title for r, d in RULES.items()}
    names = {i["uscc"]: i.get("name") or "" for i in (report or {}).get("institutions") or [] if i.get("uscc")}
    for i in changes.get("institutions_removed") or []:
        names.setdefault(i.get("uscc"), i.get("name") or "")

    def fv(f):
        v = finding_view(f, folder, titles)
        v["name"] = names.get(v["institution"], "")
        return v

    return {
        "previous": changes.get("previous") or {}, "summary": changes.get("summary") or {},
        "new": [fv(f) for f in changes.get("new") or []], "fixed": [fv(f) for f in changes.get("fixed") or []],
        "added": changes.get("institutions_added") or [], "removed": changes.get("institutions_removed") or [],
        "changed": [{**c, "before": changed_value(c.get("before"), c.get("field")),
                     "after": changed_value(c.get("after"), c.get("field"))}
                    for c in changes.get("institutions_changed") or []],
    }
