"""`sheetkit init`: the blank register template, read back with openpyxl."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from click.testing import CliRunner

from builders import AS_OF, clean_register, score_row, uscc
from sheetkit.cli import cli
from sheetkit.engine import validate
from sheetkit.register.model import SHEETS, BY_KIND
from sheetkit.register.template import FILENAME


def init(tmp_path, *args):
    return CliRunner().invoke(cli, ["init", str(tmp_path), *args])


@pytest.fixture
def template(tmp_path):
    result = init(tmp_path)
    assert result.exit_code == 0, result.output
    return tmp_path / FILENAME


def validations(ws) -> dict[str, object]:
    """Column letter of each validation's range → the validation."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            out[rng.split(":")[0].rstrip("0123456789")] = dv
    return out


def col_letter(spec, name):
    from openpyxl.utils import get_column_letter

    return get_column_letter(spec.names.index(name) + 1)


def test_every_sheet_in_model_order_with_headers(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == [s.kind for s in SHEETS] + ["说明"]
    for spec in SHEETS:
        ws = wb[spec.kind]
        assert [c.value.split()[0] for c in ws[1]] == spec.names  # 续期评分: 「1 基本情况（1分）」
        assert ws.freeze_panes in ("A2", "B2")
        assert ws.column_dimensions["A"].width >= 10


def test_drop_downs_for_enumerations_cities_and_yes_no(template):
    wb = openpyxl.load_workbook(template)
    inst = validations(wb["机构"])
    spec = BY_KIND["机构"]
    city = inst[col_letter(spec, "所属市")]
    assert city.type == "list"
    assert city.formula1.strip('"').split(",")[:3] == ["济南", "青岛", "淄博"]
    assert len(city.formula1.strip('"').split(",")) == 16
    assert inst[col_letter(spec, "备案状态")].formula1 == '"申请中,已备案,终止备案"'
    assert inst[col_letter(spec, "独立考核部门")].formula1 == '"是,否"'
    assert str(inst[col_letter(spec, "独立考核部门")].sqref) == "N2:N501"
    staff = validations(wb["人员"])
    assert staff[col_letter(BY_KIND["人员"], "用工形式")].formula1 == '"专职,兼职"'
    roles = staff[col_letter(BY_KIND["人员"], "岗位")].formula1.strip('"').split(",")
    assert roles == list(BY_KIND["人员"].column("岗位").values)
    venues = validations(wb["场地"])
    assert venues[col_letter(BY_KIND["场地"], "监控全覆盖")].formula1 == '"是,否"'


def test_cities_come_from_the_profile(tmp_path):
    result = init(tmp_path, "--profile", "gansu-2022")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / FILENAME)
    city = validations(wb["机构"])[col_letter(BY_KIND["机构"], "所属市")]
    assert "临夏" in city.formula1 and "济南" not in city.formula1
    assert wb["设置"]["B4"].value == "gansu-2022"
    # gansu-2022 switches off the rule that needs 社保缴纳月数: its note says it is optional.
    staff = wb["人员"]
    note = staff[f"{col_letter(BY_KIND['人员'], '社保缴纳月数')}1"].comment.text
    assert "选填" in note and "不检查" in note


def test_date_and_text_formats(template):
    wb = openpyxl.load_workbook(template)
    ws = wb["人员"]
    spec = BY_KIND["人员"]
    idc = col_letter(spec, "身份证号")
    assert ws[f"{idc}2"].number_format == "@" and ws[f"{idc}501"].number_format == "@"
    assert ws.column_dimensions[idc].number_format == "@"
    assert ws[f"{col_letter(spec, '统一社会信用代码')}2"].number_format == "@"
    start = col_letter(spec, "劳动合同起始")
    assert ws[f"{start}2"].number_format == "yyyy-mm-dd"
    assert wb["机构"][f"{col_letter(BY_KIND['机构'], '备案起始')}300"].number_format == "yyyy-mm-dd"
    assert ws[f"{col_letter(spec, '姓名')}2"].number_format == "General"


def test_header_comments_explain_type_requirement_and_note(template):
    wb = openpyxl.load_workbook(template)
    ws = wb["人员"]
    spec = BY_KIND["人员"]
    text = ws[f"{col_letter(spec, '身份证号')}1"].comment.text
    assert "身份证号(18位)" in text and "必填" in text and "GB 11643-1999" in text and "文本格式" in text
    contract = ws[f"{col_letter(spec, '劳动合同起始')}1"].comment.text
    assert "“用工形式”为专职时必填" in contract and "专职人员劳动合同期限" in contract
    role = ws[f"{col_letter(spec, '岗位')}1"].comment.text
    assert "所长→负责人" in role
    for spec in SHEETS:
        for cell in wb[spec.kind][1]:
            assert cell.comment is not None and cell.comment.text.startswith(cell.value)


def test_refuses_to_overwrite_without_force(template, tmp_path):
    template.write_bytes(b"staff work")
    result = init(tmp_path)
    assert result.exit_code == 2
    assert "已存在" in result.output and "--force" in result.output
    assert template.read_bytes() == b"staff work"
    result = init(tmp_path, "--force")
    assert result.exit_code == 0
    assert openpyxl.load_workbook(template).sheetnames[0] == "机构"
    assert [p.name for p in tmp_path.iterdir()] == [FILENAME]  # no temporary file left behind
    assert template.stat().st_mode & 0o044 == 0o044  # readable by the office, not private


