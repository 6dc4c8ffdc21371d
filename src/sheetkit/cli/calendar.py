"""`sheetkit calendar` — working-day arithmetic on the official holiday calendar."""

from __future__ import annotations

import json

import click

from sheetkit.cli.options import DATE, handle_errors

_FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                       help="输出格式。")


@click.group("calendar")
def command():
    """工作日推算（按国务院公布的节假日和调休安排，chinesecalendar）。"""


def _show(count, fmt, title=None):
    if fmt == "json":
        data = count.to_dict()
        if title:
            data["title"] = title
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if title:
        click.echo(title)
    for line in count.lines():
        click.echo(line)


@command.command("add-days", context_settings={"ignore_unknown_options": True})
@click.argument("date", type=DATE)
@click.argument("n", type=int)
@_FORMAT
@handle_errors
def add_days(date, n, fmt):
    """DATE 之后第 N 个工作日（DATE 当日不计；N 为负数时向前数，如 -10，不必写 --），并逐日列出推算过程。"""
    from sheetkit.workdays import count_workdays

    _show(count_workdays(date, n), fmt)


@command.command("notice")
@click.argument("start", type=DATE)
@click.option("--days", type=click.IntRange(min=1), default=None, metavar="N",
              help="公示工作日数（默认5，鲁人社函〔2025〕23号 一(二)3）。")
@_FORMAT
@handle_errors
def notice(start, days, fmt):
    """公示期：START 发布（当日不计，与异议期同一算法），不少于 5 个工作日，最早何日结束。"""
    from sheetkit.workdays import NOTICE_WORKDAYS, count_workdays

    days = days or NOTICE_WORKDAYS
    _show(count_workdays(start, days), fmt, f"公示期（不少于{days}个工作日）")


@command.command("objection")
@click.argument("received", type=DATE)
@click.option("--days", type=click.IntRange(min=1), default=None, metavar="N",
              help="异议期工作日数（默认15，鲁人社函〔2025〕23号 三(二)2）。")
@_FORMAT
@handle_errors
def objection(received, days, fmt):
    """陈述申辩期限：RECEIVED 收到书面核查意见（当日不计）后第 15 个工作日。"""
    from sheetkit.workdays import OBJECTION_WORKDAYS, count_workdays

    days = days or OBJECTION_WORKDAYS
    _show(count_workdays(received, days), fmt, f"陈述申辩期限（收到后{days}个工作日内）")
