"""The problem-list workbook of one run (``validate --report``), written with xlsxwriter
(imported here only).

Sheets, each table on its own so each prints legibly on A4: ``汇总`` — the overview (counts
by city, with a total per severity, and by rule family, with a bar chart of the latter); ``按机构`` —
every institution's eligibility and counts; ``续期评估`` — renewal scores and outcomes;
``按规则``; ``按文件``; ``问题清单`` — every finding with filters and a frozen header; and,
with a previous run, ``变更``. The rows come from `report.summary_tables`. Every value is
written explicitly as a string or a number, so a name such as ``=SUM(A1)`` stays text.

Printing: A4, one page wide and as many tall as needed, the header row repeated on every
page, page numbers in the footer, one font (宋体). A table sheet's columns are sized for
its own text and capped so that the table fits the page's width at full size (portrait
when it fits, else landscape); longer text wraps and each row gets the height its wrapped
text needs (xlsxwriter leaves heights to the reader, and neither Excel nor LibreOffice
computes them on opening). 问题清单 and 变更 print landscape at 83 % or more: short
columns as wide as their content, the long texts wrapped in columns sharing the rest of
the page. Widths, line counts and the print set-up are in `report.layout`.
"""

from __future__ import annotations

from pathlib import Path

from sheetkit.report import summary_tables as tables
from sheetkit.report.layout import (COLUMN_CAP, COLUMN_PADDING, FONT, LINE_HEIGHT, PAGE_WIDTH, PRINTABLE_HEIGHT,
                                    ROW_PAD, Widths, list_widths, print_setup, wrapped_lines)
from sheetkit.report.model import SEVERITY_ZH, Report
from sheetkit.report.text import institution_label, institution_names, text

SUMMARY_SHEET = "汇总"
LIST_SHEET = "问题清单"
# the table sheets, in the order they follow 汇总; each: sheet name, its table
TABLE_SHEETS = (("按机构", tables.by_institution), ("续期评估", tables.renewals), ("按规则", tables.by_rule),
                ("按文件", tables.by_file))
LIST_HEADERS = ("文件", "严重程度", "规则", "规则名称", "工作表", "单元格", "所属市", "机构", "问题说明", "依据")
LIST_MAX_WIDTHS = (100, 10, 19, 30, 12, 10, 8, 60, 120, 50)  # before fitting to the page
# 文件, 规则名称, 机构, 问题说明, 依据: wrapped, sharing what the short columns leave of the page
LIST_LONG = frozenset({0, 3, 7, 8, 9})
PORTRAIT_MIN_CUT = 24  # a table prints portrait only if no column is cut below this (12 Chinese characters)
_SEV_COLOUR = {"error": "#FF9999", "violation": "#FF9999", "warning": "#FFC000", "info": "#BDD7EE"}


def write_report_workbook(report: Report, target, changes=None) -> Path:
    """Write the run's problem-list workbook to ``target`` (atomically); return its path.
    With ``changes`` (`sheetkit.changes.Changes`), a 变更 sheet is added."""
    from sheetkit.outputs import atomic_path, refuse_inputs

    target = Path(target)
    refuse_inputs([target], getattr(getattr(report, "register", None), "workbooks", []))
    with atomic_path(target) as tmp:
        _write(report, tmp, changes)
    return target


def _write(report: Report, path: Path, changes=None) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False,
                                         "default_format_properties": {"font_name": FONT, "font_size": 11}})
    fmt = _Formats(wb)
    summary = wb.add_worksheet(SUMMARY_SHEET)
    _summary(wb, summary, report, fmt)
    page_header = f'&L&"{FONT}"登记表检查 &A&R&"{FONT}"检查日期 {report.as_of.isoformat()}'
    for name, make in TABLE_SHEETS:
        _table_sheet(wb.add_worksheet(name), make(report), fmt, page_header)
    _problem_list(wb.add_worksheet(LIST_SHEET), report, fmt, page_header)
    if changes is not None:
        from sheetkit.report.changes_sheet import add_changes_sheet

        add_changes_sheet(wb, changes, report, page_header)
    summary.activate()
    wb.close()


