"""附件4 score sheets: generated for the institutions due for renewal, filled by the test
with openpyxl (three evaluators), dropped back into the register folder, read as 续期评分
rows, and the renewal result checked against hand-computed figures."""

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from builders import AS_OF, clean_register, institution, uscc, write_register
from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.engine import validate
from sheetkit.register import read_register
from sheetkit.register.model import SCORE_MAXIMA
from sheetkit.register.scoresheet_reader import FIRST_ITEM_ROW, TOTAL_ROW, item_cell, veto_cell
from sheetkit.scoresheet import ITEMS, VETOES, file_name, full_width, safe_name, scoresheets

SEEDS = Path(__file__).resolve().parents[1] / "seeds"  # the two notices, a copy of shared/seeds
NAME = "济南第1职业技能培训学校"


def _register(folder: Path) -> Path:
    sheets = clean_register(1)
    sheets["机构"] = [institution(1, 备案状态="已备案", 机构代码="JN001", 备案起始=dt.date(2023, 12, 1))]
    for v in sheets["场地"]:
        v["租赁起始"] = dt.date(2023, 1, 1)
    # a second, not yet due institution gets no sheet
    sheets["机构"].append(institution(2, 备案状态="已备案", 机构代码="JN002", 备案起始=dt.date(2025, 6, 1)))
    return write_register(folder / "register.xlsx", sheets)


def _fill(path: Path, expert: str, day: dt.date, lost: dict[int, float], vetoes=(), out: Path | None = None):
    """Fill a generated sheet as an evaluator would: full marks except ``lost`` points."""
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["C4"] = expert
    ws["F4"] = day
    for i, top in enumerate(SCORE_MAXIMA, 1):
        ws[item_cell(i)] = top - lost.get(i, 0)
    for i in range(1, 11):
        ws[veto_cell(i)] = "是" if i in vetoes else "否"
    wb.save(out or path)
    return out or path


def test_generated_sheet_content(tmp_path):
    reg = _register(tmp_path)
    written = scoresheets([reg], tmp_path / "out", as_of=AS_OF, within=180)
    assert [w.uscc for w in written] == [uscc(1)]
    path = written[0].path
    assert path.name == f"续期评估明细表-{uscc(1)}-{NAME}.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws.title == "续期评估明细表"
    assert (ws["C2"].value, ws["F2"].value, ws["C3"].value, ws["F3"].value) == (NAME, "JN001", uscc(1), "济南")
    assert ws["C4"].value is None and ws["F4"].value is None
    # the 43 lines: number, criteria, maximum; 一级/二级 merged over their lines
    for i, ((_, _, text), top) in enumerate(zip(ITEMS, SCORE_MAXIMA), 1):
        r = FIRST_ITEM_ROW + i - 1
        assert (ws[f"A{r}"].value, ws[f"D{r}"].value, ws[f"E{r}"].value) == (i, full_width(text), top)
    assert ws["B6"].value == "机构信用\n（3分）" and "B6:B8" in {str(m) for m in ws.merged_cells.ranges}
    assert ws[f"C{FIRST_ITEM_ROW + 28}"].value == "考生成果成绩管理"  # item 29, misaligned in the seed
    scores = f"F{FIRST_ITEM_ROW}:F{TOTAL_ROW - 1}"
    assert ws[f"F{TOTAL_ROW}"].value == f'=IF(COUNT({scores})=0,"",SUM({scores}))'  # blank form: no 「0」
    assert [ws[f"D{r}"].value for r in range(TOTAL_ROW + 2, TOTAL_ROW + 12)] == [full_width(v) for v in VETOES]
    assert {ws[f"E{r}"].value for r in range(TOTAL_ROW + 2, TOTAL_ROW + 12)} == {"是□　否□"}
    assert "字祥" in ws[f"D{TOTAL_ROW + 9}"].value  # the notice's own typo, as printed there
    texts = [str(c.value) for row in ws.iter_rows(max_row=TOTAL_ROW + 14, max_col=6) for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if set(t) & set("(),;:") and not t.startswith("=")]
    assert ws["B21"].value == "考核组织实施\n（32分）"  # 「（32分）」 never split
    # printed: name in the header from page 2 on, page numbers, no tool footer
    assert ws.HeaderFooter.differentFirst and NAME in ws.oddHeader.left.text and not ws.firstHeader.left.text
    assert "&P" in ws.oddFooter.center.text and "&P" in ws.firstFooter.center.text
    assert ws.print_area == f"'续期评估明细表'!$A$1:$F${TOTAL_ROW + 14}"
    assert not [t for t in texts if "sheetkit" in t]
    # data validation: each score cell 0…its maximum; vetoes 是/否
    limits = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in ws[rng.coord] if ":" in rng.coord else [[ws[rng.coord]]]:
                for cell in row:
                    limits[cell.coordinate] = (dv.type, dv.formula1, dv.formula2)
    for i, top in enumerate(SCORE_MAXIMA, 1):
        assert limits[item_cell(i)] == ("decimal", "0", str(top))
    assert all(limits[veto_cell(i)] == ("list", '"是,否"', None) for i in range(1, 11))
    # printable, recognisable, protected with the inputs unlocked
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert "sheetkit_scoresheet" in wb.defined_names
    assert ws.protection.sheet and not ws["C4"].protection.locked and ws["C3"].protection.locked
    assert not ws[item_cell(7)].protection.locked


