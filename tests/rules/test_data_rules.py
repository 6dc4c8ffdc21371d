"""Every `data.*` rule: a clean register changed in one place gives the one finding, with
its rule id, severity, Excel row, column and cell."""

from __future__ import annotations

import datetime as dt

import pytest

from builders import AS_OF, clean_register, institution, person, score_row, uscc, write_register
from sheetkit.engine import validate


def run(tmp_path, sheets, name="r.xlsx", profile=None, **kw):
    path = write_register(tmp_path / name, sheets, **kw)
    return validate([str(path)], profile=profile, as_of=AS_OF), str(path)


def where(report, rule):
    return [(f.severity, f.sheet, f.row, f.column, f.cell) for f in report.findings if f.rule == rule]


def test_clean_register_has_no_data_or_id_finding(tmp_path):
    report, _ = run(tmp_path, clean_register(3))
    assert [f for f in report.findings if f.rule.startswith(("data.", "id."))] == []
    assert report.valid


def test_unreadable(tmp_path):
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a whole zip")
    report = validate([str(bad)], as_of=AS_OF)
    f = [f for f in report.findings if f.rule == "data.unreadable"]
    assert [(x.severity, x.path, x.sheet, x.row) for x in f] == [("error", str(bad), None, None)]
    assert report.exit_code == 1


def test_missing_sheet_when_no_institution_sheet_in_the_whole_register(tmp_path):
    sheets = clean_register()
    del sheets["机构"]
    report, path = run(tmp_path, sheets)
    f = [f for f in report.findings if f.rule == "data.missing-sheet"]
    assert [(x.severity, x.path) for x in f] == [("error", path)]
    assert "机构" in f[0].message


def test_institution_sheet_in_another_file_is_enough(tmp_path):
    sheets = clean_register()
    write_register(tmp_path / "a.xlsx", {"机构": sheets.pop("机构")})
    write_register(tmp_path / "b.xlsx", sheets)
    report = validate([str(tmp_path)], as_of=AS_OF)
    assert not [f for f in report.findings if f.rule.startswith("data.")]


def test_missing_column(tmp_path):
    sheets = clean_register()
    for row in sheets["机构"]:
        del row["机构地址"]
    report, path = run(tmp_path, sheets, title_rows=1)
    f = [x for x in report.findings if x.rule == "data.missing-column"]
    assert [(x.severity, x.path, x.sheet, x.row, x.column) for x in f] == [("error", path, "机构", 2, "机构地址")]
    assert "机构地址" in f[0].message and "第2行" in f[0].message
    assert where(report, "data.required") == []  # not once per row as well


def test_conditionally_required_column_only_when_the_condition_occurs(tmp_path):
    # No 专职 row at all: 劳动合同起始 is not needed.
    sheets = clean_register()
    for row in sheets["人员"]:
        del row["劳动合同起始"]
    report, _ = run(tmp_path, sheets)
    assert [x.column for x in report.findings if x.rule == "data.missing-column"] == ["劳动合同起始"]
    for row in sheets["人员"]:
        row["用工形式"] = "兼职"
        row["供职单位数"] = 2
    report, _ = run(tmp_path, sheets, name="b.xlsx")
    assert not [x for x in report.findings if x.rule == "data.missing-column"]


def test_column_needed_only_by_a_rule_switched_off_is_optional(tmp_path):
    sheets = clean_register()
    for row in sheets["人员"]:
        del row["社保缴纳月数"]
    report, _ = run(tmp_path, sheets)
    assert [x.column for x in report.findings if x.rule == "data.missing-column"] == ["社保缴纳月数"]
    report, _ = run(tmp_path, sheets, name="g.xlsx", profile="gansu-2022")
    assert not [x for x in report.findings if x.rule == "data.missing-column"]


def test_required_cell_blank(tmp_path):
    sheets = clean_register(2)
    sheets["机构"][1]["机构名称"] = "  "
    report, _ = run(tmp_path, sheets)
    assert where(report, "data.required") == [("error", "机构", 3, "机构名称", "B3")]
    f = next(x for x in report.findings if x.rule == "data.required")
    assert f.institution == uscc(2) and "必填" in f.message


def test_conditionally_required_cell_blank(tmp_path):
    sheets = clean_register()
    sheets["人员"][2]["劳动合同起始"] = None  # a 专职: needed by staff.contract
    sheets["人员"][3]["供职单位数"] = None  # 专职: 供职单位数 not needed
    sheets["机构"][0]["备案起始"] = None  # 申请中: blank means --as-of
    report, _ = run(tmp_path, sheets)
    assert where(report, "data.required") == [("error", "人员", 4, "劳动合同起始", "G4")]


def test_filed_institution_needs_a_filing_start(tmp_path):
    sheets = clean_register()
    sheets["机构"][0].update(备案状态="已备案", 机构代码="JN2023001", 备案起始=None)
    report, _ = run(tmp_path, sheets)
    assert where(report, "data.required") == [("error", "机构", 2, "备案起始", "L2")]


