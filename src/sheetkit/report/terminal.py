"""The report for people: per file, per institution, coloured by severity when a terminal."""

from __future__ import annotations

import sys
from itertools import groupby

from sheetkit.report.model import SEVERITIES, SEVERITY_ZH, Report

_STYLE = {"error": "bold red", "violation": "red", "warning": "yellow", "info": "cyan"}


def render(report: Report, lang: str = "zh", file=None) -> None:
    from rich.console import Console
    from rich.markup import escape

    out = file or sys.stdout
    console = Console(file=out, highlight=False, soft_wrap=True,
                      force_terminal=None if file is None else False)
    names = {i["uscc"]: i.get("name") or i["uscc"] for i in report.institutions}
    label = SEVERITY_ZH if lang == "zh" else {s: s for s in SEVERITIES}
    for path, items in groupby(report.findings, key=lambda f: f.path or ""):
        console.print(f"[bold]{escape(path or '（整个登记表）')}[/bold]")
        for inst, group in groupby(sorted(items, key=lambda f: (f.institution or "", f.sort_key())),
                                   key=lambda f: f.institution):
            if inst:
                console.print(f"  [bold]{escape(names.get(inst, inst))}[/bold] ({inst})")
            for f in group:
                where = "" if not f.sheet else f"{f.sheet}!{f.cell or (f'第{f.row}行' if f.row else '')} "
                text = f.message_en if lang == "en" and f.message_en else f.message
                clause = f" 〔{f.clause}〕" if f.clause else ""
                console.print(f"    [{_STYLE.get(f.severity, '')}]{label.get(f.severity, f.severity)}[/] "
                              f"{escape(where)}{escape(text)} [dim]{f.rule}{escape(clause)}[/dim]")
    s = report.summary
    files = len(report.files)
    eligible = sum(1 for i in report.institutions if i.get("eligible"))
    if lang == "zh":
        console.print(f"共 {files} 个工作簿，{len(report.institutions)} 家机构（{eligible} 家符合条件）："
                      f"错误 {s['error']}，不符合 {s['violation']}，提示 {s['warning']}，信息 {s['info']}")
    else:
        console.print(f"{files} workbooks, {len(report.institutions)} institutions ({eligible} eligible): "
                      f"{s['error']} errors, {s['violation']} violations, {s['warning']} warnings, {s['info']} info")
