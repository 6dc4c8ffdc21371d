"""`sheetkit directory` — the annual 考核机构目录 for publication."""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from sheetkit.cli.options import DATE, echo_unread, handle_errors, paths_argument, profile_option, progress_callback


@click.command("directory")
@paths_argument
@click.option("--year", type=click.IntRange(2000, 2100), default=None, metavar="YEAR",
              help="目录年度，如 2026（默认今年）。列出该年内任一天备案有效的机构。")
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True, metavar="FILE.xlsx",
              help="输出的目录工作簿，如 out/目录.xlsx（先写临时文件再改名）。")
@profile_option
@click.option("--as-of", type=DATE, default=None, metavar="DATE",
              help="备案状态按哪一天判断（默认 --year 年的12月31日），如 2026-06-30。")
@click.option("--issuer", default=None, metavar="TEXT",
              help="发布机关，印在目录末尾（默认：本省人力资源和社会保障厅）。")
@click.option("--date", "published", type=DATE, default=None, metavar="DATE",
              help="发布日期，印在目录末尾（默认今天）。")
@click.option("--csv", "with_csv", is_flag=True,
              help="另存主表为 CSV（UTF-8 带 BOM，与 .xlsx 同名同目录）。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="屏幕输出格式：text 供人阅读，json 为机器接口（含未列入机构及原因）。")
@handle_errors
def command(paths, year, output, profile, as_of, issuer, published, with_csv, fmt):
    """生成年度考核机构目录：读取 PATHS 中的登记表，列出 YEAR 年内备案有效的机构。

    按市（配置中的顺序）再按机构名称排列；备案状态按年末（或 --as-of）判断为 有效 或
    终止备案。数据有错误（error）的机构不列入，并在标准错误输出中逐一说明原因。
    目录不含任何个人信息（身份证号、姓名）。

    Exit status: 0 written (exclusions are listed, not failures); 2 usage error."""
    from sheetkit.directory import write_directory

    year = year or (as_of or dt.date.today()).year
    callback, progress = progress_callback(fmt == "text")
    try:
        result = write_directory(list(paths), output, year, profile=profile, as_of=as_of, csv=with_csv,
                                 progress=callback, issuer=issuer, published=published)
    finally:
        if progress is not None:
            progress.stop()
    d = result.directory
    echo_unread(result.unread)
    for x in d.excluded:
        click.echo(f"未列入：{x.line()}", err=True)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        s = d.to_dict()["summary"]
        click.echo(f"已生成 {result.xlsx}：{d.title}，共 {s['listed']} 家机构"
                   f"（有效 {s['valid']}，终止备案 {s['removed']}）"
                   + (f"，未列入 {s['excluded']} 家（数据有错误，见上）" if s["excluded"] else ""))
        if result.csv:
            click.echo(f"已生成 {result.csv}")
    sys.exit(0)
