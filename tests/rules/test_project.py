"""project.*: catalogue and call, projects per institution and per city, question
banks, certificates."""

import datetime as dt

from builders import CATALOGUE, catalogue_rows, project, staff_for
from rule_helpers import GANSU, clean_register, findings, gansu, institution, rules, run, uscc


def _with_projects(n_projects: int):
    names = CATALOGUE[:n_projects]
    return clean_register(projects=tuple(names))


def test_five_projects_pass_six_fail(tmp_path):
    assert run(tmp_path, _with_projects(5)).findings == []
    sheets = _with_projects(6)
    (f,) = run(tmp_path, sheets).findings
    assert (f.rule, f.sheet, f.row) == ("project.max-per-institution", "机构", 2)
    assert f.message == "备案考核项目6个，超过每个机构5个的上限"
    assert f.clause == "鲁人社函〔2025〕23号 四(一)"
    assert run(tmp_path, gansu(sheets), profile=GANSU).findings == []


def test_deleted_rows_do_not_count(tmp_path):
    sheets = _with_projects(6)
    sheets["考核项目"][-1]["变更"] = "删除"
    assert run(tmp_path, sheets).findings == []


def _city_book(first: int, count: int, status="已备案"):
    sheets = {"机构": [], "人员": [], "场地": [], "考核项目": []}
    for n in range(first, first + count):
        code = uscc(n)
        sheets["机构"].append(institution(n, 备案状态=status, 机构代码=f"JN{n:03d}" if status == "已备案" else "",
                                         备案起始=dt.date(2026, 1, 1) if status == "已备案" else dt.date(2026, 12, 1)))
        sheets["人员"].extend(staff_for(code, ["茶艺"], start=n * 100))
        sheets["场地"].append({"统一社会信用代码": code, "场地用途": "办公及考核", "场地地址": "济南市",
                               "产权类型": "自有", "不动产权证号": f"D{n}", "监控全覆盖": "是"})
        sheets["考核项目"].append(project(code, "茶艺"))
    return sheets


def test_five_institutions_per_project_per_city_pass_six_fail_across_workbooks(tmp_path):
    one = {**_city_book(1, 3), "项目目录": catalogue_rows()}
    two = _city_book(4, 2, status="申请中")
    assert run(tmp_path / "a", {"a.xlsx": one, "b.xlsx": two}).findings == []
    two = _city_book(4, 3, status="申请中")
    found = run(tmp_path / "b", {"a.xlsx": one, "b.xlsx": two}).findings
    assert {f.rule for f in found} == {"project.max-per-city"}
    # The three applicants are flagged, at their project rows in b.xlsx.
    assert sorted(f.institution for f in found) == [uscc(4), uscc(5), uscc(6)]
    assert all(f.path.endswith("b.xlsx") and f.sheet == "考核项目" for f in found)
    assert found[0].message == "济南市申请或备案考核项目“茶艺”的机构共6家，超过每市5家的上限"
    # A removed institution does not hold a place.
    one["机构"][0]["备案状态"] = "终止备案"
    assert run(tmp_path / "c", {"a.xlsx": one, "b.xlsx": two}).findings == []


def test_project_outside_catalogue_or_call(tmp_path):
    sheets = clean_register()
    sheets["项目目录"] = catalogue_rows(cities="")
    sheets["项目目录"][1]["征集市"] = "青岛市、烟台"
    sheets["项目目录"] = [r for r in sheets["项目目录"] if r["考核项目"] != "中式面点制作"]
    found = run(tmp_path, sheets).findings
    assert [(f.rule, f.row) for f in found] == [("project.catalogue", 2), ("project.catalogue", 3)]
    assert found[0].message == "考核项目“中式面点制作”不在考核项目目录中"
    assert found[1].message == "考核项目“家政服务”不在济南市的征集范围内（征集市：烟台、青岛）"
    sheets["项目目录"][0]["征集市"] = "济南市，青岛"
    assert [f.row for f in run(tmp_path, sheets).findings] == [2]


def test_no_catalogue_is_a_warning_not_a_check(tmp_path):
    sheets = clean_register()
    del sheets["项目目录"]
    sheets["考核项目"][0]["考核项目"] = "不存在的项目"
    assert rules(run(tmp_path, sheets)) == {"data.no-catalogue", "staff.assessors", "staff.experts"}


def test_question_bank_and_certificates(tmp_path):
    sheets = clean_register()
    sheets["考核项目"][0]["卷库套数"] = 0
    sheets["考核项目"][1].update(题库道数=0, 取证人次=121)
    found = run(tmp_path, sheets).findings
    assert [(f.rule, f.column, f.severity) for f in found] == [
        ("project.question-bank", "卷库套数", "violation"),
        ("project.certified", "取证人次", "error"),
        ("project.question-bank", "题库道数", "violation")]
    assert found[1].message == "取证人次121多于考核人次120"
    sheets["考核项目"][1]["取证人次"] = 120
    assert len(findings(run(tmp_path, sheets), "project.certified")) == 0
