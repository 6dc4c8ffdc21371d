"""`sheetkit rules` and docs/rules.md come from the rules' declarations and the profiles;
every profile key names a declared rule and parameter."""

import json
from pathlib import Path

from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.rules import RULES
from sheetkit.rules.doc import rules_markdown, rules_table, write_rules_md

ROOT = Path(__file__).resolve().parents[2]


READER_RULES = {"data.unreadable", "data.formula", "data.not-read"}  # made while reading, not by a check


def test_every_rule_is_declared_with_a_check_in_its_family_module():
    import inspect

    assert {r for r, rule in RULES.items() if rule.check is None} == READER_RULES
    for rule_id, rule in RULES.items():
        modules = {"id": ("ids",), "inst": ("institution",), "filing": ("filing", "schedule")}.get(
            rule.family, (rule.family,))
        if rule.check is not None:
            module = inspect.getmodule(rule.check).__name__
            assert module in [f"sheetkit.rules.{m}" for m in modules], (rule_id, module)
            assert inspect.getdoc(rule.check) or rule.family in ("data", "id"), f"{rule_id}: no docstring"
    registry = (ROOT / "src" / "sheetkit" / "rules" / "registry.py").read_text(encoding="utf-8")
    assert not [r for r in RULES if f'"{r}"' in registry], "registry.py lists rules: declare them in their family"


def test_every_declared_rule_is_in_docs_rules_md():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule_id, rule in RULES.items():
        assert f"- `{rule_id}` — {rule.title} ({rule.title_en})." in committed, rule_id
        assert f"| `{rule_id}` |" in committed, rule_id


def test_every_profile_key_names_a_declared_rule_and_parameter():
    import tomllib

    from sheetkit.profiles import RULE_KEYS
    from sheetkit.rules.registry import param_type

    for path in sorted((ROOT / "src" / "sheetkit" / "profiles").glob("*.toml")):
        rules = tomllib.loads(path.read_text(encoding="utf-8")).get("rules", {})
        assert rules, path.name
        for rule_id, settings in rules.items():
            assert rule_id in RULES, f"{path.name}: rules.{rule_id} is not a declared rule"
            for key, value in settings.items():
                if key in RULE_KEYS:
                    continue
                assert key in RULES[rule_id].params, f"{path.name}: rules.{rule_id}.{key} is not declared"
                assert param_type(value) == param_type(RULES[rule_id].params[key]), (path.name, rule_id, key)


def test_a_rule_the_profile_does_not_name_keeps_its_declaration(tmp_path):
    from sheetkit.profiles import load_profile

    prof = tmp_path / "bare.toml"
    prof.write_text('[rules."inst.experience"]\nmin_years = 4\n', encoding="utf-8")
    loaded = load_profile(prof)
    assert loaded.param("inst.experience", "min_years") == 4
    for rule_id, rule in RULES.items():
        settings = loaded.rules[rule_id]
        assert settings.severity == rule.severity, rule_id
        assert settings.enabled == rule.enabled or rule_id in _DIFFERS_IN_SHANDONG, rule_id
        if rule_id != "inst.experience":
            assert settings.params == rule.params, rule_id


_DIFFERS_IN_SHANDONG: set = set()  # shandong-2025 switches no declared default


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
