"""`sheetkit letters` — write the official letters for the institutions that qualify."""

from __future__ import annotations

import json
import sys

from pathlib import Path

import click

from sheetkit.cli.due import DaysType
from sheetkit.cli.options import (
    DATE, ExistingPath, as_of_option, echo_unread, handle_errors, paths_argument, profile_option, progress_callback,
)
from sheetkit.documents import KINDS, not_concerned


@click.command("letters")
@click.argument("kind", type=click.Choice(KINDS))
@paths_argument
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False),
              help="文书输出文件夹（不存在则新建）。")
@profile_option
@as_of_option
@click.option("--only", multiple=True, metavar="CODE|NAME",
              help="只处理该机构（统一社会信用代码或机构名称），可重复。")
@click.option("--city", default=None, help="只处理该市的机构，如 济南。")
@click.option("--date", "issue_date", type=DATE, default=None, metavar="DATE",
              help="发文日期（默认取“设置”表的发文日期，否则今天）。")
@click.option("--issuer", default=None, help="发文单位（默认取“设置”表的发文单位）。")
@click.option("--templates", type=ExistingPath(file_okay=False), default=None,
              help="本单位修改过的模板所在文件夹（filing.docx 等；缺少的用内置模板）。")
@click.option("--combined", is_flag=True, help="另外生成一个合并打印的 .docx（每份文书另起一页）。")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF。")
@click.option("--number", "number", default=None, metavar="TEMPLATE",
              help="发文字号，{n} 处填序号，如 \"临人社函〔2026〕{n}号\"；按 letters.json 的顺序逐份编号。")
@click.option("--number-start", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
              help="第一份文书的发文字号序号。")
@click.option("--within", type=DaysType(), default=None, metavar="DAYS",
              help="application：备案期在 DAYS 天内到期的已备案机构（默认取配置的 due_within_days，同 sheetkit due）。")
@click.option("--force", is_flag=True, help="覆盖内容已变化的同名文书。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：json 输出与 letters.json 相同的清单。")
@handle_errors
def command(kind, paths, out_dir, profile, as_of, only, city, issue_date, issuer, templates, combined, pdf,
            number, number_start, within, force, fmt):
    """生成文书：先检查 PATHS 中的登记表，再为符合条件的机构生成 KIND 文书。

    \b
    KIND: filing 备案回执（附件2）  adjust 范围调整回执（附件3）
          renewal 备案续期回执（附件7）  revoke 撤销备案函（附件8）
          feedback 续期评估组意见反馈表（附件6）
          checklist 遴选评估核查表（附件1；gansu-2022：二、申报条件），每个申请中机构一份
          application 备案续期申请表（附件5），备案期 --within 天内到期的已备案机构
    不符合条件的机构连同原因（规则编号）列在标准错误输出和 DIR/letters.json 中。"""
    from sheetkit.letters import render_letters
    from sheetkit.documents import KIND_ZH

    callback, _ = progress_callback(fmt == "text")
    result = render_letters(list(paths), kind, out_dir, profile=profile, as_of=as_of, only=only, city=city,
                            date=issue_date, issuer=issuer, templates=templates, combined=combined, pdf=pdf,
                            force=force, progress=callback, number=number, number_start=number_start,
                            within=within)
    echo_unread(result.unread)
    for w in result.warnings:
        click.echo(f"提示：{w}", err=True)
    # not concerned (status, no change, no scores): counted here, listed in letters.json
    other_status = [s for s in result.skipped if not_concerned(s)]
    for s in result.skipped:
        if s in other_status:
            continue  # their status calls for another letter: counted below, listed in letters.json
        label = s["name"] or s["institution"] or "（未知机构）"
        click.echo(f"未出具：{label}（{s['institution'] or '-'}）：{s['message']} [{', '.join(s['reasons'])}]",
                   err=True)
    if result.needs_code:
        names = "、".join(g["name"] or g["institution"] for g in result.needs_code)
        click.echo(f"待补机构代码：{len(result.needs_code)} 份文书中机构代码留空（{names}）；"
                   "在登记表“机构”表填写机构代码后加 --force 重新生成", err=True)
    if other_status:
        click.echo(f"另有 {len(other_status)} 家机构不涉及{KIND_ZH[kind]}（备案状态不适用、没有项目变更或没有续期评分），"
                   f"清单见 {Path(out_dir) / 'letters.json'}", err=True)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        written, same = len(result.written), len(result.unchanged)
        click.echo(f"{KIND_ZH[kind]}：生成 {written} 份" + (f"，{same} 份内容未变保持原样" if same else "")
                   + f"，未出具 {len(result.skipped)} 家；输出在 {out_dir}")
        if result.combined:
            click.echo(f"合并打印：{result.combined}")
        if result.pdfs:
            click.echo(f"PDF：{len(result.pdfs)} 个")
    sys.exit(0)
