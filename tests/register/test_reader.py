"""The register reader on workbooks shaped like the ones bureaus really keep (SPEC §1)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from builders import AS_OF, clean_register, institution, person, resident, uscc, venues_for, write_register
from sheetkit.engine import validate
from sheetkit.profiles import load_profile
from sheetkit.register import read_register
from sheetkit.register.files import discover

INST_HEADER = ["统一社会信用代码", "机构名称", "所属市", "机构类型", "机构地址", "备案状态", "备案起始",
               "信用状况", "独立考核部门", "培训考核年限"]


def inst_values(n: int = 1, **over) -> list:
    row = institution(n, **over)
    return [row[h] for h in INST_HEADER]


def write_grid(path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None):
    """Write raw grids (sheet name → rows of cell values) with openpyxl; ``merges`` are A1 ranges."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, values in enumerate(rows, 1):
            for c, v in enumerate(values, 1):
                if v is not None:
                    ws.cell(row=r, column=c, value=v)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path


def codes(reg, kind="机构") -> list:
    return reg[kind].data["统一社会信用代码"].tolist()


# --- title rows, header detection, header spelling ---------------------------------------------

def test_title_rows_and_merged_title_cells_above_the_header(tmp_path):
    path = write_register(tmp_path / "r.xlsx", clean_register(2), title_rows=2)
    reg = read_register(path)
    src = next(s for s in reg.sources if s.kind == "机构")
    assert src.header_row == 3
    assert codes(reg) == [uscc(1), uscc(2)]
    assert reg.institutions.data["_row"].tolist() == [4, 5]
    assert reg["人员"].data["_row"].iloc[0] == 4


def test_header_found_on_row_10_but_not_row_11(tmp_path):
    titles = [[f"说明{i}"] for i in range(9)]
    write_grid(tmp_path / "ok.xlsx", {"机构": [*titles, INST_HEADER, inst_values()]})
    reg = read_register(tmp_path / "ok.xlsx")
    assert reg.sources[0].header_row == 10
    assert reg.institutions.data["_row"].tolist() == [11]
    assert codes(reg) == [uscc(1)]

    titles = [[f"说明{i}"] for i in range(10)]
    write_grid(tmp_path / "late.xlsx", {"机构": [*titles, INST_HEADER, inst_values()]})
    report = validate([str(tmp_path / "late.xlsx")], as_of=AS_OF)
    missing = [f for f in report.findings if f.rule == "data.missing-column"]
    assert [(f.path, f.sheet, f.row, f.column, f.severity) for f in missing] == [
        (str(tmp_path / "late.xlsx"), "机构", None, None, "error")]
    assert "前10行中找不到表头" in missing[0].message and "统一社会信用代码" in missing[0].message


def test_headers_with_spaces_full_width_line_breaks_and_units(tmp_path):
    header = [" 统一社会\n信用代码 ", "机构\u3000名称", "所属市：", "机构类型*", "机构地址", "备案状态",
              "备案起始（日期）", "信用状况", "独立考核部门", "培训考核年限（年）"]
    venue_header = ["统一社会信用代码", "场地用途", "场地地址", "产权类型", "租赁起始", "租赁终止",
                    "面积（㎡）", "监控全覆盖\n(是/否)"]
    v = venues_for(uscc(1))[0]
    write_grid(tmp_path / "r.xlsx", {
        "机构": [header, inst_values()],
        "场地": [venue_header, [v["统一社会信用代码"], v["场地用途"], v["场地地址"], v["产权类型"], v["租赁起始"],
                              v["租赁终止"], 500, "是"]],
        "续期评分": [["统一社会信用代码", "评估专家", "１２ 考务人员(3分)", "1机构信用"], [uscc(1), "王专家", 3, 1]],
    })
    reg = read_register(tmp_path / "r.xlsx")
    inst = next(s for s in reg.sources if s.kind == "机构")
    assert set(inst.columns) == set(INST_HEADER)
    assert reg.institutions.data.at[0, "培训考核年限"] == 3
    assert reg.institutions.data.at[0, "备案起始"] == pd.Timestamp(2026, 12, 1)
    venue = next(s for s in reg.sources if s.kind == "场地")
    assert venue.columns["面积"] == 6 and venue.columns["监控全覆盖"] == 7
    assert reg["场地"].data.at[0, "面积"] == 500
    scores = next(s for s in reg.sources if s.kind == "续期评分")
    assert scores.columns["12"] == 2 and scores.columns["1"] == 3


