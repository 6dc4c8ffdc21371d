"""附件5 备案续期申请表 (`sheetkit letters application`): pre-filled for each 已备案
institution due for renewal with what the register knows, the rest left blank."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from builders import AS_OF, clean_register, uscc, venues_for, write_register
from click.testing import CliRunner

from sheetkit.cli import cli


@pytest.fixture
def register(tmp_path):
    sheets = clean_register(3)
    filed = {"备案状态": "已备案", "备案起始": dt.date(2023, 12, 1)}
    sheets["机构"][0].update(filed, 机构代码="SD2023001")  # ends 2026-11-30: due
    sheets["机构"][1].update(filed, 机构代码="SD2023002", 备案起始=dt.date(2025, 3, 1))  # ends 2028: not due
    for row in sheets["考核项目"]:
        if row["统一社会信用代码"] == uscc(1) and row["考核项目"] == "家政服务":
            row.update(考核人次=0, 取证人次=0, 卷库套数=3, 题库道数=150, 首次考核日期=None)
        elif row["统一社会信用代码"] == uscc(1):
            row.update(考核人次=120, 取证人次=100, 首次考核日期=dt.date(2024, 3, 1))
    sheets["场地"] += venues_for(uscc(1), 产权类型="自有", 不动产权证号="鲁(2020)济南市不动产权第1号",
                                 场地地址="济南市历下区经十路2号", 场地用途="考核")
    return write_register(tmp_path / "r.xlsx", sheets)


def _cells(path: Path) -> list[list[str]]:
    doc = docx.Document(str(path))
    return [[c.text for c in row.cells] for row in doc.tables[0].rows]


def _value(rows, label) -> list[str]:
    """The first row with ``label`` in one of its first three cells, from that cell on
    (a merged cell repeats in each grid column it spans)."""
    row = next(r for r in rows if label in r[:3])
    return row[row.index(label):]


def test_the_form_is_filled_from_the_register(register, tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["letters", "application", str(register), "-o", str(out),
                                   "--as-of", AS_OF.isoformat(), "--within", "90"])
    assert res.exit_code == 0, res.output
    (form,) = out.glob("application_*.docx")
    assert uscc(1) in form.name
    rows = _cells(form)
    assert _value(rows, "考核机构名称")[1] == "济南第1职业技能培训学校"
    assert _value(rows, "考核机构地址")[1] == "济南市历下区经十路1号"
    code = _value(rows, "考核机构代码")
    assert code[1] == "SD2023001" and code[2] == "统一社会信用代码" and code[3] == uscc(1)
    contact = _value(rows, "联系人")
    assert contact[1] == "李1" and contact[2] == "职务" and contact[3] == ""  # left for the institution
    phone = _value(rows, "联系电话")
    assert phone[1] == "0531-88880000" and phone[3] == "jg1@example.cn"
    assert _value(rows, "主体资质是否变更")[1] == "是□　否□"
    assert _value(rows, "当前备案期限")[1] == "自2023年12月至2026年11月"
    assert _value(rows, "备案期内是否开展考核")[1] == "是☑　否□　备案期内初次考核时间：2024年3月1日"
    projects = [r[1:] for r in rows if r[0] == "考核情况"]
    assert projects == [["考核项目", "考核人次", "取证人次", "通过率"], ["中式面点制作", "120", "100", "83.33%"],
                        ["家政服务", "0", "0", ""]]
    assert _value(rows, "考核场地情况")[1] == "自有场地☑　租用场地☑"
    assert _value(rows, "场地地址")[1] == "济南市历下区经十路1号；济南市历下区经十路2号"
    staff = {r[2]: r[3] for r in rows if r[1] == "人员情况"}
    assert staff == {"考评人员数量": "6", "督导人员数量": "2", "命题专家数量": "4", "工作人员数量": "6"}
    banks = [r[2:] for r in rows if r[1] == "考核题库情况"]
    assert banks == [["考核项目", "卷库(套)", "题库(道)"], ["中式面点制作", "5", "300"], ["家政服务", "3", "150"]]
    text = "\n".join(p.text for p in docx.Document(str(form)).paragraphs)
    assert "专项职业能力考核机构备案续期申请表" in text and "本表需正反面打印报送" in text


def test_only_due_institutions_and_gansu_has_no_annex_5(register, tmp_path):
    res = CliRunner().invoke(cli, ["letters", "application", str(register), "-o", str(tmp_path / "a"),
                                   "--as-of", AS_OF.isoformat(), "--within", "2000"])
    assert res.exit_code == 0, res.output
    assert {p.name.split("_")[1] for p in (tmp_path / "a").glob("application_*.docx")} == {uscc(1), uscc(2)}
    res = CliRunner().invoke(cli, ["letters", "application", str(register), "-o", str(tmp_path / "g"),
                                   "--profile", "gansu-2022", "--as-of", AS_OF.isoformat()])
    assert res.exit_code == 2 and "application.docx" in res.stderr