@pytest.mark.parametrize("sheet,index,column,value,cell", [
    ("机构", 0, "备案起始", "明年三月", "L2"),
    ("机构", 0, "培训考核年限", "三年", "O2"),
    ("机构", 0, "独立考核部门", "不清楚", "N2"),
    ("人员", 4, "社保缴纳月数", 12.5, "I6"),
    ("人员", 4, "劳动合同终止", "长期有效", "H6"),
    ("考核项目", 1, "卷库套数", "五套", "D3"),
])
def test_wrong_type(tmp_path, sheet, index, column, value, cell):
    sheets = clean_register()
    sheets[sheet][index][column] = value
    report, _ = run(tmp_path, sheets)
    f = [x for x in report.findings if x.rule == "data.type"]
    assert [(x.severity, x.sheet, x.column, x.cell, x.value) for x in f] == [("error", sheet, column, cell, value)]
    assert column in f[0].message and str(value) in f[0].message


def test_open_ended_contract_hint(tmp_path):
    sheets = clean_register()
    sheets["人员"][4]["劳动合同终止"] = "长期"
    report, _ = run(tmp_path, sheets)
    msg = next(x.message for x in report.findings if x.rule == "data.type")
    assert msg.endswith("（空白表示无固定期限）")


def test_number_out_of_range_is_a_type_error(tmp_path):
    sheets = clean_register()
    sheets["场地"][0]["面积"] = -20
    report, _ = run(tmp_path, sheets)
    assert where(report, "data.type") == [("error", "场地", 2, "面积", "H2")]
    assert "超出范围" in next(x.message for x in report.findings if x.rule == "data.type")


@pytest.mark.parametrize("sheet,index,column,value,cell", [
    ("机构", 0, "所属市", "北京", "C2"),
    ("机构", 0, "机构类型", "个体户", "D2"),
    ("机构", 0, "备案状态", "暂停", "K2"),
    ("人员", 1, "岗位", "保安", "D3"),
    ("人员", 1, "用工形式", "专兼职", "E3"),
    ("场地", 0, "产权类型", "借用", "D2"),
    ("考核项目", 0, "变更", "修改", "C2"),
])
def test_enum(tmp_path, sheet, index, column, value, cell):
    sheets = clean_register()
    sheets[sheet][index][column] = value
    report, _ = run(tmp_path, sheets)
    f = [x for x in report.findings if x.rule == "data.enum"]
    assert [(x.severity, x.sheet, x.column, x.cell, x.value) for x in f] == [("error", sheet, column, cell, value)]
    assert value in f[0].message


@pytest.mark.parametrize("city, profile, hint", [
    ("临夏州", None, "“临夏州”属于甘肃省，若这是甘肃省的登记表，请加 --profile gansu-2022"),
    ("兰州市", None, "请加 --profile gansu-2022"),
    ("济南", "gansu-2022", "“济南”属于山东省，若这是山东省的登记表，请加 --profile shandong-2025"),
])
def test_a_city_of_another_province_names_its_profile(tmp_path, city, profile, hint):
    """A register checked under the wrong province's profile: the 所属市 finding says which
    profile to use; a city of no province gets no such hint."""
    sheets = clean_register()
    sheets["机构"][0]["所属市"] = city
    report, _ = run(tmp_path, sheets, profile=profile)
    (f,) = [x for x in report.findings if x.rule == "data.enum" and x.column == "所属市"]
    assert hint in f.message
    sheets["机构"][0]["所属市"] = "火星"
    report, _ = run(tmp_path, sheets, profile=profile)
    (f,) = [x for x in report.findings if x.rule == "data.enum" and x.column == "所属市"]
    assert "--profile" not in f.message


def test_duplicate_institution(tmp_path):
    sheets = clean_register(2)
    sheets["机构"].append(institution(1, 机构名称="重复录入的学校"))
    report, _ = run(tmp_path, sheets)
    assert where(report, "data.duplicate") == [("error", "机构", 4, "统一社会信用代码", "A4")]
    assert "第2行" in next(x.message for x in report.findings if x.rule == "data.duplicate")


def test_duplicate_in_another_workbook_names_that_workbook(tmp_path):
    """Two copies of the catalogue in the folder (项目目录.xlsx and 项目目录(1).xlsx), or one
    institution in two cities' workbooks: the message names the other file and sheet, not
    a row number that points back at the duplicate row itself."""
    from builders import catalogue_rows

    sheets = clean_register()
    write_register(tmp_path / "reg" / "济南.xlsx", sheets)
    write_register(tmp_path / "reg" / "项目目录(1).xlsx", {"项目目录": catalogue_rows()[:1]})
    copy = {"机构": [dict(sheets["机构"][0])], "人员": [], "场地": [], "考核项目": []}
    write_register(tmp_path / "reg" / "青岛.xlsx", copy)
    report = validate([str(tmp_path / "reg")], as_of=AS_OF)
    dups = {(f.path.rsplit("/", 1)[-1], f.sheet, f.row): f.message for f in report.findings
            if f.rule == "data.duplicate"}
    assert set(dups) == {("青岛.xlsx", "机构", 2), ("项目目录(1).xlsx", "项目目录", 2)}
    assert dups[("青岛.xlsx", "机构", 2)].endswith("与济南.xlsx“机构”第2行重复")
    assert dups[("项目目录(1).xlsx", "项目目录", 2)].endswith("与济南.xlsx“项目目录”第2行重复")


