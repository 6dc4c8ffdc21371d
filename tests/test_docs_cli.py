"""Every command is documented in docs/cli.md: a section per command, and in it every
option and argument the command takes (read from click itself), and no option it does
not take."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from sheetkit.cli import COMMANDS, cli

CLI_MD = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")


def _sections() -> dict[str, str]:
    """``## heading`` → its text up to the next ``## `` heading (### subsections included)."""
    out, name = {}, None
    for line in CLI_MD.splitlines():
        if line.startswith("## "):
            name = line[3:].strip()
            out[name] = ""
        elif name is not None:
            out[name] += line + "\n"
    return out


SECTIONS = _sections()


def _leaves(cmd: click.Command, path: tuple[str, ...]):
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd)
        for name in cmd.list_commands(ctx):
            yield from _leaves(cmd.get_command(ctx, name), (*path, name))
    else:
        yield " ".join(path), cmd


LEAVES = dict(leaf for name in sorted(COMMANDS) for leaf in _leaves(cli.get_command(click.Context(cli), name),
                                                                     (name,)))


def _section(path: str) -> str:
    """The section of ``path`` (``templates check``), else of its group (``calendar``)."""
    for heading in (path, path.split()[0]):
        if heading in SECTIONS:
            return SECTIONS[heading]
    raise AssertionError(f"docs/cli.md lacks ## {path}")


def test_every_command_is_walked():
    assert set(COMMANDS) <= {p.split()[0] for p in LEAVES}
    assert "templates check" in LEAVES and "calendar add-days" in LEAVES


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_a_section(name):
    assert any(line.startswith(f"## {name}") for line in CLI_MD.splitlines()), f"docs/cli.md lacks ## {name}"


@pytest.mark.parametrize("path", sorted(LEAVES))
def test_every_option_and_argument_is_documented(path):
    text = _section(path)
    missing = []
    for param in LEAVES[path].params:
        if getattr(param, "hidden", False):
            continue
        if isinstance(param, click.Argument):  # PATHS... is written PATH...
            names = {param.human_readable_name.upper()}
            if param.nargs == -1:
                names.add(param.human_readable_name.upper().removesuffix("S"))
            if not any(n in text for n in names):
                missing.append(param.human_readable_name.upper())
            continue
        names = [*param.opts, *param.secondary_opts]
        if not any(re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", text) for o in names):
            missing.append("/".join(names))
    assert not missing, f"docs/cli.md, ## {path}: options not described: {missing}"


@pytest.mark.parametrize("path", sorted(LEAVES))
def test_the_synopsis_names_no_option_the_command_lacks(path):
    text = _section(path)
    synopsis = "\n".join(re.findall(r"```sh\n(.*?)```", text, flags=re.S))
    lines = [ln for ln in synopsis.splitlines() if f"sheetkit {path}" in ln or ln.startswith(" ")]
    known = {o for p in LEAVES[path].params for o in (*getattr(p, "opts", ()), *getattr(p, "secondary_opts", ()))}
    known |= {"-h", "--help"}
    if " " in path and not any(f"sheetkit {path}" in ln for ln in lines):
        return  # a group's section with one synopsis per subcommand: checked through its own line
    named = set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", "\n".join(lines)))
    assert named <= known, f"docs/cli.md, ## {path}: synopsis names {sorted(named - known)}"
