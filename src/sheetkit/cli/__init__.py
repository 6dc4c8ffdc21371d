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
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except SheetkitError as exc:  # pragma: no cover - commands turn these into exit 2 themselves
        click.echo(f"错误：{exc}", err=True)
        sys.exit(2)
    sys.exit(rv if isinstance(rv, int) else 0)
