"""What goes in each letter (SPEC §3). Pure: an Assessment in, plain dicts out — no
docxtpl, no files. Who gets which letter, and why not, is the assessment's verdict
(`sheetkit.assessment`); this module only turns a due document into a letter's fields
and a document not due into a `Skip` with its reasons.

Reasons that are not rule ids: `letters.status` (the status does not call for this
letter), `letters.no-change` (no 新增/删除 row), `letters.no-renewal` (no 续期评分 rows).

Who signs: ``--issuer``, else the 设置 of the institution's own workbook, else the
institution's city bureau (「备案所属市人力资源社会保障局」: 所属市 临沂 → 临沂市人力资源和
社会保障局). ``issuer_source`` records which.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sheetkit.documents import KIND_ZH, KINDS
from sheetkit.letters.values import as_date, date_zh, number_zh, text  # noqa: F401  (read as context.text too)

BLANK_CODE = "_____"
EXPERT_COLUMNS = 5
COMMON_KEYS = frozenset({"name", "uscc", "code", "city", "issuer", "issuer_source", "date", "kind",
                         "policy_basis", "website"})
KEYS = {
    "filing": COMMON_KEYS | {"period", "projects"},
    "adjust": COMMON_KEYS | {"period", "changes", "projects"},
    "renewal": COMMON_KEYS | {"period", "projects", "dropped", "score", "result"},
    "revoke": COMMON_KEYS | {"situation", "basis", "case", "revoked_on"},
    "feedback": COMMON_KEYS | {"names", "scores", "experts", "score", "result", "vetoes", "veto_items"},
    "checklist": COMMON_KEYS | {"period", "projects", "title", "source", "sections", "others", "projects_line",
                                "panel", "panel_rows"},
    "application": COMMON_KEYS | {"period", "address", "contact", "phone", "email", "assessed", "first_assessed",
                                  "projects", "venue_kinds", "venue_addresses", "staff"},
}
ISSUER_SOURCE_ZH = {"option": "命令行 --issuer", "settings": "工作簿“设置”表", "city": "所属市人力资源社会保障局（默认）"}
CHANGE_ZH = {"新增": "新增项目", "删除": "删除项目"}



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


def _reason_message(reasons) -> str:
    """The reasons in one line, 身份证号 masked (the manifest is filed, not kept secret)."""
    from sheetkit.report.model import masked

    return masked("；".join(r.message for r in reasons))


def _base(kind: str, v, issuer: str | None, date: dt.date | None, profile) -> tuple[dict, list[str]]:
    """The fields every letter has. ``issuer``/``date`` given on the command line win;
    then the 设置 of the institution's own workbook; then the city bureau and today."""
    own = v.settings or {}
    if issuer:
        signer, source = issuer, "option"
    elif text(own.get("发文单位")):
        signer, source = text(own.get("发文单位")), "settings"
    else:
        signer, source = profile.city_bureau(v.city) or "", "city"
    date = date or as_date(own.get("发文日期")) or dt.date.today()
    name = v.name or ""
    warnings = []
    if not v.code:
        warnings.append(f"{name}（{v.uscc}）没有机构代码，{KIND_ZH[kind]}中机构代码留空（{BLANK_CODE}）")
    ctx = {"kind": kind, "name": name, "uscc": v.uscc, "code": v.code or BLANK_CODE,
           "city": v.city or "", "issuer": signer, "issuer_source": source, "date": date_zh(date)}
    return ctx, warnings


def plan(assessment, kind: str, *, issuer: str | None, date: dt.date | None, only=(), city: str | None = None,
         within: int | None = None) -> tuple[list[Letter], list[Skip]]:
    """The letters of ``kind`` for the institutions whose document the assessment says is
    due, and the others with its reasons. ``only`` (credit codes or names) and ``city``
    narrow the institutions considered; those left out are neither written nor listed.
    The feedback form concerns only institutions with renewal scores; the renewal
    application form (附件5) the 已备案 institutions `sheetkit.due.due_list` finds due
    within ``within`` days (default: the profile's ``due_within_days``)."""
    if kind not in KINDS:
        raise ValueError(kind)
    wanted = _filter(assessment, only, city)
    if only and not wanted:
        from sheetkit.errors import UsageError

        raise UsageError(f"--only {'、'.join(map(str, only))} 没有匹配到任何机构（按统一社会信用代码或机构名称）")
    if kind == "revoke":
        return _revocations(assessment, wanted, issuer, date)
    if kind == "application":
        return _applications(assessment, wanted, issuer, date, within)
    letters: list[Letter] = []
    skipped: list[Skip] = []
    for v in assessment.institutions:
        if v.uscc not in wanted:
            continue
        doc = v.documents[kind]
        if kind == "feedback" and v.renewal is None:
            continue  # only institutions with renewal scores are concerned
        if not doc.due:
            skipped.append(Skip(v.uscc, v.name, sorted({r.rule for r in doc.reasons}), _reason_message(doc.reasons)))
            continue
        letters.append(_letter(kind, v, doc, issuer, date, assessment.profile))
    return letters, skipped


