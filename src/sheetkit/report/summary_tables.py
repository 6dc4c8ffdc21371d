"""The summary tables of the problem-list workbook (`validate --report`), as plain rows.

Each function reads the run's `Report` (the assessment's verdicts and findings) and returns
the rows of one table, header first; `report.workbook` writes them, each on a sheet of
its own or on 汇总. No xlsxwriter here, and nothing recomputed: eligibility, reasons and
renewal outcomes are the assessment's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sheetkit.report.model import SEVERITIES, SEVERITY_ZH, Report
from sheetkit.report.text import severity_rank

FAMILY_ZH = {"data": "数据与格式", "id": "证件号码", "inst": "机构条件", "staff": "人员条件",
             "venue": "场地条件", "project": "考核项目", "renewal": "续期评估", "filing": "备案期"}
NO_CITY = "（未关联机构）"
SEV_HEADS = [SEVERITY_ZH[s] for s in SEVERITIES] + ["合计"]
# long headers over short values, written on two lines broken between words
HEADER_LINES = {"是否符合条件": "是否符合\n条件", "综合得分": "综合\n得分", "不再续期项目": "不再续期\n项目",
                "评估专家及得分": "评估专家\n及得分", "严重程度": "严重\n程度"}


@dataclass
class Table:
    """One titled table: ``marks`` maps (column, value) to a format name (good/bad);
    ``formats`` maps a column to a number format name (score); ``keep`` names the columns
    never narrowed to fit the page (codes, which must not break)."""

    title: str
    headers: list[str]
    rows: list[list]
    marks: dict = field(default_factory=dict)
    formats: dict = field(default_factory=dict)
    keep: frozenset = frozenset()


def counts(findings) -> list:
    c = Counter(f.severity for f in findings)
    return [c.get(s, 0) for s in SEVERITIES] + [len(findings)]


def _verdicts(report: Report) -> dict[str, dict]:
    return {v.uscc: v.to_dict() for v in report.institutions if v.uscc}


def by_city(report: Report) -> Table:
    insts = _verdicts(report)
    city_of = {u: (i.get("city") or NO_CITY) for u, i in insts.items()}
    groups: dict[str, list] = {}
    for f in report.findings:
        groups.setdefault(city_of.get(f.institution, NO_CITY), []).append(f)
    for city in {i.get("city") or NO_CITY for i in insts.values()}:
        groups.setdefault(city, [])
    rows = [[city, *counts(fs)] for city, fs in sorted(groups.items(), key=lambda kv: (kv[0] == NO_CITY, kv[0]))]
    return Table("按所属市", ["所属市", *SEV_HEADS], [*rows, ["合计", *counts(report.findings)]])


def by_family(report: Report) -> Table:
    families = Counter(f.rule.split(".", 1)[0] for f in report.findings)
    rows = [[FAMILY_ZH.get(fam, fam), n] for fam, n in sorted(families.items(), key=lambda kv: -kv[1])]
    return Table("按规则类别", ["规则类别", "问题数"], rows)


def by_institution(report: Report) -> Table:
    rows = []
    for u, i in _verdicts(report).items():
        rows.append([i.get("city") or "", i.get("name") or "", u, i.get("status") or "",
                     "符合" if i.get("eligible") else "不符合", "、".join(i.get("reasons") or []),
                     *counts(report.findings_for(u))])
    return Table("按机构（是否符合条件）",
                 ["所属市", "机构名称", "统一社会信用代码", "备案状态", "是否符合条件", "不符合的规则", *SEV_HEADS],
                 rows, marks={(4, "符合"): "good", (4, "不符合"): "bad"}, keep=frozenset({2}))


def renewals(report: Report) -> Table:
    rows = []
    for u, i in _verdicts(report).items():
        ren = i.get("renewal")
        if not ren:
            continue
        period = (ren.get("period") or {}).get("text") or ""
        score = ren.get("score")
        experts = "；".join(f"{e.get('name') or ''} {e['total']:.2f}" if isinstance(e.get("total"), (int, float))
                           else f"{e.get('name') or ''}" for e in ren.get("experts") or [])
        vetoes = "、".join(f"第{v}项" for v in ren.get("vetoes") or [])
        rows.append([i.get("city") or "", i.get("name") or "", u,
                     float(score) if isinstance(score, (int, float)) else "",
                     ren.get("result") or "", "、".join(ren.get("renewed") or []),
                     "、".join(ren.get("dropped") or []), period, experts, vetoes])
    return Table("续期评估", ["所属市", "机构名称", "统一社会信用代码", "综合得分", "评估结论", "续期项目",
                          "不再续期项目", "新备案期", "评估专家及得分", "不合格项"], rows,
                 marks={(4, "合格"): "good", (4, "不合格"): "bad"}, formats={3: "score"},
                 keep=frozenset({2}))


def by_rule(report: Report) -> Table:
    from sheetkit.rules.registry import RULES

    n_of = Counter(f.rule for f in report.findings)
    sev_of = {f.rule: f.severity for f in report.findings}
    rows = [[r, RULES[r].title if r in RULES else "", SEVERITY_ZH.get(sev_of[r], sev_of[r]), n]
            for r, n in sorted(n_of.items(), key=lambda kv: (severity_rank(sev_of[kv[0]]), -kv[1], kv[0]))]
    return Table("按规则", ["规则", "规则名称", "严重程度", "问题数"], rows, keep=frozenset({0}))


def by_file(report: Report) -> Table:
    grouped: dict[str, list] = {}
    for f in report.findings:
        grouped.setdefault(f.path or "", []).append(f)
    rows = []
    for info in report.files:
        fs = grouped.get(info["path"], [])
        unreadable = next((f.message for f in fs if f.rule == "data.unreadable"), None)
        sheets = "、".join(f"{s['name']}（{s['kind']}）" for s in info.get("sheets") or [])
        rows.append([info["path"], unreadable or sheets, *counts(fs)])
    return Table("按文件", ["文件", "读取的工作表", *SEV_HEADS], rows)
