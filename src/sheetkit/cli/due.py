"""`sheetkit due` — filing periods ending soon, or ended without renewal."""

from __future__ import annotations

import json
import re

import click

from sheetkit.cli.options import as_of_option, echo_unread, handle_errors, paths_argument, profile_option


class DaysType(click.ParamType):
    """A number of days: `180`, `180d`, `180天`."""

    name = "DAYS"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        m = re.fullmatch(r"\s*(\d+)\s*(d|天|日)?\s*", str(value), re.IGNORECASE)
        if not m:
            self.fail(f"无法识别的天数“{value}”，请写成 180 或 180d", param, ctx)
        return int(m.group(1))


@click.command("due")
@paths_argument
@profile_option
@as_of_option
@click.option("--within", type=DaysType(), default=None, metavar="DAYS",
              help="列出多少天内到期的机构，如 180 或 180d（默认按配置，180天）。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式。")
@handle_errors
def command(paths, profile, as_of, within, fmt):
    """到期提醒：已备案机构中备案期即将到期、或已期满而没有续期评分（视为自愿撤销）的，按到期日排列。"""
    from sheetkit.due import due, render_text

    result = due(list(paths), profile=profile, as_of=as_of, within=within)
    echo_unread(result.unread)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        for line in render_text(result):
            click.echo(line)
