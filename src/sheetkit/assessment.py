"""The assessment: one verdict per institution, computed once per run.

The engine reads the register, runs the rules and hands their findings here; what comes
back is everything an output needs to know about each institution — who it is, its
status, its current filing period, the period each document would grant, its projects
(filed, added, dropped, renewed), its renewal outcome, and for each document kind whether
it is due and, if not, every reason why. Letters, the directory, `due`, the annotated
copies, the problem-list workbook, the terminal and the JSON read this; none of them
decides eligibility or works out a period again.

Decisions (docs/rules.md, docs/letters.md):
- 申请中: the filing receipt (附件2) is due when no `error` or `violation` names it; it
  grants the period from its 备案起始 (``--as-of`` when blank).
- 已备案 with 续期评分 rows: the renewal receipt (附件7) is due when the renewal is 合格
  (exact mean ≥ pass mark, no 不合格项, a panel of 3–5, at least one project assessed) and
  nothing blocks — every condition judged for the new period.
- 已备案 with 新增/删除 rows: the scope-adjustment receipt (附件3) is due when nothing
  blocks (renewal findings concern the next period and do not) and the filing has not
  lapsed (period over without a 合格 renewal, 鲁人社函〔2025〕23号 三(一)).
- 附件6 feedback form: for every institution scored by a panel of 3–5 evaluators.
- 撤销 (附件8): every 撤销 row without an error of its own.
- 遴选评估核查表 (checklist, 附件1 / 甘人社通〔2022〕110号 二): for every 申请中
  institution, whatever its findings — the assessment group takes it on site, and the
  lines the register fails show 不符合 with the reason.
- 备案续期申请表 (application, 附件5) is not decided here: it goes to the 已备案
  institutions `sheetkit.due.due_list` lists as 即将到期 within the days asked for.
- ``eligible`` is the verdict on the document the institution's status calls for
  (申请中 → filing; 已备案 → renewal when scored, else its filing stays in force); a
  not-eligible institution always carries at least one reason.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from sheetkit.documents import KIND_ZH, KINDS, REVOKED  # noqa: F401  (KINDS: read as assessment.KINDS too)
from sheetkit.periods import FilingPeriod, filing_period
from sheetkit.register.model import STATUS_APPLYING, STATUS_FILED, STATUS_REMOVED, USCC_COL
from sheetkit.report.model import BLOCKING, Finding, Report, json_value, masked
from sheetkit.rules.common import day

ADDED, DELETED = "新增", "删除"
WHOLE_SHEET = "data.missing-column"  # an error on a 机构 sheet that concerns all its rows

# Reasons that are not rule ids.
STATUS_ZH = {
    "letters.status": "备案状态不适用该文书",
    "letters.no-change": "考核项目没有新增或删除",
    "letters.no-renewal": "没有续期评分",
}


@dataclass(frozen=True)
class Reason:
    """Why a document is not due: a rule id (or a ``letters.*`` id) and a sentence."""

    rule: str
    message: str

    def to_dict(self, personal: bool = True) -> dict:
        return {"rule": self.rule, "message": self.message if personal else masked(self.message)}


@dataclass(frozen=True)
class Document:
    """One document kind for one institution: due or not, the period it would grant."""

    kind: str
    due: bool
    period: FilingPeriod | None = None
    reasons: tuple[Reason, ...] = ()

    def to_dict(self, personal: bool = True) -> dict:
        return {"due": self.due, "period": self.period.zh() if self.period else None,
                "reasons": [r.to_dict(personal) for r in self.reasons]}


@dataclass
class Verdict:
    """Everything the outputs need to know about one institution (one 机构 row)."""

    uscc: str | None
    name: str | None
    city: str | None
    status: str | None
    code: str | None
    address: str | None
    phone: str | None
    location: dict
    settings: dict
    start: dt.date | None  # 备案起始 (an applicant's blank one: --as-of)
    current: FilingPeriod | None  # 已备案: the current period; 申请中: the one its receipt grants
    judged: str | None  # the period its conditions were judged for, in words
    lapsed: bool
    projects: tuple[str, ...]  # filed, not marked 删除
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changes: tuple[tuple[str, str], ...]  # (project, 新增/删除) in register order
    renewal: dict | None
    findings: tuple[Finding, ...]
    reasons: tuple[Reason, ...]  # blocking: one per rule, its first message
    documents: dict[str, Document] = field(default_factory=dict)
    eligible: bool = False
    why_not: tuple[Reason, ...] = ()  # never empty when not eligible

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def to_dict(self, personal: bool = True) -> dict:
        """The SPEC §5 ``institutions`` entry (with periods and documents added)."""
        out: dict[str, Any] = {
            "uscc": self.uscc, "name": self.name, "city": self.city, "status": self.status, "code": self.code,
            "eligible": self.eligible, "reasons": sorted({r.rule for r in self.why_not}),
            "reason_messages": [r.to_dict(personal) for r in self.why_not],
            "period": self.current.zh() if self.current else None,
            "judged": self.judged,
            "lapsed": self.lapsed,
            "projects": list(self.projects),
            "documents": {k: d.to_dict(personal) for k, d in self.documents.items()},
        }
        if self.renewal is not None:
            out["renewal"] = json_value_tree(self.renewal)
        return out


@dataclass(frozen=True)
class Revocation:
    """One 撤销 row: the 附件8 letter it calls for, or why not."""

    uscc: str | None
    index: Any
    location: dict
    case: str | None
    situation: str | None
    basis: str | None
    revoked_on: dt.date | None
    reasons: tuple[Reason, ...]

    @property
    def due(self) -> bool:
        return not self.reasons


@dataclass
class Assessment:
    """What a run decided: the register and profile read, the findings, one verdict per
    institution (in register order), and the 撤销 rows."""

    register: Any
    profile: Any
    report: Report
    institutions: list[Verdict]
    revocations: list[Revocation]

    # ---- the Report's face, so callers of `validate` keep working
    @property
    def as_of(self) -> dt.date:
        return self.report.as_of

    @property
    def findings(self) -> list[Finding]:
        return self.report.findings

    @property
    def files(self) -> list[dict]:
        return self.report.files

    @property
    def summary(self) -> dict[str, int]:
        return self.report.summary

    @property
    def valid(self) -> bool:
        return self.report.valid

    @property
    def exit_code(self) -> int:
        return self.report.exit_code

    def unread_files(self) -> list[Finding]:
        return self.report.unread_files()

    def findings_for(self, uscc: str) -> list[Finding]:
        return self.report.findings_for(uscc)

    def verdict(self, uscc: str) -> Verdict | None:
        return self.by_uscc.get(uscc)

    def institution(self, uscc: str) -> dict | None:
        v = self.by_uscc.get(uscc)
        return v.to_dict() if v else None

    @property
    def by_uscc(self) -> dict[str, Verdict]:
        cached = self.__dict__.get("_by_uscc")
        if cached is None:
            cached = self.__dict__["_by_uscc"] = {v.uscc: v for v in self.institutions if v.uscc}
        return cached

    def counts(self) -> dict[str, int]:
        """Institutions by verdict: 符合条件, 不符合条件, 终止备案."""
        removed = sum(v.status == STATUS_REMOVED for v in self.institutions)
        eligible = sum(v.eligible for v in self.institutions)
        return {"institutions": len(self.institutions), "eligible": eligible,
                "not_eligible": len(self.institutions) - eligible - removed, "removed": removed}

    def to_dict(self, personal: bool = False) -> dict:
        """SPEC §5. 身份证号 are masked unless ``personal``."""
        out = self.report.to_dict(personal=personal)
        out["institutions"] = [v.to_dict(personal) for v in self.institutions]
        out["institution_counts"] = self.counts()
        return out

    def to_json(self, indent: int | None = 2, personal: bool = False) -> str:
        import json

        return json.dumps(self.to_dict(personal=personal), ensure_ascii=False, indent=indent)


def json_value_tree(obj):
    if isinstance(obj, dict):
        return {k: json_value_tree(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_value_tree(v) for v in obj]
    return json_value(obj)


def primary_document(v: Verdict) -> str | None:
    """The document an institution's status calls for."""
    if v.status == STATUS_APPLYING:
        return "filing"
    if v.status == STATUS_FILED and v.renewal is not None:
        return "renewal"
    return None


