"""`--cache/--no-cache` and `--cache-dir` for commands that read a register: one decorator,
no parameter for the command to pass on (the cache is made active for the command's run,
and `read_register` picks it up)."""

from __future__ import annotations

import click

_DIR = "sheetkit.cache_dir"


def _dir(ctx, param, value):
    ctx.meta[_DIR] = value
    return value


def _enable(ctx, param, value):
    if not value or ctx.resilient_parsing:
        return value
    from sheetkit.cache import ReadCache, activate, deactivate

    token = activate(ReadCache(ctx.meta.get(_DIR)))
    ctx.call_on_close(lambda: deactivate(token))
    return value


def cache_options(fn):
    fn = click.option("--cache/--no-cache", default=True, show_default=True, expose_value=False, callback=_enable,
                      help="读过且未改动的工作簿直接取缓存结果，不再重新解析（按文件内容判断）。")(fn)
    fn = click.option("--cache-dir", type=click.Path(file_okay=False), default=None, expose_value=False,
                      is_eager=True, callback=_dir, metavar="DIR",
                      help="缓存文件夹（默认用户缓存目录，如 ~/.cache/sheetkit；也可设环境变量 SHEETKIT_CACHE_DIR）。")(fn)
    return fn
