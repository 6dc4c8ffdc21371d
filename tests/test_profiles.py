"""Profiles: the built-ins, and user files that extend them (thresholds, severities,
switches), with a clear ProfileError naming the key for every bad file."""

import pytest
from builders import AS_OF, clean_register, write_register

from sheetkit.engine import validate
from sheetkit.errors import ProfileError
from sheetkit.profiles import BUILTIN, load_profile
from sheetkit.rules import RULES


def run(tmp_path, sheets, profile=None):
    return validate([write_register(tmp_path / "register.xlsx", sheets)], profile=profile, as_of=AS_OF)


def _write(tmp_path, text, name="my-city.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_builtins_list_every_rule_with_a_clause():
    for name in BUILTIN:
        prof = load_profile(name)
        assert set(prof.rules) == set(RULES), name
        for rule_id, settings in prof.rules.items():
            # project.certified under gansu-2022 is a consistency check of the counts: the notice has no clause
            if settings.enabled and not rule_id.startswith("data.") and (name, rule_id) != ("gansu-2022", "project.certified"):
                assert prof.clause(rule_id), (name, rule_id)
    sd, gs = load_profile("shandong-2025"), load_profile("gansu-2022")
    assert sd.clause("staff.supervisor") == "鲁人社函〔2025〕23号 附件1 第4项"
    assert gs.clause("staff.director") == "甘人社通〔2022〕110号 二(四)1"
    assert sd.clause("id.uscc") == "GB 32100-2015"


def test_gansu_switches_follow_the_spec_table():
    gs, sd = load_profile("gansu-2022"), load_profile("shandong-2025")
    on_in_gansu_only = {"staff.director", "staff.management", "staff.tech-support", "inst.late-application",
                        "inst.materials", "inst.no-materials-sheet", "filing.evaluation-plan"}
    sd_only = {"inst.region", "inst.experience", "staff.assessor-qualification", "staff.contract",
               "staff.insurance", "staff.employers", "staff.cross-register", "venue.lease-term",
               "venue.lease-start", "venue.cctv", "project.max-per-institution", "project.max-per-city",
               "renewal.score-range", "renewal.panel-size", "renewal.score", "renewal.veto",
               "renewal.no-assessment", "renewal.nothing-assessed", "filing.expired"}
    for rule_id in RULES:
        assert gs.enabled(rule_id) == (rule_id not in sd_only), rule_id
        assert sd.enabled(rule_id) == (rule_id not in on_in_gansu_only), rule_id
    assert gs.param("staff.supervisor", "min") == 1 and gs.param("staff.supervisor", "full_time_only") is False
    assert gs.cities[0] == "兰州" and gs.city_map()["临夏回族自治州"] == "临夏"


def test_user_profile_changes_threshold_severity_and_switch(tmp_path):
    path = _write(tmp_path, '''
extends = "shandong-2025"
title = "济南市补充条件"
[rules."inst.experience"]
min_years = 3
clause = "济人社字〔2025〕1号 第2条"
[rules."venue.cctv"]
severity = "warning"
[rules."staff.employers"]
enabled = false
''')
    prof = load_profile(path)
    assert prof.id == "my-city" and prof.title == "济南市补充条件" and prof.document == "鲁人社函〔2025〕23号"
    assert prof.param("inst.experience", "min_years") == 3
    assert prof.clause("inst.experience") == "济人社字〔2025〕1号 第2条"
    assert prof.rules["venue.cctv"].severity == "warning" and not prof.enabled("staff.employers")
    assert prof.param("staff.supervisor", "min") == 2  # everything else inherited

    sheets = clean_register()
    sheets["机构"][0]["培训考核年限"] = 2.5
    sheets["场地"][0]["监控全覆盖"] = "否"
    sheets["人员"][-1].update(用工形式="兼职", 劳动合同起始=None, 劳动合同终止=None, 社保缴纳月数=None, 供职单位数=5)
    report = run(tmp_path, sheets, profile=str(path))
    got = {(f.rule, f.severity, f.clause) for f in report.findings}
    assert got == {("inst.experience", "violation", "济人社字〔2025〕1号 第2条"),
                   ("venue.cctv", "warning", "鲁人社函〔2025〕23号 附件1 第2项")}
    assert report.profile.id == "my-city"
    assert {f.rule for f in run(tmp_path, sheets).findings} == {"venue.cctv", "staff.employers"}


def test_user_profile_extends_gansu_and_another_file(tmp_path):
    _write(tmp_path, 'extends = "gansu-2022"\n[rules."staff.supervisor"]\nmin = 2\n', "base.toml")
    sub = tmp_path / "sub"
    sub.mkdir()
    path = _write(sub, 'extends = "../base.toml"\nid = "lanzhou"\n[rules."filing.due"]\nenabled = false\n')
    prof = load_profile(path)
    assert (prof.id, prof.document, prof.param("staff.supervisor", "min")) == ("lanzhou", "甘人社通〔2022〕110号", 2)
    assert prof.enabled("staff.director") and not prof.enabled("filing.due")


@pytest.mark.parametrize("text, names", [
    ('colour = "red"\n', "colour"),
    ('[rules."inst.colour"]\nmin = 1\n', 'rules."inst.colour"'),
    ('[rules."inst.experience"]\nmin_years = "3"\n', 'rules."inst.experience".min_years'),
    ('[rules."inst.experience"]\nmin_yeers = 3\n', 'rules."inst.experience".min_yeers'),
    ('[rules."staff.assessors"]\nneed_certificate = 1\n', 'rules."staff.assessors".need_certificate'),
    ('[rules."staff.supervisor"]\nmin = true\n', 'rules."staff.supervisor".min'),
    ('[rules."venue.cctv"]\nseverity = "fatal"\n', 'rules."venue.cctv".severity'),
    ('[rules."venue.cctv"]\nenabled = "no"\n', 'rules."venue.cctv".enabled'),
    ('[rules."staff.director"]\nmin_title = "高级"\n', 'rules."staff.director".min_title'),
    ('[rules."inst.type"]\nqualifying = "企业"\n', 'rules."inst.type".qualifying'),  # a list is declared
    ('[rules."venue.cctv"]\nmin_years = 3\n', 'rules."venue.cctv".min_years'),  # declares no parameter
    ('[rules."renewal.nothing-assessed"]\nenabled = 1\n', 'rules."renewal.nothing-assessed".enabled'),
    ('cities = "济南"\n', "cities"),
    ('due_within_days = "180"\n', "due_within_days"),
    ('rules = 3\n', "rules"),
    ('extends = "beijing-2030"\n', "beijing-2030"),
    ('title = \n', "格式错误"),
])
def test_bad_profile_files_name_the_key(tmp_path, text, names):
    path = _write(tmp_path, text)
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    message = str(info.value)
    assert names in message
    assert str(path) in message or names == "beijing-2030"


def test_profile_errors_say_where_and_quote_values_once(tmp_path):
    """A TOML syntax error is placed at its line and column; a value of the wrong type is
    quoted once, with its type (not 「而不是“'3'”」)."""
    with pytest.raises(ProfileError, match="第2行第9列格式错误"):
        load_profile(_write(tmp_path, 'id = "x"\ntitle = \n'))
    with pytest.raises(ProfileError) as info:
        load_profile(_write(tmp_path, '[rules."inst.experience"]\nmin_years = "3"\n'))
    assert "应为数值，而不是“3”（字符串）" in str(info.value) and "'" not in str(info.value)


def test_missing_file_and_cycle(tmp_path):
    with pytest.raises(ProfileError, match="找不到配置"):
        load_profile(tmp_path / "nope.toml")
    _write(tmp_path, 'extends = "b.toml"\n', "a.toml")
    _write(tmp_path, 'extends = "a.toml"\n', "b.toml")
    with pytest.raises(ProfileError, match="循环"):
        load_profile(tmp_path / "a.toml")


def test_validate_cli_accepts_a_profile_file(tmp_path):
    from click.testing import CliRunner

    from sheetkit.cli import cli

    path = _write(tmp_path, '[rules."inst.experience"]\nmin_years = 5\n')
    book = write_register(tmp_path / "r.xlsx", clean_register())
    result = CliRunner().invoke(cli, ["validate", str(book), "--profile", str(path), "--as-of", "2026-11-22",
                                      "--format", "json"])
    assert result.exit_code == 1, result.output
    assert '"rule": "inst.experience"' in result.output and '"profile": "my-city"' in result.output
    bad = _write(tmp_path, '[rules."inst.experience"]\nmin_years = "5"\n', "bad.toml")
    result = CliRunner().invoke(cli, ["validate", str(book), "--profile", str(bad)])
    assert result.exit_code == 2 and 'rules."inst.experience".min_years' in result.output
