"""The run's problem-list workbook (`validate --report`): read back with openpyxl."""

import zipfile

import openpyxl
import pytest
from builders import AS_OF, clean_register, uscc, write_register

from sheetkit.changes import compare
from sheetkit.engine import validate
from sheetkit.report.changes_sheet import HEADERS as CHANGE_HEADERS
from sheetkit.report.model import Finding
from sheetkit.report.layout import fit_widths
from sheetkit.report.workbook import LIST_HEADERS, write_report_workbook

SHEETS = ["汇总", "按机构", "续期评估", "按规则", "按文件", "问题清单"]
TABLE_SHEETS = {"按机构": "按机构（是否符合条件）", "续期评估": "续期评估", "按规则": "按规则", "按文件": "按文件"}


def _register(tmp_path, name="r.xlsx", problems=True):
    reg = clean_register(n_institutions=2)
    reg["机构"][1]["所属市"] = "青岛"
    reg["机构"][1]["机构名称"] = "=青岛第2职业技能培训学校"  # a name that looks like a formula
    if problems:
        reg["人员"][0]["身份证号"] = "370102198001010001"  # id.resident, institution 1 (济南)
        reg["机构"][0]["信用状况"] = "很好"  # data.enum, institution 1
    path = write_register(tmp_path / name, reg)
    wb = openpyxl.load_workbook(path)
    cell = wb["机构"]["B3"]
    assert cell.value == "=青岛第2职业技能培训学校"
    cell.data_type = "s"  # typed as text in the register, as Excel does for '=…
    wb.save(path)
    return path


@pytest.fixture
def run(tmp_path):
    report = validate([_register(tmp_path)], as_of=AS_OF)
    out = write_report_workbook(report, tmp_path / "out" / "问题清单.xlsx")
    return report, out


LONG_MESSAGE = ("考评人员第{k}人的职业资格证书等级低于考核项目要求的三级及以上，且其从事本职业（工种）工作年限不足五年，"
                "不能担任本项目的考评人员，请更换或补充符合条件的人员")
LONG_CLAUSE = "鲁人社函〔2025〕23号 一(二)2；附件1 第3项：考评人员应具有相应的职业资格"


@pytest.fixture
def long_run(tmp_path):
    """The `run` register in a deep folder, with a dozen findings of long messages and
    clauses, and a previous run without problems: 问题清单 and 变更 wrap, over pages."""
    folder = tmp_path / "某市人力资源和社会保障局" / "专项职业能力考核机构登记表（2026年度第一批）"
    before = validate([_register(tmp_path / "before", problems=False)], as_of=AS_OF)
    path = _register(folder, "济南市专项职业能力考核机构登记表.xlsx")
    report = validate([path], as_of=AS_OF)
    for k in range(1, 13):
        report.findings.append(Finding("staff.assessor-qualification", LONG_MESSAGE.format(k=k), severity="violation",
                                       path=str(path), sheet="人员", row=9 + k, cell=f"F{9 + k}",
                                       institution=uscc(2), clause=LONG_CLAUSE))
    changes = compare(before.to_dict(), report.to_dict(), previous_info={"as_of": AS_OF.isoformat()})
    out = write_report_workbook(report, tmp_path / "out" / "问题清单.xlsx", changes=changes)
    return report, changes, out


def rows_after(ws, title):
    """The rows of the titled block (header row first, its two-line headers joined), up to
    the blank row."""
    values = [tuple(r) for r in ws.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(values) if r[0] == title)
    block = []
    for r in values[start + 1:]:
        if all(v is None for v in r):
            break
        block.append(r)
    if block:
        block[0] = tuple(h.replace("\n", "") if isinstance(h, str) else h for h in block[0])
    return block


def test_summary_counts_by_city_institution_rule(run):
    report, out = run
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SHEETS
    ws = wb["汇总"]
    by_city = {r[0]: r for r in rows_after(ws, "按所属市")[1:]}
    assert by_city["济南"][1] == 2 and by_city["济南"][5] == 2  # 错误 2, 合计 2
    assert by_city["青岛"][5] == 0
    assert list(by_city)[-1] == "合计" and by_city["合计"][1:] == (2, 0, 0, 0, 2)  # the run's counts per severity
    families = {r[0]: r[1] for r in rows_after(ws, "按规则类别")[1:]}
    assert families == {"数据与格式": 1, "证件号码": 1}
    insts = {r[2]: r for r in rows_after(wb["按机构"], "按机构（是否符合条件）")[1:]}
    assert insts[uscc(1)][4] == "不符合" and "id.resident" in insts[uscc(1)][5]
    assert insts[uscc(2)][4] == "符合" and insts[uscc(2)][1] == "=青岛第2职业技能培训学校"
    by_rule = {r[0]: r[3] for r in rows_after(wb["按规则"], "按规则")[1:]}
    assert by_rule == {"data.enum": 1, "id.resident": 1}
    assert rows_after(wb["续期评估"], "续期评估")[1:] == [("（无）",) + (None,) * 9]


