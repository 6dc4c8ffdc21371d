"""The `sheetkit` command group. Each command lives in its own module and is imported
only when run, so `sheetkit --help` starts fast. Commands hold no business logic."""

from __future__ import annotations

import importlib
import sys

import click

# command name → module under sheetkit.cli (each defines `command`)
COMMANDS = {
    "validate": "validate",
    "init": "init",
    "rules": "rules",
    "letters": "letters",
    "templates": "templates",
    "directory": "directory",
    "watch": "watch",
    "scoresheet": "scoresheet",
    "due": "due",
    "calendar": "calendar",
    "publicity": "publicity",
    "serve": "serve",
}


class LazyGroup(click.Group):
    """Commands imported when run (or listed): every name in `COMMANDS` has its module."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        return importlib.import_module(f"sheetkit.cli.{COMMANDS[name]}").command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sheetkit")
@click.option("--debug", is_flag=True, help="出错时显示完整的 Python 调用栈 (show tracebacks).")
@click.pass_context
def cli(ctx, debug):
    """sheetkit — 专项职业能力考核机构登记表检查与文书生成工具。

    Checks 专项职业能力考核机构 registers kept in Excel and produces the official letters,
    receipts and the annual directory."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


# click's usage errors, in Chinese; what follows the colon (a param type's own message) is kept
_USAGE_ZH = (
    (r"No such option '(.+?)'\.(?: \(?Did you mean (?:one of: )?(.+?)\?\)?)?", lambda m: f"没有选项 {m[1]}"
     + (f"（是不是 {m[2].replace(chr(39), '').replace(', ', ' 或 ')}？）" if m[2] else "")),
    (r"No such option: (\S+)", lambda m: f"没有选项 {m[1]}"),
    (r"No such command '(.+?)'\.", lambda m: f"没有命令“{m[1]}”"),
    (r"Missing argument '(.+?)'\.", lambda m: f"缺少参数 {m[1]}"),
    (r"Missing option (.+?)\.", lambda m: f"缺少必需的选项 {m[1].replace(chr(39), '')}"),
    (r"Option '(.+?)' requires an argument\.", lambda m: f"选项 {m[1]} 后面要给出值"),
    (r"Got unexpected extra arguments? \((.+)\)", lambda m: f"多余的参数：{m[1]}"),
    (r"Invalid value for '(.+?)': '(.+?)' is not one of (.+?)\.", lambda m: f"“{m[2]}”无效：应为 "
     + "、".join(v.strip().strip("'") for v in m[3].split(",")) + " 之一"),
    (r"Invalid value for '(.+?)': (.+)", lambda m: f"选项 {m[1]} 的值无效：{m[2]}"),
)


def usage_error(exc: click.UsageError) -> str:
    """A usage error in Chinese, with where to read the usage (click's English when the
    message is not one of the known forms)."""
    import re

    message = exc.format_message()
    for pattern, say in _USAGE_ZH:
        m = re.fullmatch(pattern, message, re.S)
        if m:
            message = say(m)
            break
    path = exc.ctx.command_path if exc.ctx is not None else "sheetkit"
    return f"用法错误：{message}\n运行“{path} --help”查看用法。"


def main(argv=None):
    """Console entry point: SheetkitError → one clear line and exit 2 (traceback with --debug);
    Ctrl-C → exit 130 (click alone would exit 1, the status of "problems found")."""
    from sheetkit.errors import SheetkitError

    args = sys.argv[1:] if argv is None else argv
    try:
        rv = cli.main(args=args, prog_name="sheetkit", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("\n已中断（Ctrl-C）", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        click.echo(usage_error(exc), err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except SheetkitError as exc:  # pragma: no cover - commands turn these into exit 2 themselves
        click.echo(f"错误：{exc}", err=True)
        sys.exit(2)
    sys.exit(rv if isinstance(rv, int) else 0)
