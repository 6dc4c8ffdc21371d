"""`sheetkit serve` — the office's local web page over a drop folder (docs/web.md)."""

from __future__ import annotations

import click

from sheetkit.cli.cache_option import cache_options
from sheetkit.cli.options import ExistingPath, as_of_option, handle_errors, profile_option


@click.command("serve")
@click.argument("folder", type=ExistingPath(file_okay=False))
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="端口。")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址。默认只有本机能打开；其他地址（如 0.0.0.0）必须同时给 --token。")
@click.option("--token", default=None, envvar="SHEETKIT_TOKEN", metavar="TEXT",
              help="访问口令（也可用环境变量 SHEETKIT_TOKEN）：打开页面的地址须带 ?token=口令。")
@click.option("--reports", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="报告文件夹（默认与 FOLDER 同级的“FOLDER-检查结果”，与 watch 相同）。")
@profile_option
@as_of_option
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器。")
@cache_options
@handle_errors
def command(folder, port, host, token, reports, profile, as_of, no_browser, cache):
    """在本机启动检查页面：把工作簿拖进页面即可检查，查看各市、各机构的问题和变化，
    下载问题清单、标注副本，生成文书和目录。FOLDER 是收件文件夹（与 watch 相同）。按 Ctrl-C 停止。"""
    from sheetkit.cli.cache_option import inside_inputs
    from sheetkit.web.serve import serve

    serve(folder, host=host, port=port, token=token, reports=reports, profile=profile, as_of=as_of,
          browser=not no_browser, echo=lambda line: click.echo(line, err=True),
          cache=inside_inputs(cache, [folder]))
