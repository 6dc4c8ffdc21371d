"""The conditions the clause-by-clause audit found unchecked (issue 16): where and what the
applicant is (附件1 第1项; 甘 二(一)), late applications (甘 一), the eight 申报材料 (甘 三),
技术支持人员 (甘 二(四)5), the expert team per project (甘 二(五)) and the evaluation plan
filed 10 working days ahead (甘 五(二))."""

import datetime as dt

import pytest
from builders import MATERIAL_ITEMS, materials, write_register
from rule_helpers import (
    GANSU, clean_register, findings, gansu, remove, rules, run, staff_rows, uscc,
)

from sheetkit.engine import validate


def test_gansu_register_with_the_four_new_problems_gets_exactly_those_findings(tmp_path):
    sheets = gansu(clean_register(3))
    baseline = {(f.rule, f.institution) for f in run(tmp_path, sheets, profile=GANSU).findings}
    assert baseline == set()
    one, two, three = (uscc(n) for n in (1, 2, 3))
    sheets["机构"][0]["申报日期"] = dt.date(2022, 4, 16)           # 甘 一: after 4月15日
    sheets["机构"][1]["申报日期"] = dt.date(2022, 4, 15)           # the deadline day is on time
    sheets["申报材料"][1][MATERIAL_ITEMS[7][0]] = "否"              # 甘 三(八) 诚信承诺书 not submitted
    remove(sheets, "人员", staff_rows(sheets, "技术支持人员", 3))    # 甘 二(四)5
    sheets["机构"][2]["机构类型"] = "其他"                          # 甘 二(一)
    report = run(tmp_path, sheets, profile=GANSU)
    got = {(f.rule, f.institution) for f in report.findings}
    assert got == {("inst.late-application", one), ("inst.materials", two), ("staff.tech-support", three),
                   ("inst.type", three)}
    by_rule = {f.rule: f for f in report.findings}
    late = by_rule["inst.late-application"]
    assert (late.sheet, late.column, late.severity) == ("机构", "申报日期", "violation")
    assert late.clause == "甘人社通〔2022〕110号 一" and "2022年4月15日" in late.message
    item = by_rule["inst.materials"]
    assert (item.sheet, item.row, item.column) == ("申报材料", 3, "考核机构诚信承诺书")
    assert item.clause == "甘人社通〔2022〕110号 三(八)"
    assert by_rule["staff.tech-support"].clause == "甘人社通〔2022〕110号 二(四)5"
    kind = by_rule["inst.type"]
    assert kind.clause == "甘人社通〔2022〕110号 二(一)" and "独立法人资格" in kind.message
    assert "职业技能培训机构" in kind.message and "鲁" not in kind.message + (kind.clause or "")
    # under shandong-2025 only the type counts (兰州 is not a Shandong city: data.enum)
    assert rules(run(tmp_path, sheets)) == {"inst.type", "data.enum"}


def test_shandong_region_and_type(tmp_path):
    sheets = clean_register(3)
    outside = uscc(2, prefix="916201")  # 登记管理机关 620100: 兰州
    for kind in ("机构", "人员", "场地", "考核项目", "申报材料"):
        for row in sheets[kind]:
            if row["统一社会信用代码"] == uscc(2):
                row["统一社会信用代码"] = outside
    sheets["机构"][2]["机构类型"] = "其他"
    report = run(tmp_path, sheets)
    assert {(f.rule, f.institution) for f in report.findings} == {("inst.region", outside), ("inst.type", uscc(3))}
    (region,) = findings(report, "inst.region")
    assert region.column == "统一社会信用代码" and "620100" in region.message and "山东省" in region.message
    assert region.clause == "鲁人社函〔2025〕23号 附件1 第1项"
    (kind,) = findings(report, "inst.type")
    assert kind.cell == "D4" and kind.value == "其他"
    assert "在山东省行政区域内依法登记的企业、院校、社会团体或职业技能培训机构" in kind.message
    assert "请按法人登记证书改为" in kind.message


def test_a_removed_institution_is_not_judged_and_a_bad_code_is_left_to_id_uscc(tmp_path):
    sheets = clean_register(2)
    sheets["机构"][0].update(机构类型="其他", 备案状态="终止备案")
    bad = uscc(2, prefix="916201")[:-1] + "0"
    if bad == uscc(2, prefix="916201"):
        bad = bad[:-1] + "1"
    for kind in ("机构", "人员", "场地", "考核项目", "申报材料"):
        for row in sheets[kind]:
            if row["统一社会信用代码"] == uscc(2):
                row["统一社会信用代码"] = bad
    got = rules(run(tmp_path, sheets))
    assert "inst.type" not in got and "inst.region" not in got and "id.uscc" in got