# ---------------------------------------------------------------- building it


def assess(register, profile, report: Report, ctx) -> Assessment:
    """The assessment of a checked register. ``ctx`` is the rule context the rules ran
    with: its per-institution facts (periods judged, renewal outcomes) are reused, not
    recomputed."""
    from sheetkit.rules.common import institutions as facts

    table = register["机构"]
    data = table.data
    as_of = report.as_of
    years = profile.filing_years
    fact = facts(ctx)
    renewals = _renewals(ctx)
    projects = _projects(register)
    by_inst, by_row = _blocking(report.findings, table)
    verdicts: list[Verdict] = []
    seen: set[str] = set()
    # whole columns as lists, not a pandas lookup per cell: 20,000 institutions × 7 columns
    col = {c: data[c].tolist() for c in (USCC_COL, "备案状态", "机构名称", "所属市", "机构代码", "机构地址", "联系电话")}
    locations = table.locations(data.index, USCC_COL)
    starts = dict(zip(fact.index.tolist(), fact["start"].tolist())) if len(fact) else {}
    judged_of = dict(zip(fact.index.tolist(), fact["judged"].tolist())) if len(fact) else {}
    for pos, index in enumerate(data.index):
        uscc = _text(col[USCC_COL][pos])
        if uscc is not None:
            if uscc in seen:
                continue
            seen.add(uscc)
        found = tuple(by_inst.get(uscc, [])) if uscc else ()
        found += tuple(f for f in by_row.get(index, []) if f not in found)
        status = _text(col["备案状态"][pos])
        start = day(starts[uscc]) if uscc in starts else None
        current = filing_period(start, years) if start else None
        renewal = renewals.get(uscc) if status == STATUS_FILED else None
        passed = bool(renewal and renewal["result"] == "合格")
        lapsed = status == STATUS_FILED and current is not None and current.last_day < as_of and not passed
        filed, added, removed, changes = projects.get(uscc, ((), (), (), ()))
        judged = judged_of.get(uscc)
        location = locations[pos]
        # the settings of this row's workbook (its first row with this code: `Register.settings_for`)
        settings = {**register.settings, **register.settings_by_path.get(location.get("path"), {})} if uscc else {}
        v = Verdict(
            uscc=uscc, name=_text(col["机构名称"][pos]), city=_text(col["所属市"][pos]), status=status,
            code=_text(col["机构代码"][pos]), address=_text(col["机构地址"][pos]),
            phone=_text(col["联系电话"][pos]), location=location,
            settings=settings, start=start, current=current,
            judged=judged if isinstance(judged, str) else None,
            lapsed=lapsed, projects=filed, added=added, removed=removed, changes=changes, renewal=renewal,
            findings=found,
            reasons=_reasons(found))
        v.documents = _documents(v, profile)
        v.eligible, v.why_not = _verdict(v)
        verdicts.append(v)
    revocations = _revocations(register, report.findings, {v.uscc for v in verdicts if v.uscc})
    revoked: dict[str | None, list[Revocation]] = {}
    for r in revocations:
        revoked.setdefault(r.uscc, []).append(r)
    for v in verdicts:
        own = revoked.get(v.uscc)
        v.documents["revoke"] = (Document("revoke", any(r.due for r in own), None, ()) if own
                                 else _not_due("revoke", "letters.status", "撤销表中没有该机构"))
        listed = [r for r in own or () if r.due]
        if listed and v.status == STATUS_FILED:
            _withhold_receipts(v, listed[0])
    return Assessment(register, profile, report, verdicts, revocations)


