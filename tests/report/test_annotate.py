"""Annotated copies: the right cells are filled and commented, everything else is kept,
and the input file is never written."""

import hashlib
import shutil
import subprocess

import openpyxl
import pytest
from builders import AS_OF, clean_register, write_register
from openpyxl.comments import Comment
from openpyxl.styles import Font

from sheetkit.engine import validate
from sheetkit.report.layout import wrapped_lines
from sheetkit.report.annotate import CELL_FILL, LIST_SHEET, ROW_TINT, SUFFIX, annotate, copy_name

RED, AMBER = CELL_FILL["error"], CELL_FILL["warning"]
VENUE_COLUMNS = ["统一社会信用代码", "场地用途", "场地地址", "产权类型", "不动产权证号", "租赁起始", "租赁终止", "面积"]


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def broken_register():
    """One institution with four data problems (and, as 机构 row 3, a staff shortage)."""
    reg = clean_register()
    staff = reg["人员"]
    staff[0]["身份证号"] = "370102198001010001"  # id.resident → 人员!C3 (title row, header row 2)
    staff[1]["姓名"] = ""  # data.required → 人员!B4
    reg["机构"][0]["信用状况"] = "很好"  # data.enum → 机构!M3
    # drop both 内部质量督导人员: staff.supervisor on the institution's row
    reg["人员"] = [p for p in staff if p["岗位"] != "内部质量督导人员"]
    return reg


@pytest.fixture
def register_file(tmp_path):
    """The broken register, dressed like a real workbook: a merged title row, a number
    format, a bold cell, a column width, an existing comment and a formula sheet."""
    path = write_register(tmp_path / "in" / "济南.xlsx", broken_register(), title_rows=1,
                          columns={"场地": VENUE_COLUMNS})  # 场地 lacks 监控全覆盖
    wb = openpyxl.load_workbook(path)
    inst = wb["机构"]
    inst["L3"].number_format = "yyyy年m月d日"  # 备案起始
    people = wb["人员"]
    people["D5"].font = Font(bold=True, color="FF0000FF")
    people["D5"].comment = Comment("原有批注", "staff")
    people.column_dimensions["B"].width = 23.5
    people["C3"].comment = Comment("请核对身份证复印件", "staff")  # a cell that also gets a finding
    notes = wb.create_sheet("说明")
    notes["A1"] = 2
    notes["A2"] = "=A1*3"
    notes.merge_cells("B1:C2")
    notes["B1"] = "填表说明"
    wb.save(path)
    return path


@pytest.fixture
def annotated(register_file, tmp_path):
    before = sha256(register_file)
    report = validate([register_file], as_of=AS_OF)
    results = annotate(report, tmp_path / "out")
    assert sha256(register_file) == before, "the input workbook was modified"
    assert len(results) == 1 and results[0].output == tmp_path / "out" / f"济南{SUFFIX}"
    return report, openpyxl.load_workbook(results[0].output)


def finding(report, rule, **where):
    hits = [f for f in report.findings if f.rule == rule and all(getattr(f, k) == v for k, v in where.items())]
    assert hits, f"no {rule} finding {where}: {[(f.rule, f.cell) for f in report.findings]}"
    return hits[0]


def test_bad_id_number_is_red_with_message_rule_and_clause(annotated):
    report, wb = annotated
    f = finding(report, "id.resident")
    assert (f.sheet, f.cell) == ("人员", "C3")
    cell = wb["人员"]["C3"]
    assert cell.fill.fgColor.rgb == RED
    assert f.message in cell.comment.text and "校验码" in cell.comment.text
    assert "规则：id.resident" in cell.comment.text
    assert "依据：GB 11643-1999" in cell.comment.text
    assert cell.value == "370102198001010001"  # the value itself is untouched
    assert cell.comment.text.endswith("（原批注）请核对身份证复印件")  # staff's own note is kept


def test_blank_required_and_enum_cells_are_marked(annotated):
    report, wb = annotated
    assert finding(report, "data.required", sheet="人员").cell == "B4"
    blank = wb["人员"]["B4"]
    assert blank.fill.fgColor.rgb == RED and "“姓名”为必填项" in blank.comment.text
    assert "规则：data.required" in blank.comment.text
    assert finding(report, "data.enum").cell == "M3"
    enum = wb["机构"]["M3"]
    assert enum.fill.fgColor.rgb == RED and "很好" in enum.comment.text and "data.enum" in enum.comment.text