# --- finding sheets --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["机构", "考核机构", "机构信息", "institutions", "Institutions", " 机构 信息 ",
                                  "INSTITUTIONS"])
def test_sheet_found_by_canonical_name_alias_case_and_spaces(tmp_path, name):
    write_grid(tmp_path / "r.xlsx", {name: [INST_HEADER, inst_values()]})
    reg = read_register(tmp_path / "r.xlsx")
    assert [(s.sheet, s.kind) for s in reg.sources] == [(name, "机构")]
    assert codes(reg) == [uscc(1)]


def test_sheet_found_by_header_when_its_name_is_unrelated(tmp_path):
    staff = [person(uscc(1), 1, "负责人")]
    staff_header = ["统一社会信用代码", "姓名", "身份证号", "岗位", "用工形式"]
    write_grid(tmp_path / "r.xlsx", {
        "Sheet1": [["2026年度考核机构汇总"], INST_HEADER, inst_values()],
        "第二页": [staff_header, *[[p[h] for h in staff_header] for p in staff]],
        "备注": [["这里是说明文字"], ["没有表头"]],
    })
    reg = read_register(tmp_path / "r.xlsx")
    assert [(s.sheet, s.kind, s.header_row) for s in reg.sources] == [("Sheet1", "机构", 2), ("第二页", "人员", 1)]
    assert reg["人员"].data.at[0, "岗位"] == "负责人"


# --- data area -------------------------------------------------------------------------------

def test_merged_credit_code_filled_down_over_staff_rows(tmp_path):
    header = ["序号", "统一社会信用代码", "姓名", "身份证号", "岗位", "用工形式"]
    rows = [[1, uscc(1), "甲", resident(1), "负责人", "专职"],
            [2, None, "乙", resident(2), "考务管理人员", "专职"],
            [3, None, "丙", resident(3), "考务管理人员", "专职"],
            [4, uscc(2), "丁", resident(4), "负责人", "专职"],
            [5, None, "戊", resident(5), "考核管理人员", "兼职"]]
    write_grid(tmp_path / "r.xlsx", {"人员": [["人员登记表"], header, *rows]},
               merges={"人员": ["A1:F1", "B3:B5", "B6:B7"]})
    reg = read_register(tmp_path / "r.xlsx")
    data = reg["人员"].data
    assert codes(reg, "人员") == [uscc(1)] * 3 + [uscc(2)] * 2
    assert data["姓名"].tolist() == ["甲", "乙", "丙", "丁", "戊"]
    assert data["_row"].tolist() == [3, 4, 5, 6, 7]


def test_empty_rows_skipped_and_real_excel_rows_kept(tmp_path):
    write_grid(tmp_path / "r.xlsx", {"机构": [["标题"], [], INST_HEADER, inst_values(1), [], ["  ", None, ""],
                                            inst_values(2), []]})
    reg = read_register(tmp_path / "r.xlsx")
    assert codes(reg) == [uscc(1), uscc(2)]
    assert reg.institutions.data["_row"].tolist() == [4, 7]
    assert reg.sources[0].rows == 2
    assert reg.institutions.location(1, "机构名称") == {
        "path": str(tmp_path / "r.xlsx"), "sheet": "机构", "row": 7, "column": "机构名称", "cell": "B7"}


