"""staff.*: head counts per institution and per project, qualifications, contracts,
insurance, employers, and the same person across institutions and workbooks."""

import datetime as dt

from builders import person, resident
from rule_helpers import (GANSU, clean_register, findings, gansu, remove, rules, run, staff_rows, uscc)


def _part_time(sheets, role, n=1):
    """Make the first person in ``role`` part-time (with what a part-timer needs)."""
    row = staff_rows(sheets, role, n)[0]
    row.update(用工形式="兼职", 劳动合同起始=None, 劳动合同终止=None, 社保缴纳月数=None, 供职单位数=2)
    return row


def test_two_full_time_supervisors_pass_one_fails(tmp_path):
    sheets = clean_register()
    remove(sheets, "人员", staff_rows(sheets, "内部质量督导人员")[:1])
    (f,) = run(tmp_path, sheets).findings
    assert (f.rule, f.severity, f.sheet, f.row, f.column) == ("staff.supervisor", "violation", "机构", 2, "统一社会信用代码")
    assert f.message == "专职内部质量督导人员仅1名，应不少于2名"
    assert f.clause == "鲁人社函〔2025〕23号 附件1 第4项"
    assert f.message_en == "full-time quality supervisors: 1, at least 2 required"


def test_part_time_supervisor_counts_under_gansu_only(tmp_path):
    sheets = clean_register()
    remove(sheets, "人员", staff_rows(sheets, "内部质量督导人员")[:1])
    _part_time(sheets, "内部质量督导人员")
    (f,) = run(tmp_path, sheets).findings
    assert f.message == "没有专职内部质量督导人员，应不少于2名（另有兼职1名，不计入）"
    assert run(tmp_path, gansu(sheets), profile=GANSU).findings == []
    remove(sheets, "人员", staff_rows(sheets, "内部质量督导人员"))
    (g,) = run(tmp_path, sheets, profile=GANSU).findings
    assert g.rule == "staff.supervisor" and g.message == "没有内部质量督导人员，应不少于1名"
    assert g.clause == "甘人社通〔2022〕110号 二(四)4"


def test_exam_admin_count(tmp_path):
    sheets = clean_register()
    _part_time(sheets, "考务管理人员")
    (f,) = run(tmp_path, sheets).findings
    assert f.rule == "staff.exam-admin" and f.message.startswith("专职考务管理人员仅1名，应不少于2名")


def test_director_rules_on_under_gansu_off_under_shandong(tmp_path):
    sheets = gansu(clean_register())
    staff_rows(sheets, "负责人")[0]["专业技术职称"] = "初级"
    (f,) = run(tmp_path, sheets, profile=GANSU).findings
    assert (f.rule, f.sheet, f.column) == ("staff.director", "人员", "专业技术职称")
    assert "应为中级及以上" in f.message
    sheets["人员"].append(person(uscc(1), 900, "负责人"))
    msgs = [f.message for f in findings(run(tmp_path, sheets, profile=GANSU), "staff.director")]
    assert "负责人（所长）共2名，应为1名" in msgs
    remove(sheets, "人员", staff_rows(sheets, "负责人"))
    msgs = [f.message for f in findings(run(tmp_path, sheets, profile=GANSU), "staff.director")]
    assert msgs == ["没有负责人（所长），应有1名"]
    sheets["机构"][0]["所属市"] = "济南"
    assert run(tmp_path, sheets).findings == []  # shandong-2025: rule off


def test_management_education_under_gansu(tmp_path):
    sheets = gansu(clean_register())
    staff_rows(sheets, "考核管理人员")[0]["学历"] = "高中"
    (f,) = run(tmp_path, sheets, profile=GANSU).findings
    assert f.rule == "staff.management"
    assert f.message == "学历中专及以上的专职考核管理人员仅1名，应不少于2名（另有1名学历不足或未填写）"
    staff_rows(sheets, "考核管理人员")[0]["学历"] = "中专"
    assert run(tmp_path, sheets, profile=GANSU).findings == []


def test_three_assessors_per_project_pass_two_fail(tmp_path):
    sheets = clean_register()
    dumplings = [r for r in staff_rows(sheets, "考评人员") if r["考核项目"] == "中式面点制作"]
    remove(sheets, "人员", dumplings[:1])
    (f,) = run(tmp_path, sheets).findings
    assert (f.rule, f.sheet, f.row, f.column) == ("staff.assessors", "考核项目", 2, "考核项目")
    assert f.message == "考核项目“中式面点制作”的考评人员仅2名，应不少于3名"
    # One assessor serving both projects (a list cell) makes up the third.
    staff_rows(sheets, "考评人员")[-1]["考核项目"] = "家政服务、 中式面点制作"
    assert run(tmp_path, sheets).findings == []


def test_deleted_project_needs_no_staff(tmp_path):
    sheets = clean_register()
    sheets["考核项目"].append({**sheets["考核项目"][0], "考核项目": "茶艺", "变更": "删除"})
    assert run(tmp_path, sheets).findings == []
    sheets["考核项目"][-1]["变更"] = "新增"
    assert rules(run(tmp_path, sheets)) == {"staff.assessors", "staff.experts"}


def test_gansu_assessor_needs_certificate(tmp_path):
    sheets = gansu(clean_register())
    staff_rows(sheets, "考评人员")[0]["考评员证书编号"] = ""
    (f,) = run(tmp_path, sheets, profile=GANSU).findings
    assert (f.rule, f.column) == ("staff.assessors", "考评员证书编号")


