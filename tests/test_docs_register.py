"""docs/register.md is generated from the register model and must be up to date."""

from __future__ import annotations

from pathlib import Path

from sheetkit import docs
from sheetkit.register.model import SHEETS

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_committed_register_md_equals_the_generated_text():
    text = docs.register_markdown()
    committed = (DOCS / "register.md").read_text(encoding="utf-8")
    assert committed == text, "docs/register.md is out of date: run `make docs`"


def test_register_md_documents_every_sheet_alias_and_column():
    text = docs.register_markdown()
    for spec in SHEETS:
        assert f"## {spec.kind} — " in text
        for alias in spec.aliases:
            assert f"`{alias}`" in text
        for col in spec.columns:
            if col.name.isdigit() or col.name.startswith("不合格项"):
                continue
            assert f"| {col.name} |" in text, col.name
    assert "所长→负责人" in text and "租用→租赁" in text and "`临夏州`→临夏" in text
    assert "“用工形式”为专职时必填（`staff.contract` 启用时）" in text
    assert "| 1 … 43 |" in text and "| 不合格项1 … 不合格项10 |" in text


def test_check_mode_reports_a_stale_file(tmp_path, capsys):
    (tmp_path / "register.md").write_text("old\n", encoding="utf-8")
    assert docs.main(["--docs", str(tmp_path), "--check"]) == 1
    assert "register.md" in capsys.readouterr().err
    assert (tmp_path / "register.md").read_text(encoding="utf-8") == "old\n"
    assert docs.main(["--docs", str(tmp_path)]) == 0
    assert (tmp_path / "register.md").read_text(encoding="utf-8") == docs.register_markdown()
    assert docs.main(["--docs", str(tmp_path), "--check"]) == 0
