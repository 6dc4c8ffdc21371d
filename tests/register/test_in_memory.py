"""The in-memory register (`builders.register_of`, used by the rule tests) is the register
that reading the same rows from a real workbook gives: same tables, same findings."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import (
    AS_OF, check, clean_register, person, register_of, resident, score_row, uscc, write_register,
)

from sheetkit.engine import validate
from sheetkit.register.model import SHEETS


def _variants():
    clean = clean_register(2)
    odd = clean_register(2)
    odd["机构"][0].update(备案状态="已备案", 机构代码="SD0001", 备案起始=dt.date(2023, 3, 1), 培训考核年限="三年")
    odd["机构"][1]["统一社会信用代码"] = uscc(2)[:17] + ("0" if uscc(2)[17] != "0" else "1")
    odd["人员"][0].update(身份证号=resident(5)[:17] + "0", 劳动合同终止="长期", 社保缴纳月数=12.5)
    odd["人员"][3]["身份证号"] = int(resident(7)[:17] + "1") if resident(7)[17] != "X" else resident(8)
    odd["人员"].append(person(uscc(9), 900, "考评人员", project="家政服务"))
    odd["场地"][0].update(租赁起始="2026/1/1", 面积=None, 监控全覆盖="否")
    odd["考核项目"][1]["考核项目"] = "咖啡制作"
    odd["续期评分"] = [score_row(uscc(1), f"专家{i}", t, vetoes=(2,) if i == 2 else ()) for i, t in
                      enumerate((59.99, 60, 61.5), 1)]
    odd["设置"] = [{"项目": "发文单位", "值": "济南市人力资源和社会保障局"}, {"项目": "发文日期", "值": dt.date(2026, 11, 25)}]
    two = {"a.xlsx": {"机构": clean_register()["机构"]}, "b.xlsx": {k: v for k, v in clean_register().items()
                                                                   if k != "机构"}}
    return {"clean": (clean, {}), "odd": (odd, {}), "title": (odd, {"title_rows": 2}), "two": (two, {})}


@pytest.mark.parametrize("name", ["clean", "odd", "title", "two"])
@pytest.mark.parametrize("profile", ["shandong-2025", "gansu-2022"])
def test_in_memory_register_gives_what_the_workbook_gives(tmp_path, name, profile):
    sheets, kw = _variants()[name]
    if name == "two":
        folder = tmp_path / "books"
        for fname, book in sheets.items():
            write_register(folder / fname, book)
        on_disk, in_memory = validate([folder], profile=profile, as_of=AS_OF), check(
            sheets, profile=profile, path=str(folder))
    else:
        path = write_register(tmp_path / "r.xlsx", sheets, **kw)
        on_disk, in_memory = validate([path], profile=profile, as_of=AS_OF), check(
            sheets, profile=profile, path=str(path), **kw)
    assert [f.to_dict() for f in in_memory.findings] == [f.to_dict() for f in on_disk.findings]
    if name == "odd":
        assert {"id.uscc", "id.resident", "data.type", "project.catalogue", "data.unknown-institution"} <= {
            f.rule for f in on_disk.findings}
    for spec in SHEETS:
        read, built = on_disk.register[spec.kind], in_memory.register[spec.kind]
        assert [s.info() for s in built.own_sources] == [s.info() for s in read.own_sources]
        assert built.data.drop(columns="_src").equals(read.data.drop(columns="_src")), spec.kind
    assert in_memory.register.settings == on_disk.register.settings


def test_a_formula_needs_a_real_workbook():
    sheets = clean_register()
    sheets["机构"][0]["培训考核年限"] = "=1+2"
    with pytest.raises(ValueError, match="公式"):
        register_of(sheets)


def test_no_register_sheet_is_the_missing_sheet_finding():
    reg = register_of({"说明": [{"项目": "本工作簿没有登记表"}]})
    assert [(f.rule, f.path) for f in reg.findings] == [("data.missing-sheet", "register.xlsx")]
