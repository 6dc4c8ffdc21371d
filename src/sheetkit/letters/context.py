"""Who gets which letter, and what goes in it (SPEC §3). Pure: a validated Report in,
plain dicts out — no docxtpl, no files.

| kind       | who qualifies                                                              |
|------------|-----------------------------------------------------------------------------|
| `filing`   | 申请中, no error or violation                                               |
| `adjust`   | 已备案 with 新增/删除 rows in 考核项目, no error or violation                |
| `renewal`  | 已备案 whose renewal result is 合格, no error or violation, ≥ 1 renewed project |
| `revoke`   | every row of 撤销 that itself has no error                                  |
| `feedback` | every institution with 续期评分 rows whose 综合得分 could be computed         |

Reasons that are not rule ids: `letters.status` (the status does not call for this
letter), `letters.no-change` (no 新增/删除 row), `letters.no-renewal` (no 续期评分 rows),
`letters.no-score` (综合得分 could not be computed).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from sheetkit.periods import filing_period
from sheetkit.register.model import STATUS_APPLYING, STATUS_FILED, USCC_COL
from sheetkit.report.model import BLOCKING

KINDS = ("filing", "adjust", "renewal", "revoke", "feedback")
KIND_ZH = {
    "filing": "备案回执", "adjust": "范围调整回执", "renewal": "备案续期回执",
    "revoke": "撤销备案函", "feedback": "续期评估组意见反馈表",
}
BLANK_CODE = "_____"
EXPERT_COLUMNS = 5
COMMON_KEYS = frozenset({"name", "uscc", "code", "city", "issuer", "date", "kind", "policy_basis", "website"})
KEYS = {
    "filing": COMMON_KEYS | {"period", "projects"},
    "adjust": COMMON_KEYS | {"period", "changes", "projects"},
    "renewal": COMMON_KEYS | {"period", "projects", "dropped", "score", "result"},
    "revoke": COMMON_KEYS | {"situation", "basis", "case", "revoked_on"},
    "feedback": COMMON_KEYS | {"names", "scores", "experts", "score", "result", "vetoes"},
}
REASON_ZH = {
    "letters.status": "备案状态不符",
    "letters.no-change": "考核项目没有新增或删除",
    "letters.no-renewal": "没有续期评分",
    "letters.no-score": "综合得分无法计算",
}
CHANGE_ZH = {"新增": "新增项目", "删除": "删除项目"}

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\ufffe\uffff]")


@dataclass
class Letter:
    kind: str
    uscc: str
    name: str
    context: dict
    city: str | None = None
    code: str | None = None
    period: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Skip:
    uscc: str | None
    name: str | None
    reasons: list[str]
    message: str

    def to_dict(self) -> dict:
        return {"institution": self.uscc, "name": self.name, "reasons": self.reasons, "message": self.message}


def text(value) -> str | None:
    """A cell value as letter text: no control characters (they would break the .docx
    or be read by docxtpl as paragraph/page breaks), surrounding spaces trimmed."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = _CONTROL.sub("", unicodedata.normalize("NFC", str(value))).strip()
    return s or None


def as_date(value) -> dt.date | None:
    import pandas as pd

    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        try:
            return value.to_pydatetime().date()
        except (ValueError, AttributeError):
            return None
    if isinstance(value, str):
        import pandas as pd

        from sheetkit.register.normalise import normalise_date

        parsed, invalid = normalise_date(pd.Series([value], dtype="object"))
        if bool(invalid.iloc[0]) or pd.isna(parsed.iloc[0]):
            return None
        return parsed.iloc[0].date()
    return None


