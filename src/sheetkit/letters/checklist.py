"""The on-site checklist (遴选评估核查表) of one applicant: the lines of its notice's
conditions (鲁人社函〔2025〕23号 附件1 items 1–10; 甘人社通〔2022〕110号 二(一)–(六)),
taken from the coverage map (`sheetkit.coverage.checklist`), each pre-filled from the
assessment's findings. Pure: a Verdict in, plain dicts out.

Each line's 评估结果 (``marks``):
- the rules the map ties to the line found an ``error``/``violation`` → 「不符合：<the
  finding's message>」 (every distinct message, 身份证号 masked); nothing else for it;
- the rules found nothing blocking → 「符合」 (「登记表：符合」 when the assessors must also
  look), and each warning of those rules as 「提示：…」;
- a 现场核验 line, or a line no rule of the profile checks → 「□符合　□不符合」 for the
  assessment group to tick.
A clause stated as a whole and then item by item (甘 二(四) and 二(四)1–5) reads
「不符合：第N项不符合（见下）」 instead of 「符合」 when one of its items fails.
Blocking findings of rules tied to no line (a data error, a 续期 rule …) are listed apart
(``others``) so the sheet never reads cleaner than the register is.
"""

from __future__ import annotations

from sheetkit.report.model import BLOCKING, masked

FITS, FAILS, BOXES = "符合", "不符合", "□符合　□不符合"
PANEL_ROWS = 5  # 遴选评估组每组应有3—5人 (鲁人社函〔2025〕23号 一(二)2)
PANEL = {"鲁人社函〔2025〕23号": "遴选评估组成员", "甘人社通〔2022〕110号": "专家评议组成员"}


def checklist_fields(v, profile) -> dict:
    """The checklist fields of verdict ``v`` under ``profile``."""
    from sheetkit.coverage import checklist

    spec, sections = checklist(profile)
    tied: set[str] = set()
    out_sections = []
    for heading, lines in sections:
        rows, previous = [], None
        for line in lines:
            tied.update(line.rules)
            first = line.number != previous
            previous = line.number
            rows.append({"number": line.number if first else "", "item": line.item if first else "",
                         "first": first, "text": line.wording, "onsite": list(line.onsite),
                         "marks": marks(line, v.findings)})
        _parts_fail(lines, rows)
        out_sections.append({"heading": heading, "lines": rows})
    others = []
    for f in v.findings:
        if f.severity in BLOCKING and f.rule not in tied:
            text = f"{masked(f.message)}（{f.rule}）"
            if text not in others:
                others.append(text)
    return {"title": spec.title, "source": spec.source, "sections": out_sections, "others": others,
            "projects_line": "、".join(v.projects) or "（登记表未列考核项目）",
            "panel": PANEL.get(profile.document, "评估组成员"), "panel_rows": [str(i) for i in range(1, PANEL_ROWS + 1)]}


def marks(line, findings) -> list[str]:
    """The 评估结果 of one checklist line (see the module docstring)."""
    own = [f for f in findings if f.rule in line.rules]
    failing = _distinct(f for f in own if f.severity in BLOCKING)
    if failing:
        return [f"{FAILS}：{m}" for m in failing]
    out = []
    if line.rules:
        out.append(f"登记表：{FITS}" if line.needs_eyes else FITS)
        out += [f"提示：{m}" for m in _distinct(f for f in own if f.severity == "warning")]
    if line.needs_eyes:
        out.append(BOXES)
    return out


def _parts_fail(lines, rows) -> None:
    """A clause stated as a whole and then item by item (甘 二(四), 二(四)1–5): when one of
    its numbered items fails, the whole does not read 「符合」 above it but names the items
    (「不符合：第5项不符合（见下）」)."""
    for line, row in zip(lines, rows):
        failing = [part.clause[len(line.clause):] for part, r in zip(lines, rows)
                   if part.clause[len(line.clause):].isdigit() and part.clause.startswith(line.clause)
                   and any(m.startswith(FAILS) for m in r["marks"])]
        fits = [m for m in row["marks"] if m in (FITS, f"登记表：{FITS}")]
        if failing and fits:
            note = f"{FAILS}：第{'、'.join(failing)}项{FAILS}（见下）"
            row["marks"] = [note if m in fits else m for m in row["marks"]]


def _distinct(findings) -> list[str]:
    seen: list[str] = []
    for f in findings:
        m = masked(f.message)
        if m not in seen:
            seen.append(m)
    return seen
