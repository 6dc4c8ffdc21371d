"""Every command is documented in docs/cli.md."""

from pathlib import Path

import pytest

from sheetkit.cli import COMMANDS

CLI_MD = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_a_section(name):
    assert any(line.startswith(f"## {name}") for line in CLI_MD.splitlines()), f"docs/cli.md lacks ## {name}"