def test_missing_column_goes_on_the_header_row(annotated):
    report, wb = annotated
    f = finding(report, "data.missing-column", sheet="场地")
    assert f.cell is None and f.row == 2
    header = wb["场地"]["A2"]
    assert header.value == "统一社会信用代码"
    assert "监控全覆盖" in header.comment.text and header.fill.fgColor.rgb == RED


def test_institution_level_finding_tints_the_row(annotated):
    report, wb = annotated
    f = finding(report, "staff.supervisor")
    assert (f.sheet, f.row) == ("机构", 3)
    anchor = wb["机构"][f.cell]
    assert anchor.fill.fgColor.rgb in (CELL_FILL["violation"], RED)
    assert "规则：staff.supervisor" in anchor.comment.text and f.clause in anchor.comment.text
    # the rest of the row is tinted lightly; the enum cell on the same row keeps its own fill
    assert wb["机构"]["B3"].fill.fgColor.rgb == ROW_TINT["violation"]
    assert wb["机构"]["M3"].fill.fgColor.rgb == RED
    assert wb["机构"]["B2"].fill.fgColor.rgb != ROW_TINT["violation"]  # the header row is not


def test_several_findings_in_one_cell_share_one_comment(register_file, tmp_path):
    from sheetkit.report.model import Finding

    report = validate([register_file], as_of=AS_OF)
    extra = Finding("data.type", "另一个问题", severity="warning", path=str(register_file), sheet="人员",
                    row=3, column="身份证号", cell="C3")
    report.findings.append(extra)
    out = annotate(report, tmp_path / "out")[0].output
    cell = openpyxl.load_workbook(out)["人员"]["C3"]
    text = cell.comment.text
    assert text.startswith("1. 【错误】") and "2. 【提示】另一个问题" in text
    assert cell.fill.fgColor.rgb == RED  # the worst severity wins


def test_merged_cells_are_marked_on_their_anchor(tmp_path):
    reg = clean_register()
    reg["人员"][0]["身份证号"] = "370102198001010001"
    path = write_register(tmp_path / "r.xlsx", reg)
    wb = openpyxl.load_workbook(path)
    wb["人员"].merge_cells("C2:C4")  # one (bad) number merged down over three staff rows
    wb.save(path)
    report = validate([path], as_of=AS_OF)
    bad = [f for f in report.findings if f.rule == "id.resident"]
    assert sorted(f.cell for f in bad) == ["C2", "C3", "C4"]
    copy = openpyxl.load_workbook(annotate(report, tmp_path / "out")[0].output)["人员"]
    assert copy["C2"].fill.fgColor.rgb == RED
    text = copy["C2"].comment.text
    assert text.startswith("1. 【错误】身份证号") and "2. 【错误】C3：身份证号" in text and "3. 【错误】C4：" in text
    assert "C2:C4" in {str(r) for r in copy.merged_cells.ranges}


def test_untouched_cells_keep_values_formats_merges_widths_formulas(register_file, annotated):
    _, wb = annotated
    original = openpyxl.load_workbook(register_file)
    people, inst = wb["人员"], wb["机构"]
    assert people["D5"].font.b and people["D5"].font.color.rgb == "FF0000FF"
    assert people["D5"].comment.text == "原有批注"  # no finding there: the staff's note stays
    assert people.column_dimensions["B"].width == 23.5
    assert inst["L3"].number_format == "yyyy年m月d日" and inst["L3"].value == original["机构"]["L3"].value
    # a formula from the submitter is never live in the copy: its saved value, or (none saved,
    # as here) its text (issue 15)
    assert wb["说明"]["A2"].value == "=A1*3" and wb["说明"]["A2"].data_type == "s" and wb["说明"]["A1"].value == 2
    assert "B1:C2" in {str(r) for r in wb["说明"].merged_cells.ranges}
    for kind in ("机构", "人员", "场地", "考核项目"):
        assert {str(r) for r in wb[kind].merged_cells.ranges} == {str(r) for r in original[kind].merged_cells.ranges}
        for row_new, row_old in zip(wb[kind].iter_rows(values_only=True), original[kind].iter_rows(values_only=True)):
            assert row_new == row_old
    assert wb.sheetnames == [LIST_SHEET, *original.sheetnames]