def _filter(assessment, only, city) -> set[str]:
    verdicts = assessment.by_uscc
    keep = set(verdicts)
    if only:
        from sheetkit.register.normalise import half_width

        keys = {re.sub(r"\s+", "", half_width(str(o))).upper() for o in only}
        names = {re.sub(r"\s+", "", half_width(str(o))) for o in only}
        keep = {u for u, v in verdicts.items() if u in keys or re.sub(r"\s+", "", half_width(v.name or "")) in names}
    if city:
        canonical = assessment.profile.city_map().get(city, city)
        keep = {u for u in keep if verdicts[u].city in (city, canonical)}
    return keep


def _letter(kind, v, doc, issuer, date, profile) -> Letter:
    if kind == "feedback":
        return _feedback(v, issuer, date, profile)
    ctx, warnings = _base(kind, v, issuer, date, profile)
    period = doc.period.zh() if doc.period else ""
    if kind == "checklist":
        from sheetkit.letters.checklist import checklist_fields

        ctx["projects"] = list(v.projects)
        ctx.update(checklist_fields(v, profile))
        warnings = []  # an applicant has no 机构代码 yet
    elif kind == "filing":
        ctx["projects"] = list(v.projects)
    elif kind == "adjust":
        ctx["changes"] = [{"project": p, "change": CHANGE_ZH[change]} for p, change in v.changes]
        ctx["projects"] = list(v.projects)
    else:  # renewal
        renewal = v.renewal
        ctx["projects"] = [text(p) for p in renewal.get("renewed", []) if text(p)]
        ctx["dropped"] = [text(p) for p in renewal.get("dropped", []) if text(p)]
        ctx["score"] = score_zh(renewal.get("score"))
        ctx["result"] = renewal.get("result") or ""
    ctx["period"] = period
    return Letter(kind, v.uscc, ctx["name"], ctx, ctx["city"], v.code, period, warnings)


def score_zh(value) -> str:
    """A 综合得分 as printed: two decimals, already cut (never rounded up) by the assessment."""
    return "" if value is None else f"{float(value):.2f}"


def _feedback(v, issuer, date, profile) -> Letter:
    from sheetkit.scoresheet import VETOES

    renewal = v.renewal
    ctx, _ = _base("feedback", v, issuer, date, profile)
    experts = [{"name": text(e.get("name")) or "", "total": number_zh(e.get("total"))}
               for e in renewal.get("experts", [])]
    pad = max(EXPERT_COLUMNS, len(experts))
    ctx["experts"] = experts
    ctx["names"] = [e["name"] for e in experts] + [""] * (pad - len(experts))
    ctx["scores"] = [e["total"] for e in experts] + [""] * (pad - len(experts))
    ctx["score"] = score_zh(renewal.get("score"))
    vetoes = list(renewal.get("vetoes") or [])
    ctx["vetoes"] = vetoes
    # 附件6 备注2: a 不合格项 is reported to the city bureau for investigation; the form names
    # each one with its 附件4 wording, and the result line says why it is 不合格 when the
    # score alone (备注1) would pass.
    ctx["veto_items"] = [f"附件4 不合格项{n}：{VETOES[n - 1].split('.', 1)[1]}" for n in vetoes if 0 < n <= len(VETOES)]
    if vetoes and renewal.get("passed"):
        ctx["result"] = f"不合格（存在不合格项{'、'.join(str(n) for n in vetoes)}）"
    elif not renewal.get("renewed") and renewal.get("passed"):
        ctx["result"] = "不合格（备案期内未开展考核，附件4 不合格项9）"
    else:
        ctx["result"] = renewal.get("result") or ""
    return Letter("feedback", v.uscc, ctx["name"], ctx, ctx["city"], v.code, None, [])


