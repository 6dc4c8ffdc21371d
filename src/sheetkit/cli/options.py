"""Options shared by several commands, defined once."""

from __future__ import annotations

import datetime as dt
import functools
import sys

import click


def parse_date(value: str | None) -> dt.date | None:
    """A command-line date in any form the register accepts (2025-03-01, 2025年3月1日…)."""
    if value is None or isinstance(value, dt.date):
        return value
    from sheetkit.register.normalise import date_of

    day = date_of(value)
    if day is None:
        raise click.BadParameter(f"无法识别的日期“{value}”，请写成 2025-03-01 的形式")
    return day


class DateType(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        try:
            return parse_date(value)
        except click.BadParameter as exc:
            self.fail(exc.message, param, ctx)


DATE = DateType()


def profile_option(fn):
    return click.option("--profile", "-p", default=None, metavar="NAME|FILE.toml",
                        help="政策配置：shandong-2025（默认）、gansu-2022，或扩展它们的 .toml 文件。")(fn)


def as_of_option(fn):
    return click.option("--as-of", type=DATE, default=None, metavar="DATE",
                        help="按哪一天判断（默认今天），如 2026-11-22。")(fn)


class ExistingPath(click.Path):
    """`click.Path(exists=True)` whose refusals are in Chinese: 「找不到“2026登记表”：没有这个
    文件或文件夹」, 「“r.xlsx”是文件，这里应给出文件夹」."""

    def __init__(self, **kw):
        super().__init__(exists=True, **kw)

    def convert(self, value, param, ctx):
        import os

        shown = os.fsdecode(value)
        if not os.path.exists(value):
            self.fail(f"找不到“{shown}”：没有这个文件或文件夹（请检查路径是否写错）", param, ctx)
        if not self.file_okay and os.path.isfile(value):
            self.fail(f"“{shown}”是文件，这里应给出文件夹", param, ctx)
        if not self.dir_okay and os.path.isdir(value):
            self.fail(f"“{shown}”是文件夹，这里应给出文件", param, ctx)
        return super().convert(value, param, ctx)


def paths_argument(fn):
    return click.argument("paths", nargs=-1, required=True, type=ExistingPath())(fn)


def handle_errors(fn):
    """Turn SheetkitError into a one-line Chinese message (exit 2); --debug re-raises."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from sheetkit.errors import SheetkitError

        try:
            return fn(*args, **kwargs)
        except SheetkitError as exc:
            ctx = click.get_current_context(silent=True)
            if ctx is not None and (ctx.find_root().obj or {}).get("debug"):
                raise
            click.echo(f"错误：{exc}", err=True)
            sys.exit(2)
    return wrapper


def progress_callback(enabled: bool, min_files: int = 2):
    """A rich progress bar on stderr when it is a terminal and at least ``min_files``
    workbooks are read. Returns (callback for ``validate(progress=…)``, the Progress or
    None); call ``progress.stop()`` in a ``finally`` so an error never leaves it drawn."""
    if not enabled or not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("读取工作簿"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                        TextColumn("{task.description}"), TimeElapsedColumn(), transient=True,
                        console=Console(stderr=True))
    task = {"id": None}

    def callback(done, total, path):
        if total < min_files:
            return
        if task["id"] is None:
            progress.start()
            task["id"] = progress.add_task("", total=total)
        progress.update(task["id"], completed=done, description=str(path)[-40:])
        if done >= total:
            progress.stop()

    return callback, progress


def echo_unread(unread) -> None:
    """Name on stderr every file that could not be used, with the reason."""
    for f in unread:
        click.echo(f"无法使用：{f.path}：{f.message}", err=True)