def _withhold_receipts(v: Verdict, revocation: Revocation) -> None:
    """A 已备案 institution in 撤销 (its 备案状态 not yet changed to 终止备案) gets the 撤销
    letter only: no renewal receipt and no scope adjustment beside it, and it is not eligible."""
    when = f"，撤销日期{revocation.revoked_on.isoformat()}" if revocation.revoked_on else ""
    why = Reason(REVOKED, f"撤销表中有该机构（{revocation.case or '撤销'}{when}），只出具撤销备案函；"
                          "请将其备案状态改为“终止备案”")
    for kind in ("adjust", "renewal"):
        v.documents[kind] = Document(kind, False, v.documents[kind].period, (why,))
    v.eligible, v.why_not = False, (why,)


def _verdict(v: Verdict) -> tuple[bool, tuple[Reason, ...]]:
    """Eligible for the document the status calls for, or every reason why not."""
    primary = primary_document(v)
    if primary:
        doc = v.documents[primary]
        return doc.due, doc.reasons
    if v.status == STATUS_FILED:
        why = v.reasons + ((_lapse_reason(v),) if v.lapsed and not any(r.rule == "filing.expired" for r in v.reasons)
                           else ())
        return not why, why
    if v.status == STATUS_REMOVED:
        return False, (Reason("letters.status", "已终止备案"),)
    return False, v.reasons or (Reason("letters.status", f"备案状态“{v.status or '空白'}”无法判断"),)


