"""The coverage map ties rules, citations and the notices together: every clause a rule
cites (in a profile, or in a finding it makes) has an entry naming that rule; every rule
an entry names exists and is on; docs/coverage.md is the generated text."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.coverage import COVERAGE, cited_clauses, clause_map, coverage_markdown, coverage_table
from sheetkit.profiles import BUILTIN, load_profile, own_document
from sheetkit.rules import RULES

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("name", BUILTIN)
def test_every_cited_clause_is_in_the_map_and_names_the_rule(name):
    prof = load_profile(name)
    entries = clause_map(prof)
    for rule_id, settings in prof.rules.items():
        if not settings.enabled or not settings.clause or own_document(settings.clause):
            continue
        for clause in cited_clauses(settings.clause):
            naming = [e for e in entries if e.clause == clause and rule_id in e.rules]
            assert naming, f"{name}: {rule_id} cites 「{clause}」, which has no coverage entry naming it"


@pytest.mark.parametrize("name", BUILTIN)
def test_every_rule_in_the_map_exists_and_is_on(name):
    prof = load_profile(name)
    for entry in clause_map(prof):
        for rule_id in entry.rules:
            assert rule_id in RULES, f"{name} {entry.clause}: unknown rule {rule_id}"
            assert prof.enabled(rule_id), f"{name} {entry.clause}: {rule_id} is off in this profile"


def test_each_enabled_condition_rule_is_somewhere_in_its_notice_map():
    for name in BUILTIN:
        prof = load_profile(name)
        mapped = {r for e in clause_map(prof) for r in e.rules}
        for rule_id in prof.enabled_rules:
            if rule_id.startswith(("data.", "id.")) or not prof.rules[rule_id].clause:
                continue
            assert rule_id in mapped, (name, rule_id)


def test_no_gansu_citation_is_a_shandong_clause():
    gs = load_profile("gansu-2022")
    gansu_clauses = {e.clause for e in COVERAGE[gs.document]}
    for rule_id in RULES:
        clause = gs.clause(rule_id)
        if not gs.enabled(rule_id):
            assert clause is None or own_document(gs.rules[rule_id].clause or ""), rule_id
            continue
        if clause and not own_document(gs.rules[rule_id].clause):
            assert clause.startswith("甘人社通〔2022〕110号 "), rule_id
            assert set(cited_clauses(gs.rules[rule_id].clause)) <= gansu_clauses, rule_id
    assert gs.clause("inst.code") == "甘人社通〔2022〕110号 五(四)"
    assert gs.clause("filing.due") == "甘人社通〔2022〕110号 五(五)"
    assert gs.clause("project.certified") is None
    assert gs.clause("staff.contract") is None  # off: no 「附件1 第4项」 inherited from Shandong


def test_the_materials_findings_cite_clauses_in_the_map():
    gs = load_profile("gansu-2022")
    clauses = {e.clause for e in clause_map(gs) if "inst.materials" in e.rules}
    assert {f"三({n})" for n in "一二三四五六七八"} <= clauses


def test_generated_doc_is_fresh():
    assert (DOCS / "coverage.md").read_text(encoding="utf-8") == coverage_markdown(), \
        "docs/coverage.md is stale: run `make docs`"


def test_cli_prints_every_entry_of_both_profiles():
    runner = CliRunner()
    for name, document in (("gansu-2022", "甘人社通〔2022〕110号"), (None, "鲁人社函〔2025〕23号")):
        args = ["rules", "--coverage"] + (["--profile", name] if name else [])
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        for entry in COVERAGE[document]:
            assert f"{document} {entry.clause}  {entry.text}" in result.output
        data = json.loads(runner.invoke(cli, [*args, "--format", "json"]).output)
        assert len(data["clauses"]) == len(COVERAGE[document])
    out = runner.invoke(cli, ["rules", "--coverage", "--profile", "gansu-2022"]).output
    assert "附件1 第4项" not in out and "鲁人社" not in out


def test_a_user_profile_shows_what_it_switched_off(tmp_path):
    path = tmp_path / "city.toml"
    path.write_text('extends = "shandong-2025"\n[rules."venue.cctv"]\nenabled = false\n', encoding="utf-8")
    rows = coverage_table(str(path))
    cctv = next(r for r in rows if "视频探头" in r["text"])
    assert cctv["rules"] == [] and cctv["rules_off"] == ["venue.cctv"]
    assert "本配置未启用 venue.cctv" in cctv["how"] and cctv["coverage"] == ["现场核验", "文书"]


def test_off_rules_show_no_clause_in_the_rules_list():
    runner = CliRunner()
    data = json.loads(runner.invoke(cli, ["rules", "--profile", "gansu-2022", "--format", "json"]).output)
    for row in data["rules"]:
        if not row["enabled"]:
            assert row["clause"] is None, row["id"]
        elif row["clause"]:
            assert "鲁人社" not in row["clause"] and "附件1" not in row["clause"], row["id"]
