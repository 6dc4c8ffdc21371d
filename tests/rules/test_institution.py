"""inst.*: credit, department, experience, institution code."""

from rule_helpers import GANSU, clean_register, filed, findings, gansu, institution, rules, run, uscc


def test_clean_register_has_no_finding_under_both_profiles(tmp_path):
    assert run(tmp_path, clean_register(2)).findings == []
    assert run(tmp_path, gansu(clean_register(2)), profile=GANSU).findings == []


def test_bad_credit_points_at_the_cell_with_clause(tmp_path):
    sheets = clean_register()
    sheets["机构"][0]["信用状况"] = "不良"
    (f,) = run(tmp_path, sheets).findings
    assert (f.rule, f.severity, f.sheet, f.row, f.cell) == ("inst.credit", "violation", "机构", 2, "M2")
    assert f.clause == "鲁人社函〔2025〕23号 附件1 第1项"
    assert f.institution == uscc(1) and "不良" in f.message and f.message_en


def test_no_department(tmp_path):
    sheets = clean_register()
    sheets["机构"][0]["独立考核部门"] = "否"
    assert rules(run(tmp_path, sheets)) == {"inst.department"}


def test_experience_boundary_and_gansu_switch(tmp_path):
    sheets = clean_register(2)
    sheets["机构"][0]["培训考核年限"] = 2
    sheets["机构"][1]["培训考核年限"] = 1.5
    report = run(tmp_path, sheets)
    (f,) = report.findings
    assert f.rule == "inst.experience" and f.institution == uscc(2)
    assert f.message == "培训考核年限为1.5年，应不少于2年"
    assert run(tmp_path, gansu(sheets), profile=GANSU).findings == []


def test_filed_without_code_and_reused_code(tmp_path):
    sheets = filed(filed(clean_register(3), 1, code="JN001"), 2, code="JN001")
    filed(sheets, 3)
    sheets["机构"][2]["机构代码"] = ""
    found = findings(run(tmp_path, sheets), "inst.code")
    assert [(f.row, f.column, f.severity) for f in found] == [(3, "机构代码", "error"), (4, "机构代码", "error")]
    assert "第2行" in found[0].message and "缺少机构代码" in found[1].message


def test_removed_institution_is_not_judged(tmp_path):
    sheets = clean_register(2)
    sheets["机构"][1].update(备案状态="终止备案", 信用状况="不良", 独立考核部门="否")
    assert run(tmp_path, sheets).findings == []
    assert institution(1)["备案状态"] == "申请中"