@functools.lru_cache(maxsize=1024)
def _not_due(kind: str, rule: str, message: str) -> Document:
    """A document that is not due for one reason and grants no period: the same few for
    thousands of institutions, made once (a Document is frozen, so it can be shared)."""
    return Document(kind, False, None, (Reason(rule, message),))


def _documents(v: Verdict, profile) -> dict[str, Document]:
    years = profile.filing_years
    status = f"备案状态为“{v.status or '空白'}”"
    no_renewal = STATUS_ZH["letters.no-renewal"]
    docs: dict[str, Document] = {}
    # filing receipt (附件2) and the on-site checklist (附件1: every applicant, findings or not)
    if v.status != STATUS_APPLYING:
        docs["filing"] = _not_due("filing", "letters.status", status)
        docs["checklist"] = _not_due("checklist", "letters.status", status)
    else:
        docs["filing"] = Document("filing", not v.reasons, v.current, v.reasons)
        docs["checklist"] = Document("checklist", True, v.current, ())
    # scope adjustment (附件3): the current period stays
    if v.status != STATUS_FILED:
        docs["adjust"] = _not_due("adjust", "letters.status", status)
    elif not (v.added or v.removed):
        docs["adjust"] = Document("adjust", False, v.current, (Reason("letters.no-change", STATUS_ZH["letters.no-change"]),))
    else:
        why = tuple(r for r in v.reasons if not r.rule.startswith("renewal."))
        if v.lapsed and not any(r.rule == "filing.expired" for r in why):
            why += (_lapse_reason(v),)
        docs["adjust"] = Document("adjust", not why, v.current, why)
    # renewal receipt (附件7) and the feedback form (附件6)
    renewal = v.renewal
    if v.status != STATUS_FILED:
        docs["renewal"] = _not_due("renewal", "letters.status", status)
    elif renewal is None:
        docs["renewal"] = _not_due("renewal", "letters.no-renewal", no_renewal)
    else:
        new = v.current.next(years) if v.current else None
        why = v.reasons
        if renewal["result"] != "合格" and not any(r.rule.startswith("renewal.") for r in why):
            why += (_renewal_reason(renewal),)
        docs["renewal"] = Document("renewal", not why, new, why)
    if renewal is None:
        docs["feedback"] = _not_due("feedback", "letters.no-renewal", no_renewal)
    elif not renewal["panel_ok"]:
        least = profile.param("renewal.panel-size", "min")
        most = profile.param("renewal.panel-size", "max")
        docs["feedback"] = _not_due("feedback", "renewal.panel-size",
                                    f"续期评估专家{renewal['panel']}人，评估组应由{least}至{most}名专家组成，不出具反馈表")
    else:
        docs["feedback"] = Document("feedback", True, None, ())
    return docs


def _lapse_reason(v: Verdict) -> Reason:
    end = v.current.last_day if v.current else None
    return Reason("filing.expired", f"备案期{v.current.zh() if v.current else ''}已于{end}届满，未经续期合格，备案已失效")


def _renewal_reason(renewal: dict) -> Reason:
    if not renewal["panel_ok"]:
        return Reason("renewal.panel-size", f"续期评估专家{renewal['panel']}人，人数不符合要求")
    if renewal["vetoes"]:
        return Reason("renewal.veto", "存在续期评估不合格项" + "、".join(f"{n}" for n in renewal["vetoes"]))
    if not renewal["passed"]:
        return Reason("renewal.score", f"续期评估综合得分{renewal['score']:.2f}分，低于合格线")
    return Reason("renewal.no-assessment", "本备案期内所有考核项目均未开展考核，不予续期")


REASON_MESSAGES = 3  # a reason quotes this many of its rule's findings, then counts the rest