def test_duplicate_in_the_same_sheet_names_only_the_row(tmp_path):
    sheets = clean_register(2)
    sheets["机构"].append(institution(1, 机构名称="重复录入的学校"))
    report, _ = run(tmp_path, sheets)
    (f,) = [x for x in report.findings if x.rule == "data.duplicate"]
    assert f.message.endswith("，与第2行重复")


def test_duplicate_person_in_the_same_role_but_not_in_two_roles(tmp_path):
    sheets = clean_register()
    code = uscc(1)
    first = sheets["人员"][1]  # a 考核管理人员
    sheets["人员"].append(person(code, 0, first["岗位"], 身份证号=first["身份证号"]))
    sheets["人员"].append(person(code, 0, "技术支持人员", 身份证号=first["身份证号"]))
    report, _ = run(tmp_path, sheets)
    row = len(sheets["人员"])  # the first appended row (header is row 1)
    assert where(report, "data.duplicate") == [("error", "人员", row, "岗位", f"D{row}")]


def test_duplicate_project_catalogue_entry_and_expert(tmp_path):
    sheets = clean_register()
    code = uscc(1)
    sheets["考核项目"].append(dict(sheets["考核项目"][0]))
    sheets["项目目录"].append(dict(sheets["项目目录"][2]))
    sheets["续期评分"] = [score_row(code, "王一"), score_row(code, "王一", total=80)]
    report, _ = run(tmp_path, sheets)
    got = {(s, r, c) for _, s, r, c, _ in where(report, "data.duplicate")}
    assert got == {("考核项目", 4, "考核项目"), ("项目目录", 9, "考核项目"), ("续期评分", 3, "评估专家")}


def test_unknown_institution_once_per_sheet_and_code(tmp_path):
    sheets = clean_register()
    stranger = uscc(77)
    sheets["人员"].extend(person(stranger, 900 + i, "考评人员", project="家政服务") for i in range(3))
    sheets["场地"].append(dict(sheets["场地"][0], 统一社会信用代码=stranger))
    report, _ = run(tmp_path, sheets)
    staff_rows = len(clean_register()["人员"])
    f = [x for x in report.findings if x.rule == "data.unknown-institution"]
    assert [(x.severity, x.sheet, x.row, x.cell, x.institution) for x in f] == [
        ("error", "人员", staff_rows + 2, f"A{staff_rows + 2}", stranger),
        ("error", "场地", 3, "A3", stranger),
    ]
    assert f"第{staff_rows + 2}—{staff_rows + 4}行" in f[0].message


def test_no_catalogue_is_a_warning_once(tmp_path):
    sheets = clean_register()
    del sheets["项目目录"]
    report, _ = run(tmp_path, sheets)
    f = [x for x in report.findings if x.rule == "data.no-catalogue"]
    assert [(x.severity, x.path) for x in f] == [("warning", None)]
    assert report.valid  # a warning does not block


def test_an_empty_catalogue_sheet_is_no_catalogue(tmp_path):
    """The `sheetkit init` template has a 项目目录 sheet with its header only; a clerk who
    keeps the catalogue elsewhere leaves it so. That is no catalogue (one warning saying the
    sheet is empty), not every project 「不在考核项目目录中」."""
    sheets = clean_register()
    sheets["项目目录"] = []  # the header row only
    report, _ = run(tmp_path, sheets)
    assert not [x for x in report.findings if x.rule == "project.catalogue"]
    (f,) = [x for x in report.findings if x.rule == "data.no-catalogue"]
    assert f.severity == "warning" and "没有任何考核项目" in f.message
    assert report.valid


def test_catalogue_in_its_own_workbook(tmp_path):
    sheets = clean_register()
    write_register(tmp_path / "目录.xlsx", {"项目目录": sheets.pop("项目目录")})
    write_register(tmp_path / "济南.xlsx", sheets)
    report = validate([str(tmp_path)], as_of=AS_OF)
    assert not [x for x in report.findings if x.rule == "data.no-catalogue"]
    assert report.valid


def test_findings_carry_the_sheet_name_as_typed(tmp_path):
    sheets = clean_register()
    sheets["人员"][0]["岗位"] = "门卫"
    path = write_register(tmp_path / "r.xlsx", {("人员信息" if k == "人员" else k): v for k, v in sheets.items()})
    report = validate([str(path)], as_of=AS_OF)
    assert [(x.sheet, x.cell) for x in report.findings if x.rule == "data.enum"] == [("人员信息", "D2")]


def test_dates_far_from_today_are_fine(tmp_path):
    sheets = clean_register()
    sheets["人员"][0]["劳动合同终止"] = dt.date(2099, 12, 31)
    sheets["人员"][0]["劳动合同起始"] = 36526  # 2000-01-01 as an Excel serial
    report, _ = run(tmp_path, sheets)
    assert where(report, "data.type") == []
    assert report.register["人员"].data.at[0, "劳动合同起始"].date() == dt.date(2000, 1, 1)
