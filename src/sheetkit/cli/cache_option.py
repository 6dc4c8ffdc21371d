"""`--cache/--no-cache` and `--cache-dir` for commands that read a register: one decorator
that gives the command a ``cache`` parameter (a `sheetkit.cache.ReadCache`, or None) to
pass on explicitly to `validate(..., cache=cache)`."""

from __future__ import annotations

import click

_DIR = "sheetkit.cache_dir"


def _dir(ctx, param, value):
    ctx.meta[_DIR] = value
    return value


def _make(ctx, param, value):
    if not value or ctx.resilient_parsing:
        return None
    from sheetkit.cache import ReadCache

    cache = ReadCache(ctx.meta.get(_DIR))
    if cache.warning:
        click.echo(f"提示：{cache.warning}", err=True)
    return cache


def inside_inputs(cache, paths):
    """``cache``, or None (with a warning) when its folder lies inside a folder being read:
    nothing is written among the inputs."""
    if cache is None:
        return None
    from pathlib import Path

    try:
        here = cache.dir.resolve()
    except OSError:
        return cache
    for p in paths:
        folder = Path(p).resolve()
        if folder.is_dir() and (here == folder or folder in here.parents):
            click.echo(f"提示：缓存文件夹“{cache.dir}”位于输入文件夹“{p}”之内，本次不使用缓存"
                       "（不在输入文件夹中写任何文件）", err=True)
            return None
    return cache


def cache_options(fn):
    fn = click.option("--cache/--no-cache", "cache", default=True, show_default=True, callback=_make,
                      help="读过且未改动的工作簿直接取缓存结果，不再重新解析（按文件内容判断）。")(fn)
    fn = click.option("--cache-dir", type=click.Path(file_okay=False), default=None, expose_value=False,
                      is_eager=True, callback=_dir, metavar="DIR",
                      help="缓存文件夹（默认用户缓存目录，如 ~/.cache/sheetkit；也可设环境变量 SHEETKIT_CACHE_DIR）。"
                           "须只属于当前用户、其他人不可写，否则不使用。")(fn)
    return fn


def follow_links_option(fn):
    return click.option("--follow-links", is_flag=True, default=False,
                        help="也读取指向所给文件夹之外的符号链接（默认不读取，并列出未读取的文件）。")(fn)