def test_experts_per_project(tmp_path):
    sheets = clean_register()
    remove(sheets, "人员", staff_rows(sheets, "技术资源建设专家")[:1])
    (f,) = run(tmp_path, sheets).findings
    assert f.rule == "staff.experts" and f.message == "考核项目“中式面点制作”的技术资源建设专家仅1名，应不少于2名"
    assert run(tmp_path, gansu(sheets), profile=GANSU).findings == []


def test_assessor_qualification_boundaries(tmp_path):
    sheets = clean_register()
    a, b, c, d = staff_rows(sheets, "考评人员")[:4]
    a.update(相关工作年限=3)  # 三级 + 中级, exactly 3 years: qualified
    b.update(技能等级="四级", 专业技术职称="初级")  # neither level nor title
    c.update(相关工作年限=2.9)
    d.update(技能等级="五级", 专业技术职称="无", 相关工作年限=0, 技能带头人="是")  # a skill leader
    found = findings(run(tmp_path, sheets), "staff.assessor-qualification")
    assert [(f.row, f.column) for f in found] == [(10, "技能等级"), (11, "相关工作年限")]
    assert "技能等级四级、职称初级、相关工作年限5年" in found[0].message


def test_contract_of_one_year_passes_a_day_less_fails(tmp_path):
    sheets = clean_register()
    a, b = staff_rows(sheets, "考务管理人员")
    a.update(劳动合同起始=dt.date(2026, 6, 1), 劳动合同终止=dt.date(2027, 5, 31))
    b.update(劳动合同起始=dt.date(2026, 6, 1), 劳动合同终止=dt.date(2027, 5, 30))
    (f,) = run(tmp_path, sheets).findings
    assert (f.rule, f.column, f.row) == ("staff.contract", "劳动合同终止", 7)
    assert "2026-06-01至2027-05-30，不足1年" in f.message


def test_an_ended_contract_is_not_full_time_staff(tmp_path):
    # Both 专职 考务管理人员 left years ago: each is named at their row, and the applicant has
    # no current full-time exam administrator, so it gets no filing receipt.
    sheets = clean_register()
    a, b = staff_rows(sheets, "考务管理人员")
    a.update(劳动合同起始=dt.date(2016, 3, 1), 劳动合同终止=dt.date(2019, 2, 28))
    b.update(劳动合同起始=dt.date(2018, 3, 1), 劳动合同终止=dt.date(2021, 2, 28))
    report = run(tmp_path, sheets)
    ended = findings(report, "staff.contract")
    assert [(f.row, f.column) for f in ended] == [(4, "劳动合同终止"), (7, "劳动合同终止")]
    assert "劳动合同已于2019-02-28终止，早于2026-12-01（按备案期（自2026年12月至2029年11月）判断），不计为本机构专职人员" \
        in ended[0].message
    (short,) = findings(report, "staff.exam-admin")
    assert short.message.startswith("没有专职考务管理人员，应不少于2名（另有劳动合同已终止的2名，不计入）")
    assert report.verdict(uscc(1)).documents["filing"].due is False
    # Under Gansu (staff.contract off) the people still do not count, and the count says why.
    (g,) = findings(run(tmp_path, gansu(sheets), profile=GANSU), "staff.exam-admin")
    assert "另有劳动合同已终止的2名，不计入" in g.message


def test_insurance_and_employers(tmp_path):
    sheets = clean_register()
    a, b = staff_rows(sheets, "考务管理人员")
    a["社保缴纳月数"], b["社保缴纳月数"] = 12, 11
    part = _part_time(sheets, "考评人员")
    part["供职单位数"] = 3
    found = run(tmp_path, sheets).findings
    assert [(f.rule, f.column) for f in found] == [("staff.insurance", "社保缴纳月数"), ("staff.employers", "供职单位数")]
    assert found[1].message.endswith("不得与3家及以上单位发生供职或聘用关系")
    assert run(tmp_path, gansu(sheets), profile=GANSU).findings == []


def test_same_person_full_time_at_two_institutions_across_workbooks(tmp_path):
    one, two = clean_register(1), clean_register(2)
    two["机构"] = two["机构"][1:]
    del two["项目目录"]  # the catalogue is read once, from jinan.xlsx
    for kind in ("人员", "场地", "考核项目"):
        two[kind] = [r for r in two[kind] if r["统一社会信用代码"] == uscc(2)]
    shared = staff_rows(one, "考务管理人员")[0]["身份证号"]
    staff_rows(two, "考核管理人员", 2)[0]["身份证号"] = shared
    report = run(tmp_path, {"jinan.xlsx": one, "qingdao.xlsx": two})
    found = findings(report, "staff.cross-register")
    assert sorted((f.path.rsplit("/", 1)[-1], f.institution) for f in found) == [
        ("jinan.xlsx", uscc(1)), ("qingdao.xlsx", uscc(2))]
    assert "在2家机构均登记为专职" in found[0].message and "济南第2职业技能培训学校" in found[0].message
    assert rules(report) == {"staff.cross-register"}


def test_part_timer_at_two_institutions_passes_three_fails(tmp_path):
    sheets = clean_register(3)
    ident = resident(777)
    for n in (1, 2):
        row = person(uscc(n), 777, "技术支持人员", mode="兼职")
        sheets["人员"].append(row)
    assert run(tmp_path, sheets).findings == []
    sheets["人员"].append(person(uscc(3), 777, "技术支持人员", mode="兼职"))
    found = run(tmp_path, sheets).findings
    assert {f.rule for f in found} == {"staff.cross-register"} and len(found) == 3
    assert all(f.column == "身份证号" and "同时在3家机构任职" in f.message for f in found)
    assert ident not in found[0].message  # personal data stays out of messages
