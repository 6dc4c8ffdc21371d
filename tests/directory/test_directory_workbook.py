"""`write_directory`: the workbook read back with openpyxl — rows, order, statuses, the year
filter, exclusions, safety (no personal data, no formulas), print set-up, charts, CSV."""

from __future__ import annotations

import csv
import zipfile

import openpyxl
import pytest
from builders import uscc
from directory_fixture import (
    FORMULA_NAME, YEAR, directory_register, expected_order, personal_values, write_directory_register,
)

from sheetkit.directory import COLUMNS, write_directory


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("directory")
    sheets = directory_register()
    register = write_directory_register(folder / "register" / "济南.xlsx", sheets)
    result = write_directory([register.parent], folder / "out" / "目录.xlsx", YEAR, csv=True)
    return {"sheets": sheets, "register": register, "result": result,
            "wb": openpyxl.load_workbook(result.xlsx)}


def data_rows(ws) -> list[dict]:
    """Rows under the header (row 2) as dicts."""
    header = [c.value for c in ws[2]]
    return [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=3) if row[0].value is not None]


def test_title_header_and_columns(built):
    ws = built["wb"]["全省"]
    assert ws["A1"].value == "2026年山东省专项职业能力考核机构目录"
    assert "A1:J1" in {str(r) for r in ws.merged_cells.ranges}
    assert tuple(c.value for c in ws[2]) == COLUMNS


def test_rows_in_city_then_name_order(built):
    rows = data_rows(built["wb"]["全省"])
    assert [r["统一社会信用代码"] for r in rows] == expected_order()
    assert [r["序号"] for r in rows] == list(range(1, 8))
    assert [r["所属市"] for r in rows] == ["济南"] * 3 + ["青岛"] * 3 + ["淄博"]


def test_statuses_periods_and_year_filter(built):
    rows = {r["统一社会信用代码"]: r for r in data_rows(built["wb"]["全省"])}
    assert rows[uscc(1)]["备案状态"] == "有效"
    assert rows[uscc(1)]["有效期"] == "自2025年3月至2028年2月"
    assert rows[uscc(1)]["机构代码"] == "SD0001"
    assert rows[uscc(1)]["联系电话"] == "0531-88880000"
    assert rows[uscc(1)]["机构地址"] == "济南市历下区经十路1号"
    assert uscc(2) not in rows  # period ended 2025-05: not valid in 2026
    assert uscc(5) not in rows  # 申请中
    assert rows[uscc(3)]["备案状态"] == "终止备案"  # revoked 2026-06-30
    assert rows[uscc(3)]["有效期"] == "自2024年1月至2026年12月"
    assert rows[uscc(4)]["备案状态"] == "终止备案"  # expired 2026-02 without renewal
    assert rows[uscc(4)]["有效期"] == "自2023年3月至2026年2月"
    assert rows[uscc(10)]["备案状态"] == "有效"  # revocation dated 2027
    assert rows[uscc(8)]["有效期"] == "自2026年1月至2028年12月"


def test_projects_joined_without_deleted(built):
    rows = {r["统一社会信用代码"]: r for r in data_rows(built["wb"]["全省"])}
    assert rows[uscc(1)]["考核项目"] == "中式面点制作、家政服务"
    assert rows[uscc(9)]["考核项目"] == "家政服务"
    ws = built["wb"]["全省"]
    col = COLUMNS.index("考核项目") + 1
    assert ws.cell(row=3, column=col).alignment.wrap_text


def test_error_institution_excluded_and_listed(built):
    rows = data_rows(built["wb"]["全省"])
    assert uscc(7) not in {r["统一社会信用代码"] for r in rows}
    excluded = built["result"].directory.excluded
    assert [x.uscc for x in excluded] == [uscc(7)]
    assert excluded[0].reasons == ("id.resident",)
    assert excluded[0].name == "济南第7职业技能培训学校"
    assert excluded[0].where[0].startswith("人员!C") and excluded[0].where[0].endswith(" 身份证号")


def test_formula_like_name_is_a_string_cell(built):
    ws = built["wb"]["全省"]
    cell = next(row[2] for row in ws.iter_rows(min_row=3) if row[4].value == uscc(6))
    assert cell.value == FORMULA_NAME
    assert cell.data_type == "s"
    for name in built["wb"].sheetnames:  # no formula anywhere
        for row in built["wb"][name].iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_no_personal_data_in_any_cell(built):
    personal = personal_values(built["sheets"])
    assert len(personal) > 50  # 身份证号, names of staff, 法定代表人, 联系人, e-mail
    wb = built["wb"]
    for name in wb.sheetnames:
        for row in wb[name].iter_rows():
            for cell in row:
                text = str(cell.value) if cell.value is not None else ""
                leaked = [p for p in personal if p in text]
                assert not leaked, f"{name}!{cell.coordinate} holds personal data {leaked}"
    text = built["result"].csv.read_text(encoding="utf-8-sig")
    assert not [p for p in personal if p in text]


def test_one_sheet_per_city_and_statistics(built):
    wb = built["wb"]
    assert wb.sheetnames == ["全省", "济南", "青岛", "淄博", "统计"]
    qd = data_rows(wb["青岛"])
    assert [r["统一社会信用代码"] for r in qd] == [uscc(3), uscc(4), uscc(9)]
    assert [r["序号"] for r in qd] == [1, 2, 3]
    assert wb["青岛"]["A1"].value == "2026年山东省专项职业能力考核机构目录（青岛）"
    stats = wb["统计"]
    by_city = {stats.cell(row=r, column=1).value: [stats.cell(row=r, column=c).value for c in (2, 3, 4)]
               for r in range(4, 21)}
    assert by_city["济南"] == [3, 0, 3]
    assert by_city["青岛"] == [1, 2, 3]
    assert by_city["淄博"] == [1, 0, 1]
    assert by_city["菏泽"] == [0, 0, 0]  # every city of the profile is counted
    assert by_city["合计"] == [5, 2, 7]
    projects = {stats.cell(row=r, column=6).value: stats.cell(row=r, column=7).value for r in range(4, 6)}
    assert projects == {"家政服务": 7, "中式面点制作": 6}


