"""The templates in letter_templates/ (for staff to open in Word), the packaged copies and
what build_templates.py builds are the same documents."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from sheetkit.letters.context import KINDS
from sheetkit.letters.render import docx_text

ROOT = Path(__file__).resolve().parents[2]


def _builder():
    spec = importlib.util.spec_from_file_location("build_templates", ROOT / "letter_templates" / "build_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("kind", KINDS)
def test_committed_and_packaged_templates_match_the_builder(tmp_path, kind):
    _builder().build(out_dirs=(tmp_path,))
    built = docx_text((tmp_path / f"{kind}.docx").read_bytes())
    assert docx_text((ROOT / "letter_templates" / f"{kind}.docx").read_bytes()) == built
    assert docx_text((ROOT / "src" / "sheetkit" / "templates" / f"{kind}.docx").read_bytes()) == built