def test_items_are_the_seed_text():
    seed = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    annex = seed[seed.index("附件 4"):seed.index("附件 5")]
    for first, second, text in ITEMS:
        assert f"| {text} |" in annex, text
        assert first in annex and second in annex
    for text in VETOES:
        assert f"| {text} |" in annex


def test_round_trip_three_evaluators(tmp_path):
    reg_dir = tmp_path / "register"
    _register(reg_dir)
    out = tmp_path / "sheets"
    written = scoresheets([reg_dir], out, as_of=AS_OF, within=180, copies=3)
    paths = [w.path for w in written]
    assert [p.name[-9:] for p in paths] == ["-专家1.xlsx", "-专家2.xlsx", "-专家3.xlsx"]
    # totals by hand: 100 − 2.5 = 97.5; 100 − (4+3+3+5+4+2) = 79; 100 − 33.75 = 66.25
    _fill(paths[0], "王评估", dt.date(2026, 10, 15), {1: 0.5, 14: 2})
    _fill(paths[1], "李评估", dt.date(2026, 10, 15), {10: 4, 11: 3, 12: 3, 26: 5, 41: 4, 42: 2})
    _fill(paths[2], "赵评估", dt.date(2026, 10, 16), {4: 3, 5: 2, 13: 3, 14: 5, 15: 2, 22: 3, 25: 3,
                                                    32: 4, 33: 4, 40: 2, 41: 2.75})
    for p in paths:
        shutil.copy(p, reg_dir / p.name)
    shutil.copy(paths[0], reg_dir / "空白表.xlsx")  # overwritten below with a blank copy
    blank = scoresheets([reg_dir / "register.xlsx"], tmp_path / "blank", as_of=AS_OF, within=180)[0].path
    shutil.copy(blank, reg_dir / "空白表.xlsx")  # a blank form in the folder is not a score row

    register = read_register([reg_dir])
    table = register["续期评分"]
    assert len(table) == 3
    rows = table.data.sort_values("评估专家")
    assert sorted(rows["评估专家"]) == ["李评估", "王评估", "赵评估"]
    wang = table.data.index[table.data["评估专家"] == "王评估"][0]
    assert table.data.at[wang, "1"] == 0.5 and table.data.at[wang, "14"] == 3
    assert table.data.at[wang, "评估日期"].date() == dt.date(2026, 10, 15)
    loc = table.location(wang, "14")
    assert loc["cell"] == item_cell(14) == "F19" and loc["path"].endswith("-专家1.xlsx")
    assert loc["row"] == 19  # the row of the cell, not the 评估专家 row
    assert table.location(wang, "不合格项3")["cell"] == veto_cell(3)

    report = validate([reg_dir], as_of=AS_OF)
    (inst,) = [i for i in report.to_dict(personal=True)["institutions"] if i["uscc"] == uscc(1)]
    renewal = inst["renewal"]
    assert renewal["score"] == 80.91  # (97.5 + 79 + 66.25) / 3 = 80.9166…, cut to 2 decimals, never rounded
    assert renewal["result"] == "合格" and renewal["vetoes"] == []
    assert sorted((e["name"], e["total"]) for e in renewal["experts"]) == [
        ("李评估", 79.0), ("王评估", 97.5), ("赵评估", 66.25)]
    assert renewal["period"]["text"] == "自2026年12月至2029年11月"
    assert not [f for f in report.findings if f.rule.startswith("renewal.") or f.rule == "data.unreadable"]


def test_veto_and_out_of_range_point_at_the_sheet_cell(tmp_path):
    reg_dir = tmp_path / "register"
    _register(reg_dir)
    paths = [w.path for w in scoresheets([reg_dir], tmp_path / "s", as_of=AS_OF, within=180, copies=3)]
    _fill(paths[0], "王评估", dt.date(2026, 10, 15), {})
    _fill(paths[1], "李评估", dt.date(2026, 10, 15), {}, vetoes=(9,))
    _fill(paths[2], "赵评估", dt.date(2026, 10, 15), {7: -2})  # 5 in a 3-point line (Excel would refuse)
    for p in paths:
        shutil.copy(p, reg_dir / p.name)
    report = validate([reg_dir], as_of=AS_OF)
    renewal = next(i for i in report.to_dict(personal=True)["institutions"] if i["uscc"] == uscc(1))["renewal"]
    assert renewal["result"] == "不合格" and renewal["vetoes"] == [9]
    veto = next(f for f in report.findings if f.rule == "renewal.veto")
    assert veto.cell == veto_cell(9) and veto.path.endswith("-专家2.xlsx")
    rng = next(f for f in report.findings if f.rule == "renewal.score-range")
    assert rng.cell == item_cell(7) and rng.path.endswith("-专家3.xlsx") and rng.value == 5
    assert rng.row == int(item_cell(7)[1:])


