"""`sheetkit templates check` — find what would make an edited letter template render wrong."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sheetkit.cli.options import ExistingPath, handle_errors


@click.group("templates")
def command():
    """文书模板：检查本单位在 Word 中修改过的模板。"""


@command.command("check")
@click.argument("folder", required=False, type=ExistingPath(file_okay=False))
@handle_errors
def check(folder):
    """检查 FOLDER 中的模板（filing.docx、adjust.docx、renewal.docx、revoke.docx、
    feedback.docx、checklist.docx、application.docx；默认检查内置模板）：没有数据提供的变量、被 Word 拆开的标签、
    语法错误（附近的文字）。

    Exit status: 0 all fine; 1 a problem found."""
    from sheetkit.letters import builtin_templates
    from sheetkit.letters.context import KEYS, KINDS
    from sheetkit.letters.render import template_problems

    root = Path(folder) if folder else builtin_templates()
    files = sorted(root.glob("*.docx"))
    files = [f for f in files if not f.name.startswith(("~$", "."))]
    if not files:
        click.echo(f"“{root}”中没有 .docx 模板", err=True)
        sys.exit(1)
    bad = 0
    every_key = frozenset().union(*KEYS.values())
    for f in files:
        kind = f.stem if f.stem in KINDS else None
        problems = template_problems(f, KEYS[kind] if kind else every_key)
        if kind is None:
            problems.insert(0, f"文件名不是 {'、'.join(k + '.docx' for k in KINDS)} 之一，sheetkit letters 不会使用它")
        if problems:
            bad += 1
            click.echo(f"{f}：")
            for p in problems:
                click.echo(f"  - {p}")
        else:
            click.echo(f"{f}：通过")
    sys.exit(1 if bad else 0)