def test_extra_columns_kept_and_ignored(tmp_path):
    header = ["序号", *INST_HEADER[:5], "备注", *INST_HEADER[5:]]
    values = inst_values()
    write_grid(tmp_path / "r.xlsx", {"机构": [header, [1, *values[:5], "老客户", *values[5:]]]})
    reg = read_register(tmp_path / "r.xlsx")
    src = reg.sources[0]
    assert src.extra == ["序号", "备注"]
    assert src.columns["统一社会信用代码"] == 1 and src.columns["备案状态"] == 7
    assert "序号" not in reg.institutions.data.columns
    assert reg.institutions.location(0, "备案状态")["cell"] == "H2"
    report = validate([str(tmp_path / "r.xlsx")], as_of=AS_OF)
    assert not [f for f in report.findings if f.rule.startswith("data.") and f.rule != "data.no-catalogue"]


# --- values ----------------------------------------------------------------------------------

DATE_FORMS = [
    dt.datetime(2025, 3, 1), dt.date(2025, 3, 1), 45717, 45717.0, "45717", "2025-03-01", "2025/3/1", "2025.3.1",
    "2025年3月1日", "20250301", 20250301, "２０２５年３月１日", " 2025-3-1 ", "2025-03-01 00:00:00",
]


def test_every_date_form(tmp_path):
    rows = [inst_values(i + 1, 备案起始=v) for i, v in enumerate(DATE_FORMS)]
    write_grid(tmp_path / "r.xlsx", {"机构": [INST_HEADER, *rows]})
    reg = read_register(tmp_path / "r.xlsx")
    got = reg.institutions.data["备案起始"].tolist()
    bad = {repr(v): g for v, g in zip(DATE_FORMS, got) if g != pd.Timestamp(2025, 3, 1)}
    assert not bad
    assert not reg.institutions.invalid["备案起始"].any()


def test_unreadable_dates_are_data_type_at_their_cell(tmp_path):
    rows = [inst_values(1, 备案状态="已备案", 机构代码="JN1", 备案起始="2025-13-01"),
            inst_values(2, 备案起始="下个月"), inst_values(3, 备案起始="2025年2月30日")]
    write_grid(tmp_path / "r.xlsx", {"机构": [INST_HEADER, *rows]})
    report = validate([str(tmp_path / "r.xlsx")], as_of=AS_OF)
    found = [(f.row, f.cell, f.value) for f in report.findings if f.rule == "data.type"]
    assert found == [(2, "G2", "2025-13-01"), (3, "G3", "下个月"), (4, "G4", "2025年2月30日")]


def test_full_width_identifiers_spaces_and_lower_case_x(tmp_path):
    code = uscc(1)
    wide = "".join(chr(ord(c) + 0xFEE0) for c in code)
    idx = "11010519491231002X"
    header = ["统一社会信用代码", "姓名", "身份证号", "岗位", "用工形式"]
    write_grid(tmp_path / "r.xlsx", {
        "机构": [INST_HEADER, inst_values(1, 统一社会信用代码=f" {wide[:6]} {wide[6:]}\u3000")],
        "人员": [header, [code.lower(), "甲", idx.lower(), "负责人", "专职"],
                 [code, "乙", "110105 1949 1231 002ｘ", "考务管理人员", "专职"]],
    })
    reg = read_register(tmp_path / "r.xlsx")
    assert codes(reg) == [code]
    assert codes(reg, "人员") == [code, code]
    assert reg["人员"].data["身份证号"].tolist() == [idx, idx]
    report = validate([str(tmp_path / "r.xlsx")], as_of=AS_OF)
    assert not [f for f in report.findings if f.rule.startswith("id.") or f.rule == "data.unknown-institution"]


