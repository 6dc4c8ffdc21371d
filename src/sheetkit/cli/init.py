"""`sheetkit init` — write a blank register workbook to start from."""

from __future__ import annotations

from pathlib import Path

import click

from sheetkit.cli.options import handle_errors, profile_option


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False), default=".")
@profile_option
@click.option("--force", is_flag=True, help="覆盖已存在的模板文件。")
@handle_errors
def command(directory, profile, force):
    """生成空白登记表模板：在 DIRECTORY（默认当前文件夹）写入“登记表模板.xlsx”。

    Writes every sheet of the register with its header row, drop-down lists (cities from
    the profile), date and text formats, and a note on each header explaining what goes in it."""
    from sheetkit.errors import OutputError
    from sheetkit.profiles import load_profile
    from sheetkit.register.template import FILENAME, write_template

    prof = load_profile(profile)
    target = Path(directory) / FILENAME
    if target.exists() and not force:
        raise OutputError(f"“{target}”已存在；如需覆盖，请加 --force")
    write_template(target, prof)
    click.echo(f"已生成登记表模板：{target}（{prof.title}）")