def test_formula_like_text_is_stored_as_text(run):
    _, out = run
    wb = openpyxl.load_workbook(out)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(out) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    assert "<f>" not in sheets  # no formula anywhere


def test_problem_list_sheet(run):
    report, out = run
    ws = openpyxl.load_workbook(out)["问题清单"]
    assert tuple(c.value for c in ws[1]) == LIST_HEADERS
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:J{len(report.findings) + 1}"
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == len(report.findings) == 2
    bad_id = next(r for r in rows if r[2] == "id.resident")
    assert bad_id[1] == "错误" and bad_id[4] == "人员" and bad_id[5] == "C2" and bad_id[6] == "济南"
    assert bad_id[9] == "GB 11643-1999" and "校验码" in bad_id[8]
    # widths fit Chinese text: the message column is wider than the severity column
    assert _width(ws, 9) > 20 > _width(ws, 2)


def test_native_bar_chart_of_rule_families(run):
    _, out = run
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
    assert "<c:barChart>" in xml and "<c:barDir val=\"bar\"/>" in xml
    assert "汇总" in xml  # the series points at the 按规则类别 table


def test_renewal_scores_and_results(tmp_path):
    report = validate([write_register(tmp_path / "r.xlsx", clean_register())], as_of=AS_OF)
    report.institutions[0].renewal = {"score": 72.5, "result": "合格", "renewed": ["中式面点制作"],
                                         "dropped": ["家政服务"], "vetoes": [9],
                                         "experts": [{"name": "王专家", "total": 70.0, "date": "2026-10-15"},
                                                     {"name": "赵专家", "total": 75.0, "date": None}],
                                         "period": {"start": "2028-03", "end": "2031-02",
                                                    "text": "自2028年3月至2031年2月"}}
    report.findings.append(Finding("renewal.score", "综合得分不足", severity="violation", institution=uscc(1)))
    out = write_report_workbook(report, tmp_path / "run.xlsx")
    wb = openpyxl.load_workbook(out)
    block = rows_after(wb["续期评估"], "续期评估")
    assert block[0][:8] == ("所属市", "机构名称", "统一社会信用代码", "综合得分", "评估结论", "续期项目",
                            "不再续期项目", "新备案期")
    assert block[1][2:10] == (uscc(1), 72.5, "合格", "中式面点制作", "家政服务", "自2028年3月至2031年2月",
                              "王专家 70.00；赵专家 75.00", "第9项")
    assert wb["续期评估"]["D3"].number_format == "0.00"
    families = {r[0]: r[1] for r in rows_after(wb["汇总"], "按规则类别")[1:]}
    assert families == {"续期评估": 1}


def test_unreadable_file_is_listed(tmp_path, clean):
    bad = clean.parent / "坏文件.xlsx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    report = validate([clean.parent], as_of=AS_OF)
    out = write_report_workbook(report, tmp_path / "run.xlsx")
    wb = openpyxl.load_workbook(out)
    files = {r[0]: r for r in rows_after(wb["按文件"], "按文件")[1:]}
    assert "无法读取" in files[str(bad)][1] and files[str(bad)][2] == 1
    assert "机构（机构）" in files[str(clean)][1] and files[str(clean)][6] == 0
    listed = [r for r in wb["问题清单"].iter_rows(min_row=2, values_only=True) if r[2] == "data.unreadable"]
    assert listed and listed[0][0] == str(bad)


def test_written_atomically(tmp_path, run):
    _, out = run
    assert sorted(p.name for p in out.parent.iterdir()) == ["问题清单.xlsx"]


def _pdf_words(pdf):
    """(page number, word, width) for every word of the PDF, from pdftotext -bbox."""
    import re
    import subprocess

    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    words = []
    for n, page in enumerate(html.split("<page ")[1:], 1):
        for x0, x1, word in re.findall(r'<word xMin="([\d.-]+)" yMin="[\d.-]+" xMax="([\d.-]+)" yMax="[\d.-]+">([^<]*)</word>',
                                       page):
            words.append((n, word, float(x1) - float(x0)))
    return words


