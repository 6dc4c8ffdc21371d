"""The 变更 sheet of the problem-list workbook: what changed since the previous run
(`sheetkit.changes.Changes`). Called from `report.workbook` when a previous run is
known. Every value is written as text or a number, never a formula. Printed as 问题清单
is: A4 landscape, one page wide at 83 % or more, the long texts wrapped
(`report.layout.list_widths`), the header row repeated."""

from __future__ import annotations

from sheetkit.report.model import SEVERITY_ZH

SHEET = "变更"
HEADERS = ("变化", "所属市", "机构名称", "统一社会信用代码", "严重程度", "规则", "工作表", "单元格", "说明", "依据")
WIDTHS = (12, 10, 60, 22, 10, 19, 12, 10, 120, 50)  # caps, before fitting to the page
LONG = frozenset({2, 8, 9})  # 机构名称, 说明, 依据: wrapped, sharing what the others leave of the page
KIND_ZH = {"new": "新问题", "fixed": "已修复", "added": "新增机构", "removed": "移除机构", "changed": "状况变化"}


def changed_value(value, field: str = "eligible") -> str:
    """A changed value in words: eligibility 符合/不符合, whether a document is due 是/否."""
    if isinstance(value, bool):
        if field == "eligible":
            return "符合" if value else "不符合"
        return "是" if value else "否"
    return "" if value is None else str(value)


def rows(changes, names: dict[str, str], cities: dict[str, str]) -> list[list]:
    """The sheet's rows (without the header), in the order shown: institutions first."""
    out = []
    for kind, insts in (("added", changes.added), ("removed", changes.removed)):
        for i in insts:
            out.append([KIND_ZH[kind], i.get("city") or "", i.get("name") or "", i.get("uscc") or "", "", "", "", "",
                        f"备案状态 {i.get('status') or '（空）'}，{changed_value(i.get('eligible'))}条件", ""])
    for c in changes.changed:
        out.append([KIND_ZH["changed"], c.get("city") or "", c.get("name") or "", c["uscc"], "", "", "", "",
                    f"{c['label']}：{changed_value(c['before'], c.get('field'))} → {changed_value(c['after'], c.get('field'))}", ""])
    for kind, findings in (("new", changes.new), ("fixed", changes.fixed)):
        for f in findings:
            u = f.get("institution") or ""
            out.append([KIND_ZH[kind], cities.get(u, ""), names.get(u, ""), u,
                        SEVERITY_ZH.get(f.get("severity"), f.get("severity") or ""), f.get("rule") or "",
                        f.get("sheet") or "", f.get("cell") or "", f.get("message") or "", f.get("clause") or ""])
    return out


def add_changes_sheet(wb, changes, report, page_header: str = "") -> None:
    """Append the 变更 sheet to the xlsxwriter workbook ``wb``."""
    from sheetkit.report.text import text
    from sheetkit.report.layout import LINE_HEIGHT, Widths, list_widths, print_setup, wrapped_lines

    insts = report.to_dict()["institutions"] if hasattr(report, "to_dict") else []
    names = {i["uscc"]: i.get("name") or "" for i in insts if i.get("uscc")}
    cities = {i["uscc"]: i.get("city") or "" for i in insts if i.get("uscc")}
    for i in changes.removed:  # a fixed finding of an institution no longer in the register
        names.setdefault(i.get("uscc"), i.get("name") or "")
        cities.setdefault(i.get("uscc"), i.get("city") or "")
    ws = wb.add_worksheet(SHEET)
    props = {"border": 1, "valign": "top", "text_wrap": True}
    head = wb.add_format({"bold": True, "bg_color": "#D9D9D9", **props})
    cell = wb.add_format(props)
    marks = {KIND_ZH["new"]: wb.add_format({"bg_color": "#FFC7CE", **props}),
             KIND_ZH["fixed"]: wb.add_format({"bg_color": "#C6EFCE", **props})}
    prev = changes.previous or {}
    title = f"与上次检查（{prev.get('time') or prev.get('as_of') or '上次'}）相比：" + "，".join(
        f"{label} {n}" for label, n in zip(("新问题", "已修复", "新增机构", "移除机构", "状况变化"),
                                           changes.summary.values()))
    widths = Widths()
    for c, h in enumerate(HEADERS):
        ws.write_string(1, c, h, head)
        widths.see(c, h, 1)
    body = rows(changes, names, cities)
    for r, values in enumerate(body, 2):
        for c, v in enumerate(values):
            style = marks.get(v, cell) if c == 0 else cell
            if v == "" or v is None:
                ws.write_blank(r, c, None, style)
            else:
                ws.write_string(r, c, text(v)[:32767], style)
                widths.see(c, v, r)
    if not body:
        ws.write_string(2, 0, "（与上次相比没有变化）", cell)
        widths.see(0, "（与上次相比没有变化）", 2)
    final = list_widths(ws, widths, WIDTHS, LONG)
    # the title across the table's width (wrapped there), so nothing prints past its edge
    ws.merge_range(0, 0, 0, len(HEADERS) - 1, title, wb.add_format({"bold": True, "font_size": 12, "text_wrap": True,
                                                                     "valign": "top"}))
    ws.set_row(0, LINE_HEIGHT * 12 / 11 * wrapped_lines(title, sum(final.values()) * 11 / 12) + 2)
    ws.freeze_panes(2, 0)
    ws.autofilter(1, 0, max(2, len(body) + 1), len(HEADERS) - 1)
    print_setup(ws)
    if page_header:
        ws.set_header(page_header)
    ws.repeat_rows(1)