class _Formats:
    def __init__(self, wb):
        def add(**props):
            return wb.add_format({"font_name": FONT, "font_size": 11, **props})

        cell = {"border": 1, "valign": "top", "text_wrap": True}
        self.title = add(bold=True, font_size=14)
        self.plain = add()
        self.title_wrap = add(bold=True, font_size=14, text_wrap=True, valign="top")
        self.plain_wrap = add(text_wrap=True, valign="top")
        self.head = add(bold=True, bg_color="#D9D9D9", **cell)
        self.cell = add(**cell)
        self.number = add(num_format="0", **cell)
        self.score = add(num_format="0.00", **cell)
        self.good = add(font_color="#006100", bg_color="#C6EFCE", **cell)
        self.bad = add(font_color="#9C0006", bg_color="#FFC7CE", **cell)
        self.severity = {s: add(bg_color=c, **cell) for s, c in _SEV_COLOUR.items()}


def put(ws, row: int, col: int, value, fmt=None) -> None:
    """Write one value explicitly: numbers as numbers, everything else as text."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(row, col, "是" if value else "否", fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, text(value)[:32767], fmt)


def _table(ws, row: int, table: tables.Table, fmt, widths) -> int:
    """Write ``table`` from ``row``: its title, its header row, its rows (or 「（无）」);
    return the next free row (one blank row after)."""
    ws.write_string(row, 0, table.title, fmt.title)
    row += 1
    for c, h in enumerate(table.headers):
        h = tables.HEADER_LINES.get(h, h)
        ws.write_string(row, c, h, fmt.head)
        widths.see(c, h, row)
    for values in table.rows:
        row += 1
        for c, v in enumerate(values):
            style = table.marks.get((c, v)) or (table.formats.get(c) if isinstance(v, float) else None)
            if style:
                f = getattr(fmt, style)
            else:
                f = fmt.number if isinstance(v, (int, float)) and not isinstance(v, bool) else fmt.cell
            put(ws, row, c, v, f)
            widths.see(c, v, row)
    if not table.rows:
        row += 1
        ws.write_string(row, 0, "（无）", fmt.cell)
        widths.see(0, "（无）", row)
    return row + 2


def _orient(widths: Widths, keep=()) -> str:
    """Portrait when the table fits a portrait page with no column cut below
    PORTRAIT_MIN_CUT (12 Chinese characters a line), else landscape."""
    natural = widths.fitted()
    fitted = widths.fitted(total=PAGE_WIDTH["portrait"], keep=keep)
    fits = sum(fitted.values()) + COLUMN_PADDING * len(fitted) <= PAGE_WIDTH["portrait"]
    cut_ok = all(fitted[c] >= min(w, PORTRAIT_MIN_CUT) for c, w in natural.items())
    return "portrait" if fits and cut_ok else "landscape"


def _table_sheet(ws, table: tables.Table, fmt, page_header: str) -> None:
    """One table on a sheet of its own: title in row 1, header row 2 (frozen, filtered and
    repeated on every printed page), widths of its own fitted to the page's width."""
    widths = Widths()
    _table(ws, 0, table, fmt, widths)
    orientation = _orient(widths, table.keep)
    widths.apply(ws, cap=COLUMN_CAP, total=PAGE_WIDTH[orientation], keep=table.keep, pad=ROW_PAD)
    ws.freeze_panes(2, 0)
    if table.rows:
        ws.autofilter(1, 0, 1 + len(table.rows), len(table.headers) - 1)
    print_setup(ws, landscape=orientation == "landscape")
    ws.set_header(page_header)
    ws.repeat_rows(1)


