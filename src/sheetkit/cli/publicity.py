"""`sheetkit publicity` — the 公示 list of the applicants a city intends to file."""

from __future__ import annotations

import json
import sys

import click

from sheetkit.cli.options import (
    DATE, as_of_option, echo_unread, handle_errors, paths_argument, profile_option, progress_callback,
)


@click.command("publicity")
@paths_argument
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False),
              help="输出文件夹（不存在则新建）：每市一个 publicity_<市>.xlsx 和 publicity_<市>.docx。")
@click.option("--start", required=True, type=DATE, metavar="DATE",
              help="公示发布日期（当日不计，同 sheetkit calendar notice）。")
@click.option("--days", type=click.IntRange(min=1), default=None, metavar="N",
              help="公示工作日数（默认5，鲁人社函〔2025〕23号 一(二)3）。")
@profile_option
@as_of_option
@click.option("--city", default=None, help="只列该市的机构，如 济南。")
@click.option("--issuer", default=None, help="发布单位（默认各市人力资源和社会保障局）。")
@click.option("--date", "issue_date", type=DATE, default=None, metavar="DATE", help="落款日期（默认公示发布日期）。")
@click.option("--force", is_flag=True, help="覆盖内容已变化的同名公示名单（可能已张贴）。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式。")
@handle_errors
def command(paths, out_dir, start, days, profile, as_of, city, issuer, issue_date, force, fmt):
    """公示名单：申请中机构里可出具备案回执（附件2）的，按市列出机构和考核项目，
    公示期自 --start 起按工作日（节假日、调休）推算，写成 .xlsx 和可张贴的 .docx。"""
    from sheetkit.publicity import write_publicity

    callback, _ = progress_callback(fmt == "text")
    result = write_publicity(list(paths), out_dir, start, profile=profile, as_of=as_of, days=days, city=city,
                             issuer=issuer, date=issue_date, progress=callback, force=force)
    echo_unread(result.unread)
    for s in result.skipped:
        click.echo(f"不公示：{s['name'] or s['institution']}（{s['institution'] or '-'}）：{s['message']} "
                   f"[{', '.join(s['reasons'])}]", err=True)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        if not result.notices:
            click.echo("没有可公示的机构（申请中且可出具备案回执的）")
        for n in result.notices:
            click.echo(f"{n.city}：{len(n.rows)} 家，公示期{n.period}（{n.length}）")
        for p in result.written:
            click.echo(f"  {p}")
        for p in result.unchanged:
            click.echo(f"  {p}（内容未变，未改写）")
    sys.exit(0)
