"""`sheetkit rules` and docs/rules.md come from the same registry and profiles."""

import json
from pathlib import Path

from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.rules import RULES
from sheetkit.rules.doc import rules_markdown, rules_table, write_rules_md

ROOT = Path(__file__).resolve().parents[2]


def test_every_rule_has_a_check():
    from sheetkit.rules import load_checks

    # the reader reports unreadable files and formula cells without values
    assert set(load_checks()) >= set(RULES) - {"data.unreadable", "data.formula", "data.not-read"}  # the reader


def test_rules_json_lists_every_rule_with_thresholds_and_clause():
    result = CliRunner().invoke(cli, ["rules", "--profile", "gansu-2022", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["profile"] == "gansu-2022" and data == json.loads(json.dumps(
        {"profile": "gansu-2022", "title": data["title"], "rules": rules_table("gansu-2022")}, ensure_ascii=False))
    by_id = {r["id"]: r for r in data["rules"]}
    assert list(by_id) == list(RULES)
    sup = by_id["staff.supervisor"]
    assert (sup["severity"], sup["enabled"], sup["thresholds"], sup["clause"]) == (
        "violation", True, {"min": 1, "full_time_only": False}, "甘人社通〔2022〕110号 二(四)4")
    assert by_id["venue.lease-term"]["enabled"] is False


def test_rules_text_under_a_profile_file(tmp_path):
    prof = tmp_path / "jinan.toml"
    prof.write_text('[rules."venue.cctv"]\nseverity = "warning"\n[rules."inst.experience"]\nmin_years = 4\n',
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["rules", "-p", str(prof)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("jinan — ")
    cctv = next(i for i, line in enumerate(lines) if line.startswith("venue.cctv "))
    assert "warning" in lines[cctv] and "鲁人社函〔2025〕23号 附件1 第2项" in lines[cctv + 1]
    assert any("min_years=4" in line for line in lines)
    bad = CliRunner().invoke(cli, ["rules", "-p", str(tmp_path / "none.toml")])
    assert bad.exit_code == 2 and "找不到配置" in bad.output


def test_committed_rules_md_is_the_generated_one(tmp_path):
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), "docs/rules.md is stale: regenerate with write_rules_md('docs/rules.md')"
    out = write_rules_md(tmp_path / "docs" / "rules.md")
    assert out.read_text(encoding="utf-8") == committed
    assert [p.name for p in out.parent.iterdir()] == ["rules.md"]  # no temp file left behind


def test_rules_md_content():
    text = rules_markdown()
    for rule_id in RULES:
        assert f"`{rule_id}`" in text
    assert "| `staff.director` | off | violation (count=1, min_title=中级) |" in text
    assert "## Decisions where SPEC is silent" in text and "calendar years" in text
