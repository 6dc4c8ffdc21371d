"""The directory as a publication-quality workbook (the only xlsxwriter import).

Sheets: 全省 (every row), one per city with rows, and 统计 (counts by city and by project,
with native column and bar charts). Every listing sheet has a merged title row, a frozen
header with an autofilter, widths fitted to Chinese text (CJK counts 2), wrapped project
lists, and an A4 landscape print set-up: header row repeated on every page, page numbers
in the footer, fitted to one page wide; the 发布机关 and 发布日期 under the last row. Rows
have even heights (every row of a sheet the height of its tallest, up to three lines)
with padding. 全省 prints city by city (a page break before each city); the per-city
sheets are hidden, so printing the whole workbook prints every institution once (unhide
a city's sheet to print or send it alone).

Every value is written with `write_string` / `write_number` and the workbook is opened
with ``strings_to_formulas: False``: a name such as ``=HYPERLINK(…)`` is text. No formula
is written anywhere (totals are computed here)."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from pathlib import Path

from sheetkit.directory.rows import COLUMNS, REMOVED, VALID, Directory, Entry

PROVINCE_SHEET = "全省"
STATS_SHEET = "统计"
FONT = "宋体"
TITLE_FONT = "黑体"
FOOTER = "&C第 &P 页 共 &N 页"
A4 = 9
HEADER_ROW = 1  # 0-based: row 2 in Excel, under the title
LINE_HEIGHT = 15.0  # points per wrapped line of 10-point CJK text
PADDING = 8.0  # points above and below a row's text
EVEN_LINES = 3  # rows of a sheet share the tallest row's height up to this many lines
# column → (minimum, maximum) width in characters (CJK = 2); wider text wraps
WIDTHS = {"序号": (6, 6), "所属市": (8, 10), "机构名称": (16, 30), "机构代码": (10, 16),
          "统一社会信用代码": (20, 20), "考核项目": (16, 30), "有效期": (26, 26), "机构地址": (16, 30),
          "联系电话": (12, 16), "备案状态": (10, 10)}
CENTRED = {"序号", "所属市", "机构代码", "统一社会信用代码", "有效期", "联系电话", "备案状态"}
SHEET_FORBIDDEN = set('[]:*?/\\')


def text_width(text: str) -> int:
    """Display width: East-Asian wide and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def safe_sheet_name(name: str, used: set[str]) -> str:
    """A legal, unique sheet name: no ``[]:*?/\\``, no edge apostrophes, ≤ 31 characters."""
    clean = "".join("_" if ch in SHEET_FORBIDDEN or ord(ch) < 32 else ch for ch in name).strip().strip("'")
    clean = clean[:31] or "Sheet"
    candidate, n = clean, 2
    while candidate.lower() in used or candidate.lower() == "history":
        suffix = f"({n})"
        candidate, n = clean[:31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def write_workbook(directory: Directory, path: Path, *, issuer: str | None = None,
                   published: dt.date | None = None) -> None:
    """Write ``directory`` to ``path`` (the caller makes it atomic)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                         "strings_to_urls": False})
    created = dt.datetime.combine(directory.as_of, dt.time())
    wb.set_properties({"title": directory.title, "subject": "专项职业能力考核机构目录", "author": "",
                       "created": created, "comments": "由 sheetkit 生成"})
    fmt = _formats(wb)
    used: set[str] = set()
    issuer = issuer or f"{directory.province}人力资源和社会保障厅"
    day = published or dt.date.today()
    imprint = (f"发布机关：{issuer}", f"发布日期：{day.year}年{day.month}月{day.day}日")
    _listing(wb, fmt, safe_sheet_name(PROVINCE_SHEET, used), directory.title, directory.entries, imprint,
             by_city=True)
    for city, entries in directory.by_city().items():
        ws = _listing(wb, fmt, safe_sheet_name(city, used), f"{directory.title}（{city}）", entries, imprint)
        ws.hide()
    _statistics(wb, fmt, safe_sheet_name(STATS_SHEET, used), directory)
    wb.close()


def _formats(wb) -> dict:
    base = {"font_name": FONT, "font_size": 10, "valign": "vcenter", "border": 1, "text_wrap": True}
    imprint = {"font_name": FONT, "font_size": 11, "align": "right", "valign": "vcenter"}
    return {
        "title": wb.add_format({"font_name": TITLE_FONT, "font_size": 16, "bold": True, "align": "center",
                                "valign": "vcenter"}),
        "header": wb.add_format({**base, "bold": True, "align": "center", "bg_color": "#D9E1F2"}),
        "left": wb.add_format({**base, "align": "left", "indent": 1}),
        "imprint": wb.add_format(imprint),
        "centre": wb.add_format({**base, "align": "center"}),
        "removed": wb.add_format({**base, "align": "center", "font_color": "#C00000"}),
        "number": wb.add_format({**base, "align": "center", "num_format": "0"}),
        "total": wb.add_format({**base, "bold": True, "align": "center", "num_format": "0"}),
        "total_label": wb.add_format({**base, "bold": True, "align": "center"}),
    }


def _widths(entries: list[Entry]) -> list[int]:
    widths = []
    for i, col in enumerate(COLUMNS):
        low, high = WIDTHS[col]
        longest = max([text_width(col)] + [text_width(str(e.values(1)[i])) for e in entries])
        widths.append(max(low, min(high, longest + 2)))
    return widths


def _lines(values: list, widths: list[int]) -> int:
    lines = 1
    for value, width in zip(values, widths):
        if isinstance(value, str) and value:
            lines = max(lines, math.ceil(text_width(value) / max(1, width - 3)))  # less the indent
    return lines


def _row_height(lines: int) -> float:
    return LINE_HEIGHT * lines + PADDING


def _listing(wb, fmt: dict, name: str, title: str, entries: list[Entry], imprint: tuple[str, str],
             by_city: bool = False):
    ws = wb.add_worksheet(name)
    last_col = len(COLUMNS) - 1
    widths = _widths(entries)
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    ws.merge_range(0, 0, 0, last_col, "", fmt["title"])
    ws.write_string(0, 0, title, fmt["title"])
    ws.set_row(0, 32)
    ws.set_row(HEADER_ROW, 22)
    for c, col in enumerate(COLUMNS):
        ws.write_string(HEADER_ROW, c, col, fmt["header"])
    rows = [entry.values(n) for n, entry in enumerate(entries, 1)]
    lines = [_lines(values, widths) for values in rows]
    even = max(lines, default=1) if max(lines, default=1) <= EVEN_LINES else None
    breaks = []
    for n, (entry, values) in enumerate(zip(entries, rows), 1):
        r = HEADER_ROW + n
        if by_city and n > 1 and entry.city != entries[n - 2].city:
            breaks.append(r)
        for c, (col, value) in enumerate(zip(COLUMNS, values)):
            if isinstance(value, (int, float)):
                ws.write_number(r, c, value, fmt["number"])
            elif col == "备案状态":
                ws.write_string(r, c, value, fmt["removed" if value == REMOVED else "centre"])
            else:
                ws.write_string(r, c, value, fmt["centre" if col in CENTRED else "left"])
        ws.set_row(r, _row_height(even or lines[n - 1]))
    last_row = HEADER_ROW + max(len(entries), 1)
    for k, text in enumerate(imprint, 2):  # 发布机关 / 发布日期 under the listing, set right in the
        ws.write_string(last_row + k, last_col, text, fmt["imprint"])  # last column, spilling left
        ws.set_row(last_row + k, 22)
    if breaks:
        ws.set_h_pagebreaks(breaks)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    ws.autofilter(HEADER_ROW, 0, last_row, last_col)
    ws.set_landscape()
    ws.set_paper(A4)
    ws.repeat_rows(HEADER_ROW)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer(FOOTER, {"margin": 0.25})
    ws.print_area(0, 0, last_row + len(imprint) + 1, last_col)
    return ws


def _statistics(wb, fmt: dict, name: str, directory: Directory) -> None:
    ws = wb.add_worksheet(name)
    ws.merge_range(0, 0, 0, 6, "", fmt["title"])
    ws.write_string(0, 0, f"{directory.title}统计", fmt["title"])
    ws.set_row(0, 32)
    for c, w in enumerate((10, 8, 10, 8, 3, 24, 8)):
        ws.set_column(c, c, w)
    head = 2
    for c, text in enumerate(("所属市", VALID, REMOVED, "合计")):
        ws.write_string(head, c, text, fmt["header"])
    cities = directory.city_counts()
    for i, (city, valid, removed) in enumerate(cities, 1):
        ws.write_string(head + i, 0, city, fmt["centre"])
        ws.write_number(head + i, 1, valid, fmt["number"])
        ws.write_number(head + i, 2, removed, fmt["number"])
        ws.write_number(head + i, 3, valid + removed, fmt["number"])
    total = head + len(cities) + 1
    ws.write_string(total, 0, "合计", fmt["total_label"])
    for c in (1, 2):
        ws.write_number(total, c, sum(row[c] for row in cities), fmt["total"])
    ws.write_number(total, 3, len(directory.entries), fmt["total"])

    for c, text in enumerate(("考核项目", "机构数"), 5):
        ws.write_string(head, c, text, fmt["header"])
    projects = directory.project_counts()
    for i, (project, count) in enumerate(projects, 1):
        ws.write_string(head + i, 5, project, fmt["left"])
        ws.write_number(head + i, 6, count, fmt["number"])

    city_chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    for c, colour in ((1, "#4472C4"), (2, "#C00000")):
        city_chart.add_series({
            "name": [name, head, c],
            "categories": [name, head + 1, 0, head + len(cities), 0],
            "values": [name, head + 1, c, head + len(cities), c],
            "fill": {"color": colour}, "gap": 80,
        })
    _style_chart(city_chart, "各市考核机构数", "机构数", most=max([v + r for _, v, r in cities] or [0]))
    city_chart.set_size({"width": 760, "height": 340})
    ws.insert_chart(head, 8, city_chart)

    if projects:
        bar = wb.add_chart({"type": "bar"})
        bar.add_series({
            "name": [name, head, 6],
            "categories": [name, head + 1, 5, head + len(projects), 5],
            "values": [name, head + 1, 6, head + len(projects), 6],
            "fill": {"color": "#4472C4"}, "gap": 60,
            "data_labels": {"value": True},
        })
        _style_chart(bar, "各考核项目机构数", "机构数", most=projects[0][1], bar=True)
        bar.set_size({"width": 760, "height": max(260, 60 + 22 * len(projects))})
        ws.insert_chart(head + 19, 8, bar)

    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
    ws.set_footer(FOOTER, {"margin": 0.25})


def _style_chart(chart, title: str, axis: str, *, most: int, bar: bool = False) -> None:
    """Title, fonts and axes. In a bar chart the value axis is x and the categories are y
    (listed top to bottom in table order)."""
    font = {"name": FONT, "size": 9}
    chart.set_title({"name": title, "name_font": {"name": TITLE_FONT, "size": 12}})
    values = {"name": axis, "name_font": font, "num_font": font, "min": 0}
    if most <= 10:
        values["major_unit"] = 1
    # reversed categories keep table order top-down; crossing at max keeps the values at the bottom
    categories = {"num_font": font, **({"reverse": True, "crossing": "max"} if bar else {})}
    chart.set_x_axis(values if bar else categories)
    chart.set_y_axis(categories if bar else values)
    chart.set_legend({"none": True} if bar else {"position": "bottom", "font": font})