@pytest.mark.libreoffice
def test_libreoffice_prints_every_table_legibly(long_run, tmp_path):
    """Rendered as it comes (LibreOffice, A4): every page of 汇总, of the table sheets, of
    问题清单 and of 变更 sets its text at no less than 80 % of 11 pt (a Chinese character is
    as wide as its size); the list's header row is printed on each of its pages."""
    import re
    import shutil
    import statistics
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) and pdftotext (poppler-utils) are needed to render the report")
    _, _, out = long_run
    done = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(out)],
                          capture_output=True, timeout=180)
    pdf = tmp_path / "pdf" / "问题清单.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    for expected in ("登记表检查汇总", "按所属市", "按规则类别", "按规则类别的问题数", "按机构（是否符合条件）",
                     "id.resident", "校验码", "=青岛第2职业技能", "staff.assessor-", "新问题"):
        assert expected in text, expected
    words = _pdf_words(pdf)
    pages: dict[int, list[float]] = {}
    sheet_of: dict[int, str] = {}  # page → its sheet: 汇总 by its title, a table sheet by its page header…
    for i, (page, word, width) in enumerate(words):
        if word == "登记表检查汇总":
            sheet_of.setdefault(page, "汇总")
        elif word == "登记表检查" and i + 1 < len(words) and words[i + 1][1] in TABLE_SHEETS:
            sheet_of.setdefault(page, words[i + 1][1])
        elif word in ("问题说明", "变化"):  # …问题清单 and 变更 by a word of their header row, on each page
            sheet_of.setdefault(page, "问题清单" if word == "问题说明" else "变更")
        if re.fullmatch(r"[\u4e00-\u9fff]{2,}", word):
            pages.setdefault(page, []).append(width / len(word))
    assert set(sheet_of.values()) == {"汇总", *TABLE_SHEETS, "问题清单", "变更"}  # each printed
    assert len(sheet_of) == max(p for p, _, _ in words)  # every page known: the header rows repeat
    for page, sheet in sheet_of.items():
        assert statistics.median(pages[page]) >= 0.8 * 11, (sheet, page, statistics.median(pages[page]))
    # the long fixture runs over pages
    assert sum(s == "问题清单" for s in sheet_of.values()) >= 2 and sum(s == "变更" for s in sheet_of.values()) >= 2


def _width(ws, col: int) -> float:
    letter = openpyxl.utils.get_column_letter(col)
    for dim in ws.column_dimensions.values():  # openpyxl groups equal neighbours (min..max)
        if dim.min and dim.max and dim.min <= col <= dim.max:
            return dim.width
    return ws.column_dimensions[letter].width