def test_enumeration_synonyms(tmp_path):
    code = uscc(1)
    header = ["统一社会信用代码", "姓名", "身份证号", "岗位", "用工形式", "技能等级", "专业技术职称", "学历"]
    venue_header = ["统一社会信用代码", "场地用途", "场地地址", "产权类型"]
    write_grid(tmp_path / "r.xlsx", {
        "机构": [INST_HEADER, inst_values(1, 所属市="济南市"), inst_values(2, 所属市=" 青岛 ")],
        "人员": [header, [code, "甲", resident(1), "所长", "专职", "高级工", "助理级", "硕士"],
                 [code, "乙", resident(2), "督导员", "兼职", "技师", "员级", "博士"],
                 [code, "丙", resident(3), "考评员", "专职", "三级", "中级", "本科"]],
        "场地": [venue_header, [code, "办公和考核", "某地", "租用"], [code, "办公", "某地", "自有产权"]],
    })
    reg = read_register(tmp_path / "r.xlsx", cities=load_profile("shandong-2025").city_map())
    assert reg.institutions.data["所属市"].tolist() == ["济南", "青岛"]
    staff = reg["人员"].data
    assert staff["岗位"].tolist() == ["负责人", "内部质量督导人员", "考评人员"]
    assert staff["技能等级"].tolist() == ["三级", "二级", "三级"]
    assert staff["专业技术职称"].tolist() == ["初级", "初级", "中级"]
    assert staff["学历"].tolist() == ["研究生", "研究生", "本科"]
    assert reg["场地"].data["产权类型"].tolist() == ["租赁", "自有"]
    assert reg["场地"].data["场地用途"].tolist() == ["办公及考核", "办公"]


def test_city_aliases_follow_the_profile(tmp_path):
    write_grid(tmp_path / "r.xlsx", {"机构": [INST_HEADER, inst_values(1, 所属市="临夏州"),
                                            inst_values(2, 所属市="临夏回族自治州"), inst_values(3, 所属市="兰州市")]})
    reg = read_register(tmp_path / "r.xlsx", cities=load_profile("gansu-2022").city_map())
    assert reg.institutions.data["所属市"].tolist() == ["临夏", "临夏", "兰州"]
    report = validate([str(tmp_path / "r.xlsx")], profile="gansu-2022", as_of=AS_OF)
    assert not [f for f in report.findings if f.rule == "data.enum"]
    # Under shandong-2025 the same cities are not allowed.
    report = validate([str(tmp_path / "r.xlsx")], profile="shandong-2025", as_of=AS_OF)
    assert [f.cell for f in report.findings if f.rule == "data.enum"] == ["C2", "C3", "C4"]


def test_ambiguous_employment_form_is_not_a_synonym(tmp_path):
    code = uscc(1)
    header = ["统一社会信用代码", "姓名", "身份证号", "岗位", "用工形式"]
    write_grid(tmp_path / "r.xlsx", {"机构": [INST_HEADER, inst_values(1)],
                                     "人员": [header, [code, "甲", resident(1), "负责人", "专兼职"]]})
    report = validate([str(tmp_path / "r.xlsx")], as_of=AS_OF)
    enum = [(f.sheet, f.cell, f.value) for f in report.findings if f.rule == "data.enum"]
    assert enum == [("人员", "E2", "专兼职")]


YES = ["是", "Y", "y", "yes", "有", "√", "TRUE", "true", True, 1, "1", "Ｙ"]
NO = ["否", "N", "n", "no", "无", "×", "FALSE", False, 0, "0"]


def test_yes_no_words(tmp_path):
    values = YES + NO
    rows = [inst_values(i + 1, 独立考核部门=v) for i, v in enumerate(values)]
    rows.append(inst_values(len(values) + 1, 独立考核部门="也许"))
    write_grid(tmp_path / "r.xlsx", {"机构": [INST_HEADER, *rows]})
    reg = read_register(tmp_path / "r.xlsx")
    got = reg.institutions.data["独立考核部门"].tolist()
    assert got[:len(YES)] == [True] * len(YES)
    assert got[len(YES):len(values)] == [False] * len(NO)
    assert pd.isna(got[-1])
    assert reg.institutions.invalid["独立考核部门"].tolist() == [False] * len(values) + [True]


