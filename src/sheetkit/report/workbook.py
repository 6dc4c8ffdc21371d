"""The problem-list workbook of one run (``validate --report FILE.xlsx``).

Two sheets: ``汇总`` — counts by severity, city, institution and rule, each
institution's eligibility and renewal outcome, and a bar chart of findings by rule
family; ``问题清单`` — every finding with filters and a frozen header. Written with
xlsxwriter (imported here only); every value is written explicitly as a string or a
number, so a name such as ``=SUM(A1)`` stays text.

Printing: A4 landscape, one page wide, page numbers in the footer, the header row repeated
on every page; one font (宋体) throughout; long text wraps in capped columns and each row
gets the height its wrapped text needs (xlsxwriter leaves heights to the reader, and
neither Excel nor LibreOffice computes them on opening).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sheetkit.report.text import display_width, institution_label, institution_names, severity_rank, text
from sheetkit.report.model import SEVERITIES, SEVERITY_ZH, Report

SUMMARY_SHEET = "汇总"
LIST_SHEET = "问题清单"
LIST_HEADERS = ("文件", "严重程度", "规则", "规则名称", "工作表", "单元格", "所属市", "机构", "问题说明", "依据")
LIST_MAX_WIDTHS = (24, 9, 20, 20, 10, 9, 8, 26, 50, 24)
SUMMARY_MAX_WIDTH = 26  # a column of 汇总 (its six tables share the columns): longer text wraps
FONT = "宋体"
LINE_HEIGHT = 15  # points per line of 11 pt text
PAPER_A4 = 9
FAMILY_ZH = {"data": "数据与格式", "id": "证件号码", "inst": "机构条件", "staff": "人员条件",
             "venue": "场地条件", "project": "考核项目", "renewal": "续期评估", "filing": "备案期"}
NO_CITY = "（未关联机构）"
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
    problems = wb.add_worksheet(LIST_SHEET)
    _summary(wb, summary, report, fmt)
    _problem_list(problems, report, fmt)
    if changes is not None:
        from sheetkit.report.changes_sheet import add_changes_sheet

        add_changes_sheet(wb, changes, report)
    summary.activate()
    wb.close()


class _Formats:
    def __init__(self, wb):
        def add(**props):
            return wb.add_format({"font_name": FONT, "font_size": 11, **props})

        cell = {"border": 1, "valign": "top", "text_wrap": True}
        self.title = add(bold=True, font_size=14)
        self.plain = add()
        self.head = add(bold=True, bg_color="#D9D9D9", **cell)
        self.cell = add(**cell)
        self.wrap = self.cell
        self.number = add(num_format="0", **cell)
        self.score = add(num_format="0.00", **cell)
        self.good = add(font_color="#006100", bg_color="#C6EFCE", **cell)
        self.bad = add(font_color="#9C0006", bg_color="#FFC7CE", **cell)
        self.severity = {s: add(bg_color=c, **cell) for s, c in _SEV_COLOUR.items()}


def print_setup(ws, landscape: bool = True) -> None:
    """A4, one page wide, page numbers in the footer."""
    ws.set_paper(PAPER_A4)
    if landscape:
        ws.set_landscape()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)
    ws.set_footer(f'&C&"{FONT}"第 &P 页，共 &N 页')


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


class _Widths:
    """Track the widest value per column, for widths fit for Chinese text, and the text of
    each row, for the heights its wrapped text needs once the widths are known."""

    def __init__(self):
        self.w: dict[int, int] = {}
        self.rows: dict[int, list[tuple[int, str]]] = {}

    def see(self, col: int, value, row: int | None = None) -> None:
        self.w[col] = max(self.w.get(col, 0), display_width(value) + 2)
        if row is not None and value not in (None, ""):
            self.rows.setdefault(row, []).append((col, text(value)))

    def apply(self, ws, caps=None, minimum: int = 6, cap: int = 40) -> dict[int, int]:
        final = {}
        for col, width in self.w.items():
            limit = caps[col] if caps and col < len(caps) else cap
            final[col] = max(minimum, min(limit, width))
            ws.set_column(col, col, final[col])
        for row, cells in self.rows.items():
            lines = max(wrapped_lines(value, final.get(col, 8)) for col, value in cells)
            if lines > 1:
                ws.set_row(row, LINE_HEIGHT * lines)
        return final


def wrapped_lines(value: str, width: float) -> int:
    """Lines ``value`` takes in a column ``width`` characters wide (CJK count double)."""
    room = max(width - 1, 1)
    return sum(max(1, -(-display_width(part) // room)) for part in str(value).split("\n"))


def _table(ws, row: int, title: str, headers, rows, fmt, widths, formats=None) -> int:
    """A titled block of rows; returns the next free row (one blank row after)."""
    ws.write_string(row, 0, title, fmt.title)
    row += 1
    for c, h in enumerate(headers):
        ws.write_string(row, c, h, fmt.head)
        widths.see(c, h)
    for values in rows:
        row += 1
        for c, v in enumerate(values):
            f = (formats or {}).get((c, v)) or (fmt.number if isinstance(v, (int, float)) and not isinstance(v, bool)
                                                else fmt.cell)
            put(ws, row, c, v, f)
            widths.see(c, v, row)
    if not rows:
        row += 1
        ws.write_string(row, 0, "（无）", fmt.cell)
    return row + 2


def _counts(findings) -> list:
    c = Counter(f.severity for f in findings)
    return [c.get(s, 0) for s in SEVERITIES] + [len(findings)]


def _summary(wb, ws, report: Report, fmt) -> None:
    from sheetkit.rules.registry import RULES

    insts = {v.uscc: v.to_dict() for v in report.institutions if v.uscc}  # the assessment's verdicts
    city_of = {u: (i.get("city") or NO_CITY) for u, i in insts.items()}
    sev_heads = [SEVERITY_ZH[s] for s in SEVERITIES] + ["合计"]
    widths = _Widths()
    ws.write_string(0, 0, f"登记表检查汇总（{report.profile.id}，检查日期 {report.as_of.isoformat()}）", fmt.title)
    put(ws, 1, 0, f"共 {len(report.files)} 个工作簿，{len(report.institutions)} 家机构，{len(report.findings)} 条问题",
        fmt.plain)
    row = 3
    by_file: dict[str, list] = {}
    for f in report.findings:
        by_file.setdefault(f.path or "", []).append(f)
    file_rows = []
    for info in report.files:
        fs = by_file.get(info["path"], [])
        unreadable = next((f.message for f in fs if f.rule == "data.unreadable"), None)
        sheets = "、".join(f"{s['name']}（{s['kind']}）" for s in info.get("sheets") or [])
        file_rows.append([info["path"], unreadable or sheets, *_counts(fs)])
    row = _table(ws, row, "按文件", ["文件", "读取的工作表", *sev_heads], file_rows, fmt, widths)
    by_city: dict[str, list] = {}
    for f in report.findings:
        by_city.setdefault(city_of.get(f.institution, NO_CITY), []).append(f)
    for city in {i.get("city") or NO_CITY for i in insts.values()}:
        by_city.setdefault(city, [])
    row = _table(ws, row, "按所属市", ["所属市", *sev_heads],
                 [[city, *_counts(fs)] for city, fs in sorted(by_city.items(), key=lambda kv: (kv[0] == NO_CITY, kv[0]))],
                 fmt, widths)
    ok = {(4, "符合"): fmt.good, (4, "不符合"): fmt.bad}
    inst_rows = []
    for u, i in insts.items():
        fs = report.findings_for(u)
        inst_rows.append([i.get("city") or "", i.get("name") or "", u, i.get("status") or "",
                          "符合" if i.get("eligible") else "不符合", "、".join(i.get("reasons") or []), *_counts(fs)])
    row = _table(ws, row, "按机构（是否符合条件）",
                 ["所属市", "机构名称", "统一社会信用代码", "备案状态", "是否符合条件", "不符合的规则", *sev_heads],
                 inst_rows, fmt, widths, ok)
    by_rule = Counter(f.rule for f in report.findings)
    sev_of = {f.rule: f.severity for f in report.findings}
    rule_rows = [[r, RULES[r].title if r in RULES else "", SEVERITY_ZH.get(sev_of[r], sev_of[r]), n]
                 for r, n in sorted(by_rule.items(), key=lambda kv: (severity_rank(sev_of[kv[0]]), -kv[1], kv[0]))]
    row = _table(ws, row, "按规则", ["规则", "规则名称", "严重程度", "问题数"], rule_rows, fmt, widths)
    renewal_rows = []
    for u, i in insts.items():
        ren = i.get("renewal")
        if not ren:
            continue
        period = (ren.get("period") or {}).get("text") or ""
        score = ren.get("score")
        experts = "；".join(f"{e.get('name') or ''} {e['total']:.2f}" if isinstance(e.get("total"), (int, float))
                           else f"{e.get('name') or ''}" for e in ren.get("experts") or [])
        vetoes = "、".join(f"第{v}项" for v in ren.get("vetoes") or [])
        renewal_rows.append([i.get("city") or "", i.get("name") or "", u,
                             float(score) if isinstance(score, (int, float)) else "",
                             ren.get("result") or "", "、".join(ren.get("renewed") or []),
                             "、".join(ren.get("dropped") or []), period, experts, vetoes])
    renewal_ok = {(4, "合格"): fmt.good, (4, "不合格"): fmt.bad}
    renewal_start = row
    row = _table(ws, row, "续期评估", ["所属市", "机构名称", "统一社会信用代码", "综合得分", "评估结论", "续期项目",
                                     "不再续期项目", "新备案期", "评估专家及得分", "不合格项"], renewal_rows, fmt, widths, renewal_ok)
    for r, values in enumerate(renewal_rows, renewal_start + 2):
        if isinstance(values[3], float):
            ws.write_number(r, 3, values[3], fmt.score)
    families = Counter(f.rule.split(".", 1)[0] for f in report.findings)
    family_rows = [[FAMILY_ZH.get(fam, fam), n] for fam, n in sorted(families.items(), key=lambda kv: -kv[1])]
    first = row + 1
    row = _table(ws, row, "按规则类别", ["规则类别", "问题数"], family_rows, fmt, widths)
    widths.apply(ws, cap=SUMMARY_MAX_WIDTH)
    if family_rows:
        chart = wb.add_chart({"type": "bar"})
        chart.add_series({"name": "问题数",
                          "categories": [SUMMARY_SHEET, first + 1, 0, first + len(family_rows), 0],
                          "values": [SUMMARY_SHEET, first + 1, 1, first + len(family_rows), 1],
                          "fill": {"color": "#C0504D"}, "data_labels": {"value": True}})
        chart.set_title({"name": "按规则类别的问题数"})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        chart.set_size({"width": 520, "height": 60 + 40 * len(family_rows)})
        ws.insert_chart(row, 0, chart)
    print_setup(ws)


def _problem_list(ws, report: Report, fmt) -> None:
    from sheetkit.rules.registry import RULES

    names = institution_names(report)
    city_of = {v.uscc: v.city or "" for v in report.institutions if v.uscc}
    widths = _Widths()
    for c, h in enumerate(LIST_HEADERS):
        ws.write_string(0, c, h, fmt.head)
        widths.see(c, h)
    for r, f in enumerate(report.findings, 1):
        values = [f.path or "（整个登记表）", SEVERITY_ZH.get(f.severity, f.severity), f.rule,
                  RULES[f.rule].title if f.rule in RULES else "", f.sheet or "",
                  f.cell or (f"第{f.row}行" if f.row else ""), city_of.get(f.institution, ""),
                  institution_label(f, names), f.message, f.clause or ""]
        for c, v in enumerate(values):
            style = fmt.severity.get(f.severity, fmt.cell) if c == 1 else (fmt.wrap if c == 8 else fmt.cell)
            put(ws, r, c, text(v), style)
            widths.see(c, v, r)
    widths.apply(ws, LIST_MAX_WIDTHS)
    ws.freeze_panes(1, 0)
    print_setup(ws)
    ws.repeat_rows(0)
    ws.autofilter(0, 0, max(1, len(report.findings)), len(LIST_HEADERS) - 1)
