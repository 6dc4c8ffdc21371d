"""`sheetkit watch` — validate a drop folder whenever a workbook arrives or changes."""

from __future__ import annotations

import signal
import sys
import threading

import click

from sheetkit.cli.cache_option import cache_options
from sheetkit.cli.options import ExistingPath, as_of_option, handle_errors, profile_option


@click.command("watch")
@click.argument("inbox", type=ExistingPath(file_okay=False))
@click.option("--reports", "reports", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="报告文件夹（默认与 INBOX 同级的“INBOX-检查结果”）：history/<时间>/ 下为每次的 report.json、"
                   "问题清单.xlsx 和标注副本，latest.json 指向最近一次。")
@profile_option
@as_of_option
@click.option("--once", is_flag=True, help="只检查一次当前内容后退出（供计划任务使用；退出码同 validate）。")
@click.option("--settle", type=click.FloatRange(min=0), default=2.0, show_default=True, metavar="SECONDS",
              help="文件大小和修改时间保持不变多少秒后才算写完（网络共享上复制的文件是分段到达的）。")
@click.option("--poll", is_flag=True, help="用定时扫描代替系统文件通知（网络共享文件夹收不到通知时使用）。")
@cache_options
@handle_errors
def command(inbox, reports, profile, as_of, once, settle, poll, cache):
    """监视收件文件夹：有工作簿放入或改动、且不再变化时，重新检查整个文件夹，
    把 JSON 报告、问题清单和标注副本写入报告文件夹。按 Ctrl-C 停止。"""
    from sheetkit.profiles import load_profile
    from sheetkit.watch import Watcher

    load_profile(profile)  # a bad profile is a usage error now, not a failure in every run
    from sheetkit.cli.cache_option import inside_inputs

    watcher = Watcher(inbox, reports, profile=profile, as_of=as_of, settle=settle,
                      log=lambda line: click.echo(line, err=True), cache=inside_inputs(cache, [inbox]))
    if once:
        result = watcher.run()
        sys.exit(2 if result.error else result.exit_code)
    received: list[int] = []
    if threading.current_thread() is threading.main_thread():
        def stop(signum, frame):
            if signum == signal.SIGINT and received:  # a second Ctrl-C: do not wait for the run
                raise KeyboardInterrupt
            received.append(signum)
            watcher.stop()
            if signum == signal.SIGINT:
                click.echo("正在停止（本次检查完成后退出；再按一次 Ctrl-C 立即退出）", err=True)

        previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    else:  # pragma: no cover - e.g. embedded in another program
        previous = {}
    try:
        watcher.watch(poll=poll)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if signal.SIGINT in received:
        sys.exit(130)  # stopped by Ctrl-C: the shell's convention, not 1 ("problems found")