def _revocations(assessment, wanted, issuer, date) -> tuple[list[Letter], list[Skip]]:
    """One letter per 撤销 row the assessment found due; the others skipped with their reasons."""
    letters, skipped = [], []
    for r in assessment.revocations:
        v = assessment.by_uscc.get(r.uscc) if r.uscc else None
        if v is not None and r.uscc not in wanted:
            continue
        if not r.due:
            skipped.append(Skip(r.uscc, v.name if v else None, sorted({x.rule for x in r.reasons}),
                                _reason_message(r.reasons)))
            continue
        ctx, warnings = _base("revoke", v, issuer, date, assessment.profile)
        ctx.update({"situation": r.situation or "", "basis": r.basis or "", "case": r.case or "",
                    "revoked_on": date_zh(r.revoked_on) if r.revoked_on else ""})
        letters.append(Letter("revoke", r.uscc, ctx["name"], ctx, ctx["city"], v.code, None, warnings))
    return letters, skipped


def _applications(assessment, wanted, issuer, date, within) -> tuple[list[Letter], list[Skip]]:
    """附件5 for each 已备案 institution due for renewal (`due_list`, 即将到期); one whose
    period has ended without renewal is skipped (视为自愿撤销, 三(一))."""
    from sheetkit.due import DUE, due_list
    from sheetkit.letters.application import application_fields

    days = assessment.profile.due_within_days if within is None else within
    letters, skipped = [], []
    for entry in due_list(assessment, days).entries:
        if entry.uscc not in wanted:
            continue
        v = assessment.by_uscc[entry.uscc]
        if entry.state != DUE:
            skipped.append(Skip(v.uscc, v.name, ["filing.expired"],
                                f"备案期{entry.period}已于{entry.end}届满，未申请续期，视为自愿撤销"))
            continue
        ctx, warnings = _base("application", v, issuer, date, assessment.profile)
        ctx["period"] = entry.period
        ctx.update(application_fields(assessment, v))
        letters.append(Letter("application", v.uscc, ctx["name"], ctx, ctx["city"], v.code, entry.period, warnings))
    return letters, skipped


def sample_context(kind: str) -> dict:
    """A context with every key of ``kind`` filled (for `templates check`)."""
    from sheetkit.letters.fields import profile_fields
    from sheetkit.profiles import load_profile

    base = {"kind": kind, "name": "示例考核机构", "uscc": "91370100MA00000000", "code": "SD0001", "city": "济南",
            "issuer": "济南市人力资源和社会保障局", "issuer_source": "settings", "date": "2025年2月12日",
            **profile_fields(load_profile(None))}
    extra = {
        "filing": {"period": "自2025年3月至2028年2月", "projects": ["中式面点制作"]},
        "adjust": {"period": "自2025年3月至2028年2月", "projects": ["茶艺"],
                   "changes": [{"project": "茶艺", "change": "新增项目"}]},
        "renewal": {"period": "自2028年3月至2031年2月", "projects": ["中式面点制作"], "dropped": [],
                    "score": "85", "result": "合格"},
        "revoke": {"situation": "自愿撤销", "basis": "鲁人社函〔2025〕23号", "case": "自愿撤销",
                   "revoked_on": "2025年2月12日"},
        "checklist": {"period": "自2025年3月至2028年2月", "projects": ["中式面点制作"], "title": "核查表",
                      "source": "鲁人社函〔2025〕23号附件1", "projects_line": "中式面点制作",
                      "sections": [{"heading": "一、必备条件", "lines": [
                          {"number": "1", "item": "机构主体", "first": True, "text": "无不良信用或违法违规记录。",
                           "onsite": ["核验"], "marks": ["符合"]}]}],
                      "others": ["其他问题"], "panel": "遴选评估组成员", "panel_rows": ["1", "2", "3"]},
        "application": {"period": "自2025年3月至2028年2月", "address": "济南市", "contact": "李一", "phone": "0531-1",
                        "email": "a@example.cn", "assessed": "是☑　否□", "first_assessed": "2024年3月1日",
                        "projects": [{"name": "中式面点制作", "assessed": "120", "certified": "100", "rate": "83.33%",
                                      "papers": "5", "questions": "300"}],
                        "venue_kinds": "自有场地□　租用场地☑", "venue_addresses": "济南市",
                        "staff": {"assessors": "6", "supervisors": "2", "experts": "4", "workers": "7"}},
        "feedback": {"names": ["甲", "乙", "丙", "", ""], "scores": ["85", "80", "90", "", ""],
                     "experts": [{"name": "甲", "total": "85"}], "score": "85.00", "result": "合格", "vetoes": [],
                     "veto_items": []},
    }
    return {**base, **extra[kind]}