def test_prints_on_a4_with_row_heights_and_one_font(run):
    from sheetkit.report.annotate import display_width

    report, out = run
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title  # A4, not the Letter default
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # 1 page wide
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert "&P" in ws.oddFooter.center.text
        fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
        assert fonts == {"宋体"}, (ws.title, fonts)
    ws = wb["问题清单"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$1"
    message = LIST_HEADERS.index("问题说明") + 1
    width = _width(ws, message)
    assert width <= 51  # a share of the landscape page (see test_list_sheets_print_landscape_one_page_wide_and_wrap)
    wrapped = 0
    for row in ws.iter_rows(min_row=2):
        lines = -(-display_width(row[message - 1].value) // (width - 1))
        assert (ws.row_dimensions[row[0].row].height or 15) >= 15 * lines
        wrapped += lines > 1
    assert wrapped  # the fixture has messages longer than a line
    for name in ("汇总", *TABLE_SHEETS):  # every row of a table has a height, and room for its lines
        ws = wb[name]
        for row in ws.iter_rows(min_row=2 if name in TABLE_SHEETS else 6):
            cells = [(c.column, c.value) for c in row if c.value is not None]
            if not cells or row[0].font.sz == 14:  # blank, or a table's title
                continue
            lines = max(sum(-(-max(display_width(part), 1) // (_width(ws, col) - 1.71)) for part in str(v).split("\n"))
                        for col, v in cells)
            assert ws.row_dimensions[row[0].row].height >= 15 * lines, (name, row[0].row)


def test_each_table_prints_on_its_own_sheet_fitted_to_a4(tmp_path):
    """A table sheet: A4, one page wide and as tall as needed, never below 80 % (its widths
    fit the printable width at 7 pt a unit, LibreOffice's, wider than Excel's 6 pt), its
    header row repeated and frozen, its columns as wide as its own text needs (no column
    widened by another table's text), the credit code never narrowed."""
    from sheetkit.report.annotate import display_width

    reg = clean_register(n_institutions=30)
    reg["机构"][3]["机构名称"] = "济南市历城区某某某某某某某某某某职业技能培训学校有限责任公司"  # long names wrap
    report = validate([write_register(tmp_path / "r.xlsx", reg)], as_of=AS_OF)
    out = write_report_workbook(report, tmp_path / "run.xlsx")
    wb = openpyxl.load_workbook(out)
    printable = {"portrait": 595.3 - 72, "landscape": 841.9 - 72}  # points inside the 0.5 in margins
    orientation = {"汇总": "portrait", "按机构": "landscape", "续期评估": "landscape", "按规则": "portrait",
                   "按文件": "landscape"}
    for name, title in {"汇总": None, **TABLE_SHEETS}.items():
        ws = wb[name]
        setup = ws.page_setup
        assert setup.paperSize == 9 and setup.orientation == orientation[name], name
        assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1) and setup.fitToHeight == 0
        ncols = ws.max_column if title else 6  # 汇总: the 按所属市 table is its widest
        total = sum(_width(ws, c) for c in range(1, ncols + 1))
        assert printable[setup.orientation] / (total * 7.0) >= 0.8, (name, total)
        if title is None:
            continue
        assert ws["A1"].value == title
        assert ws.print_title_rows == "$2:$2" and ws.freeze_panes == "A3", name
        if ws["A3"].value != "（无）":
            assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A2:"), name
        assert "&A" in ws.oddHeader.left.text and AS_OF.isoformat() in ws.oddHeader.right.text
        for col in range(1, ws.max_column + 1):  # each width from this sheet's own cells
            own = max(display_width(line) for row in ws.iter_rows(min_row=2, min_col=col, max_col=col)
                      for c in row if c.value is not None for line in str(c.value).split("\n"))
            assert 6 <= _width(ws, col) <= max(own + 2, 6) + 0.72, (name, col)
    insts = wb["按机构"]
    assert [c.value.replace("\n", "") for c in insts[2]][:6] == ["所属市", "机构名称", "统一社会信用代码", "备案状态",
                                                                "是否符合条件", "不符合的规则"]
    assert insts.max_row == 2 + 30
    assert _width(insts, 3) >= display_width(uscc(1)) + 2  # a credit code never wraps
    assert _width(insts, 2) < display_width(reg["机构"][3]["机构名称"])  # a long name wraps…
    assert insts.row_dimensions[6].height >= 30  # …in a row tall enough for it
    assert _width(wb["按文件"], 1) > _width(insts, 1)  # a path widens 按文件's column A, not 按机构's


LONG_COLUMNS = {"问题清单": ("文件", "规则名称", "机构", "问题说明", "依据"), "变更": ("机构名称", "说明", "依据")}


def test_list_sheets_print_landscape_one_page_wide_and_wrap(long_run):
    """问题清单 and 变更 as they come: A4 landscape, one page wide at 80 % or more (7 pt a
    width unit, LibreOffice's), the header row repeated, frozen and filtered; the long texts
    wrapped in narrower columns with rows tall enough for them, the short columns only as
    wide as their content; every value whole, as text."""
    from sheetkit.report.annotate import display_width

    report, changes, out = long_run
    wb = openpyxl.load_workbook(out)
    for name, headers, head_row in (("问题清单", LIST_HEADERS, 1), ("变更", CHANGE_HEADERS, 2)):
        ws = wb[name]
        setup = ws.page_setup
        assert setup.paperSize == 9 and setup.orientation == "landscape", name
        assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1) and setup.fitToHeight == 0
        assert ws.print_title_rows == f"${head_row}:${head_row}", name
        assert ws.freeze_panes == f"A{head_row + 1}" and ws.auto_filter.ref.startswith(f"A{head_row}:"), name
        assert tuple(c.value for c in ws[head_row]) == headers
        total = sum(_width(ws, c) for c in range(1, len(headers) + 1))
        assert (841.9 - 72) / (total * 7.0) >= 0.8, (name, total)
        assert "&A" in (ws.oddHeader.left.text or "") and "&P" in ws.oddFooter.center.text  # sheet name, page
        body = list(ws.iter_rows(min_row=head_row + 1))
        for col, header in enumerate(headers, 1):
            width = _width(ws, col)
            own = max(display_width(c.value) for c in [ws.cell(head_row, col)] + [r[col - 1] for r in body]
                      if c.value is not None)
            if header in LONG_COLUMNS[name]:  # narrower than its text, which wraps
                assert width < own, (name, header, width, own)
                assert all(r[col - 1].alignment.wrap_text for r in body), (name, header)
            else:  # as wide as its content (and its header), no wider
                assert width <= max(own + 2, 8) + 0.72, (name, header, width, own)
        wrapped = 0
        for row in body:
            lines = max(-(-display_width(c.value) // (_width(ws, c.column) - 1.71))
                        for c in row if c.value not in (None, ""))
            assert (ws.row_dimensions[row[0].row].height or 15) >= 15 * lines, (name, row[0].row, lines)
            wrapped += lines > 1
        assert wrapped >= 12, name  # every long finding wraps
    rows = [tuple(c.value for c in r) for r in wb["问题清单"].iter_rows(min_row=2)]
    assert len(rows) == len(report.findings) == 14
    assert sorted(r[8] for r in rows) == sorted(f.message for f in report.findings)  # whole, not cut
    assert {r[9] for r in rows if r[2] == "staff.assessor-qualification"} == {LONG_CLAUSE}
    assert all(r[0] == report.findings[0].path for r in rows)
    assert any("370102198001010001" in r[8] for r in rows)  # the office's list keeps the id, as before
    change_rows = [tuple(c.value for c in r) for r in wb["变更"].iter_rows(min_row=3)]
    new = [r for r in change_rows if r[0] == "新问题"]
    assert sorted(r[8] for r in new) == sorted(f["message"] for f in changes.new)
    assert not any("370102198001010001" in (v or "") for r in change_rows for v in r)  # masked, as before
    for ws in (wb["问题清单"], wb["变更"]):
        assert all(c.data_type in ("s", "n") for r in ws.iter_rows() for c in r if c.value is not None)


def test_fit_widths_shares_the_page_in_proportion():
    shared = fit_widths({0: 100, 1: 26, 2: 50, 3: 120, 4: 47}, 68, 8, shared=True)
    assert sum(shared.values()) == 68 and shared[3] > shared[0] > shared[2] >= shared[4] >= shared[1] == 8
    # a column is not cut below its longest word while the page can hold it
    assert fit_widths({0: 100, 1: 50}, 60, 8, shared=True, words={1: 24})[1] == 25
    assert fit_widths({0: 10, 1: 12}, 40, 8, shared=True) == {0: 10, 1: 12}


def test_fit_widths_cuts_the_widest_columns_only():
    assert fit_widths({0: 8, 1: 40, 2: 30, 3: 6}, 60) == {0: 8, 1: 23, 2: 23, 3: 6}
    assert fit_widths({0: 8, 1: 10}, 60) == {0: 8, 1: 10}
    assert sum(fit_widths({0: 8, 1: 40, 2: 30, 3: 6}, 60).values()) <= 60


def test_summary_keeps_the_family_table_with_its_chart(tmp_path, run):
    """汇总 with many cities: 按规则类别 and its chart start page 2 together rather than the
    chart being cut at the foot of page 1; with a few cities, one page and no break."""
    cities = ["济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安", "威海", "日照", "临沂", "德州",
              "聊城", "滨州", "菏泽"]
    reg = clean_register(n_institutions=len(cities))
    for row, city in zip(reg["机构"], cities):
        row["所属市"] = city
    report = validate([write_register(tmp_path / "r.xlsx", reg)], as_of=AS_OF)
    for rule in ("data.type", "id.resident", "staff.contract", "venue.lease-term", "project.catalogue"):
        report.findings.append(Finding(rule, "测试", severity="violation", institution=uscc(1)))
    ws = openpyxl.load_workbook(write_report_workbook(report, tmp_path / "run.xlsx"))["汇总"]
    assert len(rows_after(ws, "按所属市")) == 1 + len(cities) + 1  # header, the cities, 合计
    title = next(c.row for c in ws["A"] if c.value == "按规则类别")
    assert [b.id for b in ws.row_breaks.brk] == [title - 1]  # page 1 ends just above the table
    _, out = run
    assert not openpyxl.load_workbook(out)["汇总"].row_breaks.brk
