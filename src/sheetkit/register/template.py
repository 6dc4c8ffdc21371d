"""The blank register workbook written by `sheetkit init`, generated from the register model.

Every sheet of SPEC §1 in model order with its header row; drop-down lists for
enumerations (cities from the profile) and yes/no columns, and for the credit codes of
人员/场地/考核项目/续期评分 (from 机构) and the projects of 考核项目 (from 项目目录); date
formats on date columns; text format on identifier columns (so an 18-digit 身份证号 is not
turned into a number); a comment on each header saying, in words for the staff who fill
it, what goes in it (rule ids and command-line options stay in docs/register.md); the 续期评分
columns headed with the 43 items of 附件4 (「1 基本情况（1分）」, read back by their number)
with their maxima as upper bounds; a 说明 sheet explaining the colours; frozen header;
sensible widths; A4.
"""

from __future__ import annotations

from pathlib import Path

from sheetkit.register.model import (
    BY_KIND, CITY, DATE, ENUM, INTEGER, LIST, NUMBER, RESIDENT, SCORE_MAXIMA, SCORES, SETTINGS, SHEETS, TEXT, TYPE_ZH,
    USCC, YESNO, Column, SheetSpec,
)

FILENAME = "登记表模板.xlsx"
ROWS = 500  # rows prepared with formats and drop-downs below the header
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
IDENTIFIER_TYPES = (USCC, RESIDENT)
_LIST_LIMIT = 255  # Excel's limit on an inline drop-down list
_WIDTH = {USCC: 22, RESIDENT: 22, DATE: 13, YESNO: 10, NUMBER: 10, INTEGER: 10, CITY: 10, LIST: 24, TEXT: 18}
EXPLANATION = "说明"
EXPLANATION_ROWS = (
    (("橙色表头", "FCE4D6"), "必填列：每一行都要填写（或在注明的条件下必填）。"),
    (("蓝色表头", "DDEBF7"), "选填列：有就填写；本地政策不检查的列也是蓝色。"),
    (("表头批注", None), "把鼠标停在表头上可看到该列填什么、可选的值和格式；点选单元格时也有提示。"),
    (("下拉列表", None), "有下拉箭头的列请从列表中选择：所属市、状态、是/否；人员、场地、考核项目、续期评分的"
                        "统一社会信用代码从“机构”表选，考核项目从“项目目录”表选（先在那两张表登记）。"),
    (("日期", None), "日期写成 2025-03-01；身份证号、统一社会信用代码列是文本格式，请勿改为数字。"),
    (("续期评分", None), "一位评估专家一行；第 1—43 列是附件4的 43 个评分项，每项不超过该项满分。"),
    (("本表", None), "本“说明”表不参与检查，可以保留或删除。"),
)
REFERENCES = {  # (sheet, column) → the (sheet, column) its drop-down lists
    **{(kind, "统一社会信用代码"): ("机构", "统一社会信用代码") for kind in ("人员", "场地", "考核项目", "续期评分")},
    ("考核项目", "考核项目"): ("项目目录", "考核项目"),
}
SETTING_ROWS = (("发文单位", "发文的人力资源和社会保障局全称，如 济南市人力资源和社会保障局"),
                ("发文日期", "文书落款日期，如 2026-12-01"),
                ("政策", "政策配置：shandong-2025 或 gansu-2022"))


def column_values(col: Column, cities: tuple[str, ...]) -> tuple[str, ...]:
    """The values a drop-down offers for ``col`` (empty when it has none)."""
    if col.type == CITY:
        return tuple(cities)
    if col.type == ENUM:
        return col.values
    if col.type == YESNO:
        return ("是", "否")
    return ()


def requirement(col: Column, enabled: frozenset[str]) -> str:
    """Whether staff must fill the column, in their words: 必填/选填 and what it is for
    (the checks' titles), never a rule id."""
    cond = col.condition()
    if col.required:
        return f"{cond}必填"
    if not col.needed_by:
        return "选填"
    on = [r for r in col.needed_by if r in enabled]
    if not on:
        return "选填（本地政策不检查此项）"
    from sheetkit.rules.registry import RULES

    titles = "；".join(dict.fromkeys(RULES[r].title if r in RULES else r for r in on))
    return f"{cond}必填（核对“{titles}”要用）"