def _reasons(found) -> tuple[Reason, ...]:
    """One reason per blocking rule, quoting its findings (up to `REASON_MESSAGES`, then
    how many more): a clerk who fixes the first sees the others before running again."""
    messages: dict[str, list[str]] = {}
    for f in found:
        if f.severity in BLOCKING:
            seen = messages.setdefault(f.rule, [])
            if f.message not in seen:
                seen.append(f.message)
    out = []
    for rule, texts in messages.items():
        text = "；".join(texts[:REASON_MESSAGES])
        if len(texts) > REASON_MESSAGES:
            text += f"；另有{len(texts) - REASON_MESSAGES}处同类问题"
        out.append(Reason(rule, text))
    return tuple(out)


def _blocking(findings, table) -> tuple[dict, dict]:
    """Findings by institution, and blocking findings that sit on a 机构 row (or on a
    whole 机构 sheet) without naming that row's institution, by row index."""
    by_inst: dict[str, list[Finding]] = {}
    rows: dict[tuple, dict[int, list]] = {}
    for index, loc in zip(table.data.index, table.locations(table.data.index)):
        rows.setdefault((loc["path"], loc["sheet"]), {}).setdefault(loc["row"], []).append(index)
    by_row: dict[Any, list[Finding]] = {}
    codes = dict(zip(table.data.index, table.data[USCC_COL].tolist()))
    for f in findings:
        if f.institution:
            by_inst.setdefault(f.institution, []).append(f)
        if f.severity not in BLOCKING:
            continue
        on_sheet = rows.get((f.path, f.sheet))
        if not on_sheet:
            continue
        whole = f.row is None or f.rule == WHOLE_SHEET
        hit = [i for r in on_sheet.values() for i in r] if whole else on_sheet.get(f.row, [])
        for index in hit:
            if f.institution != _text(codes[index]):
                by_row.setdefault(index, []).append(f)
    return by_inst, by_row


def _renewals(ctx) -> dict:
    if not ctx.enabled("renewal.score") or ctx.table("续期评分").empty:
        return {}
    from sheetkit.rules.renewal import outcomes

    return outcomes(ctx)


def _projects(register) -> dict[str, tuple]:
    """Credit code → (filed, added, removed, changes) in register order, each name once."""
    out: dict[str, tuple[list, list, list, list]] = {}
    if not register.has("考核项目"):
        return {}
    data = register["考核项目"].data
    for code, name, change in zip(data[USCC_COL], data["考核项目"], data["变更"]):
        code, name, change = _text(code), _text(name), _text(change)
        if not code or not name:
            continue
        filed, added, removed, changes = out.setdefault(code, ([], [], [], []))
        if change in (ADDED, DELETED) and (name, change) not in changes:
            changes.append((name, change))
        if change == DELETED:
            if name not in removed:
                removed.append(name)
            continue
        if name not in filed:
            filed.append(name)
        if change == ADDED and name not in added:
            added.append(name)
    return {k: tuple(tuple(x) for x in v) for k, v in out.items()}


def _revocations(register, findings, known: set[str]) -> list[Revocation]:
    """Each 撤销 row; one with an error of its own (or naming an unknown institution) is not due."""
    if not register.has("撤销"):
        return []
    table = register["撤销"]
    by_cell: dict[tuple, set[str]] = {}
    messages: dict[tuple, dict[str, str]] = {}
    for f in findings:
        if f.severity == "error" and f.row is not None:
            key = (f.path, f.sheet, f.row)
            by_cell.setdefault(key, set()).add(f.rule)
            messages.setdefault(key, {}).setdefault(f.rule, f.message)
    out = []
    for index, row in table.data.iterrows():
        uscc = _text(row[USCC_COL])
        loc = table.location(index)
        key = (loc["path"], loc["sheet"], loc["row"])
        reasons = [Reason(r, f"{loc['sheet']}第{loc['row']}行：{messages[key][r]}") for r in sorted(by_cell.get(key, ()))]
        if (uscc is None or uscc not in known) and not any(r.rule == "data.unknown-institution" for r in reasons):
            reasons.append(Reason("data.unknown-institution",
                                  f"{loc['sheet']}第{loc['row']}行：统一社会信用代码在机构表中不存在"))
        out.append(Revocation(uscc, index, loc, _text(row.get("撤销情形")), _text(row.get("情形说明")),
                              _text(row.get("依据")), day(row.get("撤销日期")), tuple(reasons)))
    return out


def _text(v) -> str | None:
    if not isinstance(v, str):
        return None
    v = v.strip()
    return v or None
