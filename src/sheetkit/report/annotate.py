"""Annotated copies of the register's workbooks, for staff who live in Excel.

For every workbook read, ``DIR/<stem>.标注.xlsx`` is a copy in which each cell with a
finding is filled (red: error/violation, amber: warning, light blue: info) and carries a
comment with the message, the rule id and the clause; an institution-level finding also
tints that institution's row in 机构. A first sheet ``问题清单`` lists every finding of
the file with a link to its cell. Everything else in the copy stays as it was.

The input is never written: ``.xlsx``/``.xlsm`` are loaded with openpyxl and saved under
the new name (macros are not carried over); ``.xls``/``.ods`` are read with
python-calamine and rebuilt as a fresh ``.xlsx`` with the same sheets and cell values
(their fonts, colours and widths cannot be carried over). Unreadable files get no copy.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from sheetkit.outputs import safe_name
from sheetkit.register.files import ANNOTATED_SUFFIX
from sheetkit.register.reader import column_letter
from sheetkit.report.model import SEVERITY_ZH, Finding, Report
from sheetkit.report.text import (  # noqa: F401  (read as annotate.text too)
    display_width, institution_label, institution_names, severity_rank, text, worst,
)

SUFFIX = ANNOTATED_SUFFIX  # ".标注.xlsx": one definition, which the reader skips
LIST_SHEET = "问题清单"
LIST_HEADERS = ("严重程度", "规则", "工作表", "单元格", "机构", "问题说明", "依据")
LIST_WIDTHS = (10, 22, 12, 10, 34, 60, 34)  # caps: a column is as wide as its content up to these
LONG_COLUMNS = ("机构", "问题说明", "依据")  # wrapped, sharing what the others leave of the page

# Cell fill (the cell with the finding) and row tint (the institution's row in 机构).
CELL_FILL = {"error": "FFFF9999", "violation": "FFFF9999", "warning": "FFFFC000", "info": "FFBDD7EE"}
ROW_TINT = {"error": "FFFCE4E4", "violation": "FFFCE4E4", "warning": "FFFFF2CC", "info": "FFDDEBF7"}
_ROW_LEVEL_SKIP = ("data.", "id.")  # cell-level families: no row tint


@dataclass
class AnnotatedCopy:
    """One workbook of the run: where its annotated copy went, or why there is none."""

    source: str  # the path as given on the command line
    output: Path | None
    findings: int
    note: str | None = None  # e.g. "由 .xls 转换" or why no copy was written


# ---------------------------------------------------------------- shared helpers
# The cell-text helpers every renderer shares live in `sheetkit.report.text`.


def target_cell(f: Finding) -> str | None:
    """The A1 cell a finding is marked on: its own cell; a finding with a row but no
    cell (a missing column, located at the header row) goes on that row's first cell."""
    if not f.sheet or not f.row:
        return None
    return f.cell or f"A{f.row}"