def test_problem_list_links_to_each_cell(annotated):
    report, wb = annotated
    ws = wb[LIST_SHEET]
    assert wb.active.title == LIST_SHEET
    assert [c.value for c in ws[1]] == ["严重程度", "规则", "工作表", "单元格", "机构", "问题说明", "依据"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:G")
    rows = {(r[1].value, r[5].value): r for r in ws.iter_rows(min_row=2)}
    assert len(rows) == len(report.findings)
    bad_id = rows[("id.resident", finding(report, "id.resident").message)]
    assert bad_id[0].value == "错误" and bad_id[2].value == "人员" and bad_id[3].value == "C3"
    assert bad_id[3].hyperlink.location == "'人员'!C3"
    assert bad_id[6].value == "GB 11643-1999"
    assert "济南第1职业技能培训学校" in bad_id[4].value
    missing = rows[("data.missing-column", finding(report, "data.missing-column").message)]
    assert missing[3].hyperlink.location == "'场地'!A2"


def test_text_from_data_stays_text(clean, tmp_path):
    from sheetkit.report.model import Finding

    report = validate([clean], as_of=AS_OF)
    report.findings.append(Finding("data.type", "=HYPERLINK(\"http://x\",\"点我\")", severity="error",
                                   path=str(clean), sheet="机构", row=2, column="机构名称", cell="B2",
                                   clause="=1+1"))
    out = annotate(report, tmp_path / "out")[0].output
    ws = openpyxl.load_workbook(out)[LIST_SHEET]
    row = next(r for r in ws.iter_rows(min_row=2) if "HYPERLINK" in str(r[5].value))
    assert row[5].data_type == "s" and row[6].data_type == "s" and row[6].value == "=1+1"
    assert openpyxl.load_workbook(out)["机构"]["B2"].comment.text.startswith("【错误】=HYPERLINK")


def test_unreadable_file_gets_no_copy_and_names_are_safe(tmp_path, register_file):
    bad = tmp_path / "in" / "坏文件.xlsx"
    bad.write_bytes(b"not a workbook at all")
    other = tmp_path / "in" / "sub" / "济南.xlsx"
    other.parent.mkdir()
    shutil.copy(register_file, other)
    report = validate([tmp_path / "in"], as_of=AS_OF)
    results = {r.source.replace(str(tmp_path / "in"), ""): r for r in annotate(report, tmp_path / "out")}
    assert results["/坏文件.xlsx"].output is None and "无法读取" in results["/坏文件.xlsx"].note
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["济南-2.标注.xlsx", "济南.标注.xlsx"]


def test_never_writes_over_an_input(tmp_path, register_file):
    folder = register_file.parent
    old_copy = shutil.copy(register_file, folder / f"济南{SUFFIX}")  # an old copy named explicitly
    before = {p.name: sha256(p) for p in folder.iterdir()}
    report = validate([register_file, old_copy], as_of=AS_OF)
    outputs = {r.output.name for r in annotate(report, folder)}
    assert {p.name: sha256(p) for p in folder.iterdir() if p.name in before} == before
    assert outputs == {f"济南-2{SUFFIX}", f"济南.标注{SUFFIX}"}
    assert not outputs & set(before)


def test_annotated_copies_in_a_folder_are_not_read_as_registers(tmp_path, register_file):
    folder = register_file.parent
    shutil.copy(register_file, folder / f"济南{SUFFIX}")
    report = validate([folder], as_of=AS_OF)
    assert [f["path"] for f in report.files] == [str(register_file)]


def test_copy_name_strips_path_characters():
    used = set()
    assert copy_name("a/b/..\\evil:name?.xlsx", used) == "evil_name_.标注.xlsx"
    assert copy_name("x/....xlsx", used) == "工作簿.标注.xlsx"
    assert copy_name("y/Evil:Name?.xlsx", used) == "Evil_Name_-2.标注.xlsx"  # unique, ignoring case


@pytest.mark.libreoffice
def test_xls_and_ods_are_rebuilt_as_xlsx(tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed: cannot make .ods/.xls inputs")
    reg = clean_register()
    reg["人员"][0]["身份证号"] = "370102198001010001"
    src = write_register(tmp_path / "src" / "青岛.xlsx", reg)
    for fmt in ("ods", "xls"):
        done = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                               "--convert-to", fmt, "--outdir", str(tmp_path / fmt), str(src)],
                              capture_output=True, timeout=120)
        converted = tmp_path / fmt / f"青岛.{fmt}"
        assert done.returncode == 0 and converted.exists(), done.stderr
        before = sha256(converted)
        report = validate([converted], as_of=AS_OF)
        result = annotate(report, tmp_path / f"out-{fmt}")[0]
        assert sha256(converted) == before
        assert result.output.name == "青岛.标注.xlsx" and "转换" in result.note
        wb = openpyxl.load_workbook(result.output)
        assert wb.sheetnames[0] == LIST_SHEET and "人员" in wb.sheetnames
        cell = wb["人员"]["C2"]
        assert cell.value == "370102198001010001" and cell.fill.fgColor.rgb == RED
        assert "id.resident" in cell.comment.text
        assert wb["机构"]["A2"].value == report.to_dict(personal=True)["institutions"][0]["uscc"]


