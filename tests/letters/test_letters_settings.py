"""Each city's workbook signs its own letters; a blank 备案起始 uses the run's date."""

from __future__ import annotations

import datetime as dt

from builders import AS_OF, clean_register, institution, project, staff_for, uscc, venues_for, write_register
from docx import Document

from sheetkit.letters import render_letters


def _text(path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.extend(c.text for row in table.rows for c in row.cells)
    return "\n".join(parts)


def _city_register(n: int, city: str, issuer: str, **over) -> dict:
    sheets = {"机构": [institution(n, 所属市=city, **over)], "人员": staff_for(uscc(n), ["中式面点制作"], start=n * 100),
              "场地": venues_for(uscc(n)), "考核项目": [project(uscc(n), "中式面点制作")],
              "设置": [{"项目": "发文单位", "值": issuer}, {"项目": "发文日期", "值": dt.date(2026, 11, 30)}]}
    return sheets


def test_each_workbook_signs_its_own_letters(tmp_path):
    folder = tmp_path / "in"
    write_register(folder / "济南.xlsx", _city_register(1, "济南", "济南市人力资源和社会保障局"))
    write_register(folder / "青岛.xlsx", _city_register(2, "青岛", "青岛市人力资源和社会保障局"))
    write_register(folder / "目录.xlsx", {"项目目录": clean_register()["项目目录"]})
    result = render_letters([folder], "filing", tmp_path / "out", as_of=AS_OF)
    by_code = {g["institution"]: g for g in result.generated}
    assert by_code[uscc(1)]["issuer"] == "济南市人力资源和社会保障局"
    assert by_code[uscc(2)]["issuer"] == "青岛市人力资源和社会保障局"
    assert "青岛市人力资源和社会保障局" in _text(by_code[uscc(2)]["path"])
    assert "济南市人力资源和社会保障局" not in _text(by_code[uscc(2)]["path"])
    assert "2026年11月30日" in _text(by_code[uscc(2)]["path"])


def test_issuer_option_wins_over_the_workbooks(tmp_path):
    folder = tmp_path / "in"
    write_register(folder / "青岛.xlsx", _city_register(2, "青岛", "青岛市人力资源和社会保障局"))
    result = render_letters([folder], "filing", tmp_path / "out", as_of=AS_OF, issuer="山东省人力资源和社会保障厅")
    assert [g["issuer"] for g in result.generated] == ["山东省人力资源和社会保障厅"]


def test_blank_filing_start_uses_the_run_date(tmp_path):
    folder = tmp_path / "in"
    write_register(folder / "济南.xlsx", _city_register(1, "济南", "济南市人力资源和社会保障局", 备案起始=None))
    result = render_letters([folder], "filing", tmp_path / "out", as_of=dt.date(2026, 11, 22))
    text = _text(result.generated[0]["path"])
    assert "自2026年11月至2029年10月" in text
    assert "nan" not in text
