"""A register for the 2026 directory, built in code from `builders`.

| n | city | state | expected in 2026 |
|---|---|---|---|
| 1 | 济南 | 已备案 from 2025-03 | 有效, 自2025年3月至2028年2月 |
| 2 | 济南 | 已备案 from 2022-06 (ended 2025-05) | absent |
| 3 | 青岛 | 终止备案, revoked 2026-06-30 | 终止备案 |
| 4 | 青岛 | 已备案 from 2023-03 (ended 2026-02), no renewal | 终止备案 |
| 5 | 济南 | 申请中 | absent |
| 6 | 淄博 | 已备案, name `=HYPERLINK(…)` typed as text | 有效, a string cell |
| 7 | 济南 | 已备案 with a wrong 身份证号 (error) | excluded, id.resident |
| 8 | 济南 | 已备案 from 2026-01, name 济南第8… | 有效, after 第1, before 第10 |
| 9 | 青岛 | 已备案, a project marked 删除 | 有效, 家政服务 only |
| 10 | 济南 | 已备案 from 2024-04, revoked 2027-03-01 | 有效 (revocation after year end) |
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from builders import clean_register, institution, project, uscc, write_register

FORMULA_NAME = '=HYPERLINK("http://example.com","点击")'
YEAR = 2026


def directory_register() -> dict[str, list[dict]]:
    sheets = clean_register(10)
    rows = sheets["机构"]
    for i, row in enumerate(rows, 1):
        row.update(备案状态="已备案", 机构代码=f"SD{i:04d}", 备案起始=dt.date(2025, 3, 1))
    for v in sheets["场地"]:
        v["租赁起始"] = dt.date(2020, 1, 1)
    rows[1]["备案起始"] = dt.date(2022, 6, 1)
    rows[2].update(所属市="青岛", 备案状态="终止备案", 备案起始=dt.date(2024, 1, 1), 机构名称="青岛第3职业培训学校")
    rows[3].update(所属市="青岛", 备案起始=dt.date(2023, 3, 1), 机构名称="青岛第4职业培训学校")
    rows[4].update(备案状态="申请中", 机构代码="", 备案起始=dt.date(2026, 12, 1))
    rows[5].update(所属市="淄博", 机构名称=FORMULA_NAME)
    rows[7]["备案起始"] = dt.date(2026, 1, 1)
    rows[8].update(所属市="青岛", 机构名称="青岛第9职业培训学校")
    rows[9]["备案起始"] = dt.date(2024, 4, 1)
    # n=7: one staff member's 身份证号 has a wrong check digit
    code7 = uscc(7)
    bad = next(p for p in sheets["人员"] if p["统一社会信用代码"] == code7)
    bad["身份证号"] = bad["身份证号"][:-1] + ("1" if bad["身份证号"][-1] != "1" else "2")
    # n=9: 中式面点制作 marked 删除
    for p in sheets["考核项目"]:
        if p["统一社会信用代码"] == uscc(9) and p["考核项目"] == "中式面点制作":
            p["变更"] = "删除"
    sheets["撤销"] = [
        {"统一社会信用代码": uscc(3), "撤销情形": "自愿撤销", "情形说明": "主动申请撤销",
         "依据": "鲁人社函〔2025〕23号", "撤销日期": dt.date(2026, 6, 30)},
        {"统一社会信用代码": uscc(10), "撤销情形": "违反规定", "情形说明": "考核不规范",
         "依据": "鲁人社函〔2025〕23号", "撤销日期": dt.date(2027, 3, 1)},
    ]
    return sheets


def write_directory_register(path: Path, sheets: dict[str, list[dict]] | None = None) -> Path:
    """Write the register; names beginning with ``=`` are stored as text cells (as staff
    typing `'=…` would), not as formulas."""
    import openpyxl

    sheets = sheets or directory_register()
    write_register(path, sheets)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    wb.save(path)
    return path


def personal_values(sheets: dict[str, list[dict]]) -> set[str]:
    """Every personal value of the register: 身份证号, staff names, 法定代表人, 联系人, experts."""
    out = set()
    for p in sheets.get("人员", []):
        out.update({p["身份证号"], p["姓名"]})
    for i in sheets.get("机构", []):
        out.update({i["法定代表人"], i["联系人"], i["电子邮箱"]})
    for s in sheets.get("续期评分", []):
        out.add(s["评估专家"])
    return {v for v in out if v}


def expected_order() -> list[str]:
    """Credit codes in directory order: 济南 (第1, 第8, 第10: numbers in names compare as
    numbers), 青岛 (3, 4, 9), 淄博 (6)."""
    return [uscc(1), uscc(8), uscc(10), uscc(3), uscc(4), uscc(9), uscc(6)]


__all__ = ["FORMULA_NAME", "YEAR", "directory_register", "expected_order", "institution", "personal_values",
           "project", "write_directory_register"]
