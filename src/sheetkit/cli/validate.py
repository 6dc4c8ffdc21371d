"""`sheetkit validate` — check a register and report what is wrong where."""

from __future__ import annotations

import sys

import click

from sheetkit.cli.options import as_of_option, handle_errors, paths_argument, profile_option, progress_callback


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
@handle_errors
def command(paths, profile, as_of, due_within, fmt, lang):
    """检查登记表：读取 PATHS 中的全部工作簿（文件或文件夹），按政策规则逐项检查。

    Exit status: 0 no error or violation; 1 at least one; 2 usage error."""
    from sheetkit.engine import validate

    callback, _ = progress_callback(fmt == "text")
    report = validate(list(paths), profile=profile, as_of=as_of, due_within=due_within, progress=callback)
    if fmt == "json":
        click.echo(report.to_json())
    else:
        from sheetkit.report.terminal import render

        render(report, lang=lang)
    sys.exit(report.exit_code)