def date_zh(day: dt.date) -> str:
    """`2025年2月12日` (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def number_zh(value) -> str:
    """85.0 → 85, 72.5 → 72.5, 72.333 → 72.33."""
    if value is None:
        return ""
    s = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return s


# ------------------------------------------------------------------ per institution


def _institution_rows(report) -> dict[str, dict]:
    """Credit code → the 机构 row (normalised values)."""
    table = report.register["机构"]
    out: dict[str, dict] = {}
    for _, row in table.data.iterrows():
        code = row[USCC_COL]
        if isinstance(code, str) and code not in out:
            out[code] = row.to_dict()
            out[code]["_settings"] = report.register.settings_for(code)
    return out


def _projects(report) -> dict[str, list[tuple[str, str | None]]]:
    """Credit code → [(考核项目, 变更)] in register order."""
    table = report.register["考核项目"]
    out: dict[str, list[tuple[str, str | None]]] = {}
    for _, row in table.data.iterrows():
        code, name = row[USCC_COL], text(row["考核项目"])
        if isinstance(code, str) and name:
            out.setdefault(code, []).append((name, text(row.get("变更"))))
    return out


def _blocking(report) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for f in report.findings:
        if f.institution and f.severity in BLOCKING:
            out.setdefault(f.institution, set()).add(f.rule)
    return {k: sorted(v) for k, v in out.items()}


def _reason_message(reasons: list[str]) -> str:
    from sheetkit.rules.registry import RULES

    parts = []
    for r in reasons:
        parts.append(REASON_ZH.get(r) or (RULES[r].title if r in RULES else r))
    return "；".join(parts)


def _base(kind: str, inst: dict, issuer: str | None, date: dt.date | None) -> tuple[dict, list[str]]:
    """The fields every letter has. ``issuer``/``date`` given on the command line win;
    otherwise the 设置 of the institution's own workbook (each city's bureau signs its
    own letters), else today for the date."""
    own = inst.get("_settings") or {}
    issuer = issuer or text(own.get("发文单位")) or ""
    date = date or as_date(own.get("发文日期")) or dt.date.today()
    name = text(inst.get("机构名称")) or ""
    code = text(inst.get("机构代码"))
    warnings = []
    if not code:
        warnings.append(f"{name}（{inst.get(USCC_COL)}）没有机构代码，{KIND_ZH[kind]}中机构代码留空（{BLANK_CODE}）")
    ctx = {"kind": kind, "name": name, "uscc": inst.get(USCC_COL), "code": code or BLANK_CODE,
           "city": text(inst.get("所属市")) or "", "issuer": issuer, "date": date_zh(date)}
    return ctx, warnings


def plan(report, kind: str, *, issuer: str, date: dt.date, only=(), city: str | None = None
         ) -> tuple[list[Letter], list[Skip]]:
    """The letters of ``kind`` to write for the institutions of ``report`` and the ones
    skipped with their reasons. ``only`` (credit codes or names) and ``city`` narrow the
    institutions considered; those left out are neither written nor listed."""
    if kind not in KINDS:
        raise ValueError(kind)
    institutions = _institution_rows(report)
    wanted = _filter(institutions, only, city, report)
    if only and not wanted:
        from sheetkit.errors import UsageError

        raise UsageError(f"--only {'、'.join(map(str, only))} 没有匹配到任何机构（按统一社会信用代码或机构名称）")
    blocking = _blocking(report)
    summary = {i.get("uscc"): i for i in report.institutions}
    letters: list[Letter] = []
    skipped: list[Skip] = []

    def skip(uscc, inst, reasons):
        skipped.append(Skip(uscc, text(inst.get("机构名称")) if inst else None, reasons, _reason_message(reasons)))

    if kind == "revoke":
        return _revocations(report, institutions, wanted, issuer, date)

    projects = _projects(report)
    for uscc, inst in institutions.items():
        if uscc not in wanted:
            continue
        status = text(inst.get("备案状态"))
        reasons = blocking.get(uscc, [])
        renewal = (summary.get(uscc) or {}).get("renewal")
        rows = projects.get(uscc, [])
        if kind == "feedback":
            if renewal is None:
                continue  # only institutions with renewal scores are concerned
            if renewal.get("score") is None:
                skip(uscc, inst, [r for r in reasons if r.startswith(("renewal.", "data."))] or ["letters.no-score"])
                continue
            letters.append(_feedback(inst, renewal, issuer, date))
            continue
        wanted_status = STATUS_APPLYING if kind == "filing" else STATUS_FILED
        if status != wanted_status:
            skip(uscc, inst, ["letters.status"])
            continue
        if kind == "adjust" and not any(change in CHANGE_ZH for _, change in rows):
            skip(uscc, inst, ["letters.no-change"])
            continue
        if kind == "renewal" and renewal is None:
            skip(uscc, inst, ["letters.no-renewal"])
            continue
        if kind == "renewal" and renewal.get("result") != "合格":
            skip(uscc, inst, reasons or ["renewal.score"])
            continue
        if reasons:
            skip(uscc, inst, reasons)
            continue
        if kind == "renewal" and not renewal.get("renewed"):
            skip(uscc, inst, ["renewal.no-assessment"])
            continue
        letters.append(_letter(kind, inst, rows, renewal, issuer, date, report.as_of))
    return letters, skipped


def _filter(institutions: dict[str, dict], only, city, report) -> set[str]:
    keep = set(institutions)
    if only:
        from sheetkit.register.normalise import half_width

        keys = {re.sub(r"\s+", "", half_width(str(o))).upper() for o in only}
        names = {re.sub(r"\s+", "", half_width(str(o))) for o in only}
        keep = {u for u, inst in institutions.items()
                if u in keys or re.sub(r"\s+", "", half_width(text(inst.get("机构名称")) or "")) in names}
    if city:
        prof = getattr(report, "profile_obj", None)
        canonical = prof.city_map().get(city, city) if prof is not None else city
        keep = {u for u in keep if text(institutions[u].get("所属市")) in (city, canonical)}
    return keep


def _letter(kind, inst, rows, renewal, issuer, date, as_of) -> Letter:
    ctx, warnings = _base(kind, inst, issuer, date)
    start = as_date(inst.get("备案起始"))
    if kind == "filing":
        period = filing_period(start or as_of).zh()
        ctx["projects"] = [name for name, change in rows if change != "删除"]
    elif kind == "adjust":
        period = filing_period(start).zh() if start else ""
        ctx["changes"] = [{"project": name, "change": CHANGE_ZH[change]} for name, change in rows if change in CHANGE_ZH]
        ctx["projects"] = [name for name, change in rows if change != "删除"]
    else:  # renewal
        period_info = renewal.get("period") or {}
        period = period_info.get("text") or (filing_period(start).next().zh() if start else "")
        ctx["projects"] = [text(p) for p in renewal.get("renewed", []) if text(p)]
        ctx["dropped"] = [text(p) for p in renewal.get("dropped", []) if text(p)]
        ctx["score"] = number_zh(renewal.get("score"))
        ctx["result"] = renewal.get("result") or ""
    ctx["period"] = period
    return Letter(kind, ctx["uscc"], ctx["name"], ctx, ctx["city"], text(inst.get("机构代码")), period, warnings)


def _feedback(inst, renewal, issuer, date) -> Letter:
    ctx, _ = _base("feedback", inst, issuer, date)
    experts = [{"name": text(e.get("name")) or "", "total": number_zh(e.get("total"))}
               for e in renewal.get("experts", [])]
    pad = max(EXPERT_COLUMNS, len(experts))
    ctx["experts"] = experts
    ctx["names"] = [e["name"] for e in experts] + [""] * (pad - len(experts))
    ctx["scores"] = [e["total"] for e in experts] + [""] * (pad - len(experts))
    ctx["score"] = number_zh(renewal.get("score"))
    ctx["result"] = renewal.get("result") or ""
    ctx["vetoes"] = list(renewal.get("vetoes") or [])
    return Letter("feedback", ctx["uscc"], ctx["name"], ctx, ctx["city"], text(inst.get("机构代码")), None, [])


def _revocations(report, institutions, wanted, issuer, date) -> tuple[list[Letter], list[Skip]]:
    """One letter per valid row of 撤销; a row with an error is skipped with its rule ids."""
    table = report.register["撤销"]
    by_cell: dict[tuple, set[str]] = {}
    for f in report.findings:
        if f.severity == "error" and f.row is not None:
            by_cell.setdefault((f.path, f.sheet, f.row), set()).add(f.rule)
    letters, skipped = [], []
    for index, row in table.data.iterrows():
        uscc = row[USCC_COL] if isinstance(row[USCC_COL], str) else None
        if uscc is not None and uscc not in wanted and uscc in institutions:
            continue
        inst = institutions.get(uscc) if uscc else None
        loc = table.location(index)
        reasons = sorted(by_cell.get((loc["path"], loc["sheet"], loc["row"]), set()))
        if inst is None and "data.unknown-institution" not in reasons:
            reasons.append("data.unknown-institution")
        if reasons:
            name = text(inst.get("机构名称")) if inst else None
            skipped.append(Skip(uscc, name, reasons,
                                f"{loc['sheet']}第{loc['row']}行：{_reason_message(reasons)}"))
            continue
        ctx, warnings = _base("revoke", inst, issuer, date)
        revoked_on = as_date(row.get("撤销日期"))
        ctx.update({"situation": text(row.get("情形说明")) or "", "basis": text(row.get("依据")) or "",
                    "case": text(row.get("撤销情形")) or "", "revoked_on": date_zh(revoked_on) if revoked_on else ""})
        letters.append(Letter("revoke", uscc, ctx["name"], ctx, ctx["city"], text(inst.get("机构代码")), None, warnings))
    return letters, skipped


def sample_context(kind: str) -> dict:
    """A context with every key of ``kind`` filled (for `templates check`)."""
    from sheetkit.letters.fields import profile_fields
    from sheetkit.profiles import load_profile

    base = {"kind": kind, "name": "示例考核机构", "uscc": "91370100MA00000000", "code": "SD0001", "city": "济南",
            "issuer": "济南市人力资源和社会保障局", "date": "2025年2月12日", **profile_fields(load_profile(None))}
    extra = {
        "filing": {"period": "自2025年3月至2028年2月", "projects": ["中式面点制作"]},
        "adjust": {"period": "自2025年3月至2028年2月", "projects": ["茶艺"],
                   "changes": [{"project": "茶艺", "change": "新增项目"}]},
        "renewal": {"period": "自2028年3月至2031年2月", "projects": ["中式面点制作"], "dropped": [],
                    "score": "85", "result": "合格"},
        "revoke": {"situation": "自愿撤销", "basis": "鲁人社函〔2025〕23号", "case": "自愿撤销",
                   "revoked_on": "2025年2月12日"},
        "feedback": {"names": ["甲", "乙", "丙", "", ""], "scores": ["85", "80", "90", "", ""],
                     "experts": [{"name": "甲", "total": "85"}], "score": "85", "result": "合格", "vetoes": []},
    }
    return {**base, **extra[kind]}