def _summary(wb, ws, report: Report, fmt) -> None:
    """The overview: short tables that share column A (labels) and B… (counts)."""
    insts = report.institutions
    eligible = sum(1 for v in insts if v.eligible)
    widths = Widths()
    lines = [("登记表检查汇总", fmt.title_wrap, 14),
             (f"检查日期 {report.as_of.isoformat()}（{report.profile.id}）：共 {len(report.files)} 个工作簿，"
              f"{len(insts)} 家机构（符合条件 {eligible} 家，不符合条件 {len(insts) - eligible} 家），"
              f"{len(report.findings)} 条问题", fmt.plain_wrap, 11),
             ("各表：" + "、".join(name for name, _ in TABLE_SHEETS) + f"、{LIST_SHEET}（每条问题）", fmt.plain_wrap, 11)]
    row = _table(ws, 4, tables.by_city(report), fmt, widths)
    families = tables.by_family(report)
    first = row + 1
    row = _table(ws, row, families, fmt, widths)
    final = widths.apply(ws, cap=COLUMN_CAP, total=PAGE_WIDTH["portrait"], pad=ROW_PAD)
    span = sum(final.values())
    for r, (value, style, size) in enumerate(lines):  # across the tables' width, so nothing prints past it
        widths.heights[r] = (LINE_HEIGHT * size / 11) * wrapped_lines(value, span * 11 / size) + 2
        ws.merge_range(r, 0, r, max(final), value, style)
        ws.set_row(r, widths.heights[r])
    if families.rows:
        chart_height = 60 + 32 * len(families.rows)  # pixels: room for every category label
        above = sum(widths.heights.get(r, 20) for r in range(row))  # points; a title or a blank row: 20 at most
        if above + chart_height * 0.75 > PRINTABLE_HEIGHT and first > 1:
            ws.set_h_pagebreaks([first - 1])  # the table and its chart together on the next page
        chart = wb.add_chart({"type": "bar"})
        chart.add_series({"name": "问题数",
                          "categories": [SUMMARY_SHEET, first + 1, 0, first + len(families.rows), 0],
                          "values": [SUMMARY_SHEET, first + 1, 1, first + len(families.rows), 1],
                          "fill": {"color": "#C0504D"}, "data_labels": {"value": True}})
        chart.set_title({"name": "按规则类别的问题数"})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        chart.set_size({"width": min(520, sum(int(w * 7 + 0.5) + 5 for w in final.values())),
                        "height": chart_height})
        ws.insert_chart(row, 0, chart)
    print_setup(ws, landscape=False)


def _problem_list(ws, report: Report, fmt, page_header: str) -> None:
    """Every finding, a row each: header row frozen, filtered and repeated on every printed
    page; landscape, the long texts wrapped in columns sharing the page (`list_widths`)."""
    from sheetkit.rules.registry import RULES

    names = institution_names(report)
    city_of = {v.uscc: v.city or "" for v in report.institutions if v.uscc}
    widths = Widths()
    for c, h in enumerate(LIST_HEADERS):
        ws.write_string(0, c, h, fmt.head)
        widths.see(c, h, 0)
    for r, f in enumerate(report.findings, 1):
        values = [f.path or "（整个登记表）", SEVERITY_ZH.get(f.severity, f.severity), f.rule,
                  RULES[f.rule].title if f.rule in RULES else "", f.sheet or "",
                  f.cell or (f"第{f.row}行" if f.row else ""), city_of.get(f.institution, ""),
                  institution_label(f, names), f.message, f.clause or ""]
        for c, v in enumerate(values):
            style = fmt.severity.get(f.severity, fmt.cell) if c == 1 else fmt.cell
            put(ws, r, c, text(v), style)
            widths.see(c, v, r)
    list_widths(ws, widths, LIST_MAX_WIDTHS, LIST_LONG)
    ws.freeze_panes(1, 0)
    print_setup(ws)
    ws.set_header(page_header)
    ws.repeat_rows(0)
    ws.autofilter(0, 0, max(1, len(report.findings)), len(LIST_HEADERS) - 1)