def _pdf(path, out_dir):
    """Convert with LibreOffice (own profile dir, so parallel runs do not collide)."""
    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        pytest.skip("LibreOffice (soffice) and poppler (pdftotext, pdftoppm) are needed to render the copy")
    done = subprocess.run([soffice, f"-env:UserInstallation=file://{out_dir}/profile", "--headless",
                           "--convert-to", "pdf", "--outdir", str(out_dir), str(path)],
                          capture_output=True, timeout=180)
    pdf = out_dir / (path.stem + ".pdf")
    assert done.returncode == 0 and pdf.exists() and pdf.stat().st_size > 0, done.stderr
    return pdf


def _pages(pdf):
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    return text.split("\f")


def _pixels(pdf, page, out_prefix):
    """(width, height, RGB bytes) of one page rendered by pdftoppm as PPM."""
    subprocess.run(["pdftoppm", "-r", "50", "-f", str(page), "-l", str(page), str(pdf), str(out_prefix)],
                   check=True, timeout=120)
    ppm = next(out_prefix.parent.glob(out_prefix.name + "*.ppm"))
    data = ppm.read_bytes()
    parts = data.split(maxsplit=4)  # P6 width height maxval pixels
    assert parts[0] == b"P6"
    return int(parts[1]), int(parts[2]), parts[4]


@pytest.mark.libreoffice
def test_libreoffice_opens_the_copy_and_shows_the_red_cells(annotated, tmp_path):
    report, _ = annotated
    copy = tmp_path / "out" / f"济南{SUFFIX}"
    pdf = _pdf(copy, tmp_path / "pdf")
    pages = _pages(pdf)
    assert "问题说明" in pages[0] and "id.resident" in pages[0] and "C3" in pages[0]  # the list comes first
    page = next(i for i, p in enumerate(pages, 1) if "370102198001010001" in p)  # the 人员 sheet
    width, height, rgb = _pixels(pdf, page, tmp_path / "pdf" / "people")
    red = bytes.fromhex(RED[2:])
    hits = sum(1 for i in range(0, len(rgb) - 2, 3) if rgb[i:i + 3] == red)
    assert hits > 20, "the red fill of 人员!C3 is not visible in the rendered page"


def test_copies_keep_the_users_print_settings_and_the_list_prints_on_a4(tmp_path):
    from openpyxl.worksheet.pagebreak import Break

    reg = clean_register(n_institutions=2)
    reg["人员"][0]["身份证号"] = "370102198001010001"
    path = write_register(tmp_path / "r.xlsx", reg)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        ws.page_setup.paperSize = 8  # A3
        ws.page_setup.orientation = "landscape"
        ws.print_title_rows = "1:1"
        ws.print_area = "A1:F20"
        ws.oddFooter.center.text = "第 &P 页"
        ws.page_margins.left = 1.1
        ws.row_breaks.append(Break(id=10))
    wb.save(path)
    copy = annotate(validate([path], as_of=AS_OF), tmp_path / "out")[0].output
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames[0] == LIST_SHEET
    for ws in wb.worksheets[1:]:
        assert ws.page_setup.paperSize == 8 and ws.page_setup.orientation == "landscape", ws.title
        assert ws.print_title_rows == "$1:$1" and ws.print_area == f"'{ws.title}'!$A$1:$F$20"
        assert ws.oddFooter.center.text == "第 &P 页" and ws.page_margins.left == 1.1
        assert [b.id for b in ws.row_breaks.brk] == [10]
    listing = wb[LIST_SHEET]
    assert listing.page_setup.paperSize == 9 and listing.page_setup.orientation == "landscape"  # A4
    assert listing.page_setup.fitToWidth == 1 and listing.page_setup.fitToHeight == 0
    assert any((listing.row_dimensions[r].height or 0) >= 30 for r in range(2, listing.max_row + 1))
    # one page wide at 83 % or more (a width unit prints 7 pt in LibreOffice): the long
    # texts wrap in narrower columns, each row as tall as its lines
    widths = [listing.column_dimensions[chr(65 + c)].width for c in range(7)]
    assert sum(widths) * 7 * 0.83 <= 841.9 - 72, widths
    for r in range(2, listing.max_row + 1):
        lines = max(wrapped_lines(str(listing.cell(r, c + 1).value or ""), w) for c, w in enumerate(widths))
        assert (listing.row_dimensions[r].height or 15) >= 15 * lines, r