def sheet_ref(sheet: str, cell: str) -> str:
    """An in-workbook reference such as ``'人员'!C7`` (quotes doubled inside the name)."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


def list_row(f: Finding, names: dict[str, str]) -> list[str]:
    """One 问题清单 row (columns of LIST_HEADERS)."""
    where = f.cell or (f"第{f.row}行" if f.row else "")
    return [SEVERITY_ZH.get(f.severity, f.severity), f.rule, text(f.sheet), where,
            institution_label(f, names), text(f.message), text(f.clause)]


def copy_name(source: str, used: set[str]) -> str:
    """``<stem>.标注.xlsx`` from the file name only, made safe and unique within ``used``."""
    stem = safe_name(Path(Path(source.replace("\\", "/")).name).stem, fallback="工作簿")
    name = stem[:120] + SUFFIX
    n = 2
    while name.casefold() in used:
        name = f"{stem[:120]}-{n}{SUFFIX}"
        n += 1
    used.add(name.casefold())
    return name


def comment_text(findings: list[Finding], anchor: str | None = None) -> str:
    """One comment for every finding of a cell: message, rule id and clause of each. A
    finding inside a merged range (commented on its top-left ``anchor``) names its cell."""
    parts = []
    for i, f in enumerate(findings, 1):
        head = f"{i}. " if len(findings) > 1 else ""
        cell = target_cell(f)
        where = f"{cell}：" if anchor and cell and cell != anchor else ""
        line = f"{head}【{SEVERITY_ZH.get(f.severity, f.severity)}】{where}{text(f.message)}\n规则：{f.rule}"
        if f.clause:
            line += f"\n依据：{text(f.clause)}"
        parts.append(line)
    return "\n\n".join(parts)


# ---------------------------------------------------------------- the copies


def annotate(report: Report, out_dir) -> list[AnnotatedCopy]:
    """Write an annotated copy of every workbook of ``report`` into ``out_dir``.

    Returns one AnnotatedCopy per workbook read (``output`` is None for a file that
    could not be read, with the reason in ``note``)."""
    from sheetkit.outputs import atomic_path, refuse_inputs

    out_dir = Path(out_dir)
    register = getattr(report, "register", None)
    workbooks = list(register.workbooks) if register is not None else []
    kinds = {(s.path, s.sheet): s.kind for s in register.sources} if register is not None else {}
    names = institution_names(report)
    by_path: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_path.setdefault(f.path or "", []).append(f)
    # never write over a workbook being read (e.g. ``x.标注.xlsx`` given as input, DIR = its folder)
    here = out_dir.resolve()
    used: set[str] = {wp.real.name.casefold() for wp in workbooks if wp.real.resolve().parent == here}
    results = []
    for wp in workbooks:
        findings = by_path.get(wp.shown, [])
        unreadable = [f for f in findings if f.rule == "data.unreadable"]
        if unreadable:
            results.append(AnnotatedCopy(wp.shown, None, len(findings), note=unreadable[0].message))
            continue
        try:
            wb, note = _load(wp.real)
        except Exception as exc:  # openpyxl may refuse a file calamine could read
            results.append(AnnotatedCopy(wp.shown, None, len(findings),
                                         note="无法生成标注副本：该文件的内部格式无法按 Excel 工作簿重新打开"
                                              "（检查结果不受影响）"))
            continue
        sheet_kinds = {sheet: kind for (path, sheet), kind in kinds.items() if path == wp.shown}
        mark(wb, findings, sheet_kinds)
        add_problem_list(wb, findings, names)
        target = out_dir / copy_name(wp.shown, used)
        refuse_inputs([target], workbooks)
        with atomic_path(target) as tmp:
            wb.save(tmp)
        results.append(AnnotatedCopy(wp.shown, target, len(findings), note=note))
    return results


def _load(real: Path):
    """The workbook as openpyxl objects, and a note when it had to be converted."""
    import openpyxl

    suffix = real.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unsupported extensions (slicers, images) are dropped
            wb = openpyxl.load_workbook(real, rich_text=True, keep_links=False)  # no external links
            formulas = [(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows()
                        for c in row if c.data_type == "f"]
            cached = openpyxl.load_workbook(real, data_only=True, keep_links=False) if formulas else None
        for title, coordinate in formulas:  # the value Excel saved, or the formula as text
            cell, value = wb[title][coordinate], cached[title][coordinate].value
            if value is None or isinstance(value, str):
                set_text(cell, value if value is not None else _formula_text(cell.value))
            else:
                cell.value = value
        defuse(wb)
        return wb, ("已由 .xlsm 另存为 .xlsx（不含宏）" if suffix == ".xlsm" else None)
    return _rebuild(real), f"已由 {suffix or '该格式'} 转换为 .xlsx（仅保留单元格的值和合并单元格）"


def defuse(wb) -> None:
    """Nothing in the copy runs when it is opened: no recalculation forced on load, and no
    formula left from the submitter where Excel would evaluate one — defined names,
    conditional formats and data validations (WEBSERVICE, DDE, HYPERLINK can live there)."""
    from openpyxl.formatting.formatting import ConditionalFormattingList

    if wb.calculation is not None:
        wb.calculation.fullCalcOnLoad = False
    for name in list(wb.defined_names):
        del wb.defined_names[name]
    for ws in wb.worksheets:
        ws.conditional_formatting = ConditionalFormattingList()
        ws.data_validations.dataValidation = []
        for name in list(getattr(ws, "defined_names", {}) or {}):
            del ws.defined_names[name]
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":  # none should be left; never write one
                    set_text(cell, _formula_text(cell.value))


def _formula_text(value) -> str:
    """A formula (plain, array or data table) as the text it was written with."""
    return value if isinstance(value, str) else str(getattr(value, "text", "") or "")


def _rebuild(real: Path):
    """A fresh openpyxl workbook with the sheets and values python-calamine reads."""
    import datetime as dt

    import openpyxl
    import python_calamine as pc

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    src = pc.CalamineWorkbook.from_path(str(real))
    try:
        for meta in src.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            sheet = src.get_sheet_by_name(meta.name)
            ws = wb.create_sheet(meta.name[:31])
            for r, row in enumerate(sheet.to_python(skip_empty_area=False), 1):
                for c, value in enumerate(row, 1):
                    if value is None or value == "":
                        continue
                    cell = ws.cell(row=r, column=c)
                    if isinstance(value, str):
                        set_text(cell, value)
                    else:
                        cell.value = value
                        if isinstance(value, dt.datetime):
                            cell.number_format = "yyyy-mm-dd hh:mm" if value.time() != dt.time() else "yyyy-mm-dd"
                        elif isinstance(value, dt.date):
                            cell.number_format = "yyyy-mm-dd"
            for (r0, c0), (r1, c1) in getattr(sheet, "merged_cell_ranges", None) or ():
                if (r0, c0) != (r1, c1):
                    ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    finally:
        src.close()
    if not wb.worksheets:
        wb.create_sheet("Sheet1")
    return wb


def set_text(cell, value) -> None:
    """Write ``value`` as text: a string starting with ``=`` stays text, never a formula."""
    cell.value = text(value)
    cell.data_type = "s"


def _anchor(ws, coordinate: str) -> str:
    """The top-left cell of the merged range holding ``coordinate`` (or itself)."""
    for rng in ws.merged_cells.ranges:
        if coordinate in rng:
            return rng.start_cell.coordinate
    return coordinate


def mark(wb, findings: list[Finding], sheet_kinds: dict[str, str]) -> None:
    """Fill, comment and tint the cells and rows ``findings`` point at."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    cells: dict[tuple[str, str], list[Finding]] = {}
    rows: dict[tuple[str, int], list[Finding]] = {}
    for f in findings:
        cell = target_cell(f)
        if cell is None or f.sheet not in wb.sheetnames:
            continue
        ws = wb[f.sheet]
        cells.setdefault((f.sheet, _anchor(ws, cell)), []).append(f)
        if sheet_kinds.get(f.sheet) == "机构" and not f.rule.startswith(_ROW_LEVEL_SKIP):
            rows.setdefault((f.sheet, f.row), []).append(f)
    for (sheet, row), group in rows.items():  # light tint first, the cell fill wins after
        ws = wb[sheet]
        fill = PatternFill("solid", fgColor=ROW_TINT.get(worst(group), ROW_TINT["info"]))
        for col in range(1, max(ws.max_column, 1) + 1):
            cell = ws.cell(row=row, column=col)
            if (sheet, cell.coordinate) not in cells and not _merged(ws, cell.coordinate):
                cell.fill = fill
    for (sheet, coordinate), group in cells.items():
        ws = wb[sheet]
        group.sort(key=lambda f: (severity_rank(f.severity), f.row or 0, f.rule))
        cell = ws[coordinate]
        cell.fill = PatternFill("solid", fgColor=CELL_FILL.get(worst(group), CELL_FILL["info"]))
        body = comment_text(group, coordinate)
        if cell.comment is not None and cell.comment.text:
            body = f"{body}\n\n（原批注）{cell.comment.text}"
        lines = sum(1 + display_width(line) // 40 for line in body.splitlines())
        cell.comment = Comment(body, "sheetkit", height=min(600, 20 + 15 * lines), width=300)


def _merged(ws, coordinate: str) -> bool:
    return any(coordinate in rng and coordinate != rng.start_cell.coordinate for rng in ws.merged_cells.ranges)


def add_problem_list(wb, findings: list[Finding], names: dict[str, str]) -> None:
    """Insert ``问题清单`` as the first, active sheet: every finding, linked to its cell."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    title = LIST_SHEET
    n = 2
    while title in wb.sheetnames:
        title = f"{LIST_SHEET}{n}"
        n += 1
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False
    ws = wb.create_sheet(title, 0)
    wb.active = 0
    ws.sheet_view.tabSelected = True
    bold = Font(bold=True)
    for c, name in enumerate(LIST_HEADERS, 1):
        cell = ws.cell(row=1, column=c)
        set_text(cell, name)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="FFD9D9D9")
    wrap = Alignment(wrap_text=True, vertical="top")
    ordered = sorted(findings, key=lambda f: (severity_rank(f.severity), f.sheet or "", f.row or 0, f.rule))
    for r, f in enumerate(ordered, 2):
        values = list_row(f, names)
        for c, value in enumerate(values, 1):
            cell = ws.cell(row=r, column=c)
            set_text(cell, value)
            cell.alignment = wrap
        sev = ws.cell(row=r, column=1)
        sev.fill = PatternFill("solid", fgColor=CELL_FILL.get(f.severity, CELL_FILL["info"]))
        cell = target_cell(f)
        if cell is not None and f.sheet in wb.sheetnames:
            link = ws.cell(row=r, column=4)
            set_text(link, cell)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=sheet_ref(f.sheet, cell),
                                       tooltip=f"转到 {f.sheet}!{cell}")
            link.font = Font(color="FF0563C1", underline="single")
    if not ordered:
        set_text(ws.cell(row=2, column=1), "本工作簿未发现问题")
    _list_layout(ws, len(ordered))
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.auto_filter.ref = f"A1:{column_letter(len(LIST_HEADERS) - 1)}{max(2, len(ordered) + 1)}"


def _list_layout(ws, rows: int) -> None:
    """The list's print set-up, as the report workbook's 问题清单 (`report.layout`): A4
    landscape, one page wide at `LIST_MIN_SCALE` or more — short columns as wide as their
    content, the long texts (机构, 问题说明, 依据) wrapped in what is left, in proportion —
    and each row as tall as its wrapped lines. The other sheets keep the user's settings."""
    from sheetkit.report.layout import LINE_HEIGHT, LIST_PAGE_WIDTH, ROW_PAD, Widths, wrapped_lines

    widths = Widths()
    for r in range(1, rows + 2):
        for c in range(len(LIST_HEADERS)):
            widths.see(c, ws.cell(row=r, column=c + 1).value, row=r)
    short = [c for c, name in enumerate(LIST_HEADERS) if name not in LONG_COLUMNS]
    final = widths.fitted(LIST_WIDTHS, minimum=8, total=LIST_PAGE_WIDTH, keep=short, shared=True)
    for c, width in final.items():
        ws.column_dimensions[column_letter(c)].width = width
    for r, cells in widths.rows.items():
        lines = max(wrapped_lines(value, final.get(c, 8)) for c, value in cells)
        if lines > 1:
            ws.row_dimensions[r].height = LINE_HEIGHT * lines + ROW_PAD
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


__all__ = ["AnnotatedCopy", "annotate", "copy_name", "CELL_FILL", "ROW_TINT", "SUFFIX", "LIST_SHEET"]