# --- files and folders -----------------------------------------------------------------------

def test_folders_recursive_lock_and_hidden_files_skipped(tmp_path):
    sheets = clean_register()
    write_register(tmp_path / "a.xlsx", {"机构": sheets["机构"]})
    write_register(tmp_path / "sub" / "deeper" / "b.xlsx", {"人员": sheets["人员"]})
    write_register(tmp_path / "~$a.xlsx", {"机构": [institution(9)]})
    write_register(tmp_path / ".hidden.xlsx", {"机构": [institution(8)]})
    write_register(tmp_path / ".cache" / "c.xlsx", {"机构": [institution(7)]})
    (tmp_path / "notes.txt").write_text("not a workbook")
    (tmp_path / "~$b.xlsx").write_bytes(b"garbage lock file")
    found = [w.shown for w in discover([str(tmp_path)])]
    assert found == [str(tmp_path / "a.xlsx"), str(tmp_path / "sub" / "deeper" / "b.xlsx")]
    report = validate([str(tmp_path)], as_of=AS_OF)
    assert [f["path"] for f in report.files] == found
    assert codes(report.register) == [uscc(1)]
    assert len(report.register["人员"]) == len(sheets["人员"])
    assert not [f for f in report.findings if f.rule in ("data.unreadable", "data.missing-sheet")]


def test_relative_paths_stay_relative(tmp_path, monkeypatch):
    write_register(tmp_path / "regs" / "a.xlsx", clean_register())
    monkeypatch.chdir(tmp_path)
    report = validate(["regs"], as_of=AS_OF)
    assert [f["path"] for f in report.files] == ["regs/a.xlsx"]


def test_xlsm_is_read(tmp_path):
    path = write_register(tmp_path / "r.xlsm", clean_register())
    report = validate([str(path)], as_of=AS_OF)
    assert codes(report.register) == [uscc(1)]
    assert report.valid


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_ods_and_xls_converted_by_libreoffice_are_read(tmp_path, fmt):
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot make .ods/.xls fixtures")
    src = write_register(tmp_path / "src" / "r.xlsx", clean_register(), title_rows=1)
    out = tmp_path / "out"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", fmt,
                    "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=180)
    converted = out / f"r.{fmt}"
    assert converted.is_file()
    report = validate([str(converted)], as_of=AS_OF)
    assert codes(report.register) == [uscc(1)]
    assert report.register.institutions.data.at[0, "备案起始"] == pd.Timestamp(2026, 12, 1)
    assert len(report.register["人员"]) == len(clean_register()["人员"])
    assert report.register["人员"].data["_row"].iloc[0] == 3
    assert report.valid, [f.message for f in report.findings]


# --- bad files -------------------------------------------------------------------------------

