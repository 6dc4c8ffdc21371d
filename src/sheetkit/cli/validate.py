"""`sheetkit validate` — check a register and report what is wrong where."""

from __future__ import annotations

import sys

import click

from sheetkit.cli.cache_option import cache_options, follow_links_option, inside_inputs
from sheetkit.cli.options import (
    ExistingPath, as_of_option, handle_errors, paths_argument, profile_option, progress_callback,
)


def _xlsx_path(ctx, param, value):
    if value is not None and not value.lower().endswith(".xlsx"):
        raise click.BadParameter(f"问题清单工作簿须以 .xlsx 结尾：{value}")
    return value


@click.command("validate")
@paths_argument
@profile_option
@as_of_option
@click.option("--due-within", type=click.IntRange(min=0), default=None, metavar="DAYS",
              help="备案期在多少天内到期时提示（默认按配置，180天）。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text 供人阅读，json 为稳定的机器接口。")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="文字输出的语言。")
@click.option("--annotate", "annotate_dir", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="在 DIR 中为每个工作簿生成标注副本“<文件名>.标注.xlsx”：有问题的单元格标色并加批注，"
                   "首页为带链接的问题清单。原文件不会被改动。")
@click.option("--report", "report_file", type=click.Path(dir_okay=False), default=None, metavar="FILE.xlsx",
              callback=_xlsx_path,
              help="把本次检查的汇总（按市、机构、规则）和问题清单写入一个 Excel 工作簿。")
@click.option("--since", "since", type=ExistingPath(dir_okay=False), default=None,
              metavar="PREVIOUS.json",
              help="与上次的 JSON 报告（validate --format json 或 watch 的 report.json）比较：新问题、已修复、"
                   "新增/移除的机构和状况变化写入 JSON 的 changes 一节和问题清单的“变更”工作表。")
@click.option("--show-personal-data", "personal", is_flag=True,
              help="在屏幕和 JSON 中显示完整身份证号（默认打码，如 3713**********1234）。")
@cache_options  # --cache/--no-cache, --cache-dir (sheetkit.cache)
@follow_links_option
@handle_errors
def command(paths, profile, as_of, due_within, fmt, lang, annotate_dir, report_file, since,
            personal, cache, follow_links):
    """检查登记表：读取 PATHS 中的全部工作簿（文件或文件夹），按政策规则逐项检查。

    Exit status: 0 no error or violation; 1 at least one; 2 usage error."""
    from sheetkit.engine import validate

    previous = None
    if since is not None:
        from sheetkit.changes import load_report

        previous = load_report(since)  # a bad file is a usage error before the run
    callback, progress = progress_callback(True)
    try:
        report = validate(list(paths), profile=profile, as_of=as_of, due_within=due_within, progress=callback,
                          cache=inside_inputs(cache, paths), follow_links=follow_links)
    finally:
        if progress is not None:
            progress.stop()
    if report_file is not None:  # never onto an input: refused before anything is shown or written
        from sheetkit.outputs import refuse_inputs

        refuse_inputs([report_file], report.register.workbooks)
    changes = None
    if previous is not None:
        from sheetkit.changes import compare

        changes = compare(previous, report.to_dict(), previous_info={"path": since, "as_of": previous.get("as_of")})
    if fmt == "json":
        import json

        data = report.to_dict(personal=personal)
        if changes is not None:
            data["changes"] = changes.to_dict()
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        from sheetkit.report.terminal import render

        render(report, lang=lang, personal=personal)
        if changes is not None:
            click.echo(changes.describe())
    if annotate_dir is not None:
        from sheetkit.report.annotate import annotate

        for copy in annotate(report, annotate_dir):
            if copy.output is None:
                click.echo(f"未生成标注副本：{copy.source}（{copy.note}）", err=True)
            else:
                note = f"；{copy.note}" if copy.note else ""
                click.echo(f"标注副本：{copy.output}（{copy.findings} 条问题{note}）", err=True)
    if report_file is not None:
        from sheetkit.report.workbook import write_report_workbook

        click.echo(f"问题清单：{write_report_workbook(report, report_file, changes)}", err=True)
    sys.exit(report.exit_code)
