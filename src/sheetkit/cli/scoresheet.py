"""`sheetkit scoresheet` — 附件4 续期评估明细表 workbooks for the institutions due for renewal."""

from __future__ import annotations

import click

from sheetkit.cli.due import DaysType
from sheetkit.cli.options import as_of_option, echo_unread, handle_errors, paths_argument, profile_option


@click.command("scoresheet")
@paths_argument
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False),
              help="输出文件夹。")
@profile_option
@as_of_option
@click.option("--within", type=DaysType(), default=None, metavar="DAYS",
              help="为多少天内到期的已备案机构生成，如 180 或 180d（默认按配置，180天）。")
@click.option("--copies", type=click.IntRange(1, 5), default=1, show_default=True,
              help="每个机构生成几份（每位评估专家一份，文件名加“-专家N”）。")
@click.option("--force", is_flag=True, help="覆盖已存在的同名文件（其中可能已有评分）。")
@handle_errors
def command(paths, out_dir, profile, as_of, within, copies, force):
    """续期评估明细表：为备案期即将到期的已备案机构各生成一份附件4评分表（.xlsx），
    评估专家填写后放回登记表文件夹，validate 即按“续期评分”读取。"""
    from sheetkit.scoresheet import scoresheets

    written = scoresheets(list(paths), out_dir, profile=profile, as_of=as_of, within=within,
                          copies=copies, overwrite=force)
    echo_unread(written.unread)
    made = [w for w in written if w.path is not None]
    for w in made:
        click.echo(f"已生成：{w.path}")
    for w in written:
        if w.skipped:
            click.echo(f"未生成：{w.skipped}", err=True)
    if not written:
        click.echo("没有需要续期评估的已备案机构（备案期均不在所选天数内到期）。")
    else:
        click.echo(f"共 {len(made)} 份评分表，写入 {out_dir}")