def _encrypted(path, tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_register(tmp_path / "plain.xlsx", clean_register())
    with open(plain, "rb") as src, open(path, "wb") as out:
        OOXMLFile(src).encrypt("1234", out)
    plain.unlink()


def _bad_file(kind: str, path, tmp_path):
    if kind == "corrupt":
        good = write_register(tmp_path / "tmp.xlsx", clean_register()).read_bytes()
        path.write_bytes(good[: len(good) // 2])
        (tmp_path / "tmp.xlsx").unlink()
    elif kind == "encrypted":
        _encrypted(path, tmp_path)
    elif kind == "csv":
        path.write_text("统一社会信用代码,机构名称\n91370100000000001W,某学校\n", encoding="utf-8")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "no-sheet":
        write_grid(path, {"Sheet1": [["随便写的"], ["一", "二"], [1, 2]]})


@pytest.mark.parametrize("kind,rule,words", [
    ("corrupt", "data.unreadable", "损坏"),
    ("encrypted", "data.unreadable", "加密"),
    ("csv", "data.unreadable", "CSV"),
    ("empty", "data.unreadable", "空"),
    ("no-sheet", "data.missing-sheet", "工作表"),
])
def test_bad_file_is_a_finding_and_the_others_are_still_validated(tmp_path, kind, rule, words):
    folder = tmp_path / "regs"
    write_register(folder / "good.xlsx", clean_register())
    bad = folder / "bad.xlsx"
    _bad_file(kind, bad, tmp_path)
    report = validate([str(folder)], as_of=AS_OF)
    bad_findings = [f for f in report.findings if f.path == str(bad)]
    assert [(f.rule, f.severity) for f in bad_findings] == [(rule, "error")]
    assert words in bad_findings[0].message
    assert codes(report.register) == [uscc(1)]
    assert report.to_dict(personal=True)["institutions"][0]["eligible"] is True
    assert not [f for f in report.findings if f.path != str(bad)]
    assert not report.valid


def test_resident_id_stored_as_a_number_is_an_error(tmp_path):
    sheets = clean_register()
    target = sheets["人员"][0]
    target["身份证号"] = int(resident(7, region="370102"))  # typed as a number: Excel keeps 15 digits
    path = write_register(tmp_path / "r.xlsx", sheets)
    report = validate([str(path)], as_of=AS_OF)
    found = [f for f in report.findings if f.rule == "id.resident"]
    assert [(f.sheet, f.row, f.column, f.cell, f.severity) for f in found] == [("人员", 2, "身份证号", "C2", "error")]
    assert "数字格式" in found[0].message
    assert found[0].institution == uscc(1)
    assert not report.valid


def test_prenumbered_empty_rows_are_skipped(tmp_path):
    """Bureaus number 序号 down the sheet before filling it: those rows are empty."""
    header = ["序号", *INST_HEADER]
    rows = [[1, *inst_values(1)], *[[n] for n in range(2, 40)]]
    write_grid(tmp_path / "r.xlsx", {"机构": [header, *rows]})
    report = validate([str(tmp_path / "r.xlsx")], as_of=AS_OF)
    assert report.files[0]["sheets"][0]["rows"] == 1
    assert not [f for f in report.findings if f.rule == "data.required"]


def test_two_sheets_of_one_kind_are_read_together_with_their_own_rows(tmp_path):
    header = ["统一社会信用代码", "姓名", "身份证号", "岗位", "用工形式"]
    write_grid(tmp_path / "r.xlsx", {
        "机构": [INST_HEADER, inst_values(1)],
        "专职人员": [["标题"], header, [uscc(1), "甲", resident(1), "负责人", "专职"]],
        "兼职人员": [header, [uscc(1), "乙", resident(2), "考评人员", "兼职"]],
    })
    reg = read_register(tmp_path / "r.xlsx")
    staff = reg["人员"]
    assert staff.data["姓名"].tolist() == ["甲", "乙"]
    assert [staff.location(i, "岗位")["sheet"] for i in range(2)] == ["专职人员", "兼职人员"]
    assert [staff.location(i, "岗位")["cell"] for i in range(2)] == ["D3", "D2"]


def test_header_cell_merged_down_into_a_second_header_row_is_not_data(tmp_path):
    """A two-row header: 劳动合同 spans 起始/终止 below it, the other headers are merged down."""
    header = ["统一社会信用代码", "姓名", "身份证号", "岗位", "用工形式", "劳动合同", None]
    sub = [None, None, None, None, None, "起始", "终止"]
    write_grid(tmp_path / "r.xlsx", {
        "机构": [INST_HEADER, inst_values(1)],
        "人员": [header, sub, [uscc(1), "甲", resident(1), "负责人", "专职", "2024-01-01", "2027-12-31"]],
    }, merges={"人员": ["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2", "F1:G1"]})
    report = validate([str(tmp_path / "r.xlsx")], as_of=AS_OF)
    staff = report.register["人员"].data
    assert staff["姓名"].tolist() == ["甲"] and staff["_row"].tolist() == [3]
    assert not [f for f in report.findings if f.sheet == "人员" and f.rule in ("id.uscc", "id.resident", "data.enum")]