def score_header(i: int) -> str:
    """「1 基本情况（1分）」: the item's number (what the reader matches), its 二级指标 and maximum."""
    from sheetkit.scoresheet import ITEMS

    return f"{i} {ITEMS[i - 1][1]}（{SCORE_MAXIMA[i - 1]}分）"


def header_text(spec: SheetSpec, col: Column) -> str:
    if spec is SCORES and col.name.isdigit():
        return score_header(int(col.name))
    return col.name


def header_comment(col: Column, enabled: frozenset[str], cities: tuple[str, ...]) -> str:
    """What goes in a column: its type, whether it is required, accepted values, the note."""
    lines = [col.name, f"类型：{TYPE_ZH.get(col.type, col.type)}", requirement(col, enabled)]
    values = column_values(col, cities)
    if values and col.type != YESNO:
        lines.append(f"可选：{'、'.join(values)}")
    if col.type == YESNO:
        lines.append("填 是 或 否")
    if col.type == DATE:
        lines.append("日期，如 2025-03-01")
    if col.type in IDENTIFIER_TYPES:
        lines.append("本列为文本格式，请勿改为数字")
    if col.synonyms:
        lines.append("也接受：" + "、".join(f"{k}→{v}" for k, v in col.synonyms.items()))
    if col.note:
        lines.append(staff_text(col.note))
    return "\n".join(lines)


def staff_text(note: str) -> str:
    """A column's note for staff: a rule id becomes the check's title, an option the thing
    it sets (the ids and options are in docs/register.md)."""
    import re

    from sheetkit.rules.registry import RULES

    note = re.sub(r"\s*--as-of", "检查日期", note)
    return re.sub(r"\s*\b([a-z]+\.[a-z][a-z-]*)\b\s*",
                  lambda m: f"“{RULES[m.group(1)].title}”" if m.group(1) in RULES else m.group(0), note)


def write_template(target: Path, profile) -> Path:
    """Write the blank register workbook to ``target`` (atomically) for ``profile``."""
    import openpyxl

    from sheetkit.outputs import atomic_path

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    lists = _ListSheet(wb)
    enabled = profile.enabled_rules
    for spec in SHEETS:
        _write_sheet(wb.create_sheet(spec.kind), spec, enabled, profile, lists)
    _explanation(wb.create_sheet(EXPLANATION))
    if lists.ws is not None:  # the hidden list sheet goes last, after the register's sheets
        wb.move_sheet(lists.ws, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(lists.NAME))
    if SETTINGS.kind in wb.sheetnames:
        ws = wb[SETTINGS.kind]
        for r, (key, hint) in enumerate(SETTING_ROWS, 2):
            ws.cell(row=r, column=1, value=key)
            if key == "政策":
                ws.cell(row=r, column=2, value=profile.id)
            if key == "发文日期":
                ws.cell(row=r, column=2).number_format = DATE_FORMAT
            _comment(ws.cell(row=r, column=1), hint)
    with atomic_path(target) as tmp:
        wb.save(tmp)
        _readable(tmp)
    return Path(target)


def _readable(path: Path) -> None:
    """A temporary file is created private (0600); the template is for everyone in the office."""
    import os

    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


class _ListSheet:
    """Drop-down lists too long for Excel's inline limit go on a hidden sheet (values only,
    no header, so the register reader never mistakes it for a register sheet)."""

    NAME = "下拉选项"

    def __init__(self, wb):
        self.wb, self.ws, self.next_col = wb, None, 1

    def formula(self, values: tuple[str, ...]) -> str:
        inline = '"' + ",".join(values) + '"'
        if len(inline) <= _LIST_LIMIT and not any("," in v for v in values):
            return inline
        from openpyxl.utils import get_column_letter, quote_sheetname

        if self.ws is None:
            self.ws = self.wb.create_sheet(self.NAME)
            self.ws.sheet_state = "hidden"
        c = self.next_col
        self.next_col += 1
        for r, v in enumerate(values, 1):
            self.ws.cell(row=r, column=c, value=v)
        letter = get_column_letter(c)
        return f"{quote_sheetname(self.NAME)}!${letter}$1:${letter}${len(values)}"


