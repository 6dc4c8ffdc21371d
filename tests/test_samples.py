"""The sample registers in workbooks/: the committed files equal the generator's output,
every planted problem of workbooks/README.md is found where it says, and the clean
institutions stay clean."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from sheetkit.engine import validate

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"
AS_OF = dt.date(2026, 11, 24)
JN, QD = "济南市登记表.xlsx", "青岛市登记表.xlsx"

PLANTED = {
    ("id.uscc", JN, "机构", "A4"),
    ("venue.lease-term", JN, "场地", "G6"),
    ("staff.supervisor", JN, "机构", "A5"),
    ("staff.employers", JN, "人员", "K63"),
    ("project.max-per-institution", JN, "机构", "A6"),
    ("id.resident", JN, "人员", "D75"),
    ("renewal.score", JN, "机构", "A8"),
    ("inst.experience", QD, "机构信息", "O5"),
    ("project.catalogue", QD, "备案项目", "B9"),
    ("renewal.veto", QD, "续期评分", "AW6"),
    ("filing.expired", QD, "机构信息", "A8"),
    ("venue.lease-start", QD, "场地设施", "F10"),
    ("data.type", QD, "人员信息", "H124"),
    ("venue.lease-term", JN, "场地", "G11"),  # renewal judged for the new period
    ("staff.contract", QD, "人员信息", "H139"),  # contracts that ended in 2019 and 2021
    ("staff.contract", QD, "人员信息", "H140"),
    ("staff.exam-admin", QD, "机构信息", "A10"),
}
ELIGIBLE = {"济南市历下区鲁匠职业培训学校", "济南泉安家庭服务有限公司", "青岛海韵烹饪职业培训学校", "青岛崂峰茶业有限公司",
            "济南市家庭服务业协会", "青岛港城职业中等专业学校", "青岛市市北区安心母婴职业培训学校"}


def _grids(path: Path) -> dict[str, list[list]]:
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def test_committed_samples_equal_the_generator_output(tmp_path):
    spec = importlib.util.spec_from_file_location("make_samples", WORKBOOKS / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.main(tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in WORKBOOKS.glob("*.xlsx"))
    for path in written:
        assert _grids(path) == _grids(WORKBOOKS / path.name), f"{path.name} is stale: run make_samples.py"


@pytest.fixture(scope="module")
def report():
    return validate([str(WORKBOOKS)], as_of=AS_OF)


def test_every_planted_problem_is_found(report):
    found = {(f.rule, Path(f.path).name, f.sheet, f.cell) for f in report.findings if f.path}
    assert PLANTED - found == set()


def test_no_other_blocking_problem(report):
    planted_rules = {r for r, *_ in PLANTED}
    unexpected = [(f.rule, f.sheet, f.cell, f.message) for f in report.findings
                  if f.blocking and f.rule not in planted_rules]
    assert unexpected == []
    assert not [f for f in report.findings if f.rule.startswith("data.") and f.rule != "data.type"]


def test_clean_institutions_stay_clean_and_eligible(report):
    names = {i["name"]: i for i in report.to_dict(personal=True)["institutions"]}
    assert len(names) == 18
    assert {n for n, i in names.items() if i["eligible"]} == ELIGIBLE
    for name in ELIGIBLE:
        assert names[name]["reasons"] == [], name
    # 终止备案: no problem of its own, not eligible for anything but its 撤销 letter
    removed = names["济南市长清区康宁职业培训学校"]
    assert removed["reasons"] == ["letters.status"] and removed["documents"]["revoke"]["due"] is True
    assert not [f for f in report.findings if f.institution == removed["uscc"] and f.blocking]
    renewals = {n: i["renewal"]["result"] for n, i in names.items() if "renewal" in i}
    assert renewals == {"济南市家庭服务业协会": "合格", "济南天桥数码职业培训学校": "不合格",
                        "青岛港城职业中等专业学校": "合格", "青岛数联科技职业培训学校": "不合格",
                        "济南历下区明德职业培训学校": "合格"}  # scores pass; the lease blocks the receipt
    assert names["济南天桥数码职业培训学校"]["renewal"]["score"] == 59.99  # 59.9967, never rounded up to 60


def test_reader_copes_with_the_jinan_staff_sheet(report):
    src = next(s for s in report.register.sources if s.path.endswith(JN) and s.kind == "人员")
    assert src.header_row == 3 and "序号" in src.extra
    staff = report.register["人员"].data
    jinan = staff[staff["_src"] == report.register.sources.index(src)]
    assert jinan["统一社会信用代码"].notna().all()
    assert jinan["_row"].iloc[0] == 4