def test_materials_sheet_absent_is_one_warning_and_no_row_is_one_finding(tmp_path):
    sheets = gansu(clean_register(2))
    del sheets["申报材料"]
    report = run(tmp_path, sheets, profile=GANSU)
    (f,) = report.findings
    assert (f.rule, f.severity, f.institution, f.clause) == (
        "inst.no-materials-sheet", "warning", None, "甘人社通〔2022〕110号 三")  # its own rule: another severity
    assert "没有“申报材料”工作表" in f.message
    sheets["申报材料"] = [materials(uscc(1))]
    (f,) = run(tmp_path, sheets, profile=GANSU).findings
    assert (f.rule, f.severity, f.institution, f.sheet) == ("inst.materials", "violation", uscc(2), "机构")


def test_materials_accepts_short_headers_and_each_missing_item_is_a_finding(tmp_path):
    sheets = gansu(clean_register())
    short = ["统一社会信用代码", "备案申请报告", "申请表", "法人登记证书", "信用情况说明", "人员名单",
             "场地证明", "管理制度", "诚信承诺书"]
    sheets["申报材料"] = [dict(zip(short, [uscc(1), "是", "否", "√", "×", "是", "是", "是", "否"]))]
    path = write_register(tmp_path / "r.xlsx", sheets, columns={"申报材料": short})
    report = validate([path], profile=GANSU, as_of=dt.date(2026, 11, 22))
    got = sorted((f.column, f.clause) for f in report.findings)
    assert got == [("甘肃省专项职业能力考核机构申请表", "甘人社通〔2022〕110号 三(二)"),
                   ("社会信用信息情况说明", "甘人社通〔2022〕110号 三(四)"),
                   ("考核机构诚信承诺书", "甘人社通〔2022〕110号 三(八)")]


def test_gansu_expert_team_per_project(tmp_path):
    sheets = gansu(clean_register())
    experts = [r for r in staff_rows(sheets, "技术资源建设专家") if r["考核项目"] == "家政服务"]
    remove(sheets, "人员", experts)
    (f,) = run(tmp_path, sheets, profile=GANSU).findings
    assert f.rule == "staff.experts" and f.clause == "甘人社通〔2022〕110号 二(五)"
    assert "家政服务" in f.message and "不少于1名" in f.message


@pytest.mark.parametrize("filed_on, late", [
    (dt.date(2026, 9, 21), False),  # 10 working days before 2026-10-12, over 中秋 and 国庆 (10-10 调休上班)
    (dt.date(2026, 9, 22), True),
])
def test_evaluation_plan_ten_working_days_over_a_holiday(tmp_path, filed_on, late):
    from sheetkit.workdays import add_workdays

    evaluated = dt.date(2026, 10, 12)
    assert add_workdays(evaluated, -10) == dt.date(2026, 9, 21)
    sheets = gansu(clean_register())
    sheets["机构"][0].update(评估方案报备日期=filed_on, 评估日期=evaluated)
    got = run(tmp_path, sheets, profile=GANSU).findings
    if not late:
        assert got == []
        return
    (f,) = got
    assert (f.rule, f.severity, f.column) == ("filing.evaluation-plan", "warning", "评估方案报备日期")
    assert "不晚于2026-09-21" in f.message and f.clause == "甘人社通〔2022〕110号 五(二)"


def test_evaluation_plan_in_a_year_the_calendar_lacks_is_said_once(tmp_path):
    from sheetkit.workdays import covered_years

    year = covered_years()[1] + 2
    sheets = gansu(clean_register(2))
    for row in sheets["机构"]:
        row.update(评估方案报备日期=dt.date(year, 3, 1), 评估日期=dt.date(year, 3, 5))
    (f,) = run(tmp_path, sheets, profile=GANSU).findings
    assert (f.rule, f.severity) == ("filing.evaluation-plan", "warning")
    assert f"没有 {year} 年的放假安排" in f.message and "pip install -U chinesecalendar" in f.message


def test_new_columns_are_optional(tmp_path):
    """A Gansu register without 申报日期 or the plan dates is not an error: not checked."""
    sheets = gansu(clean_register())
    report = run(tmp_path, sheets, profile=GANSU)
    assert report.findings == []
    header = report.register["机构"].own_sources[0].columns
    assert "申报日期" not in header and "评估日期" not in header