def test_creates_the_folder(tmp_path):
    result = init(tmp_path / "new" / "dir")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new" / "dir" / FILENAME).is_file()


def test_blank_template_validates_without_a_crash(template):
    report = validate([str(template)], as_of=AS_OF)
    assert report.to_dict(personal=True)["institutions"] == []
    assert [s["kind"] for s in report.files[0]["sheets"]] == [s.kind for s in SHEETS]
    assert all(s["header_row"] == 1 for s in report.files[0]["sheets"])
    assert not [f for f in report.findings if f.rule.startswith("data.") or f.rule.startswith("id.")]


def _fill(ws, rows):
    header = [c.value.split()[0] if ws.title == "续期评分" else c.value for c in ws[1]]
    for r, row in enumerate(rows, 2):
        for c, name in enumerate(header, 1):
            value = row.get(name)
            if value not in (None, ""):
                ws.cell(row=r, column=c, value=value)


def test_template_filled_with_clean_rows_validates_clean(template):
    sheets = clean_register(2)
    code = uscc(1)
    sheets["机构"][0].update(备案状态="已备案", 机构代码="JN2024001", 备案起始=dt.date(2024, 1, 1))
    sheets["场地"][0].update(租赁起始=dt.date(2023, 12, 1))
    sheets["续期评分"] = [score_row(code, f"专家{i}", total=80 + i) for i in range(3)]
    wb = openpyxl.load_workbook(template)
    for kind, rows in sheets.items():
        _fill(wb[kind], rows)
    wb.save(template)
    report = validate([str(template)], as_of=dt.date(2026, 11, 22))
    blocking = [(f.rule, f.sheet, f.cell, f.message) for f in report.findings if f.blocking]
    assert blocking == []
    assert [i["eligible"] for i in report.to_dict(personal=True)["institutions"]] == [True, True]
    ids = report.register["人员"].data["身份证号"]
    assert ids.tolist() == [r["身份证号"] for r in sheets["人员"]]


def test_a_long_city_list_goes_on_a_hidden_sheet_the_reader_ignores(tmp_path):
    cities = [f"第{i}示范市" for i in range(1, 61)]
    profile = tmp_path / "many.toml"
    profile.write_text('extends = "shandong-2025"\ncities = [' + ", ".join(f'"{c}"' for c in cities) + "]\n",
                       encoding="utf-8")
    result = init(tmp_path, "--profile", str(profile))
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / FILENAME)
    assert wb.sheetnames[-1] == "下拉选项" and wb["下拉选项"].sheet_state == "hidden"
    assert [c.value for c in wb["下拉选项"]["A"]] == cities
    city = validations(wb["机构"])[col_letter(BY_KIND["机构"], "所属市")]
    assert city.formula1 == "'下拉选项'!$A$1:$A$60"
    report = validate([str(tmp_path / FILENAME)], profile=str(profile), as_of=AS_OF)
    assert "下拉选项" not in [s["name"] for s in report.files[0]["sheets"]]


def test_notes_speak_to_staff_and_a_sheet_explains_the_colours(template):
    import re

    wb = openpyxl.load_workbook(template)
    for spec in SHEETS:
        for cell in wb[spec.kind][1]:
            assert not re.search(r"[a-z]+\.[a-z-]+|--|sheetkit", cell.comment.text), cell.comment.text
    text = "".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "必填" in text and "选填" in text and "下拉" in text
    fills = {c.value: c.fill.fgColor.rgb for c in wb["说明"]["A"] if c.value}
    header = wb["机构"]["A1"]
    assert fills["橙色表头"].endswith(header.fill.fgColor.rgb[-6:])


def test_scores_are_named_bounded_and_codes_and_projects_are_drop_downs(template):
    from sheetkit.register.model import SCORE_MAXIMA
    from sheetkit.scoresheet import ITEMS

    wb = openpyxl.load_workbook(template)
    ws = wb["续期评分"]
    spec = BY_KIND["续期评分"]
    checks = validations(ws)
    for i, top in enumerate(SCORE_MAXIMA, 1):
        cell = ws[f"{col_letter(spec, str(i))}1"]
        assert cell.value == f"{i} {ITEMS[i - 1][1]}（{top}分）"
        dv = checks[col_letter(spec, str(i))]
        assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0", str(top))
    assert ws["D1"].value == "1 基本情况（1分）" and ws[f"{col_letter(spec, '21')}1"].value == "21 考核方式、内容和时长（2分）"
    for kind in ("人员", "场地", "考核项目", "续期评分"):
        dv = validations(wb[kind])[col_letter(BY_KIND[kind], "统一社会信用代码")]
        assert dv.type == "list" and dv.formula1 == "'机构'!$A$2:$A$501", kind
    dv = validations(wb["考核项目"])[col_letter(BY_KIND["考核项目"], "考核项目")]
    assert dv.formula1 == "'项目目录'!$A$2:$A$501"
