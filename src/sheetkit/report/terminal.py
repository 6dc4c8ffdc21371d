"""The report for people: grouped by file and institution, coloured by severity on a
terminal, plain text when piped; a one-line total at the end."""

from __future__ import annotations

import sys

from sheetkit.report.model import SEVERITIES, SEVERITY_ZH, Finding, Report

_STYLE = {"error": "bold red", "violation": "red", "warning": "yellow", "info": "cyan"}
_EN = {"error": "error", "violation": "violation", "warning": "warning", "info": "info"}
_WORDS = {
    "zh": {"register": "（整个登记表）", "none": "（未关联机构）", "ok": "符合条件", "not_ok": "不符合条件",
           "row": "第{}行", "clean": "未发现问题。", "findings": "{} 条问题"},
    "en": {"register": "(whole register)", "none": "(no institution)", "ok": "eligible", "not_ok": "not eligible",
           "row": "row {}", "clean": "No problems found.", "findings": "{} findings"},
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


def render(report: Report, lang: str = "zh", file=None) -> None:
    """Print ``report`` to ``file`` (default stdout). Colour only on a terminal."""
    from rich.console import Console
    from rich.markup import escape

    out = file or sys.stdout
    console = Console(file=out, highlight=False, soft_wrap=True, emoji=False,
                      force_terminal=None if file is None else False)
    words = _WORDS.get(lang, _WORDS["zh"])
    label = SEVERITY_ZH if lang == "zh" else _EN
    insts = {i["uscc"]: i for i in report.institutions if i.get("uscc")}
    for path, items in _groups(report.findings):
        counts = _counts_text(items, lang)
        heading = words["findings"].format(len(items)) + (f"（{counts}）" if lang == "zh" else f" ({counts})")
        console.print(f"[bold underline]{escape(path or words['register'])}[/]  [dim]{escape(heading)}[/]")
        by_inst: dict[str, list[Finding]] = {}
        for f in items:
            by_inst.setdefault(f.institution or "", []).append(f)
        for uscc, group in sorted(by_inst.items(), key=lambda kv: (kv[0] == "", min(f.row or 0 for f in kv[1]))):
            console.print("  " + _institution_line(uscc, insts.get(uscc), words, escape))
            for f in group:
                where = location(f, lang)
                text = f.message_en if lang == "en" and f.message_en else f.message
                clause = f" 〔{f.clause}〕" if f.clause else ""
                console.print(f"    [{_STYLE.get(f.severity, '')}]{label.get(f.severity, f.severity)}[/] "
                              f"{escape(where) + ' ' if where else ''}{escape(text)} "
                              f"[dim]{f.rule}{escape(clause)}[/dim]")
        console.print()
    if not report.findings:
        console.print(words["clean"])
    console.print(total_line(report, lang))


def _institution_line(uscc: str, inst: dict | None, words: dict, escape) -> str:
    if not uscc:
        return f"[bold]{words['none']}[/bold]"
    if inst is None:
        return f"[bold]{escape(uscc)}[/bold]"
    name = inst.get("name") or uscc
    parts = [p for p in (inst.get("city"), inst.get("status")) if p]
    ok = "[green]" + words["ok"] + "[/green]" if inst.get("eligible") else "[red]" + words["not_ok"] + "[/red]"
    extra = " · ".join(escape(p) for p in parts)
    return f"[bold]{escape(name)}[/bold]（{escape(uscc)}）{' · ' + extra if extra else ''} · {ok}"


def total_line(report: Report, lang: str = "zh") -> str:
    """The one-line total, e.g. ``共 2 个工作簿，3 家机构（1 家符合条件）：错误 4，不符合 1，提示 0，信息 0``."""
    s = report.summary
    files = len(report.files)
    eligible = sum(1 for i in report.institutions if i.get("eligible"))
    if lang == "zh":
        return (f"共 {files} 个工作簿，{len(report.institutions)} 家机构（{eligible} 家符合条件）："
                f"错误 {s['error']}，不符合 {s['violation']}，提示 {s['warning']}，信息 {s['info']}")
    return (f"{files} workbooks, {len(report.institutions)} institutions ({eligible} eligible): "
            f"{s['error']} errors, {s['violation']} violations, {s['warning']} warnings, {s['info']} info")
