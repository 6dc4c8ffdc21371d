"""Selection and ordering (`directory.rows`) and the small helpers of `directory.xlsx`."""

from __future__ import annotations

import datetime as dt

import openpyxl
from builders import clean_register, score_row, uscc
from directory_fixture import write_directory_register

from sheetkit.directory import select, write_directory
from sheetkit.directory.rows import name_key
from sheetkit.directory.xlsx import safe_sheet_name, text_width
from sheetkit.engine import validate


def filed(sheets, n, **over):
    row = sheets["机构"][n - 1]
    row.update({"备案状态": "已备案", "机构代码": f"SD{n:04d}", **over})
    for v in sheets["场地"]:
        v["租赁起始"] = dt.date(2020, 1, 1)
    return row


def test_renewed_institution_shows_the_new_period(tmp_path):
    sheets = clean_register(2)
    filed(sheets, 1, 备案起始=dt.date(2023, 3, 1))  # old period ends 2026-02
    filed(sheets, 2, 备案起始=dt.date(2023, 3, 1))
    sheets["续期评分"] = [score_row(uscc(1), f"专家{k}") for k in range(1, 4)]
    path = write_directory_register(tmp_path / "r.xlsx", sheets)
    report = validate([path], as_of=dt.date(2026, 12, 31))
    assert report.institution(uscc(1))["renewal"]["result"] == "合格"
    directory = select(report, 2026)
    by_code = {e.uscc: e for e in directory.entries}
    assert by_code[uscc(1)].status == "有效"
    assert by_code[uscc(1)].period == "自2026年3月至2029年2月"
    assert by_code[uscc(2)].status == "终止备案"  # no renewal: 期满未续期
    assert by_code[uscc(2)].period == "自2023年3月至2026年2月"
    # as of January the old period is still the one in force
    early = {e.uscc: e for e in select(report, 2026, dt.date(2026, 1, 15)).entries}
    assert early[uscc(1)].period == "自2023年3月至2026年2月"


def test_removed_without_revocation_row_listed_as_removed_in_its_period(tmp_path):
    sheets = clean_register(2)
    filed(sheets, 1, 备案状态="终止备案", 备案起始=dt.date(2024, 5, 1))
    filed(sheets, 2, 备案状态="终止备案", 备案起始=dt.date(2021, 5, 1))  # period ended 2024-04
    path = write_directory_register(tmp_path / "r.xlsx", sheets)
    directory = select(validate([path], as_of=dt.date(2026, 12, 31)), 2026)
    assert [(e.uscc, e.status) for e in directory.entries] == [(uscc(1), "终止备案")]


def test_revoked_before_the_year_is_absent(tmp_path):
    sheets = clean_register(1)
    filed(sheets, 1, 备案状态="终止备案", 备案起始=dt.date(2025, 3, 1))
    sheets["撤销"] = [{"统一社会信用代码": uscc(1), "撤销情形": "自愿撤销", "情形说明": "主动申请",
                     "依据": "鲁人社函〔2025〕23号", "撤销日期": dt.date(2026, 1, 1)}]
    path = write_directory_register(tmp_path / "r.xlsx", sheets)
    report = validate([path], as_of=dt.date(2026, 12, 31))
    assert select(report, 2026).entries == []
    assert [e.status for e in select(report, 2025).entries] == ["有效"]  # as of 2025-12-31


def test_empty_directory_still_a_complete_workbook(tmp_path):
    path = write_directory_register(tmp_path / "r.xlsx", clean_register(1))  # 申请中 only
    result = write_directory([path], tmp_path / "d.xlsx", 2026)
    assert result.directory.entries == [] and result.directory.excluded == []
    wb = openpyxl.load_workbook(result.xlsx)
    assert wb.sheetnames == ["全省", "统计"]
    assert wb["全省"]["A3"].value is None
    assert wb["统计"]["D20"].value == 0  # 合计 row after the 16 cities


def test_name_key_compares_numbers_as_numbers():
    names = ["济南第10学校", "济南第2学校", "济南第1学校", "A学校"]
    assert sorted(names, key=name_key) == ["A学校", "济南第1学校", "济南第2学校", "济南第10学校"]


def test_text_width_counts_cjk_as_two():
    assert text_width("济南") == 4
    assert text_width("SD0001") == 6
    assert text_width("自2025年3月至2028年2月") == 7 * 2 + 8


def test_safe_sheet_name():
    used: set[str] = set()
    assert safe_sheet_name("济南", used) == "济南"
    assert safe_sheet_name("济南", used) == "济南(2)"
    assert safe_sheet_name("a[b]:c*d?e/f\\g", used) == "a_b__c_d_e_f_g"
    long = safe_sheet_name("很" * 40, used)
    assert len(long) == 31
    assert safe_sheet_name("'引号'", used) == "引号"
    assert safe_sheet_name("History", used) == "History(2)"


def test_missing_column_in_institution_sheet_excludes_its_institutions(tmp_path):
    from builders import write_register

    from sheetkit.register.model import BY_KIND

    sheets = clean_register(2)
    filed(sheets, 1, 备案起始=dt.date(2025, 3, 1))
    filed(sheets, 2, 备案起始=dt.date(2025, 3, 1))
    columns = {"机构": [c for c in BY_KIND["机构"].names if c != "机构地址"]}
    path = write_register(tmp_path / "r.xlsx", sheets, columns=columns)
    directory = select(validate([path], as_of=dt.date(2026, 12, 31)), 2026)
    assert directory.entries == []
    assert [(x.uscc, x.reasons) for x in directory.excluded] == [(uscc(1), ("data.missing-column",)),
                                                                 (uscc(2), ("data.missing-column",))]