def test_charts_exist(built):
    with zipfile.ZipFile(built["result"].xlsx) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart") and n.endswith(".xml"))
        assert len(charts) == 2
        xml = "".join(z.read(n).decode("utf-8") for n in charts)
    assert "<c:barChart>" in xml and "<c:barDir val=\"col\"/>" in xml and "<c:barDir val=\"bar\"/>" in xml
    assert "统计" in xml and "各市考核机构数" in xml and "各考核项目机构数" in xml


@pytest.mark.parametrize("sheet", ["全省", "济南", "青岛", "淄博"])
def test_print_setup_freeze_and_filter(built, sheet):
    ws = built["wb"][sheet]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows == "$2:$2"
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref.startswith("A2:J")
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # fitToWidth absent means 1 (OOXML default); fitToHeight 0 = as many pages as needed
    assert int(ws.page_setup.fitToWidth or 1) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert "第 &P 页 共 &N 页" in ws.oddFooter.center.text


def test_column_widths_fit_chinese(built):
    ws = built["wb"]["全省"]
    dims = list(ws.column_dimensions.values())  # adjacent equal widths are stored as one range
    width = {col: next(d.width for d in dims if d.min <= i <= d.max) for i, col in enumerate(COLUMNS, 1)}
    assert width["统一社会信用代码"] >= 18
    # 济南第10职业技能培训学校: 11 CJK + 2 digits = 24 display columns
    assert width["机构名称"] >= 24
    assert width["有效期"] >= 22  # 自2025年3月至2028年2月: 7 CJK + 8 digits


def test_csv_with_bom(built):
    path = built["result"].csv
    assert path.name == "目录.csv" and path.parent == built["result"].xlsx.parent
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert tuple(rows[0]) == COLUMNS
    assert [r[4] for r in rows[1:]] == expected_order()
    assert rows[1][5] == "中式面点制作、家政服务"
    formula_row = next(r for r in rows[1:] if r[4] == uscc(6))
    assert formula_row[2] == "'" + FORMULA_NAME  # neutralised for Excel


def test_deterministic(built, tmp_path):
    again = write_directory([built["register"].parent], tmp_path / "again.xlsx", YEAR)
    wb2 = openpyxl.load_workbook(again.xlsx)
    wb1 = built["wb"]
    assert wb1.sheetnames == wb2.sheetnames
    for name in wb1.sheetnames:
        v1 = [[c.value for c in row] for row in wb1[name].iter_rows()]
        v2 = [[c.value for c in row] for row in wb2[name].iter_rows()]
        assert v1 == v2


def test_as_of_mid_year_changes_status(built, tmp_path):
    result = write_directory([built["register"].parent], tmp_path / "mid.xlsx", YEAR,
                             as_of=__import__("datetime").date(2026, 1, 31))
    status = {e.uscc: e.status for e in result.directory.entries}
    assert status[uscc(3)] == "有效"  # revoked only on 2026-06-30
    assert status[uscc(4)] == "有效"  # period runs to 2026-02
    assert status[uscc(1)] == "有效"


def test_register_not_modified_and_no_temp_left(built):
    folder = built["result"].xlsx.parent
    assert sorted(p.name for p in folder.iterdir()) == ["目录.csv", "目录.xlsx"]


def test_row_heights_follow_wrapped_lines(built):
    ws = built["wb"]["全省"]
    row_of = {ws.cell(row=r, column=5).value: r for r in range(3, ws.max_row + 1)}
    # the 36-character formula-like name wraps in the 30-wide 机构名称 column: two lines of
    # 15 pt and 8 pt of padding; every row of the sheet is as tall (even heights)
    assert ws.row_dimensions[row_of[uscc(6)]].height == pytest.approx(38, abs=0.5)
    heights = {ws.row_dimensions[r].height for c, r in row_of.items() if c and len(str(c)) == 18}
    assert heights == {ws.row_dimensions[row_of[uscc(6)]].height}
    name = ws.cell(row=row_of[uscc(1)], column=3)
    assert name.alignment.indent == 1  # padding on the left of left-aligned text


def test_imprint_and_printing_the_whole_workbook_once(built, tmp_path):
    import datetime as dt

    wb = built["wb"]
    ws = wb["全省"]
    imprint = [c.value for row in ws.iter_rows(min_row=ws.max_row - 1) for c in row if c.value]
    assert imprint[0] == "发布机关：山东省人力资源和社会保障厅" and imprint[1].startswith("发布日期：")
    assert [wb[c].sheet_state for c in ("济南", "青岛", "淄博")] == ["hidden"] * 3
    assert wb["全省"].sheet_state == "visible" and wb["统计"].sheet_state == "visible"
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks == [5, 8]  # before 青岛 and 淄博 (0-based row ids: rows 6 and 9 in Excel)
    register = built["register"]
    result = write_directory([register.parent], tmp_path / "目录.xlsx", YEAR, issuer="济南市人力资源和社会保障局",
                             published=dt.date(2027, 1, 15))
    ws = openpyxl.load_workbook(result.xlsx)["济南"]
    texts = [c.value for row in ws.iter_rows(min_row=ws.max_row - 1) for c in row if c.value]
    assert texts == ["发布机关：济南市人力资源和社会保障局", "发布日期：2027年1月15日"]
