"""The report for people: grouped by file and institution, coloured by severity on a
terminal, plain text when piped; then every institution that does not qualify, with its
reasons (some are not findings of its own rows); a one-line total at the end.

It reads the Assessment's verdicts; it decides nothing. 身份证号 are masked unless
``personal``."""

from __future__ import annotations

import sys

from sheetkit.report.model import SEVERITIES, SEVERITY_ZH, Finding, masked, without_personal_data

_STYLE = {"error": "bold red", "violation": "red", "warning": "yellow", "info": "cyan"}
_EN = {"error": "error", "violation": "violation", "warning": "warning", "info": "info"}
_WORDS = {
    "zh": {"register": "（整个登记表）", "none": "（未关联机构）", "ok": "符合条件", "not_ok": "不符合条件",
           "removed": "终止备案", "row": "第{}行", "clean": "未发现问题。", "findings": "{} 条问题",
           "not_listed": "不符合条件的机构（{} 家）："},
    "en": {"register": "(whole register)", "none": "(no institution)", "ok": "eligible", "not_ok": "not eligible",
           "removed": "filing ended", "row": "row {}", "clean": "No problems found.", "findings": "{} findings",
           "not_listed": "Institutions not eligible ({}):"},
}


def _groups(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by key, groups in order of first appearance."""
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.path or "", []).append(f)
    return list(out.items())


def _counts_text(findings, lang: str) -> str:
    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    label = SEVERITY_ZH if lang == "zh" else _EN
    sep = "，" if lang == "zh" else ", "
    return sep.join(f"{label[s]} {n}" for s, n in counts.items() if n)


def location(f: Finding, lang: str = "zh") -> str:
    """Where a finding is, as staff read it: ``人员!C7``, ``场地 第2行`` or nothing."""
    if not f.sheet:
        return ""
    if f.cell:
        return f"{f.sheet}!{f.cell}"
    if f.row:
        return f"{f.sheet} " + _WORDS[lang]["row"].format(f.row)
    return f.sheet


def render(assessment, lang: str = "zh", file=None, personal: bool = False) -> None:
    """Print ``assessment`` to ``file`` (default stdout). Colour only on a terminal."""
    from rich.console import Console
    from rich.markup import escape

    out = file or sys.stdout
    console = Console(file=out, highlight=False, soft_wrap=True, emoji=False,
                      force_terminal=None if file is None else False)
    words = _WORDS.get(lang, _WORDS["zh"])
    label = SEVERITY_ZH if lang == "zh" else _EN
    insts = assessment.by_uscc
    order = {v.uscc: i for i, v in enumerate(assessment.institutions)}  # register order (机构 rows)
    for path, items in _groups(assessment.findings):
        counts = _counts_text(items, lang)
        heading = words["findings"].format(len(items)) + (f"（{counts}）" if lang == "zh" else f" ({counts})")
        console.print(f"[bold underline]{escape(path or words['register'])}[/]  [dim]{escape(heading)}[/]")
        by_inst: dict[str, list[Finding]] = {}
        for f in items:
            by_inst.setdefault(f.institution or "", []).append(f)
        for uscc, group in sorted(by_inst.items(), key=lambda kv: (kv[0] == "", order.get(kv[0], len(order)),
                                                                  min(f.row or 0 for f in kv[1]))):
            console.print("  " + _institution_line(uscc, insts.get(uscc), words, escape))
            for f in group:
                where = location(f, lang)
                shown = f.__dict__ if personal else without_personal_data(f)
                text = shown["message_en"] if lang == "en" and shown["message_en"] else shown["message"]
                clause = f" 〔{f.clause}〕" if f.clause else ""
                console.print(f"    [{_STYLE.get(f.severity, '')}]{label.get(f.severity, f.severity)}[/] "
                              f"{escape(where) + ' ' if where else ''}{escape(text)} "
                              f"[dim]{f.rule}{escape(clause)}[/dim]")
        console.print()
    if not assessment.findings:
        console.print(words["clean"])
    failing = [v for v in assessment.institutions if not v.eligible and v.status != "终止备案"]
    if failing:
        console.print(f"[bold]{escape(words['not_listed'].format(len(failing)))}[/bold]")
        for v in failing:
            why = "；".join(dict.fromkeys(_short(r, lang) for r in v.why_not))
            who = f"{v.name or '（名称空白）'}（{v.uscc or '无统一社会信用代码'}）"
            console.print(f"  [red]{escape(who)}[/red] {escape(why if personal else masked(why))}")
        console.print()
    console.print(total_line(assessment, lang))


def _short(reason, lang: str) -> str:
    """A reason in a few words: the rule's title and id (a letters.* reason: its message)."""
    from sheetkit.rules.registry import RULES

    rule = RULES.get(reason.rule)
    if rule is None:
        return reason.message
    return f"{rule.title if lang == 'zh' else rule.title_en}（{reason.rule}）"


def _institution_line(uscc: str, inst, words: dict, escape) -> str:
    if not uscc:
        return f"[bold]{words['none']}[/bold]"
    if inst is None:
        return f"[bold]{escape(uscc)}[/bold]"
    name = inst.name or uscc
    parts = [p for p in (inst.city, inst.status) if p]
    if inst.eligible:
        verdict = "[green]" + words["ok"] + "[/green]"
    elif inst.status == "终止备案":
        verdict = "[dim]" + words["removed"] + "[/dim]"
    else:
        verdict = "[red]" + words["not_ok"] + "[/red]"
    extra = " · ".join(escape(p) for p in parts)
    return f"[bold]{escape(name)}[/bold]（{escape(uscc)}）{' · ' + extra if extra else ''} · {verdict}"


def total_line(assessment, lang: str = "zh") -> str:
    """The one-line total, e.g. ``共 2 个工作簿，3 家机构（符合条件 1 家，不符合条件 2 家）：错误 4，不符合 1，提示 0，信息 0``."""
    s = assessment.summary
    files = len(assessment.files)
    c = assessment.counts()
    removed = f"，终止备案 {c['removed']} 家" if c["removed"] else ""
    removed_en = f", {c['removed']} ended" if c["removed"] else ""
    if lang == "zh":
        return (f"共 {files} 个工作簿，{c['institutions']} 家机构（符合条件 {c['eligible']} 家，"
                f"不符合条件 {c['not_eligible']} 家{removed}）："
                f"错误 {s['error']}，不符合 {s['violation']}，提示 {s['warning']}，信息 {s['info']}")
    return (f"{files} workbooks, {c['institutions']} institutions ({c['eligible']} eligible, "
            f"{c['not_eligible']} not eligible{removed_en}): "
            f"{s['error']} errors, {s['violation']} violations, {s['warning']} warnings, {s['info']} info")