def test_changed_layout_is_reported_not_misread(tmp_path):
    reg_dir = tmp_path / "register"
    _register(reg_dir)
    path = scoresheets([reg_dir], tmp_path / "s", as_of=AS_OF, within=180)[0].path
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.protection.sheet = False
    ws.insert_rows(3)
    ws["C5"] = "王评估"
    wb.save(reg_dir / "moved.xlsx")
    report = validate([reg_dir], as_of=AS_OF)
    bad = [f for f in report.findings if f.rule == "data.unreadable"]
    assert len(bad) == 1 and bad[0].path.endswith("moved.xlsx") and "格式被改动" in bad[0].message


def test_existing_sheet_is_not_overwritten_and_cli(tmp_path):
    reg = _register(tmp_path)
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["scoresheet", str(reg), "-o", str(out), "--as-of", "2026-11-22"])
    assert res.exit_code == 0, res.output
    target = out / file_name(uscc(1), NAME)
    assert target.exists() and "共 1 份评分表" in res.output
    _fill(target, "王评估", dt.date(2026, 10, 15), {})
    res = CliRunner().invoke(cli, ["scoresheet", str(reg), "-o", str(out), "--as-of", "2026-11-22"])
    assert res.exit_code == 0 and "未覆盖" in res.output
    assert openpyxl.load_workbook(target).active["C4"].value == "王评估"
    res = CliRunner().invoke(cli, ["scoresheet", str(reg), "-o", str(out), "--as-of", "2026-11-22", "--within", "5"])
    assert "没有需要续期评估的已备案机构" in res.output


def test_register_values_are_written_as_data(tmp_path):
    from sheetkit.scoresheet import write_scoresheets

    (w,) = write_scoresheets([{"uscc": uscc(1), "name": '=HYPERLINK("http://x","点我")', "code": "=1+1",
                               "city": "济南"}], tmp_path)
    ws = openpyxl.load_workbook(w.path).active
    assert ws["C2"].data_type == "s" and ws["C2"].value == '=HYPERLINK("http://x","点我")'
    assert ws["F2"].data_type == "s" and ws["F2"].value == "=1+1"
    assert w.path.parent == tmp_path and "/" not in w.path.name[len("续期评估明细表-"):]


def test_safe_file_names():
    assert safe_name('济南/第1:学校*?"<>|') == "济南_第1_学校"
    assert safe_name("..\\..\\etc") == "etc"
    assert safe_name("") == "未命名"
    assert "/" not in file_name(uscc(1), "a/b")


@pytest.mark.libreoffice
def test_sheet_saved_again_by_libreoffice_is_still_recognised(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not on PATH: cannot re-save the sheet as an office suite would")
    import subprocess

    reg_dir = tmp_path / "register"
    _register(reg_dir)
    path = scoresheets([reg_dir], tmp_path / "s", as_of=AS_OF, within=180)[0].path
    _fill(path, "王评估", dt.date(2026, 10, 15), {1: 0.5, 14: 2})
    out = tmp_path / "resaved"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    shutil.copy(out / path.name, reg_dir / path.name)
    register = read_register([reg_dir])
    table = register["续期评分"]
    assert len(table) == 1 and table.data.at[0, "评估专家"] == "王评估"
    assert table.data.at[0, "1"] == 0.5 and table.data.at[0, "14"] == 3
    assert table.location(0, "14")["cell"] == "F19"


def test_a_file_that_cannot_be_read_is_named(tmp_path):
    """`scoresheet` on a folder with an unreadable workbook names it on stderr (as `letters`
    does) instead of answering only 「没有需要续期评估的已备案机构」."""
    folder = tmp_path / "登记表"
    folder.mkdir()
    bad = folder / "济南.xlsx"
    bad.write_bytes(b"this is not a workbook")
    written = scoresheets([str(folder)], tmp_path / "out", as_of=AS_OF, within=180)
    assert list(written) == [] and {f.path for f in written.unread} == {str(bad)}
    res = CliRunner().invoke(cli, ["scoresheet", str(folder), "-o", str(tmp_path / "out"), "--as-of", "2026-11-22"])
    assert res.exit_code == 0
    assert f"无法使用：{bad}：" in res.stderr
