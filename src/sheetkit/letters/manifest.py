"""The record of a letters run: `letters.json` (machine-readable) and `letters.xlsx`
(the register of letters issued, for the bureau's files). Every cell of the workbook is
written as a string: values from registers are data, never formulas."""

from __future__ import annotations

import json
from pathlib import Path

from sheetkit.documents import KIND_ZH
from sheetkit.outputs import atomic_path

XLSX_COLUMNS = (
    ("序号", 6), ("文书", 20), ("发文字号", 24), ("统一社会信用代码", 22), ("机构名称", 36), ("机构代码", 14),
    ("所属市", 8), ("有效期", 26), ("发文单位", 28), ("发文单位来源", 20), ("发文日期", 16), ("待补", 10), ("文件", 60),
)


def write_json(path: Path, manifest: dict) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def write_xlsx(path: Path, manifest: dict) -> Path:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "已出具文书"
    for col, (title, width) in enumerate(XLSX_COLUMNS, 1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.font = Font(bold=True)
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"
    for n, g in enumerate(manifest["generated"], 1):
        values = (str(n), KIND_ZH.get(g["kind"], g["kind"]), g.get("number"), g["institution"], g["name"],
                  g.get("code"), g.get("city"), g.get("period"), g.get("issuer"), g.get("issuer_source"),
                  g.get("date"), "、".join(g.get("needs") or ()), g["path"])
        for col, value in enumerate(values, 1):
            _string_cell(ws, n + 1, col, value)
    if manifest["skipped"]:
        ws2 = wb.create_sheet("未出具")
        for col, (title, width) in enumerate((("统一社会信用代码", 22), ("机构名称", 36), ("原因代码", 40),
                                              ("原因", 60)), 1):
            cell = ws2.cell(row=1, column=col, value=title)
            cell.font = Font(bold=True)
            ws2.column_dimensions[cell.column_letter].width = width
        for n, s in enumerate(manifest["skipped"], 2):
            for col, value in enumerate((s["institution"], s["name"], "、".join(s["reasons"]), s.get("message")), 1):
                _string_cell(ws2, n, col, value)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _string_cell(ws, row: int, col: int, value) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = ws.cell(row=row, column=col)
    # messages quote cell values: characters a workbook cannot hold are dropped
    cell.value = "" if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value))[:32767]
    cell.data_type = "s"  # never a formula, even when the text starts with "="