def _write_sheet(ws, spec: SheetSpec, enabled, profile, lists: _ListSheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    bold = Font(bold=True)
    fill_required = PatternFill("solid", fgColor="FCE4D6")
    fill_optional = PatternFill("solid", fgColor="DDEBF7")
    for c, col in enumerate(spec.columns, 1):
        letter = get_column_letter(c)
        cell = ws.cell(row=1, column=c, value=header_text(spec, col))
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = fill_required if col.is_required(enabled) else fill_optional
        comment = header_comment(col, enabled, profile.cities)
        if spec is SCORES and col.name.isdigit():
            from sheetkit.scoresheet import ITEMS, full_width

            comment = f"{cell.value}\n{full_width(ITEMS[int(col.name) - 1][2])}\n" + comment.split("\n", 1)[1]
        _comment(cell, comment)
        rng = f"{letter}2:{letter}{ROWS + 1}"
        fmt = DATE_FORMAT if col.type == DATE else TEXT_FORMAT if col.type in IDENTIFIER_TYPES else None
        if fmt:
            ws.column_dimensions[letter].number_format = fmt
            for r in range(2, ROWS + 2):
                ws.cell(row=r, column=c).number_format = fmt
        values = column_values(col, profile.cities)
        dv = None
        source = REFERENCES.get((spec.kind, col.name))
        if source is not None:  # a credit code from 机构, a project from 项目目录
            dv = DataValidation(type="list", formula1=_reference(*source), allow_blank=True,
                                showErrorMessage=True, errorStyle="warning", errorTitle="不在清单内",
                                error=f"“{col.name}”不在“{source[0]}”表中，请先在“{source[0]}”表登记")
        elif values:
            dv = DataValidation(type="list", formula1=lists.formula(values), allow_blank=True,
                                showErrorMessage=col.type in (ENUM, CITY, YESNO) and not col.synonyms,
                                errorTitle="不在选项内", error=f"“{col.name}”请从下拉列表中选择")
        elif col.type == DATE:
            dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                                showErrorMessage=True, errorTitle="日期格式", error="请填写日期，如 2025-03-01")
        elif col.type in (NUMBER, INTEGER) and col.min is not None:
            kind = "whole" if col.type == INTEGER else "decimal"
            if col.max is not None:
                dv = DataValidation(type=kind, operator="between", formula1=f"{col.min:g}", formula2=f"{col.max:g}")
            else:
                dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=f"{col.min:g}")
            dv.allow_blank, dv.showErrorMessage = True, True
            dv.errorTitle, dv.error = "数值", f"“{col.name}”应为{'整数' if col.type == INTEGER else '数值'}"
        if dv is not None:
            dv.promptTitle = col.name[:32]
            dv.prompt = requirement(col, enabled)[:255]
            dv.showInputMessage = True
            ws.add_data_validation(dv)
            dv.add(rng)
        ws.column_dimensions[letter].width = _width(col, values, spec)
    ws.freeze_panes = "B2" if spec is SCORES else "A2"
    ws.row_dimensions[1].height = 32
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "1:1"
    if spec is SCORES:
        ws.row_dimensions[1].height = 64  # the items' names, wrapped


def _reference(kind: str, column: str) -> str:
    """The drop-down source: column ``column`` of sheet ``kind`` below its header."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    letter = get_column_letter(BY_KIND[kind].names.index(column) + 1)
    return f"{quote_sheetname(kind)}!${letter}$2:${letter}${ROWS + 1}"


def _explanation(ws) -> None:
    """The 说明 sheet: what the colours and the notes mean (no header row of a register sheet)."""
    from openpyxl.styles import Alignment, Font, PatternFill

    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 80
    ws["A1"] = "填表说明"
    ws["A1"].font = Font(bold=True, size=14)
    for r, (fill, text) in enumerate(EXPLANATION_ROWS, 3):
        label = ws.cell(row=r, column=1, value=fill[0])
        if fill[1]:
            label.fill = PatternFill("solid", fgColor=fill[1])
        cell = ws.cell(row=r, column=2, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = 32
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def _width(col: Column, values, spec: SheetSpec) -> float:
    if spec is SCORES and col.name.isdigit():
        return 10
    longest = max([len(col.name), *(len(v) for v in values)])
    return float(max(_WIDTH.get(col.type, 12), min(40, longest * 2 + 4)))


def _comment(cell, text: str) -> None:
    from openpyxl.comments import Comment

    comment = Comment(text, "sheetkit")
    lines = text.count("\n") + 1
    comment.width = 320
    comment.height = max(80, 20 * lines)
    cell.comment = comment
